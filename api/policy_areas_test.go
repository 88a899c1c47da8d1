package api_test

import (
	"context"
	"fmt"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestConsultationDemandIDsDoNotLeak: linking a demand the caller does not
// see is answered exactly like linking an id that does not exist — the
// same status, code, field and message — on POST and on PATCH, so the
// answers no longer tell which ids exist (it used to be 201 against 422).
func TestConsultationDemandIDsDoNotLeak(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		other := &zhagen.Department{Name: "城乡建设局", Kind: zhagen.DeptGov}
		must(t, v.depts.CreateDepartment(ctx, other))
		st, b := v.do("admin", "POST", "/api/v1/categories", map[string]any{"code": "building", "name": "工程建设", "lead_dept_id": other.ID})
		if st != 201 {
			t.Fatalf("category: %d %v", st, b)
		}
		st, b = v.do("dispatcher", "POST", "/api/v1/demands", map[string]any{"category_id": b["id"], "enterprise_id": v.ids["entB"],
			"title": "施工临时用电", "description": "厂房施工需要临时用电"})
		if st != 201 {
			t.Fatalf("demand: %d %v", st, b)
		}
		hidden := int64(b["id"].(float64))
		if st, _ := v.do("staff", "GET", fmt.Sprintf("/api/v1/demands/%d", hidden), nil); st != 404 {
			t.Fatalf("the staff read the other bureau's demand: %d", st)
		}
		const missing = 999999
		same := func(what string, send func(id int64) (int, map[string]any)) {
			t.Helper()
			hs, hb := send(hidden)
			ms, mb := send(missing)
			if hs != 422 || ms != 422 || errField(hb, "code") != errField(mb, "code") || errField(hb, "field") != errField(mb, "field") ||
				errField(hb, "message") != fmt.Sprintf("诉求 #%d 不存在", hidden) || errField(mb, "message") != fmt.Sprintf("诉求 #%d 不存在", missing) {
				t.Fatalf("%s: a demand the caller does not see: %d %v; a missing one: %d %v", what, hs, hb, ms, mb)
			}
		}
		same("POST", func(id int64) (int, map[string]any) {
			return v.do("staff", "POST", "/api/v1/consultations", map[string]any{"kind": "topic", "title": "用电专题会", "demand_ids": []int64{id}})
		})
		c := v.create("staff", "/api/v1/consultations", map[string]any{"kind": "topic", "title": "用电专题会", "demand_ids": []int64{v.ids["demand"]}})
		path := fmt.Sprintf("/api/v1/consultations/%d", c)
		same("PATCH", func(id int64) (int, map[string]any) {
			_, cur := v.do("staff", "GET", path, nil)
			return v.do("staff", "PATCH", path, map[string]any{"version": cur["version"], "add_demand_ids": []int64{id}})
		})
		if st, b := v.do("staff", "GET", path, nil); st != 200 || fmt.Sprint(b["demand_ids"]) != fmt.Sprintf("[%d]", v.ids["demand"]) {
			t.Fatalf("consultation: %d %v", st, b)
		}
		if st, _ := v.do("enterprise2", "GET", path, nil); st != 404 {
			t.Fatalf("the hidden demand's enterprise reads the consultation: %d", st)
		}
	})
}
