package sqldb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestStmtCacheCloseNeverWaits: the statement cache closes the statements
// it drops without waiting. Closing one waits for the connection it was
// prepared on; here that connection runs an UPDATE waiting for a row lock
// held by the transaction of the very goroutine that fills the cache, so
// an inline close never returns (the deadlock that hung the concurrency
// suite on PostgreSQL).
func TestStmtCacheCloseNeverWaits(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		if e.Name != "postgres" {
			t.Skip("SQLite runs one writer at a time: an UPDATE never waits inside the database for another transaction's row lock")
		}
		ctx := context.Background()
		db := e.Open(t, zhagen.SystemClock{})
		pool := db.SQL()
		if _, err := pool.Exec(`INSERT INTO table_generations (name, n) VALUES ('stmtcache_test', 1)`); err != nil {
			t.Fatal(err)
		}
		const lockRow = `UPDATE table_generations SET n = n + 1 WHERE name = 'stmtcache_test'`
		// Two connections: A holds the row lock, the statement is
		// prepared on the other one, which B then takes.
		pool.SetMaxOpenConns(2)
		a, err := pool.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Rollback()
		if _, err := a.Exec(lockRow); err != nil {
			t.Fatal(err)
		}
		if err := db.CacheStatement(ctx, `SELECT n FROM table_generations WHERE name = ?`); err != nil {
			t.Fatal(err)
		}
		b, err := pool.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Rollback()
		var bPID int
		if err := b.QueryRow(`SELECT pg_backend_pid()`).Scan(&bPID); err != nil {
			t.Fatal(err)
		}
		bDone := make(chan error, 1)
		go func() {
			_, err := b.Exec(lockRow)
			bDone <- err
		}()
		for waiting := 0; waiting == 0; {
			if err := a.QueryRow(`SELECT COUNT(*) FROM pg_locks WHERE pid = $1 AND NOT granted`, bPID).Scan(&waiting); err != nil {
				t.Fatal(err)
			}
		}
		// B's connection is busy waiting for A. Fill the cache until it
		// drops the statement prepared on that connection (new
		// statements are prepared on a third connection).
		pool.SetMaxOpenConns(3)
		filled := make(chan error, 1)
		go func() {
			for i := range sqldb.StmtCacheMax + 1 {
				if err := db.CacheStatement(ctx, fmt.Sprintf(`SELECT %d`, i)); err != nil {
					filled <- err
					return
				}
			}
			filled <- nil
		}()
		select {
		case err := <-filled:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(30 * time.Second):
			a.Rollback() // lets B and the close finish
			t.Fatal("filling the statement cache waited for a connection busy with a statement that waits for this caller's transaction")
		}
		if err := a.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-bDone; err != nil {
			t.Fatal(err)
		}
	})
}
