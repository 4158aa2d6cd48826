#!/bin/sh
# STAND-IN for the team's smoke tests, run against green before the switch: each endpoint answers 2xx.
# The base URL is the runbook's https://$GREEN_IP/api; on gantry-proxy green is the preview, reached with
# the header X-Gantry-Canary: 1 at the service's address.
set -e
base=${1%/api}
for path in /health / /status/200; do
  curl -fsS -H 'X-Gantry-Canary: 1' -o /dev/null "$base$path" && echo "$path: ok"
done
