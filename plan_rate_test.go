package zhagen_test

import (
	"testing"

	"zhagen"
	"zhagen/sla"
)

// TestPlanUnsatisfiedRatingReopensUnsolved: a 不满意 rating reopens the
// demand, and a reopened demand is not solved, however the "solved" box
// was ticked; the 不满意 rating itself stays (满意率 counts it). A
// satisfied rating closes the demand solved.
func TestPlanUnsatisfiedRatingReopensUnsolved(t *testing.T) {
	cal := calendar(t)
	resolved, due := at("2026-11-02 10:00"), at("2026-11-09 10:00")
	ent := &zhagen.Actor{UserID: 9, Name: "企业联系人", Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: 5}
	facts := zhagen.TransitionFacts{Budget: cal.WorkingTime(sla.Duration{Amount: 5, Unit: sla.Days}),
		Category: &zhagen.Category{ID: 1, Name: "用电保障", DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA()}}
	for _, solved := range []bool{true, false} {
		d := &zhagen.Demand{ID: 12, Title: "用电增容", Status: zhagen.DemandResolved, LeadDeptID: 3, EnterpriseID: 5,
			ResolvedAt: &resolved, ResolutionDue: &due, SLALevel: zhagen.SLAOK}
		p, err := zhagen.PlanTransition(d, ent, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingUnsatisfied, Solved: &solved, Note: "没有解决"}, at("2026-11-03 10:00"), cal, facts)
		if err != nil {
			t.Fatal(err)
		}
		if p.To != zhagen.DemandInProgress || p.Demand.Solved != nil || p.Demand.Rating != zhagen.RatingUnsatisfied || p.Demand.RatingComment != "没有解决" || p.Demand.ReopenCount != 1 {
			t.Fatalf("solved ticked %v: to %s, solved %v, rating %q, comment %q, reopened %d; want in_progress, nil, unsatisfied, the note, 1",
				solved, p.To, p.Demand.Solved, p.Demand.Rating, p.Demand.RatingComment, p.Demand.ReopenCount)
		}
	}
	d := &zhagen.Demand{ID: 12, Title: "用电增容", Status: zhagen.DemandResolved, LeadDeptID: 3, EnterpriseID: 5,
		ResolvedAt: &resolved, ResolutionDue: &due, SLALevel: zhagen.SLAOK}
	yes := true
	p, err := zhagen.PlanTransition(d, ent, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: &yes}, at("2026-11-03 10:00"), cal, facts)
	if err != nil {
		t.Fatal(err)
	}
	if p.To != zhagen.DemandClosed || p.Demand.Solved == nil || !*p.Demand.Solved || p.Demand.Rating != zhagen.RatingSatisfied {
		t.Fatalf("satisfied: to %s, solved %v, rating %q", p.To, p.Demand.Solved, p.Demand.Rating)
	}
}
