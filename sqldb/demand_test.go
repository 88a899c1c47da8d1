package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"zhagen"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// demandFixture is a zone with the story's departments, the IC company,
// another enterprise, a power category and one user of each kind.
type demandFixture struct {
	*fixture
	demands                                                     *sqldb.DemandService
	cats                                                        *sqldb.CategoryService
	notes                                                       *sqldb.NotificationService
	files                                                       *sqldb.FileService
	power                                                       *zhagen.Category
	edb, supply, planning                                       *zhagen.Department
	cadre, staff, supplyStaff, planStaff, dispatcher, ent, ent2 context.Context
	cadreLinked                                                 bool // the cadre is linked to entA (linkCadre)
}

func newDemandFixture(t *testing.T, e sqldbtest.Engine) *demandFixture {
	t.Helper()
	return newDemandFixtureOn(t, newFixture(t, e))
}

// newDemandFixtureOn adds the demand fixture's zone to base.
func newDemandFixtureOn(t *testing.T, base *fixture) *demandFixture {
	t.Helper()
	f := &demandFixture{fixture: base}
	cal, err := sla.NewCalendar(sla.Config{})
	must(t, err)
	f.demands, f.cats, f.notes = sqldb.NewDemandService(f.db, cal), sqldb.NewCategoryService(f.db), sqldb.NewNotificationService(f.db)
	f.files = sqldb.NewFileService(f.db)
	f.edb = f.child // 经济发展局
	f.supply = &zhagen.Department{Name: "供电公司", Kind: zhagen.DeptExternal}
	must(t, f.depts.CreateDepartment(f.admin, f.supply))
	f.planning = &zhagen.Department{Name: "自然资源和规划局", Kind: zhagen.DeptGov, ParentID: f.root.ID}
	must(t, f.depts.CreateDepartment(f.admin, f.planning))
	f.power = &zhagen.Category{Code: "power", Name: "用电保障", Group: "水电气", LeadDeptID: f.edb.ID, CoopDeptIDs: []int64{f.supply.ID},
		DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA(), AutoCloseDays: 7,
		Questions: []zhagen.Question{
			{Code: "load_kw", Label: "用电负荷（千瓦）", Type: zhagen.QNumber, Required: true},
			{Code: "circuits", Label: "供电方式", Type: zhagen.QSingle, Options: []zhagen.Option{{Key: "single", Name: "单回路"}, {Key: "dual", Name: "双回路"}}},
		}}
	must(t, f.cats.CreateCategory(f.admin, f.power))
	f.cadre = f.user(t, "cadre", zhagen.RoleCadre, f.edb.ID, 0)
	f.staff = f.user(t, "staff", zhagen.RoleStaff, f.edb.ID, 0)
	f.supplyStaff = f.user(t, "supply", zhagen.RoleStaff, f.supply.ID, 0)
	f.planStaff = f.user(t, "plan", zhagen.RoleStaff, f.planning.ID, 0)
	f.dispatcher = f.user(t, "dispatcher", zhagen.RoleDispatcher, f.root.ID, 0)
	f.ent = f.user(t, "enterprise", zhagen.RoleEnterprise, 0, f.entA.ID)
	f.ent2 = f.user(t, "enterprise2", zhagen.RoleEnterprise, 0, f.entB.ID)
	return f
}

// linkCadre links the cadre to entA, once: the policy lets a cadre file
// demands only for the enterprises linked to it.
func (f *demandFixture) linkCadre(t *testing.T) {
	t.Helper()
	if f.cadreLinked {
		return
	}
	l := &zhagen.Linkage{CadreID: zhagen.ActorFromContext(f.cadre).UserID, EnterpriseID: f.entA.ID}
	must(t, sqldb.NewLinkageService(f.db, f.demands).CreateLinkage(f.admin, l))
	f.cadreLinked = true
}

// file files a demand for entA as ctx; the cadre files as a cadre linked
// to entA.
func (f *demandFixture) file(t *testing.T, ctx context.Context, title string) *zhagen.Demand {
	t.Helper()
	if ctx == f.cadre {
		f.linkCadre(t)
	}
	d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Title: title, Description: "明年投产，集成电路生产需要双回路电力保障",
		Answers: zhagen.Answers{"load_kw": {"8000"}, "circuits": {"dual"}}}
	must(t, f.demands.CreateDemand(ctx, d, ""))
	return d
}

func (f *demandFixture) act(t *testing.T, ctx context.Context, d *zhagen.Demand, tr zhagen.Transition) *zhagen.Demand {
	t.Helper()
	got, err := f.demands.Transition(ctx, d.ID, tr)
	if err != nil {
		t.Fatalf("%s: %v", tr.Action, err)
	}
	return got
}

