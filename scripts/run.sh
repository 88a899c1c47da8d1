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
say() { echo "run.sh: $*" >&2; }
say "web assets (npm, first time about a minute)…"
bash scripts/assets.sh
# The first build compiles every dependency (SQLite, PostgreSQL driver…)
# and takes minutes on a small machine; say so, and show progress.
if [[ -x zhagen ]]; then
	say "building zhagen…"
	go build -o zhagen ./cmd/zhagen
else
	say "building zhagen for the first time: downloading modules and compiling every dependency, this takes several minutes…"
	go mod download -x 2>&1 | grep -c '^# get' | xargs -I{} echo "run.sh: {} modules fetched" >&2 || true
	# -v names each package as it is compiled: the build is moving.
	# (errors pass through as they are).
	go build -v -o zhagen ./cmd/zhagen 2>&1 | awk '/^#|: / { print > "/dev/stderr"; next } { n++; if (n % 20 == 0) printf "run.sh: compiled %d packages…\n", n > "/dev/stderr" }'
	say "build done"
fi
say "loading the demo zone (idempotent)…"
./zhagen demo
say "serving on ${ZHAGEN_ADDR:-127.0.0.1:8080}"
exec ./zhagen serve "$@"
