package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// auditFixture is a demand fixture whose story has written a few dozen
// operation log entries: departments, enterprises, a category, users and
// a demand's steps.
func auditFixture(t *testing.T, e sqldbtest.Engine) (*demandFixture, int64) {
	f := newDemandFixture(t, e)
	d := f.file(t, f.cadre, "集成电路生产需要双回路电力保障")
	f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
	var n int64
	must(t, f.db.SQL().QueryRow(`SELECT COUNT(*) FROM op_logs`).Scan(&n))
	if n < 10 {
		t.Fatalf("only %d log entries", n)
	}
	// Demand steps are in the operation log, as their action.
	var steps int
	must(t, f.db.SQL().QueryRow(`SELECT COUNT(*) FROM op_logs WHERE object_type = '诉求' AND object_id = `+fmt.Sprint(d.ID)+` AND action = '签收'`).Scan(&steps))
	if steps != 1 {
		t.Fatalf("%d accept entries for the demand", steps)
	}
	return f, n
}

func exec(t *testing.T, db *sqldb.DB, q string) {
	t.Helper()
	if _, err := db.SQL().Exec(q); err != nil {
		t.Fatal(err)
	}
}

// sealedFixture is an audit fixture whose log is sealed in two seals.
func sealedFixture(t *testing.T, e sqldbtest.Engine) (*demandFixture, int64) {
	f, n := auditFixture(t, e)
	ctx := context.Background()
	rep, err := f.db.VerifyAudit(ctx)
	must(t, err)
	if !rep.OK() || rep.Sealed != 0 || rep.Unsealed != n {
		t.Fatalf("before sealing: %+v", rep)
	}
	sealed, err := f.db.SealAudit(ctx)
	must(t, err)
	if int64(sealed) != n {
		t.Fatalf("sealed %d of %d", sealed, n)
	}
	// Later entries join the chain at the next seal.
	must(t, f.depts.CreateDepartment(f.admin, &zhagen.Department{Name: "应急管理局", Kind: zhagen.DeptGov, ParentID: f.root.ID}))
	if sealed, err = f.db.SealAudit(ctx); err != nil || sealed != 1 {
		t.Fatalf("second seal took %d: %v", sealed, err)
	}
	n++
	rep, err = f.db.VerifyAudit(ctx)
	must(t, err)
	if !rep.OK() || rep.Sealed != n || rep.Unsealed != 0 {
		t.Fatalf("sealed chain: %+v", rep)
	}
	return f, n
}

// TestAuditChainFindsTampering seals the log, then alters, removes and
// forges entries behind the application's back: verify names the first
// entry concerned each time.
func TestAuditChainFindsTampering(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		older := `at - INTERVAL '1 hour'`
		if e.Name == "sqlite" {
			older = `'2020-01-01 00:00:00+00:00'`
		}
		for _, c := range []struct {
			name    string
			sql     func(n int64) string
			seq     func(n int64) int64
			problem sqldb.AuditProblem
		}{
			{"summary altered", func(int64) string { return `UPDATE op_logs SET summary = summary || '!' WHERE seq = 5` }, func(int64) int64 { return 5 }, sqldb.AuditAltered},
			{"time altered", func(int64) string { return `UPDATE op_logs SET at = ` + older + ` WHERE seq = 7` }, func(int64) int64 { return 7 }, sqldb.AuditAltered},
			{"actor altered", func(int64) string { return `UPDATE op_logs SET user_name = '别人' WHERE seq = 2` }, func(int64) int64 { return 2 }, sqldb.AuditAltered},
			{"entry removed", func(int64) string { return `DELETE FROM op_logs WHERE seq = 3` }, func(int64) int64 { return 3 }, sqldb.AuditMissing},
			{"tail removed", func(n int64) string { return fmt.Sprintf(`DELETE FROM op_logs WHERE seq >= %d`, n-1) }, func(n int64) int64 { return n - 1 }, sqldb.AuditMissing},
			{"entry appended", func(n int64) string {
				return fmt.Sprintf(`INSERT INTO op_logs (user_id, user_name, action, object_type, object_id, summary, ip, at, seq, hash)
					SELECT user_id, user_name, action, object_type, object_id, summary, ip, at, seq + 1, hash FROM op_logs WHERE seq = %d`, n)
			}, func(n int64) int64 { return n + 1 }, sqldb.AuditAltered},
			{"well-chained entry appended", nil, nil, sqldb.AuditHead},
		} {
			t.Run(c.name, func(t *testing.T) {
				f, n := sealedFixture(t, e)
				if c.sql == nil {
					// A tamperer who knows the hash appends a well-chained
					// entry: only the head tells.
					var prev string
					must(t, f.db.SQL().QueryRow(fmt.Sprintf(`SELECT hash FROM op_logs WHERE seq = %d`, n)).Scan(&prev))
					l := &zhagen.OpLog{ID: 9999, UserName: "伪造", Action: "删除", ObjectType: "诉求", At: f.clock.T}
					if _, err := f.db.SQL().Exec(f.db.Rebind(`INSERT INTO op_logs (id, user_id, user_name, action, object_type, object_id, summary, ip, at, seq, hash)
						VALUES (9999, 0, ?, ?, ?, 0, '', '', ?, ?, ?)`), l.UserName, l.Action, l.ObjectType, l.At.UTC(), n+1, sqldb.AuditHash(prev, n+1, l)); err != nil {
						t.Fatal(err)
					}
					rep, err := f.db.VerifyAudit(context.Background())
					must(t, err)
					if rep.Problem != sqldb.AuditHead {
						t.Fatalf("well-chained forgery: %+v", rep)
					}
					return
				}
				exec(t, f.db, c.sql(n))
				rep, err := f.db.VerifyAudit(context.Background())
				must(t, err)
				if rep.Problem != c.problem || rep.Seq != c.seq(n) {
					t.Fatalf("%+v, want entry %d %s", rep, c.seq(n), c.problem)
				}
			})
		}
	})
}

// TestAuditSealersRace: sealers running at once (several servers on one
// database) seal every entry exactly once, into one chain.
func TestAuditSealersRace(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f, n := auditFixture(t, e)
		ctx := context.Background()
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k, err := f.db.SealAudit(ctx)
				if err != nil && zhagen.ErrorCode(err) != zhagen.ECONFLICT && !strings.Contains(err.Error(), "lock") {
					t.Error(err)
				}
				mu.Lock()
				total += k
				mu.Unlock()
			}()
		}
		wg.Wait()
		if _, err := f.db.SealAudit(ctx); err != nil {
			t.Fatal(err)
		}
		rep, err := f.db.VerifyAudit(ctx)
		must(t, err)
		if !rep.OK() || rep.Sealed != n || rep.Unsealed != 0 {
			t.Fatalf("after racing sealers (%d sealed by them): %+v", total, rep)
		}
	})
}
