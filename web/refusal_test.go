package web

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"zhagen"
)

// TestEachRefusalHasItsOwnMessage: a refused page says why, with the
// policy's message of the permission refused, not one text for every
// refusal.
func TestEachRefusalHasItsOwnMessage(t *testing.T) {
	eachStore(t, testEachRefusalHasItsOwnMessage)
}

func testEachRefusalHasItsOwnMessage(t *testing.T, e *testEnv) {
	staff := e.login("staff1")
	seen := map[string]string{}
	for _, c := range []struct {
		path string
		form url.Values // nil: GET
		perm zhagen.Perm
	}{
		{"/logs/ops", nil, zhagen.PermOpLogView},
		{"/logs/logins", nil, zhagen.PermLoginLogView},
		{"/categories", nil, zhagen.PermCategoryEdit},
		{"/users/new", nil, zhagen.PermUserCreate},
		{"/departments/new", nil, zhagen.PermDepartmentCreate},
		{"/calendar/overrides", url.Values{"date": {"2026-10-09"}, "kind": {"holiday"}, "name": {"调休"}}, zhagen.PermCalendarEdit},
		{"/industries", url.Values{"name": {"新行业"}}, zhagen.PermIndustryEdit},
		{"/enterprises/new", nil, zhagen.PermEnterpriseCreate},
	} {
		var res response
		if c.form == nil {
			res = staff.get(c.path)
		} else {
			res = staff.post(c.path, c.form)
		}
		want := zhagen.Forbidden(c.perm).Message
		res.wantStatus(t, http.StatusForbidden).contains(t, want).lacks(t, "您的角色无权进行此操作")
		if other, dup := seen[want]; dup {
			t.Errorf("%s and %s refuse with the same message", c.path, other)
		}
		seen[want] = c.path
	}
}

// TestProjectFormOfAStatusOnlyActor: the owning department's staff may
// move a key project's stage but not edit it; a posted edit is refused
// with 403 and the reason (it was saved as a stage change, silently
// dropping the rest), and the stage form works.
func TestProjectFormOfAStatusOnlyActor(t *testing.T) {
	eachStore(t, testProjectFormOfAStatusOnlyActor)
}

func testProjectFormOfAStatusOnlyActor(t *testing.T, e *testEnv) {
	p := &zhagen.Project{Name: "芯片产业园", Level: zhagen.LevelDistrict, OwnerDeptID: e.dept.ID, Status: zhagen.ProjectPrep}
	if err := e.pj.CreateProject(e.sys, p); err != nil {
		t.Fatal(err)
	}
	path := "/projects/" + strconv.FormatInt(p.ID, 10)
	staff := e.login("staff1")
	staff.post(path+"/edit", url.Values{"name": {"改名"}, "level": {"district"}, "owner_kind": {"dept"}, "owner_dept_id": {strconv.FormatInt(e.dept.ID, 10)},
		"status": {"building"}, "version": {"1"}}).
		wantStatus(t, http.StatusForbidden).contains(t, zhagen.Forbidden(zhagen.PermProjectEdit).Message, "项目名称")
	if got, err := e.pj.FindProjectByID(e.sys, p.ID); err != nil || got.Version != 1 || got.Name != "芯片产业园" {
		t.Fatalf("after a refused edit: %+v %v", got, err)
	}
	staff.post(path+"/status", url.Values{"status": {"building"}, "version": {"1"}}).wantStatus(t, http.StatusSeeOther)
	if got, _ := e.pj.FindProjectByID(e.sys, p.ID); got.Status != zhagen.ProjectBuilding || got.Version != 2 {
		t.Fatalf("after the stage form: %+v", got)
	}
}
