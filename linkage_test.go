package zhagen

import "testing"

func TestRedFlagRuleThresholdWords(t *testing.T) {
	r := &RedFlagRule{Field: "plans_relocate", Op: "=", Threshold: " 是 ", Reason: "企业拟外迁"}
	if err := r.Validate(); err != nil || r.Threshold != "true" {
		t.Fatalf("是: %v %q", err, r.Threshold)
	}
	if got := r.Describe(); got != "拟外迁 = 是" {
		t.Fatalf("describe %q", got)
	}
	if !r.Matches(&Situation{PlansRelocate: true}) || r.Matches(&Situation{}) {
		t.Fatal("matches")
	}
	r = &RedFlagRule{Field: "plans_expand", Op: "!=", Threshold: "否", Reason: "扩产"}
	if err := r.Validate(); err != nil || r.Threshold != "false" || r.Describe() != "拟扩产 != 否" {
		t.Fatalf("否: %v %+v", err, r)
	}
	r = &RedFlagRule{Field: "plans_expand", Op: "=", Threshold: "也许", Reason: "扩产"}
	if err := r.Validate(); ErrorCode(err) != EINVALID {
		t.Fatalf("也许 accepted: %v", err)
	}
	r = &RedFlagRule{Field: "orders_change_pct", Op: "<", Threshold: "-30", Reason: "订单下降"}
	if err := r.Validate(); err != nil || r.Describe() != "订单变化% < -30" {
		t.Fatalf("orders: %v %q", err, r.Describe())
	}
}
