#!/usr/bin/env bash
# run.sh sets up what the server needs on a fresh machine, loads the demo
# zone (idempotent) and serves it on ZHAGEN_ADDR (default 127.0.0.1:8080).
# Extra arguments go to `zhagen serve`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
if ((${#need_apt[@]})); then
	echo "run.sh: installing ${need_apt[*]}" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
bash scripts/assets.sh
go build -o zhagen ./cmd/zhagen
./zhagen demo
exec ./zhagen serve "$@"
