package zhagen_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/catalog"
	"zhagen/sla"
)

func calendar(t *testing.T) *sla.Calendar {
	t.Helper()
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func at(s string) time.Time {
	v, err := time.ParseInLocation("2006-01-02 15:04", s, zhagen.Shanghai)
	if err != nil {
		panic(err)
	}
	return v
}

// TestActionTable: every action people take is declared once, with
// inputs named as Transition's JSON fields, so that web forms and the
// API read the same names.
func TestActionTable(t *testing.T) {
	names := map[string]bool{}
	tt := reflect.TypeFor[zhagen.Transition]()
	for i := range tt.NumField() {
		names[strings.Split(tt.Field(i).Tag.Get("json"), ",")[0]] = true
	}
	for _, act := range append(zhagen.WorkflowActions, zhagen.ActClose) {
		d := &zhagen.Demand{ID: 1, Status: zhagen.DemandResolved}
		_, err := zhagen.PlanTransition(d, zhagen.SystemActor(), zhagen.Transition{Action: act}, time.Now(), calendar(t), zhagen.TransitionFacts{})
		if zhagen.ErrorMessage(err) == "未知操作："+string(act) {
			t.Errorf("%s has no plan", act)
		}
		for _, f := range zhagen.ActionFields(act) {
			if !names[f.Name] || f.Kind == "" || f.Label == "" {
				t.Errorf("%s: field %+v", act, f)
			}
		}
	}
	if fs := zhagen.ActionFields(zhagen.ActAssign); len(fs) != 3 || fs[0].Name != "lead_dept_id" || !fs[0].Required || fs[1].Required {
		t.Errorf("assign fields %+v", fs)
	}
	if zhagen.TransitionNeeds(zhagen.ActResolve)&zhagen.FactActionItems == 0 || zhagen.TransitionNeeds(zhagen.ActAccept) != 0 {
		t.Error("needs")
	}
}

func staffOf(dept int64) *zhagen.Actor {
	return &zhagen.Actor{UserID: 7, Name: "张三", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: dept, DeptPath: "/1/" + itoa(dept) + "/"}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestPlanResume: resuming a paused demand moves the resolution limit by
// the working time it was paused, notes both on the timeline and tells
// the lead department; the demand given is not changed.
func TestPlanResume(t *testing.T) {
	cal := calendar(t)
	paused, due := at("2026-11-02 10:00"), at("2026-11-04 10:00") // Monday, Wednesday
	d := &zhagen.Demand{ID: 12, Title: "用电增容", Status: zhagen.DemandWaiting, LeadDeptID: 3, EnterpriseID: 5,
		PausedAt: &paused, ResolutionDue: &due, SLALevel: zhagen.SLAOK}
	now := at("2026-11-03 10:00") // one working day later
	p, err := zhagen.PlanTransition(d, staffOf(3), zhagen.Transition{Action: zhagen.ActResume, Supplement: "已补充材料"}, now, cal, zhagen.TransitionFacts{Budget: cal.WorkingTime(sla.Duration{Amount: 5, Unit: sla.Days})})
	if err != nil {
		t.Fatal(err)
	}
	wantDue := cal.AddWorking(now, cal.WorkingBetween(paused, due))
	if p.To != zhagen.DemandInProgress || p.Demand.PausedAt != nil || !p.Demand.ResolutionDue.Equal(wantDue) {
		t.Fatalf("plan %+v due %v", p, p.Demand.ResolutionDue)
	}
	note := "已补充材料\n暂停计时 " + cal.WorkingBetween(paused, now).Round(time.Minute).String() + "，办结时限顺延至 " + wantDue.In(zhagen.Shanghai).Format("2006-01-02 15:04")
	if len(p.Events) != 1 || p.Events[0].Note != note || !p.Events[0].Public || p.Events[0].From != zhagen.DemandWaiting {
		t.Fatalf("events %+v, want note %q", p.Events, note)
	}
	if len(p.Notices) != 1 || p.Notices[0].Kind != "demand.resumed" || !reflect.DeepEqual(p.Notices[0].To.DeptStaff, []int64{3}) || p.Notices[0].Body.Args[0] != note {
		t.Fatalf("notices %+v", p.Notices)
	}
	if d.Status != zhagen.DemandWaiting || d.PausedAt == nil || !d.ResolutionDue.Equal(due) {
		t.Fatal("the demand given was changed")
	}
}

// TestPlanAssignAndMerge: routing names the departments on the timeline,
// refuses one that does not exist and rebuilds the routing rows; a merge
// closes the duplicate and notes it on both timelines.
func TestPlanAssignAndMerge(t *testing.T) {
	cal, now := calendar(t), at("2026-11-02 10:00")
	disp := &zhagen.Actor{UserID: 1, Roles: []zhagen.Role{zhagen.RoleDispatcher}}
	d := &zhagen.Demand{ID: 12, Title: "用电增容", Status: zhagen.DemandSubmitted, Priority: zhagen.PriorityNormal, CreatedAt: now}
	names := map[int64]string{3: "经济发展局", 4: "供电公司", 5: "规划局"}
	facts := zhagen.TransitionFacts{Departments: names}
	_, err := zhagen.PlanTransition(d, disp, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: 3, CoopDeptIDs: []int64{9}}, now, cal, facts)
	if zhagen.ErrorCode(err) != zhagen.EINVALID || zhagen.FieldErrors(err)["coop_dept_ids"] != "部门不存在：9" {
		t.Fatalf("unknown department: %v", err)
	}
	p, err := zhagen.PlanTransition(d, disp, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: 3, CoopDeptIDs: []int64{4, 5}, Note: " 请尽快 "}, now, cal, facts)
	if err != nil {
		t.Fatal(err)
	}
	if p.To != zhagen.DemandAssigned || !p.Reroute || p.Demand.AssignedAt == nil || p.Demand.LeadDeptID != 3 || p.Events[0].Note != "分派：主办 经济发展局，协办 供电公司、规划局。请尽快" {
		t.Fatalf("assign plan %+v %+v", p, p.Events)
	}
	if n := p.Notices[0]; n.Kind != "demand.assigned" || !reflect.DeepEqual(n.To.DeptStaff, []int64{3, 4, 5}) || n.Link != "/demands/12" {
		t.Fatalf("assign notice %+v", n)
	}

	target := &zhagen.Demand{ID: 8, Status: zhagen.DemandInProgress}
	p, err = zhagen.PlanTransition(d, disp, zhagen.Transition{Action: zhagen.ActMerge, TargetID: 8}, now, cal, zhagen.TransitionFacts{Target: target})
	if err != nil {
		t.Fatal(err)
	}
	if p.To != zhagen.DemandMerged || p.Demand.MasterID != 8 || p.Demand.ClosedAt == nil || p.LinkTo != 8 || len(p.Events) != 2 ||
		p.Events[0].Note != "作为重复诉求并入 #8。" || p.Events[1].DemandID != 8 || p.Events[1].Note != "诉求 #12 已并入本诉求" || p.Events[1].Public {
		t.Fatalf("merge plan %+v %+v", p, p.Events)
	}
	_, err = zhagen.PlanTransition(d, disp, zhagen.Transition{Action: zhagen.ActMerge, TargetID: 99}, now, cal, zhagen.TransitionFacts{})
	if zhagen.ErrorMessage(err) != "目标诉求不存在" {
		t.Fatalf("missing target: %v", err)
	}
	_, err = zhagen.PlanTransition(d, staffOf(3), zhagen.Transition{Action: zhagen.ActMerge, TargetID: 8}, now, cal, zhagen.TransitionFacts{Target: target})
	if zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
		t.Fatalf("staff merged: %v", err)
	}
}