// TestDemandStory is the story's case: the cadre files dual-circuit power
// for the IC company; it is routed to the economic development bureau
// with the power supply company cooperating, accepted, updated by both,
// resolved, rated 满意 by the enterprise and closed.
func TestDemandStory(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.cadre, "集成电路生产需要双回路电力保障")
		if d.Status != zhagen.DemandAssigned || d.LeadDeptID != f.edb.ID || fmt.Sprint(d.CoopDeptIDs) != fmt.Sprint([]int64{f.supply.ID}) || d.Channel != zhagen.ChannelVisit {
			t.Fatalf("routing: %+v", d)
		}
		// Monday 09:00 + 5 working days (normal priority) → next Monday 09:00.
		if want := time.Date(2026, 11, 9, 9, 0, 0, 0, zhagen.Shanghai); !d.ResolutionDue.Equal(want) {
			t.Fatalf("resolution due %v, want %v", d.ResolutionDue, want)
		}
		if want := time.Date(2026, 11, 3, 9, 0, 0, 0, zhagen.Shanghai); !d.ResponseDue.Equal(want) {
			t.Fatalf("response due %v, want %v", d.ResponseDue, want)
		}
		f.clock.Advance(time.Hour)
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		if d.Status != zhagen.DemandAccepted || d.AcceptedAt == nil {
			t.Fatalf("accept: %+v", d)
		}
		f.clock.Advance(time.Hour)
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActUpdate, Note: "已会同供电公司现场踏勘"})
		f.clock.Advance(time.Hour)
		d = f.act(t, f.supplyStaff, d, zhagen.Transition{Action: zhagen.ActUpdate, Note: "第二回路接入方案已编制", Public: ptr(true)})
		d = f.act(t, f.supplyStaff, d, zhagen.Transition{Action: zhagen.ActUpdate, Note: "内部：线路走廊待协调", Public: ptr(false)})
		if d.Status != zhagen.DemandInProgress {
			t.Fatalf("after updates: %s", d.Status)
		}
		// The cooperating department may not resolve; the enterprise may not update.
		_, err := f.demands.Transition(f.supplyStaff, d.ID, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "x"})
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, err = f.demands.Transition(f.ent, d.ID, zhagen.Transition{Action: zhagen.ActUpdate, Note: "x"})
		wantCode(t, err, zhagen.EFORBIDDEN)
		// Rating before resolution names the status and the action.
		_, err = f.demands.Transition(f.ent, d.ID, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: ptr(true)})
		wantCode(t, err, zhagen.ECONFLICT)
		if msg := zhagen.ErrorMessage(err); !strings.Contains(msg, "办理中") || !strings.Contains(msg, "评价") {
			t.Fatalf("message %q does not name the status and action", msg)
		}
		f.clock.Advance(24 * time.Hour)
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "双回路供电已接通，满足投产需要"})
		if d.Status != zhagen.DemandResolved {
			t.Fatalf("resolve: %s", d.Status)
		}
		d = f.act(t, f.ent, d, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: ptr(true), Note: "服务到位"})
		if d.Status != zhagen.DemandClosed || d.Rating != zhagen.RatingSatisfied || d.ClosedAt == nil {
			t.Fatalf("rate: %+v", d)
		}

		events, err := f.demands.FindDemandEvents(f.dispatcher, d.ID)
		must(t, err)
		var steps []string
		for _, ev := range events {
			if ev.ActorName == "" || ev.At.IsZero() {
				t.Errorf("event without actor or time: %+v", ev)
			}
			steps = append(steps, string(ev.Action))
		}
		if got := strings.Join(steps, ","); got != "submit,assign,accept,update,update,update,resolve,rate" {
			t.Fatalf("timeline %s", got)
		}
		// The enterprise sees the public steps only.
		pub, err := f.demands.FindDemandEvents(f.ent, d.ID)
		must(t, err)
		if len(pub) != len(events)-1 {
			t.Fatalf("enterprise sees %d of %d events", len(pub), len(events))
		}
		// The lead department was told of the new demand, the enterprise of the answer.
		f.drain(t)
		notes, _, err := f.notes.FindNotifications(f.staff, false, 10)
		must(t, err)
		if len(notes) == 0 || !strings.Contains(notes[len(notes)-1].Title, "新诉求待签收") {
			t.Fatalf("staff notifications %+v", notes)
		}
		notes, _, _ = f.notes.FindNotifications(f.ent, false, 10)
		if len(notes) == 0 || !strings.Contains(notes[0].Title, "办结") {
			t.Fatalf("enterprise notifications %+v", notes)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestDemandScopeAndValidation(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.ent, "双回路")
		if d.Channel != zhagen.ChannelPortal || d.EnterpriseID != f.entA.ID {
			t.Fatalf("enterprise filing: %+v", d)
		}
		_, err := f.demands.FindDemandByID(f.ent2, d.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		_, err = f.demands.Transition(f.ent2, d.ID, zhagen.Transition{Action: zhagen.ActWithdraw})
		wantCode(t, err, zhagen.ENOTFOUND)
		_, err = f.demands.Transition(f.planStaff, d.ID, zhagen.Transition{Action: zhagen.ActAccept})
		wantCode(t, err, zhagen.ENOTFOUND)
		_, total, err := f.demands.FindDemands(f.ent2, zhagen.DemandFilter{})
		must(t, err)
		if total != 0 {
			t.Fatalf("enterprise2 sees %d demands", total)
		}
		for ctx, want := range map[context.Context]int{f.staff: 1, f.supplyStaff: 1, f.planStaff: 0, f.cadre: 0, f.dispatcher: 1} {
			_, total, err := f.demands.FindDemands(ctx, zhagen.DemandFilter{})
			must(t, err)
			if total != want {
				t.Errorf("%s sees %d demands, want %d", zhagen.ActorFromContext(ctx).Login, total, want)
			}
		}
		// An enterprise user files for their own enterprise whatever they send.
		own := &zhagen.Demand{EnterpriseID: f.entB.ID, CategoryID: f.power.ID, Title: "t", Description: "d", Answers: zhagen.Answers{"load_kw": {"1"}}}
		must(t, f.demands.CreateDemand(f.ent, own, ""))
		if own.EnterpriseID != f.entA.ID {
			t.Fatalf("enterprise user filed for enterprise %d", own.EnterpriseID)
		}
		// Validation names each field; nothing is stored.
		bad := &zhagen.Demand{CategoryID: f.power.ID, Answers: zhagen.Answers{"load_kw": {"很多"}, "circuits": {"triple"}, "bogus": {"1"}}}
		fe := zhagen.FieldErrors(f.demands.CreateDemand(f.cadre, bad, ""))
		for _, field := range []string{"title", "description", "enterprise_id", "answers.load_kw", "answers.circuits", "answers.bogus"} {
			if fe[field] == "" {
				t.Errorf("no error for %s in %v", field, fe)
			}
		}
		_, total, _ = f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{})
		if total != 2 {
			t.Fatalf("refused demand stored: total %d", total)
		}
		grad := f.user(t, "grad", zhagen.RoleGraduate, 0, 0)
		wantCode(t, f.demands.CreateDemand(grad, &zhagen.Demand{}, ""), zhagen.EFORBIDDEN)
		_, _, err = f.demands.FindDemands(grad, zhagen.DemandFilter{})
		wantCode(t, err, zhagen.EFORBIDDEN)

		// Idempotency: the same key returns the first demand.
		f.linkCadre(t)
		k1 := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Title: "幂等", Description: "d", Answers: zhagen.Answers{"load_kw": {"1"}}}
		must(t, f.demands.CreateDemand(f.cadre, k1, "key-1"))
		k2 := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Title: "幂等又一次", Description: "d", Answers: zhagen.Answers{"load_kw": {"1"}}}
		must(t, f.demands.CreateDemand(f.cadre, k2, "key-1"))
		if k2.ID != k1.ID || k2.Title != "幂等" {
			t.Fatalf("idempotent create gave %d %q, want %d", k2.ID, k2.Title, k1.ID)
		}
	})
}

