package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// linkageUntabled are the multipart and binary routes that
// TestVisitFilesAPI covers instead of the authorization table.
var linkageUntabled = []string{"POST /api/v1/visits/{id}/files", "GET /api/v1/visits/{id}/files/{fid}"}

// linkageAuthCases sets up a linkage of the cadre to entA, a visit that
// raised a red flag and a suggestion, and returns the authorization
// table rows of the linkage routes (roles as in TestAuthorizationTable:
// admin, dispatcher, leader, staff, cadre, enterprise, enterprise2,
// graduate, anonymous).
func linkageAuthCases(v *env) []struct {
	method, path string
	body         func() any
	want         []int
} {
	t := v.t
	ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	must(t, v.links.CreateLinkage(ctx, &zhagen.Linkage{CadreID: v.ids["cadre"], EnterpriseID: v.ids["entA"]}))
	toEnd := &zhagen.Linkage{CadreID: v.ids["cadre"], EnterpriseID: v.ids["entB"], Role: zhagen.LinkOfficer}
	must(t, v.links.CreateLinkage(ctx, toEnd))
	st, b := v.do("cadre", "POST", "/api/v1/visits", map[string]any{"enterprise_id": v.ids["entA"], "date": "2026-11-02", "topics": "走访",
		"situation": map[string]any{"plans_relocate": true}, "findings": "拟外迁", "public_notes": "公开", "internal_notes": "内部"})
	if st != 201 {
		t.Fatalf("log visit: %d %v", st, b)
	}
	visit := fmt.Sprintf("/api/v1/visits/%v", b["id"])
	flags, err := v.links.FindRedFlags(ctx, true, 0)
	must(t, err)
	if len(flags) != 1 {
		t.Fatalf("flags: %v", flags)
	}
	sg, err := v.links.RunSuggestion(ctx, zhagen.SuggestionParams{})
	must(t, err)
	sugg := fmt.Sprintf("/api/v1/linkage-suggestions/%d", sg.ID)
	roles := []zhagen.LinkRole{zhagen.LinkContact, zhagen.LinkParty}
	calls := 0
	newLink := func() any {
		calls++
		return map[string]any{"cadre_id": v.ids["cadre"], "enterprise_id": v.ids["entB"], "role": roles[calls%2]}
	}
	newVisit := func() any {
		return map[string]any{"enterprise_id": v.ids["entA"], "date": "2026-11-01", "topics": "授权测试", "kind": "phone"}
	}
	putVisit := func() any {
		_, b := v.do("admin", "GET", visit, nil)
		return map[string]any{"version": b["version"], "date": "2026-11-02", "topics": "改", "findings": "拟外迁", "situation": map[string]any{"plans_relocate": true}}
	}
	toDemand := func() any {
		return map[string]any{"category_id": v.ids["category"], "answers": map[string]any{"load_kw": "1"}}
	}
	note := func() any { return map[string]any{"note": "已核实"} }
	rule := func() any {
		return map[string]any{"field": "layoffs", "op": ">", "threshold": "10", "reason": "大规模减员"}
	}
	gov5 := []int{200, 200, 200, 200, 200, 403, 403, 403, 401}
	editors := func(ok int) []int { return []int{ok, ok, 403, 403, 403, 403, 403, 403, 401} }
	readers := []int{200, 200, 200, 403, 403, 403, 403, 403, 401}
	entA := fmt.Sprintf("/api/v1/enterprises/%d", v.ids["entA"])
	return []struct {
		method, path string
		body         func() any
		want         []int
	}{
		{"GET", "/api/v1/linkages", nil, []int{200, 200, 200, 200, 200, 200, 200, 403, 401}},
		{"POST", "/api/v1/linkages", newLink, editors(201)},
		{"POST", fmt.Sprintf("/api/v1/linkages/%d/end", toEnd.ID), nil, []int{200, 409, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", "/api/v1/visits", nil, []int{200, 200, 200, 200, 200, 200, 200, 403, 401}},
		{"POST", "/api/v1/visits", newVisit, []int{201, 201, 403, 403, 201, 403, 403, 403, 401}},
		{"GET", visit, nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
		{"PUT", visit, putVisit, []int{200, 200, 403, 403, 200, 403, 404, 403, 401}},
		{"GET", visit + "/files", nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
		{"POST", visit + "/demand", toDemand, []int{201, 409, 403, 403, 409, 403, 404, 403, 401}}, // one demand per finding
		{"GET", entA + "/visits", nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
		{"GET", "/api/v1/visit-coverage", nil, gov5},
		{"GET", "/api/v1/linkage-suggestions", nil, readers},
		{"POST", "/api/v1/linkage-suggestions", nil, editors(201)},
		{"GET", sugg, nil, readers},
		{"POST", sugg + "/accept", nil, []int{200, 409, 403, 403, 403, 403, 403, 403, 401}}, // each pair is accepted once
		{"GET", "/api/v1/red-flags", nil, gov5},
		{"POST", fmt.Sprintf("/api/v1/red-flags/%d/clear", flags[0].ID), note, []int{200, 409, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", "/api/v1/red-flag-rules", nil, gov5},
		{"POST", "/api/v1/red-flag-rules", rule, []int{201, 403, 403, 403, 403, 403, 403, 403, 401}},
	}
}

// TestVisitAPI: a cadre logs visits only for linked enterprises; an
// enterprise user reads only the public part of its own visits; a
// finding becomes a demand with the enterprise filled in; a suggestion's
// accept creates only the selected pairs.
func TestVisitAPI(t *testing.T) {
	sqldbtest.Run(t, testVisitAPI)
}

func testVisitAPI(t *testing.T, eng sqldbtest.Engine) {
	v := newEnv(t, eng)
	ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	must(t, v.links.CreateLinkage(ctx, &zhagen.Linkage{CadreID: v.ids["cadre"], EnterpriseID: v.ids["entA"]}))
	st, b := v.do("cadre", "POST", "/api/v1/visits", map[string]any{"enterprise_id": v.ids["entB"], "date": "2026-11-01", "topics": "x"})
	if st != 404 {
		t.Fatalf("visit of an unlinked enterprise: %d %v", st, b)
	}
	st, b = v.do("cadre", "POST", "/api/v1/visits", map[string]any{"enterprise_id": v.ids["entA"], "date": "2026-11-01", "topics": "用电",
		"situation": map[string]any{"plans_relocate": true, "orders_change_pct": -12.5}, "findings": "需要双回路供电", "public_notes": "公开记录", "internal_notes": "内部判断"})
	if st != 201 || fmt.Sprint(b["flags"]) != "[企业拟外迁]" {
		t.Fatalf("log visit: %d %v", st, b)
	}
	id := b["id"]
	st, b = v.do("enterprise", "GET", fmt.Sprintf("/api/v1/enterprises/%d/visits", v.ids["entA"]), nil)
	items, _ := b["items"].([]any)
	if st != 200 || len(items) != 1 {
		t.Fatalf("enterprise visits: %d %v", st, b)
	}
	pub := items[0].(map[string]any)
	if pub["public_notes"] != "公开记录" || pub["internal_notes"] != nil || pub["findings"] != nil || pub["situation"] != nil || pub["flags"] != nil {
		t.Fatalf("enterprise sees the internal part: %v", pub)
	}
	st, b = v.do("cadre", "POST", fmt.Sprintf("/api/v1/visits/%v/demand", id), map[string]any{"category_id": v.ids["category"], "answers": map[string]any{"load_kw": 500}})
	if st != 201 || int64(b["enterprise_id"].(float64)) != v.ids["entA"] || b["channel"] != "visit" || b["description"] != "需要双回路供电" {
		t.Fatalf("demand from finding: %d %v", st, b)
	}
	st, b = v.do("dispatcher", "POST", "/api/v1/linkage-suggestions", map[string]any{"need": 1, "capacity": 2})
	pairs, _ := b["pairs"].([]any)
	if st != 201 || b["feasible"] != true || len(pairs) != 1 { // entA is linked already: only entB is open
		t.Fatalf("suggestion: %d %v", st, b)
	}
	var pick float64
	for _, p := range pairs {
		if pm := p.(map[string]any); int64(pm["enterprise_id"].(float64)) == v.ids["entB"] {
			pick = pm["id"].(float64)
			if len(pm["reasons"].([]any)) == 0 {
				t.Errorf("pair without reasons: %v", pm)
			}
		}
	}
	st, b = v.do("dispatcher", "POST", fmt.Sprintf("/api/v1/linkage-suggestions/%v/accept", b["id"]), map[string]any{"pair_ids": []float64{pick}})
	if st != 200 || b["created"] != 1.0 {
		t.Fatalf("accept: %d %v", st, b)
	}
	st, b = v.do("dispatcher", "GET", "/api/v1/linkages?active=true", nil)
	if st != 200 || b["total"] != 2.0 {
		t.Fatalf("linkages after accepting one pair: %v", b)
	}
}

// TestVisitFilesAPI: the visit's cadre uploads a photo; the enterprise
// lists none and cannot download it; another cadre gets 404.
func TestVisitFilesAPI(t *testing.T) {
	sqldbtest.Run(t, testVisitFilesAPI)
}

func testVisitFilesAPI(t *testing.T, eng sqldbtest.Engine) {
	v := newEnv(t, eng)
	ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	must(t, v.links.CreateLinkage(ctx, &zhagen.Linkage{CadreID: v.ids["cadre"], EnterpriseID: v.ids["entA"]}))
	st, b := v.do("cadre", "POST", "/api/v1/visits", map[string]any{"enterprise_id": v.ids["entA"], "date": "2026-11-01", "topics": "拍照"})
	if st != 201 {
		t.Fatalf("visit: %d %v", st, b)
	}
	path := fmt.Sprintf("/api/v1/visits/%v/files", b["id"])
	upload := func(login, name string, data []byte) (int, map[string]any) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", v.srv.URL+path, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+v.tokens[login])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out := map[string]any{}
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...)
	if st, b := upload("enterprise", "a.png", png); st != 403 {
		t.Fatalf("enterprise upload: %d %v", st, b)
	}
	if st, b := upload("cadre", "a.exe", []byte("MZ")); st != 422 {
		t.Fatalf("exe upload: %d %v", st, b)
	}
	st, b = upload("cadre", "现场.png", png)
	if st != 201 {
		t.Fatalf("upload: %d %v", st, b)
	}
	file := fmt.Sprintf("%s/%v", path, b["id"])
	if st, b := v.do("cadre", "GET", path, nil); st != 200 || b["total"] != 1.0 {
		t.Fatalf("list: %d %v", st, b)
	}
	if st, b := v.do("enterprise", "GET", path, nil); st != 200 || b["total"] != 0.0 {
		t.Fatalf("enterprise list: %d %v", st, b)
	}
	for login, want := range map[string]int{"cadre": 200, "enterprise": 404, "enterprise2": 404, "dispatcher": 200} {
		req, _ := http.NewRequest("GET", v.srv.URL+file, nil)
		req.Header.Set("Authorization", "Bearer "+v.tokens[login])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("download as %s: %d, want %d", login, res.StatusCode, want)
		}
	}
}
