package web

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhagen"
)

// pngBytes is the start of a PNG (signature and IHDR chunk) padded to n
// bytes; the sniffer looks only at the signature.
func pngBytes(n int) []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00")
	return append(b, make([]byte, max(0, n-len(b)))...)
}

// exeBytes is the start of a Windows executable.
var exeBytes = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00")

// postFile posts a multipart form as a browser does: the fields, then the
// "file" field (empty, as with no file chosen, when name is "").
func (c *client) postFile(path string, form url.Values, name string, data []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(data)
	if err := mw.Close(); err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// submitDemand files a demand of the power category as ent1.
func (e *testEnv) submitDemand(t *testing.T, c *client, cat *zhagen.Category, title string) int64 {
	t.Helper()
	return demandID(t, c.post("/demands", url.Values{"key": {"k-" + title}, "category_id": {strconv.FormatInt(cat.ID, 10)},
		"title": {title}, "description": {"测试诉求内容"}, "answers.load_kw": {"800"}}))
}

func TestDemandAttachments(t *testing.T) {
	eachStore(t, testDemandAttachments)
}

func testDemandAttachments(t *testing.T, e *testEnv) {
	cat := e.powerCategory(t, e.dept.ID)
	ent := e.login("ent1")
	id := e.submitDemand(t, ent, cat, "厂区道路积水")
	path := fmt.Sprintf("/demands/%d", id)
	upload := path + "/attachments"
	formAction := attr("action", upload+"#files")

	// The enterprise takes part: it sees the card, the form and the hint.
	ent.get(path).wantStatus(t, http.StatusOK).contains(t, `id="files"`, "暂无附件", formAction,
		`enctype="multipart/form-data"`, `name="file"`, "支持 PDF、JPG/PNG、Word、Excel、PPT、TXT、ZIP，单个不超过10MB")

	// A PNG is stored and listed with its size, uploader and time.
	png := pngBytes(12595)
	res := ent.postFile(upload, nil, "现场照片.png", png).wantStatus(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != path+"#files" {
		t.Errorf("upload redirects to %q", loc)
	}
	files, err := e.files.FindFiles(e.sys, zhagen.DemandFiles(id))
	if err != nil || len(files) != 1 {
		t.Fatalf("stored files %v, %v", files, err)
	}
	at := files[0]
	// Files are downloaded at /files/{id}; the demand's own address of
	// before (legacy) serves the same file.
	download := fmt.Sprintf("/files/%d", at.ID)
	legacy := fmt.Sprintf("%s/attachments/%d", path, at.ID)
	ent.get(path).wantStatus(t, http.StatusOK).contains(t, "附件已上传", "现场照片.png", "12.3 KB", "企业联络员",
		attr("href", download), "上传附件：现场照片.png", `<span class="count">1</span>`).lacks(t, "暂无附件")

	// The download carries the stored bytes with the headers of a safe download.
	res = ent.get(download).wantStatus(t, http.StatusOK)
	if res.body != string(png) {
		t.Errorf("downloaded %d bytes, want the %d uploaded", len(res.body), len(png))
	}
	for k, want := range map[string]string{
		"Content-Type":            "image/png",
		"Content-Disposition":     mime.FormatMediaType("attachment", map[string]string{"filename": "现场照片.png"}),
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'; sandbox",
		"Cache-Control":           "private, no-store",
		"Content-Length":          strconv.Itoa(len(png)),
	} {
		if got := res.header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if res := ent.get(legacy).wantStatus(t, http.StatusOK); res.body != string(png) || res.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("the old address serves %d bytes", len(res.body))
	}

	// An executable renamed .png is refused next to the upload field, without a redirect.
	res = ent.postFile(upload, nil, "发票.png", exeBytes).wantStatus(t, http.StatusUnprocessableEntity)
	res.contains(t, "“发票.png”：文件内容与扩展名 .png 不符", "现场照片.png")
	form := res.body[strings.Index(res.body, `class="file-upload"`):]
	if !strings.Contains(form[:strings.Index(form, "</form>")], `class="field has-error"`) {
		t.Error("the refusal is not shown in the upload form")
	}
	// No file chosen.
	ent.postFile(upload, nil, "", nil).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请选择要上传的文件")
	if files, _ := e.files.FindFiles(e.sys, zhagen.DemandFiles(id)); len(files) != 1 {
		t.Errorf("%d files after the refusals", len(files))
	}

	// The lead department's staff may upload too; the file is theirs.
	staff := e.login("staff1")
	staff.get(path).contains(t, formAction, "现场照片.png")
	staff.postFile(upload, nil, "答复.txt", []byte("已安排排水\n")).wantStatus(t, http.StatusSeeOther)
	staff.get(path).contains(t, "答复.txt", "16 B", "部门人员丁")

	// Another enterprise's user finds neither the file nor the demand.
	other := e.login("ent2")
	other.get(download).wantStatus(t, http.StatusNotFound)
	other.get(legacy).wantStatus(t, http.StatusNotFound)
	other.postFile(upload, nil, "x.png", png).wantStatus(t, http.StatusNotFound)
	ent.get(fmt.Sprintf("%s/attachments/%d", path, at.ID+100)).wantStatus(t, http.StatusNotFound)

	// A leader reads the files but uploads nothing.
	leader := e.login("leader1")
	leader.get(path).wantStatus(t, http.StatusOK).contains(t, "现场照片.png", attr("href", download)).
		lacks(t, formAction, `name="file"`)
	leader.get(download).wantStatus(t, http.StatusOK)
	leader.postFile(upload, nil, "y.png", png).wantStatus(t, http.StatusForbidden).contains(t, "不能为该诉求上传附件")

	// At the limit the form gives way to a note.
	for i := 2; i < zhagen.MaxFilesPerOwner; i++ {
		if _, err := e.files.AddFile(e.sys, zhagen.DemandFiles(id), fmt.Sprintf("第%d页.txt", i), []byte("内容")); err != nil {
			t.Fatal(err)
		}
	}
	ent.get(path).contains(t, "已达附件数量上限（20个）", "第19页.txt").lacks(t, formAction)
	ent.postFile(upload, nil, "多余.png", png).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "每条诉求最多上传20个附件")

	// Once withdrawn, the enterprise no longer gets the form.
	ent.act(id, "withdraw").wantStatus(t, http.StatusSeeOther)
	ent.get(path).contains(t, "现场照片.png").lacks(t, formAction)
	ent.postFile(upload, nil, "z.png", png).wantStatus(t, http.StatusConflict).contains(t, "不能上传附件")
}

// TestDemandSubmitWithFile: the submit form takes one file, checked
// before anything is created.
func TestDemandSubmitWithFile(t *testing.T) {
	eachStore(t, testDemandSubmitWithFile)
}

func testDemandSubmitWithFile(t *testing.T, e *testEnv) {
	cat := e.powerCategory(t, e.dept.ID)
	ent := e.login("ent1")
	ent.get("/demands/new").wantStatus(t, http.StatusOK).contains(t, `enctype="multipart/form-data"`, `name="file"`, "附件（可选）")

	form := url.Values{"key": {"k-file"}, "category_id": {strconv.FormatInt(cat.ID, 10)}, "title": {"用电报装材料"},
		"description": {"附报装申请表"}, "answers.load_kw": {"630"}}
	res := ent.postFile("/demands", form, "申请表.png", exeBytes).wantStatus(t, http.StatusUnprocessableEntity)
	res.contains(t, "文件内容与扩展名 .png 不符", attr("value", "用电报装材料"), "附报装申请表", "表单有 1 处需要修改")
	if _, n, _ := e.demands.FindDemands(e.sys, zhagen.DemandFilter{}); n != 0 {
		t.Fatalf("%d demands created with a refused file", n)
	}

	// A valid file with a missing title: the form asks for the file again.
	form.Set("title", "")
	ent.postFile("/demands", form, "申请表.png", pngBytes(64)).wantStatus(t, http.StatusUnprocessableEntity).
		contains(t, "请填写诉求标题", "请重新选择附件“申请表.png”")

	form.Set("title", "用电报装材料")
	id := demandID(t, ent.postFile("/demands", form, "申请表.png", pngBytes(64)))
	// The same form twice is one demand with one file.
	if again := demandID(t, ent.postFile("/demands", form, "申请表.png", pngBytes(64))); again != id {
		t.Errorf("double submit created #%d and #%d", id, again)
	}
	if files, _ := e.files.FindFiles(e.sys, zhagen.DemandFiles(id)); len(files) != 1 || files[0].Name != "申请表.png" {
		t.Errorf("files of the new demand: %v", files)
	}
	ent.get(fmt.Sprintf("/demands/%d", id)).contains(t, "诉求已提交", "申请表.png", "64 B")

	// Without a file the multipart form works as before.
	form.Set("key", "k-nofile")
	id2 := demandID(t, ent.postFile("/demands", form, "", nil))
	if files, _ := e.files.FindFiles(e.sys, zhagen.DemandFiles(id2)); len(files) != 0 {
		t.Errorf("%d files on a demand sent without one", len(files))
	}
}

// TestBoardPendingExtension: a staff member's extension request shows on
// the dispatcher's board, in the search and on the workbench until it is
// decided.
func TestBoardPendingExtension(t *testing.T) {
	eachStore(t, testBoardPendingExtension)
}

func testBoardPendingExtension(t *testing.T, e *testEnv) {
	cat := e.powerCategory(t, e.dept.ID)
	ent := e.login("ent1")
	id := e.submitDemand(t, ent, cat, "变电站扩容")
	e.submitDemand(t, ent, cat, "路灯维修")
	staff := e.login("staff1")
	staff.act(id, "accept").wantStatus(t, http.StatusSeeOther)
	staff.act(id, "extend", "days", "5", "note", "需等待供电公司排期").wantStatus(t, http.StatusSeeOther)

	disp := e.login("disp1")
	board := disp.get("/demands/board").wantStatus(t, http.StatusOK)
	panel := board.body[strings.Index(board.body, `id="board-extension"`):]
	panel = panel[:strings.Index(panel, "</section>")]
	for _, s := range []string{"变电站扩容", "延期5日", "需等待供电公司排期", `<span class="count count-purple">1</span>`,
		attr("href", "/demands?pending_extension=1"), "审批"} {
		if !strings.Contains(panel, s) {
			t.Errorf("extension panel lacks %q", s)
		}
	}
	if strings.Contains(panel, "路灯维修") {
		t.Error("extension panel lists a demand without a request")
	}

	disp.get("/demands?pending_extension=1").wantStatus(t, http.StatusOK).
		contains(t, "变电站扩容", `name="pending_extension" value="1" checked`, "共 1 条").lacks(t, "路灯维修")
	disp.get("/demands").contains(t, "变电站扩容", "路灯维修")
	disp.get("/").contains(t, "待审批延期", attr("href", "/demands/board#board-extension"))

	disp.act(id, "approve_extension", "approve", "1").wantStatus(t, http.StatusSeeOther)
	board = disp.get("/demands/board")
	panel = board.body[strings.Index(board.body, `id="board-extension"`):]
	if panel = panel[:strings.Index(panel, "</section>")]; strings.Contains(panel, "变电站扩容") {
		t.Error("the decided request is still on the board")
	}
	disp.get("/demands?pending_extension=1").lacks(t, "变电站扩容")
}

func TestFileSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KB", 12595: "12.3 KB", 10 << 20: "10.0 MB"} {
		if got := fileSize(n); got != want {
			t.Errorf("fileSize(%d) = %q, want %q", n, got, want)
		}
	}
}