// TestPlanMergeWithinOneEnterprise: a demand merges only into a demand
// of its own enterprise; merged into another's, its enterprise could no
// longer follow or rate its request.
func TestPlanMergeWithinOneEnterprise(t *testing.T) {
	cal, now := calendar(t), at("2026-11-02 10:00")
	disp := &zhagen.Actor{UserID: 1, Roles: []zhagen.Role{zhagen.RoleDispatcher}}
	d := &zhagen.Demand{ID: 12, EnterpriseID: 3, Status: zhagen.DemandAssigned, Priority: zhagen.PriorityNormal, CreatedAt: now}
	for _, other := range []int64{4, 0} {
		target := &zhagen.Demand{ID: 8, EnterpriseID: other, Status: zhagen.DemandInProgress}
		_, err := zhagen.PlanTransition(d, disp, zhagen.Transition{Action: zhagen.ActMerge, TargetID: 8}, now, cal, zhagen.TransitionFacts{Target: target})
		if zhagen.ErrorCode(err) != zhagen.EINVALID || zhagen.FieldErrors(err)["target_id"] != "只能并入同一企业的诉求" {
			t.Fatalf("merged into enterprise %d's demand: %v", other, err)
		}
	}
	target := &zhagen.Demand{ID: 8, EnterpriseID: 3, Status: zhagen.DemandInProgress}
	if _, err := zhagen.PlanTransition(d, disp, zhagen.Transition{Action: zhagen.ActMerge, TargetID: 8}, now, cal, zhagen.TransitionFacts{Target: target}); err != nil {
		t.Fatalf("merge within the enterprise: %v", err)
	}
	// Linking across enterprises stays possible: nothing moves.
	target.EnterpriseID = 4
	if _, err := zhagen.PlanTransition(d, disp, zhagen.Transition{Action: zhagen.ActLink, TargetID: 8}, now, cal, zhagen.TransitionFacts{Target: target}); err != nil {
		t.Fatalf("link across enterprises: %v", err)
	}
}

