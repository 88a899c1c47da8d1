package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

type linkFixture struct {
	*demandFixture
	links  *sqldb.LinkageService
	cadre2 context.Context
}

func newLinkFixture(t *testing.T, e sqldbtest.Engine) *linkFixture {
	f := &linkFixture{demandFixture: newDemandFixture(t, e)}
	f.links = sqldb.NewLinkageService(f.db, f.demands)
	f.cadre2 = f.user(t, "cadre2", zhagen.RoleCadre, f.edb.ID, 0)
	return f
}

func uid(ctx context.Context) int64 { return zhagen.ActorFromContext(ctx).UserID }

func TestVisitRedFlagRaisesAndClears(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		f.clock.T = time.Date(2026, 12, 1, 10, 0, 0, 0, zhagen.Shanghai) // after the visits below
		l := &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID, StartDate: "2026-10-01"}
		must(t, f.links.CreateLinkage(f.dispatcher, l))
		if l.CadenceDays != 30 || l.Role != zhagen.LinkContact {
			t.Fatalf("defaults: %+v", l)
		}
		v := &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-01", Kind: zhagen.VisitOnSite, Topics: "了解订单",
			Situation: &zhagen.Situation{PlansRelocate: true, OrdersChangePct: ptr(-10.0)}, Findings: "厂房租约到期，考虑外迁",
			PublicNotes: "感谢企业配合", InternalNotes: "外迁风险高"}
		must(t, f.links.CreateVisit(f.cadre, v))
		if len(v.Flags) != 1 || v.Flags[0] != "企业拟外迁" {
			t.Fatalf("flags of the visit: %v", v.Flags)
		}
		flags, err := f.links.FindRedFlags(f.dispatcher, true, 0)
		must(t, err)
		if len(flags) != 1 || flags[0].Reason != "企业拟外迁" || flags[0].VisitID != v.ID || flags[0].EnterpriseID != f.entA.ID {
			t.Fatalf("open flags: %+v", flags)
		}
		// The dispatcher was told.
		f.drain(t)
		notes, _, err := f.notes.FindNotifications(f.dispatcher, true, 10)
		must(t, err)
		if len(notes) == 0 || !strings.Contains(notes[0].Title, "风险预警") || !strings.Contains(notes[0].Title, f.entA.Name) {
			t.Fatalf("dispatcher notifications: %+v", notes)
		}
		// A later clean visit clears it; history is kept.
		clean := &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-20", Kind: zhagen.VisitPhone, Topics: "回访",
			Situation: &zhagen.Situation{OrdersChangePct: ptr(5.0)}}
		must(t, f.links.CreateVisit(f.cadre, clean))
		open, err := f.links.FindRedFlags(f.dispatcher, true, 0)
		must(t, err)
		if len(open) != 0 {
			t.Fatalf("flag still open after a clean visit: %+v", open)
		}
		all, err := f.links.FindRedFlags(f.dispatcher, false, f.entA.ID)
		must(t, err)
		if len(all) != 1 || all[0].ClearedAt == nil || all[0].ClearVisitID != clean.ID {
			t.Fatalf("history: %+v", all)
		}
		// Orders down 40 % raise a flag that a person clears with a note.
		down := &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-25", Topics: "订单", Situation: &zhagen.Situation{OrdersChangePct: ptr(-40.0)}}
		must(t, f.links.CreateVisit(f.cadre, down))
		open, _ = f.links.FindRedFlags(f.dispatcher, true, 0)
		if len(open) != 1 || open[0].Reason != "订单同比下降超过30%" {
			t.Fatalf("orders flag: %+v", open)
		}
		_, err = f.links.ClearRedFlag(f.cadre, open[0].ID, "已协调")
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, err = f.links.ClearRedFlag(f.dispatcher, open[0].ID, " ")
		wantCode(t, err, zhagen.EINVALID)
		cl, err := f.links.ClearRedFlag(f.dispatcher, open[0].ID, "已协调新订单")
		must(t, err)
		if cl.ClearNote != "已协调新订单" || cl.ClearedAt == nil {
			t.Fatalf("cleared: %+v", cl)
		}
	})
}

