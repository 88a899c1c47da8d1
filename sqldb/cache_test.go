package sqldb_test

import (
	"context"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestRenamedDepartmentNotCached: a category carries its lead department's
// name and an actor its department's; renaming the department shows at
// once in both, and a demand filed afterwards copies the new name.
func TestRenamedDepartmentNotCached(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		c, err := f.cats.FindCategoryByID(f.cadre, f.power.ID) // fills the cache
		must(t, err)
		if c.LeadDeptName != f.edb.Name {
			t.Fatalf("lead department %q, want %q", c.LeadDeptName, f.edb.Name)
		}
		u := &zhagen.User{Login: "tok", Name: "tok", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: f.edb.ID, Password: f.password}
		must(t, f.users.CreateUser(f.admin, u))
		tok, err := f.auth.CreateToken(f.admin, u.ID, "test", 0)
		must(t, err)
		_, err = f.auth.ActorByToken(context.Background(), tok.Token) // fills the cache
		must(t, err)

		newName := "经济发展和科技局"
		_, err = f.depts.UpdateDepartment(f.admin, f.edb.ID, zhagen.DepartmentUpdate{Version: f.edb.Version, Name: &newName})
		must(t, err)

		c, err = f.cats.FindCategoryByID(f.cadre, f.power.ID)
		must(t, err)
		if c.LeadDeptName != newName {
			t.Fatalf("lead department after the rename %q, want %q", c.LeadDeptName, newName)
		}
		d := f.file(t, f.cadre, "改名之后")
		if d.LeadDeptName != newName {
			t.Fatalf("demand's lead department %q, want %q", d.LeadDeptName, newName)
		}
		a, err := f.auth.ActorByToken(context.Background(), tok.Token)
		must(t, err)
		if a.DeptName != newName {
			t.Fatalf("actor's department %q, want %q", a.DeptName, newName)
		}
	})
}
