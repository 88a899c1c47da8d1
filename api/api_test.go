package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/api"
	"zhagen/catalog"
	"zhagen/docx"
	"zhagen/notify"
	"zhagen/sheet"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

const password = "Zg-Test#4821"

// env is an API server over a real database with one user of each role.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	h      *api.Handler
	clock  *zhagen.FixedClock
	ents   *sqldb.EnterpriseService
	links  *sqldb.LinkageService
	talent *sqldb.TalentService
	depts  *sqldb.DepartmentService
	users  *sqldb.UserService
	db     *sqldb.DB
	tokens map[string]string // login → bearer token
	ids    map[string]int64  // login or enterprise key → id
	// drain delivers the notices waiting in the outbox, as the server's
	// drainer does right after each commit.
	drain func()
	// imports runs the spreadsheet imports of /api/v1/imports.
	imports *sheet.Importer
}

func newEnv(t *testing.T, e sqldbtest.Engine) *env {
	t.Helper()
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}
	db := e.Open(t, clock)
	ents, users, depts, auth := sqldb.NewEnterpriseService(db), sqldb.NewUserService(db), sqldb.NewDepartmentService(db), sqldb.NewAuthService(db)
	cal, err := sla.NewCalendar(sla.Config{})
	must(t, err)
	cats, demands := sqldb.NewCategoryService(db), sqldb.NewDemandService(db, cal)
	links := sqldb.NewLinkageService(db, demands)
	talent := sqldb.NewTalentService(db)
	imports := sheet.NewImporter(sqldb.NewImportService(db), clock)
	h := api.New(api.Config{Imports: imports, Enterprises: ents, Departments: depts, Users: users, Auth: auth,
		Demands: demands, Files: sqldb.NewFileService(db), Categories: cats, Notifications: sqldb.NewNotificationService(db), Calendar: sqldb.NewCalendarService(db),
		Linkages: links, Talent: talent, Rates: sqldb.NewRatesService(db), Supervision: sqldb.NewSupervisionService(db, cal), Knowledge: sqldb.NewKnowledgeService(db, demands),
		Consultations: sqldb.NewConsultationService(db, cal), Projects: sqldb.NewProjectService(db, cal), Minutes: docx.Minutes,
		FollowUps: sqldb.NewFollowUpService(db, demands), ReplyTemplates: sqldb.NewReplyTemplateService(db), Clock: clock, Oversight: sqldb.NewOversightService(db), Policies: sqldb.NewPolicyService(db, cal),
		Channels: sqldb.NewChannelService(db), ChannelTester: notify.NewCourier(sqldb.NewOutbox(db), sqldb.NewChannelService(db), catalog.MustLoad(), clock)})
	v := &env{t: t, h: h, clock: clock, ents: ents, links: links, talent: talent, depts: depts, users: users, db: db, tokens: map[string]string{}, ids: map[string]int64{},
		drain: func() { sqldbtest.Drain(t, db, clock) }, imports: imports}
	v.srv = httptest.NewServer(h)
	t.Cleanup(v.srv.Close)

	ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	root := &zhagen.Department{Name: "管委会", Kind: zhagen.DeptGov}
	must(t, depts.CreateDepartment(ctx, root))
	edb := &zhagen.Department{Name: "经济发展局", Kind: zhagen.DeptGov, ParentID: root.ID}
	must(t, depts.CreateDepartment(ctx, edb))
	for key, uscc := range map[string]string{"entA": "91440300708461136T", "entB": "91330100716105852F"} {
		en := &zhagen.Enterprise{Name: key + "公司", USCC: uscc, Industry: "集成电路"}
		must(t, ents.CreateEnterprise(ctx, en))
		v.ids[key] = en.ID
	}
	people := []struct {
		login string
		role  zhagen.Role
		dept  int64
		ent   int64
	}{
		{"admin", zhagen.RoleAdmin, 0, 0}, {"dispatcher", zhagen.RoleDispatcher, root.ID, 0}, {"leader", zhagen.RoleLeader, root.ID, 0},
		{"staff", zhagen.RoleStaff, edb.ID, 0}, {"cadre", zhagen.RoleCadre, edb.ID, 0},
		{"enterprise", zhagen.RoleEnterprise, 0, v.ids["entA"]}, {"enterprise2", zhagen.RoleEnterprise, 0, v.ids["entB"]},
		{"graduate", zhagen.RoleGraduate, 0, 0},
	}
	for _, p := range people {
		u := &zhagen.User{Login: p.login, Name: p.login, Roles: []zhagen.Role{p.role}, DeptID: p.dept, EnterpriseID: p.ent, Password: password}
		must(t, users.CreateUser(ctx, u))
		tok, err := auth.CreateToken(ctx, u.ID, "test", 0)
		must(t, err)
		v.tokens[p.login], v.ids[p.login] = tok.Token, u.ID
	}
	cat := &zhagen.Category{Code: "power", Name: "用电保障", LeadDeptID: edb.ID,
		Questions: []zhagen.Question{{Code: "load_kw", Label: "用电负荷", Type: zhagen.QNumber, Required: true}}}
	must(t, cats.CreateCategory(ctx, cat))
	v.ids["category"] = cat.ID
	for _, key := range []string{"demand", "demand2"} {
		st, body := v.do("enterprise", "POST", "/api/v1/demands", map[string]any{"category_id": cat.ID, "title": "双回路供电", "description": "生产需要", "answers": map[string]any{"load_kw": 8000}})
		if st != 201 {
			t.Fatalf("create demand: %d %v", st, body)
		}
		v.ids[key] = int64(body["id"].(float64))
	}
	return v
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// do sends a request as login ("" for none) and decodes a JSON answer.
func (v *env) do(login, method, path string, body any) (int, map[string]any) {
	v.t.Helper()
	var r io.Reader
	if s, ok := body.(string); ok {
		r = strings.NewReader(s)
	} else if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, v.srv.URL+path, r)
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+v.tokens[login])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func errField(body map[string]any, key string) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e[key].(string)
	return s
}

