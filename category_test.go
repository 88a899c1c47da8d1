package zhagen

import (
	"reflect"
	"testing"
)

// validCategory is a category that passes validation with its defaults.
func validCategory() *Category {
	return &Category{Code: "power", Name: "用电保障", LeadDeptID: 2}
}

// TestCategoryDefaults: what is left empty takes the default; what is
// given is kept.
func TestCategoryDefaults(t *testing.T) {
	c := validCategory()
	if err := c.Validate(); err != nil {
		t.Fatalf("category with defaults refused: %v", err)
	}
	if c.CoopDeptIDs == nil || len(c.CoopDeptIDs) != 0 || c.Questions == nil || len(c.Questions) != 0 ||
		c.DefaultPriority != PriorityNormal || c.AutoCloseDays != 7 || !reflect.DeepEqual(c.SLA, DefaultSLA()) ||
		c.AnswerMinLen != DefaultAnswerMinLen || c.FollowUpDays != DefaultFollowUpDays {
		t.Errorf("defaults not applied: %+v", c)
	}

	sla := DefaultSLA()
	sla[PriorityLow] = SLARule{SLATerm{2, "days"}, SLATerm{20, "days"}}
	c = &Category{Code: "water", Name: "用水保障", LeadDeptID: 2, CoopDeptIDs: []int64{3, 4}, DefaultPriority: PriorityHigh,
		AutoCloseDays: 10, SLA: sla, AnswerMinLen: 5, FollowUpDays: 4,
		Questions: []Question{{Code: "meter", Label: "水表编号", Type: QString}}}
	if err := c.Validate(); err != nil {
		t.Fatalf("category with settings refused: %v", err)
	}
	if !reflect.DeepEqual(c.CoopDeptIDs, []int64{3, 4}) || len(c.Questions) != 1 || c.DefaultPriority != PriorityHigh ||
		c.AutoCloseDays != 10 || c.SLA[PriorityLow].Resolution.Amount != 20 || c.AnswerMinLen != 5 || c.FollowUpDays != 4 {
		t.Errorf("settings not kept: %+v", c)
	}
}

// TestCategoryValidateEdges: each range at both ends, the SLA terms'
// units and amounts, and a lead department that is also a co-operating one.
func TestCategoryValidateEdges(t *testing.T) {
	with := func(f func(c *Category)) func() error {
		return func() error { c := validCategory(); f(c); return c.Validate() }
	}
	term := func(term SLATerm) func(c *Category) {
		return func(c *Category) { c.SLA = DefaultSLA(); c.SLA[PriorityHigh] = SLARule{term, term} }
	}
	assertLimitCases(t, []limitCase{
		{"auto close, least", "auto_close_days",
			with(func(c *Category) { c.AutoCloseDays = 1 }), with(func(c *Category) { c.AutoCloseDays = -1 })},
		{"auto close, most", "auto_close_days",
			with(func(c *Category) { c.AutoCloseDays = 60 }), with(func(c *Category) { c.AutoCloseDays = 61 })},
		{"answer length, least", "answer_min_len",
			with(func(c *Category) { c.AnswerMinLen = 1 }), with(func(c *Category) { c.AnswerMinLen = -1 })},
		{"answer length, most", "answer_min_len",
			with(func(c *Category) { c.AnswerMinLen = 500 }), with(func(c *Category) { c.AnswerMinLen = 501 })},
		{"follow-up days, least", "followup_days",
			with(func(c *Category) { c.FollowUpDays = 1 }), with(func(c *Category) { c.FollowUpDays = -1 })},
		{"follow-up days, most", "followup_days",
			with(func(c *Category) { c.FollowUpDays = 30 }), with(func(c *Category) { c.FollowUpDays = 31 })},
		{"lead department among co-operating ones", "coop_dept_ids",
			with(func(c *Category) { c.CoopDeptIDs = []int64{3} }), with(func(c *Category) { c.CoopDeptIDs = []int64{3, 2} })},
		{"SLA in hours, least", "sla", with(term(SLATerm{1, "hours"})), with(term(SLATerm{0, "hours"}))},
		{"SLA in days, most", "sla", with(term(SLATerm{1000, "days"})), with(term(SLATerm{1001, "days"}))},
		{"SLA unit", "sla", with(term(SLATerm{3, "days"})), with(term(SLATerm{3, "weeks"}))},
		{"SLA of every priority", "sla",
			with(func(c *Category) { c.SLA = DefaultSLA() }), with(func(c *Category) { c.SLA = DefaultSLA(); delete(c.SLA, PriorityUrgent) })},
	})
	// Without a lead department, none of the co-operating ones clashes.
	c := &Category{Code: "gas", Name: "用气保障", CoopDeptIDs: []int64{0, 3}}
	if err := c.Validate(); err != nil {
		t.Errorf("category without lead department: %v", err)
	}
}
