package sqldb_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// fixture is a small zone: two departments (one under the other), two
// enterprises and a user of each role that matters.
type fixture struct {
	db       *sqldb.DB
	clock    *zhagen.FixedClock
	ents     *sqldb.EnterpriseService
	users    *sqldb.UserService
	depts    *sqldb.DepartmentService
	auth     *sqldb.AuthService
	logs     *sqldb.LogService
	admin    context.Context
	root     *zhagen.Department
	child    *zhagen.Department
	entA     *zhagen.Enterprise
	entB     *zhagen.Enterprise
	password string
}

// Real codes, public in the national registry.
const usccA, usccB = "91440300708461136T", "91330100716105852F"

func newFixture(t *testing.T, e sqldbtest.Engine) *fixture {
	t.Helper()
	return newFixtureOn(t, func(c zhagen.Clock) *sqldb.DB { return e.Open(t, c) })
}

// newFixtureOn builds the fixture on the database open returns for the
// fixture's clock.
func newFixtureOn(t *testing.T, open func(zhagen.Clock) *sqldb.DB) *fixture {
	t.Helper()
	f := &fixture{clock: &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}, password: "Zg-Test#4821"}
	f.db = open(f.clock)
	f.ents, f.users, f.depts = sqldb.NewEnterpriseService(f.db), sqldb.NewUserService(f.db), sqldb.NewDepartmentService(f.db)
	f.auth, f.logs = sqldb.NewAuthService(f.db), sqldb.NewLogService(f.db)
	f.admin = zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	f.root = &zhagen.Department{Name: "管委会", Kind: zhagen.DeptGov}
	must(t, f.depts.CreateDepartment(f.admin, f.root))
	f.child = &zhagen.Department{Name: "经济发展局", Kind: zhagen.DeptGov, ParentID: f.root.ID}
	must(t, f.depts.CreateDepartment(f.admin, f.child))
	f.entA = &zhagen.Enterprise{Name: "甲公司", USCC: usccA, Industry: "集成电路", Park: "海西园"}
	must(t, f.ents.CreateEnterprise(f.admin, f.entA))
	f.entB = &zhagen.Enterprise{Name: "乙公司", USCC: usccB, Industry: "光电", Park: "南屿"}
	must(t, f.ents.CreateEnterprise(f.admin, f.entB))
	return f
}

// drain delivers the notices waiting in the outbox, as the server's
// drainer does after each commit.
func (f *fixture) drain(t *testing.T) {
	t.Helper()
	sqldbtest.Drain(t, f.db, f.clock)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := zhagen.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// user creates a user and returns a context acting as them.
func (f *fixture) user(t *testing.T, login string, role zhagen.Role, dept, ent int64) context.Context {
	t.Helper()
	u := &zhagen.User{Login: login, Name: login, Roles: []zhagen.Role{role}, DeptID: dept, EnterpriseID: ent, Password: f.password}
	must(t, f.users.CreateUser(f.admin, u))
	tok, err := f.auth.CreateToken(f.admin, u.ID, "test", 0)
	must(t, err)
	a, err := f.auth.ActorByToken(context.Background(), tok.Token)
	must(t, err)
	return zhagen.NewContextWithActor(context.Background(), a)
}

func TestMigrations(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		ctx := context.Background()
		dsn := e.DSN(t)
		db, err := sqldb.Open(ctx, dsn, nil)
		must(t, err)
		defer db.Close()
		if err := db.CheckSchema(ctx); err == nil {
			t.Fatal("CheckSchema accepted an empty database")
		}
		must(t, db.Migrate(ctx))
		must(t, db.Migrate(ctx)) // a second run changes nothing
		must(t, db.CheckSchema(ctx))
		v, err := db.SchemaVersion(ctx)
		must(t, err)
		if v != db.LatestVersion() || v < 1 {
			t.Fatalf("schema version %d, latest %d", v, db.LatestVersion())
		}
		if _, err := db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', CURRENT_TIMESTAMP)`); err != nil {
			t.Fatal(err)
		}
		err = db.CheckSchema(ctx)
		if err == nil || !strings.Contains(err.Error(), "999") {
			t.Fatalf("CheckSchema on a newer schema = %v, want a refusal naming 999", err)
		}
		if err := db.Migrate(ctx); err == nil {
			t.Fatal("Migrate accepted a newer schema")
		}
	})
}

