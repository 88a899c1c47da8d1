package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"zhagen"
)

// TestDemandListDeptFilterStaysInScope: /demands?dept= narrows what the
// caller sees and never widens it. Staff of a unit below 经济发展局 could
// list the bureau's demands by naming it.
func TestDemandListDeptFilterStaysInScope(t *testing.T) {
	eachStore(t, testDemandListDeptFilterStaysInScope)
}

func testDemandListDeptFilterStaysInScope(t *testing.T, e *testEnv) {
	cat := e.powerCategory(t, e.dept.ID)
	unit := &zhagen.Department{Name: "企业服务科", Kind: zhagen.DeptGov, ParentID: e.dept.ID}
	if err := e.depts.CreateDepartment(e.sys, unit); err != nil {
		t.Fatal(err)
	}
	u := &zhagen.User{Login: "unit1", Name: "科室人员", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: unit.ID, Password: testPassword}
	if err := e.users.CreateUser(e.sys, u); err != nil {
		t.Fatal(err)
	}
	file := func(title string) *zhagen.Demand {
		d := &zhagen.Demand{EnterpriseID: e.entA.ID, CategoryID: cat.ID, Title: title, Description: "d", Answers: zhagen.Answers{"load_kw": {"10"}}}
		if err := e.demands.CreateDemand(e.sys, d, ""); err != nil {
			t.Fatal(err)
		}
		return d
	}
	bureau := file("经发局主办的诉求")
	ofUnit := file("科室主办的诉求")
	if _, err := e.demands.Transition(e.sys, ofUnit.ID, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: unit.ID}); err != nil {
		t.Fatal(err)
	}

	us := e.login("unit1")
	for _, q := range []string{"dept=" + fmt.Sprint(e.dept.ID), "dept=" + fmt.Sprint(e.dept.ID) + "&open=1", "dept=" + fmt.Sprint(e.dept.ID) + "&status=assigned"} {
		us.get("/demands?"+q).wantStatus(t, http.StatusOK).lacks(t, bureau.Title)
	}
	us.get("/demands").wantStatus(t, http.StatusOK).contains(t, ofUnit.Title).lacks(t, bureau.Title)
	us.get(fmt.Sprintf("/demands/%d", bureau.ID)).wantStatus(t, http.StatusNotFound)

	// The bureau's staff see down the tree, through the filter too, but
	// act only on their own department's demand.
	st := e.login("staff1")
	st.get("/demands?dept="+fmt.Sprint(unit.ID)).wantStatus(t, http.StatusOK).contains(t, ofUnit.Title).lacks(t, bureau.Title)
	st.get(fmt.Sprintf("/demands/%d", ofUnit.ID)).wantStatus(t, http.StatusOK).lacks(t, `value="accept"`)
	st.act(ofUnit.ID, "accept").wantStatus(t, http.StatusForbidden)
	us.act(ofUnit.ID, "accept").wantStatus(t, http.StatusSeeOther)
}

// TestCadreFilesForLinkedEnterprises: the cadre's form offers the
// enterprises linked to it, and filing for another one is refused next
// to the enterprise field.
func TestCadreFilesForLinkedEnterprises(t *testing.T) {
	eachStore(t, testCadreFilesForLinkedEnterprises)
}

func testCadreFilesForLinkedEnterprises(t *testing.T, e *testEnv) {
	cat := e.powerCategory(t, e.dept.ID)
	var cadreID int64
	users, _, err := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre1"})
	if err != nil || len(users) != 1 {
		t.Fatalf("cadre1: %v %v", users, err)
	}
	cadreID = users[0].ID
	if err := e.links.CreateLinkage(e.sys, &zhagen.Linkage{CadreID: cadreID, EnterpriseID: e.entA.ID}); err != nil {
		t.Fatal(err)
	}
	c := e.login("cadre1")
	c.get("/demands/new").wantStatus(t, http.StatusOK).contains(t, e.entA.Name).lacks(t, e.entB.Name)
	form := func(ent int64, title string) url.Values {
		return url.Values{"title": {title}, "description": {"走访中企业提出"}, "category_id": {fmt.Sprint(cat.ID)},
			"enterprise_id": {fmt.Sprint(ent)}, "answers.load_kw": {"10"}, "key": {title}}
	}
	c.post("/demands", form(e.entB.ID, "为未挂钩企业提交")).wantStatus(t, http.StatusForbidden).contains(t, "挂钩企业", "为未挂钩企业提交")
	id := demandID(t, c.post("/demands", form(e.entA.ID, "为挂钩企业提交")))
	c.get(fmt.Sprintf("/demands/%d", id)).wantStatus(t, http.StatusOK).contains(t, "为挂钩企业提交")
	c.get("/demands").wantStatus(t, http.StatusOK).contains(t, "为挂钩企业提交").lacks(t, "为未挂钩企业提交")
}

// TestEnterpriseUserSeesOwnOnly: an enterprise user's enterprise list is
// its own enterprise, without filters, and its demand list has no
// enterprise or department filters; a government role gets both.
func TestEnterpriseUserSeesOwnOnly(t *testing.T) {
	eachStore(t, testEnterpriseUserSeesOwnOnly)
}

func testEnterpriseUserSeesOwnOnly(t *testing.T, e *testEnv) {
	ent := e.login("ent1")
	ent.get("/enterprises").wantStatus(t, http.StatusOK).contains(t, "本企业", e.entA.Name).lacks(t, `id="ent-q"`, e.entB.Name)
	ent.get("/demands").wantStatus(t, http.StatusOK).lacks(t, `name="dept"`, `name="enterprise"`)
	disp := e.login("disp1")
	disp.get("/enterprises").wantStatus(t, http.StatusOK).contains(t, `id="ent-q"`, e.entA.Name, e.entB.Name)
	disp.get("/demands").wantStatus(t, http.StatusOK).contains(t, `name="dept"`, `name="enterprise"`)
}