func TestVisitScopeAndDemandFromFinding(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID}))
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre2), EnterpriseID: f.entB.ID}))
		// A cadre cannot log a visit of an enterprise not linked to them.
		err := f.links.CreateVisit(f.cadre, &zhagen.Visit{EnterpriseID: f.entB.ID, Date: "2026-11-01", Topics: "x"})
		wantCode(t, err, zhagen.ENOTFOUND)
		err = f.links.CreateVisit(f.ent, &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-01", Topics: "x"})
		wantCode(t, err, zhagen.EFORBIDDEN)
		vb := &zhagen.Visit{EnterpriseID: f.entB.ID, Date: "2026-11-01", Topics: "乙公司走访", Findings: "缺人"}
		must(t, f.links.CreateVisit(f.cadre2, vb))
		_, err = f.links.FindVisitByID(f.cadre, vb.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		list, _, err := f.links.FindVisits(f.cadre, zhagen.VisitFilter{})
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("cadre sees another's visits: %+v", list)
		}
		va := &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-02", Topics: "用电", PublicNotes: "公开", InternalNotes: "内部",
			Findings: "二期厂房需要双回路供电\n负荷8000千瓦", Situation: &zhagen.Situation{Layoffs: ptr(0)}}
		must(t, f.links.CreateVisit(f.cadre, va))
		// The enterprise sees only the public part of its own visits.
		got, err := f.links.FindVisitByID(f.ent, va.ID)
		must(t, err)
		if got.PublicNotes != "公开" || got.InternalNotes != "" || got.Findings != "" || got.Situation != nil {
			t.Fatalf("enterprise view: %+v", got)
		}
		_, err = f.links.FindVisitByID(f.ent2, va.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		// Staff see their department's cadres' visits.
		sl, total, err := f.links.FindVisits(f.staff, zhagen.VisitFilter{})
		must(t, err)
		if total != 2 || len(sl) != 2 {
			t.Fatalf("staff sees %d visits", total)
		}
		sl, _, _ = f.links.FindVisits(f.supplyStaff, zhagen.VisitFilter{})
		if len(sl) != 0 {
			t.Fatalf("other department's staff see %d visits", len(sl))
		}
		// The finding becomes a demand in one step.
		d := &zhagen.Demand{CategoryID: f.power.ID, Answers: zhagen.Answers{"load_kw": {"8000"}}}
		must(t, f.links.DemandFromVisit(f.cadre, va.ID, d))
		if d.ID == 0 || d.EnterpriseID != f.entA.ID || d.Channel != zhagen.ChannelVisit || !strings.HasPrefix(d.Description, "二期厂房") ||
			d.Title != "走访发现：二期厂房需要双回路供电" {
			t.Fatalf("demand: %+v", d)
		}
		got, _ = f.links.FindVisitByID(f.cadre, va.ID)
		if got.DemandID != d.ID {
			t.Fatalf("visit demand_id %d, want %d", got.DemandID, d.ID)
		}
		// A second demand from the same finding is refused.
		wantCode(t, f.links.DemandFromVisit(f.cadre, va.ID, &zhagen.Demand{CategoryID: f.power.ID, Answers: zhagen.Answers{"load_kw": {"10"}}}), zhagen.ECONFLICT)
		wantCode(t, f.links.DemandFromVisit(f.cadre, vb.ID, &zhagen.Demand{CategoryID: f.power.ID}), zhagen.ENOTFOUND)
	})
}