func TestEnterpriseCRUDAndVersions(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		got, err := f.ents.FindEnterpriseByID(f.admin, f.entA.ID)
		must(t, err)
		if got.Name != "甲公司" || got.USCC != usccA || got.Version != 1 || !got.CreatedAt.Equal(f.clock.T) {
			t.Fatalf("read back %+v", got)
		}

		// A duplicate USCC is refused on field uscc and nothing is stored.
		dup := &zhagen.Enterprise{Name: "重复", USCC: usccA, Industry: "光电"}
		err = f.ents.CreateEnterprise(f.admin, dup)
		wantCode(t, err, zhagen.ECONFLICT)
		if fe := zhagen.FieldErrors(err); fe["uscc"] == "" {
			t.Fatalf("field errors %v lack uscc", fe)
		}
		// A bad check character is EINVALID on uscc.
		bad := &zhagen.Enterprise{Name: "坏代码", USCC: usccA[:17] + "X", Industry: "光电"}
		err = f.ents.CreateEnterprise(f.admin, bad)
		wantCode(t, err, zhagen.EINVALID)
		if err.(*zhagen.Error).Field != "uscc" {
			t.Fatalf("field = %q", err.(*zhagen.Error).Field)
		}
		// An unknown industry is refused.
		err = f.ents.CreateEnterprise(f.admin, &zhagen.Enterprise{Name: "丙", USCC: "91110108551385082Q", Industry: "不存在"})
		wantCode(t, err, zhagen.EINVALID)
		_, total, err := f.ents.FindEnterprises(f.admin, zhagen.EnterpriseFilter{})
		must(t, err)
		if total != 2 {
			t.Fatalf("total = %d after refused creates, want 2", total)
		}

		f.clock.Advance(time.Hour)
		name := "甲公司（新）"
		upd, err := f.ents.UpdateEnterprise(f.admin, f.entA.ID, zhagen.EnterpriseUpdate{Version: 1, Name: &name})
		must(t, err)
		if upd.Version != 2 || upd.Name != name || upd.Park != "海西园" {
			t.Fatalf("update result %+v", upd)
		}
		// A stale version is refused with the current record.
		other := "覆盖"
		_, err = f.ents.UpdateEnterprise(f.admin, f.entA.ID, zhagen.EnterpriseUpdate{Version: 1, Name: &other})
		wantCode(t, err, zhagen.ECONFLICT)
		if cur, ok := err.(*zhagen.Error).Current.(*zhagen.Enterprise); !ok || cur.Version != 2 || cur.Name != name {
			t.Fatalf("conflict current = %#v", err.(*zhagen.Error).Current)
		}
		got, _ = f.ents.FindEnterpriseByID(f.admin, f.entA.ID)
		if got.Name != name || got.Version != 2 {
			t.Fatalf("stale update changed the record: %+v", got)
		}

		// Archiving hides the record from default lists.
		yes := true
		_, err = f.ents.UpdateEnterprise(f.admin, f.entB.ID, zhagen.EnterpriseUpdate{Version: 1, Archived: &yes})
		must(t, err)
		list, total, err := f.ents.FindEnterprises(f.admin, zhagen.EnterpriseFilter{})
		must(t, err)
		if total != 1 || list[0].ID != f.entA.ID {
			t.Fatalf("after archive: total %d", total)
		}
		_, total, _ = f.ents.FindEnterprises(f.admin, zhagen.EnterpriseFilter{IncludeArchived: true})
		if total != 2 {
			t.Fatalf("include archived total = %d", total)
		}

		// The operation log has the changes with a field summary.
		logs, _, err := f.logs.FindOpLogs(f.admin, zhagen.LogFilter{Query: "甲公司（新）"})
		must(t, err)
		if len(logs) != 1 || logs[0].Action != "修改" || !strings.Contains(logs[0].Summary, "名称：甲公司 → 甲公司（新）") {
			t.Fatalf("op logs %+v", logs)
		}
	})
}

