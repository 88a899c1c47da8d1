package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"zhagen"
)

// These tests check the generated data set without a database.

func TestPlanIsDeterministic(t *testing.T) {
	if a, b := newPlan(), newPlan(); !reflect.DeepEqual(a, b) {
		t.Fatal("two plans differ")
	}
}

func TestPlanDepartments(t *testing.T) {
	p := newPlan()
	seen := map[string]zhagen.DeptKind{}
	for _, d := range p.Depts {
		if _, dup := seen[d.Name]; dup {
			t.Errorf("department %q twice", d.Name)
		}
		if d.Parent != "" {
			if _, ok := seen[d.Parent]; !ok {
				t.Errorf("department %q: parent %q not listed before it", d.Name, d.Parent)
			}
		}
		dd := &zhagen.Department{Name: d.Name, Kind: d.Kind}
		if err := dd.Validate(); err != nil {
			t.Errorf("department %q: %v", d.Name, err)
		}
		seen[d.Name] = d.Kind
	}
	for _, want := range []string{deptRoot, deptCommand, deptEconomy, "农林水局", "城乡建设局", deptBuilding, "自然资源和规划局", "党群工作部", deptTalent, "财政金融局", "生态环境局", "应急管理局"} {
		if seen[want] != zhagen.DeptGov {
			t.Errorf("government department %q missing", want)
		}
	}
	if seen[deptHolding] != zhagen.DeptSOE {
		t.Errorf("%s is not a state-owned company", deptHolding)
	}
	for _, want := range []string{"福州大学", "福建师范大学", "福建医科大学", "福建中医药大学", "闽江学院"} {
		if seen[want] != zhagen.DeptUniversity {
			t.Errorf("university %q missing", want)
		}
	}
	external := 0
	for _, k := range seen {
		if k == zhagen.DeptExternal {
			external++
		}
	}
	if external == 0 {
		t.Error("no external unit (power supply company)")
	}
}

func TestPlanEnterprises(t *testing.T) {
	p := newPlan()
	if len(p.Enterprises) != 96 {
		t.Fatalf("%d enterprises, want 96", len(p.Enterprises))
	}
	names, codes := map[string]bool{}, map[string]bool{}
	key := 0
	for _, tmpl := range p.Enterprises {
		e := *tmpl
		if err := e.Validate(); err != nil {
			t.Errorf("%s: %v", e.Name, err)
		}
		if msg := zhagen.ValidateUSCC(e.USCC); msg != "" {
			t.Errorf("%s: USCC %s: %s", e.Name, e.USCC, msg)
		}
		if !strings.HasPrefix(e.USCC, "91350100") {
			t.Errorf("%s: USCC %s not of Fuzhou", e.Name, e.USCC)
		}
		if names[e.Name] || codes[e.USCC] {
			t.Errorf("%s: duplicate name or USCC %s", e.Name, e.USCC)
		}
		names[e.Name], codes[e.USCC] = true, true
		if !slices.Contains(p.Industries, e.Industry) {
			t.Errorf("%s: industry %q not in the list", e.Name, e.Industry)
		}
		if _, ok := parkAddress[e.Park]; !ok || utf8.RuneCountInString(e.Park) > 40 {
			t.Errorf("%s: park %q", e.Name, e.Park)
		}
		if e.Address == "" || strings.Contains(e.Address, "%") || e.LegalRep == "" {
			t.Errorf("%s: address %q legal rep %q", e.Name, e.Address, e.LegalRep)
		}
		if n := len(e.Contacts); n < 1 || n > 2 {
			t.Errorf("%s: %d contacts", e.Name, n)
		}
		for _, c := range e.Contacts {
			if c.Name == "" || c.Title == "" || zhagen.ValidatePhone(c.Phone) != "" {
				t.Errorf("%s: contact %+v", e.Name, c)
			}
		}
		if e.IsKey {
			key++
		}
	}
	if key < 15 || key > 25 {
		t.Errorf("%d key enterprises, want about 20", key)
	}
	for _, want := range []string{entFushun, "北卡科技有限公司", "福建浩蓝光电有限公司", entXianzhilou, deptHolding} {
		if !names[want] {
			t.Errorf("story company %q missing", want)
		}
	}
	for _, e := range p.Enterprises {
		if e.Name == entFushun && (e.Industry != indIC || !e.IsKey) {
			t.Errorf("%s: industry %s key %v", e.Name, e.Industry, e.IsKey)
		}
	}
}

