#!/usr/bin/env bash
# load.sh measures a running zhagen server from outside with wrk (a
# separate process; apt-get install -y wrk): the throughput, p50/p99 and
# errors of each phase, and the server's resident memory after it.
#
#   scripts/load.sh                            # SQLite, demo + 1,000,000 demands
#   DATABASE_URL='postgres://…' scripts/load.sh  # PostgreSQL (a schema of its own)
#
# Phases (PHASES, default "create list"):
#   create   the demo enterprise user files demands (POST /api/v1/demands)
#   list     the demo staff member reads their demand list, 25 rows a page
#   mixed    one create for every nine list reads, for MIXED (default 10m):
#            the memory check (RSS every minute)
# Settings: BULK (default 1000000) extra demands loaded when the data is
# new; DATA_DIR (SQLite: reused when it holds a database, default
# /tmp/zhagen-load-sqlite); DATABASE_URL with search_path=SCHEMA
# (PostgreSQL: the schema is created and loaded when empty, else reused);
# CONNS (16), THREADS (2), DURATION (15s); SERVERS (1 or 2: with 2, two
# servers share the database and one wrk drives each at once, CONNS
# each; the figures are summed); PORT (18300); ZHAGEN_BIN (a built
# binary to measure instead of this checkout). Extra arguments go to
# `zhagen serve`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }

bulk=${BULK:-1000000}
phases=${PHASES:-create list}
conns=${CONNS:-16}
threads=${THREADS:-2}
duration=${DURATION:-15s}
mixed=${MIXED:-10m}
servers=${SERVERS:-1}
port=${PORT:-18300}
say() { echo "load.sh: $*" >&2; }

bin=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$bin"
}
trap cleanup EXIT
if [[ -n "${ZHAGEN_BIN:-}" ]]; then
	cp "$ZHAGEN_BIN" "$bin/zhagen" # a build to compare (before/after)
else
	go build -o "$bin/zhagen" ./cmd/zhagen
fi

dbflags=()
if [[ -n "${DATABASE_URL:-}" ]]; then
	schema=$(sed -n 's/.*search_path=\([A-Za-z0-9_]*\).*/\1/p' <<<"$DATABASE_URL")
	[[ -n "$schema" ]] || { echo "load.sh: DATABASE_URL needs search_path=SCHEMA" >&2; exit 2; }
	base=${DATABASE_URL%%\?*}
	psql -q "$base" -c "CREATE SCHEMA IF NOT EXISTS $schema"
	loaded=$(psql -Atq "$base" -c "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$schema' AND table_name = 'demands'")
	dbflags=(--database-url "$DATABASE_URL")
	engine=postgres
	datadir=$bin/data
else
	datadir=${DATA_DIR:-/tmp/zhagen-load-sqlite}
	loaded=0
	[[ -f "$datadir/zhagen.db" ]] && loaded=1
	engine=sqlite
fi
if [[ "$loaded" == 0 ]]; then
	say "loading the demo zone with $bulk more demands ($engine; minutes at a million)…"
	"$bin/zhagen" demo --data-dir "$datadir" "${dbflags[@]}" --bulk-demands "$bulk" >/dev/null
fi
demands() {
	if [[ $engine == postgres ]]; then
		psql -Atq "$base" -c "SELECT COUNT(*) FROM $schema.demands"
	else
		echo "?"
	fi
}

for i in $(seq "$servers"); do
	p=$((port + i - 1))
	"$bin/zhagen" serve --data-dir "$datadir" "${dbflags[@]}" --addr "127.0.0.1:$p" --log-level warn "$@" >"$bin/serve$i.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 300); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 0.1; done
done
url=http://127.0.0.1:$port