// TestPlanResolveWithOpenItems: resolving waits for the consultation's
// open action items unless the dispatcher waived them.
func TestPlanResolveWithOpenItems(t *testing.T) {
	cal, now := calendar(t), at("2026-11-02 10:00")
	d := &zhagen.Demand{ID: 12, Status: zhagen.DemandEscalated, LeadDeptID: 3, ConsultationID: 2}
	tr := zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已解决，已答复企业并告知办理依据"}
	item := &zhagen.OpenItem{Title: "补充资料", DeptName: "规划局", Due: at("2026-11-05 17:00")}
	_, err := zhagen.PlanTransition(d, staffOf(3), tr, now, cal, zhagen.TransitionFacts{OpenItem: item})
	if zhagen.ErrorCode(err) != zhagen.ECONFLICT || !strings.Contains(zhagen.ErrorMessage(err), "会商事项“补充资料”（规划局，2026-11-05 到期）尚未完成") {
		t.Fatalf("open item: %v", err)
	}
	p, err := zhagen.PlanTransition(d, staffOf(3), tr, now, cal, zhagen.TransitionFacts{ItemsWaived: true})
	if err != nil || p.To != zhagen.DemandResolved || p.Demand.Resolution != "已解决，已答复企业并告知办理依据" || p.Notices[0].Kind != "demand.resolved" {
		t.Fatalf("waived: %+v %v", p, err)
	}
}

