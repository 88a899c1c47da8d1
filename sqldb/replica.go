package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// AttachReadReplica opens a pool on a streaming replica of the primary
// (PostgreSQL only). Reads outside transactions whose context allows it
// (ReadFromReplica: the lists, dashboards and exports of a GET request)
// then go to the replica; transactions, every write, and the reads that
// must see the latest commit (logins, sessions, tokens: PrimaryOnly) stay
// on the primary.
func (db *DB) AttachReadReplica(ctx context.Context, dsn string) error {
	if db.dialect != postgres || !isPostgres(dsn) {
		return errors.New("sqldb: a read replica needs PostgreSQL for both the primary and the replica")
	}
	read, err := sql.Open("pgx", pgDSN(dsn))
	if err != nil {
		return fmt.Errorf("sqldb: open replica: %w", err)
	}
	read.SetMaxOpenConns(pgMaxConns)
	read.SetMaxIdleConns(pgMaxConns)
	if err := read.PingContext(ctx); err != nil {
		read.Close()
		return fmt.Errorf("sqldb: connect to replica: %w", err)
	}
	db.read = read
	return nil
}

// HasReplica reports whether a read replica is attached.
func (db *DB) HasReplica() bool { return db.read != nil }

type replicaKey struct{}

// ReadFromReplica marks ctx as one whose reads may be served by the
// replica, which may lag the primary by a moment: the server sets it on
// GET requests of callers who have not just written.
func ReadFromReplica(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

// PrimaryOnly marks ctx as one whose reads must see the latest commit.
func PrimaryOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, false)
}

// reader returns the pool and statement cache a read in ctx goes to.
func (db *DB) reader(ctx context.Context) (*sql.DB, *stmtCache) {
	if db.read != nil {
		if ok, _ := ctx.Value(replicaKey{}).(bool); ok {
			return db.read, &db.readStmts
		}
	}
	return db.sql, &db.stmts
}

// InRecovery reports whether the database that serves reads in ctx is a
// standby (pg_is_in_recovery): true for the replica, false for a primary.
func (db *DB) InRecovery(ctx context.Context) (bool, error) {
	if db.dialect != postgres {
		return false, nil
	}
	var r bool
	err := db.queryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&r)
	return r, err
}

// ReplicaLag is how far the replica's replay is behind: the age of the
// last transaction it replayed (0 when it replayed none, or there is no
// replica). On an idle primary it grows although nothing is missing.
func (db *DB) ReplicaLag(ctx context.Context) (float64, error) {
	if db.read == nil {
		return 0, nil
	}
	var lag sql.NullFloat64
	err := db.read.QueryRowContext(ctx, `SELECT EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp()))::float8`).Scan(&lag)
	return lag.Float64, err
}
