package zhagen

import (
	"math"
	"strings"
	"testing"
)

func TestValidatePhone(t *testing.T) {
	good := []string{"13905910001", "199 0591 0001", "0591-87654321", "059187654321", "010-12345678"}
	bad := []string{"", "12345", "23905910001", "1390591000", "139059100011", "0591-123", "phone", "+8613905910001x"}
	for _, p := range good {
		if msg := ValidatePhone(p); msg != "" {
			t.Errorf("%q refused: %s", p, msg)
		}
	}
	for _, p := range bad {
		if ValidatePhone(p) == "" {
			t.Errorf("%q accepted", p)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	cases := map[string]bool{
		"Zg-Demo#4821": true, "Kq7!tmR2vz": true, "中文密码Ab12": true, "Zhagen@2026": false, "abc-def-123": false,
		"Ab1!": false, "abcdefgh": false, "abcdefg1": false, "ABCDEFGH1": false, strings.Repeat("Aa1", 50): false,
	}
	for pw, ok := range cases {
		if got := ValidatePassword(pw) == ""; got != ok {
			t.Errorf("ValidatePassword(%q) ok = %v, want %v", pw, got, ok)
		}
	}
}

func TestEnterpriseValidate(t *testing.T) {
	e := &Enterprise{Name: "  福建福顺高芯微电子有限公司 ", USCC: " 91110108551385082q", Industry: "集成电路",
		Contacts: []Contact{{Name: "张三", Phone: "13905910001"}, {}}}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if e.Name != "福建福顺高芯微电子有限公司" || e.USCC != "91110108551385082Q" || e.Status != EntOperating || len(e.Contacts) != 1 {
		t.Fatalf("not normalised: %+v", e)
	}
	bad := &Enterprise{USCC: "123", Status: "bogus", Contacts: []Contact{{Phone: "1"}}}
	fe := FieldErrors(bad.Validate())
	for _, f := range []string{"name", "uscc", "industry", "status", "contacts"} {
		if fe[f] == "" {
			t.Errorf("no error for %s in %v", f, fe)
		}
	}
}

func TestUserValidate(t *testing.T) {
	u := &User{Login: "1bad", Roles: []Role{"root"}, Rank: "元帅", Phone: "x", Password: "weak"}
	fe := FieldErrors(u.Validate())
	for _, f := range []string{"login", "name", "roles", "rank", "phone", "password"} {
		if fe[f] == "" {
			t.Errorf("no error for %s in %v", f, fe)
		}
	}
	staff := &User{Login: "ok", Name: "甲", Roles: []Role{RoleStaff}}
	if FieldErrors(staff.Validate())["dept_id"] == "" {
		t.Error("staff without department accepted")
	}
	ent := &User{Login: "ok", Name: "甲", Roles: []Role{RoleEnterprise}}
	if FieldErrors(ent.Validate())["enterprise_id"] == "" {
		t.Error("enterprise user without enterprise accepted")
	}
	if got := SplitTags("集成电路，光电、 融资,集成电路"); strings.Join(got, "|") != "集成电路|光电|融资" {
		t.Errorf("SplitTags = %v", got)
	}
}

func TestScopesByRole(t *testing.T) {
	cases := []struct {
		actor      *Actor
		ent, users Scope
	}{
		{&Actor{Roles: []Role{RoleAdmin}}, ScopeAll, ScopeAll},
		{&Actor{Roles: []Role{RoleLeader}}, ScopeAll, ScopeAll},
		{&Actor{Roles: []Role{RoleStaff}, DeptID: 3}, ScopeAll, ScopeDeptTree},
		{&Actor{Roles: []Role{RoleCadre}, DeptID: 3}, ScopeAll, ScopeSelf},
		{&Actor{Roles: []Role{RoleEnterprise}, EnterpriseID: 9}, ScopeSelf, ScopeSelf},
		{&Actor{Roles: []Role{RoleEnterprise}}, ScopeNone, ScopeSelf},
		{&Actor{Roles: []Role{RoleGraduate}}, ScopeNone, ScopeSelf},
		{nil, ScopeNone, ScopeNone},
	}
	for i, c := range cases {
		if got := c.actor.EnterpriseScope(); got != c.ent {
			t.Errorf("case %d: enterprise scope %d, want %d", i, got, c.ent)
		}
		if got := c.actor.UserScope(); got != c.users {
			t.Errorf("case %d: user scope %d, want %d", i, got, c.users)
		}
	}
}

func TestDemandValidateLatLong(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	show := func(c [2]*float64) (out [2]any) {
		for i, p := range c {
			if out[i] = "nil"; p != nil {
				out[i] = *p
			}
		}
		return out
	}
	demand := func(lat, long *float64) *Demand {
		return &Demand{Title: "t", Description: "d", CategoryID: 1, Channel: ChannelOpen311, Lat: lat, Long: long}
	}
	for _, c := range [][2]*float64{{nil, nil}, {f(26.07), f(119.29)}, {f(-90), f(-180)}, {f(90), f(180)}} {
		if err := demand(c[0], c[1]).Validate(); err != nil {
			t.Errorf("%v: %v", show(c), err)
		}
	}
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range [][2]*float64{
		{f(26), nil}, {nil, f(119)}, {f(90.5), f(0)}, {f(0), f(-180.5)},
		{f(nan), f(0)}, {f(0), f(nan)}, {f(inf), f(0)}, {f(0), f(-inf)},
	} {
		if fe := FieldErrors(demand(c[0], c[1]).Validate()); fe["lat"] == "" {
			t.Errorf("%v accepted: %v", show(c), fe)
		}
	}
	if fe := FieldErrors(demand(nil, nil).Validate()); len(fe) != 0 {
		t.Errorf("valid demand refused: %v", fe)
	}
}
