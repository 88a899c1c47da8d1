package api_test

import (
	"fmt"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// TestDemandRatesAPI checks the counts, the null ratios of empty
// denominators and the query validation of GET /api/v1/demand-rates.
func TestDemandRatesAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		demand := fmt.Sprintf("/api/v1/demands/%d/transitions", v.ids["demand"])
		if st, b := v.do("staff", "POST", demand, map[string]any{"action": "accept"}); st != 200 {
			t.Fatalf("accept: %d %v", st, b)
		}
		st, b := v.do("leader", "GET", "/api/v1/demand-rates?from=2026-11-01&to=2026-11-30", nil)
		if st != 200 {
			t.Fatalf("rates: %d %v", st, b)
		}
		total := b["total"].(map[string]any)
		// One accepted on time; the other is not yet due.
		if total["due_for_response"] != 1.0 || total["accepted_in_time"] != 1.0 || total["response_rate"] != 1.0 ||
			total["closed"] != 0.0 || total["resolution_rate"] != nil || total["satisfaction_rate"] != nil {
			t.Fatalf("total: %v", total)
		}
		by := b["by_dept"].([]any)
		if len(by) != 1 || by[0].(map[string]any)["dept_name"] != "经济发展局" || by[0].(map[string]any)["due_for_response"] != 1.0 {
			t.Fatalf("by_dept: %v", by)
		}
		// Submitted before the period: nothing counts.
		_, b = v.do("leader", "GET", "/api/v1/demand-rates?to=2026-10-31", nil)
		if total := b["total"].(map[string]any); total["due_for_response"] != 0.0 || total["response_rate"] != nil || len(b["by_dept"].([]any)) != 0 {
			t.Fatalf("before the period: %v", b)
		}
		if st, b := v.do("leader", "GET", "/api/v1/demand-rates?from=2026-13-01", nil); st != 400 || errField(b, "field") != "from" {
			t.Fatalf("bad date: %d %v", st, b)
		}
		if st, b := v.do("leader", "GET", "/api/v1/demand-rates?from=2026-12-01&to=2026-11-01", nil); st != 422 || errField(b, "field") != "to" {
			t.Fatalf("reversed period: %d %v", st, b)
		}
	})
}
