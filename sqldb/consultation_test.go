package sqldb_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// projectFixture adds the story's laboratory project to the demand
// fixture: the investment holding company owns it, the construction
// bureau takes its building problems, the liaison cadre raises them.
type projectFixture struct {
	*demandFixture
	consults                                         *sqldb.ConsultationService
	projects                                         *sqldb.ProjectService
	construction, holding                            *zhagen.Department
	building                                         *zhagen.Category
	lab                                              *zhagen.Project
	buildStaff, holdStaff, liaison, leader, ent2Proj context.Context
	fitOut                                           *zhagen.Milestone
}

func newProjectFixture(t *testing.T, e sqldbtest.Engine) *projectFixture {
	t.Helper()
	f := &projectFixture{demandFixture: newDemandFixture(t, e)}
	cal, err := sla.NewCalendar(sla.Config{})
	must(t, err)
	f.consults, f.projects = sqldb.NewConsultationService(f.db, cal), sqldb.NewProjectService(f.db, cal)
	f.construction = &zhagen.Department{Name: "城乡建设局", Kind: zhagen.DeptGov, ParentID: f.root.ID}
	must(t, f.depts.CreateDepartment(f.admin, f.construction))
	f.holding = &zhagen.Department{Name: "投资控股有限公司", Kind: zhagen.DeptSOE, ParentID: f.root.ID}
	must(t, f.depts.CreateDepartment(f.admin, f.holding))
	f.building = &zhagen.Category{Code: "building", Name: "工程建设", Group: "项目建设", LeadDeptID: f.construction.ID,
		DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA(), AutoCloseDays: 7}
	must(t, f.cats.CreateCategory(f.admin, f.building))
	f.buildStaff = f.user(t, "build", zhagen.RoleStaff, f.construction.ID, 0)
	f.holdStaff = f.user(t, "hold", zhagen.RoleStaff, f.holding.ID, 0)
	f.liaison = f.user(t, "liaison", zhagen.RoleCadre, f.construction.ID, 0)
	f.leader = f.user(t, "leader", zhagen.RoleLeader, f.root.ID, 0)
	liaison := zhagen.ActorFromContext(f.liaison)
	f.lab = &zhagen.Project{Name: "光电信息创新实验室", Level: zhagen.LevelProvincial, OwnerDeptID: f.holding.ID, Industry: "光电",
		Investment: 350000, Area: "D区", Building: "3号楼", LiaisonID: liaison.UserID, Status: zhagen.ProjectNearlyDone}
	must(t, f.projects.CreateProject(f.dispatcher, f.lab))
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, zhagen.Shanghai) }
	main := &zhagen.Milestone{ProjectID: f.lab.ID, Phase: "主体施工", Name: "主体结构封顶", PlannedStart: day(3, 1), PlannedEnd: day(9, 30), ActualStart: ptr(day(3, 5)), ActualEnd: ptr(day(10, 8))}
	must(t, f.projects.SaveMilestone(f.liaison, main))
	f.fitOut = &zhagen.Milestone{ProjectID: f.lab.ID, Phase: "装修", Name: "实验室提前进场二次改造", PlannedStart: day(11, 1), PlannedEnd: day(12, 31)}
	must(t, f.projects.SaveMilestone(f.liaison, f.fitOut))
	return f
}

