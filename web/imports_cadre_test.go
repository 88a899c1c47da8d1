package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhagen"
)

// TestImportCadresPage: an administrator imports cadres through the page
// from the template; the job's page reports the unknown department and,
// once the valid row is written, offers the initial-password sheet to
// that administrator alone, once. The new cadre's login leads to the
// change-password page, and every other page sends them back there
// until the password is changed.
func TestImportCadresPage(t *testing.T) {
	eachStore(t, func(t *testing.T, e *testEnv) {
		admin2 := &zhagen.User{Login: "admin2", Name: "管理员乙", Roles: []zhagen.Role{zhagen.RoleAdmin}, Password: testPassword}
		if err := e.users.CreateUser(e.sys, admin2); err != nil {
			t.Fatal(err)
		}
		admin := e.login("admin1")
		admin.get("/imports").wantStatus(t, http.StatusOK).contains(t, "/imports/template?kind=cadres", "导入干部账号")
		tpl := admin.get("/imports/template?kind=cadres").wantStatus(t, http.StatusOK)
		f, err := excelize.OpenReader(strings.NewReader(tpl.body))
		if err != nil {
			t.Fatal(err)
		}
		sh := f.GetSheetList()[0]
		if head, _ := f.GetRows(sh); strings.Join(head[0], ",") != "登录名,姓名,所属部门,职级,手机号,专长" {
			t.Fatalf("template header %v", head)
		}
		f.SetSheetRow(sh, "A2", &[]any{"zhangsan", "张三", "经济发展局", "副处级", "138 0013 8000", "招商、财税"})
		f.SetSheetRow(sh, "A3", &[]any{"lisi", "李四", "财政局"})
		var buf bytes.Buffer
		f.Write(&buf)
		res := admin.postFile("/imports", url.Values{"kind": {"cadres"}}, "干部.xlsx", buf.Bytes()).wantStatus(t, http.StatusSeeOther)
		path := res.header.Get("Location")
		id := strings.TrimPrefix(path, "/imports/")
		ctx := zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: e.userID(t, "admin1")})
		wait := func() {
			if _, err := e.h.cfg.Imports.Wait(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		wait()
		admin.get(path).wantStatus(t, http.StatusOK).contains(t, "C3", "所属部门", "所属部门不存在：财政局").lacks(t, "下载初始密码单")
		admin.post(path+"/commit", url.Values{"mode": {"valid"}}).wantStatus(t, http.StatusSeeOther)
		wait()
		admin.get(path).wantStatus(t, http.StatusOK).contains(t, "已写入 1 行", "已为 1 个账号生成初始密码", `action="`+path+`/passwords"`, "下载初始密码单")

		e.login("admin2").post(path+"/passwords", nil).wantStatus(t, http.StatusNotFound)
		sheetRes := admin.post(path+"/passwords", nil).wantStatus(t, http.StatusOK)
		admin.post(path+"/passwords", nil).wantStatus(t, http.StatusConflict).contains(t, "只能下载一次")
		admin.get(path).wantStatus(t, http.StatusOK).contains(t, "初始密码单已下载").lacks(t, "下载初始密码单")
		sf, err := excelize.OpenReader(strings.NewReader(sheetRes.body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := sf.GetRows(sf.GetSheetList()[0])
		if len(rows) != 2 || strings.Join(rows[0], ",") != "登录名,姓名,初始密码" || rows[1][0] != "zhangsan" || rows[1][1] != "张三" {
			t.Fatalf("password sheet %v", rows)
		}
		initial := rows[1][2]

		c := e.client()
		res = c.post("/login", url.Values{"login": {"zhangsan"}, "password": {initial}, "next": {"/demands"}}).wantStatus(t, http.StatusSeeOther)
		if loc := res.header.Get("Location"); loc != "/account/password" {
			t.Fatalf("first login goes to %q", loc)
		}
		for _, p := range []string{"/", "/demands", "/linkages", "/imports"} {
			if res := c.get(p); res.status != http.StatusSeeOther || res.header.Get("Location") != "/account/password" {
				t.Fatalf("%s before the change: %d %q", p, res.status, res.header.Get("Location"))
			}
		}
		req, _ := http.NewRequest(http.MethodGet, c.base+"/demands", nil)
		req.Header.Set("HX-Request", "true")
		if res := c.do(req); res.header.Get("HX-Redirect") != "/account/password" {
			t.Fatalf("htmx before the change: %d %v", res.status, res.header)
		}
		c.get("/account/password").wantStatus(t, http.StatusOK).contains(t, "管理员设置的初始密码")
		res = c.post("/account/password", url.Values{"current_password": {initial}, "new_password": {"Kq7!tmR2vz"}, "new_password2": {"Kq7!tmR2vz"}}).wantStatus(t, http.StatusSeeOther)
		if loc := res.header.Get("Location"); loc != "/" {
			t.Fatalf("after the change: %q", loc)
		}
		c.get("/").wantStatus(t, http.StatusOK).contains(t, "密码已修改")
		c.get("/account/password").wantStatus(t, http.StatusOK).lacks(t, "管理员设置的初始密码")
	})
}
