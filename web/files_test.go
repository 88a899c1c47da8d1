package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"zhagen"
)

// TestFileDownloads: visit photos and action item evidence are linked at
// /files/{id} like demand attachments; whoever cannot see the owner (or,
// for a visit, its internal part) gets 404; the old addresses still
// serve; an executable renamed .pdf is refused next to the upload field.
func TestFileDownloads(t *testing.T) {
	eachStore(t, testFileDownloads)
}

func testFileDownloads(t *testing.T, e *testEnv) {

	// A visit photo.
	users, _, _ := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre1", Limit: 5})
	if err := e.links.CreateLinkage(e.sys, &zhagen.Linkage{CadreID: users[0].ID, EnterpriseID: e.entA.ID}); err != nil {
		t.Fatal(err)
	}
	cadreCtx := zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: users[0].ID, Name: "干部乙", Roles: []zhagen.Role{zhagen.RoleCadre}})
	v := &zhagen.Visit{EnterpriseID: e.entA.ID, Date: "2026-03-01", Topics: "拍照"}
	if err := e.links.CreateVisit(cadreCtx, v); err != nil {
		t.Fatal(err)
	}
	png := pngBytes(300)
	photo, err := e.files.AddFile(cadreCtx, zhagen.VisitFiles(v.ID), "现场.png", png)
	if err != nil {
		t.Fatal(err)
	}
	visitPath, photoPath := "/visits/"+itoa(v.ID), filePath(photo.ID)
	cadre := e.login("cadre1")
	cadre.get(visitPath).wantStatus(t, http.StatusOK).contains(t, attr("href", photoPath))
	res := cadre.get(photoPath).wantStatus(t, http.StatusOK)
	if res.body != string(png) || res.header.Get("Content-Type") != "image/png" || res.header.Get("X-Content-Type-Options") != "nosniff" ||
		res.header.Get("Content-Disposition") != "attachment; filename*=utf-8''%E7%8E%B0%E5%9C%BA.png" {
		t.Errorf("visit photo: %d bytes, %v", len(res.body), res.header)
	}
	if res := cadre.get(visitPath+"/files/"+itoa(photo.ID)).wantStatus(t, http.StatusOK); res.body != string(png) {
		t.Error("the old address of the photo serves other bytes")
	}
	for _, login := range []string{"ent1", "ent2", "grad1"} {
		e.login(login).get(photoPath).wantStatus(t, http.StatusNotFound)
	}
	cadre.postFile(visitPath+"/files", nil, "发票.pdf", exeBytes).wantStatus(t, http.StatusUnprocessableEntity).
		contains(t, "文件内容与扩展名 .pdf 不符")

	// Action item evidence, uploaded with the completion form.
	disp := e.login("disp1")
	cid := locationID(t, disp.post("/consultations", url.Values{"kind": {"topic"}, "title": {"材料专题会"},
		"invite_dept_ids": {strconv.FormatInt(e.dept.ID, 10)}}), "/consultations/")
	cpath := "/consultations/" + strconv.FormatInt(cid, 10)
	disp.post(cpath+"/items", url.Values{"title": {"补充材料"}, "owner_dept_id": {strconv.FormatInt(e.dept.ID, 10)}, "due_days": {"3"}}).
		wantStatus(t, http.StatusSeeOther)
	items, _, err := e.cs.FindActionItems(e.sys, zhagen.ActionItemFilter{ConsultationID: cid})
	if err != nil || len(items) != 1 {
		t.Fatalf("items %v %v", items, err)
	}
	staff := e.login("staff1")
	complete := fmt.Sprintf("/action-items/%d/complete", items[0].ID)
	staff.postFile(complete, url.Values{"note": {"已补充"}, "back": {"/"}}, "发票.pdf", exeBytes).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "文件内容与扩展名 .pdf 不符")
	staff.postFile(complete, url.Values{"note": {"已补充"}, "back": {"/"}}, "说明.txt", []byte("材料已补充")).wantStatus(t, http.StatusSeeOther)
	it, err := e.cs.FindActionItemByID(e.sys, items[0].ID)
	if err != nil || it.EvidenceFileID == 0 {
		t.Fatalf("item %+v %v", it, err)
	}
	evidence := filePath(it.EvidenceFileID)
	staff.get(cpath).wantStatus(t, http.StatusOK).contains(t, attr("href", evidence), "已补充")
	if res := staff.get(evidence).wantStatus(t, http.StatusOK); res.body != "材料已补充" {
		t.Errorf("evidence %q", res.body)
	}
	if res := staff.get(fmt.Sprintf("/action-items/%d/evidence", it.ID)).wantStatus(t, http.StatusOK); res.body != "材料已补充" {
		t.Errorf("the old address of the evidence serves %q", res.body)
	}
	disp.get(evidence).wantStatus(t, http.StatusOK)
	for _, login := range []string{"ent1", "cadre1", "grad1"} {
		e.login(login).get(evidence).wantStatus(t, http.StatusNotFound)
	}
	staff.get("/files/0").wantStatus(t, http.StatusNotFound)
	staff.get(filePath(it.EvidenceFileID+100)).wantStatus(t, http.StatusNotFound)
}