// TestConsultationStory is the laboratory's story end to end: the floor
// height change of building D3 is raised as a demand on the project,
// escalated to a joint consultation with the planning and construction
// bureaus, decided with action items; the owner files a change approval
// that is decided; the re-fit passes planning and fire acceptance in two
// stages; the milestone moves and the demand resolves and closes once all
// action items are done.
func TestConsultationStory(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		d := &zhagen.Demand{ProjectID: f.lab.ID, CategoryID: f.building.ID, Title: "D区3号楼层高变更", Description: "使用方临时提出调整部分楼层层高，工期紧"}
		must(t, f.demands.CreateDemand(f.liaison, d, ""))
		if d.Channel != zhagen.ChannelProject || d.ProjectID != f.lab.ID || d.LeadDeptID != f.construction.ID {
			t.Fatalf("project demand %+v", d)
		}
		d = f.act(t, f.buildStaff, d, zhagen.Transition{Action: zhagen.ActAccept})
		d = f.act(t, f.buildStaff, d, zhagen.Transition{Action: zhagen.ActEscalate, Consultation: "D区3号楼层高变更联合会诊"})
		if d.Status != zhagen.DemandEscalated || d.ConsultationID == 0 {
			t.Fatalf("escalate %+v", d)
		}
		c, err := f.consults.FindConsultationByID(f.buildStaff, d.ConsultationID)
		must(t, err)
		if c.Kind != zhagen.KindJoint || c.Status != zhagen.ConsultPlanned || !slices.Equal(c.DemandIDs, []int64{d.ID}) || c.ProjectID != f.lab.ID {
			t.Fatalf("escalated consultation %+v", c)
		}
		// The convener invites the two bureaus and sets the meeting.
		at := time.Date(2026, 11, 2, 15, 0, 0, 0, zhagen.Shanghai)
		c, err = f.consults.UpdateConsultation(f.buildStaff, c.ID, zhagen.ConsultationUpdate{Version: c.Version, StartsAt: &at, Place: ptr("实验室项目部会议室"),
			AddDeptIDs: []int64{f.planning.ID, f.construction.ID}})
		must(t, err)
		if len(c.Invitees) != 2 {
			t.Fatalf("invitees %+v", c.Invitees)
		}
		f.drain(t)
		notes, _, err := f.notes.FindNotifications(f.planStaff, true, 10)
		must(t, err)
		if len(notes) == 0 || !strings.Contains(notes[0].Title, "会商邀请") {
			t.Fatalf("planning staff not invited: %+v", notes)
		}
		// The planning bureau is invited but does not manage the meeting.
		must(t, f.consults.ConfirmAttendance(f.planStaff, c.ID, zhagen.AttendYes))
		_, err = f.consults.UpdateConsultation(f.planStaff, c.ID, zhagen.ConsultationUpdate{Minutes: ptr("x")})
		wantCode(t, err, zhagen.EFORBIDDEN)
		// An unrelated enterprise user does not see the meeting at all.
		_, err = f.consults.FindConsultationByID(f.ent2, c.ID)
		wantCode(t, err, zhagen.ENOTFOUND)

		f.clock.Advance(6 * time.Hour) // the meeting, Monday 15:00
		held := zhagen.ConsultHeld
		c, err = f.consults.UpdateConsultation(f.buildStaff, c.ID, zhagen.ConsultationUpdate{Status: &held,
			Minutes:   ptr("使用方提出D区3号楼部分楼层层高调整，各部门现场会商。"),
			Decisions: ptr("一、业主单位申请总评变更，自然资源和规划局加速审批；\n二、城乡建设局对施工中的变更进行指导。")})
		must(t, err)
		if c.Status != zhagen.ConsultHeld || c.Invitees[0].Attendance != zhagen.AttendYes {
			t.Fatalf("held %+v %+v", c, c.Invitees[0])
		}
		planItem := &zhagen.ActionItem{ConsultationID: c.ID, Title: "审查D区3号楼总评变更", OwnerDeptID: f.planning.ID, DueDays: 3}
		must(t, f.consults.AddActionItem(f.buildStaff, planItem))
		buildItem := &zhagen.ActionItem{ConsultationID: c.ID, Title: "指导层高变更施工", OwnerDeptID: f.construction.ID, DueDays: 5,
			AssigneeID: zhagen.ActorFromContext(f.buildStaff).UserID}
		must(t, f.consults.AddActionItem(f.buildStaff, buildItem))
		err = f.consults.AddActionItem(f.buildStaff, &zhagen.ActionItem{ConsultationID: c.ID, Title: "补充资料", OwnerDeptID: f.holding.ID, DueAt: f.clock.Now().Add(-time.Hour)})
		wantCode(t, err, zhagen.EINVALID)
		err = f.consults.AddActionItem(f.buildStaff, &zhagen.ActionItem{ConsultationID: c.ID, OwnerDeptID: f.holding.ID, DueDays: 2})
		if zhagen.FieldErrors(err)["title"] == "" {
			t.Fatalf("missing title: %v", err)
		}
		// Monday 15:00 + 3 working days → Thursday 15:00.
		if want := time.Date(2026, 11, 5, 15, 0, 0, 0, zhagen.Shanghai); !planItem.DueAt.Equal(want) {
			t.Fatalf("due %v, want %v", planItem.DueAt, want)
		}

		// The demand cannot be resolved while the items are open.
		_, err = f.demands.Transition(f.buildStaff, d.ID, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已完成，已答复企业并告知办理依据"})
		wantCode(t, err, zhagen.ECONFLICT)
		if !strings.Contains(zhagen.ErrorMessage(err), "审查D区3号楼总评变更") {
			t.Fatalf("message %q does not name the item", zhagen.ErrorMessage(err))
		}

		// The owner files the change approval; the planning bureau decides it.
		change := &zhagen.Approval{ProjectID: f.lab.ID, Kind: zhagen.ApprovalChange, Part: "D区3号楼", DeptID: f.planning.ID}
		must(t, f.projects.FileApproval(f.holdStaff, change))
		_, err = f.projects.StepApproval(f.buildStaff, change.ID, zhagen.ApprovalStep{Action: "approve"})
		wantCode(t, err, zhagen.ENOTFOUND) // not the construction bureau's approval
		f.clock.Advance(24 * time.Hour)
		_, err = f.projects.StepApproval(f.planStaff, change.ID, zhagen.ApprovalStep{Action: "accept"})
		must(t, err)
		f.clock.Advance(24 * time.Hour)
		// A step recorded after the fact falls between the acceptance and now.
		for _, at := range []time.Time{f.clock.Now().Add(time.Hour), f.clock.Now().Add(-25 * time.Hour)} {
			_, err = f.projects.StepApproval(f.planStaff, change.ID, zhagen.ApprovalStep{Action: "approve", At: &at, Opinion: "同意变更", DocNo: "规变〔2026〕1号"})
			if zhagen.FieldErrors(err)["at"] == "" {
				t.Fatalf("approve at %v: %v", at, err)
			}
		}
		got, err := f.projects.StepApproval(f.planStaff, change.ID, zhagen.ApprovalStep{Action: "approve", Note: "同意变更", Opinion: "同意变更", DocNo: "规变〔2026〕1号"})
		must(t, err)
		if got.Status != zhagen.ApprovalApproved || got.DecidedAt == nil || got.WaitDays != 2 {
			t.Fatalf("change approval %+v", got)
		}
		_, err = f.consults.CompleteActionItem(f.planStaff, planItem.ID, zhagen.ItemCompletion{Note: "总评变更已批复", FileName: "批复.txt", File: []byte("同意D区3号楼层高变更")})
		must(t, err)
		_, err = f.consults.CompleteActionItem(f.planStaff, buildItem.ID, zhagen.ItemCompletion{Note: "x"})
		wantCode(t, err, zhagen.ENOTFOUND)

		// The re-fit passes planning and fire acceptance in two stages.
		for _, part := range []string{"第一阶段：主体部分", "第二阶段：二次改造部分"} {
			plan := &zhagen.Approval{ProjectID: f.lab.ID, Kind: zhagen.ApprovalStaged, Part: part + "规划验收", DeptID: f.planning.ID}
			fire := &zhagen.Approval{ProjectID: f.lab.ID, Kind: zhagen.ApprovalStaged, Part: part + "消防验收", DeptID: f.construction.ID}
			must(t, f.projects.FileApproval(f.holdStaff, plan))
			must(t, f.projects.FileApproval(f.liaison, fire))
			f.clock.Advance(24 * time.Hour)
			_, err = f.projects.StepApproval(f.planStaff, plan.ID, zhagen.ApprovalStep{Action: "approve", Opinion: "验收合格", DocNo: "规验〔2026〕2号"})
			must(t, err)
			_, err = f.projects.StepApproval(f.buildStaff, fire.ID, zhagen.ApprovalStep{Action: "approve", Opinion: "验收合格", DocNo: "消验〔2026〕3号"})
			must(t, err)
		}
		all, total, err := f.projects.FindApprovals(f.leader, zhagen.ApprovalFilter{ProjectID: f.lab.ID})
		must(t, err)
		if total != 5 || len(all) != 5 {
			t.Fatalf("approvals %d", total)
		}
		for _, x := range all {
			if x.Status != zhagen.ApprovalApproved {
				t.Fatalf("approval %+v", x)
			}
		}
		// Staff of a department see exactly the approvals and items it owns.
		mine, _, err := f.projects.FindApprovals(f.planStaff, zhagen.ApprovalFilter{})
		must(t, err)
		if len(mine) != 3 {
			t.Fatalf("planning approvals %d", len(mine))
		}
		for _, x := range mine {
			if x.DeptID != f.planning.ID {
				t.Fatalf("planning sees %+v", x)
			}
		}
		items, _, err := f.consults.FindActionItems(f.planStaff, zhagen.ActionItemFilter{})
		must(t, err)
		if len(items) != 1 || items[0].ID != planItem.ID || items[0].Status != zhagen.ItemDone {
			t.Fatalf("planning items %+v", items)
		}
		items, _, err = f.consults.FindActionItems(f.buildStaff, zhagen.ActionItemFilter{})
		must(t, err)
		if len(items) != 1 || items[0].ID != buildItem.ID {
			t.Fatalf("construction items %+v", items)
		}

		// The milestone moves; the project enters fit-out.
		f.fitOut.ActualStart, f.fitOut.Progress = ptr(f.clock.Now()), 40
		must(t, f.projects.SaveMilestone(f.liaison, f.fitOut))
		f.lab.Status = zhagen.ProjectFitOut
		must(t, f.projects.UpdateProject(f.holdStaff, f.lab))
		if f.lab.Status != zhagen.ProjectFitOut || f.lab.Progress != 70 {
			t.Fatalf("project %+v", f.lab)
		}

		// The last item done, the demand resolves and closes.
		_, err = f.consults.CompleteActionItem(f.buildStaff, buildItem.ID, zhagen.ItemCompletion{Note: "已现场指导，层高变更施工完成"})
		must(t, err)
		d = f.act(t, f.buildStaff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "总评变更已批复，层高调整完成，实验室分阶段验收通过"})
		d = f.act(t, f.dispatcher, d, zhagen.Transition{Action: zhagen.ActClose, Solved: ptr(true), Note: "业主单位确认问题已解决。"})
		if d.Status != zhagen.DemandClosed || d.Solved == nil || !*d.Solved {
			t.Fatalf("closed %+v", d)
		}
		o, err := f.projects.Overview(f.leader)
		must(t, err)
		if len(o.WaitsByDept) != 0 || len(o.OpenItemsByDept) != 0 {
			t.Fatalf("overview %+v", o)
		}
		_, err = f.projects.Overview(f.planStaff)
		wantCode(t, err, zhagen.EFORBIDDEN)
	})
}