func TestLinkageDueAndReminders(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		// today is 2026-11-02
		la := &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID, StartDate: "2026-09-01"}
		lb := &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entB.ID, StartDate: "2026-10-05", CadenceDays: 30}
		must(t, f.links.CreateLinkage(f.dispatcher, la))
		must(t, f.links.CreateLinkage(f.dispatcher, lb))
		wantCode(t, f.links.CreateLinkage(f.cadre, &zhagen.Linkage{CadreID: uid(f.cadre2), EnterpriseID: f.entA.ID}), zhagen.EFORBIDDEN)
		wantCode(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.staff), EnterpriseID: f.entA.ID}), zhagen.EINVALID)
		wantCode(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID}), zhagen.ECONFLICT)
		links, _, err := f.links.FindLinkages(f.cadre, zhagen.LinkageFilter{CadreID: uid(f.cadre)})
		must(t, err)
		due := map[int64]*zhagen.Linkage{}
		for _, l := range links {
			due[l.EnterpriseID] = l
		}
		if a := due[f.entA.ID]; a.NextDue != "2026-10-01" || !a.Overdue {
			t.Fatalf("entA due: %+v", a)
		}
		if b := due[f.entB.ID]; b.NextDue != "2026-11-04" || b.Overdue || !b.DueSoon {
			t.Fatalf("entB due: %+v", b)
		}
		res, err := f.links.RunVisitReminders(context.Background(), f.clock.Now())
		must(t, err)
		if res.Overdue != 1 || res.Due != 1 {
			t.Fatalf("reminders: %+v", res)
		}
		res, _ = f.links.RunVisitReminders(context.Background(), f.clock.Now())
		if res.Overdue+res.Due != 0 {
			t.Fatalf("second run on the same day reminded again: %+v", res)
		}
		f.drain(t)
		notes, unread, err := f.notes.FindNotifications(f.cadre, true, 10)
		must(t, err)
		if unread != 2 || len(notes) != 2 {
			t.Fatalf("cadre notifications: %d", unread)
		}
		f.clock.T = f.clock.T.Add(24 * time.Hour)
		res, _ = f.links.RunVisitReminders(context.Background(), f.clock.Now())
		if res.Overdue+res.Due != 2 {
			t.Fatalf("next day: %+v", res)
		}
		// A logged visit moves the due date; ending a linkage keeps it.
		must(t, f.links.CreateVisit(f.cadre, &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-03", Topics: "例行走访"}))
		cov, err := f.links.Coverage(f.leaderCtx(t))
		must(t, err)
		if cov.Total.Linked != 2 || cov.Total.Visited != 1 || cov.Total.Percent != 50 {
			t.Fatalf("coverage: %+v", cov.Total)
		}
		_, err = f.links.EndLinkage(f.dispatcher, la.ID, "2026-12-31")
		wantCode(t, err, zhagen.EINVALID) // not a future date: ending is at once
		ended, err := f.links.EndLinkage(f.dispatcher, la.ID, "")
		must(t, err)
		if ended.Active || ended.EndDate != "2026-11-03" {
			t.Fatalf("ended: %+v", ended)
		}
		all, _, _ := f.links.FindLinkages(f.dispatcher, zhagen.LinkageFilter{EnterpriseID: f.entA.ID})
		if len(all) != 1 || all[0].Active {
			t.Fatalf("history: %+v", all)
		}
		// Without the linkage the cadre can no longer log visits there.
		wantCode(t, f.links.CreateVisit(f.cadre, &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-03", Topics: "x"}), zhagen.ENOTFOUND)
	})
}

func (f *linkFixture) leaderCtx(t *testing.T) context.Context {
	return f.user(t, "leader", zhagen.RoleLeader, f.root.ID, 0)
}

func TestSuggestionAcceptSelected(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		// entA is key; no cadre is 处级 yet: infeasible, saying why.
		c, _ := zhagen.USCCCheckChar("91350100000000123")
		must(t, f.ents.CreateEnterprise(f.admin, &zhagen.Enterprise{Name: "丙公司", USCC: "91350100000000123" + string(c), Industry: "光电"}))
		key := true
		_, err := f.ents.UpdateEnterprise(f.admin, f.entA.ID, zhagen.EnterpriseUpdate{Version: f.entA.Version, IsKey: &key})
		must(t, err)
		sg, err := f.links.RunSuggestion(f.dispatcher, zhagen.SuggestionParams{Need: 1, Capacity: 2})
		must(t, err)
		if sg.Feasible || sg.Constraint != "senior" || !strings.Contains(sg.Message, "处级") {
			t.Fatalf("infeasible run: %+v", sg)
		}
		_, err = f.links.AcceptSuggestion(f.dispatcher, sg.ID, nil, "")
		wantCode(t, err, zhagen.ECONFLICT)
		rank := "副处级"
		u, err := f.users.FindUserByID(f.admin, uid(f.cadre2))
		must(t, err)
		_, err = f.users.UpdateUser(f.admin, u.ID, zhagen.UserUpdate{Version: u.Version, Rank: &rank, Expertise: &[]string{"集成电路"}})
		must(t, err)
		_, err = f.links.RunSuggestion(f.cadre, zhagen.SuggestionParams{})
		wantCode(t, err, zhagen.EFORBIDDEN)
		sg, err = f.links.RunSuggestion(f.dispatcher, zhagen.SuggestionParams{Need: 1, Capacity: 2})
		must(t, err)
		if !sg.Feasible || len(sg.Pairs) != 3 {
			t.Fatalf("run: %+v", sg)
		}
		var keyPair *zhagen.SuggestionPair
		perCadre := map[int64]int{}
		for _, p := range sg.Pairs {
			perCadre[p.CadreID]++
			if p.EnterpriseID == f.entA.ID {
				keyPair = p
			}
		}
		if keyPair == nil || keyPair.CadreID != uid(f.cadre2) || len(keyPair.Reasons) == 0 {
			t.Fatalf("key enterprise pair: %+v", keyPair)
		}
		for c, n := range perCadre {
			if n > 2 {
				t.Fatalf("cadre %d over capacity: %d", c, n)
			}
		}
		// Nothing changed yet.
		links, _, _ := f.links.FindLinkages(f.dispatcher, zhagen.LinkageFilter{})
		if len(links) != 0 {
			t.Fatalf("linkages before accepting: %d", len(links))
		}
		n, err := f.links.AcceptSuggestion(f.dispatcher, sg.ID, []int64{keyPair.ID}, "")
		must(t, err)
		links, _, _ = f.links.FindLinkages(f.dispatcher, zhagen.LinkageFilter{})
		if n != 1 || len(links) != 1 || links[0].EnterpriseID != f.entA.ID || links[0].SuggestionID != sg.ID {
			t.Fatalf("accepted %d: %+v", n, links)
		}
		_, err = f.links.AcceptSuggestion(f.dispatcher, sg.ID, []int64{999999}, "")
		wantCode(t, err, zhagen.EINVALID)
		tomorrow := f.clock.Now().In(zhagen.Shanghai).AddDate(0, 0, 1).Format("2006-01-02")
		_, err = f.links.AcceptSuggestion(f.dispatcher, sg.ID, nil, tomorrow)
		wantCode(t, err, zhagen.EINVALID)
		_, err = f.links.AcceptSuggestion(f.dispatcher, sg.ID, nil, "2026-13-01")
		wantCode(t, err, zhagen.EINVALID)
		// The rest began earlier: a past start date is kept.
		n, err = f.links.AcceptSuggestion(f.dispatcher, sg.ID, nil, "2026-06-01")
		must(t, err)
		if n != 2 {
			t.Fatalf("accept the rest: %d", n)
		}
		links, _, _ = f.links.FindLinkages(f.dispatcher, zhagen.LinkageFilter{EnterpriseID: f.entB.ID})
		if len(links) != 1 || links[0].StartDate != "2026-06-01" {
			t.Fatalf("start date of a backdated linkage: %+v", links)
		}
		// A new run fills only the gaps: none now; after a linkage ends,
		// one pair for that enterprise, within the cadres' remaining room.
		again, err := f.links.RunSuggestion(f.dispatcher, zhagen.SuggestionParams{Need: 1, Capacity: 2})
		must(t, err)
		if !again.Feasible || len(again.Pairs) != 0 || again.Enterprises != 0 {
			t.Fatalf("run with every enterprise linked: %+v", again)
		}
		links, _, _ = f.links.FindLinkages(f.dispatcher, zhagen.LinkageFilter{EnterpriseID: f.entB.ID})
		_, err = f.links.EndLinkage(f.dispatcher, links[0].ID, "")
		must(t, err)
		again, err = f.links.RunSuggestion(f.dispatcher, zhagen.SuggestionParams{Need: 1, Capacity: 2})
		must(t, err)
		if !again.Feasible || len(again.Pairs) != 1 || again.Pairs[0].EnterpriseID != f.entB.ID {
			t.Fatalf("run after ending entB's linkage: %+v", again)
		}
		created, err := f.links.AcceptSuggestion(f.dispatcher, again.ID, nil, "")
		must(t, err)
		yes := true
		active, _, _ := f.links.FindLinkages(f.dispatcher, zhagen.LinkageFilter{Active: &yes})
		load := map[int64]int{}
		for _, l := range active {
			load[l.CadreID]++
			if load[l.CadreID] > 2 {
				t.Fatalf("cadre %d over capacity after a second accept (%d created)", l.CadreID, created)
			}
		}
		if len(active) != 3 {
			t.Fatalf("%d active linkages, want 3", len(active))
		}
	})
}