func TestEnterpriseFilters(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		cases := []struct {
			name   string
			filter zhagen.EnterpriseFilter
			want   []string
		}{
			{"query name", zhagen.EnterpriseFilter{Query: "乙"}, []string{"乙公司"}},
			{"query uscc lower case", zhagen.EnterpriseFilter{Query: "708461136t"}, []string{"甲公司"}},
			{"industry", zhagen.EnterpriseFilter{Industry: "光电"}, []string{"乙公司"}},
			{"park", zhagen.EnterpriseFilter{Park: "海西园"}, []string{"甲公司"}},
			{"like wildcard is literal", zhagen.EnterpriseFilter{Query: "%"}, nil},
			{"sort desc", zhagen.EnterpriseFilter{Sort: "-uscc"}, []string{"甲公司", "乙公司"}},
			{"sort asc", zhagen.EnterpriseFilter{Sort: "uscc"}, []string{"乙公司", "甲公司"}},
			{"page", zhagen.EnterpriseFilter{Sort: "uscc", Limit: 1, Offset: 1}, []string{"甲公司"}},
		}
		for _, c := range cases {
			list, _, err := f.ents.FindEnterprises(f.admin, c.filter)
			must(t, err)
			var names []string
			for _, e := range list {
				names = append(names, e.Name)
			}
			if strings.Join(names, ",") != strings.Join(c.want, ",") {
				t.Errorf("%s: got %v, want %v", c.name, names, c.want)
			}
		}
		parks, err := f.ents.FindParks(f.admin)
		must(t, err)
		if strings.Join(parks, ",") != "南屿,海西园" && strings.Join(parks, ",") != "海西园,南屿" {
			t.Errorf("parks %v", parks)
		}
	})
}

func TestScopes(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		entUser := f.user(t, "ent_a", zhagen.RoleEnterprise, 0, f.entA.ID)
		list, total, err := f.ents.FindEnterprises(entUser, zhagen.EnterpriseFilter{})
		must(t, err)
		if total != 1 || list[0].ID != f.entA.ID {
			t.Fatalf("enterprise user sees %d enterprises", total)
		}
		_, err = f.ents.FindEnterpriseByID(entUser, f.entB.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		name := "改名"
		_, err = f.ents.UpdateEnterprise(entUser, f.entA.ID, zhagen.EnterpriseUpdate{Version: 1, Name: &name})
		wantCode(t, err, zhagen.EFORBIDDEN)

		grad := f.user(t, "grad", zhagen.RoleGraduate, 0, 0)
		_, _, err = f.ents.FindEnterprises(grad, zhagen.EnterpriseFilter{})
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, err = f.ents.FindEnterpriseByID(context.Background(), f.entA.ID)
		wantCode(t, err, zhagen.EUNAUTHORIZED)

		// Staff of the root see users of the root and the child; staff of
		// the child only the child's.
		rootStaff := f.user(t, "root_staff", zhagen.RoleStaff, f.root.ID, 0)
		childStaff := f.user(t, "child_staff", zhagen.RoleStaff, f.child.ID, 0)
		_, total, err = f.users.FindUsers(rootStaff, zhagen.UserFilter{})
		must(t, err)
		if total != 2 {
			t.Fatalf("root staff sees %d users, want 2", total)
		}
		users, total, err := f.users.FindUsers(childStaff, zhagen.UserFilter{})
		must(t, err)
		if total != 1 || users[0].Login != "child_staff" {
			t.Fatalf("child staff sees %d users", total)
		}
		_, err = f.users.FindUserByID(childStaff, zhagen.ActorFromContext(rootStaff).UserID)
		wantCode(t, err, zhagen.ENOTFOUND)
		_, total, _ = f.users.FindUsers(entUser, zhagen.UserFilter{})
		if total != 1 {
			t.Fatalf("enterprise user sees %d users, want only self", total)
		}
		_, total, _ = f.users.FindUsers(f.admin, zhagen.UserFilter{Role: zhagen.RoleStaff})
		if total != 2 {
			t.Fatalf("role filter gives %d, want 2", total)
		}
		// Login matches exactly: "root_staff" contains "staff", but only
		// the login itself is found.
		f.user(t, "staff", zhagen.RoleStaff, f.root.ID, 0)
		users, total, _ = f.users.FindUsers(f.admin, zhagen.UserFilter{Login: "staff"})
		if total != 1 || users[0].Login != "staff" {
			t.Fatalf("login filter gives %d users", total)
		}
		_, _, err = f.logs.FindOpLogs(rootStaff, zhagen.LogFilter{})
		wantCode(t, err, zhagen.EFORBIDDEN)
		err = f.users.CreateUser(rootStaff, &zhagen.User{Login: "x1", Name: "x", Roles: []zhagen.Role{zhagen.RoleAdmin}, Password: f.password})
		wantCode(t, err, zhagen.EFORBIDDEN)
	})
}

