package sqldb_test

import (
	"context"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestReopenedDemandNotSolved: a 不满意 rating with "solved" ticked
// reopens the demand, and reopening clears "solved" (the 不满意 rating
// stays, for 满意率): the demand resolved again and closed without a new
// rating is closed but not solved, and 解决率 does not count it.
func TestReopenedDemandNotSolved(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		rates := sqldb.NewRatesService(f.db)
		d := f.file(t, f.ent, "不满意但勾选已解决")
		f.clock.Advance(time.Hour)
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已办结，已答复企业并告知办理依据"})
		d = f.act(t, f.ent, d, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingUnsatisfied, Solved: ptr(true), Note: "并不满意"})
		got, err := f.demands.FindDemandByID(f.dispatcher, d.ID)
		must(t, err)
		if got.Status != zhagen.DemandInProgress || got.Solved != nil || got.Rating != zhagen.RatingUnsatisfied || got.ReopenCount != 1 {
			t.Fatalf("after the 不满意 rating: status %s, solved %v, rating %q, reopened %d; want in_progress, nil, unsatisfied, 1",
				got.Status, got.Solved, got.Rating, got.ReopenCount)
		}
		total, _, err := rates.DemandRates(f.admin, zhagen.RatesFilter{})
		must(t, err)
		if total.Closed != 0 || total.Solved != 0 || total.Rated != 1 || total.Satisfied != 0 {
			t.Fatalf("rates of the reopened demand: %+v, want closed 0, solved 0, rated 1, satisfied 0", total)
		}
		d = f.act(t, f.staff, got, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "再次办结，已答复企业并告知办理依据"})
		f.act(t, f.dispatcher, d, zhagen.Transition{Action: zhagen.ActClose}) // left unrated
		total, _, err = rates.DemandRates(f.admin, zhagen.RatesFilter{})
		must(t, err)
		if total.Closed != 1 || total.Solved != 0 || total.Rated != 1 || total.Satisfied != 0 {
			t.Fatalf("rates after the reopened demand closed unrated: %+v, want closed 1, solved 0, rated 1, satisfied 0", total)
		}
	})
}

// TestResponseRateAtTheDeadline: a demand accepted exactly at its
// response due time was accepted in time; one accepted a second later
// was not.
func TestResponseRateAtTheDeadline(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		rates := sqldb.NewRatesService(f.db)
		exact := f.file(t, f.ent, "恰在时限签收")
		late := f.file(t, f.ent, "时限后一秒签收")
		due := *exact.ResponseDue
		if !late.ResponseDue.Equal(due) {
			t.Fatalf("fixture: response due %v and %v", due, late.ResponseDue)
		}
		f.clock.T = due
		f.act(t, f.staff, exact, zhagen.Transition{Action: zhagen.ActAccept})
		f.clock.T = due.Add(time.Second)
		f.act(t, f.staff, late, zhagen.Transition{Action: zhagen.ActAccept})
		total, _, err := rates.DemandRates(f.admin, zhagen.RatesFilter{})
		must(t, err)
		if total.DueForResponse != 2 || total.AcceptedInTime != 1 {
			t.Fatalf("rates %+v, want due for response 2, accepted in time 1 (the one accepted at the due time)", total)
		}
		r, _, err := rates.DemandRates(f.admin, zhagen.RatesFilter{})
		must(t, err)
		if rate, ok := r.ResponseRate(); !ok || rate != 0.5 {
			t.Fatalf("response rate %v %v, want 0.5", rate, ok)
		}
	})
}

// TestResponseDueForResponseAtTheDeadline: a demand not accepted is due
// for response from its response due time on, not a second before.
func TestResponseDueForResponseAtTheDeadline(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		rates := sqldb.NewRatesService(f.db)
		d := f.file(t, f.ent, "未签收")
		f.clock.T = d.ResponseDue.Add(-time.Second)
		total, _, err := rates.DemandRates(f.admin, zhagen.RatesFilter{})
		must(t, err)
		if total.DueForResponse != 0 {
			t.Fatalf("a second before the due time: %+v, want due for response 0", total)
		}
		f.clock.T = *d.ResponseDue
		total, _, err = rates.DemandRates(f.admin, zhagen.RatesFilter{})
		must(t, err)
		if total.DueForResponse != 1 || total.AcceptedInTime != 0 {
			t.Fatalf("at the due time: %+v, want due for response 1, accepted in time 0", total)
		}
	})
}

// TestResolutionRateCountsClosedOnly: 解决率's numerator counts the
// closed demands confirmed solved, and only closed ones: a row marked
// solved that is not closed (as a reopened demand once kept) counts in
// neither numerator nor denominator.
func TestResolutionRateCountsClosedOnly(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		rates := sqldb.NewRatesService(f.db)
		closed := f.file(t, f.ent, "已解决并关闭")
		open := f.file(t, f.ent, "办理中却标记已解决")
		f.clock.Advance(time.Hour)
		closed = f.act(t, f.staff, closed, zhagen.Transition{Action: zhagen.ActAccept})
		f.act(t, f.staff, open, zhagen.Transition{Action: zhagen.ActAccept})
		closed = f.act(t, f.staff, closed, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已办结，已答复企业并告知办理依据"})
		f.act(t, f.ent, closed, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: ptr(true)})
		if _, err := f.db.SQL().ExecContext(context.Background(), f.db.Rebind(`UPDATE demands SET solved = TRUE WHERE id = ?`), open.ID); err != nil {
			t.Fatal(err)
		}
		total, _, err := rates.DemandRates(f.admin, zhagen.RatesFilter{})
		must(t, err)
		if total.Closed != 1 || total.Solved != 1 {
			t.Fatalf("rates %+v, want closed 1, solved 1", total)
		}
		if r, ok := total.ResolutionRate(); !ok || r != 1 {
			t.Fatalf("resolution rate %v %v, want 1", r, ok)
		}
	})
}

// TestDemandTransitionStaleVersion: a transition naming a version other
// than the stored one, older or newer, is refused as stale and changes
// nothing; the current version goes through, and no version skips the
// check.
func TestDemandTransitionStaleVersion(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.ent, "版本")
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActUpdate, Note: "第一次进展"})
		for _, v := range []int64{d.Version - 1, d.Version + 1} {
			_, err := f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActUpdate, Note: "过期版本", Version: v})
			wantCode(t, err, zhagen.ECONFLICT)
			if zerr, ok := err.(*zhagen.Error); !ok || zerr.Field != "version" {
				t.Fatalf("version %d against %d: %v, want a conflict on version", v, d.Version, err)
			}
		}
		got, err := f.demands.FindDemandByID(f.staff, d.ID)
		must(t, err)
		if got.Version != d.Version || !got.UpdatedAt.Equal(d.UpdatedAt) {
			t.Fatalf("a stale transition changed the demand: version %d, want %d", got.Version, d.Version)
		}
		got = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActUpdate, Note: "当前版本", Version: d.Version})
		if got.Version != d.Version+1 {
			t.Fatalf("version after a current transition %d, want %d", got.Version, d.Version+1)
		}
	})
}
