package zhagen_test

import (
	"testing"
	"time"

	"zhagen"
	"zhagen/sla"
)

func dispatcher() *zhagen.Actor {
	return &zhagen.Actor{UserID: 1, Name: "调度员", Roles: []zhagen.Role{zhagen.RoleDispatcher}}
}

func normalCategory() *zhagen.Category {
	return &zhagen.Category{ID: 1, Name: "用电保障", DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA(), FollowUpDays: 3}
}

func noticeKinds(p *zhagen.Plan) []string {
	var out []string
	for _, n := range p.Notices {
		out = append(out, n.Kind)
	}
	return out
}

func sameKinds(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// TestDemandLevelAt: an open demand with a limit gets the level of its
// clock; one without a limit, finished or waiting for the enterprise
// keeps the level it had.
func TestDemandLevelAt(t *testing.T) {
	cal := calendar(t)
	due := at("2026-11-03 10:00")
	budget := cal.WorkingTime(sla.Duration{Amount: 5, Unit: sla.Days})
	late := at("2026-11-05 10:00")
	cases := []struct {
		status zhagen.DemandStatus
		due    *time.Time
		want   zhagen.SLALevel
	}{
		{zhagen.DemandInProgress, &due, zhagen.SLARed},
		{zhagen.DemandInProgress, nil, zhagen.SLAOK},
		{zhagen.DemandWaiting, &due, zhagen.SLAOK},
		{zhagen.DemandClosed, &due, zhagen.SLAOK},
		{zhagen.DemandAccepted, &due, zhagen.SLARed},
	}
	for _, c := range cases {
		d := &zhagen.Demand{Status: c.status, ResolutionDue: c.due, SLALevel: zhagen.SLAOK}
		if got := zhagen.DemandLevelAt(cal, late, d, budget); got != c.want {
			t.Errorf("%s due %v: level %s, want %s", c.status, c.due, got, c.want)
		}
	}
	// Well before the limit an open demand is back to OK, whatever it had.
	d := &zhagen.Demand{Status: zhagen.DemandInProgress, ResolutionDue: &due, SLALevel: zhagen.SLARed}
	if got := zhagen.DemandLevelAt(cal, at("2026-10-27 10:00"), d, budget); got != zhagen.SLAOK {
		t.Errorf("well before the limit: %s", got)
	}
}

// TestAssignNote: the note names cooperating departments only when there
// are some.
func TestAssignNote(t *testing.T) {
	names := map[int64]string{3: "经济发展局", 4: "供电公司"}
	if got := zhagen.AssignNote(names, 3, nil, ""); got != "分派：主办 经济发展局。" {
		t.Errorf("lead only: %q", got)
	}
	if got := zhagen.AssignNote(names, 3, []int64{4}, "尽快"); got != "分派：主办 经济发展局，协办 供电公司。尽快" {
		t.Errorf("with one cooperating: %q", got)
	}
}

// TestPlanAssignPriority: a new priority resets both due times from the
// demand's creation; the same priority, or none given, keeps them.
func TestPlanAssignPriority(t *testing.T) {
	cal, created, now := calendar(t), at("2026-11-02 09:00"), at("2026-11-02 10:00")
	oldDue := at("2026-11-20 10:00")
	facts := zhagen.TransitionFacts{Departments: map[int64]string{3: "经济发展局"}, Category: normalCategory()}
	mk := func() *zhagen.Demand {
		return &zhagen.Demand{ID: 12, Status: zhagen.DemandSubmitted, Priority: zhagen.PriorityNormal, CreatedAt: created,
			ResponseDue: &oldDue, ResolutionDue: &oldDue}
	}
	for _, same := range []zhagen.Priority{"", zhagen.PriorityNormal} {
		p, err := zhagen.PlanTransition(mk(), dispatcher(), zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: 3, Priority: same}, now, cal, facts)
		if err != nil {
			t.Fatal(err)
		}
		if p.Demand.Priority != zhagen.PriorityNormal || !p.Demand.ResolutionDue.Equal(oldDue) || !p.Demand.ResponseDue.Equal(oldDue) {
			t.Errorf("priority %q: priority %s, due %v / %v; want unchanged", same, p.Demand.Priority, p.Demand.ResponseDue, p.Demand.ResolutionDue)
		}
	}
	p, err := zhagen.PlanTransition(mk(), dispatcher(), zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: 3, Priority: zhagen.PriorityUrgent}, now, cal, facts)
	if err != nil {
		t.Fatal(err)
	}
	wantResp := cal.Due(created, sla.Duration{Amount: 2, Unit: sla.Hours})
	wantRes := cal.Due(created, sla.Duration{Amount: 1, Unit: sla.Days})
	if p.Demand.Priority != zhagen.PriorityUrgent || !p.Demand.ResponseDue.Equal(wantResp) || !p.Demand.ResolutionDue.Equal(wantRes) ||
		p.Budget != cal.WorkingTime(sla.Duration{Amount: 1, Unit: sla.Days}) {
		t.Errorf("urgent: due %v / %v budget %v, want %v / %v", p.Demand.ResponseDue, p.Demand.ResolutionDue, p.Budget, wantResp, wantRes)
	}
}