func TestEnterpriseAcceptance(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		st, body := v.do("admin", "GET", "/api/v1/enterprises?limit=200", nil)
		if st != 200 || body["total"].(float64) != 2 {
			t.Fatalf("admin list: %d %v", st, body)
		}
		st, body = v.do("enterprise", "GET", "/api/v1/enterprises?limit=200", nil)
		if st != 200 || body["total"].(float64) != 1 || len(body["items"].([]any)) != 1 {
			t.Fatalf("enterprise list: %d %v", st, body)
		}
		st, body = v.do("enterprise", "GET", fmt.Sprintf("/api/v1/enterprises/%d", v.ids["entB"]), nil)
		if st != 404 || errField(body, "code") != "not_found" {
			t.Fatalf("other enterprise: %d %v", st, body)
		}

		// A wrong check character: 422 on field uscc, nothing stored.
		st, body = v.do("admin", "POST", "/api/v1/enterprises", map[string]any{"name": "新企业", "uscc": "91110108551385082A", "industry": "光电"})
		if st != 422 || errField(body, "field") != "uscc" || errField(body, "message") == "" {
			t.Fatalf("bad uscc: %d %v", st, body)
		}
		if _, body = v.do("admin", "GET", "/api/v1/enterprises?q=新企业", nil); body["total"].(float64) != 0 {
			t.Fatalf("bad uscc stored something: %v", body)
		}
		st, body = v.do("admin", "POST", "/api/v1/enterprises", map[string]any{"name": "新企业", "uscc": "91110108551385082q", "industry": "光电", "is_key": true})
		if st != 201 || body["uscc"] != "91110108551385082Q" || body["version"].(float64) != 1 {
			t.Fatalf("create: %d %v", st, body)
		}
		id := int64(body["id"].(float64))

		// PATCH with the current version works; a stale one is 409 and
		// leaves the record unchanged.
		path := fmt.Sprintf("/api/v1/enterprises/%d", id)
		st, body = v.do("admin", "PATCH", path, map[string]any{"version": 1, "park": "海西园"})
		if st != 200 || body["version"].(float64) != 2 || body["park"] != "海西园" {
			t.Fatalf("patch: %d %v", st, body)
		}
		st, body = v.do("dispatcher", "PATCH", path, map[string]any{"version": 1, "park": "南屿"})
		cur, _ := body["error"].(map[string]any)["current"].(map[string]any)
		if st != 409 || cur["version"].(float64) != 2 {
			t.Fatalf("stale patch: %d %v", st, body)
		}
		if _, body = v.do("admin", "GET", path, nil); body["park"] != "海西园" || body["version"].(float64) != 2 {
			t.Fatalf("after stale patch: %v", body)
		}
		st, body = v.do("admin", "PATCH", path, map[string]any{"park": "南屿"})
		if st != 422 || errField(body, "field") != "version" {
			t.Fatalf("patch without version: %d %v", st, body)
		}
		st, body = v.do("admin", "PATCH", path, map[string]any{"version": 2, "prak": "x"})
		if st != 400 || errField(body, "field") != "prak" {
			t.Fatalf("unknown field: %d %v", st, body)
		}
		st, _ = v.do("admin", "POST", "/api/v1/enterprises", "{not json")
		if st != 400 {
			t.Fatalf("bad json: %d", st)
		}
		for _, q := range []string{"limit=201", "limit=0", "limit=x", "offset=-1", "is_key=maybe"} {
			if st, _ = v.do("admin", "GET", "/api/v1/enterprises?"+q, nil); st != 400 {
				t.Errorf("%s: status %d, want 400", q, st)
			}
		}
		if _, body = v.do("admin", "GET", "/api/v1/enterprises?is_key=true", nil); body["total"].(float64) != 1 {
			t.Errorf("is_key filter: %v", body)
		}
	})
}