// TestSuggestionAcceptStale: a run accepted after other linkages were
// made never puts a cadre over the run's capacity.
func TestSuggestionAcceptStale(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		c, _ := zhagen.USCCCheckChar("91350100000000123")
		must(t, f.ents.CreateEnterprise(f.admin, &zhagen.Enterprise{Name: "丙公司", USCC: "91350100000000123" + string(c), Industry: "光电"}))
		sg, err := f.links.RunSuggestion(f.dispatcher, zhagen.SuggestionParams{Need: 1, Capacity: 2})
		must(t, err)
		if !sg.Feasible || len(sg.Pairs) != 3 {
			t.Fatalf("run: %+v", sg)
		}
		per := map[int64]map[int64]bool{}
		var busy int64
		for _, p := range sg.Pairs {
			if per[p.CadreID] == nil {
				per[p.CadreID] = map[int64]bool{}
			}
			per[p.CadreID][p.EnterpriseID] = true
			if len(per[p.CadreID]) == 2 {
				busy = p.CadreID
			}
		}
		if busy == 0 {
			t.Fatalf("no cadre with two pairs: %+v", sg.Pairs)
		}
		var other int64
		for _, p := range sg.Pairs {
			if !per[busy][p.EnterpriseID] {
				other = p.EnterpriseID
			}
		}
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: busy, EnterpriseID: other, Role: zhagen.LinkParty}))
		_, err = f.links.AcceptSuggestion(f.dispatcher, sg.ID, nil, "")
		wantCode(t, err, zhagen.ECONFLICT)
		yes := true
		active, _, _ := f.links.FindLinkages(f.dispatcher, zhagen.LinkageFilter{Active: &yes})
		if len(active) != 1 {
			t.Fatalf("a refused accept left %d linkages", len(active))
		}
	})
}