// TestPlanReopenKeepsAnsweredResponse: reopening resets the resolution
// limit from now; the response limit is reset only for a demand never
// accepted.
func TestPlanReopenKeepsAnsweredResponse(t *testing.T) {
	cal, now := calendar(t), at("2026-11-03 10:00")
	oldDue, accepted, resolved := at("2026-10-20 10:00"), at("2026-10-19 10:00"), at("2026-10-21 10:00")
	facts := zhagen.TransitionFacts{Category: normalCategory()}
	wantResp := cal.Due(now, sla.Duration{Amount: 1, Unit: sla.Days})
	wantRes := cal.Due(now, sla.Duration{Amount: 5, Unit: sla.Days})
	for _, acc := range []*time.Time{&accepted, nil} {
		d := &zhagen.Demand{ID: 12, Title: "用电增容", Status: zhagen.DemandResolved, Priority: zhagen.PriorityNormal, LeadDeptID: 3, EnterpriseID: 5,
			AcceptedAt: acc, ResolvedAt: &resolved, ResponseDue: &oldDue, ResolutionDue: &oldDue, Rating: zhagen.RatingSatisfied}
		p, err := zhagen.PlanTransition(d, dispatcher(), zhagen.Transition{Action: zhagen.ActReopen, Note: "企业反映仍未解决"}, now, cal, facts)
		if err != nil {
			t.Fatal(err)
		}
		if p.To != zhagen.DemandInProgress || p.Demand.ReopenCount != 1 || p.Demand.ResolvedAt != nil || p.Demand.Rating != "" ||
			!p.Demand.ResolutionDue.Equal(wantRes) || !sameKinds(noticeKinds(p), "demand.reopened") {
			t.Fatalf("accepted %v: plan to %s due %v notices %v", acc != nil, p.To, p.Demand.ResolutionDue, noticeKinds(p))
		}
		wantR := oldDue
		if acc == nil {
			wantR = wantResp
		}
		if !p.Demand.ResponseDue.Equal(wantR) {
			t.Errorf("accepted %v: response due %v, want %v", acc != nil, p.Demand.ResponseDue, wantR)
		}
	}
	// A reason is required; without the category the limits cannot be reset.
	d := &zhagen.Demand{ID: 12, Status: zhagen.DemandClosed, Priority: zhagen.PriorityNormal, LeadDeptID: 3}
	if _, err := zhagen.PlanTransition(d, dispatcher(), zhagen.Transition{Action: zhagen.ActReopen, Note: " "}, now, cal, facts); zhagen.FieldErrors(err)["note"] != "请填写重新办理的理由" {
		t.Errorf("no reason: %v", err)
	}
	if _, err := zhagen.PlanTransition(d, dispatcher(), zhagen.Transition{Action: zhagen.ActReopen, Note: "重办"}, now, cal, zhagen.TransitionFacts{}); zhagen.ErrorCode(err) != zhagen.EINTERNAL {
		t.Errorf("no category: %v", err)
	}
}

// TestPlanRateUnsatisfiedTells: a 不满意 rating tells the lead department
// and the dispatchers; it fails when the limits cannot be reset.
func TestPlanRateUnsatisfiedTells(t *testing.T) {
	cal, now := calendar(t), at("2026-11-03 10:00")
	ent := &zhagen.Actor{UserID: 9, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: 5}
	no := false
	d := &zhagen.Demand{ID: 12, Status: zhagen.DemandResolved, Priority: zhagen.PriorityNormal, LeadDeptID: 3, EnterpriseID: 5}
	tr := zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingUnsatisfied, Solved: &no}
	p, err := zhagen.PlanTransition(d, ent, tr, now, cal, zhagen.TransitionFacts{Category: normalCategory()})
	if err != nil {
		t.Fatal(err)
	}
	if !sameKinds(noticeKinds(p), "demand.unsatisfied") {
		t.Errorf("notices %v", noticeKinds(p))
	}
	if _, err := zhagen.PlanTransition(d, ent, tr, now, cal, zhagen.TransitionFacts{}); zhagen.ErrorCode(err) != zhagen.EINTERNAL {
		t.Errorf("no category: %v", err)
	}
}

