package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// cadreFile is a cadre import of rows by the template's headers.
func cadreFile(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	var head []any
	for _, c := range zhagen.CadreImportColumns {
		head = append(head, c.Header)
	}
	f.SetSheetRow("Sheet1", "A1", &head)
	for i, r := range rows {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+2), &r)
	}
	var buf bytes.Buffer
	must(t, f.Write(&buf))
	return buf.Bytes()
}

// cadreRows are n valid cadres of 经济发展局, but for data row bad
// (1-based, when positive), whose department does not exist.
func cadreRows(n, bad int) [][]any {
	var rows [][]any
	for i := 1; i <= n; i++ {
		dept := "经济发展局"
		if i == bad {
			dept = "不存在的局"
		}
		rows = append(rows, []any{fmt.Sprintf("gb%04d", i), fmt.Sprintf("干部%04d", i), dept, "正科级", fmt.Sprintf("138%08d", i), "招商、财税,法律"})
	}
	return rows
}

// post sends a POST without a body as login and returns the status,
// the headers and the body.
func (v *env) post(login, path string) (int, http.Header, []byte) {
	v.t.Helper()
	req, _ := http.NewRequest("POST", v.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+v.tokens[login])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// runImport uploads data as login, waits for the report, commits it in
// mode ("" validates only) and returns the job.
func (v *env) runImport(login, kind string, data []byte, mode string) map[string]any {
	v.t.Helper()
	st, body := v.uploadImport(login, kind, data)
	if st != 202 {
		v.t.Fatalf("upload: %d %v", st, body)
	}
	job := v.settle(login, body["id"].(string))
	if mode == "" {
		return job
	}
	if st, body := v.do(login, "POST", "/api/v1/imports/"+job["id"].(string)+"/commit", map[string]any{"mode": mode}); st != 202 {
		v.t.Fatalf("commit %s: %d %v", mode, st, body)
	}
	return v.settle(login, job["id"].(string))
}

// TestImportCadresAcceptance: 1,000 cadres with one unknown department;
// the report names its row and the column 所属部门; the default commit
// writes nothing, the valid-only commit writes 999 accounts. Their
// initial passwords come once, as a sheet, to the administrator who ran
// the import and to no other; each logs in and must be changed first.
// The operation log counts the accounts and holds no password.
func TestImportCadresAcceptance(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		sys := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		admin2 := &zhagen.User{Login: "admin2", Name: "另一位管理员", Roles: []zhagen.Role{zhagen.RoleAdmin}, Password: password}
		must(t, v.users.CreateUser(sys, admin2))
		v.tokens["admin2"] = v.apiLogin(t, "admin2", password)
		file := cadreFile(t, cadreRows(1000, 437))
		if st, body := v.uploadImport("dispatcher", "cadres", file); st != 403 {
			t.Fatalf("a dispatcher imports cadres: %d %v", st, body)
		}
		if st, body := v.do("dispatcher", "GET", "/api/v1/imports/template?kind=cadres", nil); st != 403 {
			t.Fatalf("a dispatcher downloads the cadre template: %d %v", st, body)
		}
		count := func() float64 {
			_, body := v.do("admin", "GET", "/api/v1/users?role=cadre&limit=1", nil)
			return body["total"].(float64)
		}
		before := count()
		checkReport := func(job map[string]any) {
			t.Helper()
			rep := job["report"].(map[string]any)
			probs := rep["problems"].([]any)
			if rep["rows"].(float64) != 1000 || rep["valid"].(float64) != 999 || len(probs) != 1 {
				t.Fatalf("validation: %v", rep)
			}
			p := probs[0].(map[string]any)
			if p["row"].(float64) != 438 || p["column"] != "所属部门" || p["cell"] != "C438" || p["message"] != "所属部门不存在：不存在的局" {
				t.Fatalf("the problem does not name row 438, column 所属部门: %v", p)
			}
		}
		job := v.runImport("admin", "cadres", file, "")
		checkReport(job)
		if job["state"] != "validated" || count() != before {
			t.Fatalf("validation wrote: %v, %v cadres", job["state"], count()-before)
		}
		job = v.runImport("admin", "cadres", file, "all")
		checkReport(job)
		rep := job["report"].(map[string]any)
		if job["state"] != "done" || rep["written"].(float64) != 0 || rep["committed"] != false || count() != before || job["password_sheet"] != nil {
			t.Fatalf("all or nothing wrote: %v, %v cadres", job, count()-before)
		}
		job = v.runImport("admin", "cadres", file, "valid")
		rep = job["report"].(map[string]any)
		if job["state"] != "done" || rep["written"].(float64) != 999 || count() != before+999 || job["password_sheet"] != "ready" {
			t.Fatalf("valid only: %v, %v cadres", job, count()-before)
		}
		id := job["id"].(string)
		_, list := v.do("admin", "GET", "/api/v1/users?q=gb0001", nil)
		u := list["items"].([]any)[0].(map[string]any)
		if u["login"] != "gb0001" || u["dept_name"] != "经济发展局" || u["rank"] != "正科级" || fmt.Sprint(u["expertise"]) != "[招商 财税 法律]" ||
			fmt.Sprint(u["roles"]) != "[cadre]" || u["must_change_password"] != true {
			t.Fatalf("imported cadre: %v", u)
		}

		// The sheet is the importer's alone, and comes once.
		for _, other := range []string{"admin2", "dispatcher"} {
			if st, _, b := v.post(other, "/api/v1/imports/"+id+"/passwords"); st != 404 {
				t.Fatalf("%s takes the password sheet: %d %s", other, st, b)
			}
		}
		st, hdr, sheetBytes := v.post("admin", "/api/v1/imports/"+id+"/passwords")
		if st != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "attachment") || hdr.Get("Cache-Control") != "no-store" {
			t.Fatalf("password sheet: %d %v", st, hdr)
		}
		if st, _, b := v.post("admin", "/api/v1/imports/"+id+"/passwords"); st != 409 || !strings.Contains(string(b), "只能下载一次") {
			t.Fatalf("second download: %d %s", st, b)
		}
		if _, j := v.do("admin", "GET", "/api/v1/imports/"+id, nil); j["password_sheet"] != "taken" {
			t.Fatalf("after the download: %v", j["password_sheet"])
		}
		creds := readPasswordSheet(t, sheetBytes)
		if len(creds) != 999 {
			t.Fatalf("%d passwords in the sheet", len(creds))
		}
		seen := map[string]bool{}
		for _, c := range creds {
			if msg := zhagen.ValidatePassword(c[2]); msg != "" || seen[c[2]] {
				t.Fatalf("%s: password %q: %s (repeated %v)", c[0], c[2], msg, seen[c[2]])
			}
			seen[c[2]] = true
		}
		if creds[0][0] != "gb0001" || creds[0][1] != "干部0001" || creds[436][0] != "gb0438" {
			t.Fatalf("sheet rows: %v … %v", creds[0], creds[436])
		}

		// Every password logs in; the account must change it first.
		for i, c := range creds {
			st, body := v.do("", "POST", "/api/v1/login", map[string]any{"login": c[0], "password": c[2]})
			if st != 200 || body["user"].(map[string]any)["must_change_password"] != true {
				t.Fatalf("login %s: %d %v", c[0], st, body)
			}
			if i%100 != 0 {
				continue
			}
			v.tokens[c[0]] = body["token"].(string)
			if st, body := v.do(c[0], "GET", "/api/v1/me", nil); st != 403 || errField(body, "code") != zhagen.EPASSWORDCHANGE || !strings.Contains(errField(body, "message"), "修改") {
				t.Fatalf("%s before the change: %d %v", c[0], st, body)
			}
			next := "Kq7!tmR2vz" + fmt.Sprint(i)
			if st, body := v.do(c[0], "POST", "/api/v1/me/password", map[string]any{"current_password": c[2], "new_password": next}); st != 204 {
				t.Fatalf("%s changes the password: %d %v", c[0], st, body)
			}
			if st, body := v.do(c[0], "GET", "/api/v1/me", nil); st != 200 || body["must_change_password"] != false {
				t.Fatalf("%s after the change: %d %v", c[0], st, body)
			}
		}

		// The operation log counts; it holds no password.
		logs, _, err := sqldb.NewLogService(v.db).FindOpLogs(zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: v.ids["admin"], Roles: []zhagen.Role{zhagen.RoleAdmin}}), zhagen.LogFilter{Limit: 200})
		must(t, err)
		found := false
		for _, l := range logs {
			if strings.Contains(l.Summary, "表格导入干部账号 999 个") {
				found = true
			}
			for _, c := range creds {
				if strings.Contains(l.Summary, c[2]) {
					t.Fatalf("the op log holds a password: %v", l)
				}
			}
		}
		if !found {
			t.Fatal("the op log does not record the import")
		}
	})
}