func TestLoginAndBackoff(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		st, body := v.do("", "POST", "/api/v1/login", map[string]any{"login": "staff", "password": password})
		tok, _ := body["token"].(string)
		if st != 200 || tok == "" {
			t.Fatalf("login: %d %v", st, body)
		}
		v.tokens["fresh"] = tok
		if st, body = v.do("fresh", "GET", "/api/v1/me", nil); st != 200 || body["login"] != "staff" {
			t.Fatalf("me: %d %v", st, body)
		}
		var statuses []int
		for i := 0; i < 6; i++ {
			st, _ := v.do("", "POST", "/api/v1/login", map[string]any{"login": "staff", "password": "Wrong-pass-1"})
			statuses = append(statuses, st)
		}
		// Five free attempts, then this address waits: the account does
		// not lock (TestLoginBackoffIsPerAccountAndAddress in sqldb).
		if fmt.Sprint(statuses) != "[401 401 401 401 401 429]" {
			t.Fatalf("six wrong passwords gave %v", statuses)
		}
		if st, body = v.do("", "POST", "/api/v1/login", map[string]any{"login": "staff", "password": password}); st != 429 || !strings.Contains(errField(body, "message"), "过于频繁") {
			t.Fatalf("right password while waiting: %d %v", st, body)
		}
		v.clock.Advance(zhagen.LoginBackoffBase)
		if st, _ = v.do("", "POST", "/api/v1/login", map[string]any{"login": "staff", "password": password}); st != 200 {
			t.Fatalf("after the wait: %d", st)
		}
		if st, _ = v.do("", "POST", "/api/v1/login", map[string]any{"login": "staff"}); st != 400 {
			t.Fatalf("missing password: %d", st)
		}
		if st, body = v.do("", "GET", "/api/v1/me", nil); st != 401 || errField(body, "code") != "unauthorized" {
			t.Fatalf("no token: %d %v", st, body)
		}
		v.tokens["bogus"] = "zg_bogus"
		if st, _ = v.do("bogus", "GET", "/api/v1/me", nil); st != 401 {
			t.Fatalf("bad token: %d", st)
		}
		if st, body = v.do("admin", "GET", "/api/v1/nothing", nil); st != 404 || errField(body, "code") != "not_found" {
			t.Fatalf("unknown route: %d %v", st, body)
		}
	})
}

