package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"zhagen"
	"zhagen/internal/handlerscan"
	"zhagen/sqldb/sqldbtest"
)

// checkMentions fails the test for every zone record the body of a
// page of route names (sqldbtest.Zone.Mentions) that the policy does not let login
// see, but for the kinds the route may name to anybody (webFilterPublic).
func (m *matrix) checkMentions(t *testing.T, route, request, login, body string, mentions []sqldbtest.Mention) {
	t.Helper()
	a := m.actor(login)
	for _, mn := range mentions {
		if slices.Contains(webFilterPublic[route], mn.Kind) {
			continue
		}
		if sqldbtest.Shows(body, mn.Text) && !m.z.Sees(a, mn) {
			t.Errorf("%s as %s shows %q (%s), which it may not see", request, login, mn.Text, mn.Key)
		}
	}
}

// webFilterParams are the values tried for each parameter a list page
// reads ("@key" is the id of a zone record): every department of the
// tree, both enterprises, every project, so that each caller also names
// records outside its scope. A list page reading a parameter not here
// fails.
var webFilterParams = map[string]map[string][]string{
	"GET /demands": {"format": {"csv"}, "submitter": {"@user:cadre", "@user:cadre2"}, "q": {"A", "B", "诉求"}, "role": {"lead"}, "dept": {"@dept:root", "@dept:edb", "@dept:unit", "@dept:build"}, "enterprise": {"@ent:A", "@ent:B"},
		"category": {"@category:A", "@category:B"}, "status": {"assigned", "submitted"}, "channel": {"open311", "project", "portal"},
		"level": {"normal"}, "open": {"1", "0"}, "pending_extension": {"1"}, "from": {"2026-01-01"}, "to": {"2026-12-31"},
		"sort": {"due", "-created"}, "page": {"1", "2"}},
	"GET /demands/inbox":     {"tab": {"lead", "coop", "waiting", "done"}, "page": {"1"}},
	"GET /demands/new":       {"category_id": {"@category:A", "@category:B"}, "enterprise_id": {"@ent:A", "@ent:B"}},
	"GET /demands/questions": {"category_id": {"@category:A", "@category:B"}},
	"GET /supervision/new":   {"kind": {"demand", "approval", "action_item"}, "id": {"@demand:A", "@demand:B", "@demand:root"}},
	"GET /enterprises": {"format": {"csv"}, "q": {"企业", "A", "B"}, "industry": {"集成电路"}, "park": {"园区A", "园区B"}, "is_key": {"1", "0"}, "status": {"active"},
		"archived": {"1"}, "sort": {"name", "-created_at"}, "page": {"1"}, "tag": {"@tag:A"}},
	"GET /policies":            {"category": {"industry", "talent"}, "q": {"政策", "A"}},
	"GET /policy-applications": {"status": {"applied", "paid"}},
	"GET /users":               {"q": {"用户", "cadre"}, "dept": {"@dept:root", "@dept:edb", "@dept:unit", "@dept:build"}, "role": {"staff", "cadre", "admin"}, "page": {"1"}},
	"GET /departments/new":     {"parent": {"@dept:root", "@dept:build"}},
	"GET /categories":          {"archived": {"1", "0"}},
	"GET /calendar":            {"month": {"2026-11"}, "date": {"2026-11-02"}},
	"GET /logs/ops":            {"q": {"诉求"}, "before": {"1000000", "2"}, "after": {"1"}},
	"GET /logs/logins":         {"q": {"staff"}, "before": {"1000000", "2"}, "after": {"1"}},
	"GET /login":               {"next": {"/demands"}},
	"GET /lang":                {"l": {"en", "zh"}},
	"GET /consultations": {"q": {"会商", "A", "B"}, "kind": {"project_coord"}, "status": {"planned"}, "project_id": {"@project:A", "@project:B", "@project:D"},
		"upcoming": {"1"}, "page": {"1"}},
	"GET /consultations/new": {"project_id": {"@project:A", "@project:B"}, "demand_id": {"@demand:A", "@demand:B", "@demand:root"}, "kind": {"joint"}},
	"GET /action-items": {"format": {"csv"}, "dept_id": {"@dept:root", "@dept:edb", "@dept:unit", "@dept:build"}, "project_id": {"@project:A", "@project:B"},
		"status": {"open", "done"}, "page": {"1"}},
	"GET /projects":         {"q": {"项目", "A", "B"}, "level": {"municipal"}, "status": {"building"}, "behind": {"1"}, "sort": {"name"}, "page": {"1"}},
	"GET /follow-ups":       {"status": {"open", "overdue", "done", "flagged", "all"}, "kind": {"rated", "withdrawal"}, "sort": {"due", "-created"}, "page": {"1"}},
	"GET /approvals":        {"format": {"csv"}, "dept_id": {"@dept:root", "@dept:edb", "@dept:build"}, "waiting": {"1", "0"}, "page": {"1"}},
	"GET /linkages":         {"format": {"csv"}, "dept_id": {"@dept:root", "@dept:edb", "@dept:build"}, "active": {"1", "0"}, "overdue": {"1"}, "sort": {"next_due"}},
	"GET /linkages/mine":    {"sort": {"next_due"}},
	"GET /visits":           {"format": {"csv"}, "cadre_id": {"@user:cadre", "@user:cadre2"}, "enterprise_id": {"@ent:A", "@ent:B"}, "status": {"logged", "planned"}, "page": {"1"}},
	"GET /visits/new":       {"enterprise_id": {"@ent:A", "@ent:B"}},
	"GET /visits/{id}/edit": {"log": {"1"}},
	"GET /rates": {"format": {"csv"}, "dept": {"@dept:root", "@dept:edb", "@dept:unit", "@dept:build"}, "category": {"@category:A", "@category:B"},
		"from": {"2026-01-01"}, "to": {"2026-12-31"}, "sort": {"dept"}},
	"GET /rates/trend": {"format": {"csv"}, "dept": {"@dept:root", "@dept:edb", "@dept:unit", "@dept:build"}, "category": {"@category:A", "@category:B"},
		"from": {"2026-01"}, "to": {"2026-12"}},
	"GET /jobs":          {"q": {"岗位", "A", "B", "公开"}, "industry": {"集成电路"}, "kind": {"fulltime"}, "major": {"软件工程"}, "page": {"1"}},
	"GET /positions":     {"q": {"岗位", "A", "B"}, "status": {"pending", "approved"}, "page": {"1"}},
	"GET /notifications": {"group": {"demand", "supervision", "talent", "other"}},
	"GET /channels/new":  {"kind": {"webhook", "email", "sms"}},
	"GET /deliveries":    {"status": {"pending", "sent", "dead"}},
	"GET /surveys":       {"period": {"2026", "2025"}},
	"GET /graduates":     {"q": {"毕业生", "A", "B"}, "page": {"1"}},
	// Exports: the same query as the page, as CSV (plain text, so the
	// names of records out of scope would show).
	"GET /visits/coverage":     {"format": {"csv"}},
	"GET /programmes/{id}/run": {"format": {"csv"}},
	"GET /supervision":         {"format": {"csv"}, "dept": {"@dept:root", "@dept:edb", "@dept:unit", "@dept:build"}, "tab": {"pending", "overdue", "closed"}, "page": {"1", "2"}},
	"GET /imports/template":    {"kind": {"enterprises", "linkages", "cadres"}},
	"GET /rates/rankings": {"dept": {"@dept:root", "@dept:edb", "@dept:unit", "@dept:build"}, "channel": {"visit", "portal"},
		"from": {"2026-01", "2026-01-01"}, "to": {"2026-12", "2026-12-31"}, "cadence": {"50"}, "filing": {"20"}, "outcome": {"30"}},
	"GET /demands/similar": {"title": {"诉求A", "诉求B"}, "description": {"诉求"}},
	"GET /knowledge":       {"q": {"知识", "A", "B"}, "from_demand": {"@demand:A", "@demand:B"}},
	"GET /common-problems": {"month": {"2026-11", "2026-10"}},
}

