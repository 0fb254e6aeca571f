#!/usr/bin/env bash
# Requests/s and p50/p99 latency of the main cached read endpoints at concurrency 50 on
# loopback, measured with wrk (Debian: apt-get install wrk) against a real `accord serve`.
# The Python client of bench/serve.py costs more CPU per request than the server on a
# 2-core machine; wrk does not. Usage: bash bench/serve-wrk.sh [seconds]
set -euo pipefail
secs=${1:-5}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d)
(cd "$work" && exec accord serve --port "$port" >"$work/serve.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port/api/v1/cases/ukraine_2025"
for _ in $(seq 50); do curl -sf -o /dev/null "$base" && break; sleep 0.2; done
for path in "assess?plan=us-28-point" "plans/us-28-point/matrix" "positions" "tilt"; do
  curl -sf -o /dev/null "$base/$path"   # warm the cache
  printf '%-28s ' "$path"
  wrk -t2 -c50 -d"${secs}s" --latency "$base/$path" |
    awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "%8s req/s  p50 %8s  p99 %8s\n", rps, p50, p99}'
done