// readPasswordSheet returns the rows (登录名, 姓名, 初始密码) of an
// initial-password sheet, after checking its header.
func readPasswordSheet(t *testing.T, b []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the password sheet does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) == 0 || strings.Join(rows[0], ",") != "登录名,姓名,初始密码" {
		t.Fatalf("password sheet: %v %v", err, rows[:min(1, len(rows))])
	}
	return rows[1:]
}

// TestImportCadreProblems: logins repeated in the file or taken in the
// store, a bad login, phone and rank, a missing name and department, and
// a department two share are reported by row and column; a department
// named with its parent resolves.
func TestImportCadreProblems(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		sys := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		root := v.deptID("管委会")
		build := &zhagen.Department{Name: "城乡建设局", Kind: zhagen.DeptGov, ParentID: root}
		must(t, v.depts.CreateDepartment(sys, build))
		var twins []int64
		for _, parent := range []int64{v.deptID("经济发展局"), build.ID} {
			d := &zhagen.Department{Name: "综合科", Kind: zhagen.DeptGov, ParentID: parent}
			must(t, v.depts.CreateDepartment(sys, d))
			twins = append(twins, d.ID)
		}
		file := cadreFile(t, [][]any{
			{"dup1", "甲", "经济发展局"},                                  // 2
			{"dup1", "乙", "经济发展局"},                                  // 3: repeats row 2
			{"cadre", "丙", "经济发展局"},                                 // 4: taken
			{"1bad", "丁", "经济发展局"},                                  // 5
			{"nophone", "戊", "经济发展局", "", "12345"},                  // 6
			{"norank", "己", "经济发展局", "司长"},                          // 7
			{"noname", "", "经济发展局"},                                 // 8
			{"nodept", "庚", ""},                                     // 9
			{"twin", "辛", "综合科"},                                    // 10: two departments
			{"parent", "壬", "城乡建设局/综合科", "科员", "+86 138 0013 8000"}, // 11: fine
		})
		job := v.runImport("admin", "cadres", file, "")
		rep := job["report"].(map[string]any)
		var got []string
		for _, p := range rep["problems"].([]any) {
			p := p.(map[string]any)
			got = append(got, fmt.Sprintf("%s %s %s", p["cell"], p["column"], p["message"]))
		}
		want := []string{
			"A3 登录名 登录名与第2行重复：dup1",
			"A4 登录名 登录名已被使用：cadre",
			"A5 登录名 登录名须以字母开头，2–32位字母、数字、点、下划线或连字符",
			"E6 手机号 " + zhagen.ValidatePhone("12345"),
			"D7 职级 职级无效",
			"B8 姓名 请填写姓名",
			"C9 所属部门 请填写所属部门",
			"C10 所属部门 有2个部门名为“综合科”，请连同上级部门填写，如“上级部门/综合科”",
		}
		if rep["valid"].(float64) != 2 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("report (valid %v):\n%s\nwant:\n%s", rep["valid"], strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		job = v.runImport("admin", "cadres", file, "valid")
		if w := job["report"].(map[string]any)["written"].(float64); w != 2 {
			t.Fatalf("written %v", w)
		}
		_, list := v.do("admin", "GET", "/api/v1/users?q=parent", nil)
		if u := list["items"].([]any)[0].(map[string]any); u["dept_id"].(float64) != float64(twins[1]) || u["dept_name"] != "综合科" {
			t.Fatalf("parent/综合科: %v", u)
		}
	})
}