// TestPlanWithdrawTellsLeadOnlyWhenRouted: a withdrawal tells the lead
// department when there is one, and always plans the withdrawal check.
func TestPlanWithdrawTellsLeadOnlyWhenRouted(t *testing.T) {
	cal, now := calendar(t), at("2026-11-03 10:00")
	ent := &zhagen.Actor{UserID: 9, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: 5}
	for lead, want := range map[int64][]string{0: {"followup.due"}, 3: {"followup.due", "demand.withdrawn"}} {
		d := &zhagen.Demand{ID: 12, Status: zhagen.DemandSubmitted, LeadDeptID: lead, EnterpriseID: 5}
		p, err := zhagen.PlanTransition(d, ent, zhagen.Transition{Action: zhagen.ActWithdraw}, now, cal, zhagen.TransitionFacts{Category: normalCategory()})
		if err != nil {
			t.Fatal(err)
		}
		if p.To != zhagen.DemandWithdrawn || p.FollowUp == nil || !sameKinds(noticeKinds(p), want...) {
			t.Errorf("lead %d: to %s notices %v, want %v", lead, p.To, noticeKinds(p), want)
		}
	}
}

// TestPlanMergeIntoFinishedTarget: a demand merges into an open or a
// resolved demand, not into one closed or withdrawn.
func TestPlanMergeIntoFinishedTarget(t *testing.T) {
	cal, now := calendar(t), at("2026-11-03 10:00")
	d := &zhagen.Demand{ID: 12, EnterpriseID: 5, Status: zhagen.DemandAssigned}
	for st, ok := range map[zhagen.DemandStatus]bool{zhagen.DemandResolved: true, zhagen.DemandInProgress: true,
		zhagen.DemandClosed: false, zhagen.DemandWithdrawn: false, zhagen.DemandMerged: false} {
		target := &zhagen.Demand{ID: 8, EnterpriseID: 5, Status: st}
		_, err := zhagen.PlanTransition(d, dispatcher(), zhagen.Transition{Action: zhagen.ActMerge, TargetID: 8}, now, cal, zhagen.TransitionFacts{Target: target})
		if ok && err != nil || !ok && zhagen.FieldErrors(err)["target_id"] != "主诉求已结束，不能并入" && zhagen.ErrorMessage(err) != "主诉求已结束，不能并入" {
			t.Errorf("merge into a %s demand: %v, want accepted %v", st, err, ok)
		}
	}
}

// TestPlanCloseConfirmation: a person closing a demand without an
// enterprise says whether it is solved; the scheduled close (no user)
// confirms nothing; for an enterprise's demand nobody confirms in its
// place.
func TestPlanCloseConfirmation(t *testing.T) {
	cal, now := calendar(t), at("2026-11-03 10:00")
	yes, no := true, false
	facts := zhagen.TransitionFacts{Category: normalCategory()}
	type tc struct {
		ent    int64
		actor  *zhagen.Actor
		solved *bool
		errMsg string
	}
	for i, c := range []tc{
		{0, dispatcher(), nil, "请确认问题是否已解决"},
		{0, dispatcher(), &yes, ""},
		{0, dispatcher(), &no, ""},
		{0, zhagen.SystemActor(), nil, ""},
		{5, zhagen.SystemActor(), nil, ""},
		{5, dispatcher(), nil, ""},
		{5, dispatcher(), &yes, "该诉求由企业评价时确认是否解决，不能代为确认"},
		{5, zhagen.SystemActor(), &no, "该诉求由企业评价时确认是否解决，不能代为确认"},
	} {
		d := &zhagen.Demand{ID: 12, Status: zhagen.DemandResolved, EnterpriseID: c.ent}
		p, err := zhagen.PlanTransition(d, c.actor, zhagen.Transition{Action: zhagen.ActClose, Solved: c.solved}, now, cal, facts)
		if c.errMsg != "" {
			if zhagen.FieldErrors(err)["solved"] != c.errMsg && zhagen.ErrorMessage(err) != c.errMsg {
				t.Errorf("case %d: %v, want %q", i, err, c.errMsg)
			}
			continue
		}
		if err != nil {
			t.Errorf("case %d: %v", i, err)
			continue
		}
		if p.To != zhagen.DemandClosed || p.Demand.ClosedAt == nil {
			t.Errorf("case %d: to %s", i, p.To)
		}
		switch {
		case c.solved == nil:
			if p.Demand.Solved != nil || p.FollowUp == nil || p.Events[0].Note != "已办结且逾期未评价，自动关闭。" {
				t.Errorf("case %d: unconfirmed close %+v %q", i, p.Demand.Solved, p.Events[0].Note)
			}
		case *c.solved:
			if p.Demand.Solved == nil || !*p.Demand.Solved || p.FollowUp != nil || p.Events[0].Note != "经确认问题已解决，关闭。" {
				t.Errorf("case %d: solved close %+v %q", i, p.Demand.Solved, p.Events[0].Note)
			}
		default:
			if p.Demand.Solved == nil || *p.Demand.Solved || p.Events[0].Note != "经确认问题未解决，关闭。" {
				t.Errorf("case %d: unsolved close %+v %q", i, p.Demand.Solved, p.Events[0].Note)
			}
		}
	}
}