func TestSessionsAndTokens(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		f.user(t, "bob", zhagen.RoleStaff, f.child.ID, 0)
		u, err := f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "bob", Password: f.password})
		must(t, err)
		sid, err := f.auth.CreateSession(ctx, u.ID, "", "")
		must(t, err)
		a, err := f.auth.ActorBySession(ctx, sid)
		must(t, err)
		if a.Login != "bob" || a.DeptID != f.child.ID || a.DeptPath != f.child.Path || !a.Has(zhagen.RoleStaff) {
			t.Fatalf("actor %+v", a)
		}
		f.clock.Advance(20 * time.Minute)
		_, err = f.auth.ActorBySession(ctx, sid) // refreshes the idle timer
		must(t, err)
		f.clock.Advance(20 * time.Minute)
		_, err = f.auth.ActorBySession(ctx, sid)
		must(t, err)
		f.clock.Advance(31 * time.Minute)
		_, err = f.auth.ActorBySession(ctx, sid)
		wantCode(t, err, zhagen.EUNAUTHORIZED)

		tok, err := f.auth.CreateToken(f.admin, u.ID, "cli", time.Hour)
		must(t, err)
		if !strings.HasPrefix(tok.Token, "zg_") {
			t.Fatalf("token %q", tok.Token)
		}
		_, err = f.auth.ActorByToken(ctx, tok.Token)
		must(t, err)
		_, err = f.auth.ActorByToken(ctx, tok.Token+"x")
		wantCode(t, err, zhagen.EUNAUTHORIZED)
		f.clock.Advance(61 * time.Minute)
		_, err = f.auth.ActorByToken(ctx, tok.Token)
		wantCode(t, err, zhagen.EUNAUTHORIZED)

		// A password change ends every session and token.
		tok2, _ := f.auth.CreateToken(f.admin, u.ID, "cli", 0)
		_, err = f.auth.ActorByToken(ctx, tok2.Token) // now cached
		must(t, err)
		// A role change shows at once through the cached token.
		leader := []zhagen.Role{zhagen.RoleLeader}
		cur, _ := f.users.FindUserByID(f.admin, u.ID)
		_, err = f.users.UpdateUser(f.admin, u.ID, zhagen.UserUpdate{Version: cur.Version, Roles: &leader})
		must(t, err)
		if got, err := f.auth.ActorByToken(ctx, tok2.Token); err != nil || !got.Has(zhagen.RoleLeader) || got.Has(zhagen.RoleStaff) {
			t.Fatalf("after role change: %+v %v", got, err)
		}
		// Setting a password without the current one is an administrator's
		// reset: bob changes his own through ChangePassword.
		bobCtx := zhagen.NewContextWithActor(ctx, a)
		wantCode(t, f.users.SetPassword(bobCtx, u.ID, "New-Pass-2026"), zhagen.EFORBIDDEN)
		wantCode(t, f.users.SetPassword(f.admin, u.ID, "short"), zhagen.EINVALID)
		must(t, f.users.SetPassword(f.admin, u.ID, "New-Pass-2026"))
		_, err = f.auth.ActorByToken(ctx, tok2.Token)
		wantCode(t, err, zhagen.EUNAUTHORIZED)
		_, err = f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "bob", Password: "New-Pass-2026"})
		must(t, err)
	})
}

