package sqldb_test

import (
	"context"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestDemandRates walks hand-built demands to known states and checks
// the exact counts and ratios of the three rates, per lead department,
// by scope and by filter.
func TestDemandRates(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		rates := sqldb.NewRatesService(f.db)
		planCat := &zhagen.Category{Code: "planning", Name: "规划许可", LeadDeptID: f.planning.ID, DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA()}
		must(t, f.cats.CreateCategory(f.admin, planCat))
		otherCat := &zhagen.Category{Code: "other", Name: "其他", DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA()}
		must(t, f.cats.CreateCategory(f.admin, otherCat))
		fileIn := func(cat int64, title string) *zhagen.Demand {
			d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: cat, Title: title, Description: "说明"}
			must(t, f.demands.CreateDemand(f.ent, d, ""))
			return d
		}
		accept := zhagen.Transition{Action: zhagen.ActAccept}
		resolve := zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已办结，已答复企业并告知办理依据"}
		rate := func(r zhagen.Rating, solved bool) zhagen.Transition {
			return zhagen.Transition{Action: zhagen.ActRate, Rating: r, Solved: ptr(solved)}
		}

		// Monday 2026-11-02 09:00; the response is due Tuesday 09:00.
		onTime := f.file(t, f.ent, "按时签收、满意、已解决")
		late := f.file(t, f.ent, "超时签收、基本满意、未解决")
		never := f.file(t, f.ent, "超时未签收")
		unhappy := f.file(t, f.ent, "按时签收、不满意")
		early := f.file(t, f.ent, "时限前撤回")
		lateWithdrawn := f.file(t, f.ent, "超时后撤回")
		autoClosed := f.file(t, f.ent, "按时签收、逾期未评价自动关闭")
		planned := fileIn(planCat.ID, "规划许可咨询")
		unrouted := fileIn(otherCat.ID, "未分派")
		if unrouted.LeadDeptID != 0 || never.ResponseDue == nil {
			t.Fatalf("fixture: %+v", unrouted)
		}

		f.clock.Advance(time.Hour)
		for _, d := range []*zhagen.Demand{onTime, unhappy, autoClosed} {
			f.act(t, f.staff, d, accept)
		}
		f.act(t, f.planStaff, planned, accept)
		f.act(t, f.ent, early, zhagen.Transition{Action: zhagen.ActWithdraw})

		// Tuesday 10:00: an hour past the response due time.
		f.clock.Advance(24 * time.Hour)
		f.act(t, f.staff, late, accept)
		f.act(t, f.ent, lateWithdrawn, zhagen.Transition{Action: zhagen.ActWithdraw})
		for _, d := range []*zhagen.Demand{onTime, late, unhappy, autoClosed} {
			f.act(t, f.staff, d, resolve)
		}
		f.act(t, f.ent, onTime, rate(zhagen.RatingSatisfied, true))
		f.act(t, f.ent, late, rate(zhagen.RatingBasically, false))
		if d := f.act(t, f.ent, unhappy, rate(zhagen.RatingUnsatisfied, false)); d.Status != zhagen.DemandInProgress {
			t.Fatalf("unsatisfied rating reopens: %s", d.Status)
		}
		f.act(t, f.dispatcher, autoClosed, zhagen.Transition{Action: zhagen.ActClose})
		// Filed now: neither accepted nor yet due.
		notDue := f.file(t, f.ent, "尚未到响应时限")

		edb := zhagen.DemandRates{DueForResponse: 6, AcceptedInTime: 3, Closed: 3, Solved: 1, Rated: 3, Satisfied: 2}
		plan := zhagen.DemandRates{DueForResponse: 1, AcceptedInTime: 1}
		none := zhagen.DemandRates{DueForResponse: 1}
		all := zhagen.DemandRates{DueForResponse: 8, AcceptedInTime: 4, Closed: 3, Solved: 1, Rated: 3, Satisfied: 2}

		check := func(name string, ctx context.Context, fl zhagen.RatesFilter, wantTotal zhagen.DemandRates, want ...zhagen.DeptRates) {
			t.Helper()
			total, by, err := rates.DemandRates(ctx, fl)
			must(t, err)
			if total != wantTotal {
				t.Fatalf("%s: total %+v, want %+v", name, total, wantTotal)
			}
			if len(by) != len(want) {
				t.Fatalf("%s: by dept %+v, want %+v", name, by, want)
			}
			for i := range want {
				if by[i] != want[i] {
					t.Fatalf("%s: dept %d = %+v, want %+v", name, i, by[i], want[i])
				}
			}
		}
		edbRow := zhagen.DeptRates{DeptID: f.edb.ID, DeptName: f.edb.Name, DemandRates: edb}
		planRow := zhagen.DeptRates{DeptID: f.planning.ID, DeptName: f.planning.Name, DemandRates: plan}
		noneRow := zhagen.DeptRates{DemandRates: none}
		check("admin", f.admin, zhagen.RatesFilter{}, all, edbRow, planRow, noneRow)
		check("leader", f.user(t, "leader", zhagen.RoleLeader, f.root.ID, 0), zhagen.RatesFilter{}, all, edbRow, planRow, noneRow)
		check("dispatcher", f.dispatcher, zhagen.RatesFilter{}, all, edbRow, planRow, noneRow)
		check("staff", f.staff, zhagen.RatesFilter{}, edb, edbRow)
		check("planning staff", f.planStaff, zhagen.RatesFilter{}, plan, planRow)
		// The power company only cooperates: it leads nothing.
		check("cooperating staff", f.supplyStaff, zhagen.RatesFilter{}, zhagen.DemandRates{})
		check("dept filter", f.admin, zhagen.RatesFilter{DeptID: f.planning.ID}, plan, planRow)
		check("dept filter with children", f.admin, zhagen.RatesFilter{DeptID: f.root.ID}, edb.Add(plan), edbRow, planRow)
		check("category filter", f.admin, zhagen.RatesFilter{CategoryID: otherCat.ID}, none, noneRow)
		monday := time.Date(2026, 11, 2, 0, 0, 0, 0, zhagen.Shanghai)
		tuesday := monday.AddDate(0, 0, 1)
		check("to Monday", f.admin, zhagen.RatesFilter{From: monday, To: monday}, all, edbRow, planRow, noneRow)
		check("from Tuesday", f.admin, zhagen.RatesFilter{From: tuesday}, zhagen.DemandRates{},
			zhagen.DeptRates{DeptID: f.edb.ID, DeptName: f.edb.Name})

		// Ratios: ok=false on an empty denominator.
		if r, ok := all.ResponseRate(); !ok || r != 0.5 {
			t.Fatalf("response rate %v %v", r, ok)
		}
		if r, ok := all.ResolutionRate(); !ok || r != 1.0/3 {
			t.Fatalf("resolution rate %v %v", r, ok)
		}
		if r, ok := all.SatisfactionRate(); !ok || r != 2.0/3 {
			t.Fatalf("satisfaction rate %v %v", r, ok)
		}
		if _, ok := plan.ResolutionRate(); ok {
			t.Fatal("resolution rate without closed demands is ok")
		}

		// The clock moves on: the last demand passes its response due time
		// without being accepted.
		f.clock.Advance(48 * time.Hour)
		total, _, err := rates.DemandRates(f.admin, zhagen.RatesFilter{})
		must(t, err)
		if total.DueForResponse != 9 || total.AcceptedInTime != 4 {
			t.Fatalf("after the due time of #%d: %+v", notDue.ID, total)
		}

		_, _, err = rates.DemandRates(f.cadre, zhagen.RatesFilter{})
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, _, err = rates.DemandRates(f.ent, zhagen.RatesFilter{})
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, _, err = rates.DemandRates(f.admin, zhagen.RatesFilter{From: tuesday, To: monday})
		wantCode(t, err, zhagen.EINVALID)
	})
}

