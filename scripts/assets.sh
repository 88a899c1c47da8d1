#!/usr/bin/env bash
# assets.sh installs the web UI's front-end packages from npm (web/package.json,
# pinned by web/package-lock.json) and copies the files the pages load into
# web/static/vendor/, which is gitignored and embedded by `go build`.
# It is idempotent and returns at once when everything is up to date.
# The Go build works without it: pages then run without htmx.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"
vendor="$web/static/vendor"
modules="$web/node_modules"
lock="$web/package-lock.json"

# npm ci when node_modules is missing or older than the lockfile.
if [[ ! -d "$modules" || ! -f "$modules/.package-lock.json" || "$lock" -nt "$modules/.package-lock.json" ]]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "assets.sh: npm not found; install Node.js (Debian: apt-get install -y nodejs npm)" >&2
		exit 1
	fi
	echo "assets.sh: npm ci in web/" >&2
	(cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
	touch "$modules/.package-lock.json"
fi

mkdir -p "$vendor"
copy() { # copy SRC DST when DST is missing or differs
	if ! cmp -s "$1" "$2"; then
		cp "$1" "$2"
		echo "assets.sh: ${2#"$root"/}" >&2
	fi
}
copy "$modules/htmx.org/dist/htmx.min.js" "$vendor/htmx.min.js"
copy "$modules/echarts/dist/echarts.min.js" "$vendor/echarts.min.js"
