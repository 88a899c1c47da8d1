package sqldb_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestBatchRollupsOnlyOfCommittedRequests: requests that run together
// in group-commit batches, some of which fail after adding to a rollup,
// leave exactly the rollups of those that succeeded, in the day and the
// month rows, whichever batches they happened to share.
func TestBatchRollupsOnlyOfCommittedRequests(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, nil)
		ctx := context.Background()
		failure := errors.New("the request failed after its rollup")
		const n = 96
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var failWith error
				if i%3 == 0 {
					failWith = failure
				}
				// Two days of one month, in two departments.
				errs[i] = db.BatchRollup(ctx, int64(1+i%2), 9, 20261201+i%4/2, failWith)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if want := map[bool]error{true: failure, false: nil}[i%3 == 0]; !errors.Is(err, want) {
				t.Fatalf("request %d: %v, want %v", i, err, want)
			}
		}
		want := map[[2]int64]int64{}
		for i := range n {
			if i%3 != 0 {
				want[[2]int64{int64(1 + i%2), int64(20261201 + i%4/2)}]++
			}
		}
		for k, w := range want {
			var got int64
			if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT SUM(submitted) FROM demand_rollups_day WHERE dept_id = ? AND category_id = 9 AND period = ?`), k[0], k[1]).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("day rollup %v: %d filed, want %d", k, got, w)
			}
		}
		for dept := int64(1); dept <= 2; dept++ {
			var got int64
			if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT SUM(submitted) FROM demand_rollups_month WHERE dept_id = ? AND category_id = 9 AND period = 202612`), dept).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if w := want[[2]int64{dept, 20261201}] + want[[2]int64{dept, 20261202}]; got != w {
				t.Errorf("month rollup of department %d: %d filed, want %d", dept, got, w)
			}
		}
	})
}

// TestBatchQueuedStatementFailsLate: on PostgreSQL a statement whose
// result is not read is sent with the transaction's next round trip,
// which may belong to a later request of the batch or to the commit.
// Its failure is still the failure of the request that queued it alone:
// the others are written exactly once, the failing one not at all.
func TestBatchQueuedStatementFailsLate(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, nil)
		ctx := context.Background()
		gen := func(name string) string {
			return `INSERT INTO table_generations (name, n) VALUES ('` + name + `', 1)`
		}
		if _, err := db.SQL().ExecContext(ctx, gen("late-dup")); err != nil {
			t.Fatal(err)
		}
		logRow := `INSERT INTO op_logs (user_id, user_name, action, object_type, object_id, summary, ip, at) VALUES (0, 'test', 'x', 'late-test', 0, '', '', CURRENT_TIMESTAMP)`
		has := func(name string) bool {
			var n int
			if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT COUNT(*) FROM table_generations WHERE name = ?`), name).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n == 1
		}
		check := func(errs []error, failing int) {
			t.Helper()
			for i, err := range errs {
				if i == failing {
					if !sqldb.IsUniqueViolation(err) {
						t.Errorf("request %d: %v, want a unique violation", i, err)
					}
				} else if err != nil {
					t.Errorf("request %d: %v", i, err)
				}
			}
		}

		// The failure surfaces while a later request reads an id.
		errs := db.RunOneBatch(ctx, []sqldb.BatchStep{
			{Later: []string{gen("late-a")}},
			{Later: []string{gen("late-dup")}},
			{Insert: logRow},
			{Later: []string{gen("late-b")}},
		})
		check(errs, 1)
		for _, name := range []string{"late-a", "late-b"} {
			if !has(name) {
				t.Errorf("%s was not written", name)
			}
		}
		var logs int
		if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM op_logs WHERE object_type = 'late-test'`).Scan(&logs); err != nil {
			t.Fatal(err)
		}
		if logs != 1 {
			t.Errorf("the inserting request's row was written %d times, want once", logs)
		}

		// The failure surfaces at the commit.
		errs = db.RunOneBatch(ctx, []sqldb.BatchStep{
			{Later: []string{gen("late-c")}},
			{Later: []string{gen("late-d"), gen("late-dup")}},
		})
		check(errs, 1)
		if !has("late-c") || has("late-d") {
			t.Errorf("late-c written %v (want true), late-d written %v (want false)", has("late-c"), has("late-d"))
		}
	})
}

