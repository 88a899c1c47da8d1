package demo

import (
	"context"
	"fmt"
	"time"

	"zhagen"
)

// The story's key project and the people who work on it.
const (
	projectLab    = "中国福建光电信息科学与技术创新实验室（闽都创新实验室）"
	deptPlanning  = "自然资源和规划局"
	deptConstruct = "城乡建设局"
	deptFire      = "福州高新区消防救援大队"
	loginPlanning = "planning"
	loginBuilding = "building"
	loginHolding  = "holding"
)

// projectStaff are department staff logins the project story needs: the
// bureaus that decide its approvals and own its action items, and the
// owner's project office.
var projectStaff = []*person{
	{Login: loginPlanning, Name: "林晓峰", Role: zhagen.RoleStaff, Dept: deptPlanning, Rank: "科员", Fixed: true},
	{Login: loginBuilding, Name: "黄建平", Role: zhagen.RoleStaff, Dept: deptBuilding, Rank: "科员", Fixed: true},
	{Login: loginHolding, Name: "吴海燕", Role: zhagen.RoleStaff, Dept: deptHolding, Rank: "科员", Fixed: true},
}

// actorFor returns a context acting as the user with login.
func (l *loader) actorFor(ctx context.Context, login string) (context.Context, *zhagen.Actor, error) {
	users, _, err := l.s.Users.FindUsers(ctx, zhagen.UserFilter{Login: login, Limit: 1})
	if err != nil {
		return nil, nil, err
	}
	if len(users) == 0 {
		return nil, nil, fmt.Errorf("demo user %s not found", login)
	}
	return l.actorOf(ctx, users[0])
}

// actorNamed returns a context acting as the user named name (the demo's
// cadres have generated logins but distinct names).
func (l *loader) actorNamed(ctx context.Context, name string) (context.Context, *zhagen.Actor, error) {
	users, _, err := l.s.Users.FindUsers(ctx, zhagen.UserFilter{Query: name, Limit: 50})
	if err != nil {
		return nil, nil, err
	}
	for _, u := range users {
		if u.Name == name {
			return l.actorOf(ctx, u)
		}
	}
	return nil, nil, fmt.Errorf("demo user %s not found", name)
}

// actorOf returns a context acting as u, with u's department.
func (l *loader) actorOf(ctx context.Context, u *zhagen.User) (context.Context, *zhagen.Actor, error) {
	a := &zhagen.Actor{UserID: u.ID, Login: u.Login, Name: u.Name, Roles: u.Roles, DeptID: u.DeptID, EnterpriseID: u.EnterpriseID}
	if u.DeptID != 0 {
		d, err := l.s.Departments.FindDepartmentByID(ctx, u.DeptID)
		if err != nil {
			return nil, nil, err
		}
		a.DeptPath, a.DeptName = d.Path, d.Name
	}
	return zhagen.NewContextWithActor(ctx, a), a, nil
}