// TestDemandSLANationalDay: submitted 2026-09-30 16:00 with a 3-working-day
// limit, the demand is due on the make-up Saturday 2026-10-10 at 16:00.
func TestDemandSLANationalDay(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		f.clock.T = time.Date(2026, 9, 30, 16, 0, 0, 0, zhagen.Shanghai)
		d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Priority: zhagen.PriorityHigh, Title: "国庆前", Description: "d",
			Answers: zhagen.Answers{"load_kw": {"1"}}}
		must(t, f.demands.CreateDemand(f.dispatcher, d, ""))
		if want := time.Date(2026, 10, 10, 16, 0, 0, 0, zhagen.Shanghai); !d.ResolutionDue.Equal(want) {
			t.Fatalf("due %v, want %v", d.ResolutionDue.In(zhagen.Shanghai), want)
		}
		// 4 working hours: 1.5 h on 9-30, then 2.5 h from 10-08 08:30.
		if want := time.Date(2026, 10, 8, 11, 0, 0, 0, zhagen.Shanghai); !d.ResponseDue.Equal(want) {
			t.Fatalf("response due %v, want %v", d.ResponseDue.In(zhagen.Shanghai), want)
		}

		// Pause on 10-08 09:00 for one working day: the due time moves a day.
		f.clock.T = time.Date(2026, 10, 8, 9, 0, 0, 0, zhagen.Shanghai)
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActPause, Note: "请提供用电负荷测算表"})
		f.clock.T = time.Date(2026, 10, 9, 9, 0, 0, 0, zhagen.Shanghai)
		d = f.act(t, f.ent, d, zhagen.Transition{Action: zhagen.ActResume, Supplement: "已上传测算表"})
		if want := time.Date(2026, 10, 12, 16, 0, 0, 0, zhagen.Shanghai); !d.ResolutionDue.Equal(want) || d.Status != zhagen.DemandInProgress {
			t.Fatalf("after pause: due %v status %s, want %v", d.ResolutionDue.In(zhagen.Shanghai), d.Status, want)
		}
		// Extension by 2 working days, approved by the dispatcher.
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActExtend, Days: 2, Note: "需供电公司改造线路"})
		_, err := f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActExtend, Days: 2, Note: "again"})
		wantCode(t, err, zhagen.ECONFLICT)
		_, err = f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActApproveExtension, Approve: ptr(true)})
		wantCode(t, err, zhagen.EFORBIDDEN)
		d = f.act(t, f.dispatcher, d, zhagen.Transition{Action: zhagen.ActApproveExtension, Approve: ptr(true)})
		if want := time.Date(2026, 10, 14, 16, 0, 0, 0, zhagen.Shanghai); !d.ResolutionDue.Equal(want) || d.ExtensionDays != 0 {
			t.Fatalf("after extension: due %v, want %v", d.ResolutionDue.In(zhagen.Shanghai), want)
		}

		// The SLA job: yellow at 75 %, red when overdue, each once, notified.
		// Before its first step the demand is not even looked at.
		ctx := context.Background()
		res, err := f.demands.RunSLAJob(ctx, time.Date(2026, 10, 9, 10, 0, 0, 0, zhagen.Shanghai))
		must(t, err)
		if res.Yellow != 0 || res.Red != 0 || res.Checked != 0 {
			t.Fatalf("early job %+v", res)
		}
		res, _ = f.demands.RunSLAJob(ctx, time.Date(2026, 10, 14, 9, 0, 0, 0, zhagen.Shanghai))
		if res.Yellow != 1 {
			t.Fatalf("yellow job %+v", res)
		}
		res, _ = f.demands.RunSLAJob(ctx, time.Date(2026, 10, 14, 9, 1, 0, 0, zhagen.Shanghai))
		if res.Yellow != 0 {
			t.Fatalf("yellow twice %+v", res)
		}
		res, _ = f.demands.RunSLAJob(ctx, time.Date(2026, 10, 14, 16, 0, 0, 0, zhagen.Shanghai))
		if res.Red != 1 {
			t.Fatalf("red job %+v", res)
		}
		got, _ := f.demands.FindDemandByID(f.dispatcher, d.ID)
		if got.SLALevel != zhagen.SLARed {
			t.Fatalf("level %s", got.SLALevel)
		}
		overdue, total, _ := f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{Level: zhagen.SLARed})
		if total != 1 || overdue[0].ID != d.ID {
			t.Fatalf("overdue list %d", total)
		}
		f.drain(t)
		notes, _, _ := f.notes.FindNotifications(f.dispatcher, true, 50)
		var warnings int
		for _, n := range notes {
			if strings.Contains(n.Title, "超期") {
				warnings++
			}
		}
		if warnings != 2 {
			t.Fatalf("dispatcher got %d SLA notifications, want 2 (yellow and red)", warnings)
		}

		// Resolved and unrated for 7 days: closed by the job.
		f.clock.T = time.Date(2026, 10, 15, 9, 0, 0, 0, zhagen.Shanghai)
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已解决，已答复企业并告知办理依据"})
		res, _ = f.demands.RunSLAJob(ctx, time.Date(2026, 10, 21, 9, 0, 0, 0, zhagen.Shanghai))
		if res.AutoClosed != 0 {
			t.Fatalf("closed too early %+v", res)
		}
		res, _ = f.demands.RunSLAJob(ctx, time.Date(2026, 10, 22, 9, 0, 0, 0, zhagen.Shanghai))
		got, _ = f.demands.FindDemandByID(f.dispatcher, d.ID)
		if res.AutoClosed != 1 || got.Status != zhagen.DemandClosed {
			t.Fatalf("auto close %+v status %s", res, got.Status)
		}
	})
}