// TestResolveWithOpenActionItem: resolving is refused naming the open
// item; the dispatcher's override with a reason lets it through and is on
// the timeline.
func TestResolveWithOpenActionItem(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		d := f.file(t, f.cadre, "双回路供电")
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActEscalate, Consultation: "供电方案一企一议"})
		it := &zhagen.ActionItem{ConsultationID: d.ConsultationID, Title: "编制第二回路接入方案", OwnerDeptID: f.supply.ID, DueDays: 2}
		must(t, f.consults.AddActionItem(f.staff, it))
		// The supply company sees its item; the planning bureau does not.
		items, _, err := f.consults.FindActionItems(f.supplyStaff, zhagen.ActionItemFilter{})
		must(t, err)
		if len(items) != 1 {
			t.Fatalf("supply items %d", len(items))
		}
		_, err = f.consults.FindActionItemByID(f.planStaff, it.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		f.clock.Advance(3 * 24 * time.Hour)
		items, _, err = f.consults.FindActionItems(f.dispatcher, zhagen.ActionItemFilter{Status: zhagen.ItemOverdue})
		must(t, err)
		if len(items) != 1 || items[0].Status != zhagen.ItemOverdue {
			t.Fatalf("overdue %+v", items)
		}
		_, err = f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已接通，已答复企业并告知办理依据"})
		wantCode(t, err, zhagen.ECONFLICT)
		if !strings.Contains(zhagen.ErrorMessage(err), "编制第二回路接入方案") {
			t.Fatalf("message %q", zhagen.ErrorMessage(err))
		}
		_, err = f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActWaive, Note: "x"})
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, err = f.demands.Transition(f.dispatcher, d.ID, zhagen.Transition{Action: zhagen.ActWaive})
		wantCode(t, err, zhagen.EINVALID)
		f.act(t, f.dispatcher, d, zhagen.Transition{Action: zhagen.ActWaive, Note: "供电公司已书面承诺，企业急需先行答复"})
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已接通，已答复企业并告知办理依据"})
		if d.Status != zhagen.DemandResolved {
			t.Fatalf("resolve %+v", d)
		}
		events, err := f.demands.FindDemandEvents(f.dispatcher, d.ID)
		must(t, err)
		found := false
		for _, ev := range events {
			found = found || (ev.Action == zhagen.ActWaive && strings.Contains(ev.Note, "书面承诺"))
		}
		if !found {
			t.Fatal("override not on the timeline")
		}
		// After a new escalation the open items block again, the waived
		// one included, until done or waived anew.
		d = f.act(t, f.dispatcher, d, zhagen.Transition{Action: zhagen.ActReopen, Note: "企业反映第二回路未接通"})
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActEscalate, Consultation: "第二回路接通再会商"})
		again := &zhagen.ActionItem{ConsultationID: d.ConsultationID, Title: "接通第二回路", OwnerDeptID: f.supply.ID, DueDays: 3}
		must(t, f.consults.AddActionItem(f.staff, again))
		_, err = f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已接通，已答复企业并告知办理依据"})
		wantCode(t, err, zhagen.ECONFLICT)
		if !strings.Contains(zhagen.ErrorMessage(err), "编制第二回路接入方案") {
			t.Fatalf("message %q", zhagen.ErrorMessage(err))
		}
		_, err = f.consults.CompleteActionItem(f.supplyStaff, it.ID, zhagen.ItemCompletion{Note: "方案已编制"})
		must(t, err)
		_, err = f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已接通，已答复企业并告知办理依据"})
		if !strings.Contains(zhagen.ErrorMessage(err), "接通第二回路") {
			t.Fatalf("message %q", zhagen.ErrorMessage(err))
		}
	})
}