// TestPlanFollowUpReopen: after a follow-up a demand goes back to the
// dispatcher when never routed (nobody told), to acceptance when never
// accepted, else to work; the lead department is told; a reason and the
// category are required.
func TestPlanFollowUpReopenEdges(t *testing.T) {
	cal, now := calendar(t), at("2026-11-03 10:00")
	accepted := at("2026-10-20 10:00")
	facts := zhagen.TransitionFacts{Category: normalCategory()}
	cases := []struct {
		lead     int64
		accepted *time.Time
		to       zhagen.DemandStatus
		notices  []string
	}{
		{0, nil, zhagen.DemandSubmitted, nil},
		{3, nil, zhagen.DemandAssigned, []string{"demand.reopened"}},
		{3, &accepted, zhagen.DemandInProgress, []string{"demand.reopened"}},
	}
	for _, c := range cases {
		d := &zhagen.Demand{ID: 12, Status: zhagen.DemandClosed, Priority: zhagen.PriorityNormal, LeadDeptID: c.lead, AcceptedAt: c.accepted,
			EnterpriseID: 5, Rating: zhagen.RatingSatisfied, RatingComment: "好"}
		p, err := zhagen.PlanTransition(d, dispatcher(), zhagen.Transition{Action: zhagen.ActFollowUpReopen, Note: "回访未解决"}, now, cal, facts)
		if err != nil {
			t.Fatal(err)
		}
		if p.To != c.to || p.Demand.Rating != "" || p.Demand.RatingComment != "" || p.Demand.ReopenCount != 1 || !sameKinds(noticeKinds(p), c.notices...) {
			t.Errorf("lead %d accepted %v: to %s notices %v, want %s %v", c.lead, c.accepted != nil, p.To, noticeKinds(p), c.to, c.notices)
		}
	}
	d := &zhagen.Demand{ID: 12, Status: zhagen.DemandWithdrawn, Priority: zhagen.PriorityNormal, LeadDeptID: 3}
	if _, err := zhagen.PlanTransition(d, dispatcher(), zhagen.Transition{Action: zhagen.ActFollowUpReopen, Note: "回访"}, now, cal, zhagen.TransitionFacts{}); zhagen.ErrorCode(err) != zhagen.EINTERNAL {
		t.Errorf("no category: %v", err)
	}
	if _, err := zhagen.PlanTransition(d, dispatcher(), zhagen.Transition{Action: zhagen.ActFollowUpReopen}, now, cal, facts); zhagen.FieldErrors(err)["note"] != "请填写重新办理的理由" {
		t.Errorf("no reason: %v", err)
	}
}