// TestNoticesRender: every notice the constructors compose names keys of
// the catalogue and fills their verbs, in both languages; the Chinese
// reads as it did when sqldb wrote it.
func TestNoticesRender(t *testing.T) {
	cat := catalog.MustLoad()
	due := at("2026-10-14 16:00")
	d := &zhagen.Demand{ID: 12, Title: "用电增容", LeadDeptID: 3, EnterpriseID: 5, SubmitterID: 6, EnterpriseName: "甲公司", ResolutionDue: &due}
	start := at("2026-11-02 15:00")
	c := &zhagen.Consultation{ID: 4, Kind: zhagen.KindJoint, Title: "用电协调", StartsAt: &start, Place: "会议室", ConvenerID: 1}
	p := &zhagen.Programme{ID: 2, Name: "暑期实践"}
	pos := &zhagen.Position{Title: "工程师", EnterpriseName: "甲公司", EnterpriseID: 5, Status: zhagen.PositionRejected, ReviewNote: "薪资不明"}
	x := &zhagen.Approval{ProjectID: 9, ProjectName: "实验室", Kind: zhagen.ApprovalPlanning, Part: "一期", DeptID: 3, Note: "请受理"}
	l := &zhagen.Linkage{CadreID: 1, EnterpriseID: 5, EnterpriseName: "甲公司", NextDue: "2026-11-05", CadenceDays: 30}
	cases := []struct {
		n           zhagen.Notice
		title, body string
	}{
		{zhagen.NoticeDemandSubmitted(d), "新诉求待分派：#12 用电增容", "甲公司"},
		{zhagen.NoticeDemandAssigned(d, "分派：主办 经济发展局。"), "新诉求待签收：#12 用电增容", "分派：主办 经济发展局。"},
		{zhagen.NoticeDemandReturned(d, "非本部门职责"), "诉求被退回：#12 用电增容", "非本部门职责"},
		{zhagen.NoticeDemandProgress(d, "已勘察"), "诉求有新进展：#12 用电增容", "已勘察"},
		{zhagen.NoticeDemandPaused(d, "请补充"), "请补充诉求材料：#12 用电增容", "请补充"},
		{zhagen.NoticeDemandResumed(d, ""), "企业已补充材料：#12 用电增容", ""},
		{zhagen.NoticeExtensionRequested(d, "申请延期 3 个工作日：工期"), "延期申请待审批：#12 用电增容", "申请延期 3 个工作日：工期"},
		{zhagen.NoticeExtensionDecided(d, "不同意"), "延期申请已审批：#12 用电增容", "不同意"},
		{zhagen.NoticeDemandResolved(d, "已解决"), "诉求已办结，请评价：#12 用电增容", "已解决"},
		{zhagen.NoticeDemandUnsatisfied(d, "不满意"), "企业不满意，诉求重新办理：#12 用电增容", "不满意"},
		{zhagen.NoticeDemandReopened(d, "重办"), "诉求重新办理：#12 用电增容", "重办"},
		{zhagen.NoticeDemandWithdrawn(d, ""), "诉求已撤回：#12 用电增容", ""},
		{zhagen.NoticeDemandEscalated(d, "提请联合会诊：用电"), "诉求提请会商：#12 用电增容", "提请联合会诊：用电"},
		{zhagen.NoticeItemsWaived(d, "准予"), "会商事项已准予先行办结：#12 用电增容", "准予"},
		{zhagen.NoticeSLA(d, zhagen.SLAYellow), "诉求即将超期：#12 用电增容", "办结时限已用去75%，将于 2026-10-14 16:00 到期"},
		{zhagen.NoticeSLA(d, zhagen.SLARed), "诉求已超期：#12 用电增容", "已超过办结时限 2026-10-14 16:00"},
		{zhagen.NoticeItemsDone(12, 3, "用电协调"), "会商事项已全部完成，可办结诉求：#12", "用电协调"},
		{zhagen.NoticeRedFlag("甲公司", "企业拟外迁", "2026-11-01"), "风险预警：甲公司", "企业拟外迁（走访 2026-11-01）"},
		{zhagen.NoticeVisitDue(l), "走访提醒：甲公司", "应于 2026-11-05 前走访（周期 30 天）"},
		{zhagen.NoticeApprovalSubmitted(x, "实验室"), "审批待受理：实验室 " + x.Kind.Label() + "（一期）", "请受理"},
		{zhagen.NoticeApprovalStepped(x, zhagen.ApprovalApproved, " 同意 ", 1, 3, 5), "审批" + zhagen.ApprovalApproved.Label() + "：实验室 " + x.Kind.Label() + " 一期", "同意"},
		{zhagen.NoticeConsultationInvite(c, []int64{3}, nil), "会商邀请：" + c.Kind.Label() + " 用电协调", "2026-11-02 15:00 会议室，请确认参会"},
		{zhagen.NoticeAttendance(c, zhagen.AttendYes, "张三", "规划局"), zhagen.AttendYes.Label() + "：用电协调", "张三（规划局）"},
		{zhagen.NoticeActionItem(&zhagen.ActionItem{ConsultationID: 4, Title: "补充资料", OwnerDeptID: 3, DueAt: due}), "会商事项待办：补充资料", "办理时限：2026-10-14 16:00"},
		{zhagen.NoticeMatchGraduate(p, &zhagen.MatchResult{PositionID: 1, EnterpriseName: "甲公司", PositionTitle: "开发", Choice: 2}, 6), "暑期实践匹配结果", "您已匹配到 甲公司 的“开发”岗位（第2志愿）。"},
		{zhagen.NoticeMatchGraduate(p, &zhagen.MatchResult{Reason: "志愿已用尽"}, 6), "暑期实践匹配结果", "本次未能匹配：志愿已用尽。"},
		{zhagen.NoticeMatchEnterprise(p, 5, 2, []string{"甲生"}, 1), "暑期实践匹配结果", "贵企业共录取 2 名实习生：甲生（其中 1 名未同意向企业公开个人信息）。"},
		{zhagen.NoticeMatchEnterprise(p, 5, 1, nil, 0), "暑期实践匹配结果", "贵企业共录取 1 名实习生。"},
		{zhagen.NoticePositionCreated(pos), "新岗位待审核：工程师", "甲公司 发布了岗位“工程师”，请审核。"},
		{zhagen.NoticePositionReviewed(pos), "岗位审核结果：" + pos.Status.Label(), "岗位“工程师”被退回：薪资不明"},
	}
	for _, tc := range cases {
		// Through JSON, as the outbox stores it.
		b, err := json.Marshal(tc.n)
		if err != nil {
			t.Fatal(err)
		}
		var n zhagen.Notice
		if err := json.Unmarshal(b, &n); err != nil {
			t.Fatal(err)
		}
		if n.To.Empty() || n.Kind == "" || n.Severity == "" || n.Link == "" {
			t.Errorf("%s: %+v", tc.n.Kind, n)
		}
		for _, lang := range catalog.Languages {
			for _, m := range []zhagen.Message{n.Title, n.Body} {
				if m.Key == "" {
					continue
				}
				if s := cat.Sprintf(lang, m.Key, m.Args...); !cat.Has(m.Key) || strings.Contains(s, "%!") {
					t.Errorf("%s in %s: %q", m.Key, lang, s)
				}
			}
		}
		title := cat.Sprintf(catalog.ZH, n.Title.Key, n.Title.Args...)
		var body string
		if n.Body.Key != "" {
			body = cat.Sprintf(catalog.ZH, n.Body.Key, n.Body.Args...)
		}
		if title != tc.title || body != tc.body {
			t.Errorf("%s: %q / %q, want %q / %q", n.Kind, title, body, tc.title, tc.body)
		}
	}
}