// webFilterPublic are the kinds of record a page may name to anybody it
// serves: the job board names the enterprise of every approved position,
// a programme the enterprises offering its places, a graduate's messages
// and match result the enterprise they are placed with.
var webFilterPublic = map[string][]string{"GET /jobs": {"enterprise"}, "GET /jobs/{id}": {"enterprise"}, "GET /positions": {"enterprise"},
	"GET /programmes/{id}": {"enterprise"}, "GET /programmes/{id}/run": {"enterprise"}, "GET /notifications": {"enterprise"}}

// webFilterPaths are the zone keys of {id} on the list pages under a
// record.
var webFilterPaths = map[string][]string{"GET /visits/{id}/edit": {"visit:A", "visit:B"}, "GET /programmes/{id}/run": {"programme"}}

// TestListFiltersStayInScope calls every page of the web UI that reads
// query parameters, as every role, once with each value of each
// parameter — departments, enterprises, projects and demands outside the
// caller's scope among them — and checks that the page shows no record
// the policy does not let the caller see (by its title or name). The
// parameters each handler reads are read from the source (handlerscan).
func TestListFiltersStayInScope(t *testing.T) {
	src, err := handlerscan.Parse(".")
	if err != nil {
		t.Fatal(err)
	}
	handlers := map[string]string{}
	for _, r := range src.Registrations("auth", "public") {
		handlers[r.Pattern] = r.Handler
	}
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		m := newMatrix(t, e)
		mentions := m.z.Mentions()
		// The user directory names users: each only to those who see them.
		var userMentions []sqldbtest.Mention
		for _, login := range sqldbtest.ZoneLogins {
			userMentions = append(userMentions, sqldbtest.Mention{Text: "用户" + login, Kind: "user", Key: "user:" + login, See: zhagen.PermUserView})
		}
		checked, requests := map[string]bool{}, 0
		for _, route := range m.h.Routes() {
			key := strings.TrimSpace(route.Method + " " + route.Pattern)
			if route.Method != http.MethodGet {
				continue
			}
			handler, ok := handlers[key]
			if !ok {
				t.Errorf("route %s: no registration found in the source", key)
				continue
			}
			params := src.Params(handler)
			if len(params) == 0 {
				continue
			}
			values, ok := webFilterParams[key]
			if !ok {
				t.Errorf("page %s reads %v and has no values in webFilterParams", key, params)
				continue
			}
			checked[key] = true
			for _, p := range params {
				if _, ok := values[p]; !ok {
					t.Errorf("%s reads the parameter %q, which has no values in webFilterParams", key, p)
				}
			}
			paths := webFilterPaths[key]
			if paths == nil {
				paths = []string{""}
			}
			for _, pk := range paths {
				path := strings.TrimSuffix(route.Pattern, "{$}")
				if pk != "" {
					path = strings.Replace(path, "{id}", fmt.Sprint(m.z.ID(pk)), 1)
				}
				for p, vals := range values {
					for _, val := range vals {
						if k, ok := strings.CutPrefix(val, "@"); ok {
							val = fmt.Sprint(m.z.ID(k))
						}
						target := path + "?" + url.Values{p: {val}}.Encode()
						for _, login := range matrixActors[:len(matrixActors)-1] {
							requests++
							res := m.do(login, http.MethodGet, target, nil, false)
							if res.Code >= 500 {
								t.Errorf("GET %s as %s: %d", target, login, res.Code)
								continue
							}
							if res.Code != http.StatusOK {
								continue // refusals: TestAuthorizationMatrix
							}
							m.checkMentions(t, key, "GET "+target, login, res.Body.String(), mentions)
							if key == "GET /users" {
								m.checkMentions(t, key, "GET "+target, login, res.Body.String(), userMentions)
							}
						}
					}
				}
			}
		}
		for key := range webFilterParams {
			if !checked[key] {
				t.Errorf("webFilterParams has values for %s, which is not a page reading parameters", key)
			}
		}
		t.Logf("%d requests", requests)
	})
}