// TestProjectScope: enterprise users see only the projects they own.
func TestProjectScope(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		p := &zhagen.Project{Name: "甲公司二期厂房", Level: zhagen.LevelMunicipal, OwnerEnterpriseID: f.entA.ID, Status: zhagen.ProjectBuilding}
		must(t, f.projects.CreateProject(f.dispatcher, p))
		list, total, err := f.projects.FindProjects(f.ent, zhagen.ProjectFilter{})
		must(t, err)
		if total != 1 || list[0].ID != p.ID {
			t.Fatalf("enterprise projects %d", total)
		}
		// The overview's drill-down: only the projects behind plan.
		late := &zhagen.Milestone{ProjectID: p.ID, Name: "厂房封顶", PlannedStart: time.Date(2026, 1, 5, 0, 0, 0, 0, zhagen.Shanghai),
			PlannedEnd: time.Date(2026, 3, 31, 0, 0, 0, 0, zhagen.Shanghai)}
		must(t, f.projects.SaveMilestone(f.dispatcher, late))
		list, total, err = f.projects.FindProjects(f.leader, zhagen.ProjectFilter{Behind: true})
		must(t, err)
		if total != 1 || len(list) != 1 || list[0].ID != p.ID || list[0].Behind != 1 {
			t.Fatalf("projects behind plan: %d %+v", total, list)
		}
		_, err = f.projects.FindProjectByID(f.ent2, p.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		_, err = f.projects.FindMilestones(f.ent, f.lab.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		err = f.projects.CreateProject(f.staff, &zhagen.Project{Name: "x", Level: zhagen.LevelDistrict, OwnerDeptID: f.holding.ID})
		wantCode(t, err, zhagen.EFORBIDDEN)
		err = f.projects.CreateProject(f.dispatcher, &zhagen.Project{Name: "y", Level: zhagen.LevelDistrict})
		wantCode(t, err, zhagen.EINVALID)
		// An enterprise may not raise a problem on another's project.
		err = f.demands.CreateDemand(f.ent2, &zhagen.Demand{ProjectID: p.ID, CategoryID: f.building.ID, Title: "t", Description: "d"}, "")
		wantCode(t, err, zhagen.EINVALID)
		d := &zhagen.Demand{ProjectID: p.ID, CategoryID: f.building.ID, Title: "施工许可加快", Description: "d"}
		must(t, f.demands.CreateDemand(f.ent, d, ""))
		if d.Channel != zhagen.ChannelProject || d.EnterpriseID != f.entA.ID {
			t.Fatalf("enterprise project demand %+v", d)
		}
		got, err := f.demands.FindDemandByID(f.ent, d.ID)
		must(t, err)
		if got.ProjectID != p.ID {
			t.Fatalf("project id not stored: %+v", got)
		}
	})
}

