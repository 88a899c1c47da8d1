#!/usr/bin/env bash
# replica.sh sets up a streaming replica of the local PostgreSQL on this
# machine (pg_basebackup into a scratch directory, a second server on
# port 5433), runs the read-replica tests against it, and removes it.
# It allows replication connections from 127.0.0.1 in the primary's
# pg_hba.conf if they are not allowed yet (trust, like the test setup).
# Usage: bash scripts/replica.sh [--keep]   (--keep leaves the standby running)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ver=$(ls /etc/postgresql | sort -n | tail -n1)
bin=/usr/lib/postgresql/$ver/bin
hba=/etc/postgresql/$ver/main/pg_hba.conf
dir=${REPLICA_DIR:-/tmp/zhagen-standby}
port=${REPLICA_PORT:-5433}
primary=${ZHAGEN_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}

if ! grep -Eq '^host\s+replication\s+all\s+127\.0\.0\.1/32' "$hba"; then
	echo "replica.sh: allowing replication from 127.0.0.1 in $hba" >&2
	echo "host replication all 127.0.0.1/32 trust" >>"$hba"
	psql -h 127.0.0.1 -U postgres -qAtc "SELECT pg_reload_conf()" >/dev/null
fi
if [[ -f "$dir/postmaster.pid" ]]; then
	su postgres -c "$bin/pg_ctl -D $dir -m fast stop" >/dev/null || true
fi
rm -rf "$dir"
echo "replica.sh: pg_basebackup → $dir (port $port)" >&2
pg_basebackup -h 127.0.0.1 -U postgres -D "$dir" -R -X stream -c fast
# Debian keeps the configuration in /etc; the standby gets a small one.
cat >"$dir/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hba_file = '$hba'
ident_file = '/etc/postgresql/$ver/main/pg_ident.conf'
hot_standby = on
shared_buffers = 64MB
CONF
chown -R postgres:postgres "$dir"
chmod 700 "$dir"
su postgres -c "$bin/pg_ctl -D $dir -l $dir/standby.log -w start" >/dev/null
stop() { [[ "${1:-}" == "--keep" ]] || { su postgres -c "$bin/pg_ctl -D $dir -m fast stop" >/dev/null; rm -rf "$dir"; }; }
trap 'stop "${KEEP:-}"' EXIT
[[ "${1:-}" == "--keep" ]] && KEEP=--keep
standby="postgres://postgres@127.0.0.1:$port/test?sslmode=disable"
psql "$standby" -qAtc "SELECT 'standby in recovery: ' || pg_is_in_recovery()"
ZHAGEN_TEST_POSTGRES="$primary" ZHAGEN_TEST_REPLICA="$standby" \
	go test -count=1 -run 'TestReadReplica' -v ./cmd/zhagen
echo "replica.sh: serve with --database-url '$primary' --database-read-url '$standby'" >&2
