package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// enterpriseFile is an enterprise import of n rows by the template's
// headers; bad, when positive, is the data row (1-based) whose USCC has a
// wrong check character.
func enterpriseFile(t *testing.T, n, bad int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	var head []any
	for _, c := range zhagen.EnterpriseImportColumns {
		head = append(head, c.Header)
	}
	f.SetSheetRow("Sheet1", "A1", &head)
	for i := 1; i <= n; i++ {
		body := fmt.Sprintf("91350100%09d", 500000+i)
		c, _ := zhagen.USCCCheckChar(body)
		code := body + string(c)
		if i == bad {
			const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
			code = body + string(alphabet[(1+bytes.IndexByte([]byte(alphabet), c))%31])
		}
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &[]any{fmt.Sprintf("导入测试企业%04d有限公司", i), code, "集成电路", "海西园", "", "", "否", "在营", "", ""})
	}
	var buf bytes.Buffer
	must(t, f.Write(&buf))
	return buf.Bytes()
}

// uploadImport posts a file to /api/v1/imports as login.
func (v *env) uploadImport(login, kind string, data []byte) (int, map[string]any) {
	v.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", "企业.xlsx")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", v.srv.URL+"/api/v1/imports", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+v.tokens[login])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

// settle waits for the job's current step and returns it as the API shows it.
func (v *env) settle(login, id string) map[string]any {
	v.t.Helper()
	ctx := zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: v.ids[login]})
	if _, err := v.imports.Wait(ctx, id); err != nil {
		v.t.Fatal(err)
	}
	st, body := v.do(login, "GET", "/api/v1/imports/"+id, nil)
	if st != 200 {
		v.t.Fatalf("job %s: %d %v", id, st, body)
	}
	return body
}

// TestImportEnterprisesAcceptance: 1,000 rows with one bad USCC; the
// report names its row and column; the default commit writes nothing,
// the valid-only commit writes 999.
func TestImportEnterprisesAcceptance(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		file := enterpriseFile(t, 1000, 437)
		if st, body := v.uploadImport("dispatcher", "enterprises", file); st != 403 {
			t.Fatalf("a dispatcher imports enterprises: %d %v", st, body)
		}
		count := func() float64 {
			_, body := v.do("admin", "GET", "/api/v1/enterprises?limit=1", nil)
			return body["total"].(float64)
		}
		before := count()
		run := func(mode string) map[string]any {
			st, body := v.uploadImport("admin", "enterprises", file)
			// The job validates on its own goroutine: a small file may
			// be validated before the answer to the upload is written.
			if st != 202 || (body["state"] != "validating" && body["state"] != "validated") {
				t.Fatalf("upload: %d %v", st, body)
			}
			id := body["id"].(string)
			job := v.settle("admin", id)
			rep := job["report"].(map[string]any)
			probs := rep["problems"].([]any)
			if job["state"] != "validated" || rep["rows"].(float64) != 1000 || rep["valid"].(float64) != 999 || len(probs) != 1 {
				t.Fatalf("validation: %v", job)
			}
			p := probs[0].(map[string]any)
			if p["row"].(float64) != 438 || p["column"] != "统一社会信用代码" || p["cell"] != "B438" || p["message"] == "" {
				t.Fatalf("the problem does not name row 438, column B: %v", p)
			}
			if count() != before {
				t.Fatal("validation wrote rows")
			}
			if other, _ := v.do("staff", "GET", "/api/v1/imports/"+id, nil); other != 404 {
				t.Fatalf("another user sees the job: %d", other)
			}
			st, body = v.do("admin", "POST", "/api/v1/imports/"+id+"/commit", map[string]any{"mode": mode})
			if st != 202 {
				t.Fatalf("commit %s: %d %v", mode, st, body)
			}
			return v.settle("admin", id)
		}
		job := run("all")
		rep := job["report"].(map[string]any)
		if job["state"] != "done" || rep["written"].(float64) != 0 || rep["committed"] != false || count() != before {
			t.Fatalf("all or nothing wrote: %v, %v enterprises", job, count()-before)
		}
		job = run("valid")
		rep = job["report"].(map[string]any)
		if job["state"] != "done" || rep["written"].(float64) != 999 || count() != before+999 {
			t.Fatalf("valid only: %v, %v enterprises", job, count()-before)
		}
		// The same file again: every code is now registered.
		st, body := v.uploadImport("admin", "enterprises", file)
		if st != 202 {
			t.Fatalf("upload again: %d %v", st, body)
		}
		rep = v.settle("admin", body["id"].(string))["report"].(map[string]any)
		if rep["valid"].(float64) != 0 || rep["problem_count"].(float64) != 1000 {
			t.Fatalf("registered codes not found: %v", rep["problem_count"])
		}
	})
}

// TestImportLinkages: cadres by login and enterprises by USCC are
// resolved; an unknown cadre, an unregistered enterprise and a row
// repeated in the file are reported; the valid ones are written.
func TestImportLinkages(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		f := excelize.NewFile()
		var head []any
		for _, c := range zhagen.LinkageImportColumns {
			head = append(head, c.Header)
		}
		f.SetSheetRow("Sheet1", "A1", &head)
		f.SetSheetRow("Sheet1", "A2", &[]any{"cadre", "91440300708461136T", "联系干部", "30", "2026-10-01"})
		f.SetSheetRow("Sheet1", "A3", &[]any{"nobody", "91440300708461136T"})
		f.SetSheetRow("Sheet1", "A4", &[]any{"cadre", "91350100000000001X"})
		f.SetSheetRow("Sheet1", "A5", &[]any{"cadre", "91440300708461136t", "联系干部"})
		f.SetSheetRow("Sheet1", "A6", &[]any{"cadre", "91330100716105852F", "服务专员", "14"})
		var buf bytes.Buffer
		must(t, f.Write(&buf))
		if st, body := v.uploadImport("staff", "linkages", buf.Bytes()); st != 403 {
			t.Fatalf("staff imports linkages: %d %v", st, body)
		}
		st, body := v.uploadImport("dispatcher", "linkages", buf.Bytes())
		if st != 202 {
			t.Fatalf("upload: %d %v", st, body)
		}
		id := body["id"].(string)
		rep := v.settle("dispatcher", id)["report"].(map[string]any)
		var cells []string
		for _, p := range rep["problems"].([]any) {
			cells = append(cells, p.(map[string]any)["cell"].(string))
		}
		if rep["valid"].(float64) != 2 || fmt.Sprint(cells) != "[A3 B4 A5]" {
			t.Fatalf("report: %v", rep)
		}
		if st, body := v.do("dispatcher", "POST", "/api/v1/imports/"+id+"/commit", map[string]any{"mode": "valid"}); st != 202 {
			t.Fatalf("commit: %d %v", st, body)
		}
		rep = v.settle("dispatcher", id)["report"].(map[string]any)
		_, list := v.do("admin", "GET", fmt.Sprintf("/api/v1/linkages?cadre_id=%d", v.ids["cadre"]), nil)
		if rep["written"].(float64) != 2 || list["total"].(float64) != 2 {
			t.Fatalf("written %v, linkages %v", rep["written"], list["total"])
		}
	})
}
