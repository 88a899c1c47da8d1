package zhagen_test

import (
	"strings"
	"testing"

	"zhagen"
)

// followupGrid: every role × follow-up and reply template permission ×
// relation (policy_grid_test.go's columns).
var followupGrid = map[zhagen.Perm][8]string{
	//                            admin dispatcher leader staff staff人才 cadre enterprise graduate
	zhagen.PermFollowUpView:      {gAllX, gAllX, gAllX, "YY.. ... ... . .. . .", "YY.. ... ... . .. . .", gNoneX, gNoneX, gNoneX},
	zhagen.PermFollowUpRecord:    {gAllX, gAllX, gNoneX, gNoneX, gNoneX, gNoneX, gNoneX, gNoneX},
	zhagen.PermReplyTemplateView: {gAllX, gAllX, gAllX, gAllX, gAllX, gNoneX, gNoneX, gNoneX},
	zhagen.PermReplyTemplateEdit: {gAllX, gNoneX, gNoneX, "Y... ... ... . .. . .", "Y... ... ... . .. . .", gNoneX, gNoneX, gNoneX},
}

const (
	gAllX  = "YYYY YYY YYY Y YY Y Y"
	gNoneX = ".... ... ... . .. . ."
)

// TestFollowUpPolicyGrid checks the grid through the policy's public
// answers (Can, Authorize, CanAny), and that a department's staff keep
// only their own department's templates, never shared ones.
func TestFollowUpPolicyGrid(t *testing.T) {
	roles := []string{"admin", "dispatcher", "leader", "staff", "staff人才", "cadre", "enterprise", "graduate"}
	for p, rows := range followupGrid {
		for i, role := range roles {
			want := strings.ReplaceAll(rows[i], " ", "")
			a := gridActorX(role)
			for j, c := range gridFactsX {
				got := zhagen.Can(a, p, c)
				if got != (want[j] == 'Y') {
					t.Errorf("%s: %s on column %d: Can = %v", p, role, j, got)
				}
				if err := zhagen.Authorize(a, p, c); (err == nil) != got || err != nil && zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
					t.Errorf("%s: %s on column %d: Authorize = %v", p, role, j, err)
				}
			}
			if zhagen.CanAny(a, p) != strings.Contains(want, "Y") {
				t.Errorf("%s: %s: CanAny disagrees with %q", p, role, rows[i])
			}
		}
	}
	staff := gridActorX("staff")
	if zhagen.Can(staff, zhagen.PermReplyTemplateEdit, zhagen.ReplyTemplateFacts(&zhagen.ReplyTemplate{})) {
		t.Error("staff may keep a shared template")
	}
	if !zhagen.Can(gridActorX("admin"), zhagen.PermReplyTemplateEdit, zhagen.ReplyTemplateFacts(&zhagen.ReplyTemplate{})) {
		t.Error("admin may not keep a shared template")
	}
}

// gridActorX and gridFactsX are policy_grid_test.go's rows and columns,
// seen from outside the package.
func gridActorX(role string) *zhagen.Actor {
	gov := func(r zhagen.Role, name string) *zhagen.Actor {
		return &zhagen.Actor{UserID: 100, Roles: []zhagen.Role{r}, DeptID: 3, DeptPath: "/1/2/3/", DeptName: name, SubDeptIDs: []int64{3, 4}}
	}
	switch role {
	case "staff人才":
		return gov(zhagen.RoleStaff, "人事人才公共服务中心")
	case "enterprise":
		return &zhagen.Actor{UserID: 100, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: 10}
	case "graduate":
		return &zhagen.Actor{UserID: 100, Roles: []zhagen.Role{zhagen.RoleGraduate}}
	}
	return gov(zhagen.Role(role), "经济发展局")
}

var gridFactsX = []zhagen.Facts{
	{DeptID: 3}, {DeptID: 4}, {DeptID: 2}, {DeptID: 5},
	{DeptIDs: []int64{3}}, {DeptIDs: []int64{4}}, {DeptIDs: []int64{5}},
	{EnterpriseID: 10}, {EnterpriseID: 11}, {EnterpriseIDs: []int64{11, 10}},
	{EnterpriseID: 11, Linked: true},
	{UserID: 100}, {UserID: 200},
	{UserIDs: []int64{200, 100}},
	{UserIDs: []int64{200}, DeptIDs: []int64{1}},
}

