package zhagen_test

import (
	"reflect"
	"slices"
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

// TestRelEach: a set of relations yields each of its relations once, in
// the order declared, the last declared included, and nothing when empty.
func TestRelEach(t *testing.T) {
	for _, c := range []struct {
		set  zhagen.Rel
		want []zhagen.Rel
	}{
		{zhagen.RelAny, nil},
		{zhagen.RelStakeholder, []zhagen.Rel{zhagen.RelStakeholder}},
		{zhagen.RelSelf | zhagen.RelLinked | zhagen.RelOwnDept, []zhagen.Rel{zhagen.RelOwnDept, zhagen.RelSelf, zhagen.RelLinked}},
		{zhagen.RelStakeholder | zhagen.RelPartDeptBelow, []zhagen.Rel{zhagen.RelPartDeptBelow, zhagen.RelStakeholder}},
	} {
		if got := slices.Collect(c.set.Each()); !slices.Equal(got, c.want) {
			t.Errorf("%b.Each() = %v, want %v", c.set, got, c.want)
		}
	}
}
