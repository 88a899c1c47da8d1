package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/demo"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

var testClock = &zhagen.FixedClock{T: time.Date(2022, 9, 23, 9, 0, 0, 0, zhagen.Shanghai)}

func services(db *sqldb.DB) demo.Services {
	return demo.Services{
		Departments: sqldb.NewDepartmentService(db),
		Users:       sqldb.NewUserService(db),
		Enterprises: sqldb.NewEnterpriseService(db),
	}
}

// counts is what a load leaves behind.
type counts struct {
	depts, users, cadres, enterprises, key, industries int
}

func count(t *testing.T, ctx context.Context, s demo.Services) counts {
	t.Helper()
	var c counts
	depts, err := s.Departments.FindDepartments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.depts = len(depts)
	if _, c.users, err = s.Users.FindUsers(ctx, zhagen.UserFilter{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, c.cadres, err = s.Users.FindUsers(ctx, zhagen.UserFilter{Role: zhagen.RoleCadre, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, c.enterprises, err = s.Enterprises.FindEnterprises(ctx, zhagen.EnterpriseFilter{IncludeArchived: true, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, c.key, err = s.Enterprises.FindEnterprises(ctx, zhagen.EnterpriseFilter{IsKey: &yes, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	inds, err := s.Enterprises.FindIndustries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.industries = len(inds)
	return c
}

func allUsers(t *testing.T, ctx context.Context, s demo.Services, f zhagen.UserFilter) []*zhagen.User {
	t.Helper()
	var out []*zhagen.User
	for {
		f.Limit, f.Offset = 200, len(out)
		page, total, err := s.Users.FindUsers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out
		}
	}
}

func allEnterprises(t *testing.T, ctx context.Context, s demo.Services) []*zhagen.Enterprise {
	t.Helper()
	var out []*zhagen.Enterprise
	for {
		page, total, err := s.Enterprises.FindEnterprises(ctx, zhagen.EnterpriseFilter{IncludeArchived: true, Limit: 200, Offset: len(out)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out
		}
	}
}

// TestLoad loads the demo zone twice on every engine (SQLite, and
// PostgreSQL when ZHAGEN_TEST_POSTGRES is set).
func TestLoad(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, testClock)
		s := services(db)
		ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		var out bytes.Buffer
		if err := demo.Load(ctx, s, demo.DefaultPassword, &out); err != nil {
			t.Fatal(err)
		}
		t.Logf("first load:\n%s", out.String())
		first := count(t, ctx, s)
		testLoaded(t, ctx, s, db, first)

		out.Reset()
		if err := demo.Load(context.Background(), s, demo.DefaultPassword, &out); err != nil {
			t.Fatalf("second load: %v", err)
		}
		if second := count(t, ctx, s); second != first {
			t.Errorf("second load changed counts: %+v, then %+v", first, second)
		}
		if !strings.Contains(out.String(), "新建 0") || strings.Contains(out.String(), "新建 1") {
			t.Errorf("second load summary does not say nothing was created:\n%s", out.String())
		}
	})
}

func testLoaded(t *testing.T, ctx context.Context, s demo.Services, db *sqldb.DB, c counts) {
	// Cadres: 73, all at 副科级 or above, enough senior ones for the key
	// enterprises, each with expertise and a mobile phone.
	cadres := allUsers(t, ctx, s, zhagen.UserFilter{Role: zhagen.RoleCadre})
	if len(cadres) != 73 || c.cadres != 73 {
		t.Errorf("%d cadres (total %d), want 73", len(cadres), c.cadres)
	}
	senior := 0
	for _, u := range cadres {
		if zhagen.RankLevel(u.Rank) < zhagen.RankLevel("副科级") {
			t.Errorf("cadre %s %s has rank %q", u.Login, u.Name, u.Rank)
		}
		if zhagen.RankLevel(u.Rank) >= zhagen.RankLevel("副处级") {
			senior++
		}
		if n := len(u.Expertise); n < 2 || n > 4 {
			t.Errorf("cadre %s has expertise %v", u.Login, u.Expertise)
		}
		if zhagen.ValidatePhone(u.Phone) != "" || u.DeptID == 0 {
			t.Errorf("cadre %s: phone %q dept %d", u.Login, u.Phone, u.DeptID)
		}
	}

	// Enterprises: 96 with valid USCCs, the story's companies among them.
	ents := allEnterprises(t, ctx, s)
	if len(ents) != 96 || c.enterprises != 96 {
		t.Errorf("%d enterprises (total %d), want 96", len(ents), c.enterprises)
	}
	byName := map[string]*zhagen.Enterprise{}
	for _, e := range ents {
		if msg := zhagen.ValidateUSCC(e.USCC); msg != "" {
			t.Errorf("%s: USCC %s: %s", e.Name, e.USCC, msg)
		}
		byName[e.Name] = e
	}
	for name, industry := range map[string]string{
		"福建福顺高芯微电子有限公司": "集成电路",
		"北卡科技有限公司":      "数字经济",
		"福建浩蓝光电有限公司":    "光电",
		"福建仙芝楼生物科技有限公司": "生物医药",
		"福州高新区投资控股有限公司": "",
	} {
		e := byName[name]
		if e == nil {
			t.Errorf("story company %s missing", name)
		} else if industry != "" && e.Industry != industry {
			t.Errorf("%s: industry %s, want %s", name, e.Industry, industry)
		}
	}
	if e := byName["福建福顺高芯微电子有限公司"]; e != nil && !e.IsKey {
		t.Error("福建福顺高芯微电子有限公司 is not a key enterprise")
	}
	if c.key == 0 || senior < c.key {
		t.Errorf("%d cadres at 副处级 or above for %d key enterprises", senior, c.key)
	}

	// Departments: the tree of the story.
	depts, err := s.Departments.FindDepartments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deptByID := map[int64]*zhagen.Department{}
	deptByName := map[string]*zhagen.Department{}
	for _, d := range depts {
		deptByID[d.ID], deptByName[d.Name] = d, d
	}
	for child, parent := range map[string]string{
		"经济发展局": "福州高新区党工委、管委会", "建筑业科（行政审批科）": "城乡建设局",
		"人事人才公共服务中心": "党群工作部", "指挥中心": "福州高新区党工委、管委会",
	} {
		d := deptByName[child]
		if d == nil || deptByID[d.ParentID] == nil || deptByID[d.ParentID].Name != parent {
			t.Errorf("department %s is not under %s", child, parent)
		}
	}
	if d := deptByName["福州大学"]; d == nil || d.Kind != zhagen.DeptUniversity {
		t.Error("福州大学 missing or not a university")
	}

	// Fixed logins: each exists with its role and unit, and the password works.
	users := allUsers(t, ctx, s, zhagen.UserFilter{})
	byLogin := map[string]*zhagen.User{}
	for _, u := range users {
		byLogin[u.Login] = u
	}
	entByID := map[int64]string{}
	for _, e := range ents {
		entByID[e.ID] = e.Name
	}
	for _, want := range []struct {
		login string
		role  zhagen.Role
		unit  string
	}{
		{"admin", zhagen.RoleAdmin, ""},
		{"dispatcher", zhagen.RoleDispatcher, "指挥中心"},
		{"leader", zhagen.RoleLeader, ""},
		{"staff", zhagen.RoleStaff, "经济发展局"},
		{"cadre", zhagen.RoleCadre, "经济发展局"},
		{"enterprise", zhagen.RoleEnterprise, "福建福顺高芯微电子有限公司"},
		{"enterprise2", zhagen.RoleEnterprise, ""},
		{"graduate", zhagen.RoleGraduate, ""},
	} {
		u := byLogin[want.login]
		if u == nil {
			t.Errorf("login %s missing", want.login)
			continue
		}
		if len(u.Roles) != 1 || u.Roles[0] != want.role {
			t.Errorf("%s has roles %v, want %s", want.login, u.Roles, want.role)
		}
		unit := u.DeptName
		if want.role == zhagen.RoleEnterprise {
			unit = entByID[u.EnterpriseID]
			if unit == "" {
				t.Errorf("%s is linked to no enterprise", want.login)
			}
		}
		if want.unit != "" && unit != want.unit {
			t.Errorf("%s belongs to %q, want %q", want.login, unit, want.unit)
		}
	}
	if u := byLogin["cadre"]; u != nil && zhagen.RankLevel(u.Rank) < zhagen.RankLevel("正科级") {
		t.Errorf("cadre has rank %q", u.Rank)
	}
	if e1, e2 := byLogin["enterprise"], byLogin["enterprise2"]; e1 != nil && e2 != nil && e1.EnterpriseID == e2.EnterpriseID {
		t.Error("enterprise and enterprise2 belong to the same enterprise")
	}
	auth := sqldb.NewAuthService(db)
	if _, err := auth.Authenticate(context.Background(), zhagen.LoginRequest{Login: "cadre", Password: demo.DefaultPassword, IP: "127.0.0.1"}); err != nil {
		t.Errorf("cadre cannot log in with the demo password: %v", err)
	}
}

func TestLoadRejectsWeakPassword(t *testing.T) {
	sqldbtest.Run(t, testLoadRejectsWeakPassword)
}

func testLoadRejectsWeakPassword(t *testing.T, eng sqldbtest.Engine) {
	s := services(eng.Open(t, testClock))
	err := demo.Load(context.Background(), s, "123456", nil)
	if zhagen.ErrorCode(err) != zhagen.EINVALID {
		t.Fatalf("weak password: %v, want EINVALID", err)
	}
	depts, err := s.Departments.FindDepartments(zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor()))
	if err != nil {
		t.Fatal(err)
	}
	if len(depts) != 0 {
		t.Errorf("%d departments written before the password was checked", len(depts))
	}
}
