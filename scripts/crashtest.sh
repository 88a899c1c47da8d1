#!/usr/bin/env bash
# crashtest.sh runs the crash test's long form: ROUNDS (default 20) rounds
# per store of 16 clients filing demands while the server is killed with
# SIGKILL at a random moment and restarted; every acknowledged create must
# be present with its timeline, the integrity check and the audit chain
# must hold. PostgreSQL is included when ZHAGEN_TEST_POSTGRES is set (by
# default the local server's test database).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export ZHAGEN_TEST_POSTGRES="${ZHAGEN_TEST_POSTGRES-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
export ZHAGEN_CRASH_ROUNDS="${1:-20}"
exec go test -count=1 -v -timeout 30m -run '^TestCrashLosesNoAcknowledgedWrite$' ./cmd/zhagen/
