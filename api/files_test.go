package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sync"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

var (
	filePNG = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...)
	fileEXE = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
)

// upload posts data as the multipart field "file" named name to path as
// login and decodes the JSON answer.
func (v *env) upload(login, path, name string, data []byte) (int, map[string]any) {
	v.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", v.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+v.tokens[login])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	out := map[string]any{}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// download gets path as login and returns the response with its body.
func (v *env) download(login, path string) (*http.Response, []byte) {
	v.t.Helper()
	req, _ := http.NewRequest("GET", v.srv.URL+path, nil)
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+v.tokens[login])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// ownerFiles stores one file of each owner kind: the enterprise's
// attachment on its demand, the cadre's photo of a visit of enterprise A
// (whose linkage linkageAuthCases made) and the economic development
// bureau's evidence of an action item; it returns their ids and the
// item's.
func (v *env) ownerFiles() (demandFile, visitFile, evidence, item int64) {
	t := v.t
	st, b := v.upload("enterprise", fmt.Sprintf("/api/v1/demands/%d/attachments", v.ids["demand"]), "申请表.pdf", []byte("%PDF-1.7 申请表"))
	if st != 201 {
		t.Fatalf("demand file: %d %v", st, b)
	}
	demandFile = int64(b["id"].(float64))
	visit := v.create("cadre", "/api/v1/visits", map[string]any{"enterprise_id": v.ids["entA"], "date": "2026-11-01", "topics": "拍照"})
	if st, b = v.upload("cadre", fmt.Sprintf("/api/v1/visits/%d/files", visit), "现场.png", filePNG); st != 201 {
		t.Fatalf("visit file: %d %v", st, b)
	}
	visitFile = int64(b["id"].(float64))
	c := v.create("admin", "/api/v1/consultations", map[string]any{"kind": "topic", "title": "文件专题会", "invite_dept_ids": []int64{v.deptID("经济发展局")}})
	item = v.create("admin", fmt.Sprintf("/api/v1/consultations/%d/action-items", c), map[string]any{"title": "补充材料", "owner_dept_id": v.deptID("经济发展局"), "due_days": 3})
	st, b = v.do("staff", "POST", fmt.Sprintf("/api/v1/action-items/%d/complete", item),
		map[string]any{"note": "已补充", "file_name": "说明.txt", "file": base64.StdEncoding.EncodeToString([]byte("材料已补充"))})
	if st != 200 || b["evidence_file"] != "说明.txt" {
		t.Fatalf("evidence: %d %v", st, b)
	}
	evidence = int64(b["evidence_file_id"].(float64))
	return demandFile, visitFile, evidence, item
}

// fileCases are the authorization table's rows of GET /api/v1/files/{id},
// one per owner kind: whoever sees the owner downloads, everybody else
// gets 404 (the graduate too, who may not see demands at all).
func fileCases(v *env) []struct {
	method, path string
	body         func() any
	want         []int
} {
	demandFile, visitFile, evidence, _ := v.ownerFiles()
	path := func(id int64) string { return fmt.Sprintf("/api/v1/files/%d", id) }
	return []struct {
		method, path string
		body         func() any
		want         []int
	}{
		// The cadre is linked to the demand's enterprise, so it sees the demand and its files.
		{"GET", path(demandFile), nil, []int{200, 200, 200, 200, 200, 200, 404, 404, 401}},
		{"GET", path(visitFile), nil, []int{200, 200, 200, 200, 200, 404, 404, 404, 401}},
		{"GET", path(evidence), nil, []int{200, 200, 200, 200, 404, 404, 404, 404, 401}},
		{"GET", path(evidence + 1000), nil, []int{404, 404, 404, 404, 404, 404, 404, 404, 401}},
	}
}

// TestFileDownloadAPI: one download for every file, with the headers of
// a safe download; the old addresses serve the same bytes.
func TestFileDownloadAPI(t *testing.T) {
	sqldbtest.Run(t, testFileDownloadAPI)
}

func testFileDownloadAPI(t *testing.T, eng sqldbtest.Engine) {
	v := newEnv(t, eng)
	linkageAuthCases(v) // links the cadre to enterprise A
	demandFile, visitFile, _, item := v.ownerFiles()
	resp, body := v.download("cadre", fmt.Sprintf("/api/v1/files/%d", visitFile))
	if resp.StatusCode != 200 || string(body) != string(filePNG) {
		t.Fatalf("download: %d %q", resp.StatusCode, body)
	}
	for k, want := range map[string]string{
		"Content-Type":           "image/png",
		"Content-Disposition":    "attachment; filename*=utf-8''%E7%8E%B0%E5%9C%BA.png",
		"X-Content-Type-Options": "nosniff",
		"Content-Length":         fmt.Sprint(len(filePNG)),
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err != nil || params["filename"] != "现场.png" {
		t.Errorf("Content-Disposition names %v (%v)", params, err)
	}
	for path, id := range map[string]int64{
		fmt.Sprintf("/api/v1/demands/%d/attachments/%d", v.ids["demand"], demandFile): demandFile,
		fmt.Sprintf("/api/v1/files/%d", demandFile):                                   demandFile,
	} {
		if resp, body := v.download("staff", path); resp.StatusCode != 200 || string(body) != "%PDF-1.7 申请表" {
			t.Errorf("%s (file %d): %d %q", path, id, resp.StatusCode, body)
		}
	}
	if resp, body := v.download("staff", fmt.Sprintf("/api/v1/action-items/%d/evidence", item)); resp.StatusCode != 200 || string(body) != "材料已补充" {
		t.Errorf("old evidence address: %d %q", resp.StatusCode, body)
	}
	if resp, _ := v.download("enterprise", fmt.Sprintf("/api/v1/files/%d", visitFile)); resp.StatusCode != 404 {
		t.Errorf("the enterprise downloads a visit file: %d", resp.StatusCode)
	}
}

// TestFileTypeRefusedAPI: an executable renamed .pdf is refused with 422
// naming the field file, whatever it is uploaded to.
func TestFileTypeRefusedAPI(t *testing.T) {
	sqldbtest.Run(t, testFileTypeRefusedAPI)
}

func testFileTypeRefusedAPI(t *testing.T, eng sqldbtest.Engine) {
	v := newEnv(t, eng)
	linkageAuthCases(v)
	visit := v.create("cadre", "/api/v1/visits", map[string]any{"enterprise_id": v.ids["entA"], "date": "2026-11-01", "topics": "拍照"})
	c := v.create("admin", "/api/v1/consultations", map[string]any{"kind": "topic", "title": "类型专题会"})
	item := v.create("admin", fmt.Sprintf("/api/v1/consultations/%d/action-items", c), map[string]any{"title": "补充材料", "owner_dept_id": v.deptID("经济发展局"), "due_days": 3})
	for what, send := range map[string]func() (int, map[string]any){
		"demand": func() (int, map[string]any) {
			return v.upload("enterprise", fmt.Sprintf("/api/v1/demands/%d/attachments", v.ids["demand"]), "发票.pdf", fileEXE)
		},
		"visit": func() (int, map[string]any) {
			return v.upload("cadre", fmt.Sprintf("/api/v1/visits/%d/files", visit), "发票.pdf", fileEXE)
		},
		"action item": func() (int, map[string]any) {
			return v.do("staff", "POST", fmt.Sprintf("/api/v1/action-items/%d/complete", item),
				map[string]any{"note": "已补充", "file_name": "发票.pdf", "file": base64.StdEncoding.EncodeToString(fileEXE)})
		},
	} {
		st, b := send()
		if st != 422 || errField(b, "field") != "file" || errField(b, "message") != "文件内容与扩展名 .pdf 不符" {
			t.Errorf("%s: %d %v", what, st, b)
		}
	}
}

// TestFileLimitAPI: 50 uploads racing for one demand store exactly 20;
// the other 30 are refused with 422 and the limit's message.
func TestFileLimitAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		path := fmt.Sprintf("/api/v1/demands/%d/attachments", v.ids["demand"])
		type answer struct {
			status int
			body   map[string]any
		}
		answers := make([]answer, 50)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				st, b := v.upload("enterprise", path, fmt.Sprintf("第%d页.txt", i), []byte(fmt.Sprintf("内容%d", i)))
				answers[i] = answer{st, b}
			}()
		}
		close(start)
		wg.Wait()
		stored, refused := 0, 0
		for _, a := range answers {
			switch {
			case a.status == 201:
				stored++
			case a.status == 422 && errField(a.body, "field") == "file" && errField(a.body, "message") == "每条诉求最多上传20个附件":
				refused++
			default:
				t.Errorf("upload answered %d %v", a.status, a.body)
			}
		}
		if stored != 20 || refused != 30 {
			t.Fatalf("%d stored, %d refused; want 20 and 30", stored, refused)
		}
		if st, b := v.do("staff", "GET", path, nil); st != 200 || b["total"] != 20.0 {
			t.Fatalf("list: %d %v", st, b)
		}
	})
}