// TestRatesCountConfirmedProjectProblems: a problem raised on a key
// project owned by a department has no enterprise to rate it; the
// command centre's close confirms it in place of one and records whether
// it was solved, so the lead department's resolution rate counts it (it
// used to keep solved null: 0 %). The scheduled close of an unrated
// demand confirms nothing, and an enterprise's own demand is confirmed
// only by the enterprise's rating.
func TestRatesCountConfirmedProjectProblems(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		rates := sqldb.NewRatesService(f.db)
		raise := func(title string) *zhagen.Demand {
			t.Helper()
			d := &zhagen.Demand{ProjectID: f.lab.ID, CategoryID: f.building.ID, Title: title, Description: "施工中需协调解决"}
			must(t, f.demands.CreateDemand(f.liaison, d, ""))
			if d.EnterpriseID != 0 || d.LeadDeptID != f.construction.ID {
				t.Fatalf("project problem %+v", d)
			}
			f.act(t, f.buildStaff, d, zhagen.Transition{Action: zhagen.ActAccept})
			return f.act(t, f.buildStaff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已协调解决，已答复企业并告知办理依据"})
		}
		solved, unsolved, auto := raise("D区3号楼层高变更"), raise("临时用水接驳"), raise("渣土外运许可")

		// The dispatcher's close is the owner's confirmation: it says
		// whether the problem is solved.
		_, err := f.demands.Transition(f.dispatcher, solved.ID, zhagen.Transition{Action: zhagen.ActClose, Note: "业主单位确认问题已解决。"})
		if zhagen.ErrorCode(err) != zhagen.EINVALID || zhagen.FieldErrors(err)["solved"] == "" {
			t.Fatalf("close without saying whether it is solved: %v", err)
		}
		d := f.act(t, f.dispatcher, solved, zhagen.Transition{Action: zhagen.ActClose, Solved: ptr(true), Note: "业主单位确认问题已解决。"})
		if d.Status != zhagen.DemandClosed || d.Solved == nil || !*d.Solved {
			t.Fatalf("confirmed solved: %s %v", d.Status, d.Solved)
		}
		f.act(t, f.dispatcher, unsolved, zhagen.Transition{Action: zhagen.ActClose, Solved: ptr(false), Note: "业主单位反映仍未解决，另行协调。"})
		if d := f.act(t, f.admin, auto, zhagen.Transition{Action: zhagen.ActClose}); d.Solved != nil {
			t.Fatalf("the scheduled close confirmed %v", *d.Solved)
		}

		// An enterprise's demand is not confirmed in the enterprise's place.
		own := f.file(t, f.ent, "企业自己的诉求")
		f.act(t, f.staff, own, zhagen.Transition{Action: zhagen.ActAccept})
		f.act(t, f.staff, own, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已办结，已答复企业并告知办理依据"})
		_, err = f.demands.Transition(f.dispatcher, own.ID, zhagen.Transition{Action: zhagen.ActClose, Solved: ptr(true)})
		if zhagen.FieldErrors(err)["solved"] == "" {
			t.Fatalf("close in place of the enterprise: %v", err)
		}

		total, by, err := rates.DemandRates(f.leader, zhagen.RatesFilter{DeptID: f.construction.ID})
		must(t, err)
		want := zhagen.DemandRates{DueForResponse: 3, AcceptedInTime: 3, Closed: 3, Solved: 1}
		if total != want || len(by) != 1 || by[0].DemandRates != want {
			t.Fatalf("construction rates %+v %+v, want %+v", total, by, want)
		}
		if r, ok := total.ResolutionRate(); !ok || r < 0.33 || r > 0.34 {
			t.Fatalf("resolution rate %v %v, want 1/3", r, ok)
		}
	})
}
