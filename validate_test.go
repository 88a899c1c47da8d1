package zhagen

import (
	"math"
	"strings"
	"testing"
)

// TestValidatePhone: a number is accepted as people write it — with a
// country code, spaces, dashes or brackets — and refused only when it
// cannot be read as a number that exists; the text is kept, the E.164
// form is the normalised one.
func TestValidatePhone(t *testing.T) {
	good := []string{"13905910001", "199 0591 0001", "0591-87654321", "059187654321", "010-12345678",
		"+86 138 0013 8000", "+8613800138000", "138-0013-8000", "(0591)87654321", "0591-87654321转8001", "+44 20 7946 0958"}
	bad := []string{"", "12345", "23905910001", "1390591000", "139059100011", "0591-123", "phone", "+86 139 0591 000", strings.Repeat("1", 41)}
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
	for text, want := range map[string]string{"+86 138 0013 8000": "+8613800138000", "138-0013-8000": "+8613800138000", "(0591)87654321": "+8659187654321", "phone": ""} {
		if got := NormalizePhone(text); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", text, got, want)
		}
	}
	// A graduate gives a mainland mobile number, written as they like.
	for text, ok := range map[string]bool{"+86 138 0013 8000": true, "138-0013-8000": true, "(0591)87654321": false, "+44 7911 123456": false} {
		if got := ValidateMobile(text) == ""; got != ok {
			t.Errorf("ValidateMobile(%q) ok = %v, want %v", text, got, ok)
		}
	}
	// Where phones are validated, the text is kept as written.
	u := &User{Login: "lin", Name: "林工", Roles: []Role{RoleLeader}, Phone: " +86 138 0013 8000 ", Password: "Zg-Test#4821"}
	if err := u.Validate(); err != nil || u.Phone != "+86 138 0013 8000" {
		t.Errorf("user with an international number: %v, phone %q", err, u.Phone)
	}
	e := &Enterprise{Name: "甲公司", USCC: "91440300708461136T", Industry: "集成电路", Contacts: []Contact{{Name: "张三", Phone: "(0591)87654321"}}}
	if err := e.Validate(); err != nil || e.Contacts[0].Phone != "(0591)87654321" {
		t.Errorf("contact with a bracketed area code: %v, phone %q", err, e.Contacts[0].Phone)
	}
	d := &Demand{EnterpriseID: 1, CategoryID: 1, Title: "用电", Description: "双回路", ContactPhone: "138-0013-8000", Channel: ChannelOpen311}
	if err := d.Validate(); err != nil || d.ContactPhone != "138-0013-8000" {
		t.Errorf("demand with a dashed mobile: %v, phone %q", err, d.ContactPhone)
	}
}

func TestValidatePassword(t *testing.T) {
	cases := map[string]bool{
		"Zg-Demo#4821": true, "Kq7!tmR2vz": true, "中文密码Ab12": true, "Zhagen@2026": true, "abc-def-123": false,
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