login() {
	curl -sf -X POST "$url/api/v1/login" -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"Zhagen@2026\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
ENT_TOKEN=$(login enterprise)
STAFF_TOKEN=$(login staff)
# A category whose questions are all optional (the body needs no
# answers), led by the staff member's department when there is one: the
# enterprise files what the staff member then lists, as in the zone.
STAFF_DEPT=$(curl -sf "$url/api/v1/me" -H "Authorization: Bearer $STAFF_TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("dept_id") or 0)')
BODY=$(curl -sf "$url/api/v1/categories" -H "Authorization: Bearer $ENT_TOKEN" | STAFF_DEPT=$STAFF_DEPT python3 -c '
import json, os, sys
cats = json.load(sys.stdin)
cats = cats.get("items", cats) if isinstance(cats, dict) else cats
cats = [c for c in cats if not c.get("archived") and not any(q.get("required") for q in c.get("questions") or [])]
dept = int(os.environ["STAFF_DEPT"])
c = next((c for c in cats if c.get("lead_dept_id") == dept), cats[0])
print(json.dumps({"category_id": c["id"], "title": "压测：厂区道路照明不足", "description": "厂区东门至仓库道路夜间照明不足，影响夜班车辆通行，请协调增设路灯。"}, ensure_ascii=False))')
export ENT_TOKEN STAFF_TOKEN BODY

# The server warms its demand index and dispatch model in the background
# after it starts; measuring meanwhile would time that build too. Wait
# until a similar-demand lookup and a dispatch suggestion no longer
# answer pending.
DISPATCH_TOKEN=$(login dispatcher)
t0=$SECONDS
warm() {
	curl -sf "$url/api/v1/demands/similar?text=%E8%B7%AF%E7%81%AF" -H "Authorization: Bearer $STAFF_TOKEN" |
		python3 -c 'import json,sys; sys.exit(1 if json.load(sys.stdin).get("pending") else 0)' &&
		curl -sf -X POST "$url/api/v1/demands/suggest" -H "Authorization: Bearer $DISPATCH_TOKEN" -H 'Content-Type: application/json' \
			-d '{"title":"路灯","description":"厂区道路照明不足"}' |
		python3 -c 'import json,sys; sys.exit(1 if json.load(sys.stdin).get("pending") else 0)'
}
until warm; do
	((SECONDS - t0 < 1200)) || { say "the demand index or dispatch model was still building after 20 minutes"; break; }
	sleep 2
done
say "demand index and dispatch model warm after $((SECONDS - t0)) s"

rss() {
	local out=""
	for p in "${pids[@]}"; do
		out+="$(awk '/VmRSS|VmHWM/ { printf "%s %d MB ", $1, $2/1024 }' "/proc/$p/status")"
	done
	echo "$out"
}

# run NAME SCRIPT TOKEN DURATION: one wrk per server at once.
run() {
	local name=$1 script=$2 token=$3 dur=$4 outs=()
	cat "scripts/load/$script" scripts/load/report.lua >"$bin/$name.lua"
	for i in $(seq "$servers"); do
		TOKEN=$token wrk -t"$threads" -c"$conns" -d"$dur" -s "$bin/$name.lua" "http://127.0.0.1:$((port + i - 1))" >"$bin/$name.$i.out" 2>&1 &
		outs+=($!)
	done
	if [[ $name == mixed ]]; then
		while kill -0 "${outs[0]}" 2>/dev/null; do
			sleep 60
			say "mixed: $(rss)"
		done
	fi
	wait "${outs[@]}"
	for i in $(seq "$servers"); do
		grep -h '^RESULT' "$bin/$name.$i.out" | sed "s/^RESULT/$engine $name server$i (c=$conns t=$threads $dur)/"
		grep -h 'Non-2xx\|Socket errors' "$bin/$name.$i.out" || true
	done
	echo "$engine $name: demands stored $(demands); server memory: $(rss)"
}

echo "$engine: idle server memory: $(rss)"
for ph in $phases; do
	case $ph in
	create) run create create.lua "$ENT_TOKEN" "$duration" ;;
	list) run list list.lua "$STAFF_TOKEN" "$duration" ;;
	mixed) run mixed mixed.lua "" "$mixed" ;;
	*) echo "load.sh: unknown phase $ph (create, list, mixed)" >&2; exit 2 ;;
	esac
done
