#!/bin/sh
# STAND-IN for the team's synthetic monitoring against green: a write round-trip and a WebSocket upgrade.
set -e
base=${1%/api}
body=$(curl -fsS -H 'X-Gantry-Canary: 1' -X POST --data 'synthetic' "$base/echo")
case "$body" in *'"body":"synthetic"'*) echo "echo round-trip: ok" ;; *) echo "echo answered: $body" >&2; exit 1 ;; esac
status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'X-Gantry-Canary: 1' -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
  -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Sec-WebSocket-Version: 13' "$base/ws" || true)
[ "$status" = 101 ] && echo "websocket: ok" || { echo "websocket upgrade answered $status" >&2; exit 1; }