func TestDemandSidePaths(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.cadre, "退回再分派")
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActReturn, Note: "属规划事项"})
		if d.Status != zhagen.DemandReturned || d.ReturnCount != 1 {
			t.Fatalf("return %+v", d)
		}
		if _, total, _ := f.demands.FindDemands(f.staff, zhagen.DemandFilter{DeptID: f.edb.ID, DeptRole: "lead", Open: ptr(true)}); total != 0 {
			t.Fatalf("returned demand still in the inbox")
		}
		_, err := f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: f.planning.ID})
		wantCode(t, err, zhagen.EFORBIDDEN)
		d = f.act(t, f.dispatcher, d, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: f.planning.ID, Priority: zhagen.PriorityUrgent})
		if d.LeadDeptID != f.planning.ID || d.Status != zhagen.DemandAssigned || d.Priority != zhagen.PriorityUrgent {
			t.Fatalf("reassign %+v", d)
		}
		inbox, total, err := f.demands.FindDemands(f.planStaff, zhagen.DemandFilter{DeptID: f.planning.ID, DeptRole: "lead", Open: ptr(true), Sort: "due"})
		must(t, err)
		if total != 1 || inbox[0].ID != d.ID {
			t.Fatalf("planning inbox %d", total)
		}
		// The old lead department no longer sees it.
		_, err = f.demands.FindDemandByID(f.staff, d.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		d = f.act(t, f.planStaff, d, zhagen.Transition{Action: zhagen.ActAccept})
		d = f.act(t, f.planStaff, d, zhagen.Transition{Action: zhagen.ActEscalate, Consultation: "层高调整联合会诊"})
		if d.Status != zhagen.DemandEscalated || d.ConsultationID == 0 {
			t.Fatalf("escalate %+v", d)
		}
		d = f.act(t, f.planStaff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已按程序审批，已答复企业并告知办理依据"})
		d = f.act(t, f.ent, d, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingUnsatisfied, Solved: ptr(false), Note: "仍未解决"})
		if d.Status != zhagen.DemandInProgress || d.ReopenCount != 1 || d.ResolvedAt != nil {
			t.Fatalf("unsatisfied rating should reopen: %+v", d)
		}

		// Merge a duplicate into the master; link two demands.
		dup := f.file(t, f.cadre, "重复诉求")
		_, err = f.demands.Transition(f.dispatcher, dup.ID, zhagen.Transition{Action: zhagen.ActMerge, TargetID: dup.ID})
		wantCode(t, err, zhagen.EINVALID)
		dup = f.act(t, f.dispatcher, dup, zhagen.Transition{Action: zhagen.ActMerge, TargetID: d.ID})
		if dup.Status != zhagen.DemandMerged || dup.MasterID != d.ID {
			t.Fatalf("merge %+v", dup)
		}
		linked, err := f.demands.FindLinkedDemands(f.dispatcher, d.ID)
		must(t, err)
		if len(linked) != 1 || linked[0].ID != dup.ID {
			t.Fatalf("linked %v", linked)
		}
		w := f.file(t, f.ent, "撤回")
		_, err = f.demands.Transition(f.ent2, w.ID, zhagen.Transition{Action: zhagen.ActWithdraw})
		wantCode(t, err, zhagen.ENOTFOUND)
		w = f.act(t, f.ent, w, zhagen.Transition{Action: zhagen.ActWithdraw})
		if w.Status != zhagen.DemandWithdrawn || w.Status.Open() {
			t.Fatalf("withdraw %+v", w)
		}
		_, err = f.demands.Transition(f.ent, w.ID, zhagen.Transition{Action: zhagen.ActWithdraw})
		wantCode(t, err, zhagen.ECONFLICT)
		_, err = f.demands.Transition(f.dispatcher, w.ID, zhagen.Transition{Action: "fly"})
		wantCode(t, err, zhagen.EINVALID)
	})
}

