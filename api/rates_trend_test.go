package api_test

import (
	"fmt"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// TestRatesTrendAPI checks the monthly trend and the ranking: the months
// of the period, the kept counts of a step, the month-on-month change,
// the staff's scope and the period's validation.
func TestRatesTrendAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		demand := fmt.Sprintf("/api/v1/demands/%d/transitions", v.ids["demand"])
		if st, b := v.do("staff", "POST", demand, map[string]any{"action": "accept"}); st != 200 {
			t.Fatalf("accept: %d %v", st, b)
		}
		st, b := v.do("leader", "GET", "/api/v1/rates/trend?from=2026-10&to=2026-11", nil)
		if st != 200 {
			t.Fatalf("trend: %d %v", st, b)
		}
		months := b["months"].([]any)
		if len(months) != 2 || months[0].(map[string]any)["month"] != "2026-10" || months[1].(map[string]any)["month"] != "2026-11" {
			t.Fatalf("months: %v", months)
		}
		nov := months[1].(map[string]any)
		if nov["accepted"] != 1.0 || nov["due_for_response"] != 1.0 || nov["response_rate"] != 1.0 || nov["submitted"].(float64) < 1 ||
			nov["response_change"] != nil || nov["avg_response_hours"] == nil {
			t.Fatalf("November: %v", nov)
		}
		depts := b["depts"].([]any)
		if len(depts) == 0 {
			t.Fatalf("depts: %v", b)
		}
		_, rk := v.do("leader", "GET", "/api/v1/rates/ranking?from=2026-10&to=2026-11", nil)
		if w := rk["weights"].(map[string]any); w["response"].(float64)+w["resolution"].(float64)+w["satisfaction"].(float64)+w["timeliness"].(float64) != 100 {
			t.Fatalf("weights: %v", w)
		}
		if rows := rk["depts"].([]any); len(rows) == 0 || rows[0].(map[string]any)["rank"] != 1.0 || rows[0].(map[string]any)["score"] == nil {
			t.Fatalf("ranking: %v", rk)
		}
		if st, b := v.do("leader", "GET", "/api/v1/rates/trend?from=2026-13", nil); st != 422 || errField(b, "field") != "from" {
			t.Fatalf("bad month: %d %v", st, b)
		}
		if st, b := v.do("leader", "GET", "/api/v1/rates/trend?from=2026-12&to=2026-11", nil); st != 422 || errField(b, "field") != "to" {
			t.Fatalf("reversed period: %d %v", st, b)
		}
		if st, b := v.do("leader", "GET", "/api/v1/rates/trend?from=2020-01&to=2026-11", nil); st != 422 || errField(b, "field") != "from" {
			t.Fatalf("too long: %d %v", st, b)
		}
		if st, _ := v.do("cadre", "GET", "/api/v1/rates/trend", nil); st != 403 {
			t.Fatalf("cadre: %d", st)
		}
	})
}