// TestPlanFollowUps: rating and closing, the scheduler's unrated close
// and a withdrawal each plan a follow-up due on the category's working
// days (a weekend in between); an unsatisfied rating and a person's
// close of a demand without enterprise plan none.
func TestPlanFollowUps(t *testing.T) {
	cal := calendar(t)
	now := at("2026-11-05 10:00") // a Thursday
	cat := &zhagen.Category{ID: 1, Name: "用电", FollowUpDays: 2, SLA: zhagen.DefaultSLA()}
	ent := &zhagen.Actor{UserID: 7, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: 10}
	resolved := func() *zhagen.Demand {
		return &zhagen.Demand{ID: 5, Status: zhagen.DemandResolved, EnterpriseID: 10, LeadDeptID: 3, Priority: zhagen.PriorityNormal, SubmitterID: 7}
	}
	p, err := zhagen.PlanTransition(resolved(), ent, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: new(true)}, now, cal,
		zhagen.TransitionFacts{Category: cat})
	if err != nil || p.FollowUp == nil || p.FollowUp.Kind != zhagen.FollowUpRated || !p.FollowUp.DueAt.Equal(cal.Due(now, zhagen.SLATerm{Amount: 2, Unit: "days"}.Duration())) {
		t.Fatalf("rate: %+v %v", p, err)
	}
	if got := p.FollowUp.DueAt.In(zhagen.Shanghai).Format("2006-01-02"); got != "2026-11-09" {
		t.Errorf("due %s, want Monday 2026-11-09 (2 working days over the weekend)", got)
	}
	if n := p.Notices[len(p.Notices)-1]; n.Kind != "followup.due" || n.Title.Key != "notice.followup.due" {
		t.Errorf("notice %+v", n)
	}
	p, err = zhagen.PlanTransition(resolved(), ent, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingUnsatisfied, Solved: new(false)}, now, cal,
		zhagen.TransitionFacts{Category: cat})
	if err != nil || p.FollowUp != nil {
		t.Fatalf("unsatisfied: %+v %v", p.FollowUp, err)
	}
	p, err = zhagen.PlanTransition(resolved(), zhagen.SystemActor(), zhagen.Transition{Action: zhagen.ActClose}, now, cal, zhagen.TransitionFacts{Category: cat})
	if err != nil || p.FollowUp == nil || p.FollowUp.Kind != zhagen.FollowUpUnrated {
		t.Fatalf("auto close: %+v %v", p, err)
	}
	open := &zhagen.Demand{ID: 6, Status: zhagen.DemandAccepted, EnterpriseID: 10, LeadDeptID: 3, SubmitterID: 7}
	p, err = zhagen.PlanTransition(open, ent, zhagen.Transition{Action: zhagen.ActWithdraw}, now, cal, zhagen.TransitionFacts{}) // no category: the default days
	if err != nil || p.FollowUp == nil || p.FollowUp.Kind != zhagen.FollowUpWithdrawal ||
		!p.FollowUp.DueAt.Equal(cal.Due(now, zhagen.SLATerm{Amount: zhagen.DefaultFollowUpDays, Unit: "days"}.Duration())) {
		t.Fatalf("withdraw: %+v %v", p, err)
	}
	disp := &zhagen.Actor{UserID: 2, Roles: []zhagen.Role{zhagen.RoleDispatcher}}
	noEnt := &zhagen.Demand{ID: 8, Status: zhagen.DemandResolved, LeadDeptID: 3}
	p, err = zhagen.PlanTransition(noEnt, disp, zhagen.Transition{Action: zhagen.ActClose, Solved: new(true)}, now, cal, zhagen.TransitionFacts{Category: cat})
	if err != nil || p.FollowUp != nil {
		t.Fatalf("confirmed close: %+v %v", p.FollowUp, err)
	}
}