// TestDemandNoLostUpdates races two departments on one demand: each
// either applies after the other or gets ECONFLICT; the timeline has
// exactly the updates that succeeded.
func TestDemandNoLostUpdates(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.cadre, "并发")
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		const rounds = 10
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, conflicts := 0, 0
		for i := 0; i < rounds; i++ {
			for _, ctx := range []context.Context{f.staff, f.supplyStaff} {
				wg.Add(1)
				go func(ctx context.Context, i int) {
					defer wg.Done()
					_, err := f.demands.Transition(ctx, d.ID, zhagen.Transition{Action: zhagen.ActUpdate, Note: fmt.Sprintf("进展 %d", i)})
					mu.Lock()
					defer mu.Unlock()
					switch zhagen.ErrorCode(err) {
					case "":
						ok++
					case zhagen.ECONFLICT:
						conflicts++
					default:
						t.Errorf("update: %v", err)
					}
				}(ctx, i)
			}
		}
		wg.Wait()
		if ok+conflicts != 2*rounds || ok == 0 {
			t.Fatalf("ok %d conflicts %d", ok, conflicts)
		}
		got, _ := f.demands.FindDemandByID(f.dispatcher, d.ID)
		events, _ := f.demands.FindDemandEvents(f.dispatcher, d.ID)
		updates := 0
		for _, ev := range events {
			if ev.Action == zhagen.ActUpdate {
				updates++
			}
		}
		// version: 1 on create, +1 accept, +1 per successful update.
		if updates != ok || got.Version != int64(2+ok) {
			t.Fatalf("%d successful updates, %d on the timeline, version %d", ok, updates, got.Version)
		}
	})
}

func TestDemandAttachments(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.ent, "附件")
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
		at, err := f.files.AddFile(f.ent, zhagen.DemandFiles(d.ID), "现场.png", png)
		must(t, err)
		_, err = f.files.AddFile(f.ent, zhagen.DemandFiles(d.ID), "virus.png", []byte("MZ\x90\x00\x03"))
		wantCode(t, err, zhagen.EINVALID)
		_, err = f.files.AddFile(f.ent2, zhagen.DemandFiles(d.ID), "x.png", png)
		wantCode(t, err, zhagen.ENOTFOUND)
		leader := f.user(t, "leader", zhagen.RoleLeader, f.root.ID, 0)
		_, err = f.files.AddFile(leader, zhagen.DemandFiles(d.ID), "x.png", png)
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, err = f.files.AddFile(f.supplyStaff, zhagen.DemandFiles(d.ID), "方案.txt", []byte("第二回路接入方案"))
		must(t, err)
		list, err := f.files.FindFiles(f.staff, zhagen.DemandFiles(d.ID))
		must(t, err)
		if len(list) != 2 || list[0].Name != "现场.png" || list[0].Size != int64(len(png)) {
			t.Fatalf("attachments %+v", list)
		}
		got, data, err := f.files.OpenOwnerFile(f.ent, zhagen.DemandFiles(d.ID), at.ID)
		must(t, err)
		if string(data) != string(png) || got.ContentType != "image/png" {
			t.Fatalf("opened %q %s", data, got.ContentType)
		}
		_, _, err = f.files.OpenOwnerFile(f.ent2, zhagen.DemandFiles(d.ID), at.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		other := f.file(t, f.ent, "另一条")
		_, _, err = f.files.OpenOwnerFile(f.ent, zhagen.DemandFiles(other.ID), at.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
	})
}

