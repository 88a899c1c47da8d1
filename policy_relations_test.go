package zhagen_test

import (
	"reflect"
	"testing"

	"zhagen"
)

// TestSubDepts: the actor's department and those below it when loaded,
// the department alone when not, nothing without a department.
func TestSubDepts(t *testing.T) {
	if got := (&zhagen.Actor{DeptID: 3}).SubDepts(); !reflect.DeepEqual(got, []int64{3}) {
		t.Errorf("not loaded: %v", got)
	}
	if got := (&zhagen.Actor{DeptID: 3, SubDeptIDs: []int64{3, 4}}).SubDepts(); !reflect.DeepEqual(got, []int64{3, 4}) {
		t.Errorf("loaded: %v", got)
	}
	if got := (&zhagen.Actor{SubDeptIDs: []int64{4}}).SubDepts(); got != nil {
		t.Errorf("no department: %v", got)
	}
	var a *zhagen.Actor
	if got := a.SubDepts(); got != nil {
		t.Errorf("nil actor: %v", got)
	}
	// A staff member whose list of units was not loaded still sees what
	// the own department owns.
	staff := &zhagen.Actor{UserID: 7, Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: 3}
	if r := staff.Relations(zhagen.Facts{DeptID: 3}); r&zhagen.RelDeptBelow == 0 || r&zhagen.RelOwnDept == 0 {
		t.Errorf("relations %b", r)
	}
}
