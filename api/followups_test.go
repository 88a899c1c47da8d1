package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// followUpUntabled are the follow-up item routes, which need a zone's
// follow-ups: TestRouteMatrix and TestFollowUpAPI cover them.
var followUpUntabled = []string{"GET /api/v1/follow-ups/{id}", "POST /api/v1/follow-ups/{id}/result"}

// followUpCases are the authorization table's rows of the follow-up list
// and the reply templates (roles as in TestAuthorizationTable: admin,
// dispatcher, leader, staff, cadre, enterprise, enterprise2, graduate,
// anonymous). A shared template is the administrator's to keep.
func followUpCases(v *env) []struct {
	method, path string
	body         func() any
	want         []int
} {
	newTemplate := func() string {
		st, b := v.do("admin", "POST", "/api/v1/reply-templates", map[string]any{"title": "授权模板", "body": "{企业名称}：已办结"})
		if st != http.StatusCreated {
			v.t.Fatalf("template: %d %v", st, b)
		}
		return fmt.Sprintf("/api/v1/reply-templates/%v", b["id"])
	}
	tpl, gone := newTemplate(), newTemplate()
	current := func() any {
		_, b := v.do("admin", "GET", tpl, nil)
		return map[string]any{"title": "授权模板改", "body": b["body"], "version": b["version"]}
	}
	return []struct {
		method, path string
		body         func() any
		want         []int
	}{
		{"GET", "/api/v1/follow-ups", nil, []int{200, 200, 200, 200, 403, 403, 403, 403, 401}},
		{"GET", "/api/v1/reply-templates", nil, []int{200, 200, 200, 200, 403, 403, 403, 403, 401}},
		{"POST", "/api/v1/reply-templates", func() any { return map[string]any{"title": "共用", "body": "已办结"} },
			[]int{201, 403, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", tpl, nil, []int{200, 200, 200, 200, 404, 404, 404, 404, 401}},
		{"PUT", tpl, current, []int{200, 403, 403, 403, 404, 404, 404, 404, 401}},
		{"DELETE", gone, nil, []int{204, 404, 404, 404, 404, 404, 404, 404, 401}},
	}
}

// TestFollowUpAPI: the dispatcher lists the follow-ups due, records one
// once; the reply templates of a demand come filled for it; the rates
// carry the 回访核实率.
func TestFollowUpAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newZoneAPI(t, e)
		st, body := v.get("disp", "/api/v1/follow-ups?status=open")
		if st != 200 || !strings.Contains(string(body), "回访诉求A") || !strings.Contains(string(body), `"kind":"withdrawal"`) {
			t.Fatalf("list: %d %s", st, body)
		}
		path := fmt.Sprintf("/api/v1/follow-ups/%d/result", v.z.ID("followup:A"))
		rec := map[string]any{"result": "solved", "method": "phone", "satisfaction": "satisfied", "note": "企业确认"}
		if st, b := v.do("disp", "POST", path, map[string]any{"result": "solved", "method": "phone"}, false); st != 422 || !strings.Contains(b, `"field":"satisfaction"`) {
			t.Fatalf("no satisfaction: %d %s", st, b)
		}
		if st, b := v.do("disp", "POST", path, rec, false); st != 200 || !strings.Contains(b, `"result":"solved"`) {
			t.Fatalf("record: %d %s", st, b)
		}
		if st, b := v.do("disp", "POST", path, rec, false); st != 409 || !strings.Contains(b, "不能重复记录") {
			t.Fatalf("second record: %d %s", st, b)
		}
		st, body = v.get("staff", fmt.Sprintf("/api/v1/reply-templates?demand_id=%d", v.z.ID("demand:followA")))
		if st != 200 || !strings.Contains(string(body), `"filled":"企业A微电子有限公司：您反映的诉求#`) || strings.Contains(string(body), "模板B") {
			t.Fatalf("templates of a demand: %d %s", st, body)
		}
		st, body = v.get("disp", "/api/v1/demand-rates")
		if st != 200 || !strings.Contains(string(body), `"followup_reached":1,"followup_solved":1`) || !strings.Contains(string(body), `"followup_rate":1`) {
			t.Fatalf("rates: %d %s", st, body)
		}
	})
}
