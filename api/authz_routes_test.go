package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zhagen"
	"zhagen/internal/handlerscan"
	"zhagen/sqldb/sqldbtest"
)

// do sends method path as login ("" for no token) with a JSON body, or
// a multipart one with a small PDF in "file".
func (v *zoneAPI) do(login, method, path string, body any, file bool) (int, string) {
	v.t.Helper()
	var rd *bytes.Buffer
	ctype := ""
	switch {
	case file:
		rd = &bytes.Buffer{}
		mw := multipart.NewWriter(rd)
		fw, _ := mw.CreateFormFile("file", "矩阵.pdf")
		fw.Write([]byte("%PDF-1.7 matrix"))
		mw.Close()
		ctype = mw.FormDataContentType()
	case body != nil:
		b, _ := json.Marshal(body)
		rd, ctype = bytes.NewBuffer(b), "application/json"
	default:
		rd = &bytes.Buffer{}
	}
	req := httptest.NewRequest(method, path, rd)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+v.tokens[login])
	}
	w := httptest.NewRecorder()
	v.h.ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

// routeRule says who may use one API route, as authzRule does for the
// web (web/authz_matrix_test.go): without see on the {id} record 404,
// without need 403; an allowed write is not sent (the matrix checks
// refusals, and that a refused write changed nothing).
type routeRule struct {
	kind      string
	keys      []string
	see, need zhagen.Perm
	needFacts func(v *zoneAPI, a *zhagen.Actor, key string) zhagen.Facts
	body      func(v *zoneAPI, key string) any
	file      bool
	path      func(v *zoneAPI, key string) string
	want      func(v *zoneAPI, a *zhagen.Actor, key string) []int
	ok        int   // an allowed GET's status; default 200
	refusedAs []int // the statuses a refusal of need may take; default 403
	skip      string
}

const sendNot = -1 // an allowed write, not sent

func (v *zoneAPI) expect(r routeRule, a *zhagen.Actor, method, key string) []int {
	if r.want != nil {
		return r.want(v, a, key)
	}
	var f zhagen.Facts
	if r.kind != "" {
		f = v.z.Facts(a, r.kind, v.z.ID(objKey(key)))
	}
	if r.kind != "" && r.see != "" && !zhagen.Can(a, r.see, f) {
		if !zhagen.CanAny(a, r.see) || r.need != "" && !zhagen.CanAny(a, r.need) {
			return []int{http.StatusNotFound, http.StatusForbidden}
		}
		return []int{http.StatusNotFound}
	}
	if r.need != "" {
		var ok bool
		switch {
		case r.kind == "":
			ok = zhagen.CanAny(a, r.need)
		case r.needFacts != nil:
			ok = zhagen.Can(a, r.need, r.needFacts(v, a, key))
		default:
			ok = zhagen.Can(a, r.need, f)
		}
		if !ok && r.refusedAs != nil {
			return r.refusedAs
		}
		if !ok {
			return []int{http.StatusForbidden}
		}
	}
	if method != http.MethodGet {
		return []int{sendNot}
	}
	if r.ok != 0 {
		return []int{r.ok}
	}
	return []int{http.StatusOK}
}

// objKey is the zone key of the record a variant key names (before "|").
func objKey(key string) string {
	k, _, _ := strings.Cut(key, "|")
	return k
}

// replies are the zone's reply templates: edb's, build's, shared.
var replies = []string{"reply:A", "reply:B", "reply:shared"}

// TestRouteMatrix walks every route of the API (Handler.Routes) as every
// role on records of both sides of a sqldbtest.Zone and checks the answer
// against the policy; without a token every route but the public ones
// answers 401; a refused write leaves every table as it was. A route
// without a rule fails. TestAuthorizationTable keeps the hand-written
// statuses of the first zone.
func TestRouteMatrix(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newZoneAPI(t, e)
		rules := apiRouteRules()
		seen := map[string]bool{}
		requests, answers := 0, map[int]int{}
		mentions := v.z.Mentions()
		for _, route := range v.h.Routes() {
			key := route.Method + " " + route.Path
			seen[key] = true
			r, ok := rules[key]
			if !ok {
				t.Errorf("route %s has no rule in apiRouteRules", key)
				continue
			}
			if r.skip != "" {
				continue
			}
			variants := r.keys
			if variants == nil && r.kind != "" {
				variants = []string{r.kind + ":A", r.kind + ":B"}
			}
			if variants == nil {
				variants = []string{""}
			}
			for _, obj := range variants {
				path := route.Path
				if r.path != nil {
					path = r.path(v, obj)
				} else if obj != "" {
					path = strings.Replace(path, "{id}", strconv.FormatInt(v.z.ID(objKey(obj)), 10), 1)
				}
				write := route.Method != http.MethodGet
				before := ""
				if write {
					before = v.z.Digest()
				}
				for _, login := range matrixActors {
					var want []int
					if login == "" {
						if route.Public {
							continue // registration and login: their own tests
						}
						want = []int{http.StatusUnauthorized}
					} else {
						want = v.expect(r, v.actor(login), route.Method, obj)
					}
					if slices.Equal(want, []int{sendNot}) {
						continue
					}
					var body any
					if r.body != nil {
						body = r.body(v, obj)
					} else if write {
						body = map[string]any{}
					}
					st, resp := v.do(login, route.Method, path, body, r.file)
					requests++
					answers[st]++
					if !slices.Contains(want, st) {
						t.Errorf("%s %s as %q (%s): %d, want %v %.200s", route.Method, path, login, obj, st, want, resp)
					} else if st == http.StatusOK && login != "" {
						checkMentions(t, v, key, route.Method+" "+path, login, resp, mentions)
					}
				}
				if write && v.z.Digest() != before {
					t.Errorf("%s %s: refused requests changed the database", route.Method, path)
				}
			}
		}
		for key := range rules {
			if !seen[key] {
				t.Errorf("apiRouteRules has a rule for %s, which is not a route", key)
			}
		}
		// Every registration in the source is served: newZoneAPI's Config
		// leaves out no optional service.
		src, err := handlerscan.Parse(".")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range src.Registrations("handle", "public") {
			if !seen[r.Pattern] {
				t.Errorf("%s is registered in the source but not served here: a service missing from newZoneAPI's Config?", r.Pattern)
			}
		}
		t.Logf("%d requests, answers by status %v", requests, answers)
	})
}

