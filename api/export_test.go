package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// raw sends a GET as login and returns the status, the content type and
// the body.
func (v *env) raw(login, path string) (int, string, []byte) {
	v.t.Helper()
	req, _ := http.NewRequest("GET", v.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+v.tokens[login])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// xlsxIDs reads an exported demand sheet back: its header and the ids of
// its first column.
func xlsxIDs(t *testing.T, b []byte) ([]string, []int64) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) == 0 {
		t.Fatalf("rows: %v %d", err, len(rows))
	}
	var ids []int64
	for _, r := range rows[1:] {
		id, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil {
			t.Fatalf("id cell %q: %v", r[0], err)
		}
		ids = append(ids, id)
	}
	return rows[0], ids
}

// TestDemandExportScope: an exported list holds exactly the rows of the
// same list for that user, filters and scope alike; a staff member's
// export holds only their department's demands.
func TestDemandExportScope(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		other := &zhagen.Department{Name: "市场监管局", Kind: zhagen.DeptGov}
		must(t, v.depts.CreateDepartment(ctx, other))
		st, body := v.do("admin", "POST", "/api/v1/categories", map[string]any{"code": "license", "name": "证照办理", "lead_dept_id": other.ID})
		if st != 201 {
			t.Fatalf("category: %d %v", st, body)
		}
		st, body = v.do("enterprise", "POST", "/api/v1/demands", map[string]any{"category_id": body["id"], "title": "营业执照变更", "description": "经营范围变更"})
		if st != 201 {
			t.Fatalf("demand: %d %v", st, body)
		}
		elsewhere := int64(body["id"].(float64))
		listIDs := func(login, q string) []int64 {
			_, body := v.do(login, "GET", "/api/v1/demands?limit=200"+q, nil)
			var ids []int64
			for _, it := range body["items"].([]any) {
				ids = append(ids, int64(it.(map[string]any)["id"].(float64)))
			}
			return ids
		}
		for _, c := range []struct{ login, q string }{{"staff", ""}, {"admin", ""}, {"admin", "&q=营业执照"}, {"enterprise2", ""}} {
			st, ct, b := v.raw(c.login, "/api/v1/demands?format=xlsx"+c.q)
			if st != 200 || ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
				t.Fatalf("%s export: %d %s %s", c.login, st, ct, b)
			}
			head, got := xlsxIDs(t, b)
			if head[0] != "编号" || head[1] != "标题" {
				t.Fatalf("headers: %v", head)
			}
			if want := listIDs(c.login, c.q); !slices.Equal(got, want) {
				t.Fatalf("%s%s: export %v, list %v", c.login, c.q, got, want)
			}
		}
		_, staff := xlsxIDs(t, mustBody(t, v, "staff", "/api/v1/demands?format=xlsx"))
		if len(staff) != 2 || slices.Contains(staff, elsewhere) {
			t.Fatalf("staff export holds %v; want the two demands of their department, not %d", staff, elsewhere)
		}
		_, all := xlsxIDs(t, mustBody(t, v, "admin", "/api/v1/demands?format=xlsx"))
		if len(all) != 3 || !slices.Contains(all, elsewhere) {
			t.Fatalf("admin export holds %v", all)
		}
		// CSV: a byte order mark, Chinese headers, the same rows.
		st, ct, b := v.raw("staff", "/api/v1/demands?format=csv")
		if st != 200 || ct != "text/csv; charset=utf-8" || !bytes.HasPrefix(b, []byte("\ufeff编号,")) {
			t.Fatalf("csv: %d %s %q", st, ct, b[:min(len(b), 40)])
		}
		recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil || len(recs) != 3 || recs[1][0] != fmt.Sprint(staff[0]) {
			t.Fatalf("csv rows: %v %v", err, recs)
		}
		if st, _, _ := v.raw("staff", "/api/v1/demands?format=pdf"); st != 400 {
			t.Fatalf("unknown format: %d", st)
		}
	})
}

func mustBody(t *testing.T, v *env, login, path string) []byte {
	t.Helper()
	st, _, b := v.raw(login, path)
	if st != 200 {
		t.Fatalf("%s: %d %s", path, st, b)
	}
	return b
}