// TestPlanFollowUpReopen: a follow-up's reopening clears the rating and
// the confirmation, gets a fresh limit and goes back to where the demand
// stood: in progress, waiting for acceptance or for routing.
func TestPlanFollowUpReopen(t *testing.T) {
	cal, now := calendar(t), at("2026-11-05 10:00")
	cat := &zhagen.Category{ID: 1, SLA: zhagen.DefaultSLA()}
	disp := &zhagen.Actor{UserID: 2, Roles: []zhagen.Role{zhagen.RoleDispatcher}}
	accepted := now.Add(-72 * 3600e9)
	cases := []struct {
		d    *zhagen.Demand
		want zhagen.DemandStatus
	}{
		{&zhagen.Demand{ID: 1, Status: zhagen.DemandClosed, LeadDeptID: 3, AcceptedAt: &accepted, Rating: zhagen.RatingSatisfied, Solved: new(true), Priority: zhagen.PriorityNormal}, zhagen.DemandInProgress},
		{&zhagen.Demand{ID: 2, Status: zhagen.DemandWithdrawn, LeadDeptID: 3, Priority: zhagen.PriorityNormal}, zhagen.DemandAssigned},
		{&zhagen.Demand{ID: 3, Status: zhagen.DemandWithdrawn, Priority: zhagen.PriorityNormal}, zhagen.DemandSubmitted},
	}
	for _, c := range cases {
		tr := zhagen.Transition{Action: zhagen.ActFollowUpReopen, Note: "回访核实问题未解决"}
		p, err := zhagen.PlanTransition(c.d, disp, tr, now, cal, zhagen.TransitionFacts{Category: cat})
		if err != nil || p.To != c.want || p.Demand.Solved != nil || p.Demand.Rating != "" || p.Demand.ClosedAt != nil || p.Demand.ReopenCount != 1 || p.Demand.ResolutionDue == nil {
			t.Errorf("demand %d: %+v %v", c.d.ID, p, err)
		}
		if disp.Allowed(c.d, zhagen.ActFollowUpReopen) {
			t.Errorf("demand %d: the follow-up's step is offered on its own", c.d.ID)
		}
	}
	staff := &zhagen.Actor{UserID: 3, Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: 3}
	if _, err := zhagen.PlanTransition(cases[0].d, staff, zhagen.Transition{Action: zhagen.ActFollowUpReopen, Note: "x"}, now, cal, zhagen.TransitionFacts{Category: cat}); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
		t.Errorf("staff reopening: %v", err)
	}
}

// TestFollowUpRecordValidate names the field of each refusal in Chinese.
func TestFollowUpRecordValidate(t *testing.T) {
	yes, no := new(true), new(false)
	cases := []struct {
		kind  zhagen.FollowUpKind
		rec   zhagen.FollowUpRecord
		field string
	}{
		{zhagen.FollowUpRated, zhagen.FollowUpRecord{Method: "phone", Satisfaction: "satisfied"}, "result"},
		{zhagen.FollowUpRated, zhagen.FollowUpRecord{Result: "solved", Satisfaction: "satisfied"}, "method"},
		{zhagen.FollowUpRated, zhagen.FollowUpRecord{Result: "solved", Method: "phone"}, "satisfaction"},
		{zhagen.FollowUpRated, zhagen.FollowUpRecord{Result: "unreached", Method: "phone", Satisfaction: "satisfied"}, "satisfaction"},
		{zhagen.FollowUpRated, zhagen.FollowUpRecord{Result: "unsolved", Method: "visit", Satisfaction: "unsatisfied"}, "note"},
		{zhagen.FollowUpRated, zhagen.FollowUpRecord{Result: "solved", Method: "phone", Satisfaction: "satisfied", Pressed: no}, "pressed"},
		{zhagen.FollowUpUnrated, zhagen.FollowUpRecord{Result: "solved", Method: "phone", Satisfaction: "satisfied", Reopen: true}, "reopen"},
		{zhagen.FollowUpWithdrawal, zhagen.FollowUpRecord{Result: "solved", Method: "phone", Satisfaction: "basically"}, "pressed"},
		{zhagen.FollowUpWithdrawal, zhagen.FollowUpRecord{Result: "solved", Method: "phone", Satisfaction: "basically", Pressed: yes}, "note"},
		{zhagen.FollowUpWithdrawal, zhagen.FollowUpRecord{Result: "unreached", Method: "phone", Reopen: true}, "reopen"},
	}
	for i, c := range cases {
		err := c.rec.Validate(c.kind)
		if zhagen.ErrorCode(err) != zhagen.EINVALID || zhagen.FieldErrors(err)[c.field] == "" {
			t.Errorf("case %d: %v, want a refusal of %s", i, err, c.field)
		}
	}
	ok := []struct {
		kind   zhagen.FollowUpKind
		rec    zhagen.FollowUpRecord
		reopen bool
	}{
		{zhagen.FollowUpRated, zhagen.FollowUpRecord{Result: "solved", Method: "phone", Satisfaction: "satisfied"}, false},
		{zhagen.FollowUpUnrated, zhagen.FollowUpRecord{Result: "unsolved", Method: "visit", Satisfaction: "unsatisfied", Note: "线路仍未接通"}, true},
		{zhagen.FollowUpRated, zhagen.FollowUpRecord{Result: "unreached", Method: "phone"}, false},
		{zhagen.FollowUpWithdrawal, zhagen.FollowUpRecord{Result: "unsolved", Method: "phone", Satisfaction: "unsatisfied", Pressed: yes, Note: "经办人要求撤单", Reopen: true}, true},
		{zhagen.FollowUpWithdrawal, zhagen.FollowUpRecord{Result: "solved", Method: "phone", Satisfaction: "satisfied", Pressed: no}, false},
	}
	for i, c := range ok {
		if err := c.rec.Validate(c.kind); err != nil {
			t.Errorf("ok case %d: %v", i, err)
		}
		if got := c.rec.Reopens(c.kind); got != c.reopen {
			t.Errorf("ok case %d: Reopens = %v", i, got)
		}
	}
}