// apiPublic are the kinds of record a route may name to anybody it
// serves: a programme's offers name their enterprises, a published match
// the enterprises graduates are placed with, the job board's positions
// theirs.
var apiPublic = map[string][]string{"GET /api/v1/programmes/{id}": {"enterprise"}, "GET /api/v1/programmes/{id}/match": {"enterprise"},
	"GET /api/v1/positions": {"enterprise"}, "GET /api/v1/positions/{id}": {"enterprise"}, "GET /api/v1/notifications": {"enterprise"}}

// checkMentions fails the test for every zone record an answer of route
// names (sqldbtest.Zone.Mentions) that the policy does not let login see.
func checkMentions(t *testing.T, v *zoneAPI, route, request, login, body string, mentions []sqldbtest.Mention) {
	t.Helper()
	a := v.actor(login)
	for _, mn := range mentions {
		if slices.Contains(apiPublic[route], mn.Kind) {
			continue
		}
		if sqldbtest.Shows(body, mn.Text) && !v.z.Sees(a, mn) {
			t.Errorf("%s as %s shows %q (%s), which it may not see", request, login, mn.Text, mn.Key)
		}
	}
}

// version returns a body builder adding the record's current version,
// read by get as the system, to fields.
func version[T any](get func(v *zoneAPI, id int64) (T, int64), fields map[string]any) func(v *zoneAPI, key string) any {
	return func(v *zoneAPI, key string) any {
		_, ver := get(v, v.z.ID(objKey(key)))
		out := map[string]any{"version": ver}
		for k, x := range fields {
			out[k] = x
		}
		return out
	}
}

