package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// deptID returns the id of a department by name, read as admin.
func (v *env) deptID(name string) int64 {
	v.t.Helper()
	st, body := v.do("admin", "GET", "/api/v1/departments", nil)
	if st != 200 {
		v.t.Fatalf("departments: %d", st)
	}
	items, _ := body["items"].([]any)
	for _, it := range items {
		m := it.(map[string]any)
		if m["name"] == name {
			return int64(m["id"].(float64))
		}
	}
	v.t.Fatalf("no department %s in %v", name, body)
	return 0
}

func (v *env) create(login, path string, body any) int64 {
	v.t.Helper()
	st, b := v.do(login, "POST", path, body)
	if st != 201 {
		v.t.Fatalf("POST %s: %d %v", path, st, b)
	}
	return int64(b["id"].(float64))
}

// consultationCases are the authorization table's rows for consultations,
// action items, projects, milestones and approvals, over records made
// here: the enterprise A's project with the cadre as liaison, a
// consultation on it inviting the economic development bureau, two
// action items and an approval that bureau owns.
func consultationCases(v *env) []struct {
	method, path string
	body         func() any
	want         []int
} {
	edb := v.deptID("经济发展局")
	project := v.create("admin", "/api/v1/projects", map[string]any{"name": "甲公司二期", "level": "municipal", "owner_enterprise_id": v.ids["entA"],
		"liaison_id": v.ids["cadre"], "status": "building"})
	c := v.create("admin", "/api/v1/consultations", map[string]any{"kind": "project_coord", "title": "二期推进会", "project_id": project, "invite_dept_ids": []int64{edb}})
	item := v.create("admin", fmt.Sprintf("/api/v1/consultations/%d/action-items", c), map[string]any{"title": "协调用电", "owner_dept_id": edb, "due_days": 3})
	item2 := v.create("admin", fmt.Sprintf("/api/v1/consultations/%d/action-items", c), map[string]any{"title": "协调用地", "owner_dept_id": edb, "due_days": 3})
	approval := v.create("admin", fmt.Sprintf("/api/v1/projects/%d/approvals", project), map[string]any{"kind": "construction_permit", "dept_id": edb})
	seq := 0
	newProject := func() any {
		seq++
		return map[string]any{"name": fmt.Sprintf("授权项目%d", seq), "level": "district", "owner_enterprise_id": v.ids["entB"]}
	}
	cPath, iPath, pPath := fmt.Sprintf("/api/v1/consultations/%d", c), fmt.Sprintf("/api/v1/action-items/%d", item), fmt.Sprintf("/api/v1/projects/%d", project)
	fixed := func(b any) func() any { return func() any { return b } }
	// current adds the record's current version to an update.
	current := func(path string, b map[string]any) func() any {
		return func() any {
			_, got := v.do("admin", "GET", path, nil)
			b["version"] = got["version"]
			return b
		}
	}
	return []struct {
		method, path string
		body         func() any
		want         []int
	}{
		{"GET", "/api/v1/consultations", nil, []int{200, 200, 200, 200, 200, 200, 200, 403, 401}},
		{"POST", "/api/v1/consultations", fixed(map[string]any{"kind": "topic", "title": "专题会"}), []int{201, 201, 403, 201, 403, 403, 403, 403, 401}},
		{"GET", cPath, nil, []int{200, 200, 200, 200, 404, 200, 404, 403, 401}},
		{"PATCH", cPath, current(cPath, map[string]any{"place": "管委会三楼会议室"}), []int{200, 200, 403, 403, 404, 403, 404, 403, 401}},
		{"POST", cPath + "/attendance", fixed(map[string]any{"attendance": "yes"}), []int{403, 403, 403, 200, 404, 403, 404, 403, 401}},
		{"POST", cPath + "/action-items", fixed(map[string]any{"title": "新事项", "owner_dept_id": edb, "due_days": 2}), []int{201, 201, 403, 403, 404, 403, 404, 403, 401}},
		{"GET", cPath + "/minutes.docx", nil, []int{200, 200, 200, 200, 404, 200, 404, 403, 401}},
		{"GET", "/api/v1/action-items", nil, []int{200, 200, 200, 200, 200, 200, 200, 403, 401}},
		{"GET", iPath, nil, []int{200, 200, 200, 200, 404, 404, 404, 403, 401}},
		{"POST", iPath + "/complete", fixed(map[string]any{"note": "已协调", "file_name": "说明.txt", "file": base64.StdEncoding.EncodeToString([]byte("双回路已接通"))}),
			[]int{200, 409, 403, 409, 404, 404, 404, 403, 401}},
		{"GET", iPath + "/evidence", nil, []int{200, 200, 200, 200, 404, 404, 404, 403, 401}},
		{"POST", fmt.Sprintf("/api/v1/action-items/%d/cancel", item2), fixed(map[string]any{"reason": "已并入其他事项"}), []int{200, 409, 403, 403, 404, 404, 404, 403, 401}},
		{"GET", "/api/v1/projects", nil, []int{200, 200, 200, 200, 200, 200, 200, 403, 401}},
		{"POST", "/api/v1/projects", newProject, []int{201, 201, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", pPath, nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
		{"PATCH", pPath, current(pPath, map[string]any{"status": "nearly_done"}), []int{200, 200, 403, 403, 200, 200, 404, 403, 401}},
		{"GET", pPath + "/milestones", nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
		{"POST", pPath + "/milestones", fixed(map[string]any{"name": "主体封顶", "planned_start": "2026-03-01T00:00:00+08:00", "planned_end": "2026-09-30T00:00:00+08:00"}),
			[]int{201, 201, 403, 403, 201, 201, 404, 403, 401}},
		{"GET", pPath + "/approvals", nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
		{"POST", pPath + "/approvals", fixed(map[string]any{"kind": "fire_acceptance", "dept_id": edb}), []int{201, 201, 403, 403, 201, 201, 404, 403, 401}},
		{"GET", "/api/v1/approvals", nil, []int{200, 200, 200, 200, 200, 200, 200, 403, 401}},
		{"POST", fmt.Sprintf("/api/v1/approvals/%d/steps", approval), fixed(map[string]any{"action": "accept"}), []int{403, 403, 403, 200, 403, 403, 404, 403, 401}},
		{"POST", fmt.Sprintf("/api/v1/approvals/%d/urge", approval), fixed(map[string]any{"note": "请加快办理"}), []int{204, 204, 403, 403, 403, 403, 404, 403, 401}},
		{"GET", "/api/v1/project-overview", nil, []int{200, 200, 200, 403, 403, 403, 403, 403, 401}},
	}
}

// TestApprovalDecisionAPI: only the approving department decides an
// approval — the dispatcher's approve is refused — and a decision names
// its missing opinion and document number (422 with the field); the
// decision is read back with the approval.
func TestApprovalDecisionAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		edb := v.deptID("经济发展局")
		project := v.create("admin", "/api/v1/projects", map[string]any{"name": "甲公司三期", "level": "district", "owner_enterprise_id": v.ids["entA"]})
		x := v.create("enterprise", fmt.Sprintf("/api/v1/projects/%d/approvals", project), map[string]any{"kind": "fire_acceptance", "dept_id": edb})
		steps := fmt.Sprintf("/api/v1/approvals/%d/steps", x)
		full := map[string]any{"action": "approve", "opinion": "消防设施按图施工，验收合格", "doc_no": "榕高建消验字〔2026〕第0042号"}
		for _, who := range []string{"dispatcher", "admin"} {
			if st, b := v.do(who, "POST", steps, full); st != 403 {
				t.Fatalf("%s approves: %d %v", who, st, b)
			}
		}
		if st, b := v.do("staff", "POST", steps, map[string]any{"action": "approve"}); st != 422 || errField(b, "field") != "opinion" {
			t.Fatalf("approve without an opinion: %d %v", st, b)
		}
		if st, b := v.do("staff", "POST", steps, map[string]any{"action": "approve", "opinion": "合格"}); st != 422 || errField(b, "field") != "doc_no" {
			t.Fatalf("approve without a document number: %d %v", st, b)
		}
		if st, b := v.do("staff", "POST", steps, map[string]any{"action": "reject"}); st != 422 || errField(b, "field") != "opinion" {
			t.Fatalf("reject without an opinion: %d %v", st, b)
		}
		st, b := v.do("staff", "POST", steps, full)
		if st != 200 || b["status"] != "approved" || b["opinion"] != full["opinion"] || b["doc_no"] != full["doc_no"] {
			t.Fatalf("approve: %d %v", st, b)
		}
		if st, b := v.do("enterprise", "GET", fmt.Sprintf("/api/v1/projects/%d/approvals", project), nil); st != 200 ||
			b["items"].([]any)[0].(map[string]any)["doc_no"] != full["doc_no"] {
			t.Fatalf("the owner reads: %d %v", st, b)
		}
	})
}

// TestConsultationAPI: a demand escalated to a consultation is refused
// resolution while its action item is open, with a message naming it;
// the minutes export is a Word document holding the decisions; the
// department sees exactly the action items it owns.
func TestConsultationAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		edb := v.deptID("经济发展局")
		d := fmt.Sprintf("/api/v1/demands/%d", v.ids["demand"])
		for _, act := range []map[string]any{{"action": "accept"}, {"action": "escalate", "consultation": "双回路供电一企一议"}} {
			if st, b := v.do("staff", "POST", d+"/transitions", act); st != 200 {
				t.Fatalf("%v: %d %v", act, st, b)
			}
		}
		_, dm := v.do("staff", "GET", d, nil)
		c := int64(dm["consultation_id"].(float64))
		cPath := fmt.Sprintf("/api/v1/consultations/%d", c)
		// An update names the version it changes: none is refused, a stale
		// one is a conflict that returns the current record.
		st, b := v.do("staff", "PATCH", cPath, map[string]any{"decisions": "供电公司编制第二回路方案"})
		if st != 422 || errField(b, "field") != "version" {
			t.Fatalf("patch without a version: %d %v", st, b)
		}
		_, cur := v.do("staff", "GET", cPath, nil)
		if st, b := v.do("staff", "PATCH", cPath, map[string]any{"decisions": "供电公司编制第二回路方案", "version": cur["version"]}); st != 200 {
			t.Fatalf("patch: %d %v", st, b)
		}
		if st, b := v.do("staff", "PATCH", cPath, map[string]any{"decisions": "旧版本的修改", "version": cur["version"]}); st != 409 {
			t.Fatalf("stale patch: %d %v", st, b)
		}
		item := v.create("staff", cPath+"/action-items", map[string]any{"title": "编制第二回路接入方案", "owner_dept_id": edb, "due_days": 2})
		st, b = v.do("staff", "POST", d+"/transitions", map[string]any{"action": "resolve", "resolution": "已接通，已答复企业并告知办理依据"})
		if st != 409 || !strings.Contains(errField(b, "message"), "编制第二回路接入方案") {
			t.Fatalf("resolve with open item: %d %v", st, b)
		}
		st, b = v.do("staff", "GET", "/api/v1/action-items?pending=true", nil)
		if st != 200 || b["total"].(float64) != 1 {
			t.Fatalf("staff items: %d %v", st, b)
		}
		st, b = v.do("enterprise", "GET", "/api/v1/action-items", nil)
		if st != 200 || b["total"].(float64) != 0 {
			t.Fatalf("enterprise items: %d %v", st, b)
		}
		if st, b := v.do("staff", "POST", fmt.Sprintf("/api/v1/action-items/%d/complete", item), map[string]any{"note": "方案已编制"}); st != 200 || b["status"] != "done" {
			t.Fatalf("complete: %d %v", st, b)
		}
		if st, b := v.do("staff", "POST", d+"/transitions", map[string]any{"action": "resolve", "resolution": "已接通，已答复企业并告知办理依据"}); st != 200 || b["status"] != "resolved" {
			t.Fatalf("resolve: %d %v", st, b)
		}

		req, _ := http.NewRequest("GET", v.srv.URL+cPath+"/minutes.docx", nil)
		req.Header.Set("Authorization", "Bearer "+v.tokens["staff"])
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("docx: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		must(t, err)
		found := false
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				x, _ := io.ReadAll(rc)
				rc.Close()
				found = strings.Contains(string(x), "双回路供电一企一议") && strings.Contains(string(x), "供电公司编制第二回路方案")
			}
		}
		if !found {
			t.Fatal("document.xml lacks the title or the decisions")
		}
	})
}