// TestActionItemDueFromMeeting: an item's working days count from the
// meeting that decided it, so an item recorded after a meeting before
// National Day falls due after the holiday, not days after recording;
// without a meeting time they count from now.
func TestActionItemDueFromMeeting(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		cal, err := sla.NewCalendar(sla.Config{})
		must(t, err)
		met := time.Date(2026, 9, 30, 9, 0, 0, 0, zhagen.Shanghai)
		c := &zhagen.Consultation{Kind: zhagen.KindTopic, Title: "节前专题会", StartsAt: &met, ProjectID: f.lab.ID}
		must(t, f.consults.CreateConsultation(f.dispatcher, c))
		it := &zhagen.ActionItem{ConsultationID: c.ID, Title: "节后复工检查", OwnerDeptID: f.construction.ID, DueDays: 3}
		must(t, f.consults.AddActionItem(f.dispatcher, it))
		want := cal.Due(met, sla.Duration{Amount: 3, Unit: sla.Days})
		if !it.DueAt.Equal(want) || !want.After(time.Date(2026, 10, 8, 0, 0, 0, 0, zhagen.Shanghai)) {
			t.Fatalf("due %v, want %v (three working days after the meeting, after the holiday)", it.DueAt, want)
		}
		open := &zhagen.Consultation{Kind: zhagen.KindTopic, Title: "未定时间的专题会", ProjectID: f.lab.ID}
		must(t, f.consults.CreateConsultation(f.dispatcher, open))
		it = &zhagen.ActionItem{ConsultationID: open.ID, Title: "梳理问题清单", OwnerDeptID: f.construction.ID, DueDays: 3}
		must(t, f.consults.AddActionItem(f.dispatcher, it))
		if want := cal.Due(f.clock.Now(), sla.Duration{Amount: 3, Unit: sla.Days}); !it.DueAt.Equal(want) {
			t.Fatalf("due %v, want %v (three working days from now)", it.DueAt, want)
		}
	})
}
