package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhagen"
)

// TestDemandExportKeepsFiltersAndScope: the list's export links carry its
// filters; a unit's staff export their own department's demands only,
// and a filter narrows the export as it narrows the page.
func TestDemandExportKeepsFiltersAndScope(t *testing.T) {
	eachStore(t, func(t *testing.T, e *testEnv) {
		cat := e.powerCategory(t, e.dept.ID)
		unit := &zhagen.Department{Name: "企业服务科", Kind: zhagen.DeptGov, ParentID: e.dept.ID}
		if err := e.depts.CreateDepartment(e.sys, unit); err != nil {
			t.Fatal(err)
		}
		u := &zhagen.User{Login: "unit1", Name: "科室人员", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: unit.ID, Password: testPassword}
		if err := e.users.CreateUser(e.sys, u); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, title := range []string{"经发局主办的诉求", "科室主办的用电诉求", "科室主办的用水诉求"} {
			d := &zhagen.Demand{EnterpriseID: e.entA.ID, CategoryID: cat.ID, Title: title, Description: "d", Answers: zhagen.Answers{"load_kw": {"10"}}}
			if err := e.demands.CreateDemand(e.sys, d, ""); err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(title, "科室") {
				if _, err := e.demands.Transition(e.sys, d.ID, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: unit.ID}); err != nil {
					t.Fatal(err)
				}
			}
			ids = append(ids, d.ID)
		}
		us := e.login("unit1")
		us.get("/demands?q="+url.QueryEscape("用电")+"&page=1").wantStatus(t, http.StatusOK).
			contains(t, `href="/demands?format=xlsx&amp;q=%E7%94%A8%E7%94%B5"`)
		rows := func(c *client, q string) []string {
			res := c.get("/demands?format=csv"+q).wantStatus(t, http.StatusOK)
			if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Fatalf("content type %q", ct)
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
			if err != nil || recs[0][0] != "编号" {
				t.Fatalf("csv: %v %q", err, res.body)
			}
			var out []string
			for _, r := range recs[1:] {
				out = append(out, r[0]+" "+r[1])
			}
			return out
		}
		if got, want := strings.Join(rows(us, ""), ";"), fmt.Sprintf("%d 科室主办的用水诉求;%d 科室主办的用电诉求", ids[2], ids[1]); got != want {
			t.Errorf("unit staff export: %q, want %q", got, want)
		}
		if got := rows(us, "&q="+url.QueryEscape("用电")); len(got) != 1 || !strings.Contains(got[0], "用电") {
			t.Errorf("filtered export: %q", got)
		}
		if got := rows(e.login("staff1"), ""); len(got) != 3 {
			t.Errorf("the bureau sees down the tree: %q", got)
		}
		res := us.get("/demands?format=xlsx").wantStatus(t, http.StatusOK)
		f, err := excelize.OpenReader(strings.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := f.GetRows("诉求清单"); len(got) != 3 {
			t.Errorf("xlsx rows: %q", got)
		}
		e.login("ent2").get("/demands?format=csv").wantStatus(t, http.StatusOK).lacks(t, "科室")
	})
}

// TestImportPageFlow: an admin uploads a file through the page; the job's
// page reports the bad cell, and writing the valid rows stores them.
func TestImportPageFlow(t *testing.T) {
	eachStore(t, func(t *testing.T, e *testEnv) {
		admin := e.login("admin1")
		admin.get("/imports").wantStatus(t, http.StatusOK).contains(t, "/imports/template?kind=enterprises", "/imports/template?kind=linkages")
		tpl := admin.get("/imports/template?kind=enterprises").wantStatus(t, http.StatusOK)
		f, err := excelize.OpenReader(strings.NewReader(tpl.body))
		if err != nil {
			t.Fatal(err)
		}
		f.SetSheetRow(f.GetSheetList()[0], "A2", &[]any{"福州丙新材料有限公司", validUSCC(t, "0000003"), e.indName, "海西园"})
		f.SetSheetRow(f.GetSheetList()[0], "A3", &[]any{"福州丁新材料有限公司", "91350100MA0000004X", e.indName})
		f.SetSheetRow(f.GetSheetList()[0], "A4", &[]any{"福州甲芯微电子有限公司", e.entA.USCC, e.indName})
		var buf bytes.Buffer
		f.Write(&buf)
		res := admin.postFile("/imports", url.Values{"kind": {"enterprises"}}, "企业.xlsx", buf.Bytes()).wantStatus(t, http.StatusSeeOther)
		path := res.header.Get("Location")
		id := strings.TrimPrefix(path, "/imports/")
		ctx := zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: e.userID(t, "admin1")})
		if _, err := e.h.cfg.Imports.Wait(ctx, id); err != nil {
			t.Fatal(err)
		}
		admin.get(path).wantStatus(t, http.StatusOK).contains(t, "B3", "统一社会信用代码", "B4", "已登记", `value="valid"`)
		admin.post(path+"/commit", url.Values{"mode": {"valid"}}).wantStatus(t, http.StatusSeeOther)
		if _, err := e.h.cfg.Imports.Wait(ctx, id); err != nil {
			t.Fatal(err)
		}
		admin.get(path).wantStatus(t, http.StatusOK).contains(t, "已写入 1 行")
		if list, _, _ := e.ents.FindEnterprises(e.sys, zhagen.EnterpriseFilter{Query: "福州丙"}); len(list) != 1 {
			t.Fatalf("the valid row was not stored: %d", len(list))
		}
		e.login("staff1").get(path).wantStatus(t, http.StatusNotFound)
	})
}

// userID is the id of the user with login.
func (e *testEnv) userID(t *testing.T, login string) int64 {
	t.Helper()
	us, _, err := e.users.FindUsers(e.sys, zhagen.UserFilter{Login: login})
	if err != nil || len(us) != 1 {
		t.Fatalf("user %s: %v", login, err)
	}
	return us[0].ID
}
