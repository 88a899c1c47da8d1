#!/bin/bash
# login-flood.sh [serve flags…]: the memory check of login protection.
# Builds zhagen, loads the demo into a temporary data directory, serves it,
# sends 64 concurrent wrong logins for 30 s with wrk (a separate process;
# apt-get install -y wrk), each under a new unknown login so that only the
# hashing gate and the per-address limit stand in the way, and prints the
# server's peak resident memory (VmHWM). Pass --login-rate 0 to switch the
# per-address limit off and measure the hashing gate alone, as a flood
# from many addresses would.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/zhagen" ./cmd/zhagen
"$dir/zhagen" demo --data-dir "$dir/data" > /dev/null
port=${PORT:-18181}
"$dir/zhagen" serve --data-dir "$dir/data" --addr 127.0.0.1:$port --log-level warn "$@" > "$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz > /dev/null && break; sleep 0.1; done
echo "idle: $(grep VmHWM /proc/$pid/status)"
wrk -t2 -c64 -d30s -s scripts/login-flood.lua http://127.0.0.1:$port/api/v1/login
echo "peak: $(grep VmHWM /proc/$pid/status)"