// project loads the story's laboratory: nearly complete and entering
// fit-out, the floor-height change of building D3 decided at a joint
// consultation, the early-entry re-fit accepted for planning and fire in
// stages, and a coordination meeting coming up. It is skipped when the
// project exists.
func (l *loader) project(ctx context.Context) error {
	s := l.s
	if s.Projects == nil || s.Consultations == nil || s.Demands == nil || s.Categories == nil {
		return nil
	}
	if _, n, err := s.Projects.FindProjects(ctx, zhagen.ProjectFilter{Query: "闽都创新实验室", Limit: 1}); err != nil {
		return err
	} else if n > 0 {
		l.projectT.existing++
		return nil
	}
	users, _, err := s.Users.FindUsers(ctx, zhagen.UserFilter{Role: zhagen.RoleStaff, Limit: 200})
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, u := range users {
		have[u.Login] = true
	}
	for _, p := range projectStaff {
		if have[p.Login] {
			continue
		}
		u := &zhagen.User{Login: p.Login, Name: p.Name, Roles: []zhagen.Role{p.Role}, Rank: p.Rank, DeptID: l.deptIDs[p.Dept], Password: l.password}
		if err := s.Users.CreateUser(ctx, u); err != nil && zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			return fmt.Errorf("%s: %w", p.Login, err)
		}
	}
	liaisonCtx, liaison, err := l.actorNamed(ctx, "郑朝贤")
	if err != nil {
		return err
	}
	planning, _, err := l.actorFor(ctx, loginPlanning)
	if err != nil {
		return err
	}
	building, _, err := l.actorFor(ctx, loginBuilding)
	if err != nil {
		return err
	}
	holding, _, err := l.actorFor(ctx, loginHolding)
	if err != nil {
		return err
	}
	dispatcher, _, err := l.actorFor(ctx, loginDispatcher)
	if err != nil {
		return err
	}
	now := l.clock.Now().In(zhagen.Shanghai)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, zhagen.Shanghai)
	day := func(d int) time.Time { return today.AddDate(0, 0, d) }
	at := func(d, hour int) *time.Time { t := day(d).Add(time.Duration(hour) * time.Hour); return &t }
	ptr := func(t time.Time) *time.Time { return &t }

	p := &zhagen.Project{Name: projectLab, Level: zhagen.LevelProvincial, OwnerDeptID: l.deptIDs[deptHolding], Industry: indOpto,
		Investment: 186000, Area: "D区", Building: "1–5号楼", LiaisonID: liaison.UserID, Status: zhagen.ProjectFitOut,
		Description: "省重点项目，由福州高新区投资控股有限公司承建。主体基本竣工，即将进入装修阶段；使用方提前进场二次改造，规划和消防分阶段验收。"}
	if err := s.Projects.CreateProject(ctx, p); err != nil {
		return err
	}
	l.projectT.created++
	milestones := []*zhagen.Milestone{
		{Phase: "前期", Name: "立项与规划许可", PlannedStart: day(-900), PlannedEnd: day(-780), ActualStart: ptr(day(-900)), ActualEnd: ptr(day(-790))},
		{Phase: "主体施工", Name: "主体结构施工", PlannedStart: day(-760), PlannedEnd: day(-120), ActualStart: ptr(day(-755)), ActualEnd: ptr(day(-95))},
		{Phase: "主体施工", Name: "D区3号楼层高调整施工", PlannedStart: day(-60), PlannedEnd: day(-12), ActualStart: ptr(day(-48)), Progress: 85},
		{Phase: "主体施工", Name: "基本竣工", PlannedStart: day(-95), PlannedEnd: day(-20), ActualStart: ptr(day(-95)), ActualEnd: ptr(day(-15))},
		{Phase: "验收", Name: "规划、消防分阶段验收", PlannedStart: day(-25), PlannedEnd: day(30), ActualStart: ptr(day(-22)), Progress: 50},
		{Phase: "装修", Name: "实验室提前进场二次改造", PlannedStart: day(-10), PlannedEnd: day(75), ActualStart: ptr(day(-6)), Progress: 15},
		{Phase: "验收", Name: "竣工验收", PlannedStart: day(80), PlannedEnd: day(100)},
		{Phase: "投用", Name: "投入使用", PlannedStart: day(105), PlannedEnd: day(120)},
	}
	for _, m := range milestones {
		m.ProjectID = p.ID
		if err := s.Projects.SaveMilestone(liaisonCtx, m); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
	}
	economy, _, err := l.actorFor(ctx, loginStaff)
	if err != nil {
		return err
	}
	// Each approval is accepted and decided by its approving department,
	// with its opinion and, approved, the reply's document number.
	deciders := map[string]context.Context{deptEconomy: economy, deptPlanning: planning, deptBuilding: building}
	type step struct {
		action  string
		day     int
		opinion string
		docNo   string
	}
	approvals := []struct {
		kind  zhagen.ApprovalKind
		part  string
		dept  string
		by    context.Context
		filed int
		steps []step
	}{
		{zhagen.ApprovalProject, "", deptEconomy, holding, -900, []step{{"accept", -899, "", ""}, {"approve", -880, "符合产业规划，同意立项。", "榕高经发〔2024〕35号"}}},
		{zhagen.ApprovalPlanning, "", deptPlanning, holding, -860, []step{{"accept", -858, "", ""}, {"approve", -840, "符合控制性详细规划，同意核发建设工程规划许可证。", "建字第350100202400118号"}}},
		{zhagen.ApprovalConstruction, "", deptBuilding, holding, -800, []step{{"accept", -799, "", ""}, {"approve", -790, "施工图审查合格，同意核发施工许可证。", "350121202406050101"}}},
		{zhagen.ApprovalChange, "D区3号楼部分楼层层高调整", deptPlanning, holding, -52, []step{{"accept", -51, "", ""}, {"approve", -47, "层高调整不改变用地性质和容积率，同意变更。", "榕高规变〔2026〕12号"}}},
		{zhagen.ApprovalStaged, "第一阶段：主体部分规划验收", deptPlanning, holding, -22, []step{{"accept", -21, "", ""}, {"approve", -14, "主体部分符合规划许可，验收合格。", "榕高规验〔2026〕27号"}}},
		{zhagen.ApprovalStaged, "第一阶段：主体部分消防验收", deptBuilding, holding, -22, []step{{"accept", -21, "", ""}, {"approve", -12, "主体部分消防设施按图施工，验收合格。", "榕高建消验字〔2026〕第0031号"}}},
		{zhagen.ApprovalStaged, "第二阶段：二次改造部分规划验收", deptPlanning, liaisonCtx, -8, []step{{"accept", -7, "", ""}}},
		{zhagen.ApprovalStaged, "第二阶段：二次改造部分消防验收", deptBuilding, liaisonCtx, -5, nil},
	}
	for _, a := range approvals {
		x := &zhagen.Approval{ProjectID: p.ID, Kind: a.kind, Part: a.part, DeptID: l.deptIDs[a.dept], SubmittedAt: day(a.filed).Add(10 * time.Hour)}
		if err := s.Projects.FileApproval(a.by, x); err != nil {
			return fmt.Errorf("approval %s: %w", a.kind, err)
		}
		for _, st := range a.steps {
			step := zhagen.ApprovalStep{Action: st.action, At: at(st.day, 16), Opinion: st.opinion, DocNo: st.docNo}
			if _, err := s.Projects.StepApproval(deciders[a.dept], x.ID, step); err != nil {
				return fmt.Errorf("approval %s %s: %w", a.kind, st.action, err)
			}
		}
	}

	cat := func(code string) (int64, error) {
		c, err := s.Categories.FindCategoryByCode(ctx, code)
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	}
	// The floor-height change of building D3: a joint consultation, the
	// change approval, done.
	planChange, err := cat("plan_change")
	if err != nil {
		return err
	}
	d3 := &zhagen.Demand{ProjectID: p.ID, CategoryID: planChange, Title: "D区3号楼层高变更",
		Description: "施工过程中，使用方临时提出调整D区3号楼部分楼层的层高。工期紧，需规划、建设等部门协同，业主单位拟申请总评变更。",
		Answers:     zhagen.Answers{"project": {"闽都创新实验室"}, "change": {"D区3号楼部分楼层层高调整"}}}
	if err := s.Demands.CreateDemand(liaisonCtx, d3, "demo-lab-d3"); err != nil {
		return err
	}
	for _, t := range []zhagen.Transition{{Action: zhagen.ActAccept}, {Action: zhagen.ActEscalate, Consultation: "D区3号楼层高变更联合会诊"}} {
		if d3, err = s.Demands.Transition(planning, d3.ID, t); err != nil {
			return fmt.Errorf("D3 %s: %w", t.Action, err)
		}
	}
	held := zhagen.ConsultHeld
	if _, err := s.Consultations.UpdateConsultation(planning, d3.ConsultationID, zhagen.ConsultationUpdate{
		Status: &held, StartsAt: at(-53, 15), Place: strp("闽都创新实验室项目部会议室"),
		Agenda:     strp("1. 使用方调整D区3号楼部分楼层层高的需求；\n2. 总评变更的申请与审批路径；\n3. 施工中变更的技术指导。"),
		Minutes:    strp("区城乡建设局建筑业科（行政审批科）召集自然资源和规划局、城乡建设局、投资控股公司现场会商。使用方提出D区3号楼部分楼层层高需调整，工期紧，各方一致同意按程序加快办理。"),
		Decisions:  strp("一、业主单位即日申请总评变更，自然资源和规划局按程序加速审批；\n二、城乡建设局对施工中的层高变更进行指导，确保质量与工期两不误。"),
		AddDeptIDs: []int64{l.deptIDs[deptPlanning], l.deptIDs[deptConstruct], l.deptIDs[deptBuilding], l.deptIDs[deptHolding]}}); err != nil {
		return err
	}
	for _, who := range []context.Context{planning, building, holding} {
		if err := s.Consultations.ConfirmAttendance(who, d3.ConsultationID, zhagen.AttendYes); err != nil {
			return fmt.Errorf("attendance: %w", err)
		}
	}
	items := []struct {
		title string
		dept  string
		days  int
		by    context.Context
		done  string
	}{
		{"加速审查D区3号楼总评变更", deptPlanning, 3, planning, "总评变更已批复，同意D区3号楼部分楼层层高调整。"},
		{"指导D区3号楼层高变更施工", deptBuilding, 5, building, "已现场指导变更施工，质量检查合格。"},
	}
	for _, it := range items {
		item := &zhagen.ActionItem{ConsultationID: d3.ConsultationID, Title: it.title, OwnerDeptID: l.deptIDs[it.dept], DueDays: it.days}
		if err := s.Consultations.AddActionItem(planning, item); err != nil {
			return err
		}
		if _, err := s.Consultations.CompleteActionItem(it.by, item.ID, zhagen.ItemCompletion{Note: it.done}); err != nil {
			return err
		}
	}
	if _, err := s.Demands.Transition(planning, d3.ID, zhagen.Transition{Action: zhagen.ActResolve,
		Resolution: "经联合会诊，业主单位申请总评变更并获批复，层高调整已按变更施工。"}); err != nil {
		return err
	}
	if _, err := s.Demands.Transition(dispatcher, d3.ID, zhagen.Transition{Action: zhagen.ActClose, Solved: new(true), Note: "业主单位确认问题已解决。"}); err != nil {
		return err
	}

	// The early-entry re-fit: planning and fire acceptance in stages; its
	// action items are open and a coordination meeting is coming.
	fire, err := cat("fire_acceptance")
	if err != nil {
		return err
	}
	refit := &zhagen.Demand{ProjectID: p.ID, CategoryID: fire, Title: "实验室提前进场二次改造，规划和消防需分阶段验收",
		Description: "实验室需提前进场二次改造，涉及规划和消防验收等环节，请在确保工程质量的前提下加快进度。",
		Answers:     zhagen.Answers{"area_m2": {"12000"}, "staged": {"yes"}}}
	if err := s.Demands.CreateDemand(liaisonCtx, refit, "demo-lab-refit"); err != nil {
		return err
	}
	for _, t := range []zhagen.Transition{{Action: zhagen.ActAccept}, {Action: zhagen.ActEscalate, Consultation: "实验室提前进场二次改造分阶段验收会商"}} {
		if refit, err = s.Demands.Transition(building, refit.ID, t); err != nil {
			return fmt.Errorf("re-fit %s: %w", t.Action, err)
		}
	}
	if _, err := s.Consultations.UpdateConsultation(building, refit.ConsultationID, zhagen.ConsultationUpdate{
		Status: &held, StartsAt: at(-23, 10), Place: strp("高新区管委会三楼会议室"),
		Minutes:    strp("投资控股公司反馈实验室需提前进场二次改造。在管委会统一部署下，自然资源和规划局、城乡建设局提前对主体部分进行踏勘。"),
		Decisions:  strp("一、主体部分与二次改造部分分两个阶段验收；\n二、自然资源和规划局负责规划分阶段验收，城乡建设局负责消防分阶段验收；\n三、确保实验室如期改造。"),
		AddDeptIDs: []int64{l.deptIDs[deptPlanning], l.deptIDs[deptConstruct], l.deptIDs[deptBuilding], l.deptIDs[deptHolding], l.deptIDs[deptFire]}}); err != nil {
		return err
	}
	for _, who := range []context.Context{planning, building, holding} {
		if err := s.Consultations.ConfirmAttendance(who, refit.ConsultationID, zhagen.AttendYes); err != nil {
			return fmt.Errorf("attendance: %w", err)
		}
	}
	for _, it := range []struct {
		title, dept string
		days        int
	}{
		{"完成二次改造部分规划分阶段验收", deptPlanning, 20},
		{"完成二次改造部分消防分阶段验收", deptBuilding, 22},
		{"报送二次改造施工图及验收资料", deptHolding, 12},
	} {
		item := &zhagen.ActionItem{ConsultationID: refit.ConsultationID, Title: it.title, OwnerDeptID: l.deptIDs[it.dept], DueDays: it.days}
		if err := s.Consultations.AddActionItem(building, item); err != nil {
			return err
		}
	}
	meeting := &zhagen.Consultation{Kind: zhagen.KindProjectCoord, Title: "闽都创新实验室项目协调推进会", StartsAt: at(2, 9), Place: "闽都创新实验室项目部会议室",
		ProjectID: p.ID, DemandIDs: []int64{refit.ID},
		Agenda:        "1. 二次改造进度；\n2. 第二阶段规划、消防验收安排；\n3. 装修阶段工期与竣工验收计划。",
		InviteDeptIDs: []int64{l.deptIDs[deptPlanning], l.deptIDs[deptConstruct], l.deptIDs[deptBuilding], l.deptIDs[deptHolding], l.deptIDs[deptEconomy]},
		InviteUserIDs: []int64{liaison.UserID}}
	return s.Consultations.CreateConsultation(dispatcher, meeting)
}

func strp(s string) *string { return &s }
