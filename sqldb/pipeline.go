package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

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
	return tx.pipeline(ctx, nil, nil)
}

// pipeline sends the queued statements and then last, if not nil, in
// one round trip; read, if not nil, reads last's rows.
func (tx *Tx) pipeline(ctx context.Context, last *lateStmt, read func(pgx.Rows) error) error {
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
			if read != nil && i == len(stmts)-1 {
				var rows pgx.Rows
				if rows, err = br.Query(); err == nil {
					err = read(rows)
					rows.Close()
					if err == nil {
						err = rows.Err()
					}
				}
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

// scanOne reads the one row of a pipeline's last statement into dest
// (sql.ErrNoRows when there is none).
func scanOne(dest ...any) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return err
			}
			return sql.ErrNoRows
		}
		return rows.Scan(dest...)
	}
}

// endPG ends tx on PostgreSQL. COMMIT goes in one round trip with the
// statements still queued (BEGIN among them when nothing was sent yet).
// ROLLBACK drops the queue and is sent only when the server holds the
// transaction open: a transaction that never reached the server costs
// no round trip.
func (tx *Tx) endPG(verb string) error {
	if verb == "COMMIT" {
		err := tx.pipeline(context.Background(), &lateStmt{query: "COMMIT", item: tx.item}, nil)
		if err != nil {
			tx.abortPG()
		}
		return err
	}
	tx.pending = nil
	return tx.abortPG()
}

// abortPG rolls back whatever transaction the server still holds open
// on tx's connection: after a failed statement it is in the failed state,
// after a failed COMMIT it has ended. A connection the ROLLBACK cannot
// reach is closed, so that the pool never hands out one inside a
// transaction.
func (tx *Tx) abortPG() error {
	return tx.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("sqldb: rollback on a %T connection", dc)
		}
		pc := sc.Conn().PgConn()
		if pc.TxStatus() == 'I' {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := pc.Exec(ctx, "ROLLBACK").ReadAll(); err != nil {
			sc.Conn().Close(ctx)
			return err
		}
		return nil
	})
}

// The embedded transaction's methods run the queue first. On PostgreSQL
// there is no embedded transaction: they run on the transaction's
// connection, which pgx keeps the prepared statements of.

func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := tx.flush(ctx); err != nil {
		return nil, err
	}
	if tx.conn != nil {
		res, err := tx.conn.ExecContext(ctx, query, args...)
		tx.fail(err)
		return res, err
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := tx.flush(ctx); err != nil {
		return nil, err
	}
	if tx.conn != nil {
		rows, err := tx.conn.QueryContext(ctx, query, args...)
		tx.fail(err)
		return rows, err
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs the queue first; if it fails, the transaction is
// aborted and the query reports that on Scan, and Commit reports the
// queue's error.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.flush(ctx)
	if tx.conn != nil {
		return tx.conn.QueryRowContext(ctx, query, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

func (tx *Tx) StmtContext(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	tx.flush(ctx)
	return tx.Tx.StmtContext(ctx, st)
}

// fail records that a statement run on the connection directly failed:
// PostgreSQL has aborted the transaction, so queued statements would
// fail too.
func (tx *Tx) fail(err error) {
	if err != nil && tx.failed == nil {
		tx.failed = err
	}
}