// TestClaimTick: of two servers on one database, exactly one runs each
// minute's job.
func TestClaimTick(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		dsn := e.DSN(t)
		ctx := context.Background()
		var dbs []*sqldb.DB
		for i := 0; i < 2; i++ {
			db, err := sqldb.Open(ctx, dsn, nil)
			must(t, err)
			defer db.Close()
			must(t, db.Migrate(ctx))
			dbs = append(dbs, db)
		}
		for tick := int64(100); tick < 105; tick++ {
			var wg sync.WaitGroup
			var mu sync.Mutex
			won := 0
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func(db *sqldb.DB) {
					defer wg.Done()
					ok, err := db.ClaimTick(ctx, "sla", tick)
					if err != nil {
						t.Error(err)
					}
					if ok {
						mu.Lock()
						won++
						mu.Unlock()
					}
				}(dbs[i%2])
			}
			wg.Wait()
			if won != 1 {
				t.Fatalf("tick %d claimed %d times", tick, won)
			}
		}
		if ok, _ := dbs[0].ClaimTick(ctx, "sla", 101); ok {
			t.Fatal("an old tick was claimed again")
		}
	})
}

// TestInboxOrder: a department's inbox puts the nearest deadline first,
// the response limit for demands not yet accepted.
func TestInboxOrder(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		a := f.file(t, f.cadre, "先提交，已签收") // resolution due in 5 working days
		f.act(t, f.staff, a, zhagen.Transition{Action: zhagen.ActAccept})
		f.clock.Advance(2 * time.Hour)
		b := f.file(t, f.cadre, "后提交，未签收") // response due in 1 working day
		f.act(t, f.staff, a, zhagen.Transition{Action: zhagen.ActExtend, Days: 1, Note: "需协调"})
		list, _, err := f.demands.FindDemands(f.staff, zhagen.DemandFilter{DeptID: f.edb.ID, DeptRole: "lead", Open: ptr(true), Sort: "due"})
		must(t, err)
		if len(list) != 2 || list[0].ID != b.ID {
			t.Fatalf("inbox order %d, %d; want the unaccepted demand first", list[0].ID, list[1].ID)
		}
		// Another department's inbox is out of scope even when asked for.
		if _, n, err := f.demands.FindDemands(f.planStaff, zhagen.DemandFilter{DeptID: f.edb.ID, DeptRole: "lead", Open: ptr(true)}); err != nil || n != 0 {
			t.Fatalf("planning staff reading the bureau's inbox: %d %v", n, err)
		}
		pending, total, err := f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{PendingExtension: true})
		must(t, err)
		if total != 1 || pending[0].ID != a.ID {
			t.Fatalf("pending extensions %d, want demand %d", total, a.ID)
		}
	})
}

// TestCalendarOverride: an administrator's override moves due times at once.
func TestCalendarOverride(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		cals := sqldb.NewCalendarService(f.db)
		// Monday 2026-11-02 09:00 + 5 working days is Monday 11-09 09:00;
		// with Wednesday 11-04 closed for a typhoon it is Tuesday 11-10.
		err := cals.SetCalendarOverride(f.staff, &zhagen.CalendarOverride{Date: "2026-11-04", Name: "台风停工"})
		wantCode(t, err, zhagen.EFORBIDDEN)
		err = cals.SetCalendarOverride(f.admin, &zhagen.CalendarOverride{Date: "2026-13-04", Name: ""})
		if fe := zhagen.FieldErrors(err); fe["date"] == "" || fe["name"] == "" {
			t.Fatalf("field errors %v", fe)
		}
		must(t, cals.SetCalendarOverride(f.admin, &zhagen.CalendarOverride{Date: "2026-11-04", Name: "台风停工"}))
		d := f.file(t, f.cadre, "台风")
		if want := time.Date(2026, 11, 10, 9, 0, 0, 0, zhagen.Shanghai); !d.ResolutionDue.Equal(want) {
			t.Fatalf("due %v, want %v", d.ResolutionDue.In(zhagen.Shanghai), want)
		}
		list, err := cals.FindCalendarOverrides(f.ent)
		must(t, err)
		if len(list) != 1 || list[0].Working || list[0].Name != "台风停工" {
			t.Fatalf("overrides %+v", list)
		}
		must(t, cals.DeleteCalendarOverride(f.admin, "2026-11-04"))
		wantCode(t, cals.DeleteCalendarOverride(f.admin, "2026-11-04"), zhagen.ENOTFOUND)
		d = f.file(t, f.cadre, "恢复")
		if want := time.Date(2026, 11, 9, 9, 0, 0, 0, zhagen.Shanghai); !d.ResolutionDue.Equal(want) {
			t.Fatalf("due after delete %v, want %v", d.ResolutionDue.In(zhagen.Shanghai), want)
		}
	})
}