// TestCheckAnswer: the answer rule counts characters (not bytes, spaces
// at the ends not counted) against the category's minimum or the default,
// and asks for a file only where the category says so.
func TestCheckAnswer(t *testing.T) {
	fifteen := strings.Repeat("答", 15)
	if err := zhagen.CheckAnswer(nil, "  "+fifteen+"  ", 0); err != nil {
		t.Errorf("15 characters by default: %v", err)
	}
	err := zhagen.CheckAnswer(nil, strings.Repeat("答", 14), 0)
	if zhagen.FieldErrors(err)["resolution"] != "办理结果（答复企业的内容）不少于15个字，当前14个字" {
		t.Errorf("14 characters: %v", err)
	}
	cat := &zhagen.Category{Name: "规划许可", AnswerMinLen: 5, AnswerFileRequired: true}
	err = zhagen.CheckAnswer(cat, "已批复同意", 0)
	if msg := zhagen.FieldErrors(err)["file"]; !strings.Contains(msg, "类别“规划许可”办结前须上传书面答复或审批文件") || zhagen.FieldErrors(err)["resolution"] != "" {
		t.Errorf("no file: %v", err)
	}
	if err := zhagen.CheckAnswer(cat, "已批复同意", 1); err != nil {
		t.Errorf("with a file: %v", err)
	}
}

// TestReplyTemplates: placeholders are filled from the demand; an
// unknown one is refused naming the body.
func TestReplyTemplates(t *testing.T) {
	d := &zhagen.Demand{ID: 42, EnterpriseName: "福州芯片有限公司", Title: "双回路供电", LeadDeptName: "经济发展局"}
	got := zhagen.FillReply("{企业名称}：诉求{诉求编号}（{诉求标题}）由{主办部门}于{日期}办结。", d, at("2026-11-05 10:00"))
	if want := "福州芯片有限公司：诉求#42（双回路供电）由经济发展局于2026年11月5日办结。"; got != want {
		t.Errorf("filled %q, want %q", got, want)
	}
	tpl := &zhagen.ReplyTemplate{Title: " 供电 ", Body: "{企业名称}您好，{联系人}"}
	if err := tpl.Validate(); zhagen.FieldErrors(err)["body"] == "" || !strings.Contains(zhagen.ErrorMessage(err), "{联系人}") {
		t.Errorf("unknown placeholder: %v", err)
	}
	tpl.Body = "{企业名称}您好"
	if err := tpl.Validate(); err != nil || tpl.Title != "供电" {
		t.Errorf("valid: %v %q", err, tpl.Title)
	}
}