// TestAPIMustChangePassword: after an administrator's reset, the user's
// token opens no route but changing the password (and logging out):
// every other answers 403 password_change_required with a Chinese
// message; once changed, the routes answer as before.
func TestAPIMustChangePassword(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		admin := zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: v.ids["admin"], Roles: []zhagen.Role{zhagen.RoleAdmin}})
		const reset = "Reset#Pw2026x"
		must(t, v.users.SetPassword(admin, v.ids["staff"], reset))
		st, body := v.do("", "POST", "/api/v1/login", map[string]any{"login": "staff", "password": reset})
		if st != 200 || body["user"].(map[string]any)["must_change_password"] != true {
			t.Fatalf("login after the reset: %d %v", st, body)
		}
		v.tokens["staff"] = body["token"].(string)
		wild := regexp.MustCompile(`\{[^}]+\}`)
		open := 0
		for _, r := range v.h.Routes() {
			if r.Public {
				continue
			}
			key := r.Method + " " + r.Path
			if key == "POST /api/v1/me/password" || key == "POST /api/v1/logout" {
				open++
				continue
			}
			st, body := v.do("staff", r.Method, wild.ReplaceAllString(r.Path, "1"), nil)
			if st != 403 || errField(body, "code") != "password_change_required" || !strings.Contains(errField(body, "message"), "请先修改初始密码") {
				t.Errorf("%s before the change: %d %v", key, st, body)
			}
		}
		if open != 2 {
			t.Fatalf("%d open routes found", open)
		}
		if st, body := v.do("staff", "POST", "/api/v1/me/password", map[string]any{"current_password": reset, "new_password": "Kq7!tmR2vz"}); st != 204 {
			t.Fatalf("change: %d %v", st, body)
		}
		for _, path := range []string{"/api/v1/me", "/api/v1/demands", "/api/v1/tokens"} {
			if st, body := v.do("staff", "GET", path, nil); st != 200 {
				t.Errorf("%s after the change: %d %v", path, st, body)
			}
		}
		// An administrator's change of their own password is no reset.
		must(t, v.users.SetPassword(admin, v.ids["admin"], reset))
		v.tokens["admin"] = v.apiLogin(t, "admin", reset)
		if st, body := v.do("admin", "GET", "/api/v1/me", nil); st != 200 || body["must_change_password"] != false {
			t.Fatalf("admin after setting their own: %d %v", st, body)
		}
	})
}