func must2[T any](t *testing.T) func(T, error) T {
	return func(x T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
}

// apiRouteRules are the rules of every route of the API, keyed by method
// and path as Routes lists them.
func apiRouteRules() map[string]routeRule {
	demands := []string{"demand:A", "demand:B", "demand:unit", "demand:root", "demand:problemA", "demand:problemB", "demand:channelA"}
	projects := []string{"project:A", "project:B", "project:D"}
	visits := []string{"visit:A", "visit:B", "visit:Aplanned"}
	all := func(*zoneAPI, *zhagen.Actor, string) []int { return []int{http.StatusOK} }
	files := routeRule{skip: "every download address: TestFileDownloadMatrix"}
	newEnt := 0
	forEnterprise := func(need zhagen.Perm, facts func(v *zoneAPI, a *zhagen.Actor, ent int64) zhagen.Facts, body func(v *zoneAPI, ent int64) any) routeRule {
		return routeRule{keys: []string{"ent:A", "ent:B"},
			body: func(v *zoneAPI, key string) any { return body(v, v.z.ID(key)) },
			want: func(v *zoneAPI, a *zhagen.Actor, key string) []int {
				ent := v.z.ID(key)
				if zhagen.Can(a, need, facts(v, a, ent)) || need == zhagen.PermDemandCreate && zhagen.OwnEnterpriseOnly(a) {
					return []int{sendNot}
				}
				return []int{http.StatusForbidden, http.StatusNotFound}
			}}
	}
	at := func(path string, r routeRule) routeRule {
		r.path = func(*zoneAPI, string) string { return path }
		return r
	}
	return map[string]routeRule{
		"POST /api/v1/login":       {skip: "logging in: TestLoginAndLockout"},
		"POST /api/v1/logout":      {skip: "revokes the token the matrix acts with: TestAPILogoutRevokesTheToken"},
		"POST /api/v1/me/password": {skip: "changing one's own password: TestAPIChangeOwnPassword"},
		"GET /api/v1/tokens":       {want: all},
		// Another user's token: revoked by an administrator only; the
		// tokens revoked are the zone's, not those the matrix acts with.
		"DELETE /api/v1/tokens/{id}": {kind: "token", keys: []string{"token:staff", "token:ent", "token:admin"}, see: zhagen.PermTokenRevoke, need: zhagen.PermTokenRevoke},
		"GET /api/v1/openapi.json":   {want: all},
		"GET /api/v1/me":             {want: all},
		"GET /api/v1/enterprises":    {need: zhagen.PermEnterpriseView},
		"POST /api/v1/enterprises": {need: zhagen.PermEnterpriseCreate, body: func(*zoneAPI, string) any {
			newEnt++
			body := fmt.Sprintf("9135010000000%04d", newEnt)
			c, _ := zhagen.USCCCheckChar(body)
			return map[string]any{"name": fmt.Sprintf("矩阵企业%d", newEnt), "uscc": body + string(c), "industry": "集成电路"}
		}},
		"GET /api/v1/enterprises/{id}": {kind: "enterprise", keys: []string{"ent:A", "ent:B"}, see: zhagen.PermEnterpriseView},
		"PATCH /api/v1/enterprises/{id}": {kind: "enterprise", keys: []string{"ent:A", "ent:B"}, see: zhagen.PermEnterpriseView, need: zhagen.PermEnterpriseEdit,
			body: version(func(v *zoneAPI, id int64) (any, int64) {
				e := must2[*zhagen.Enterprise](v.t)(v.z.Enterprises.FindEnterpriseByID(v.z.Sys, id))
				return e, e.Version
			}, map[string]any{"address": "矩阵地址"})},
		"GET /api/v1/industries":  {want: all},
		"GET /api/v1/departments": {want: all},
		"GET /api/v1/users":       {want: all},
		"POST /api/v1/users": {need: zhagen.PermUserCreate, body: func(*zoneAPI, string) any {
			return map[string]any{"login": "matrixuser", "name": "矩阵用户", "roles": []string{"leader"}, "password": sqldbtest.ZonePassword}
		}},
		"GET /api/v1/users/{id}": {kind: "user", keys: []string{"user:staff", "user:buildstaff", "user:admin", "user:ent2"}, see: zhagen.PermUserView},
		"PATCH /api/v1/users/{id}": {kind: "user", keys: []string{"user:staff", "user:buildstaff", "user:ent2"}, see: zhagen.PermUserView, need: zhagen.PermUserEdit,
			body: version(func(v *zoneAPI, id int64) (any, int64) {
				u := must2[*zhagen.User](v.t)(v.z.Users.FindUserByID(v.z.Sys, id))
				return u, u.Version
			}, map[string]any{"name": "矩阵改名"})},
		"GET /api/v1/demands": {need: zhagen.PermDemandView},
		"POST /api/v1/demands": at("/api/v1/demands", forEnterprise(zhagen.PermDemandCreate, func(v *zoneAPI, a *zhagen.Actor, ent int64) zhagen.Facts {
			return zhagen.FilingFacts(a, ent, v.z.Linked(a, ent), 0)
		}, func(v *zoneAPI, ent int64) any {
			return map[string]any{"enterprise_id": ent, "category_id": v.z.ID("category:A"), "title": "矩阵诉求", "description": "d", "answers": map[string]any{"load_kw": "1"}}
		})),
		"GET /api/v1/demands/{id}":        {kind: "demand", keys: demands, see: zhagen.PermDemandView},
		"GET /api/v1/demands/{id}/events": {kind: "demand", keys: demands, see: zhagen.PermDemandView},
		"POST /api/v1/demands/{id}/transitions": {kind: "demand",
			keys: append(slices.Clone(demands), "demand:A|link:demand:B", "demand:A|link:demand:root", "demand:A|link:missing", "demand:B|link:demand:problemB"),
			body: func(v *zoneAPI, key string) any {
				_, variant, ok := strings.Cut(key, "|")
				if !ok {
					return map[string]any{"action": "update", "note": "矩阵"}
				}
				action, target, _ := strings.Cut(variant, ":")
				return map[string]any{"action": action, "target_id": v.z.ID(target)}
			},
			want: func(v *zoneAPI, a *zhagen.Actor, key string) []int {
				obj, variant, _ := strings.Cut(key, "|")
				f := v.z.Facts(a, "demand", v.z.ID(obj))
				action, target, _ := strings.Cut(variant, ":")
				need := zhagen.PermDemandUpdate
				if action == "link" {
					need = zhagen.PermDemandLink
				}
				switch {
				case !zhagen.Can(a, zhagen.PermDemandView, f):
					return []int{http.StatusNotFound, http.StatusForbidden}
				case !zhagen.Can(a, need, f):
					return []int{http.StatusForbidden}
				case target != "" && (target == "missing" || !zhagen.Can(a, zhagen.PermDemandView, v.z.Facts(a, "demand", v.z.ID(target)))):
					return []int{http.StatusUnprocessableEntity}
				}
				return []int{sendNot}
			}},
		"GET /api/v1/categories":      {want: all},
		"POST /api/v1/categories":     {need: zhagen.PermCategoryEdit, body: func(*zoneAPI, string) any { return map[string]any{"code": "matrix", "name": "矩阵类别"} }},
		"GET /api/v1/categories/{id}": {keys: []string{"category:A", "category:B"}, want: all},
		"PUT /api/v1/categories/{id}": {keys: []string{"category:A", "category:B"}, need: zhagen.PermCategoryEdit, body: func(v *zoneAPI, key string) any {
			c := must2[*zhagen.Category](v.t)(v.z.Categories.FindCategoryByID(v.z.Sys, v.z.ID(key)))
			return map[string]any{"version": c.Version, "code": c.Code, "name": c.Name + "改", "lead_dept_id": c.LeadDeptID, "questions": c.Questions}
		}},
		"GET /api/v1/notifications":                   {want: all},
		"GET /api/v1/calendar/overrides":              {want: all},
		"PUT /api/v1/calendar/overrides/{date}":       at("/api/v1/calendar/overrides/2026-12-31", routeRule{need: zhagen.PermCalendarEdit, body: func(*zoneAPI, string) any { return map[string]any{"working": false, "name": "矩阵"} }}),
		"DELETE /api/v1/calendar/overrides/{date}":    at("/api/v1/calendar/overrides/2026-12-31", routeRule{need: zhagen.PermCalendarEdit}),
		"GET /api/v1/files/{id}":                      files,
		"GET /api/v1/demands/{id}/attachments":        files,
		"GET /api/v1/demands/{id}/attachments/{aid}":  files,
		"GET /api/v1/visits/{id}/files":               files,
		"GET /api/v1/visits/{id}/files/{fid}":         files,
		"GET /api/v1/action-items/{id}/evidence":      files,
		"POST /api/v1/demands/{id}/attachments":       {kind: "demand", keys: demands, see: zhagen.PermDemandView, need: zhagen.PermDemandAttach, file: true},
		"POST /api/v1/visits/{id}/files":              {kind: "visit", keys: visits, see: zhagen.PermVisitView, need: zhagen.PermVisitUpload, file: true},
		"GET /api/v1/consultations":                   {need: zhagen.PermConsultationView},
		"GET /api/v1/consultations/{id}":              {kind: "consultation", see: zhagen.PermConsultationView},
		"GET /api/v1/consultations/{id}/minutes.docx": {kind: "consultation", see: zhagen.PermConsultationView},
		"POST /api/v1/consultations/{id}/attendance": {kind: "consultation", see: zhagen.PermConsultationView, need: zhagen.PermConsultationAttend,
			needFacts: func(v *zoneAPI, a *zhagen.Actor, key string) zhagen.Facts {
				return zhagen.InvitationFacts(must2[*zhagen.Consultation](v.t)(v.z.Consultations.FindConsultationByID(v.z.Sys, v.z.ID(key))))
			}, body: func(*zoneAPI, string) any { return map[string]any{"attendance": "yes"} }},
		"POST /api/v1/consultations/{id}/action-items": {kind: "consultation", see: zhagen.PermConsultationView, need: zhagen.PermItemAdd,
			body: func(v *zoneAPI, _ string) any {
				return map[string]any{"title": "矩阵事项", "owner_dept_id": v.z.ID("dept:edb"), "due_days": 2}
			}},
		"PATCH /api/v1/consultations/{id}": {kind: "consultation", see: zhagen.PermConsultationView, need: zhagen.PermConsultationManage,
			body: version(func(v *zoneAPI, id int64) (any, int64) {
				c := must2[*zhagen.Consultation](v.t)(v.z.Consultations.FindConsultationByID(v.z.Sys, id))
				return c, c.Version
			}, map[string]any{"place": "矩阵会议室"})},
		"POST /api/v1/consultations": {keys: []string{"demand:A", "demand:B", "demand:root", "missing"},
			body: func(v *zoneAPI, key string) any {
				return map[string]any{"kind": "joint", "title": "矩阵会商", "demand_ids": []int64{v.z.ID(key)}}
			},
			want: func(v *zoneAPI, a *zhagen.Actor, key string) []int {
				switch {
				case !zhagen.CanAny(a, zhagen.PermConsultationCreate):
					return []int{http.StatusForbidden}
				case key == "missing" || !zhagen.Can(a, zhagen.PermDemandView, v.z.Facts(a, "demand", v.z.ID(key))):
					return []int{http.StatusUnprocessableEntity}
				}
				return []int{sendNot}
			}},
		"GET /api/v1/action-items":                {need: zhagen.PermItemList},
		"GET /api/v1/action-items/{id}":           {kind: "item", keys: []string{"item:Aopen", "item:Bopen", "item:Adone", "item:Bdone"}, see: zhagen.PermItemView},
		"POST /api/v1/action-items/{id}/complete": {kind: "item", keys: []string{"item:Aopen", "item:Bopen"}, see: zhagen.PermItemView, need: zhagen.PermItemComplete, body: func(*zoneAPI, string) any { return map[string]any{"note": "矩阵"} }},
		"POST /api/v1/action-items/{id}/cancel": {kind: "item", keys: []string{"item:Aopen", "item:Bopen"}, see: zhagen.PermItemView, need: zhagen.PermItemCancel,
			needFacts: func(v *zoneAPI, a *zhagen.Actor, key string) zhagen.Facts {
				it := must2[*zhagen.ActionItem](v.t)(v.z.Consultations.FindActionItemByID(v.z.Sys, v.z.ID(key)))
				return zhagen.ConsultationFacts(must2[*zhagen.Consultation](v.t)(v.z.Consultations.FindConsultationByID(v.z.Sys, it.ConsultationID)), 0, nil, nil)
			}, body: func(*zoneAPI, string) any { return map[string]any{"reason": "矩阵"} }},
		"GET /api/v1/projects": {need: zhagen.PermProjectView},
		"POST /api/v1/projects": {need: zhagen.PermProjectCreate, body: func(v *zoneAPI, _ string) any {
			return map[string]any{"name": "矩阵项目", "level": "district", "owner_enterprise_id": v.z.ID("ent:B")}
		}},
		"GET /api/v1/projects/{id}": {kind: "project", keys: projects, see: zhagen.PermProjectView},
		"PATCH /api/v1/projects/{id}": {kind: "project", keys: projects,
			body: version(func(v *zoneAPI, id int64) (any, int64) {
				p := must2[*zhagen.Project](v.t)(v.z.Projects.FindProjectByID(v.z.Sys, id))
				return p, p.Version
			}, map[string]any{"status": "nearly_done"}),
			want: func(v *zoneAPI, a *zhagen.Actor, key string) []int {
				f := v.z.Facts(a, "project", v.z.ID(key))
				switch {
				case !zhagen.Can(a, zhagen.PermProjectView, f):
					return []int{http.StatusNotFound, http.StatusForbidden}
				case zhagen.Can(a, zhagen.PermProjectEdit, f) || zhagen.Can(a, zhagen.PermProjectStatus, f):
					return []int{sendNot}
				}
				return []int{http.StatusForbidden}
			}},
		"GET /api/v1/projects/{id}/milestones": {kind: "project", keys: projects, see: zhagen.PermProjectView},
		"POST /api/v1/projects/{id}/milestones": {kind: "project", keys: projects, see: zhagen.PermProjectView, need: zhagen.PermMilestoneSave,
			body: func(*zoneAPI, string) any {
				return map[string]any{"name": "矩阵节点", "planned_start": "2026-03-01T00:00:00+08:00", "planned_end": "2026-09-30T00:00:00+08:00"}
			}},
		"GET /api/v1/projects/{id}/approvals": {kind: "project", keys: projects, see: zhagen.PermProjectView},
		"POST /api/v1/projects/{id}/approvals": {kind: "project", keys: projects, see: zhagen.PermProjectView, need: zhagen.PermApprovalFile,
			body: func(v *zoneAPI, _ string) any {
				return map[string]any{"kind": "fire_acceptance", "dept_id": v.z.ID("dept:build")}
			}},
		"GET /api/v1/approvals": {need: zhagen.PermApprovalView},
		"POST /api/v1/approvals/{id}/urge": {kind: "approval", see: zhagen.PermApprovalView, need: zhagen.PermApprovalUrge,
			body: func(*zoneAPI, string) any { return map[string]any{"note": "矩阵催办"} }},
		"POST /api/v1/approvals/{id}/steps": {kind: "approval", see: zhagen.PermApprovalView, need: zhagen.PermApprovalAccept,
			body: func(*zoneAPI, string) any { return map[string]any{"action": "accept"} }},
		"GET /api/v1/project-overview": {need: zhagen.PermProjectOverview},

		"GET /api/v1/linkages": {need: zhagen.PermLinkageView},
		"POST /api/v1/linkages": {need: zhagen.PermLinkageEdit, body: func(v *zoneAPI, _ string) any {
			return map[string]any{"cadre_id": v.z.ID("user:cadre"), "enterprise_id": v.z.ID("ent:B"), "role": "party"}
		}},
		"POST /api/v1/linkages/{id}/end": {kind: "linkage", see: zhagen.PermLinkageView, need: zhagen.PermLinkageEdit},
		"GET /api/v1/visits":             {need: zhagen.PermVisitView},
		"POST /api/v1/visits": at("/api/v1/visits", forEnterprise(zhagen.PermVisitLog, func(v *zoneAPI, a *zhagen.Actor, ent int64) zhagen.Facts {
			return zhagen.VisitFacts(&zhagen.Visit{EnterpriseID: ent, Status: zhagen.VisitLogged}, a.DeptID, v.z.Linked(a, ent))
		}, func(v *zoneAPI, ent int64) any {
			return map[string]any{"enterprise_id": ent, "date": "2026-11-01", "topics": "矩阵走访", "kind": "phone"}
		})),
		"GET /api/v1/visits/{id}": {kind: "visit", keys: visits, see: zhagen.PermVisitView},
		"PUT /api/v1/visits/{id}": {kind: "visit", keys: visits, see: zhagen.PermVisitView, need: zhagen.PermVisitEdit,
			body: version(func(v *zoneAPI, id int64) (any, int64) {
				x := must2[*zhagen.Visit](v.t)(v.z.Linkages.FindVisitByID(v.z.Sys, id))
				return x, x.Version
			}, map[string]any{"date": "2026-11-01", "topics": "矩阵改", "kind": "onsite"})},
		"POST /api/v1/visits/{id}/demand": {kind: "visit", keys: visits, see: zhagen.PermVisitView, need: zhagen.PermVisitDemand,
			body: func(v *zoneAPI, _ string) any {
				return map[string]any{"category_id": v.z.ID("category:A"), "answers": map[string]any{"load_kw": "1"}}
			}},
		// The visits of an enterprise one sees: the list, scoped (the filter
		// matrix checks its rows).
		"GET /api/v1/enterprises/{id}/visits": {keys: []string{"ent:A", "ent:B"}, want: func(v *zoneAPI, a *zhagen.Actor, key string) []int {
			switch {
			case !zhagen.Can(a, zhagen.PermEnterpriseView, v.z.Facts(a, "enterprise", v.z.ID(key))):
				return []int{http.StatusNotFound, http.StatusForbidden}
			case !zhagen.CanAny(a, zhagen.PermVisitView):
				return []int{http.StatusForbidden}
			}
			return []int{http.StatusOK}
		}},
		"GET /api/v1/visit-coverage":           {need: zhagen.PermCoverageView},
		"GET /api/v1/linkage-suggestions":      {need: zhagen.PermSuggestionView},
		"POST /api/v1/linkage-suggestions":     {need: zhagen.PermSuggestionRun, body: func(*zoneAPI, string) any { return map[string]any{"need": 1, "capacity": 5} }},
		"GET /api/v1/linkage-suggestions/{id}": {keys: []string{"suggestion"}, need: zhagen.PermSuggestionView},
		"POST /api/v1/linkage-suggestions/{id}/accept": {keys: []string{"suggestion"}, need: zhagen.PermSuggestionAccept,
			body: func(*zoneAPI, string) any { return map[string]any{} }},
		"GET /api/v1/red-flags": {need: zhagen.PermRedFlagView},
		"POST /api/v1/red-flags/{id}/clear": {kind: "redflag", see: zhagen.PermRedFlagView, need: zhagen.PermRedFlagClear,
			body: func(*zoneAPI, string) any { return map[string]any{"note": "矩阵"} }},
		"GET /api/v1/red-flag-rules": {need: zhagen.PermRedFlagRuleView},
		"POST /api/v1/red-flag-rules": {need: zhagen.PermRedFlagRuleEdit, body: func(*zoneAPI, string) any {
			return map[string]any{"field": "layoffs", "op": ">", "threshold": "10", "reason": "矩阵"}
		}},
		"GET /api/v1/demand-rates":  {need: zhagen.PermRatesView},
		"GET /api/v1/rates/trend":   {need: zhagen.PermRatesView},
		"GET /api/v1/rates/ranking": {need: zhagen.PermRatesView},
		"GET /api/v1/rankings":      {need: zhagen.PermRatesView},
		"GET /api/v1/bulletins":     {need: zhagen.PermBulletinView},
		"POST /api/v1/bulletins": {need: zhagen.PermBulletinDraft, refusedAs: []int{http.StatusForbidden},
			body: func(*zoneAPI, string) any { return map[string]any{"month": "2026-01"} }},
		"GET /api/v1/bulletins/{id}": {need: zhagen.PermBulletinView, path: bulletinPath("")},
		"POST /api/v1/bulletins/{id}/notable": {need: zhagen.PermBulletinDraft, path: bulletinPath("/notable"),
			body: func(*zoneAPI, string) any { return map[string]any{"version": 1, "demand_ids": []int64{}} }},
		"POST /api/v1/bulletins/{id}/commentary": {need: zhagen.PermBulletinIssue, path: bulletinPath("/commentary"),
			body: func(*zoneAPI, string) any { return map[string]any{"version": 1, "commentary": "矩阵批示"} }},
		"POST /api/v1/bulletins/{id}/issue": {need: zhagen.PermBulletinIssue, path: bulletinPath("/issue"),
			body: func(*zoneAPI, string) any { return map[string]any{"version": 1} }},
		"GET /api/v1/screen": {need: zhagen.PermScreenView},

		"POST /api/v1/demands/suggest": {need: zhagen.PermDispatchSuggest, ok: 200, body: func(*zoneAPI, string) any {
			return map[string]any{"title": "夜间频繁跳闸", "description": "影响生产"}
		}},
		"GET /api/v1/demands/similar": {need: zhagen.PermKnowledgeView, path: func(*zoneAPI, string) string { return "/api/v1/demands/similar?text=%E8%B7%B3%E9%97%B8" }},

		"GET /api/v1/policies":                        {need: zhagen.PermPolicyView},
		"POST /api/v1/policies":                       {need: zhagen.PermPolicyEdit},
		"GET /api/v1/policies/{id}":                   {kind: "policy", see: zhagen.PermPolicyView},
		"PUT /api/v1/policies/{id}":                   {kind: "policy", see: zhagen.PermPolicyView, need: zhagen.PermPolicyEdit},
		"POST /api/v1/policies/{id}/publish":          {kind: "policy", see: zhagen.PermPolicyView, need: zhagen.PermPolicyEdit},
		"GET /api/v1/policies/{id}/eligible":          {kind: "policy", see: zhagen.PermPolicyView, need: zhagen.PermPolicyEligible},
		"GET /api/v1/policy-applications":             {need: zhagen.PermAppView},
		"POST /api/v1/policy-applications":            {need: zhagen.PermAppApply},
		"GET /api/v1/policy-applications/{id}":        {kind: "policyapp", see: zhagen.PermAppView},
		"POST /api/v1/policy-applications/{id}/steps": {kind: "policyapp", see: zhagen.PermAppView, need: zhagen.PermAppHandle},
		"GET /api/v1/policy-totals":                   {need: zhagen.PermAppView},
		"GET /api/v1/tags":                            {need: zhagen.PermTagView},
		"POST /api/v1/tags":                           {need: zhagen.PermTagEdit},
		"PUT /api/v1/enterprises/{id}/tags":           {kind: "enterprise", keys: []string{"ent:A", "ent:B"}, see: zhagen.PermEnterpriseView, need: zhagen.PermEnterpriseTag},
		"GET /api/v1/enterprises/{id}/attrs":          {kind: "enterprise", keys: []string{"ent:A", "ent:B"}, see: zhagen.PermEnterpriseView},
		"PUT /api/v1/enterprises/{id}/attrs":          {kind: "enterprise", keys: []string{"ent:A", "ent:B"}, see: zhagen.PermEnterpriseView, need: zhagen.PermEnterpriseAttr},
		"GET /api/v1/enterprises/{id}/profile":        {kind: "enterprise", keys: []string{"ent:A", "ent:B"}, see: zhagen.PermEnterpriseView, need: zhagen.PermProfileView},
		"GET /api/v1/supervision-orders":              {need: zhagen.PermSupervisionView},
		"GET /api/v1/supervision-tallies":             {need: zhagen.PermSupervisionView},
		"POST /api/v1/supervision-orders": {need: zhagen.PermSupervisionRaise, body: func(v *zoneAPI, _ string) any {
			return map[string]any{"subject_kind": "demand", "subject_id": v.z.ID("demand:A"), "requirement": "矩阵督办"}
		}},
		"GET /api/v1/supervision-orders/{id}": {kind: "supervision", keys: []string{"supervision:A", "supervision:B", "supervision:unit"}, see: zhagen.PermSupervisionView},
		"POST /api/v1/supervision-orders/{id}/reply": {kind: "supervision", keys: []string{"supervision:A", "supervision:B", "supervision:unit"},
			see: zhagen.PermSupervisionView, need: zhagen.PermSupervisionReply,
			body: func(*zoneAPI, string) any {
				return map[string]any{"progress": "矩阵回复", "promised_date": "2026-12-31"}
			}},
		"POST /api/v1/supervision-orders/{id}/close": {kind: "supervision", keys: []string{"supervision:A", "supervision:B", "supervision:unit"},
			see: zhagen.PermSupervisionView, need: zhagen.PermSupervisionClose,
			body: func(*zoneAPI, string) any { return map[string]any{"note": "矩阵办结"} }},
		// Imports: the template and an upload need the kind's permission
		// (enterprises by default); a job is its owner's alone, so another
		// id is not found for anyone (TestImportEnterprisesAcceptance).
		"GET /api/v1/imports/template": {need: zhagen.PermEnterpriseImport},
		"POST /api/v1/imports":         {need: zhagen.PermEnterpriseImport, file: true},
		"GET /api/v1/imports/{id}": {path: func(*zoneAPI, string) string { return "/api/v1/imports/0123456789abcdef01234567" },
			want: func(*zoneAPI, *zhagen.Actor, string) []int { return []int{http.StatusNotFound} }},
		"POST /api/v1/imports/{id}/commit": {path: func(*zoneAPI, string) string { return "/api/v1/imports/0123456789abcdef01234567/commit" },
			want: func(*zoneAPI, *zhagen.Actor, string) []int { return []int{http.StatusNotFound} }},
		// The initial-password sheet of a cadre import: the job's owner's
		// alone (TestImportCadresAcceptance).
		"POST /api/v1/imports/{id}/passwords": {path: func(*zoneAPI, string) string { return "/api/v1/imports/0123456789abcdef01234567/passwords" },
			want: func(*zoneAPI, *zhagen.Actor, string) []int { return []int{http.StatusNotFound} }},
		"GET /api/v1/ladder-rules": {need: zhagen.PermLadderEdit},
		"PUT /api/v1/ladder-rules": {need: zhagen.PermLadderEdit, body: func(*zoneAPI, string) any {
			return map[string]any{"warn_pct": 80, "supervise_days": 2, "reply_hours": 16}
		}},
		"GET /api/v1/follow-ups":      {need: zhagen.PermFollowUpView},
		"GET /api/v1/follow-ups/{id}": {kind: "followup", see: zhagen.PermFollowUpView},
		"POST /api/v1/follow-ups/{id}/result": {kind: "followup", see: zhagen.PermFollowUpView, need: zhagen.PermFollowUpRecord,
			body: func(*zoneAPI, string) any {
				return map[string]any{"result": "solved", "method": "phone", "satisfaction": "satisfied", "pressed": false}
			}},
		"GET /api/v1/reply-templates": {need: zhagen.PermReplyTemplateView},
		"POST /api/v1/reply-templates": {need: zhagen.PermReplyTemplateEdit, body: func(v *zoneAPI, _ string) any {
			return map[string]any{"title": "矩阵模板", "body": "矩阵回复{企业名称}", "dept_id": v.z.ID("dept:edb")}
		}},
		"GET /api/v1/reply-templates/{id}": {kind: "reply", keys: replies, see: zhagen.PermReplyTemplateView},
		"PUT /api/v1/reply-templates/{id}": {kind: "reply", keys: replies, see: zhagen.PermReplyTemplateView, need: zhagen.PermReplyTemplateEdit,
			body: func(v *zoneAPI, key string) any {
				t := must2[*zhagen.ReplyTemplate](v.t)(v.z.ReplyTemplates.FindReplyTemplateByID(v.z.Sys, v.z.ID(key)))
				return map[string]any{"title": "矩阵改", "body": t.Body, "dept_id": t.DeptID, "category_id": t.CategoryID, "version": t.Version}
			}},
		"DELETE /api/v1/reply-templates/{id}": {kind: "reply", keys: replies, see: zhagen.PermReplyTemplateView, need: zhagen.PermReplyTemplateEdit},

		"GET /api/v1/positions": {want: all},
		"POST /api/v1/positions": at("/api/v1/positions", forEnterprise(zhagen.PermPositionPost, func(v *zoneAPI, a *zhagen.Actor, ent int64) zhagen.Facts {
			return zhagen.PositionFacts(&zhagen.Position{EnterpriseID: ent})
		}, func(v *zoneAPI, ent int64) any {
			return map[string]any{"enterprise_id": ent, "kind": "fulltime", "title": "矩阵岗位", "number": 1, "place": "高新区"}
		})),
		"GET /api/v1/positions/{id}": {kind: "position", keys: []string{"position:A", "position:B", "position:public"},
			want: func(v *zoneAPI, a *zhagen.Actor, key string) []int {
				switch {
				case zhagen.Can(a, zhagen.PermPositionView, v.z.Facts(a, "position", v.z.ID(key))):
					return []int{http.StatusOK}
				case key == "position:public" && zhagen.CanAny(a, zhagen.PermPositionView):
					// Public on the job board, but an enterprise user reads
					// other enterprises' positions here not at all.
					return []int{http.StatusOK, http.StatusNotFound}
				case key == "position:public":
					return []int{http.StatusOK}
				}
				return []int{http.StatusNotFound}
			}},
		"POST /api/v1/positions/{id}/review": {kind: "position", see: zhagen.PermPositionView, need: zhagen.PermPositionReview,
			body: func(*zoneAPI, string) any { return map[string]any{"approve": true} }},
		"GET /api/v1/surveys": {need: zhagen.PermSurveyView},
		"POST /api/v1/surveys": at("/api/v1/surveys", forEnterprise(zhagen.PermSurveyFill, func(v *zoneAPI, a *zhagen.Actor, ent int64) zhagen.Facts {
			return zhagen.SurveyFacts(&zhagen.Survey{EnterpriseID: ent})
		}, func(v *zoneAPI, ent int64) any {
			return map[string]any{"enterprise_id": ent, "period": "2027", "lines": []any{map[string]any{"major": "软件工程", "count": 2, "difficulty": 1}}}
		})),
		"GET /api/v1/surveys/summary":   {need: zhagen.PermSurveySummary},
		"GET /api/v1/surveys/{id}":      {kind: "survey", see: zhagen.PermSurveyView},
		"GET /api/v1/universities":      {need: zhagen.PermUniversityView},
		"GET /api/v1/universities/{id}": {keys: []string{"dept:university"}, need: zhagen.PermUniversityView},
		"POST /api/v1/universities/{id}/contacts": {keys: []string{"dept:university"}, need: zhagen.PermUniversityContact,
			body: func(*zoneAPI, string) any {
				return map[string]any{"kind": "career", "name": "矩阵老师", "phone": "0591-22866000"}
			}},
		"POST /api/v1/universities/{id}/outreach": {keys: []string{"dept:university"}, need: zhagen.PermUniversityOutreach,
			body: func(*zoneAPI, string) any {
				return map[string]any{"date": "2026-11-02", "kind": "走访", "summary": "矩阵"}
			}},
		"POST /api/v1/graduates/register": {skip: "self-registration is open to everyone: TestAuthorizationTable"},
		"GET /api/v1/graduates":           {want: all},
		"GET /api/v1/graduates/me": {want: func(_ *zoneAPI, a *zhagen.Actor, _ string) []int {
			if a.Has(zhagen.RoleGraduate) {
				return []int{http.StatusOK}
			}
			return []int{http.StatusNotFound, http.StatusForbidden}
		}},
		"GET /api/v1/graduates/{id}": {kind: "graduate", see: zhagen.PermGraduateView},
		// Refused as 404 by UpdateGraduate even to those who see the record.
		"PATCH /api/v1/graduates/{id}": {kind: "graduate", see: zhagen.PermGraduateView, need: zhagen.PermGraduateEdit, refusedAs: []int{http.StatusForbidden, http.StatusNotFound},
			body: version(func(v *zoneAPI, id int64) (any, int64) {
				g := must2[*zhagen.Graduate](v.t)(v.z.Talent.FindGraduateByID(v.z.Sys, id))
				return g, g.Version
			}, map[string]any{"skills": []string{"矩阵"}})},
		"GET /api/v1/programmes": {want: all},
		"POST /api/v1/programmes": {need: zhagen.PermProgrammeCreate, body: func(*zoneAPI, string) any {
			return map[string]any{"name": "矩阵项目", "reg_open": "2026-11-01", "reg_close": "2026-11-30", "max_choices": 3}
		}},
		"GET /api/v1/programmes/{id}":       {keys: []string{"programme"}, want: all},
		"GET /api/v1/programmes/{id}/match": {keys: []string{"programme"}, want: all},
		"POST /api/v1/programmes/{id}/positions": {keys: []string{"programme"}, need: zhagen.PermProgrammePositionAdd,
			body: func(v *zoneAPI, _ string) any {
				return map[string]any{"enterprise_id": v.z.ID("ent:B"), "title": "矩阵岗位", "capacity": 1}
			}},
		// A graduate's choices and withdrawal: the graduate, or a talent
		// manager naming them; each graduate of the zone in turn.
		"PUT /api/v1/programmes/{id}/choices": {kind: "graduate", see: zhagen.PermGraduateView, need: zhagen.PermApplicationEdit,
			path: func(v *zoneAPI, _ string) string {
				return fmt.Sprintf("/api/v1/programmes/%d/choices", v.z.ID("programme"))
			},
			body: func(v *zoneAPI, key string) any {
				return map[string]any{"graduate_id": v.z.ID(key), "position_ids": []int64{v.z.ID("pp:A")}}
			}},
		"POST /api/v1/programmes/{id}/withdraw": {kind: "graduate", see: zhagen.PermGraduateView, need: zhagen.PermApplicationEdit,
			path: func(v *zoneAPI, _ string) string {
				return fmt.Sprintf("/api/v1/programmes/%d/withdraw", v.z.ID("programme"))
			},
			body: func(v *zoneAPI, key string) any { return map[string]any{"graduate_id": v.z.ID(key)} }},
		"POST /api/v1/programmes/{id}/match":              {keys: []string{"programme"}, need: zhagen.PermMatchRun},
		"POST /api/v1/programmes/{id}/match/publish":      {keys: []string{"programme"}, need: zhagen.PermMatchPublish},
		"GET /api/v1/programme-positions/{id}/applicants": {kind: "pp", see: zhagen.PermApplicantView},
		"PUT /api/v1/programme-positions/{id}/ranking": {kind: "pp", see: zhagen.PermApplicantView, need: zhagen.PermApplicantRank,
			body: func(v *zoneAPI, _ string) any { return map[string]any{"graduate_ids": []int64{v.z.ID("graduate:A")}} }},
		"GET /api/v1/service-teams": {need: zhagen.PermTeamView},
		"POST /api/v1/service-teams": {need: zhagen.PermTeamCreate, body: func(v *zoneAPI, _ string) any {
			return map[string]any{"name": "矩阵服务队", "members": []any{map[string]any{"user_id": v.z.ID("user:cadre")}}}
		}},
		"GET /api/v1/service-teams/{id}": {kind: "team", see: zhagen.PermTeamView},
		"POST /api/v1/service-teams/{id}/batches": {kind: "team", see: zhagen.PermTeamView, need: zhagen.PermTeamDispatch,
			body: func(v *zoneAPI, _ string) any {
				return map[string]any{"start_date": "2026-12-01", "end_date": "2026-12-31", "enterprise_ids": []int64{v.z.ID("ent:A")}}
			}},
		"POST /api/v1/service-batches/{id}/logs": {kind: "batch", see: zhagen.PermTeamView, need: zhagen.PermServiceLog,
			body: func(v *zoneAPI, key string) any {
				return map[string]any{"enterprise_id": v.z.ID("ent:" + key[len(key)-1:]), "date": "2026-11-02", "summary": "矩阵"}
			}},
		"PUT /api/v1/service-batches/{id}/resolved": {kind: "batch", see: zhagen.PermTeamView, need: zhagen.PermTeamResolve,
			body: func(*zoneAPI, string) any { return map[string]any{"resolved": "矩阵"} }},

		"GET /api/v1/channels":               {need: zhagen.PermChannelView},
		"POST /api/v1/channels":              {need: zhagen.PermChannelEdit, body: func(*zoneAPI, string) any { return channelBody }},
		"GET /api/v1/channels/{id}":          {need: zhagen.PermChannelView, path: channelPath("")},
		"PUT /api/v1/channels/{id}":          {need: zhagen.PermChannelEdit, path: channelPath(""), body: func(*zoneAPI, string) any { return channelBody }},
		"POST /api/v1/channels/{id}/test":    {need: zhagen.PermChannelTest, path: channelPath("/test")},
		"GET /api/v1/deliveries":             {need: zhagen.PermDeliveryView},
		"GET /api/v1/deliveries/{id}":        {need: zhagen.PermDeliveryView, path: deliveryPath("")},
		"POST /api/v1/deliveries/{id}/retry": {need: zhagen.PermDeliveryRetry, path: deliveryPath("/retry")},
		"GET /api/v1/me/notice-preferences":  {want: all},
		// Everybody sets their own choices: allowed to all, not sent.
		"PUT /api/v1/me/notice-preferences/{id}": {path: func(v *zoneAPI, _ string) string {
			return fmt.Sprintf("/api/v1/me/notice-preferences/%d", zoneChannel(v)[0])
		}, want: func(*zoneAPI, *zhagen.Actor, string) []int { return []int{sendNot} }},
	}
}
