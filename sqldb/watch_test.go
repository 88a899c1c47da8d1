package sqldb_test

import (
	"context"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// openCount counts the open demands of the fixture.
func (f *ladderFixture) openCount(t *testing.T) int {
	t.Helper()
	var n int
	must(t, f.db.SQL().QueryRow(`SELECT COUNT(*) FROM demands WHERE is_open = TRUE`).Scan(&n))
	return n
}

// watchOf returns the stored watch time of demand id; zero when none.
func (f *ladderFixture) watchOf(t *testing.T, id int64) time.Time {
	t.Helper()
	var w *time.Time
	must(t, f.db.SQL().QueryRow(f.db.Rebind(`SELECT watch_at FROM demands WHERE id = ?`), id).Scan(&w))
	if w == nil {
		return time.Time{}
	}
	return *w
}

// TestLadderLooksOnlyAtDueDemands: the first ladder run of a process looks
// at every open demand; later runs only at those whose next step has come,
// until the ladder rules change.
func TestLadderLooksOnlyAtDueDemands(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLadderFixture(t, e)
		f.clock.T = at(9, 30, 16, 0)
		var ds []*zhagen.Demand
		for _, title := range []string{"用电甲", "用电乙", "用电丙"} {
			d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Priority: zhagen.PriorityHigh, Title: title, Description: "d",
				Answers: zhagen.Answers{"load_kw": {"1"}}}
			must(t, f.demands.CreateDemand(f.dispatcher, d, ""))
			ds = append(ds, d)
		}
		// Filed with the response limit as their first step.
		for _, d := range ds {
			if w := f.watchOf(t, d.ID); !w.Equal(at(10, 8, 11, 0)) {
				t.Fatalf("filed: watch %v, want the response limit", w.In(zhagen.Shanghai))
			}
		}
		ctx := context.Background()
		look := func(now time.Time, want int) sqldb.LadderResult {
			t.Helper()
			f.clock.T = now
			res, err := f.sup.RunLadderJob(ctx, now)
			must(t, err)
			if res.Checked != want {
				t.Fatalf("%s: looked at %d demands, want %d", now.In(zhagen.Shanghai).Format("01-02 15:04"), res.Checked, want)
			}
			return res
		}
		open := f.openCount(t)
		look(at(9, 30, 16, 1), open)
		look(at(9, 30, 16, 2), 0)
		look(at(10, 8, 10, 59), 0)
		if res := look(at(10, 8, 11, 0), 3); res.Rungs[zhagen.RungResponseOverdue] != 3 {
			t.Fatalf("rungs %v, want three response overdue", res.Rungs)
		}
		look(at(10, 8, 11, 1), 0)
		// A demand accepted now is looked at again at its warning.
		f.clock.T = at(10, 8, 11, 2)
		f.act(t, f.staff, ds[0], zhagen.Transition{Action: zhagen.ActAccept})
		if w := f.watchOf(t, ds[0].ID); !w.After(f.clock.T) || !w.Before(at(10, 10, 16, 0)) {
			t.Fatalf("accepted: watch %v, want its warning before the limit", w.In(zhagen.Shanghai))
		}
		look(at(10, 8, 11, 3), 0)
		// A stricter rule moves every step: the next run looks at all.
		must(t, f.sup.SetLadderRule(f.admin, &zhagen.LadderRule{CategoryID: f.power.ID, WarnPct: 10, SuperviseDays: 0, ReplyHours: 8}))
		if res := look(at(10, 8, 11, 4), open); res.Rungs[zhagen.RungResolutionWarn] != 3 {
			t.Fatalf("rungs %v after the rule change, want three warnings", res.Rungs)
		}
		look(at(10, 8, 11, 5), 0)
		// The second server's first run looks at all too, and finds nothing new.
		f.clock.T = at(10, 8, 11, 6)
		res, err := f.servers[1].RunLadderJob(ctx, f.clock.T)
		must(t, err)
		if res.Checked != open || len(res.Rungs) != 0 {
			t.Fatalf("second server's first run: %+v, want %d looked at and no rung", res, open)
		}
	})
}

// TestLadderKeepsTheWatchOfAWriteMeanwhile: a demand paused between the
// ladder job's read and its moving the watch on keeps the watch the pause
// gave it (none: its clock stopped), not one worked out from the state read.
func TestLadderKeepsTheWatchOfAWriteMeanwhile(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLadderFixture(t, e)
		f.clock.T = at(9, 30, 16, 0)
		d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Priority: zhagen.PriorityHigh, Title: "用电", Description: "d",
			Answers: zhagen.Answers{"load_kw": {"1"}}}
		must(t, f.demands.CreateDemand(f.dispatcher, d, ""))
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		ctx := context.Background()
		_, err := f.sup.RunLadderJob(ctx, f.clock.T)
		must(t, err)
		warn := f.watchOf(t, d.ID)
		if warn.IsZero() {
			t.Fatal("accepted demand has no watch")
		}
		f.clock.T = warn.Add(time.Minute)
		defer sqldb.SetAfterLadderPage(func() {
			if _, err := f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActPause, Note: "请补充用电负荷测算"}); err != nil {
				t.Error(err)
			}
		})()
		res, err := f.sup.RunLadderJob(ctx, f.clock.T)
		must(t, err)
		if res.Checked != 1 || res.Rungs[zhagen.RungResolutionWarn] != 1 {
			t.Fatalf("run at the warning: %+v", res)
		}
		if w := f.watchOf(t, d.ID); !w.IsZero() {
			t.Fatalf("paused meanwhile: watch %v, want none", w.In(zhagen.Shanghai))
		}
	})
}
