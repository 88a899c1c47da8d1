package web

import (
	"net/http"
	"strconv"
	"testing"

	"zhagen"
)

// TestProjectPageShowsProblemsToOwner: the owner department's staff see
// the problems raised on their key project on its page and can open
// them (the page used to show none and the demand answered 404); an
// unrelated enterprise still cannot open the demand.
func TestProjectPageShowsProblemsToOwner(t *testing.T) {
	eachStore(t, testProjectPageShowsProblemsToOwner)
}

func testProjectPageShowsProblemsToOwner(t *testing.T, e *testEnv) {
	holding := &zhagen.Department{Name: "投资控股有限公司", Kind: zhagen.DeptSOE}
	if err := e.depts.CreateDepartment(e.sys, holding); err != nil {
		t.Fatal(err)
	}
	u := &zhagen.User{Login: "holding", Name: "吴海燕", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: holding.ID, Password: testPassword}
	if err := e.users.CreateUser(e.sys, u); err != nil {
		t.Fatal(err)
	}
	cat := &zhagen.Category{Code: "building", Name: "工程建设", LeadDeptID: e.dept.ID}
	if err := e.cats.CreateCategory(e.sys, cat); err != nil {
		t.Fatal(err)
	}
	p := &zhagen.Project{Name: "光电信息创新实验室", Level: zhagen.LevelProvincial, OwnerDeptID: holding.ID, Status: zhagen.ProjectNearlyDone}
	if err := e.pj.CreateProject(e.sys, p); err != nil {
		t.Fatal(err)
	}
	d := &zhagen.Demand{ProjectID: p.ID, CategoryID: cat.ID, Title: "D区3号楼层高变更", Description: "使用方临时提出调整部分楼层层高"}
	if err := e.demands.CreateDemand(e.sys, d, ""); err != nil {
		t.Fatal(err)
	}
	hold := e.login("holding")
	hold.get("/projects/"+strconv.FormatInt(p.ID, 10)).wantStatus(t, http.StatusOK).contains(t, "D区3号楼层高变更", "/demands/"+strconv.FormatInt(d.ID, 10))
	hold.get("/demands/"+strconv.FormatInt(d.ID, 10)).wantStatus(t, http.StatusOK).contains(t, "D区3号楼层高变更")
	e.login("ent2").get("/demands/"+strconv.FormatInt(d.ID, 10)).wantStatus(t, http.StatusNotFound)
}
