#!/usr/bin/env bash
# test.sh installs what the tests need on a fresh machine (Chromium and a
# CJK font for the browser tests, Node.js/npm for the web assets, headless
# LibreOffice Writer and pdftotext for the minutes' .docx → PDF round
# trip: 51 packages, 86 MB, about 1–2.5 minutes once), makes
# sure the local PostgreSQL is reachable, and runs every test: vet, the
# unit and storage tests on SQLite and PostgreSQL, and the browser tests.
# ZHAGEN_TEST_POSTGRES (a DSN) selects the PostgreSQL; it defaults to the
# local server's database "test".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[[ -d /usr/share/fonts/opentype/noto ]] || need_apt+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
need_office=()
command -v soffice >/dev/null 2>&1 || need_office+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need_office+=(poppler-utils)
if ((${#need_apt[@]} + ${#need_office[@]})); then
	echo "test.sh: installing ${need_apt[*]} ${need_office[*]}" >&2
	apt-get update -qq
	if ((${#need_apt[@]})); then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
	fi
	if ((${#need_office[@]})); then
		# Writer without its GUI and without recommends: what soffice
		# --headless --convert-to pdf needs.
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_office[@]}" >/dev/null
	fi
fi

if [[ -z "${ZHAGEN_TEST_POSTGRES:-}" ]]; then
	if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null 2>&1; then
		pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
	fi
	if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
		# The tests use the database "test"; create it when it is missing.
		createdb -h 127.0.0.1 -U postgres test 2>/dev/null || true
		export ZHAGEN_TEST_POSTGRES="postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	elif [[ "${CI:-}" == "true" ]]; then
		echo "test.sh: no PostgreSQL on 127.0.0.1:5432; CI runs every storage test on both stores, so it fails here" >&2
		exit 1
	else
		echo "test.sh: no PostgreSQL on 127.0.0.1:5432; storage tests run on SQLite only (PostgreSQL SKIPPED)" >&2
	fi
fi
export ZHAGEN_REQUIRE_BROWSER=1 ZHAGEN_REQUIRE_OFFICE=1

bash scripts/assets.sh
go vet ./...
# The summary prints failures in full and, per package, which stores its
# storage tests ran on; with PostgreSQL configured, a run in which no test
# reached it fails.
stores=sqlite
[[ -n "${ZHAGEN_TEST_POSTGRES:-}" ]] && stores=sqlite,postgres
go build -o /tmp/zhagen-testsummary ./scripts/testsummary
go test -count=1 -timeout 12m -json ./... "$@" 2>&1 | REQUIRE_STORES="$stores" /tmp/zhagen-testsummary
