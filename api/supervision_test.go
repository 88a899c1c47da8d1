package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// TestSupervisionAPI walks an order through the API: the dispatcher
// raises it on demand A (the addressee defaults to the lead department),
// edb's staff reply once, the dispatcher closes it once; the ladder's
// rules are the administrator's.
func TestSupervisionAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newZoneAPI(t, e)
		decode := func(body string) map[string]any {
			var m map[string]any
			if err := json.Unmarshal([]byte(body), &m); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			return m
		}
		st, b := v.do("disp", "POST", "/api/v1/supervision-orders", map[string]any{"subject_kind": "demand", "subject_id": v.z.ID("demand:A"),
			"requirement": "请两日内答复", "reply_hours": 8}, false)
		o := decode(b)
		if st != 201 || o["dept_id"] != float64(v.z.ID("dept:edb")) || o["status"] != "open" || !strings.HasPrefix(o["number"].(string), "督办〔2026〕第") {
			t.Fatalf("raise: %d %s", st, b)
		}
		path := fmt.Sprintf("/api/v1/supervision-orders/%v", o["id"])
		if st, b := v.do("disp", "POST", "/api/v1/supervision-orders", map[string]any{"subject_kind": "demand", "subject_id": v.z.ID("demand:A")}, false); st != 422 || !strings.Contains(b, "requirement") {
			t.Fatalf("raise without requirement: %d %s", st, b)
		}
		if st, b := v.do("staff", "POST", path+"/reply", map[string]any{"progress": "已现场核查", "promised_date": "2026-11-01"}, false); st != 422 || !strings.Contains(b, "promised_date") {
			t.Fatalf("reply with a past date: %d %s", st, b)
		}
		st, b = v.do("staff", "POST", path+"/reply", map[string]any{"progress": "已现场核查", "promised_date": "2026-11-20", "version": o["version"]}, false)
		if r := decode(b); st != 200 || r["status"] != "replied" || r["promised_date"] != "2026-11-20" {
			t.Fatalf("reply: %d %s", st, b)
		}
		if st, _ := v.do("staff", "POST", path+"/reply", map[string]any{"progress": "再次", "promised_date": "2026-11-20"}, false); st != 409 {
			t.Fatalf("second reply: %d", st)
		}
		if st, _ := v.do("staff", "POST", path+"/close", map[string]any{}, false); st != 403 {
			t.Fatalf("the addressee closes: %d", st)
		}
		st, b = v.do("disp", "POST", path+"/close", map[string]any{"note": "同意"}, false)
		if r := decode(b); st != 200 || r["status"] != "closed" {
			t.Fatalf("close: %d %s", st, b)
		}
		if st, _ := v.do("disp", "POST", path+"/close", map[string]any{}, false); st != 409 {
			t.Fatalf("second close: %d", st)
		}
		st, b = v.do("staff", "GET", "/api/v1/supervision-orders?status=closed", nil, false)
		if l := decode(b); st != 200 || l["total"] != float64(1) {
			t.Fatalf("closed list: %d %s", st, b)
		}
		if st, _ := v.do("staff", "GET", "/api/v1/supervision-orders?status=nope", nil, false); st != 400 {
			t.Fatalf("bad status: %d", st)
		}

		if st, b := v.do("admin", "PUT", "/api/v1/ladder-rules", map[string]any{"priority": "urgent", "warn_pct": 5, "supervise_days": 1, "reply_hours": 4}, false); st != 422 || !strings.Contains(b, "warn_pct") {
			t.Fatalf("bad rule: %d %s", st, b)
		}
		if st, b := v.do("admin", "PUT", "/api/v1/ladder-rules", map[string]any{"priority": "urgent", "warn_pct": 60, "supervise_days": 1, "reply_hours": 4}, false); st != 200 {
			t.Fatalf("rule: %d %s", st, b)
		}
		st, b = v.do("admin", "GET", "/api/v1/ladder-rules", nil, false)
		if l := decode(b); st != 200 || l["total"] != float64(1) || l["defaults"].(map[string]any)["warn_pct"] != float64(75) {
			t.Fatalf("rules: %d %s", st, b)
		}
	})
}