func TestDepartmentsAndUsers(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		if f.child.Path != "/"+itoa(f.root.ID)+"/"+itoa(f.child.ID)+"/" {
			t.Fatalf("child path %q", f.child.Path)
		}
		err := f.depts.CreateDepartment(f.admin, &zhagen.Department{Name: "孤儿", Kind: zhagen.DeptGov, ParentID: 999})
		wantCode(t, err, zhagen.EINVALID)
		err = f.depts.CreateDepartment(f.admin, &zhagen.Department{Name: "", Kind: "bogus"})
		if fe := zhagen.FieldErrors(err); fe["name"] == "" || fe["kind"] == "" {
			t.Fatalf("field errors %v", fe)
		}
		newName := "经济发展局（改）"
		d, err := f.depts.UpdateDepartment(f.admin, f.child.ID, zhagen.DepartmentUpdate{Version: 1, Name: &newName})
		must(t, err)
		if d.Version != 2 {
			t.Fatalf("version %d", d.Version)
		}
		_, err = f.depts.UpdateDepartment(f.admin, f.child.ID, zhagen.DepartmentUpdate{Version: 1, Name: &newName})
		wantCode(t, err, zhagen.ECONFLICT)
		tree := zhagen.DepartmentTree(mustList(f.depts.FindDepartments(f.admin)))
		if len(tree) != 2 || tree[1].Depth != 1 {
			t.Fatalf("tree %+v", tree)
		}

		u := &zhagen.User{Login: "carol", Name: "卡罗", Roles: []zhagen.Role{zhagen.RoleCadre}, DeptID: f.child.ID, Rank: "副处级",
			Expertise: []string{"集成电路", " 用电 ", "集成电路"}, Phone: "13905910001", Password: f.password}
		must(t, f.users.CreateUser(f.admin, u))
		got, err := f.users.FindUserByID(f.admin, u.ID)
		must(t, err)
		if got.DeptName != newName || strings.Join(got.Expertise, ",") != "集成电路,用电" || got.Rank != "副处级" {
			t.Fatalf("user %+v", got)
		}
		err = f.users.CreateUser(f.admin, &zhagen.User{Login: "carol", Name: "重名", Roles: []zhagen.Role{zhagen.RoleLeader}, Password: f.password})
		wantCode(t, err, zhagen.ECONFLICT)
		err = f.users.CreateUser(f.admin, &zhagen.User{Login: "dave", Name: "戴", Roles: []zhagen.Role{zhagen.RoleLeader}, Phone: "12345", Password: "abc"})
		if fe := zhagen.FieldErrors(err); fe["phone"] == "" || fe["password"] == "" {
			t.Fatalf("field errors %v", fe)
		}
		phone := "0591-87654321"
		got, err = f.users.UpdateUser(f.admin, u.ID, zhagen.UserUpdate{Version: 1, Phone: &phone})
		must(t, err)
		if got.Phone != phone || got.Version != 2 || got.Rank != "副处级" {
			t.Fatalf("updated user %+v", got)
		}
	})
}

func mustList[T any](v []T, err error) []T {
	if err != nil {
		panic(err)
	}
	return v
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