// TestRedFlagRuleConfig: an administrator adds and turns off rules; a
// new rule applies to the next logged visit; others may not configure.
func TestRedFlagRuleConfig(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		err := f.links.CreateRedFlagRule(f.dispatcher, &zhagen.RedFlagRule{Field: "employees", Op: "<", Threshold: "50", Reason: "用工不足50人"})
		wantCode(t, err, zhagen.EFORBIDDEN)
		if !strings.Contains(err.Error(), "预警规则") {
			t.Fatalf("message %q", err)
		}
		wantCode(t, f.links.CreateRedFlagRule(f.admin, &zhagen.RedFlagRule{Field: "plans_relocate", Op: "<", Threshold: "1", Reason: "x"}), zhagen.EINVALID)
		r := &zhagen.RedFlagRule{Field: "employees", Op: "<", Threshold: "50", Reason: "用工不足50人"}
		must(t, f.links.CreateRedFlagRule(f.admin, r))
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID, StartDate: "2026-10-01"}))
		v := &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-01", Topics: "用工", Situation: &zhagen.Situation{Employees: ptr(30)}}
		must(t, f.links.CreateVisit(f.cadre, v))
		if len(v.Flags) != 1 || v.Flags[0] != "用工不足50人" {
			t.Fatalf("flags: %v", v.Flags)
		}
		wantCode(t, f.links.SetRedFlagRuleActive(f.dispatcher, r.ID, false), zhagen.EFORBIDDEN)
		must(t, f.links.SetRedFlagRuleActive(f.admin, r.ID, false))
		wantCode(t, f.links.SetRedFlagRuleActive(f.admin, 999999, false), zhagen.ENOTFOUND)
		v2 := &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-02", Topics: "用工", Situation: &zhagen.Situation{Employees: ptr(20)}}
		must(t, f.links.CreateVisit(f.cadre, v2))
		if len(v2.Flags) != 0 {
			t.Fatalf("a rule turned off still flags: %v", v2.Flags)
		}
	})
}

