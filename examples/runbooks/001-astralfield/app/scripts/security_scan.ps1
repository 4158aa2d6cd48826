#!/bin/sh
# STAND-IN for the team's PowerShell security scan (no PowerShell here): npm audit of the app.
cd "$(dirname "$0")/.." && npm audit --audit-level=high
