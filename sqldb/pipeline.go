package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Pipelined writes. On PostgreSQL every statement costs a round trip to
// the server: a write, a read and a wake-up on each side. A filing's
// transaction ran nine of them, and under load the server spent more
// CPU in those system calls than in its own work. Statements whose
// result nobody reads (the timeline row, the outbox entry, the rollup
// upserts, a savepoint) are therefore queued with later and sent
// together, in one pipeline (pgx's batch protocol), when the
// transaction next needs an answer from the server: a read, a write
// whose result is used, or the commit. SQLite runs in the process, so
// later runs the statement at once there.
//
// A queued statement fails when its pipeline runs, not when it was
// queued; the error names the group-commit item that queued it
// (lateError), so that a batch whose earlier, already "done" request
// turns out to have failed is run again one request at a time. Every
// read and write of the transaction, including the embedded *sql.Tx's
// methods, runs the queue first, so statements reach the server in the
// order they were written.

// lateStmt is a statement queued by later.
type lateStmt struct {
	query string // rebound ($1, $2, …)
	args  []any
	item  int // the group-commit item that queued it
}

// lateError is the failure of a queued statement.
type lateError struct {
	item int
	err  error
}

func (e *lateError) Error() string { return e.err.Error() }
func (e *lateError) Unwrap() error { return e.err }

// later runs a statement whose result is not needed: at once on SQLite,
// on PostgreSQL with the transaction's next round trip.
func (tx *Tx) later(ctx context.Context, query string, args ...any) error {
	if tx.conn == nil {
		_, err := tx.exec(ctx, query, args...)
		return err
	}
	if tx.failed != nil {
		return tx.failed
	}
	tx.pending = append(tx.pending, lateStmt{query: tx.db.dialect.rebind(query), args: args, item: tx.item})
	return nil
}

// flush sends the queued statements, if any, in one round trip.
func (tx *Tx) flush(ctx context.Context) error {
	if len(tx.pending) == 0 {
		return tx.failed
	}
	return tx.pipeline(ctx, nil)
}

// pipeline sends the queued statements and then last, if not nil, in
// one round trip, and scans last's row into dest.
func (tx *Tx) pipeline(ctx context.Context, last *lateStmt, dest ...any) error {
	if tx.failed != nil {
		return tx.failed
	}
	stmts := tx.pending
	tx.pending = nil
	if last != nil {
		stmts = append(stmts, *last)
	}
	err := tx.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("sqldb: pipeline on a %T connection", dc)
		}
		b := &pgx.Batch{}
		for _, s := range stmts {
			b.Queue(s.query, s.args...)
		}
		br := sc.Conn().SendBatch(ctx, b)
		for i, s := range stmts {
			var err error
			if last != nil && i == len(stmts)-1 {
				err = br.QueryRow().Scan(dest...)
			} else {
				_, err = br.Exec()
			}
			if err != nil {
				br.Close()
				if errors.Is(err, pgx.ErrNoRows) {
					err = sql.ErrNoRows
				}
				return &lateError{item: s.item, err: err}
			}
		}
		return br.Close()
	})
	var le *lateError
	if err != nil && (!errors.As(err, &le) || !isNoRows(err)) {
		tx.failed = err // the transaction is aborted: nothing more runs
	}
	return err
}

// The embedded transaction's methods run the queue first.

func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := tx.flush(ctx); err != nil {
		return nil, err
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := tx.flush(ctx); err != nil {
		return nil, err
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs the queue first; if it fails, the transaction is
// aborted and the query reports that on Scan, and Commit reports the
// queue's error.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.flush(ctx)
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

func (tx *Tx) StmtContext(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	tx.flush(ctx)
	return tx.Tx.StmtContext(ctx, st)
}
