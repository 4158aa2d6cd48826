# STAND-IN: the team's Terraform (load balancer target groups with blue_weight/green_weight, the app's
# environments) is theirs; bin/terraform records what the plan asks of it. Variables the runbook sets:
variable "environment" { default = "blue" }
variable "blue_weight" { default = 100 }
variable "green_weight" { default = 0 }
variable "version" { default = "" }
variable "app_version" { default = "" }