func TestPlanPeople(t *testing.T) {
	p := newPlan()
	if len(p.Cadres) != 73 {
		t.Fatalf("%d cadres, want 73", len(p.Cadres))
	}
	depts := map[string]zhagen.DeptKind{}
	for _, d := range p.Depts {
		depts[d.Name] = d.Kind
	}
	logins, names, phones := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, e := range p.Enterprises {
		names[e.LegalRep] = true
		for _, c := range e.Contacts {
			names[c.Name] = true
			if phones[c.Phone] {
				t.Errorf("phone %s twice", c.Phone)
			}
			phones[c.Phone] = true
		}
	}
	senior, key := 0, 0
	for _, e := range p.Enterprises {
		if e.IsKey {
			key++
		}
	}
	for _, c := range p.Cadres {
		if c.Role != zhagen.RoleCadre || depts[c.Dept] != zhagen.DeptGov {
			t.Errorf("%s: role %s dept %q", c.Login, c.Role, c.Dept)
		}
		if zhagen.RankLevel(c.Rank) < zhagen.RankLevel("副科级") {
			t.Errorf("%s: rank %q below 副科级", c.Login, c.Rank)
		}
		if zhagen.RankLevel(c.Rank) >= zhagen.RankLevel("副处级") {
			senior++
		}
		if n := len(c.Expertise); n < 2 || n > 4 {
			t.Errorf("%s: %d expertise tags %v", c.Login, n, c.Expertise)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(c.Expertise)))) != len(c.Expertise) {
			t.Errorf("%s: repeated expertise %v", c.Login, c.Expertise)
		}
		if zhagen.ValidatePhone(c.Phone) != "" || len(c.Phone) != 11 {
			t.Errorf("%s: phone %q is not a mobile number", c.Login, c.Phone)
		}
		if c.Login != loginCadre && !strings.HasPrefix(c.Login, "cadre") {
			t.Errorf("cadre login %q", c.Login)
		}
	}
	if senior < key {
		t.Errorf("%d cadres at 副处级 or above for %d key enterprises", senior, key)
	}
	// Every person: unique login, name and phone, and valid as a user.
	people := append(append([]*person(nil), p.Cadres...), p.Accounts...)
	for _, u := range people {
		if u.Fixed && u.Login == loginCadre && logins[u.Login] {
			continue // listed among cadres and accounts
		}
		if logins[u.Login] {
			t.Errorf("login %s twice", u.Login)
		}
		logins[u.Login] = true
		if u.Role != zhagen.RoleEnterprise {
			if names[u.Name] {
				t.Errorf("%s: name %s used twice", u.Login, u.Name)
			}
			names[u.Name] = true
			if phones[u.Phone] {
				t.Errorf("%s: phone %s used twice", u.Login, u.Phone)
			}
			phones[u.Phone] = true
		}
		zu := &zhagen.User{Login: u.Login, Name: u.Name, Roles: []zhagen.Role{u.Role}, Rank: u.Rank, Expertise: u.Expertise, Phone: u.Phone, Password: DefaultPassword}
		if u.Dept != "" {
			zu.DeptID = 1
		}
		if u.Enterprise != "" {
			zu.EnterpriseID = 1
		}
		if err := zu.Validate(); err != nil {
			t.Errorf("%s: %v", u.Login, err)
		}
	}
	for _, s := range storyCadres {
		found := false
		for _, c := range p.Cadres {
			found = found || (c.Name == s.Name && c.Dept == s.Dept && c.Rank == s.Rank)
		}
		if !found {
			t.Errorf("story cadre %s missing", s.Name)
		}
	}
}

func TestAccounts(t *testing.T) {
	want := []struct {
		login string
		role  zhagen.Role
		unit  string
	}{
		{"admin", zhagen.RoleAdmin, deptOffice},
		{"dispatcher", zhagen.RoleDispatcher, deptCommand},
		{"leader", zhagen.RoleLeader, deptRoot},
		{"staff", zhagen.RoleStaff, deptEconomy},
		{"cadre", zhagen.RoleCadre, deptEconomy},
		{"enterprise", zhagen.RoleEnterprise, entFushun},
		{"enterprise2", zhagen.RoleEnterprise, entXianzhilou},
		{"graduate", zhagen.RoleGraduate, ""},
	}
	got := Accounts()
	if len(got) != len(want) {
		t.Fatalf("%d accounts, want %d", len(got), len(want))
	}
	for i, w := range want {
		if g := got[i]; g.Login != w.login || g.Role != w.role || g.Unit != w.unit || g.Name == "" {
			t.Errorf("account %d = %+v, want %s %s %s", i, g, w.login, w.role, w.unit)
		}
	}
	for _, c := range newPlan().Cadres {
		if c.Login == loginCadre && zhagen.RankLevel(c.Rank) < zhagen.RankLevel("正科级") {
			t.Errorf("cadre rank %s below 正科级", c.Rank)
		}
	}
}

func TestUSCCFor(t *testing.T) {
	used := map[string]bool{}
	a := usccFor("福建福顺高芯微电子有限公司", used)
	if msg := zhagen.ValidateUSCC(a); msg != "" {
		t.Fatalf("%s: %s", a, msg)
	}
	if b := usccFor("福建福顺高芯微电子有限公司", map[string]bool{}); b != a {
		t.Errorf("same name gave %s and %s", a, b)
	}
	c := usccFor("福建福顺高芯微电子有限公司", used)
	if c == a || zhagen.ValidateUSCC(c) != "" {
		t.Errorf("collision not resolved: %s, %s", a, c)
	}
}

func TestGenerators(t *testing.T) {
	r := &rng{s: 1}
	n := newNamer(r)
	ph := &phoner{r: r, used: map[string]bool{}}
	names := map[string]bool{}
	for i := 0; i < 2000; i++ {
		name := n.name()
		if names[name] || slices.Contains(storyNames, name) {
			t.Fatalf("name %s repeated", name)
		}
		names[name] = true
		if k := utf8.RuneCountInString(name); k < 2 || k > 3 {
			t.Fatalf("name %q has %d characters", name, k)
		}
		for _, phone := range []string{ph.mobile(), ph.landline()} {
			if msg := zhagen.ValidatePhone(phone); msg != "" {
				t.Fatalf("%s: %s", phone, msg)
			}
		}
	}
	for i := 0; i < 100; i++ {
		got := r.pick([]string{"a", "b", "c"}, 2)
		if len(got) != 2 || got[0] == got[1] {
			t.Fatalf("pick gave %v", got)
		}
	}
}

func TestTable(t *testing.T) {
	got := table([][]string{{"登录名", "角色", "单位"}, {"admin", "管理员", ""}, {"x", "a", "b"}})
	want := "登录名  角色    单位\nadmin   管理员\nx       a       b\n"
	if got != want {
		t.Errorf("table:\n%q\nwant\n%q", got, want)
	}
	if n := displayWidth("福州ab"); n != 6 {
		t.Errorf("displayWidth = %d, want 6", n)
	}
}
