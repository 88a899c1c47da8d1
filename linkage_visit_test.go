package zhagen

import (
	"strings"
	"testing"
)

// validVisit is a logged visit that passes validation.
func validVisit() *Visit {
	return &Visit{EnterpriseID: 1, Date: "2026-03-01", Topics: "订单与用工"}
}

// TestVisitDefaults: a visit without status or kind is a logged on-site
// one; a planned visit by phone stays one, and needs no topics yet.
func TestVisitDefaults(t *testing.T) {
	v := validVisit()
	if err := v.Validate(); err != nil || v.Status != VisitLogged || v.Kind != VisitOnSite || v.Situation == nil {
		t.Errorf("visit without status and kind: %v, %+v", err, v)
	}
	v = &Visit{EnterpriseID: 1, Date: "2026-03-01", Status: VisitPlanned, Kind: VisitPhone}
	if err := v.Validate(); err != nil || v.Status != VisitPlanned || v.Kind != VisitPhone {
		t.Errorf("planned phone visit: %v, %+v", err, v)
	}
}

// TestVisitValidateEdges: each rule of a visit with a valid value and
// an invalid one, ranges at both ends.
func TestVisitValidateEdges(t *testing.T) {
	with := func(f func(v *Visit)) func() error {
		return func() error { v := validVisit(); f(v); return v.Validate() }
	}
	pct := func(p float64) func(v *Visit) {
		return func(v *Visit) { v.Situation = &Situation{OrdersChangePct: &p} }
	}
	employees := func(n int) func(v *Visit) { return func(v *Visit) { v.Situation = &Situation{Employees: &n} } }
	layoffs := func(n int) func(v *Visit) { return func(v *Visit) { v.Situation = &Situation{Layoffs: &n} } }
	key := func(k string) func(v *Visit) { return func(v *Visit) { v.IdempotencyKey = k } }
	accuracy := func(m float64) func(v *Visit) {
		return func(v *Visit) { v.CheckIn = &CheckIn{Lat: 26.08, Long: 119.3, Accuracy: m} }
	}
	assertLimitCases(t, []limitCase{
		{"enterprise", "enterprise_id", with(func(v *Visit) { v.EnterpriseID = 1 }), with(func(v *Visit) { v.EnterpriseID = 0 })},
		{"status planned", "status", with(func(v *Visit) { v.Status = VisitPlanned }), with(func(v *Visit) { v.Status = "done" })},
		{"status logged", "status", with(func(v *Visit) { v.Status = VisitLogged }), with(func(v *Visit) { v.Status = "Logged" })},
		{"kind", "kind", with(func(v *Visit) { v.Kind = VisitVideo }), with(func(v *Visit) { v.Kind = "mail" })},
		{"topics of a logged visit", "topics",
			with(func(v *Visit) { v.Status, v.Topics = VisitPlanned, "" }), with(func(v *Visit) { v.Status, v.Topics = VisitLogged, " " })},
		{"idempotency key, optional", "idempotency_key", with(key("")), with(key("abc"))},
		{"idempotency key, shortest", "idempotency_key", with(key("0123abcd")), with(key("0123abc"))},
		{"idempotency key, longest", "idempotency_key", with(key(strings.Repeat("a", 64))), with(key(strings.Repeat("a", 65)))},
		{"idempotency key, hex", "idempotency_key", with(key("0123-ABCD-ef")), with(key("0123-abcd-eg"))},
		{"check-in accuracy, least", "checkin", with(accuracy(0)), with(accuracy(-0.5))},
		{"check-in accuracy, most", "checkin", with(accuracy(100000)), with(accuracy(100000.5))},
		{"orders change, least", "orders_change_pct", with(pct(-100)), with(pct(-100.5))},
		{"orders change, most", "orders_change_pct", with(pct(10000)), with(pct(10000.5))},
		{"orders change, growth", "orders_change_pct", with(pct(50)), with(pct(-150))},
		{"employees", "employees", with(employees(0)), with(employees(-1))},
		{"layoffs", "layoffs", with(layoffs(0)), with(layoffs(-1))},
	})
}
