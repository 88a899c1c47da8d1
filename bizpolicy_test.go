package zhagen

import (
	"testing"
	"time"
)

// assertLimitCases runs limit cases: the valid value passes the field,
// the invalid one gets an error naming it.
func assertLimitCases(t *testing.T, cases []limitCase) {
	t.Helper()
	for _, c := range cases {
		if err := c.at(); namesField(err, c.field) {
			t.Errorf("%s: valid value refused: %v", c.name, err)
		}
		if err := c.past(); !namesField(err, c.field) {
			t.Errorf("%s: invalid value, want an error naming %q, got %v", c.name, c.field, err)
		}
	}
}

// validPolicy is a policy that passes validation.
func validPolicy() *Policy {
	return &Policy{Title: "集成电路企业研发补助", Category: PolicyRnD, IssuerDeptID: 1, HandlerDeptID: 2,
		Summary: "研发投入补助", ValidFrom: "2026-01-01", BenefitType: BenefitSubsidy}
}

func policyRules(n int) []PolicyRule {
	out := make([]PolicyRule, n)
	for i := range out {
		out[i] = PolicyRule{Attr: AttrHighTech, Op: ruleOpsOf(AttrHighTech)[0], Value: "true"}
	}
	return out
}

// TestPolicyValidateEdges: the lower limits of departments, amounts and
// headcount, the optional choices, dates and the rule count.
func TestPolicyValidateEdges(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, Shanghai)
	with := func(f func(p *Policy)) func() error {
		return func() error { p := validPolicy(); f(p); return p.Validate() }
	}
	assertLimitCases(t, []limitCase{
		{"employees, least", "employees",
			func() error { return (&EnterpriseAttrs{Employees: 0}).Validate(now) },
			func() error { return (&EnterpriseAttrs{Employees: -1}).Validate(now) }},
		{"revenue band, optional", "revenue_band",
			func() error { return (&EnterpriseAttrs{RevenueBand: ""}).Validate(now) },
			func() error { return (&EnterpriseAttrs{RevenueBand: "huge"}).Validate(now) }},
		{"revenue band, a band", "revenue_band",
			func() error { return (&EnterpriseAttrs{RevenueBand: "ge1b"}).Validate(now) },
			func() error { return (&EnterpriseAttrs{RevenueBand: "lt10m"}).Validate(now) }},
		{"chain position, optional", "chain_position",
			func() error { return (&EnterpriseAttrs{ChainPosition: ""}).Validate(now) },
			func() error { return (&EnterpriseAttrs{ChainPosition: "sideways"}).Validate(now) }},
		{"chain position, a position", "chain_position",
			func() error { return (&EnterpriseAttrs{ChainPosition: "upstream"}).Validate(now) },
			func() error { return (&EnterpriseAttrs{ChainPosition: "Upstream"}).Validate(now) }},
		{"issuer department", "issuer_dept_id",
			with(func(p *Policy) { p.IssuerDeptID = 1 }),
			with(func(p *Policy) { p.IssuerDeptID = 0 })},
		{"handler department", "handler_dept_id",
			with(func(p *Policy) { p.HandlerDeptID = 1 }),
			with(func(p *Policy) { p.HandlerDeptID = 0 })},
		{"valid from", "valid_from",
			with(func(p *Policy) { p.ValidFrom = "2026-01-01" }),
			with(func(p *Policy) { p.ValidFrom = "2026/01/01" })},
		{"valid to, optional", "valid_to",
			with(func(p *Policy) { p.ValidTo = "" }),
			with(func(p *Policy) { p.ValidTo = "2025-12-31" })},
		{"valid to, same day", "valid_to",
			with(func(p *Policy) { p.ValidTo = "2026-01-01" }),
			with(func(p *Policy) { p.ValidTo = "2026-13-01" })},
		{"benefit amount, least", "benefit_amount",
			with(func(p *Policy) { p.BenefitAmount = 0 }),
			with(func(p *Policy) { p.BenefitAmount = -1 })},
		{"rules, most", "rules",
			with(func(p *Policy) { p.Rules = policyRules(MaxPolicyRules) }),
			with(func(p *Policy) { p.Rules = policyRules(MaxPolicyRules + 1) })},
		{"application policy", "policy_id",
			func() error { return (&AppInput{PolicyID: 1}).Validate() },
			func() error { return (&AppInput{PolicyID: 0}).Validate() }},
		{"application enterprise", "enterprise_id",
			func() error { return (&AppInput{EnterpriseID: 1}).Validate() },
			func() error { return (&AppInput{EnterpriseID: 0}).Validate() }},
		{"application amount, least", "amount_requested",
			func() error { return (&AppInput{Requested: 0}).Validate() },
			func() error { return (&AppInput{Requested: -1}).Validate() }},
	})

	// A complete policy and a complete application pass as a whole.
	p := validPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("valid policy refused: %v", err)
	}
	if p.Rules == nil {
		t.Error("a policy without rules keeps nil rules, want an empty list")
	}
	p = validPolicy()
	p.Rules = policyRules(2)
	if err := p.Validate(); err != nil || len(p.Rules) != 2 {
		t.Errorf("policy with 2 rules: %v, %d rules kept", err, len(p.Rules))
	}
	if err := (&AppInput{PolicyID: 1, EnterpriseID: 1}).Validate(); err != nil {
		t.Errorf("valid application refused: %v", err)
	}
	if err := (&EnterpriseAttrs{Employees: 0, RevenueBand: "ge1b", ChainPosition: "support"}).Validate(now); err != nil {
		t.Errorf("valid attributes refused: %v", err)
	}
}

// TestTagColorDefault: a tag without a colour is blue; a chosen one is kept.
func TestTagColorDefault(t *testing.T) {
	tag := &Tag{Name: "链主"}
	if err := tag.Validate(); err != nil || tag.Color != "blue" {
		t.Errorf("tag without colour: %v, colour %q, want blue", err, tag.Color)
	}
	tag = &Tag{Name: "专精特新", Color: "red"}
	if err := tag.Validate(); err != nil || tag.Color != "red" {
		t.Errorf("red tag: %v, colour %q, want red", err, tag.Color)
	}
	if err := (&Tag{Name: "专精特新", Color: "pink"}).Validate(); !namesField(err, "color") {
		t.Errorf("pink tag: %v, want an error naming color", err)
	}
}

// TestYesNoRuleValues: a yes/no attribute takes "true" and "false" and
// nothing else.
func TestYesNoRuleValues(t *testing.T) {
	for _, attr := range []RuleAttr{AttrIsKey, AttrHighTech} {
		for v, ok := range map[string]bool{"true": true, "false": true, "yes": false, "": false} {
			r := PolicyRule{Attr: attr, Op: ruleOpsOf(attr)[0], Value: v}
			if msg := r.validate(); (msg == "") != ok {
				t.Errorf("%s = %q: %q, valid %v", attr, v, msg, ok)
			}
		}
	}
}