// TestGenerationSumsTheWritersShards: a table's generation moves on
// with a bump by any group-commit writer, in whichever shard row it
// lands, seen from a second server on the same database too.
func TestGenerationSumsTheWritersShards(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		dsn := e.DSN(t)
		ctx := context.Background()
		open := func() *sqldb.DB {
			db, err := sqldb.Open(ctx, dsn, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		db := open()
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		other := open()
		prev, err := other.Generation(ctx, "demands")
		if err != nil {
			t.Fatal(err)
		}
		for _, shard := range []int{3, 3, 0, 1, 2, 0} {
			if err := db.BumpGenerationIn(ctx, "demands", shard); err != nil {
				t.Fatal(err)
			}
			got, err := other.Generation(ctx, "demands")
			if err != nil {
				t.Fatal(err)
			}
			if got != prev+1 {
				t.Fatalf("after a bump in shard %d: generation %d, want %d", shard, got, prev+1)
			}
			prev = got
		}
	})
}

// TestTransactionsEndOnTheServer: on PostgreSQL a transaction's BEGIN
// goes with its first round trip and its COMMIT with its last. One rolled
// back before or after it reached the server, or whose queued statement
// fails at the commit, writes nothing and hands its connection back
// outside any transaction: with a pool of one connection, the next
// statement runs on that same connection (pgx would drop one handed back
// inside a transaction, at the cost of a new connection) and sees none
// of it.
func TestTransactionsEndOnTheServer(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, nil)
		ctx := context.Background()
		backend := func() int64 { return 0 }
		if db.IsPostgres() {
			db.SQL().SetMaxOpenConns(1)
			backend = func() int64 {
				var pid int64
				if err := db.SQL().QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
					t.Fatal(err)
				}
				return pid
			}
		}
		pid := backend()
		ins := func(name string) string {
			return `INSERT INTO table_generations (name, n) VALUES ('` + name + `', 1)`
		}
		if _, err := db.SQL().ExecContext(ctx, ins("tx-dup")); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name         string
			read, commit bool
			later        []string
			wantErr      bool
		}{
			{"rolled back unsent", false, false, []string{ins("tx-a")}, false},
			{"rolled back after a read", true, false, []string{ins("tx-b")}, false},
			{"failing at the commit, unsent", false, true, []string{ins("tx-c"), ins("tx-dup")}, true},
			{"failing at the commit, after a read", true, true, []string{ins("tx-d"), ins("tx-dup")}, true},
		}
		for _, c := range cases {
			err := db.RunTx(ctx, c.read, c.later, c.commit)
			if c.wantErr != (err != nil) || (c.wantErr && !sqldb.IsUniqueViolation(err)) {
				t.Errorf("%s: %v, want a unique violation %v", c.name, err, c.wantErr)
			}
			var n int
			if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT COUNT(*) FROM table_generations WHERE name LIKE 'tx-%' AND name <> 'tx-dup'`)).Scan(&n); err != nil {
				t.Fatalf("%s: the next statement: %v", c.name, err)
			}
			if n != 0 {
				t.Errorf("%s: %d rows of a transaction that did not commit are visible", c.name, n)
			}
			if now := backend(); now != pid {
				t.Errorf("%s: the next statement ran on a new connection (backend %d, was %d)", c.name, now, pid)
				pid = now
			}
		}
		if err := db.RunTx(ctx, false, []string{ins("tx-e")}, true); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT COUNT(*) FROM table_generations WHERE name = 'tx-e'`)).Scan(&n); err != nil || n != 1 {
			t.Errorf("a committed transaction's row: %d (%v), want 1", n, err)
		}
	})
}

// TestBatchDrawsItsIDsAtOnce: on PostgreSQL the requests of a batch
// that insert demands draw their ids in one statement: consecutive,
// distinct, and above those of the batch before.
func TestBatchDrawsItsIDsAtOnce(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, nil)
		if !db.IsPostgres() {
			return // SQLite's INSERT returns its id in the same call
		}
		ctx := context.Background()
		var last int64
		for _, n := range []int{1, 5, 3} {
			ids := make([]int64, n)
			steps := make([]sqldb.BatchStep, n)
			for i := range steps {
				steps[i].DrawID = &ids[i]
			}
			for _, err := range db.RunOneBatch(ctx, steps) {
				if err != nil {
					t.Fatal(err)
				}
			}
			for i, id := range ids {
				if id <= last || (i > 0 && id != ids[i-1]+1) {
					t.Fatalf("batch of %d drew %v after %d, want consecutive ids above it", n, ids, last)
				}
			}
			last = ids[len(ids)-1]
		}
	})
}
