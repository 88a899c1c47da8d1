package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/catalog"
	"zhagen/docx"
	"zhagen/notify"
	"zhagen/sheet"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

const testPassword = "Passw0rd!web"

// testEnv is a web UI over a real, migrated database with a small
// zone: one department, two enterprises and a user for several roles.
type testEnv struct {
	t       *testing.T
	srv     *httptest.Server
	h       *Handler        // the handler srv serves, for in-process requests
	sys     context.Context // system actor
	ents    zhagen.EnterpriseService
	depts   zhagen.DepartmentService
	users   zhagen.UserService
	auth    zhagen.AuthService
	demands zhagen.DemandService
	files   zhagen.FileService
	cats    zhagen.CategoryService
	notes   zhagen.NotificationService
	links   zhagen.LinkageService
	talent  *sqldb.TalentService
	cs      zhagen.ConsultationService
	sup     *sqldb.SupervisionService
	kb      *sqldb.KnowledgeService
	pj      zhagen.ProjectService
	intake  zhagen.IntakeService
	chans   zhagen.ChannelService
	clock   *zhagen.FixedClock
	entA    *zhagen.Enterprise
	entB    *zhagen.Enterprise
	dept    *zhagen.Department
	indName string
	// drain delivers the notices waiting in the outbox, as the server's
	// drainer does right after each commit.
	drain func()
}

// validUSCC makes a valid unified social credit code from a 7-character
// serial of digits.
func validUSCC(t testing.TB, serial string) string {
	body := "91350100MA" + serial
	c, ok := zhagen.USCCCheckChar(body)
	if !ok {
		t.Fatalf("bad USCC body %q", body)
	}
	return body + string(c)
}

// newTestEnv is a testEnv on SQLite alone, for tests whose behaviour
// cannot differ by store (page rendering, headers, browser layout and
// console); the test summary lists them as run on SQLite only. Tests
// that write or query data use eachStore.
func newTestEnv(t *testing.T, mods ...func(*Config)) *testEnv {
	t.Helper()
	return newTestEnvOn(t, sqldbtest.OneStore(t, "web rendering"), mods...)
}

// eachStore runs f as a subtest per store (sqldbtest.Run), each on a fresh
// testEnv: SQLite, and PostgreSQL when ZHAGEN_TEST_POSTGRES is set.
func eachStore(t *testing.T, f func(t *testing.T, e *testEnv), mods ...func(*Config)) {
	t.Helper()
	sqldbtest.Run(t, func(t *testing.T, eng sqldbtest.Engine) { f(t, newTestEnvOn(t, eng, mods...)) })
}

// newTestEnvOn is newTestEnv on the database engine eng.
func newTestEnvOn(t *testing.T, eng sqldbtest.Engine, mods ...func(*Config)) *testEnv {
	t.Helper()
	clock := &zhagen.FixedClock{T: time.Date(2026, 3, 2, 9, 30, 0, 0, zhagen.Shanghai)}
	db := eng.Open(t, clock)
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{
		t:     t,
		sys:   zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor()),
		ents:  sqldb.NewEnterpriseService(db),
		depts: sqldb.NewDepartmentService(db),
		users: sqldb.NewUserService(db),
		auth:  sqldb.NewAuthService(db),

		demands: sqldb.NewDemandService(db, cal),
		files:   sqldb.NewFileService(db),
		cats:    sqldb.NewCategoryService(db),
		notes:   sqldb.NewNotificationService(db),
		talent:  sqldb.NewTalentService(db),
		clock:   clock,
		drain:   func() { sqldbtest.Drain(t, db, clock) },
	}
	e.links = sqldb.NewLinkageService(db, e.demands)
	cfg := Config{
		Enterprises: e.ents, Departments: e.depts, Users: e.users, Auth: e.auth,
		Logs: sqldb.NewLogService(db), Demands: e.demands, Files: e.files, Categories: e.cats, Notifications: e.notes,
		Calendar: sqldb.NewCalendarService(db), Linkages: e.links, Talent: e.talent, Clock: clock,
		Consultations: sqldb.NewConsultationService(db, cal), Projects: sqldb.NewProjectService(db, cal), Minutes: docx.Minutes,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Rates: sqldb.NewRatesService(db),
		Catalog: catalog.MustLoad(), Intake: sqldb.NewIntakeService(db), Supervision: sqldb.NewSupervisionService(db, cal),
		FollowUps: sqldb.NewFollowUpService(db, e.demands.(*sqldb.DemandService)), ReplyTemplates: sqldb.NewReplyTemplateService(db),
		Channels: sqldb.NewChannelService(db), ChannelTester: notify.NewCourier(sqldb.NewOutbox(db), sqldb.NewChannelService(db), catalog.MustLoad(), clock),
		Oversight: sqldb.NewOversightService(db), BulletinDocx: docx.Bulletin,
		Knowledge: sqldb.NewKnowledgeService(db, e.demands.(*sqldb.DemandService)),
		Policies:  sqldb.NewPolicyService(db, cal),
		Imports:   sheet.NewImporter(sqldb.NewImportService(db), clock),
	}
	e.sup = cfg.Supervision.(*sqldb.SupervisionService)
	e.kb = cfg.Knowledge.(*sqldb.KnowledgeService)
	e.cs, e.pj = cfg.Consultations, cfg.Projects
	e.intake = cfg.Intake
	e.chans = cfg.Channels
	for _, m := range mods {
		m(&cfg)
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	e.srv = httptest.NewServer(withCSP(h))
	t.Cleanup(e.srv.Close)
	e.seed()
	return e
}

