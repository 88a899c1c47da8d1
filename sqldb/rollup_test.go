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

// TestRollupsMatchRecomputation walks demands through every workflow
// action at random (a fixed seed) over four months, with the SLA job
// running now and then, and checks after each phase that the kept
// rollups give, for every department and month, exactly the three
// rates' counts the full recomputation (DemandRates) gives, and the
// trend's other counts as recomputed here from the demands.
func TestRollupsMatchRecomputation(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		rates := sqldb.NewRatesService(f.db)
		other := &zhagen.Category{Code: "other", Name: "其他", DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA(), AutoCloseDays: 3}
		must(t, f.cats.CreateCategory(f.admin, other))
		actors := []context.Context{f.staff, f.planStaff, f.supplyStaff, f.dispatcher, f.ent}
		seed := uint64(20261103)
		rnd := func(n int) int {
			seed = seed*6364136223846793005 + 1442695040888963407
			return int((seed >> 33) % uint64(n))
		}
		var ds []*zhagen.Demand
		extensions := map[int64]int{}
		var again *zhagen.Demand // the demand the next step takes, when set
		followUps := sqldb.NewFollowUpService(f.db, f.demands)
		// followUp records a random result on an open follow-up, if any:
		// what the 回访核实率 counts moves with it.
		followUp := func() bool {
			open, _, err := followUps.FindFollowUps(f.admin, zhagen.FollowUpFilter{Status: "open", Limit: 100})
			must(t, err)
			if len(open) == 0 {
				return false
			}
			x := open[rnd(len(open))]
			rec := zhagen.FollowUpRecord{Result: []zhagen.FollowUpResult{zhagen.FollowUpSolved, zhagen.FollowUpUnsolved, zhagen.FollowUpUnreached}[rnd(3)],
				Method: zhagen.FollowUpPhone, Satisfaction: zhagen.RatingBasically, Note: "回访说明"}
			if rec.Result == zhagen.FollowUpUnreached {
				rec.Satisfaction = ""
			} else if x.Kind == zhagen.FollowUpWithdrawal {
				rec.Pressed = ptr(false)
			}
			_, err = followUps.RecordFollowUp(f.dispatcher, x.ID, rec)
			if zhagen.ErrorCode(err) == zhagen.ECONFLICT {
				return false // the demand was reopened meanwhile: an unsolved result cannot reopen it again
			}
			must(t, err)
			return true
		}
		start := f.clock.Now()
		phase := func(steps int) {
			for i := 0; i < steps; i++ {
				f.clock.Advance(time.Duration(rnd(40)) * time.Hour)
				if rnd(3) == 0 || len(ds) < 4 {
					cat := f.power.ID
					if rnd(3) == 0 {
						cat = other.ID
					}
					d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: cat, Title: fmt.Sprintf("诉求 %d", len(ds)), Description: "说明",
						Answers: zhagen.Answers{"load_kw": {"100"}}}
					if cat == other.ID {
						d.Answers = nil
					}
					must(t, f.demands.CreateDemand(f.ent, d, ""))
					ds = append(ds, d)
					continue
				}
				if rnd(10) == 0 && followUp() {
					continue
				}
				d := ds[rnd(len(ds))]
				if again != nil {
					d, again = again, nil // a request's answer (an extension's approval) follows it
				}
				cur, err := f.demands.FindDemandByID(f.admin, d.ID)
				must(t, err)
				type choice struct {
					ctx context.Context
					act zhagen.Action
				}
				var cs []choice
				for _, c := range actors {
					for _, act := range zhagen.ActorFromContext(c).AvailableActions(cur) {
						if act == zhagen.ActWaive {
							continue
						}
						n := 1 // the steps forward weigh more, so that demands get through
						switch act {
						case zhagen.ActAccept, zhagen.ActResolve, zhagen.ActRate, zhagen.ActResume, zhagen.ActApproveExtension, zhagen.ActAssign:
							n = 6
						case zhagen.ActPause, zhagen.ActExtend, zhagen.ActEscalate:
							n = 3
						}
						for range n {
							cs = append(cs, choice{c, act})
						}
					}
				}
				if len(cs) == 0 {
					continue
				}
				c := cs[rnd(len(cs))]
				tr := zhagen.Transition{Action: c.act, Note: "说明"}
				switch c.act {
				case zhagen.ActAssign:
					tr.LeadDeptID = []int64{f.edb.ID, f.planning.ID, f.supply.ID}[rnd(3)]
					tr.Priority = []zhagen.Priority{"", zhagen.PriorityHigh, zhagen.PriorityLow}[rnd(3)]
				case zhagen.ActExtend:
					tr.Days = 1 + rnd(5)
				case zhagen.ActApproveExtension:
					tr.Approve = ptr(rnd(3) != 0)
				case zhagen.ActResolve:
					tr.Resolution = "已协调相关部门办理完毕，并书面答复企业。"
				case zhagen.ActRate:
					tr.Rating = []zhagen.Rating{zhagen.RatingSatisfied, zhagen.RatingBasically, zhagen.RatingUnsatisfied}[rnd(3)]
					tr.Solved = ptr(rnd(4) != 0)
				case zhagen.ActEscalate:
					tr.Consultation = "联合会诊"
				case zhagen.ActMerge, zhagen.ActLink:
					tr.TargetID = ds[rnd(len(ds))].ID
				case zhagen.ActResume:
					tr.Supplement = "已补充"
				}
				got, err := f.demands.Transition(c.ctx, d.ID, tr)
				if code := zhagen.ErrorCode(err); code == zhagen.EINVALID || code == zhagen.ECONFLICT {
					continue // a merge into itself or a closed master, an item still open
				}
				must(t, err)
				if c.act == zhagen.ActExtend && rnd(2) == 0 {
					again = d
				}
				if c.act == zhagen.ActApproveExtension && *tr.Approve {
					extensions[got.ID]++
				}
			}
		}
		check := func() {
			t.Helper()
			now := f.clock.Now()
			trend, err := rates.DemandTrend(f.admin, zhagen.TrendFilter{From: start.Format("2006-01"), To: now.In(zhagen.Shanghai).Format("2006-01")})
			must(t, err)
			all, _, err := f.demands.FindDemands(f.admin, zhagen.DemandFilter{Limit: 1000})
			must(t, err)
			type key struct {
				dept  int64
				month string
			}
			want := map[key]zhagen.TrendCounts{}
			for _, d := range all {
				k := key{d.LeadDeptID, d.CreatedAt.In(zhagen.Shanghai).Format("2006-01")}
				c := want[k]
				c.Submitted++
				c.Open += b(d.Status.Open())
				c.Awaiting += b(d.Status == zhagen.DemandResolved)
				c.Withdrawn += b(d.Status == zhagen.DemandWithdrawn || d.Status == zhagen.DemandMerged)
				c.Accepted += b(d.AcceptedAt != nil)
				c.Resolved += b(d.ResolvedAt != nil)
				c.Returns += d.ReturnCount
				c.Extensions += extensions[d.ID]
				late := d.ResolvedAt != nil && d.ResolvedAt.After(*d.ResolutionDue)
				running := d.ResolvedAt == nil && d.Status.Open() && d.Status != zhagen.DemandWaiting && !d.ResolutionDue.After(now)
				c.Overdue += b(late || running)
				want[k] = c
			}
			months := 0
			for m := start; !m.After(now); m = m.AddDate(0, 1, 0) {
				months++
				first := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, zhagen.Shanghai)
				_, byDept, err := rates.RecomputeRates(f.admin, zhagen.RatesFilter{From: first, To: first.AddDate(0, 1, -1)})
				must(t, err)
				// The kept rates of any period equal the recomputed ones:
				// the month, and a span of days across two months.
				for _, p := range []zhagen.RatesFilter{{From: first, To: first.AddDate(0, 1, -1)}, {From: first.AddDate(0, 0, 9), To: first.AddDate(0, 1, 4)}, {From: first.AddDate(0, 0, 3), To: first.AddDate(0, 0, 5)}} {
					wantTotal, wantBy, err := rates.RecomputeRates(f.admin, p)
					must(t, err)
					gotTotal, gotBy, err := rates.DemandRates(f.admin, p)
					must(t, err)
					if gotTotal != wantTotal || fmt.Sprint(gotBy) != fmt.Sprint(wantBy) {
						t.Errorf("%s–%s: kept %+v %v, recomputed %+v %v", p.From.Format("01-02"), p.To.Format("01-02"), gotTotal, gotBy, wantTotal, wantBy)
					}
				}
				got := map[int64]zhagen.DemandRates{}
				var gotN int
				for _, dt := range trend.Depts {
					for _, tm := range dt.Months {
						if tm.Month != first.Format("2006-01") {
							continue
						}
						if tm.Submitted > 0 {
							got[dt.DeptID] = tm.DemandRates
							gotN++
						}
						w := want[key{dt.DeptID, tm.Month}]
						w.DemandRates = tm.DemandRates
						g := tm.TrendCounts
						g.ResponseTimed, g.ResponseHours, g.ResolutionTimed, g.ResolutionHours = 0, 0, 0, 0
						if g != w {
							t.Errorf("%s dept %d: kept %+v, recomputed %+v", tm.Month, dt.DeptID, g, w)
						}
						if tm.Accepted != tm.ResponseTimed || tm.ResponseHours < 0 || (tm.Resolved > 0 && tm.ResolutionTimed == 0) {
							t.Errorf("%s dept %d: timed %d of %d accepted, %d of %d resolved", tm.Month, dt.DeptID, tm.ResponseTimed, tm.Accepted, tm.ResolutionTimed, tm.Resolved)
						}
					}
				}
				if len(byDept) != gotN {
					t.Errorf("%s: %d departments recomputed, %d kept", first.Format("2006-01"), len(byDept), gotN)
				}
				for _, r := range byDept {
					if got[r.DeptID] != r.DemandRates {
						t.Errorf("%s dept %d: kept %+v, recomputed %+v", first.Format("2006-01"), r.DeptID, got[r.DeptID], r.DemandRates)
					}
				}
			}
			if months < 2 {
				t.Fatalf("the walk spans %d month(s)", months)
			}
		}
		for range 4 {
			phase(80)
			check() // the due times passed since the last SLA run are read live
			_, err := f.demands.RunSLAJob(context.Background(), f.clock.Now())
			must(t, err)
			check() // and once recorded, kept
		}
		// Every action was taken at least once.
		seen := map[string]bool{}
		for _, d := range ds {
			evs, err := f.demands.FindDemandEvents(f.admin, d.ID)
			must(t, err)
			for _, ev := range evs {
				seen[string(ev.Action)] = true
			}
		}
		for _, act := range zhagen.WorkflowActions {
			if act != zhagen.ActWaive && !seen[string(act)] {
				t.Errorf("the walk never took %s", act)
			}
		}
	})
}

func b(v bool) int {
	if v {
		return 1
	}
	return 0
}
