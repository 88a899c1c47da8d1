package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"

	"zhagen"
)

// postVisit posts the new-visit form as offline.js does: the fields, the
// photos in "photo", asking for JSON.
func (c *client) postVisit(form url.Values, photos map[string][]byte) (int, visitReply) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range photos {
		fw, _ := mw.CreateFormFile("photo", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/visits", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	res := c.do(req)
	var rep visitReply
	if err := json.Unmarshal([]byte(res.body), &rep); err != nil {
		c.t.Fatalf("answer %d is not JSON: %.200s", res.status, res.body)
	}
	return res.status, rep
}

// TestVisitOfflinePost: the offline script's post is idempotent (the
// retry answers with the same visit and adds no photo twice), keeps the
// check-in, and answers refusals in JSON naming every field at once.
func TestVisitOfflinePost(t *testing.T) {
	e := newTestEnv(t)
	users, _, _ := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre1", Limit: 5})
	link := &zhagen.Linkage{CadreID: users[0].ID, EnterpriseID: e.entA.ID}
	if err := e.links.CreateLinkage(e.sys, link); err != nil {
		t.Fatal(err)
	}
	c := e.login("cadre1")
	page := c.get("/visits/new").wantStatus(t, http.StatusOK)
	page.contains(t, `name="idempotency_key"`, `enctype="multipart/form-data"`, `name="photo"`, "offline.js", "定位签到")
	form := url.Values{"enterprise_id": {itoa(e.entA.ID)}, "status": {"logged"}, "date": {"2026-03-01"}, "kind": {"onsite"},
		"topics": {"车间走访"}, "idempotency_key": {"6b1f0c3e-2a4d-4c5e-8f9a-0b1c2d3e4f50"},
		"checkin_lat": {"26.0614"}, "checkin_long": {"119.3061"}, "checkin_acc": {"15"}, "checkin_at": {"2026-03-01T01:00:00Z"}}
	photos := map[string][]byte{"photo-6b1f0c3e-1.jpg": testJPEG}
	st, first := c.postVisit(form, photos)
	if st != http.StatusOK || first.ID == 0 || first.Replayed || first.Photos != 1 {
		t.Fatalf("first post: %d %+v", st, first)
	}
	st, again := c.postVisit(form, photos)
	if st != http.StatusOK || again.ID != first.ID || !again.Replayed || again.Photos != 0 {
		t.Fatalf("retry: %d %+v", st, again)
	}
	files, _ := e.files.FindFiles(e.sys, zhagen.VisitFiles(first.ID))
	if len(files) != 1 {
		t.Fatalf("%d photos after the retry, want 1", len(files))
	}
	c.get("/visits/"+itoa(first.ID)).wantStatus(t, http.StatusOK).contains(t, `class="checkin"`, "26.06140, 119.30610", "±15 m")

	bad := url.Values{"enterprise_id": {""}, "status": {"logged"}, "date": {""}, "topics": {""}, "idempotency_key": {"7b1f0c3e-2a4d-4c5e-8f9a-0b1c2d3e4f50"}}
	st, rep := c.postVisit(bad, nil)
	if st != http.StatusUnprocessableEntity || rep.Fields["enterprise_id"] == "" || rep.Fields["date"] == "" || rep.Fields["topics"] == "" || !rep.Keep {
		t.Fatalf("refusal: %d %+v", st, rep)
	}
	// The link ends before a visit kept offline arrives: refused with
	// the message that says so, the draft to be kept.
	if _, err := e.links.EndLinkage(e.sys, link.ID, ""); err != nil {
		t.Fatal(err)
	}
	form.Set("idempotency_key", "8b1f0c3e-2a4d-4c5e-8f9a-0b1c2d3e4f50")
	st, rep = c.postVisit(form, nil)
	if st != http.StatusNotFound || rep.Error != zhagen.MsgVisitLinkEnded || !rep.Keep {
		t.Fatalf("link ended: %d %+v", st, rep)
	}
	c.get("/visits/sync").wantStatus(t, http.StatusOK).contains(t, `id="vs-sync-list"`, "本机待同步的走访")
	e.login("ent1").get("/visits/sync").wantStatus(t, http.StatusForbidden)
	c.get("/sw.js").wantStatus(t, http.StatusOK).contains(t, "const VERSION", "zhagen-pages")
	c.get("/manifest.webmanifest").wantStatus(t, http.StatusOK).contains(t, `"display":"standalone"`)
}

// testJPEG is a JPEG's leading bytes, enough for the content check.
var testJPEG = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{0}, 64)...)
