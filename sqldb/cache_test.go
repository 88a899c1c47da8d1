package sqldb_test

import (
	"context"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestRenamedDepartmentNotCached: a category carries its lead department's
// name and an actor its department's; renaming the department shows at
// once in both, and a demand filed afterwards copies the new name.
func TestRenamedDepartmentNotCached(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		c, err := f.cats.FindCategoryByID(f.cadre, f.power.ID) // fills the cache
		must(t, err)
		if c.LeadDeptName != f.edb.Name {
			t.Fatalf("lead department %q, want %q", c.LeadDeptName, f.edb.Name)
		}
		u := &zhagen.User{Login: "tok", Name: "tok", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: f.edb.ID, Password: f.password}
		must(t, f.users.CreateUser(f.admin, u))
		tok, err := f.auth.CreateToken(f.admin, u.ID, "test", 0)
		must(t, err)
		_, err = f.auth.ActorByToken(context.Background(), tok.Token) // fills the cache
		must(t, err)

		newName := "经济发展和科技局"
		_, err = f.depts.UpdateDepartment(f.admin, f.edb.ID, zhagen.DepartmentUpdate{Version: f.edb.Version, Name: &newName})
		must(t, err)

		c, err = f.cats.FindCategoryByID(f.cadre, f.power.ID)
		must(t, err)
		if c.LeadDeptName != newName {
			t.Fatalf("lead department after the rename %q, want %q", c.LeadDeptName, newName)
		}
		d := f.file(t, f.cadre, "改名之后")
		if d.LeadDeptName != newName {
			t.Fatalf("demand's lead department %q, want %q", d.LeadDeptName, newName)
		}
		a, err := f.auth.ActorByToken(context.Background(), tok.Token)
		must(t, err)
		if a.DeptName != newName {
			t.Fatalf("actor's department %q, want %q", a.DeptName, newName)
		}
	})
}

// TestSLALevelBackToOKRecounted: a demand whose warning level returns to
// normal (the job run at an earlier time, as after an extension) leaves
// the counted list of overdue demands at once.
func TestSLALevelBackToOKRecounted(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.cadre, "时限")
		ctx := context.Background()
		res, err := f.demands.RunSLAJob(ctx, f.clock.T.AddDate(0, 2, 0))
		must(t, err)
		if res.Red != 1 {
			t.Fatalf("red job %+v", res)
		}
		_, total, err := f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{Level: zhagen.SLARed})
		must(t, err)
		if total != 1 {
			t.Fatalf("%d overdue demands, want 1", total)
		}
		// As when a calendar change moved the limit: the ladder job finds
		// the stored level wrong and has the next SLA run look again.
		_, err = f.db.SQL().ExecContext(ctx, f.db.Rebind(`UPDATE demands SET watch_at = ? WHERE id = ?`), f.clock.T.UTC(), d.ID)
		must(t, err)
		_, err = f.demands.RunSLAJob(ctx, f.clock.T)
		must(t, err)
		got, err := f.demands.FindDemandByID(f.dispatcher, d.ID)
		must(t, err)
		if got.SLALevel != zhagen.SLAOK {
			t.Fatalf("level %s, want ok", got.SLALevel)
		}
		_, total, err = f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{Level: zhagen.SLARed})
		must(t, err)
		if total != 0 {
			t.Fatalf("%d overdue demands after the level returned to ok, want 0", total)
		}
	})
}

// TestAssignNoteNamesDepartments: the timeline note of an assignment
// names the lead and cooperating departments.
func TestAssignNoteNamesDepartments(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.cadre, "改派")
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActReturn, Note: "属规划事项"})
		f.act(t, f.dispatcher, d, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: f.planning.ID, CoopDeptIDs: []int64{f.supply.ID, f.edb.ID}, Note: "请协同"})
		events, err := f.demands.FindDemandEvents(f.dispatcher, d.ID)
		must(t, err)
		want := "分派：主办 " + f.planning.Name + "，协办 " + f.supply.Name + "、" + f.edb.Name + "。请协同"
		for _, ev := range events {
			if ev.Action == zhagen.ActAssign && ev.Note == want {
				return
			}
		}
		t.Fatalf("no assignment event noting %q in %d events", want, len(events))
	})
}

// TestLevelChangeKeepsCountsThatDoNotReadIt: the SLA job moving a
// demand's warning level recounts the lists filtered by level and leaves
// the counts that do not read it (the whole list) in the cache; filing a
// demand recounts both.
func TestLevelChangeKeepsCountsThatDoNotReadIt(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		f.file(t, f.cadre, "时限")
		ctx := context.Background()
		counts := 0
		f.db.OnCount(func(query bool) {
			if query {
				counts++
			}
		})
		defer f.db.OnCount(nil)
		total := func(fl zhagen.DemandFilter) int {
			_, n, err := f.demands.FindDemands(f.dispatcher, fl)
			must(t, err)
			return n
		}
		all, red := zhagen.DemandFilter{}, zhagen.DemandFilter{Level: zhagen.SLARed}
		if a, r := total(all), total(red); a != 1 || r != 0 || counts != 2 {
			t.Fatalf("totals %d and %d in %d counts, want 1 and 0 in 2", a, r, counts)
		}
		res, err := f.demands.RunSLAJob(ctx, f.clock.T.AddDate(0, 2, 0))
		must(t, err)
		if res.Red != 1 {
			t.Fatalf("red job %+v", res)
		}
		counts = 0
		if a, r := total(all), total(red); a != 1 || r != 1 || counts != 1 {
			t.Errorf("after the level changed: totals %d and %d in %d counts, want 1 and 1 in 1 (the red list only)", a, r, counts)
		}
		f.file(t, f.cadre, "用水")
		counts = 0
		if a, r := total(all), total(red); a != 2 || r != 1 || counts != 2 {
			t.Errorf("after a filing: totals %d and %d in %d counts, want 2 and 1 in 2", a, r, counts)
		}
	})
}
