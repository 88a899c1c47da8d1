package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"zhagen"
)

func TestDepartments(t *testing.T) {
	eachStore(t, testDepartments)
}

func testDepartments(t *testing.T, e *testEnv) {
	c := e.login("admin1")
	c.get("/departments").wantStatus(t, http.StatusOK).contains(t, "经济发展局", "政府部门", `href="/departments/new"`)

	// Empty name: field error, typed values kept.
	c.post("/departments", url.Values{"name": {""}, "kind": {"external"}, "sort": {"x"}, "parent_id": {"0"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "排序号须为整数", attr("value", "x"))
	c.post("/departments", url.Values{"name": {" "}, "kind": {"external"}, "sort": {"5"}, "parent_id": {"0"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写部门名称", `<option value="external" selected>`)

	parent := strconv.FormatInt(e.dept.ID, 10)
	c.post("/departments", url.Values{"name": {"企业服务科"}, "kind": {"gov"}, "sort": {"5"}, "parent_id": {parent}}).
		wantStatus(t, http.StatusSeeOther)
	list := c.get("/departments").wantStatus(t, http.StatusOK).contains(t, "部门已创建", "企业服务科", "tree-branch")
	if !order(list.body, "经济发展局", "企业服务科") {
		t.Error("child listed before its parent")
	}

	// Edit with a stale version shows the current values.
	path := fmt.Sprintf("/departments/%d", e.dept.ID)
	c.get(path+"/edit").wantStatus(t, http.StatusOK).contains(t, attr("value", "经济发展局"))
	c.post(path, url.Values{"version": {"1"}, "name": {"经济发展局（统计局）"}, "kind": {"gov"}, "sort": {"1"}}).wantStatus(t, http.StatusSeeOther)
	c.post(path, url.Values{"version": {"1"}, "name": {"旧名"}, "kind": {"gov"}, "sort": {"1"}}).
		wantStatus(t, http.StatusConflict).contains(t, "已被他人修改", "经济发展局（统计局）", attr("value", "旧名"))

	// Readers see the tree without edit links; enterprise users not at all.
	e.login("cadre1").get("/departments").wantStatus(t, http.StatusOK).lacks(t, "/departments/new", "/edit")
	e.login("cadre1").post("/departments", url.Values{"name": {"x"}, "kind": {"gov"}}).wantStatus(t, http.StatusForbidden)
}

func TestUsers(t *testing.T) {
	eachStore(t, testUsers)
}

func testUsers(t *testing.T, e *testEnv) {
	c := e.login("admin1")
	c.get("/users").wantStatus(t, http.StatusOK).contains(t, "admin1", "cadre1", "干部乙", "联系干部", `href="/users/new"`)
	c.get("/users?role=cadre").contains(t, ">cadre1<").lacks(t, ">admin1<")
	c.get("/users?q="+url.QueryEscape("管理员甲")).contains(t, ">admin1<").lacks(t, ">cadre1<")
	c.get(fmt.Sprintf("/users?dept=%d", e.dept.ID)).contains(t, ">cadre1<").lacks(t, ">admin1<")

	c.get("/users/new").wantStatus(t, http.StatusOK).contains(t, `name="roles"`, "副处级", `name="password"`)

	// A weak password and a cadre without department: errors next to the
	// fields, everything typed kept.
	form := url.Values{
		"login": {"cadre9"}, "name": {"新干部"}, "roles": {"cadre"}, "dept_id": {"0"}, "rank": {"副处级"},
		"expertise": {"集成电路、招商引资"}, "phone": {"13912345678"}, "password": {"short"},
	}
	c.post("/users", form).wantStatus(t, http.StatusUnprocessableEntity).
		contains(t, "密码至少8位", "部门人员和联系干部须选择所属部门", attr("value", "cadre9"),
			attr("value", "集成电路、招商引资"), `<option value="副处级" selected>`, `value="cadre" checked`)

	form.Set("password", "Str0ng!pass")
	form.Set("dept_id", strconv.FormatInt(e.dept.ID, 10))
	c.post("/users", form).wantStatus(t, http.StatusSeeOther)
	users, _, err := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre9"})
	if err != nil || len(users) != 1 {
		t.Fatalf("created user: %v %v", users, err)
	}
	u := users[0]
	if len(u.Expertise) != 2 || u.Expertise[1] != "招商引资" || u.Rank != "副处级" || u.DeptID != e.dept.ID {
		t.Errorf("stored %+v", u)
	}

	// Edit: become an enterprise user of enterprise A.
	path := fmt.Sprintf("/users/%d", u.ID)
	c.get(path+"/edit").wantStatus(t, http.StatusOK).contains(t, "cadre9", attr("value", "集成电路、招商引资"), "重置密码")
	edit := url.Values{"version": {strconv.FormatInt(u.Version, 10)}, "name": {"新干部"}, "roles": {"enterprise"},
		"dept_id": {"0"}, "enterprise_id": {"abc"}}
	c.post(path, edit).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "企业编号须为正整数")
	edit.Set("enterprise_id", strconv.FormatInt(e.entA.ID, 10))
	c.post(path, edit).wantStatus(t, http.StatusSeeOther)
	if got, _ := e.users.FindUserByID(e.sys, u.ID); got.EnterpriseID != e.entA.ID {
		t.Errorf("enterprise id %d", got.EnterpriseID)
	}

	// Reset the password: a weak one is refused, a good one works.
	c.post(path+"/password", url.Values{"password": {"abc"}}).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "密码至少8位")
	c.post(path+"/password", url.Values{"password": {"N3w!password"}}).wantStatus(t, http.StatusSeeOther)
	nc := e.client()
	nc.post("/login", url.Values{"login": {"cadre9"}, "password": {"N3w!password"}}).wantStatus(t, http.StatusSeeOther)

	// Non-admins cannot change users.
	d := e.login("disp1")
	d.get("/users").wantStatus(t, http.StatusOK).lacks(t, `href="/users/new"`)
	d.get(path+"/edit").wantStatus(t, http.StatusForbidden)
	d.post(path+"/password", url.Values{"password": {"N3w!password2"}}).wantStatus(t, http.StatusForbidden)
}

func TestIndustriesAndLogs(t *testing.T) {
	eachStore(t, testIndustriesAndLogs)
}

func testIndustriesAndLogs(t *testing.T, e *testEnv) {
	c := e.login("admin1")
	c.get("/industries").wantStatus(t, http.StatusOK).contains(t, e.indName)
	c.post("/industries", url.Values{"name": {"低空经济"}}).wantStatus(t, http.StatusSeeOther)
	c.get("/industries").contains(t, "行业已添加", "低空经济")
	inds, _ := e.ents.FindIndustries(e.sys)
	var id, used int64
	for _, in := range inds {
		switch in.Name {
		case "低空经济":
			id = in.ID
		case e.indName:
			used = in.ID
		}
	}
	// An industry in use cannot go; the message comes from the service.
	c.post(fmt.Sprintf("/industries/%d/delete", used), nil).wantStatus(t, http.StatusConflict).contains(t, e.indName, "alert-error")
	c.post(fmt.Sprintf("/industries/%d/delete", id), nil).wantStatus(t, http.StatusSeeOther)
	c.get("/industries").contains(t, "行业已删除").lacks(t, "低空经济")
	c.get("/enterprises/new").lacks(t, "低空经济")

	c.get("/logs/ops").wantStatus(t, http.StatusOK).contains(t, "低空经济")
	c.get("/logs/logins").wantStatus(t, http.StatusOK).contains(t, "admin1", "成功")
	c.get("/logs/logins?q=nobody-at-all").contains(t, "没有日志记录")
	c.hdr.Set("HX-Request", "true")
	c.hdr.Set("HX-Target", "log-results")
	c.get("/logs/logins").contains(t, "admin1").lacks(t, "<html")
}
