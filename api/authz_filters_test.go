package api_test

import (
	"encoding/json"
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

// filterRow says how to call one list route of the API and how to tell
// whether a row it returns is in the caller's scope.
type filterRow struct {
	// paths are the zone keys {id} takes (none for a route without one),
	// of the kind parent, which the caller sees with parentSee (404
	// otherwise).
	paths     []string
	parent    string
	parentSee zhagen.Perm
	// kind and see decide a row: in scope when the policy lets the caller
	// see the zone record kind/id (sqldbtest.Zone.Facts). in, when set,
	// decides instead, from the row as decoded.
	kind string
	see  zhagen.Perm
	in   func(z *sqldbtest.Zone, a *zhagen.Actor, row map[string]any) bool
	// rows picks the rows out of the answer; default its "items".
	rows func(body map[string]any) []any
	// params are the values tried for each parameter the handler reads:
	// "@key" is the id of a zone record, anything else is sent as it is.
	// Every parameter the handler reads must be here (nil values: not a
	// filter, only sent as listed).
	params map[string][]string
	// refused are the statuses a value naming what the caller may not
	// list may get instead of a narrowed list; none by default.
	refused []int
}

// Values of the parameters shared by several lists: every department of
// the tree, both enterprises, both cadres, every project, so that each
// caller also names records outside its scope.
var (
	deptValues    = []string{"@dept:root", "@dept:edb", "@dept:unit", "@dept:build", "@dept:talent"}
	entValues     = []string{"@ent:A", "@ent:B"}
	cadreValues   = []string{"@user:cadre", "@user:cadre2"}
	projectValues = []string{"@project:A", "@project:B", "@project:D"}
	demandValues  = []string{"@demand:A", "@demand:B", "@demand:root", "@demand:problemA"}
	qValues       = []string{"A", "B", "诉求", "企业"}
	pageValues    = []string{"200"}
	boolValues    = []string{"true", "false"}
)

// apiFilterRows are the filter rows of every list route of the API that
// reads query parameters, keyed by "GET path".
func apiFilterRows() map[string]filterRow {
	return map[string]filterRow{
		"GET /api/v1/enterprises": {kind: "enterprise", see: zhagen.PermEnterpriseView, params: map[string][]string{
			"format": nil,
			"q":      qValues, "industry": {"集成电路"}, "park": {"园区A", "园区B"}, "is_key": boolValues, "status": {"active"},
			"include_archived": boolValues, "sort": {"name", "-created_at"}, "limit": pageValues, "offset": {"0", "1"}}},
		"GET /api/v1/users": {kind: "user", see: zhagen.PermUserView, params: map[string][]string{
			"q": {"用户", "cadre", "staff"}, "dept_id": deptValues, "role": {"staff", "cadre", "admin", "enterprise"}, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/demands": {kind: "demand", see: zhagen.PermDemandView, params: map[string][]string{
			"format": nil,
			"q":      qValues, "dept_id": deptValues, "dept_role": {"lead", "coop"}, "enterprise_id": entValues, "project_id": projectValues,
			"category_id": {"@category:A", "@category:B"}, "status": {"assigned", "submitted", "assigned,accepted"}, "channel": {"open311", "portal", "project"},
			"level": {"ok", "red"}, "open": boolValues, "pending_extension": boolValues, "from": {"2026-01-01"}, "to": {"2026-12-31"},
			"sort": {"due", "-created"}, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/categories": {params: map[string][]string{"q": {"用电"}, "group": {"要素保障"}, "include_archived": boolValues}},
		"GET /api/v1/notifications": {in: func(z *sqldbtest.Zone, a *zhagen.Actor, row map[string]any) bool {
			uid, _ := row["user_id"].(float64)
			return zhagen.Can(a, zhagen.PermNotificationRead, zhagen.Facts{UserID: int64(uid)})
		}, params: map[string][]string{"unread": boolValues, "limit": pageValues, "offset": {"0"}, "group": {"demand", "supervision", "other"}}},
		"GET /api/v1/deliveries": {see: zhagen.PermDeliveryView, params: map[string][]string{
			"status": {"pending", "sent", "dead"}, "channel_id": {"1", "2"}, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/consultations": {kind: "consultation", see: zhagen.PermConsultationView, params: map[string][]string{
			"q": {"会商", "A", "B"}, "kind": {"project_coord"}, "status": {"planned"}, "project_id": projectValues, "demand_id": demandValues,
			"upcoming": boolValues, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/action-items": {kind: "item", see: zhagen.PermItemView, params: map[string][]string{
			"format":          nil,
			"consultation_id": {"@consultation:A", "@consultation:B"}, "dept_id": deptValues, "demand_id": demandValues, "project_id": projectValues,
			"status": {"open", "done"}, "pending": boolValues, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/projects": {kind: "project", see: zhagen.PermProjectView, params: map[string][]string{
			"q": {"项目", "A", "B"}, "level": {"municipal"}, "status": {"building"}, "behind": boolValues, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/projects/{id}/approvals": {paths: projectValues, parent: "project", parentSee: zhagen.PermProjectView, kind: "approval", see: zhagen.PermApprovalView, params: map[string][]string{
			"format":  nil,
			"dept_id": deptValues, "waiting": boolValues, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/approvals": {kind: "approval", see: zhagen.PermApprovalView, params: map[string][]string{
			"format":  nil,
			"dept_id": deptValues, "project_id": projectValues, "waiting": boolValues, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/linkages": {kind: "linkage", see: zhagen.PermLinkageView, params: map[string][]string{
			"format":   nil,
			"cadre_id": cadreValues, "enterprise_id": entValues, "dept_id": deptValues, "active": boolValues, "overdue": boolValues,
			"limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/visits": {kind: "visit", see: zhagen.PermVisitView, params: map[string][]string{
			"format":   nil,
			"cadre_id": cadreValues, "enterprise_id": entValues, "status": {"logged", "planned"}, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/enterprises/{id}/visits": {paths: entValues, parent: "enterprise", parentSee: zhagen.PermEnterpriseView, kind: "visit", see: zhagen.PermVisitView, params: map[string][]string{
			"limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/red-flags": {kind: "redflag", see: zhagen.PermRedFlagView, params: map[string][]string{
			"enterprise_id": entValues, "all": boolValues}},
		"GET /api/v1/demand-rates": {rows: func(body map[string]any) []any { l, _ := body["by_dept"].([]any); return l },
			in: func(z *sqldbtest.Zone, a *zhagen.Actor, row map[string]any) bool {
				d, _ := row["dept_id"].(float64)
				return zhagen.Can(a, zhagen.PermRatesView, zhagen.Facts{DeptID: int64(d)})
			}, params: map[string][]string{
				"format": nil, "dept_id": deptValues, "category_id": {"@category:A", "@category:B"}, "from": {"2026-01-01"}, "to": {"2026-12-31"}}},
		"GET /api/v1/policies": {kind: "policy", see: zhagen.PermPolicyView, params: map[string][]string{
			"category": {"industry", "talent"}, "q": {"政策", "A"}, "enterprise_id": entValues}},
		"GET /api/v1/policy-applications": {kind: "policyapp", see: zhagen.PermAppView, params: map[string][]string{
			"policy_id": {"@policy:A", "@policy:B"}, "enterprise_id": entValues, "dept_id": deptValues, "status": {"applied", "paid"}, "open": boolValues}},
		"GET /api/v1/supervision-orders": {kind: "supervision", see: zhagen.PermSupervisionView, params: map[string][]string{
			"format":  nil,
			"dept_id": deptValues, "status": {"open", "replied", "closed"}, "open": boolValues, "limit": pageValues}},
		"GET /api/v1/rates/trend": {rows: func(body map[string]any) []any { l, _ := body["depts"].([]any); return l },
			in: func(z *sqldbtest.Zone, a *zhagen.Actor, row map[string]any) bool {
				d, _ := row["dept_id"].(float64)
				return zhagen.Can(a, zhagen.PermRatesView, zhagen.Facts{DeptID: int64(d)})
			}, params: map[string][]string{"dept_id": deptValues, "category_id": {"@category:A", "@category:B"}, "from": {"2026-01"}, "to": {"2026-12"}}},
		"GET /api/v1/rates/ranking": {rows: func(body map[string]any) []any { l, _ := body["depts"].([]any); return l },
			in: func(z *sqldbtest.Zone, a *zhagen.Actor, row map[string]any) bool {
				d, _ := row["dept_id"].(float64)
				return zhagen.Can(a, zhagen.PermRatesView, zhagen.Facts{DeptID: int64(d)})
			}, params: map[string][]string{
				"format": nil, "dept_id": deptValues, "category_id": {"@category:A", "@category:B"}, "from": {"2026-01"}, "to": {"2026-12"}}},
		"GET /api/v1/positions": {kind: "position", in: func(z *sqldbtest.Zone, a *zhagen.Actor, row map[string]any) bool {
			// Approved positions are public (the job board).
			id, _ := row["id"].(float64)
			return row["status"] == string(zhagen.PositionApproved) || zhagen.Can(a, zhagen.PermPositionView, z.Facts(a, "position", int64(id)))
		}, params: map[string][]string{"q": {"岗位", "A", "B"}, "enterprise_id": entValues, "status": {"pending", "approved"}, "kind": {"fulltime"},
			"industry": {"集成电路"}, "major": {"微电子科学与工程"}, "limit": pageValues, "offset": {"0"}}},
		"GET /api/v1/surveys":         {kind: "survey", see: zhagen.PermSurveyView, params: map[string][]string{"period": {"2026", ""}}},
		"GET /api/v1/surveys/summary": {rows: func(map[string]any) []any { return nil }, params: map[string][]string{"period": {"2026"}}},
		"GET /api/v1/follow-ups": {kind: "followup", see: zhagen.PermFollowUpView, params: map[string][]string{
			"status": {"open", "overdue", "done", "flagged"}, "kind": {"rated", "unrated", "withdrawal"}, "sort": {"due", "-created"},
			"demand_id": {"@demand:followA", "@demand:followB", "@demand:A"}, "limit": pageValues, "offset": {"0"}}},
		// With demand_id, a demand the caller does not see is 404.
		"GET /api/v1/reply-templates": {kind: "reply", see: zhagen.PermReplyTemplateView, refused: []int{http.StatusNotFound},
			params: map[string][]string{"demand_id": {"@demand:followA", "@demand:followB"}, "dept_id": deptValues}},
		"GET /api/v1/tokens": {in: func(z *sqldbtest.Zone, a *zhagen.Actor, row map[string]any) bool {
			uid, _ := row["user_id"].(float64)
			return zhagen.Can(a, zhagen.PermTokenRevoke, zhagen.Facts{UserID: int64(uid)})
		}, see: zhagen.PermTokenRevoke, refused: []int{http.StatusForbidden}, // the same for any user id
			params: map[string][]string{"user_id": {"@user:admin", "@user:staff", "@user:ent", "@user:grad2"}}},
		// Exports (format=xlsx|csv) run the same query as the list: the
		// parameter is not a filter (nil), and web's table tries format=csv.
		"GET /api/v1/visit-coverage": {rows: func(map[string]any) []any { return nil }, params: map[string][]string{"format": nil}},
		"GET /api/v1/programmes/{id}/match": {paths: []string{"@programme"}, parent: "programme", parentSee: zhagen.PermProgrammeView,
			rows: func(map[string]any) []any { return nil }, params: map[string][]string{"format": nil}},
		// Without text the lookup is a 400; the demands found are the caller's.
		"GET /api/v1/demands/similar": {kind: "demand", see: zhagen.PermDemandView, refused: []int{http.StatusBadRequest},
			rows: func(body map[string]any) []any {
				var out []any
				l, _ := body["demands"].([]any)
				for _, it := range l {
					if m, ok := it.(map[string]any); ok {
						out = append(out, m["demand"])
					}
				}
				return out
			}, params: map[string][]string{"text": {"诉求A", "诉求B", "诉求"}}},
		"GET /api/v1/rankings": {rows: func(body map[string]any) []any {
			d, _ := body["depts"].([]any)
			c, _ := body["cadres"].([]any)
			return append(d, c...)
		}, in: func(z *sqldbtest.Zone, a *zhagen.Actor, row map[string]any) bool {
			if _, cadre := row["cadre_id"]; cadre {
				return zhagen.CanAny(a, zhagen.PermCadreRanking)
			}
			d, _ := row["dept_id"].(float64)
			return zhagen.Can(a, zhagen.PermRatesView, zhagen.Facts{DeptID: int64(d)})
		}, params: map[string][]string{"dept_id": deptValues, "category_id": {"@category:A", "@category:B"}, "from": {"2026-01"}, "to": {"2026-12"}}},
		// The empty import template (an .xlsx, not JSON), per kind.
		"GET /api/v1/imports/template": {see: zhagen.PermEnterpriseImport, refused: []int{http.StatusOK, http.StatusBadRequest},
			params: map[string][]string{"kind": {"enterprises", "linkages", "cadres"}}},
		"GET /api/v1/graduates": {kind: "graduate", see: zhagen.PermGraduateView, params: map[string][]string{
			"q": {"毕业生", "A", "B"}, "major": {"微电子科学与工程"}, "university": {"福州大学"}, "limit": pageValues, "offset": {"0"}}},
	}
}

// TestListFiltersStayInScope calls every list route of the API that
// reads query parameters, as every role, once with each value of each
// parameter — department, enterprise, cadre, project and demand values
// outside the caller's scope among them — and checks that every row
// returned is one the policy lets the caller see. The parameters each
// handler reads are read from the source (handlerscan): a route or a
// parameter without a row here fails.
func TestListFiltersStayInScope(t *testing.T) {
	src, err := handlerscan.Parse(".")
	if err != nil {
		t.Fatal(err)
	}
	rows := apiFilterRows()
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newZoneAPI(t, e)
		z := v.z
		handlers := map[string]string{}
		for _, r := range src.Registrations("handle", "public") {
			handlers[r.Pattern] = r.Handler
		}
		checked, requests := map[string]bool{}, 0
		mentions := z.Mentions()
		for _, route := range v.h.Routes() {
			key := route.Method + " " + route.Path
			handler, ok := handlers[route.Method+" "+route.Path]
			if !ok {
				t.Errorf("route %s: no registration found in the source", key)
				continue
			}
			params := src.Params(handler)
			if route.Method != http.MethodGet || len(params) == 0 {
				continue
			}
			row, ok := rows[key]
			if !ok {
				t.Errorf("list route %s reads %v and has no row in apiFilterRows", key, params)
				continue
			}
			checked[key] = true
			for _, p := range params {
				if _, ok := row.params[p]; !ok {
					t.Errorf("%s reads the parameter %q, which has no values in apiFilterRows", key, p)
				}
			}
			paths := row.paths
			if paths == nil {
				paths = []string{""}
			}
			var queries []url.Values
			queries = append(queries, url.Values{})
			for p, vals := range row.params {
				for _, val := range vals {
					queries = append(queries, url.Values{p: {zoneValue(z, val)}})
				}
			}
			for _, pk := range paths {
				path := route.Path
				if pk != "" {
					path = strings.Replace(path, "{id}", fmt.Sprint(z.ID(strings.TrimPrefix(pk, "@"))), 1)
				}
				for _, q := range queries {
					for _, login := range matrixActors {
						if login == "" {
							continue
						}
						requests++
						if pk != "" && !zhagen.Can(v.actor(login), row.parentSee, z.Facts(v.actor(login), row.parent, z.ID(strings.TrimPrefix(pk, "@")))) {
							if st, _ := v.get(login, path+"?"+q.Encode()); st != http.StatusNotFound && st != http.StatusForbidden {
								t.Errorf("GET %s?%s as %s: %d, want 404", path, q.Encode(), login, st)
							}
							continue
						}
						checkRows(t, v, row, login, path+"?"+q.Encode(), items0)
						if st, body := v.get(login, path+"?"+q.Encode()); st == http.StatusOK {
							checkMentions(t, v, key, "GET "+path+"?"+q.Encode(), login, string(body), mentions)
						}
					}
				}
			}
		}
		for key := range rows {
			if !checked[key] {
				t.Errorf("apiFilterRows has a row for %s, which is not a list route reading parameters", key)
			}
		}
		t.Logf("%d requests", requests)
	})
}

// items0 is the default row picker: the answer's "items".
func items0(body map[string]any) []any { l, _ := body["items"].([]any); return l }

func zoneValue(z *sqldbtest.Zone, val string) string {
	if key, ok := strings.CutPrefix(val, "@"); ok {
		return fmt.Sprint(z.ID(key))
	}
	return val
}

// checkRows gets path as login and checks every row is in scope; a
// caller the list's permission refuses may get 403.
func checkRows(t *testing.T, v *zoneAPI, row filterRow, login, path string, def func(map[string]any) []any) {
	t.Helper()
	a := v.actor(login)
	st, raw := v.get(login, path)
	if st == http.StatusForbidden && (row.see == "" || !zhagen.CanAny(a, row.see)) || slices.Contains(row.refused, st) {
		return
	}
	if st != http.StatusOK {
		t.Errorf("GET %s as %s: %d %.200s", path, login, st, raw)
		return
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Errorf("GET %s as %s: %v", path, login, err)
		return
	}
	pick := row.rows
	if pick == nil {
		pick = def
	}
	for _, it := range pick(body) {
		m, _ := it.(map[string]any)
		id, _ := m["id"].(float64)
		var ok bool
		switch {
		case row.in != nil:
			ok = row.in(v.z, a, m)
		case row.kind != "":
			ok = zhagen.Can(a, row.see, v.z.Facts(a, row.kind, int64(id)))
		default:
			ok = true
		}
		if !ok {
			t.Errorf("GET %s as %s returns %s %v, outside its scope", path, login, row.kind, slices.Collect(func(yield func(string) bool) {
				for _, k := range []string{"id", "title", "name", "dept_id"} {
					if m[k] != nil && !yield(fmt.Sprintf("%s=%v", k, m[k])) {
						return
					}
				}
			}))
		}
	}
}