// TestAuthorizationTable checks each role against each route.
func TestAuthorizationTable(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		roles := []string{"admin", "dispatcher", "leader", "staff", "cadre", "enterprise", "enterprise2", "graduate", ""}
		seq := 0
		newEnt := func() any {
			seq++
			body := fmt.Sprintf("9135010000000%04d", seq)
			c, _ := zhagen.USCCCheckChar(body)
			return map[string]any{"name": fmt.Sprintf("授权测试%d", seq), "uscc": body + string(c), "industry": "光电"}
		}
		newUser := func() any {
			seq++
			return map[string]any{"login": fmt.Sprintf("u%d", seq), "name": "新用户", "roles": []string{"leader"}, "password": password}
		}
		version := func(path, field string) func() any {
			return func() any {
				_, b := v.do("admin", "GET", path, nil)
				seq++
				return map[string]any{"version": b["version"], field: fmt.Sprintf("修改%d", seq)}
			}
		}
		entA := fmt.Sprintf("/api/v1/enterprises/%d", v.ids["entA"])
		adminUser := fmt.Sprintf("/api/v1/users/%d", v.ids["admin"])
		staffUser := fmt.Sprintf("/api/v1/users/%d", v.ids["staff"])
		demand := fmt.Sprintf("/api/v1/demands/%d", v.ids["demand"])
		category := fmt.Sprintf("/api/v1/categories/%d", v.ids["category"])
		newDemand := func() any {
			return map[string]any{"enterprise_id": v.ids["entA"], "category_id": v.ids["category"], "title": "授权测试", "description": "d", "answers": map[string]any{"load_kw": "1"}}
		}
		newCategory := func() any {
			seq++
			return map[string]any{"code": fmt.Sprintf("cat%d", seq), "name": "类别"}
		}
		catVersion := func() any {
			_, b := v.do("admin", "GET", category, nil)
			return map[string]any{"version": b["version"], "code": "power", "name": "用电保障", "lead_dept_id": b["lead_dept_id"],
				"questions": b["questions"]}
		}
		link := func() any { return map[string]any{"action": "link", "target_id": v.ids["demand2"]} }
		overrideBody := func() any { return map[string]any{"working": false, "name": "台风停工"} }
		cases := []struct {
			method, path string
			body         func() any
			want         []int // in the order of roles
		}{
			{"GET", "/api/v1/me", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
			{"GET", "/api/v1/openapi.json", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 200}},
			{"GET", "/api/v1/enterprises", nil, []int{200, 200, 200, 200, 200, 200, 200, 403, 401}},
			{"POST", "/api/v1/enterprises", newEnt, []int{201, 201, 403, 403, 403, 403, 403, 403, 401}},
			{"GET", entA, nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
			{"PATCH", entA, version(entA, "address"), []int{200, 200, 403, 403, 403, 403, 404, 403, 401}},
			{"GET", "/api/v1/industries", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
			{"GET", "/api/v1/departments", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
			{"GET", "/api/v1/users", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
			{"POST", "/api/v1/users", newUser, []int{201, 403, 403, 403, 403, 403, 403, 403, 401}},
			{"GET", adminUser, nil, []int{200, 200, 200, 404, 404, 404, 404, 404, 401}},
			{"GET", staffUser, nil, []int{200, 200, 200, 200, 404, 404, 404, 404, 401}},
			{"PATCH", staffUser, version(staffUser, "name"), []int{200, 403, 403, 403, 404, 404, 404, 404, 401}},
			{"GET", "/api/v1/demands", nil, []int{200, 200, 200, 200, 200, 200, 200, 403, 401}},
			{"POST", "/api/v1/demands", newDemand, []int{201, 201, 403, 403, 201, 201, 201, 403, 401}},
			// The cadre is linked to entA (linkageAuthCases below) and so
			// reads its demands; linking them is the dispatcher's or the
			// lead department's.
			{"GET", demand, nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
			{"GET", demand + "/events", nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
			{"POST", demand + "/transitions", link, []int{200, 200, 403, 200, 403, 403, 404, 403, 401}},
			{"GET", "/api/v1/categories", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
			{"POST", "/api/v1/categories", newCategory, []int{201, 403, 403, 403, 403, 403, 403, 403, 401}},
			{"GET", category, nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
			{"PUT", category, catVersion, []int{200, 403, 403, 403, 403, 403, 403, 403, 401}},
			{"GET", demand + "/attachments", nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
			{"GET", "/api/v1/calendar/overrides", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
			{"PUT", "/api/v1/calendar/overrides/2026-12-31", overrideBody, []int{200, 403, 403, 403, 403, 403, 403, 403, 401}},
			{"DELETE", "/api/v1/calendar/overrides/2026-12-31", nil, []int{204, 403, 403, 403, 403, 403, 403, 403, 401}},
			{"GET", "/api/v1/notifications", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
			{"GET", "/api/v1/demand-rates", nil, []int{200, 200, 200, 200, 403, 403, 403, 403, 401}},
			{"GET", "/api/v1/rates/trend", nil, []int{200, 200, 200, 200, 403, 403, 403, 403, 401}},
			{"GET", "/api/v1/rates/ranking", nil, []int{200, 200, 200, 200, 403, 403, 403, 403, 401}},
		}
		cases = append(cases, linkageAuthCases(v)...)
		cases = append(cases, talentCases(v)...)
		cases = append(cases, consultationCases(v)...)
		cases = append(cases, fileCases(v)...) // after linkageAuthCases, which links the cadre
		cases = append(cases, tokenCases(v)...)
		cases = append(cases, followUpCases(v)...)
		cases = append(cases, channelCases(v)...)
		// Uploads and downloads are multipart and binary; TestAttachmentAPI covers them.
		covered := map[string]bool{"POST /api/v1/demands/{id}/attachments": true, "GET /api/v1/demands/{id}/attachments/{aid}": true}
		for _, k := range linkageUntabled {
			covered[k] = true
		}
		for _, k := range append(tokenUntabled, followUpUntabled...) {
			covered[k] = true
		}
		// The supervision, oversight, knowledge, policy and import routes:
		// the zone matrix (authz_routes_test.go, TestRouteMatrix) and their
		// own tests (TestSupervisionAPI, TestAPIRankingsAndBulletins,
		// TestSuggestAndSimilar, TestPolicyMatchingAndRedemption,
		// TestImportEnterprisesAcceptance).
		zoneMatrix := []string{"/api/v1/supervision-orders", "/api/v1/supervision-tallies", "/api/v1/ladder-rules", "/api/v1/rankings", "/api/v1/bulletins", "/api/v1/screen",
			"/api/v1/demands/suggest", "/api/v1/demands/similar", "/api/v1/policies", "/api/v1/policy-applications", "/api/v1/policy-totals",
			"/api/v1/tags", "/api/v1/imports"}
		for _, r := range v.h.Routes() {
			for _, prefix := range zoneMatrix {
				if strings.HasPrefix(r.Path, prefix) {
					covered[r.Method+" "+r.Path] = true
				}
			}
			if strings.HasPrefix(r.Path, "/api/v1/enterprises/{id}/") && (strings.HasSuffix(r.Path, "/tags") || strings.HasSuffix(r.Path, "/attrs") || strings.HasSuffix(r.Path, "/profile")) {
				covered[r.Method+" "+r.Path] = true
			}
		}
		for _, c := range cases {
			covered[c.method+" "+routePattern(c.path)] = true
			for i, role := range roles {
				var body any
				if c.body != nil {
					body = c.body()
				}
				if st, b := v.do(role, c.method, c.path, body); st != c.want[i] {
					t.Errorf("%s %s as %q: %d, want %d (%v)", c.method, c.path, role, st, c.want[i], b)
				}
			}
		}
		for _, r := range v.h.Routes() {
			if r.Path != "/api/v1/login" && !covered[r.Method+" "+r.Path] {
				t.Errorf("route %s %s is missing from the authorization table", r.Method, r.Path)
			}
		}
	})
}

var (
	dateSegment = regexp.MustCompile(`/\d{4}-\d{2}-\d{2}`)
	idSegment   = regexp.MustCompile(`/\d+`)
)

func routePattern(path string) string {
	return idSegment.ReplaceAllString(dateSegment.ReplaceAllString(path, "/{date}"), "/{id}")
}

// TestOpenAPICoversRoutes fails when a registered route is missing from
// the OpenAPI document or the document names a route that is not served.
func TestOpenAPICoversRoutes(t *testing.T) {
	v := newEnv(t, sqldbtest.OneStore(t, "the OpenAPI document"))
	st, doc := v.do("", "GET", "/api/v1/openapi.json", nil)
	if st != 200 || !strings.HasPrefix(doc["openapi"].(string), "3.") {
		t.Fatalf("openapi.json: %d", st)
	}
	documented := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	served := map[string]bool{}
	for _, r := range v.h.Routes() {
		served[r.Method+" "+r.Path] = true
		if !documented[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is missing from openapi.json", r.Method, r.Path)
		}
	}
	var extra []string
	for k := range documented {
		if !served[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("openapi.json documents routes that are not served: %v", extra)
	}
}

// TestDemandAPI covers the demand routes beyond the authorization table:
// idempotent create, filters, transitions with their errors.
func TestDemandAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		// The cadre files for entA, the enterprise linked to it.
		sys := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		must(t, v.links.CreateLinkage(sys, &zhagen.Linkage{CadreID: v.ids["cadre"], EnterpriseID: v.ids["entA"]}))
		body := map[string]any{"category_code": "power", "title": "幂等", "description": "d", "enterprise_id": v.ids["entA"], "answers": map[string]any{"load_kw": "1"}}
		req := func(key string) (int, map[string]any) {
			b, _ := json.Marshal(body)
			r, _ := http.NewRequest("POST", v.srv.URL+"/api/v1/demands", bytes.NewReader(b))
			r.Header.Set("Authorization", "Bearer "+v.tokens["cadre"])
			r.Header.Set("Idempotency-Key", key)
			resp, err := http.DefaultClient.Do(r)
			must(t, err)
			defer resp.Body.Close()
			out := map[string]any{}
			json.NewDecoder(resp.Body).Decode(&out)
			return resp.StatusCode, out
		}
		st1, d1 := req("k-1")
		st2, d2 := req("k-1")
		if st1 != 201 || st2 != 201 || d1["id"] != d2["id"] {
			t.Fatalf("idempotent create: %d %v / %d %v", st1, d1["id"], st2, d2["id"])
		}
		if d1["status"] != "assigned" || d1["lead_dept_name"] != "经济发展局" || d1["resolution_due"] == nil {
			t.Fatalf("routing: %v", d1)
		}
		st, b := v.do("cadre", "POST", "/api/v1/demands", map[string]any{"category_id": v.ids["category"], "title": "", "description": "d", "enterprise_id": v.ids["entA"]})
		if st != 422 || errField(b, "field") != "title" {
			t.Fatalf("missing title: %d %v", st, b)
		}
		path := fmt.Sprintf("/api/v1/demands/%v", d1["id"])
		st, b = v.do("staff", "POST", path+"/transitions", map[string]any{"action": "resolve", "resolution": "x"})
		if st != 409 || !strings.Contains(errField(b, "message"), "待签收") || !strings.Contains(errField(b, "message"), "办结") {
			t.Fatalf("resolve before accept: %d %v", st, b)
		}
		st, b = v.do("staff", "POST", path+"/transitions", map[string]any{"action": "accept", "version": 1})
		if st != 200 || b["status"] != "accepted" {
			t.Fatalf("accept: %d %v", st, b)
		}
		st, b = v.do("staff", "POST", path+"/transitions", map[string]any{"action": "update", "note": "x", "version": 1})
		if st != 409 {
			t.Fatalf("stale version: %d %v", st, b)
		}
		st, b = v.do("staff", "POST", path+"/transitions", map[string]any{"action": "extend", "days": 99, "note": "x"})
		if st != 422 || errField(b, "field") != "days" {
			t.Fatalf("bad days: %d %v", st, b)
		}
		st, b = v.do("staff", "GET", path, nil)
		if acts := fmt.Sprint(b["actions"]); !strings.Contains(acts, "resolve") || strings.Contains(acts, "assign") {
			t.Fatalf("staff actions %s", acts)
		}
		st, b = v.do("staff", "GET", fmt.Sprintf("/api/v1/demands?dept_id=%d&dept_role=lead&open=true&sort=due", depID(v, "staff")), nil)
		if st != 200 || b["total"].(float64) != 3 {
			t.Fatalf("inbox: %d %v", st, b["total"])
		}
		for q, field := range map[string]string{"status=flying": "status", "from=yesterday": "from", "dept_id=x": "dept_id", "open=maybe": "open",
			"level=purple": "level", "channel=fax": "channel", "dept_role=boss": "dept_role", "sort=size": "sort"} {
			if st, b := v.do("admin", "GET", "/api/v1/demands?"+q, nil); st != 400 || b["error"].(map[string]any)["field"] != field {
				t.Errorf("%s: %d %v, want 400 naming %s", q, st, b, field)
			}
		}
		for _, q := range []string{"level=red", "channel=portal", "dept_role=coop", "sort=due"} {
			if st, _ := v.do("admin", "GET", "/api/v1/demands?"+q, nil); st != 200 {
				t.Errorf("%s: %d, want 200", q, st)
			}
		}
		if _, b = v.do("enterprise2", "GET", "/api/v1/demands", nil); b["total"].(float64) != 0 {
			t.Fatalf("enterprise2 sees %v demands", b["total"])
		}
		if _, b = v.do("admin", "GET", "/api/v1/demands?q=幂等", nil); b["total"].(float64) != 1 {
			t.Fatalf("search: %v", b["total"])
		}
		v.drain()
		if st, b = v.do("staff", "GET", "/api/v1/notifications?unread=true", nil); st != 200 || b["unread"].(float64) < 1 {
			t.Fatalf("notifications: %d %v", st, b)
		}
	})
}

// depID returns the department of a test user.
func depID(v *env, login string) int64 {
	_, b := v.do(login, "GET", "/api/v1/me", nil)
	return int64(b["dept_id"].(float64))
}

func TestAttachmentAPI(t *testing.T) {
	sqldbtest.Run(t, testAttachmentAPI)
}

func testAttachmentAPI(t *testing.T, eng sqldbtest.Engine) {
	v := newEnv(t, eng)
	upload := func(login, name string, data []byte) (int, map[string]any) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/demands/%d/attachments", v.srv.URL, v.ids["demand"]), &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+v.tokens[login])
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		defer resp.Body.Close()
		out := map[string]any{}
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	pdf := []byte("%PDF-1.7 测算表")
	st, body := upload("enterprise", "负荷测算.pdf", pdf)
	if st != 201 || body["name"] != "负荷测算.pdf" {
		t.Fatalf("upload: %d %v", st, body)
	}
	if st, body = upload("enterprise", "a.pdf", []byte("MZ\x90\x00")); st != 422 || errField(body, "field") != "file" {
		t.Fatalf("exe as pdf: %d %v", st, body)
	}
	if st, _ = upload("enterprise2", "a.pdf", pdf); st != 404 {
		t.Fatalf("other enterprise upload: %d", st)
	}
	if st, _ = upload("leader", "a.pdf", pdf); st != 403 {
		t.Fatalf("leader upload: %d", st)
	}
	get := func(login string) *http.Response {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/demands/%d/attachments/%v", v.srv.URL, v.ids["demand"], body["id"]), nil)
		req.Header.Set("Authorization", "Bearer "+v.tokens[login])
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		return resp
	}
	_, body = upload("staff", "方案.txt", []byte("方案"))
	resp := get("enterprise")
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(data) != "方案" || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d %q %v", resp.StatusCode, data, resp.Header)
	}
	if resp = get("enterprise2"); resp.StatusCode != 404 {
		t.Fatalf("other enterprise download: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

// TestDemandDeptFilterStaysInScope: ?dept_id= narrows the caller's scope
// and never replaces it. Staff of a unit below the root could list the
// demands the root unit leads by naming it.
func TestDemandDeptFilterStaysInScope(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		root, edb := depID(v, "dispatcher"), depID(v, "staff")
		st, b := v.do("dispatcher", "POST", "/api/v1/demands", map[string]any{"category_id": v.ids["category"], "title": "园区道路改造",
			"description": "d", "enterprise_id": v.ids["entB"], "answers": map[string]any{"load_kw": "1"}})
		if st != 201 {
			t.Fatalf("create: %d %v", st, b)
		}
		path := fmt.Sprintf("/api/v1/demands/%v", b["id"])
		if st, b = v.do("dispatcher", "POST", path+"/transitions", map[string]any{"action": "assign", "lead_dept_id": root}); st != 200 {
			t.Fatalf("assign to the root unit: %d %v", st, b)
		}
		total := func(login, query string) float64 {
			t.Helper()
			st, b := v.do(login, "GET", "/api/v1/demands?"+query, nil)
			if st != 200 {
				t.Fatalf("%s %s: %d %v", login, query, st, b)
			}
			return b["total"].(float64)
		}
		for _, q := range []string{fmt.Sprintf("dept_id=%d", root), fmt.Sprintf("dept_id=%d&dept_role=lead", root), fmt.Sprintf("dept_id=%d&dept_role=lead&open=true", root)} {
			if n := total("staff", q); n != 0 {
				t.Errorf("staff of a unit below the root lists %v demands of the root unit with %s, want 0", n, q)
			}
			if n := total("dispatcher", q); n != 1 {
				t.Errorf("dispatcher lists %v demands with %s, want 1", n, q)
			}
		}
		if st, _ := v.do("staff", "GET", path, nil); st != 404 {
			t.Errorf("staff reads the root unit's demand: %d, want 404", st)
		}
		// The staff member's own department still filters as before.
		if n := total("staff", fmt.Sprintf("dept_id=%d&dept_role=lead", edb)); n != 2 {
			t.Errorf("own department: %v, want 2", n)
		}
	})
}

// TestCadreFilesForLinkedEnterprises: a cadre files demands only for the
// enterprises linked to it, and then reads them.
func TestCadreFilesForLinkedEnterprises(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		file := func(ent string) (int, map[string]any) {
			return v.do("cadre", "POST", "/api/v1/demands", map[string]any{"category_id": v.ids["category"], "title": "走访中企业提出",
				"description": "d", "enterprise_id": v.ids[ent], "answers": map[string]any{"load_kw": "1"}})
		}
		if st, b := file("entA"); st != 403 || errField(b, "code") != "forbidden" || !strings.Contains(errField(b, "message"), "挂钩") {
			t.Fatalf("unlinked cadre files for entA: %d %v, want 403 naming the linkage", st, b)
		}
		if _, b := v.do("cadre", "GET", "/api/v1/demands", nil); b["total"].(float64) != 0 {
			t.Fatalf("unlinked cadre sees %v demands", b["total"])
		}
		sys := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		must(t, v.links.CreateLinkage(sys, &zhagen.Linkage{CadreID: v.ids["cadre"], EnterpriseID: v.ids["entA"]}))
		st, b := file("entA")
		if st != 201 {
			t.Fatalf("linked cadre files for entA: %d %v", st, b)
		}
		if st, b := file("entB"); st != 403 {
			t.Fatalf("cadre files for entB, not linked: %d %v", st, b)
		}
		// It sees what it filed and the demands of its linked enterprise.
		if _, b := v.do("cadre", "GET", "/api/v1/demands", nil); b["total"].(float64) != 3 {
			t.Fatalf("linked cadre sees %v demands, want 3 (entA's two and its own)", b["total"])
		}
		if _, b := v.do("cadre", "GET", fmt.Sprintf("/api/v1/demands?enterprise_id=%d", v.ids["entB"]), nil); b["total"].(float64) != 0 {
			t.Fatalf("linked cadre sees %v demands of entB", b["total"])
		}
	})
}