func (e *testEnv) seed() {
	t := e.t
	inds, err := e.ents.FindIndustries(e.sys)
	if err != nil {
		t.Fatal(err)
	}
	if len(inds) == 0 {
		in, err := e.ents.CreateIndustry(e.sys, "集成电路")
		if err != nil {
			t.Fatal(err)
		}
		inds = append(inds, in)
	}
	e.indName = inds[0].Name
	e.dept = &zhagen.Department{Name: "经济发展局", Kind: zhagen.DeptGov}
	if err := e.depts.CreateDepartment(e.sys, e.dept); err != nil {
		t.Fatal(err)
	}
	e.entA = &zhagen.Enterprise{Name: "福州甲芯微电子有限公司", USCC: validUSCC(t, "0000001"), Industry: e.indName,
		IsKey: true, Park: "南屿片区", Contacts: []zhagen.Contact{{Name: "林工", Title: "总经理", Phone: "13800000001"}}}
	e.entB = &zhagen.Enterprise{Name: "福州乙光电科技有限公司", USCC: validUSCC(t, "0000002"), Industry: e.indName, Park: "创新园"}
	for _, ent := range []*zhagen.Enterprise{e.entA, e.entB} {
		if err := e.ents.CreateEnterprise(e.sys, ent); err != nil {
			t.Fatal(err)
		}
	}
	users := []*zhagen.User{
		{Login: "admin1", Name: "管理员甲", Roles: []zhagen.Role{zhagen.RoleAdmin}},
		{Login: "disp1", Name: "调度员", Roles: []zhagen.Role{zhagen.RoleDispatcher}},
		{Login: "cadre1", Name: "干部乙", Roles: []zhagen.Role{zhagen.RoleCadre}, DeptID: e.dept.ID, Rank: "正科级"},
		{Login: "ent1", Name: "企业联络员", Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: e.entA.ID},
		{Login: "grad1", Name: "毕业生丙", Roles: []zhagen.Role{zhagen.RoleGraduate}},
		{Login: "staff1", Name: "部门人员丁", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: e.dept.ID},
		{Login: "ent2", Name: "乙企业联络员", Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: e.entB.ID},
		{Login: "leader1", Name: "领导戊", Roles: []zhagen.Role{zhagen.RoleLeader}},
	}
	for _, u := range users {
		u.Password = testPassword
		if err := e.users.CreateUser(e.sys, u); err != nil {
			t.Fatalf("create user %s: %v", u.Login, err)
		}
	}
}

// testCSP is the Content-Security-Policy cmd/zhagen sends; the pages must
// work under it (no inline script).
const testCSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'"

func withCSP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", testCSP)
		next.ServeHTTP(w, r)
	})
}

// client is a browser-like HTTP client with a cookie jar that does not
// follow redirects, so tests can check them.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
	hdr  http.Header // extra headers for every request
}

func (e *testEnv) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.srv.URL, hdr: http.Header{}, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// login logs in and fails the test unless it worked.
func (e *testEnv) login(login string) *client {
	c := e.client()
	res := c.post("/login", url.Values{"login": {login}, "password": {testPassword}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/" {
		e.t.Fatalf("login %s: status %d location %q\n%s", login, res.status, res.header.Get("Location"), res.body)
	}
	return c
}

type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	for k, v := range c.hdr {
		req.Header[k] = v
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// wantStatus fails the test when the status differs, showing the body.
func (r response) wantStatus(t *testing.T, want int) response {
	t.Helper()
	if r.status != want {
		body := r.body
		if len(body) > 3000 {
			body = body[:3000]
		}
		t.Fatalf("status %d, want %d\n%s", r.status, want, body)
	}
	return r
}

// contains fails the test unless the body holds every string.
func (r response) contains(t *testing.T, subs ...string) response {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.body, s) {
			t.Errorf("body lacks %q", s)
		}
	}
	return r
}

// lacks fails the test if the body holds any of the strings.
func (r response) lacks(t *testing.T, subs ...string) response {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.body, s) {
			t.Errorf("body has %q", s)
		}
	}
	return r
}

// attr returns the attribute text html/template writes for a value.
func attr(name, value string) string {
	return fmt.Sprintf(`%s="%s"`, name, templateEscape(value))
}

func templateEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;")
	return r.Replace(s)
}