// TestLatestPublicNotes: one query gives each demand in scope the note
// of its newest public event with a note, as its timeline would.
func TestLatestPublicNotes(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d1 := f.file(t, f.cadre, "双回路")
		d2 := f.file(t, f.cadre, "另一件")
		f.clock.Advance(time.Hour)
		f.act(t, f.staff, d1, zhagen.Transition{Action: zhagen.ActAccept})
		f.act(t, f.staff, d1, zhagen.Transition{Action: zhagen.ActUpdate, Note: "已现场踏勘"})
		f.clock.Advance(time.Hour)
		// Two public notes at one time: the later one wins; the private
		// note after them does not count.
		f.act(t, f.supplyStaff, d1, zhagen.Transition{Action: zhagen.ActUpdate, Note: "方案已编制", Public: ptr(true)})
		f.act(t, f.supplyStaff, d1, zhagen.Transition{Action: zhagen.ActUpdate, Note: "方案已报审", Public: ptr(true)})
		f.act(t, f.supplyStaff, d1, zhagen.Transition{Action: zhagen.ActUpdate, Note: "内部：线路走廊待协调", Public: ptr(false)})

		// want is what the timeline shows: the newest public event with a
		// note, the highest id among equal times.
		want := func(ctx context.Context, id int64) string {
			t.Helper()
			events, err := f.demands.FindDemandEvents(ctx, id)
			must(t, err)
			var best *zhagen.DemandEvent
			for _, ev := range events {
				if !ev.Public || strings.TrimSpace(ev.Note) == "" {
					continue
				}
				if best == nil || ev.At.After(best.At) || (ev.At.Equal(best.At) && ev.ID > best.ID) {
					best = ev
				}
			}
			if best == nil {
				return ""
			}
			return strings.TrimSpace(best.Note)
		}
		ids := []int64{d1.ID, d2.ID, d2.ID + 1000}
		for _, ctx := range []context.Context{f.dispatcher, f.staff, f.ent} {
			got, err := f.demands.LatestPublicNotes(ctx, ids)
			must(t, err)
			if len(got) != 2 {
				t.Fatalf("%s: notes %v, want two demands", zhagen.ActorFromContext(ctx).Login, got)
			}
			for _, id := range []int64{d1.ID, d2.ID} {
				if w := want(ctx, id); got[id] != w || w == "" {
					t.Errorf("%s: demand %d note %q, want %q", zhagen.ActorFromContext(ctx).Login, id, got[id], w)
				}
			}
		}
		got, err := f.demands.LatestPublicNotes(f.dispatcher, ids)
		must(t, err)
		if got[d1.ID] != "方案已报审" || !strings.Contains(got[d2.ID], "分派规则") {
			t.Fatalf("notes %v", got)
		}
		// Outside the scope the demands are simply absent.
		for _, ctx := range []context.Context{f.ent2, f.planStaff} {
			got, err := f.demands.LatestPublicNotes(ctx, ids)
			must(t, err)
			if len(got) != 0 {
				t.Fatalf("%s sees notes %v", zhagen.ActorFromContext(ctx).Login, got)
			}
		}
		got, err = f.demands.LatestPublicNotes(f.dispatcher, nil)
		must(t, err)
		if len(got) != 0 {
			t.Fatalf("no ids gave %v", got)
		}
	})
}

// TestMergeWithinOneEnterprise: the command centre cannot merge one
// enterprise's demand into another enterprise's (422 naming target_id);
// both enterprises keep following and rating their own requests.
func TestMergeWithinOneEnterprise(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		master := f.file(t, f.ent, "甲公司用电")
		other := &zhagen.Demand{EnterpriseID: f.entB.ID, CategoryID: f.power.ID, Title: "乙公司用电", Description: "同样需要双回路电力保障",
			Answers: zhagen.Answers{"load_kw": {"5000"}}}
		must(t, f.demands.CreateDemand(f.ent2, other, ""))
		_, err := f.demands.Transition(f.dispatcher, other.ID, zhagen.Transition{Action: zhagen.ActMerge, TargetID: master.ID})
		wantCode(t, err, zhagen.EINVALID)
		if msg := zhagen.FieldErrors(err)["target_id"]; msg != "只能并入同一企业的诉求" {
			t.Fatalf("target_id error %q", msg)
		}
		got, err := f.demands.FindDemandByID(f.ent2, other.ID)
		must(t, err)
		if got.Status == zhagen.DemandMerged || got.MasterID != 0 {
			t.Fatalf("other enterprise's demand merged: %+v", got)
		}
		// A duplicate of the same enterprise merges.
		dup := f.file(t, f.ent, "甲公司用电（重复）")
		dup = f.act(t, f.dispatcher, dup, zhagen.Transition{Action: zhagen.ActMerge, TargetID: master.ID})
		if dup.Status != zhagen.DemandMerged || dup.MasterID != master.ID {
			t.Fatalf("merge within the enterprise %+v", dup)
		}
	})
}

