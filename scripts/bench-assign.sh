#!/usr/bin/env bash
# bench-assign.sh compares `zhagen assign` with LEMON's NetworkSimplex
# (Debian liblemon-dev, installed here if missing) on the linkage family
# of shared/formats/dimacs.md and on variants it was not tuned for
# (fewer candidates, more cadres, tight and near-tight capacity).
# Runs alternate; each line prints the optimum and the solve time
# (reading excluded) of both. Usage: bash scripts/bench-assign.sh [RUNS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-3}
dir=${BENCH_DIR:-/tmp/zhagen-bench-assign}
mkdir -p "$dir"
if [[ ! -f /usr/include/lemon/network_simplex.h ]]; then
	apt-get install -y -qq liblemon-dev >/dev/null
fi
g++ -O2 -o "$dir/lemon-ns" scripts/lemon/ns.cc -llemon
go build -o "$dir/zhagen" ./cmd/zhagen
gen() { [[ -f "$dir/$1.min" ]] || go run assign/gendimacs.go "${@:2}" -o "$dir/$1.min"; }
gen sparse10k -cadres 10000 -enterprises 50000
gen sparse1k -cadres 1000 -enterprises 5000
gen cand10 -cadres 10000 -enterprises 50000 -candidates 10 -seed 99
gen big20k -cadres 20000 -enterprises 100000 -candidates 30 -capacity 8 -seed 7
gen slack2pct -cadres 10000 -enterprises 58800 -seed 5
gen tight -cadres 10000 -enterprises 50000 -capacity 5
for f in sparse10k sparse1k cand10 big20k slack2pct tight; do
	for _ in $(seq "$runs"); do
		z=$("$dir/zhagen" assign --dimacs "$dir/$f.min")
		l=$("$dir/lemon-ns" "$dir/$f.min")
		echo "$f zhagen $z lemon $l"
	done
done