// TestVisitDateAndCoverageWindow: a logged visit cannot lie in the
// future (a planned one can); coverage counts an enterprise visited only
// when its last visit is within the cadence, even for a new linkage.
func TestVisitDateAndCoverageWindow(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e) // today is 2026-11-02
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID, StartDate: "2026-08-01"}))
		err := f.links.CreateVisit(f.cadre, &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-03", Topics: "明天"})
		wantCode(t, err, zhagen.EINVALID)
		if zerr, _ := err.(*zhagen.Error); zerr == nil || zerr.Field != "date" {
			t.Fatalf("error %v", err)
		}
		must(t, f.links.CreateVisit(f.cadre, &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-03", Status: zhagen.VisitPlanned, Topics: "明天"}))
		// Visited 60 days ago; the cadre2 linkage began 10 days ago.
		must(t, f.links.CreateVisit(f.cadre, &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-09-03", Topics: "早前走访"}))
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre2), EnterpriseID: f.entA.ID, StartDate: "2026-10-23", Role: zhagen.LinkOfficer}))
		cov, err := f.links.Coverage(f.leaderCtx(t))
		must(t, err)
		if cov.Total.Linked != 1 || cov.Total.Visited != 0 {
			t.Fatalf("coverage total: %+v", cov.Total)
		}
		for _, c := range cov.Cadres {
			if c.Visited != 0 {
				t.Fatalf("cadre %s counted as visited: %+v", c.Name, c)
			}
		}
	})
}

// TestCadreLinkageScope: a cadre reads the linkages and red flags of the
// enterprises linked to them only; overseers read all.
func TestCadreLinkageScope(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID, StartDate: "2026-10-01"}))
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre2), EnterpriseID: f.entB.ID, StartDate: "2026-10-01"}))
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre2), EnterpriseID: f.entA.ID, StartDate: "2026-10-01", Role: zhagen.LinkParty}))
		must(t, f.links.CreateVisit(f.cadre2, &zhagen.Visit{EnterpriseID: f.entB.ID, Date: "2026-11-01", Topics: "外迁", Situation: &zhagen.Situation{PlansRelocate: true}}))
		mine, n, err := f.links.FindLinkages(f.cadre, zhagen.LinkageFilter{})
		must(t, err)
		if n != 2 || len(mine) != 2 {
			t.Fatalf("cadre sees %d linkages, want the 2 of entA", n)
		}
		for _, l := range mine {
			if l.EnterpriseID != f.entA.ID {
				t.Fatalf("cadre sees a linkage of %s", l.EnterpriseName)
			}
		}
		if _, n, _ := f.links.FindLinkages(f.dispatcher, zhagen.LinkageFilter{}); n != 3 {
			t.Fatalf("dispatcher sees %d linkages", n)
		}
		if fl, _ := f.links.FindRedFlags(f.cadre, true, 0); len(fl) != 0 {
			t.Fatalf("cadre sees another enterprise's flags: %+v", fl)
		}
		if fl, _ := f.links.FindRedFlags(f.cadre2, true, 0); len(fl) != 1 {
			t.Fatalf("cadre2 sees %d flags", len(fl))
		}
		if fl, _ := f.links.FindRedFlags(f.dispatcher, true, 0); len(fl) != 1 {
			t.Fatalf("dispatcher sees %d flags", len(fl))
		}
	})
}

// TestVisitCadreChosenByDispatcher: the dispatcher logs a visit for a
// government user only; an unknown user or an enterprise user is an
// invalid cadre, not an internal error.
func TestVisitCadreChosenByDispatcher(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		for _, id := range []int64{999999, uid(f.ent)} {
			err := f.links.CreateVisit(f.dispatcher, &zhagen.Visit{EnterpriseID: f.entA.ID, CadreID: id, Date: "2026-11-01", Topics: "代录"})
			wantCode(t, err, zhagen.EINVALID)
			if zerr, _ := err.(*zhagen.Error); zerr.Field != "cadre_id" {
				t.Fatalf("field %q", zerr.Field)
			}
		}
		v := &zhagen.Visit{EnterpriseID: f.entA.ID, CadreID: uid(f.cadre2), Date: "2026-11-01", Topics: "代录"}
		must(t, f.links.CreateVisit(f.dispatcher, v))
		if v.CadreID != uid(f.cadre2) {
			t.Fatalf("cadre %d", v.CadreID)
		}
	})
}