// TestPlanExtendLimits: an extension asks for 1 to 30 working days, with
// a reason, and only one waits for approval at a time.
func TestPlanExtendLimits(t *testing.T) {
	cal := calendar(t)
	due := at("2026-11-10 10:00")
	d := &zhagen.Demand{ID: 12, Title: "用电增容", Status: zhagen.DemandInProgress, LeadDeptID: 3, EnterpriseID: 5, ResolutionDue: &due, SLALevel: zhagen.SLAOK}
	now := at("2026-11-03 10:00")
	extend := func(d *zhagen.Demand, days int) error {
		_, err := zhagen.PlanTransition(d, staffOf(3), zhagen.Transition{Action: zhagen.ActExtend, Days: days, Note: "需等待省级审批"}, now, cal, zhagen.TransitionFacts{})
		return err
	}
	for days, ok := range map[int]bool{0: false, 1: true, 30: true, 31: false} {
		var ze *zhagen.Error
		if err := extend(d, days); (err == nil) != ok || (!ok && (!errors.As(err, &ze) || ze.Field != "days")) {
			t.Errorf("extension of %d days: %v, want accepted %v", days, err, ok)
		}
	}
	pending := *d
	pending.ExtensionDays = 1
	if err := extend(&pending, 5); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
		t.Errorf("a second extension while one of 1 day waits: %v, want a conflict", err)
	}
}