// TestLinkSeenFromBothDemands: linking two demands (关联) lists each on
// the other's page, once, however often it is linked.
func TestLinkSeenFromBothDemands(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		a := f.file(t, f.ent, "厂区用电扩容")
		b := f.file(t, f.ent, "变压器增容")
		check := func(when string) {
			t.Helper()
			for _, c := range []struct{ from, want int64 }{{a.ID, b.ID}, {b.ID, a.ID}} {
				linked, err := f.demands.FindLinkedDemands(f.dispatcher, c.from)
				must(t, err)
				if len(linked) != 1 || linked[0].ID != c.want {
					ids := []int64{}
					for _, d := range linked {
						ids = append(ids, d.ID)
					}
					t.Errorf("%s: demands linked to #%d: %v, want [%d]", when, c.from, ids, c.want)
				}
			}
		}
		a = f.act(t, f.dispatcher, a, zhagen.Transition{Action: zhagen.ActLink, TargetID: b.ID})
		check("linked once")
		f.act(t, f.dispatcher, b, zhagen.Transition{Action: zhagen.ActLink, TargetID: a.ID})
		check("linked again the other way")
	})
}

// newTwoServerFixture is a demand fixture on a database of its own, and
// what opens another server (a handle with its own caches and group
// commit) on the same database, closed when the test ends.
func newTwoServerFixture(t *testing.T, e sqldbtest.Engine) (*demandFixture, func() *sqldb.DB) {
	ctx := context.Background()
	var dsn string
	f := newDemandFixtureOn(t, newFixtureOn(t, func(c zhagen.Clock) *sqldb.DB {
		dsn = e.DSN(t)
		db, err := sqldb.Open(ctx, dsn, c)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		must(t, db.Migrate(ctx))
		return db
	}))
	return f, func() *sqldb.DB {
		db, err := sqldb.Open(ctx, dsn, f.clock)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
}

// TestTwoServersOneTransitionWins: two servers (two handles on one
// database, each with its own group commit) accept the same demand at
// once; exactly one acceptance is stored and the others are refused.
// Within one server the group commit runs transitions one after another,
// so only a second server can find the row changed under its versioned
// UPDATE.
func TestTwoServersOneTransitionWins(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f, second := newTwoServerFixture(t, e)
		other := second()
		cal, err := sla.NewCalendar(sla.Config{})
		must(t, err)
		servers := []*sqldb.DemandService{f.demands, sqldb.NewDemandService(other, cal)}
		for round := range 5 {
			d := f.file(t, f.cadre, fmt.Sprintf("两台服务器同时签收 %d", round))
			var wg sync.WaitGroup
			var won sync.Map
			start := make(chan struct{})
			for i := range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if _, err := servers[i%2].Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActAccept}); err == nil {
						won.Store(i, true)
					} else if c := zhagen.ErrorCode(err); c != zhagen.ECONFLICT && c != zhagen.EINVALID {
						t.Errorf("accept: %v", err)
					}
				}()
			}
			close(start)
			wg.Wait()
			n := 0
			won.Range(func(any, any) bool { n++; return true })
			if n != 1 {
				t.Fatalf("round %d: %d acceptances succeeded, want 1", round, n)
			}
			var accepts int
			must(t, f.db.SQL().QueryRow(f.db.Rebind(`SELECT COUNT(*) FROM demand_events WHERE demand_id = ? AND action = ?`), d.ID, string(zhagen.ActAccept)).Scan(&accepts))
			if accepts != 1 {
				t.Fatalf("round %d: %d acceptance events stored, want 1", round, accepts)
			}
		}
	})
}

// TestFilingSeesEnterpriseChanges: a filing names its enterprise as it
// is now, although the name is cached: renamed, the next filing carries
// the new name; archived, the next filing is refused on enterprise_id.
func TestFilingSeesEnterpriseChanges(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		if d := f.file(t, f.dispatcher, "改名前"); d.EnterpriseName != f.entA.Name {
			t.Fatalf("enterprise name %q, want %q", d.EnterpriseName, f.entA.Name)
		}
		newName := "甲公司（更名）"
		ent, err := f.ents.UpdateEnterprise(f.admin, f.entA.ID, zhagen.EnterpriseUpdate{Version: f.entA.Version, Name: &newName})
		must(t, err)
		if d := f.file(t, f.dispatcher, "改名后"); d.EnterpriseName != newName {
			t.Fatalf("after the rename the filing names %q, want %q", d.EnterpriseName, newName)
		}
		archived := true
		_, err = f.ents.UpdateEnterprise(f.admin, f.entA.ID, zhagen.EnterpriseUpdate{Version: ent.Version, Archived: &archived})
		must(t, err)
		d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Title: "归档后", Description: "归档企业不能再提交诉求",
			Answers: zhagen.Answers{"load_kw": {"8000"}, "circuits": {"dual"}}}
		err = f.demands.CreateDemand(f.dispatcher, d, "")
		if zerr, ok := err.(*zhagen.Error); !ok || zerr.Field != "enterprise_id" {
			t.Fatalf("filing for an archived enterprise: %v, want an error on enterprise_id", err)
		}
	})
}