// TestPlanExtendRequest: an extension request records the days and the
// reason for the dispatcher, off the enterprise's timeline; the reason is
// required.
func TestPlanExtendRequest(t *testing.T) {
	cal, now := calendar(t), at("2026-11-03 10:00")
	d := &zhagen.Demand{ID: 12, Status: zhagen.DemandInProgress, LeadDeptID: 3, EnterpriseID: 5}
	p, err := zhagen.PlanTransition(d, staffOf(3), zhagen.Transition{Action: zhagen.ActExtend, Days: 3, Note: " 工期 "}, now, cal, zhagen.TransitionFacts{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Demand.ExtensionDays != 3 || p.Demand.ExtensionReason != "工期" || p.Events[0].Public || p.Events[0].Note != "申请延期 3 个工作日：工期" ||
		!sameKinds(noticeKinds(p), "demand.extension_requested") {
		t.Fatalf("plan %+v events %+v notices %v", p.Demand, p.Events, noticeKinds(p))
	}
	_, err = zhagen.PlanTransition(d, staffOf(3), zhagen.Transition{Action: zhagen.ActExtend, Days: 3}, now, cal, zhagen.TransitionFacts{})
	if zhagen.FieldErrors(err)["note"] != "请填写延期理由" {
		t.Fatalf("no reason: %v", err)
	}
}

// TestPlanApproveExtension: an approved extension moves the resolution
// limit on from the old limit (from now without one) and adds to the
// budget; a refusal keeps both; either clears the request. Nothing to
// decide or no decision given is refused.
func TestPlanApproveExtension(t *testing.T) {
	cal, now := calendar(t), at("2026-11-03 10:00")
	due := at("2026-11-05 10:00")
	budget := cal.WorkingTime(sla.Duration{Amount: 5, Unit: sla.Days})
	ext := sla.Duration{Amount: 2, Unit: sla.Days}
	yes, no := true, false
	mk := func(due *time.Time) *zhagen.Demand {
		return &zhagen.Demand{ID: 12, Status: zhagen.DemandInProgress, LeadDeptID: 3, ResolutionDue: due, ExtensionDays: 2, ExtensionReason: "工期"}
	}
	facts := zhagen.TransitionFacts{Budget: budget}
	p, err := zhagen.PlanTransition(mk(&due), dispatcher(), zhagen.Transition{Action: zhagen.ActApproveExtension, Approve: &yes}, now, cal, facts)
	if err != nil {
		t.Fatal(err)
	}
	want := cal.Due(due, ext)
	if !p.Demand.ResolutionDue.Equal(want) || p.Budget != budget+cal.WorkingTime(ext) || p.Demand.ExtensionDays != 0 || p.Demand.ExtensionReason != "" ||
		!sameKinds(noticeKinds(p), "demand.extension_decided") || p.Events[0].Public {
		t.Errorf("approved: due %v budget %v, want %v %v; %+v", p.Demand.ResolutionDue, p.Budget, want, budget+cal.WorkingTime(ext), p.Demand)
	}
	p, err = zhagen.PlanTransition(mk(nil), dispatcher(), zhagen.Transition{Action: zhagen.ActApproveExtension, Approve: &yes}, now, cal, facts)
	if err != nil || !p.Demand.ResolutionDue.Equal(cal.Due(now, ext)) {
		t.Errorf("approved without a limit: %v %v", err, p.Demand.ResolutionDue)
	}
	p, err = zhagen.PlanTransition(mk(&due), dispatcher(), zhagen.Transition{Action: zhagen.ActApproveExtension, Approve: &no, Note: "不同意"}, now, cal, facts)
	if err != nil || !p.Demand.ResolutionDue.Equal(due) || p.Budget != budget || p.Demand.ExtensionDays != 0 || p.Events[0].Note != "不同意延期 2 个工作日。不同意" {
		t.Errorf("refused: %v %+v %q", err, p.Demand, p.Events[0].Note)
	}
	if _, err := zhagen.PlanTransition(mk(&due), dispatcher(), zhagen.Transition{Action: zhagen.ActApproveExtension}, now, cal, facts); zhagen.FieldErrors(err)["approve"] == "" && zhagen.ErrorMessage(err) != "请选择同意或不同意" {
		t.Errorf("no decision: %v", err)
	}
	none := mk(&due)
	none.ExtensionDays = 0
	if _, err := zhagen.PlanTransition(none, dispatcher(), zhagen.Transition{Action: zhagen.ActApproveExtension, Approve: &yes}, now, cal, facts); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
		t.Errorf("nothing to decide: %v", err)
	}
}

// TestPlanEscalate: the topic of the consultation, or the note without
// one, is required and opens the consultation.
func TestPlanEscalate(t *testing.T) {
	cal, now := calendar(t), at("2026-11-03 10:00")
	d := &zhagen.Demand{ID: 12, Status: zhagen.DemandInProgress, LeadDeptID: 3}
	for _, tr := range []zhagen.Transition{{Consultation: "用电", Note: "备注"}, {Note: "用电"}} {
		tr.Action = zhagen.ActEscalate
		p, err := zhagen.PlanTransition(d, staffOf(3), tr, now, cal, zhagen.TransitionFacts{})
		if err != nil || p.To != zhagen.DemandEscalated || p.OpenConsultation != "用电" || p.Events[0].Note != "提请联合会诊：用电" || !sameKinds(noticeKinds(p), "demand.escalated") {
			t.Errorf("%+v: %v %+v", tr, err, p)
		}
	}
	if _, err := zhagen.PlanTransition(d, staffOf(3), zhagen.Transition{Action: zhagen.ActEscalate}, now, cal, zhagen.TransitionFacts{}); zhagen.FieldErrors(err)["consultation"] == "" {
		t.Errorf("no topic: %v", err)
	}
}
