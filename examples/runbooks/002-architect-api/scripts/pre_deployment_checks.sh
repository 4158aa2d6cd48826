#!/bin/sh
# STAND-IN for the team's pre-deployment checks: the production database answers, and the API answers on
# the address users reach (when a version already runs there: a first install has none).
set -e
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -tAc 'SELECT 1' >/dev/null && echo "database: ok"
if curl -fsS -o /dev/null "$API_URL/health" 2>/dev/null; then echo "API: ok"; else echo "API: no version running yet"; fi
