#!/usr/bin/env bash
# mutation.sh runs mutation testing (github.com/go-gremlins/gremlins, at a
# pinned version the script installs) over the packages that hold the
# rules and prints the efficacy of each: killed / (killed + lived).
#
#   scripts/mutation.sh                 # sla, open311, the domain, sqldb's rule files
#   scripts/mutation.sh sla open311     # only these
#
# Targets: "sla", "open311", "domain" (the module root package) and
# "sqldb" (only the storage files that hold rules: scope, rates, demand
# transitions and the count cache; the other files of the package are
# excluded). sqldb runs on SQLite, and on PostgreSQL too when
# ZHAGEN_TEST_POSTGRES is set (twice as slow).
#
# It is slow (each mutant is a test run of the package): a few minutes
# for sla, much longer for the others. It is not part of the CI run.
# GREMLINS_WORKERS (default 1) and GREMLINS_TIMEOUT_COEFFICIENT (default
# 30: each mutant recompiles the package, which the coverage run the
# timeout is scaled from does not; with gremlins' default most sla
# mutants "time out" uncounted) tune it. Logs go to $OUT (default
# /tmp/zhagen-mutation): one <target>.log with every mutant's fate.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

GREMLINS_VERSION=v0.6.0
gobin="$(go env GOPATH)/bin"
gremlins="$gobin/gremlins"
# The binary reports "dev" as its version; the module version is in its
# build information.
if ! [[ -x "$gremlins" ]] || ! go version -m "$gremlins" 2>/dev/null | grep -qE "^\s+mod\s+github.com/go-gremlins/gremlins\s+$GREMLINS_VERSION\s"; then
	echo "mutation.sh: installing gremlins $GREMLINS_VERSION" >&2
	GOBIN="$gobin" go install "github.com/go-gremlins/gremlins/cmd/gremlins@$GREMLINS_VERSION"
fi

workers="${GREMLINS_WORKERS:-1}"
coef="${GREMLINS_TIMEOUT_COEFFICIENT:-30}"
out="${OUT:-/tmp/zhagen-mutation}"
mkdir -p "$out"

# The sqldb files whose rules mutation testing covers.
sqldb_rule_files=(scope.go rates.go demand_transition.go countcache.go)

targets=("$@")
((${#targets[@]})) || targets=(sla open311 domain sqldb)

# gremlins scales each mutant's timeout from its first test run; a run
# answered from the test cache would make that timeout too short.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1"

summary=()
for target in "${targets[@]}"; do
	excludes=()
	case "$target" in
	sla | open311) dir="./$target" ;;
	domain)
		# For the module root gremlins v0.6.0 gathers coverage over ./...
		# (every package's tests, which must all pass); only the root
		# package's files are mutated.
		dir="."
		excludes+=(--exclude-files '/')
		;;
	sqldb)
		dir="./sqldb"
		# gremlins matches --exclude-files against paths relative to dir,
		# subpackages included.
		excludes+=(--exclude-files '^sqldbtest/')
		for f in sqldb/*.go; do
			base="${f#sqldb/}"
			[[ "$base" == *_test.go ]] && continue
			keep=false
			for k in "${sqldb_rule_files[@]}"; do [[ "$base" == "$k" ]] && keep=true; done
			$keep || excludes+=(--exclude-files "^${base//./\\.}\$")
		done
		;;
	*)
		echo "mutation.sh: unknown target $target (sla, open311, domain, sqldb)" >&2
		exit 2
		;;
	esac
	log="$out/$target.log"
	echo "mutation.sh: $target ($dir), log in $log" >&2
	start=$SECONDS
	# gremlins exits non-zero only for thresholds, which are not set here.
	# No --test-cpu: v0.6.0 passes it to go test as one argument ("-cpu 1"),
	# go test refuses it, and every mutant is reported KILLED.
	"$gremlins" unleash --workers "$workers" --timeout-coefficient "$coef" \
		${excludes[@]+"${excludes[@]}"} "$dir" >"$log" 2>&1 || {
		echo "mutation.sh: gremlins failed on $target; see $log" >&2
		tail -n 20 "$log" >&2
		exit 1
	}
	counts="$(grep -E '^Killed: ' "$log" | tail -n 1)"
	efficacy="$(grep -E '^Test efficacy: ' "$log" | tail -n 1 | sed 's/^Test efficacy: //')"
	summary+=("$(printf '%-8s efficacy %-8s %s (%ds)' "$target" "${efficacy:-?}" "$counts" $((SECONDS - start)))")
done

echo
echo "Mutation efficacy per package (killed / (killed + lived)):"
printf '  %s\n' "${summary[@]}"
echo "Live mutants: grep LIVED $out/<target>.log"
