package zhagen_test

import (
	"reflect"
	"testing"

	"zhagen"
)

// TestParseRoles: codes split at commas, trimmed, blanks and repeats
// dropped, in order.
func TestParseRoles(t *testing.T) {
	got := zhagen.ParseRoles(" staff, ,dispatcher,staff,")
	if want := []zhagen.Role{zhagen.RoleStaff, zhagen.RoleDispatcher}; !reflect.DeepEqual(got, want) {
		t.Errorf("ParseRoles = %v, want %v", got, want)
	}
}

// TestActorScopes: the scopes over enterprises and users follow the
// policy; every user reaches their own record.
func TestActorScopes(t *testing.T) {
	ent := &zhagen.Actor{UserID: 9, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: 5}
	if s := ent.EnterpriseScope(); s != zhagen.ScopeSelf {
		t.Errorf("enterprise user's enterprise scope %v", s)
	}
	if s := ent.UserScope(); s != zhagen.ScopeSelf {
		t.Errorf("enterprise user's user scope %v", s)
	}
	if s := zhagen.SystemActor().EnterpriseScope(); s != zhagen.ScopeAll {
		t.Errorf("admin's enterprise scope %v", s)
	}
	var none *zhagen.Actor
	if s := none.UserScope(); s != zhagen.ScopeNone {
		t.Errorf("nobody's user scope %v", s)
	}
	if s := none.EnterpriseScope(); s != zhagen.ScopeNone {
		t.Errorf("nobody's enterprise scope %v", s)
	}
}
