package zhagen

import "testing"

// TestAuthorizeProjectChange: the command centre changes any field of a
// key project; the owner department's staff and the liaison move the
// status only, and a change of any other field is refused naming it;
// others change nothing.
func TestAuthorizeProjectChange(t *testing.T) {
	cur := &Project{Name: "芯片产业园", Level: LevelDistrict, OwnerDeptID: 3, LiaisonID: 7, Status: ProjectPrep, Description: "简介"}
	admin := &Actor{UserID: 1, Roles: []Role{RoleAdmin}}
	owner := &Actor{UserID: 2, Roles: []Role{RoleStaff}, DeptID: 3, SubDeptIDs: []int64{3}}
	liaison := &Actor{UserID: 7, Roles: []Role{RoleCadre}, DeptID: 9}
	other := &Actor{UserID: 4, Roles: []Role{RoleStaff}, DeptID: 5, SubDeptIDs: []int64{5}}
	change := func(f func(*Project)) *Project { n := *cur; f(&n); return &n }
	status := change(func(p *Project) { p.Status = ProjectBuilding })
	spaced := change(func(p *Project) { p.Status, p.Name, p.Description = ProjectBuilding, " 芯片产业园 ", "简介\n" })
	for _, a := range []*Actor{admin, owner, liaison} {
		if err := AuthorizeProjectChange(a, cur, status); err != nil {
			t.Errorf("%v moves the status: %v", a.Roles, err)
		}
		if err := AuthorizeProjectChange(a, cur, spaced); err != nil {
			t.Errorf("%v with fields sent unchanged: %v", a.Roles, err)
		}
	}
	for field, next := range map[string]*Project{
		"name":          change(func(p *Project) { p.Name = "改名" }),
		"level":         change(func(p *Project) { p.Level = LevelProvincial }),
		"owner_dept_id": change(func(p *Project) { p.OwnerDeptID = 5 }),
		"liaison_id":    change(func(p *Project) { p.LiaisonID = 8 }),
		"investment":    change(func(p *Project) { p.Investment = 1 }),
		"description":   change(func(p *Project) { p.Description = "改写"; p.Status = ProjectBuilding }),
	} {
		if err := AuthorizeProjectChange(admin, cur, next); err != nil {
			t.Errorf("admin changes %s: %v", field, err)
		}
		for _, a := range []*Actor{owner, liaison} {
			e, _ := AsError(AuthorizeProjectChange(a, cur, next))
			if e == nil || e.Code != EFORBIDDEN || e.Field != field || FieldErrors(e)[field] == "" {
				t.Errorf("%v changes %s: %+v", a.Roles, field, e)
			}
		}
	}
	if ErrorCode(AuthorizeProjectChange(other, cur, status)) != EFORBIDDEN {
		t.Error("another department moves the status")
	}
}
