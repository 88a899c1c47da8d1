package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zhagen"
	"zhagen/catalog"
	"zhagen/docx"
	"zhagen/internal/handlerscan"
	"zhagen/notify"
	"zhagen/sheet"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// matrixActors are the users the authorization matrix acts as, "" for
// an anonymous visitor: one of each role, and for staff a member of a
// unit below edb and of the talent centre.
var matrixActors = []string{"admin", "disp", "leader", "staff", "unitstaff", "talentstaff", "cadre", "ent", "grad", ""}

// matrix is the web UI over a sqldbtest.Zone with a session for every
// user of the zone.
type matrix struct {
	t        *testing.T
	z        *sqldbtest.Zone
	h        *Handler
	sessions map[string]string // login → session secret
	bulletin int64             // a draft bulletin, made on first use
}

// bulletinPath is /bulletins/{id}+rest of a draft bulletin of the zone.
func (m *matrix) bulletinPath(rest string) string {
	if m.bulletin == 0 {
		disp := zhagen.NewContextWithActor(context.Background(), m.actor("disp"))
		b, err := sqldb.NewOversightService(m.z.DB).CreateBulletin(disp, m.z.Clock.Now().AddDate(0, -1, 0).Format("2006-01"))
		if err != nil {
			m.t.Fatal(err)
		}
		m.bulletin = b.ID
	}
	return fmt.Sprintf("/bulletins/%d%s", m.bulletin, rest)
}

func newMatrix(t *testing.T, e sqldbtest.Engine) *matrix {
	t.Helper()
	z := sqldbtest.NewZone(t, e)
	h, err := New(Config{
		Enterprises: z.Enterprises, Departments: z.Departments, Users: z.Users, Auth: z.Auth, Logs: z.Logs,
		Demands: z.Demands, Files: z.Files, Categories: z.Categories, Notifications: z.Notifications, Calendar: z.Calendar,
		Linkages: z.Linkages, Talent: z.Talent, Consultations: z.Consultations, Projects: z.Projects, Minutes: docx.Minutes,
		Rates: z.Rates, Intake: z.Intake, Supervision: z.Supervision, Clock: z.Clock, Catalog: catalog.MustLoad(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		FollowUps: z.FollowUps, ReplyTemplates: z.ReplyTemplates, Oversight: sqldb.NewOversightService(z.DB), BulletinDocx: docx.Bulletin, Knowledge: z.Knowledge, Policies: z.Policies,
		Channels: sqldb.NewChannelService(z.DB), ChannelTester: notify.NewCourier(sqldb.NewOutbox(z.DB), sqldb.NewChannelService(z.DB), catalog.MustLoad(), z.Clock),
		Imports: sheet.NewImporter(sqldb.NewImportService(z.DB), z.Clock),
	})
	if err != nil {
		t.Fatal(err)
	}
	m := &matrix{t: t, z: z, h: h, sessions: map[string]string{}}
	for _, login := range sqldbtest.ZoneLogins {
		s, err := z.Auth.CreateSession(context.Background(), z.ID("user:"+login), "192.0.2.1", "matrix")
		if err != nil {
			t.Fatal(err)
		}
		m.sessions[login] = s
	}
	return m
}

// do sends a request as login ("" for none) straight to the handler;
// a form goes as the body of a POST, multipart with a small PDF in the
// field "file" when file is set.
func (m *matrix) do(login, method, path string, form url.Values, file bool) *httptest.ResponseRecorder {
	m.t.Helper()
	var body io.Reader
	ctype := "application/x-www-form-urlencoded"
	switch {
	case file:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, vs := range form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		fw, _ := mw.CreateFormFile("file", "矩阵.pdf")
		fw.Write([]byte("%PDF-1.7 matrix"))
		mw.Close()
		body, ctype = &buf, mw.FormDataContentType()
	case form != nil:
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if login != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: m.sessions[login]})
	}
	w := httptest.NewRecorder()
	m.h.ServeHTTP(w, req)
	return w
}

func (m *matrix) actor(login string) *zhagen.Actor {
	if login == "" {
		return nil
	}
	return m.z.Actors[login]
}

// authzRule says who may use one route. The object of the route is the
// zone record behind {id} (kind and keys); without the permission see on
// it the answer is 404, without need (on it, or on any record when the
// route has none) 403, and otherwise the page (200) or, for a post, the
// action, which the matrix does not send: it checks refusals only, and
// that a refused post changed nothing.
type authzRule struct {
	kind string   // the kind of record {id} names (sqldbtest.Zone.Facts), "" for none
	keys []string // the zone keys {id} takes; default kind:A and kind:B
	see  zhagen.Perm
	need zhagen.Perm
	// needFacts, when set, are the facts need is checked on instead of
	// the object's (an invitation, an item's consultation).
	needFacts func(m *matrix, a *zhagen.Actor, key string) zhagen.Facts
	// every says need must hold for every record (a list of all of
	// them), not for some.
	every bool
	form  url.Values
	// formFor, when set, builds the form for key instead of form.
	formFor func(m *matrix, key string) url.Values
	// file sends the form as multipart with a small PDF in "file".
	file bool
	// path builds the request path for key when the pattern has more
	// than {id}.
	path func(m *matrix, key string) string
	// want, when set, decides the answer instead: the statuses allowed.
	want func(m *matrix, a *zhagen.Actor, key string) []int
	ok   int    // the status of an allowed GET; default 200
	skip string // why the route is not exercised here, and where it is
}

// allowedPost marks an allowed post, which the matrix does not send.
const allowedPost = -1

// anyAnswer is a want for routes every caller may use: anything but a
// server error.
func anyAnswer(*matrix, *zhagen.Actor, string) []int { return nil }

func (m *matrix) facts(a *zhagen.Actor, kind, key string) zhagen.Facts {
	return m.z.Facts(a, kind, m.z.ID(key))
}

// expect returns the statuses a route may answer the actor with on key.
func (m *matrix) expect(route Route, r authzRule, a *zhagen.Actor, key string) []int {
	if a == nil && route.Login {
		return []int{http.StatusSeeOther}
	}
	if r.want != nil {
		return r.want(m, a, key)
	}
	var f zhagen.Facts
	if r.kind != "" {
		f = m.facts(a, r.kind, objectKey(key))
	}
	can := func(p zhagen.Perm) bool {
		switch {
		case r.every:
			all, _ := zhagen.ScopeOf(a, p)
			return all
		case r.kind == "":
			return zhagen.CanAny(a, p)
		case r.needFacts != nil && p == r.need:
			return zhagen.Can(a, p, r.needFacts(m, a, key))
		}
		return zhagen.Can(a, p, f)
	}
	if r.kind != "" && r.see != "" && !zhagen.Can(a, r.see, f) {
		// Not seeing the object is a 404; a 403 of a permission the actor
		// holds on no object at all reveals nothing either.
		if !zhagen.CanAny(a, r.see) || r.need != "" && !zhagen.CanAny(a, r.need) {
			return []int{http.StatusNotFound, http.StatusForbidden}
		}
		return []int{http.StatusNotFound}
	}
	if r.need != "" && !can(r.need) {
		return []int{http.StatusForbidden}
	}
	if route.Method == http.MethodPost {
		return []int{allowedPost}
	}
	if r.ok != 0 {
		return []int{r.ok}
	}
	return []int{http.StatusOK}
}

// resolve returns form with every "@key" value replaced by the zone id.
func (m *matrix) resolve(form url.Values) url.Values {
	if form == nil {
		return nil
	}
	out := url.Values{}
	for k, vs := range form {
		for _, v := range vs {
			if key, ok := strings.CutPrefix(v, "@"); ok {
				v = strconv.FormatInt(m.z.ID(key), 10)
			}
			out.Add(k, v)
		}
	}
	return out
}

// objectKey is the zone key of the record a variant key names: the part
// before "|", after which a rule may name a variant of its form.
func objectKey(key string) string {
	k, _, _ := strings.Cut(key, "|")
	return k
}

func (r authzRule) variants() []string {
	switch {
	case r.keys != nil:
		return r.keys
	case r.kind != "":
		return []string{r.kind + ":A", r.kind + ":B"}
	}
	return []string{""}
}

func (m *matrix) pathOf(route Route, r authzRule, key string) string {
	if r.path != nil {
		return r.path(m, key)
	}
	p := route.Pattern
	if key != "" {
		p = strings.Replace(p, "{id}", strconv.FormatInt(m.z.ID(objectKey(key)), 10), 1)
	}
	return strings.TrimSuffix(p, "{$}")
}

// TestAuthorizationMatrix walks every route the web UI registers, as
// every role, on a record of each side of the zone, and checks the answer
// against what the policy allows; a refused post must leave every table
// as it was. A route without a rule fails.
func TestAuthorizationMatrix(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		m := newMatrix(t, e)
		rules := webAuthzRules()
		seen := map[string]bool{}
		requests, answers := 0, map[int]int{}
		mentions := m.z.Mentions()
		for _, route := range m.h.Routes() {
			key := strings.TrimSpace(route.Method + " " + route.Pattern)
			seen[key] = true
			r, ok := rules[key]
			if !ok {
				t.Errorf("route %s has no rule in webAuthzRules", key)
				continue
			}
			if r.skip != "" {
				continue
			}
			method := route.Method
			if method == "" {
				method = http.MethodGet
			}
			for _, obj := range r.variants() {
				path := m.pathOf(route, r, obj)
				before := ""
				if method == http.MethodPost {
					before = m.z.Digest()
				}
				for _, login := range matrixActors {
					want := m.expect(route, r, m.actor(login), obj)
					if slices.Equal(want, []int{allowedPost}) {
						continue
					}
					form := m.resolve(r.form)
					if r.formFor != nil {
						form = r.formFor(m, obj)
					}
					if method == http.MethodPost && form == nil {
						form = url.Values{}
					}
					res := m.do(login, method, path, form, r.file)
					requests++
					answers[res.Code]++
					switch {
					case res.Code >= 500:
						t.Errorf("%s %s as %q (%s): %d", method, path, login, obj, res.Code)
					case want != nil && !slices.Contains(want, res.Code):
						t.Errorf("%s %s as %q (%s): %d, want %v (%s)", method, path, login, obj, res.Code, want, pageTitle(res.Body.String()))
					case res.Code == http.StatusOK && login != "":
						m.checkMentions(t, key, method+" "+path, login, res.Body.String(), mentions)
					}
				}
				if method == http.MethodPost {
					if after := m.z.Digest(); after != before {
						t.Errorf("%s %s: refused posts changed the database", method, path)
					}
				}
			}
		}
		for key := range rules {
			if !seen[key] {
				t.Errorf("webAuthzRules has a rule for %s, which is not a route", key)
			}
		}
		// Every registration in the source is served: the matrix's Config
		// leaves out no optional service.
		src, err := handlerscan.Parse(".")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range src.Registrations("auth", "public") {
			if !seen[r.Pattern] {
				t.Errorf("%s is registered in the source but not served here: a service missing from newMatrix's Config?", r.Pattern)
			}
		}
		t.Logf("%d requests, answers by status %v", requests, answers)
	})
}

// ownerFileRule is the rule of an address of before files were one type,
// /{prefix with the owner}/{file}: each file under its own owner's address
// and under the other's, which must not serve it. Keys are "file@owner".
func ownerFileRule(prefix, fileA, fileB, ownerA, ownerB string) authzRule {
	split := func(m *matrix, key string) (file, owner int64) {
		f, o, _ := strings.Cut(key, "@")
		return m.z.ID(f), m.z.ID(o)
	}
	return authzRule{
		keys: keys(fileA+"@"+ownerA, fileB+"@"+ownerB, fileA+"@"+ownerB, fileB+"@"+ownerA),
		path: func(m *matrix, key string) string {
			file, owner := split(m, key)
			return "/" + fmt.Sprintf(prefix, owner) + "/" + strconv.FormatInt(file, 10)
		},
		want: func(m *matrix, a *zhagen.Actor, key string) []int {
			file, owner := split(m, key)
			kind, real := m.z.FileOwner(file)
			view := sqldbtest.FileView(kind)
			if owner == real && zhagen.Can(a, view, m.z.Facts(a, kind, real)) {
				return []int{http.StatusOK}
			}
			if !zhagen.CanAny(a, view) {
				return []int{http.StatusNotFound, http.StatusForbidden}
			}
			return []int{http.StatusNotFound}
		},
	}
}

// forEnterprise is the rule of a post that names the enterprise in its
// form: each side's enterprise in turn, allowed when need holds on the
// facts fill builds for it.
func forEnterprise(path string, need zhagen.Perm, facts func(m *matrix, a *zhagen.Actor, ent int64) zhagen.Facts,
	form func(m *matrix, ent string) url.Values) authzRule {
	return authzRule{
		keys: keys("ent:A", "ent:B"),
		path: func(*matrix, string) string { return path },
		formFor: func(m *matrix, key string) url.Values {
			return form(m, strconv.FormatInt(m.z.ID(key), 10))
		},
		want: func(m *matrix, a *zhagen.Actor, key string) []int {
			if zhagen.Can(a, need, facts(m, a, m.z.ID(key))) {
				return []int{allowedPost}
			}
			if need == zhagen.PermDemandCreate && zhagen.OwnEnterpriseOnly(a) {
				return []int{allowedPost} // files for its own enterprise, whichever the form names
			}
			// Refused: 403, or 404 from a service that answers "no such
			// enterprise, or not yours" (a cadre's visit to an enterprise it
			// is not linked to).
			return []int{http.StatusForbidden, http.StatusNotFound}
		},
	}
}

// ownGraduate is the want of the graduate's own record: ok for a
// graduate (who has one in the zone), 404 for everybody else.
func ownGraduate(ok int) func(*matrix, *zhagen.Actor, string) []int {
	return func(_ *matrix, a *zhagen.Actor, _ string) []int {
		if a.Has(zhagen.RoleGraduate) {
			return []int{ok}
		}
		return []int{http.StatusNotFound, http.StatusForbidden}
	}
}

// pageTitle is the <title> of a page, for messages.
func pageTitle(body string) string {
	_, after, _ := strings.Cut(body, "<title>")
	title, _, _ := strings.Cut(after, "</title>")
	return title
}

// keys lists zone keys.
func keys(ks ...string) []string { return ks }

// webAuthzRules are the rules of every route of the web UI, keyed by
// method and pattern as Routes lists them.
func webAuthzRules() map[string]authzRule {
	demands := keys("demand:A", "demand:B", "demand:unit", "demand:root", "demand:problemA", "demand:problemB", "demand:channelA")
	projects := keys("project:A", "project:B", "project:D")
	visits := keys("visit:A", "visit:B", "visit:Aplanned")
	orders := keys("supervision:A", "supervision:B", "supervision:unit")
	invitation := func(m *matrix, a *zhagen.Actor, key string) zhagen.Facts {
		c, err := m.z.Consultations.FindConsultationByID(m.z.Sys, m.z.ID(key))
		if err != nil {
			m.t.Fatal(err)
		}
		return zhagen.InvitationFacts(c)
	}
	itemConsultation := func(m *matrix, a *zhagen.Actor, key string) zhagen.Facts {
		it, err := m.z.Consultations.FindActionItemByID(m.z.Sys, m.z.ID(key))
		if err != nil {
			m.t.Fatal(err)
		}
		c, err := m.z.Consultations.FindConsultationByID(m.z.Sys, it.ConsultationID)
		if err != nil {
			m.t.Fatal(err)
		}
		return zhagen.ConsultationFacts(c, 0, nil, nil)
	}
	everyone := func(*matrix, *zhagen.Actor, string) []int { return []int{http.StatusOK} }
	return map[string]authzRule{
		"GET /static/":              {path: func(*matrix, string) string { return "/static/app.css" }, want: everyone},
		"GET /sw.js":                {want: everyone},
		"GET /manifest.webmanifest": {want: everyone},
		"GET /favicon.ico":          {want: everyone},
		"GET /login":                {want: anyAnswer},
		"POST /login":               {skip: "logging in: TestLogin and the login tests"},
		"GET /lang":                 {want: func(*matrix, *zhagen.Actor, string) []int { return []int{http.StatusSeeOther} }},
		"POST /logout":              {skip: "ends the session the matrix acts with; TestLogout"},
		"GET /account/password":     {want: everyone},
		"POST /account/password":    {skip: "changing one's own password: TestChangeOwnPassword"},
		"GET /{$}":                  {want: everyone},

		"GET /enterprises":               {need: zhagen.PermEnterpriseView},
		"GET /enterprises/new":           {need: zhagen.PermEnterpriseCreate},
		"POST /enterprises":              {need: zhagen.PermEnterpriseCreate},
		"GET /enterprises/{id}":          {kind: "enterprise", keys: keys("ent:A", "ent:B"), see: zhagen.PermEnterpriseView},
		"GET /enterprises/{id}/edit":     {kind: "enterprise", keys: keys("ent:A", "ent:B"), see: zhagen.PermEnterpriseView, need: zhagen.PermEnterpriseEdit},
		"POST /enterprises/{id}":         {kind: "enterprise", keys: keys("ent:A", "ent:B"), see: zhagen.PermEnterpriseView, need: zhagen.PermEnterpriseEdit},
		"POST /enterprises/{id}/archive": {kind: "enterprise", keys: keys("ent:A", "ent:B"), see: zhagen.PermEnterpriseView, need: zhagen.PermEnterpriseEdit},
		"GET /enterprises/{id}/linkage":  {kind: "enterprise", keys: keys("ent:A", "ent:B"), see: zhagen.PermEnterpriseView},

		"GET /departments":           {need: zhagen.PermDepartmentTree},
		"GET /departments/new":       {need: zhagen.PermDepartmentCreate},
		"POST /departments":          {need: zhagen.PermDepartmentCreate},
		"GET /departments/{id}/edit": {keys: keys("dept:edb", "dept:build"), need: zhagen.PermDepartmentEdit},
		"POST /departments/{id}":     {keys: keys("dept:edb", "dept:build"), need: zhagen.PermDepartmentEdit},

		"GET /users": {want: func(m *matrix, a *zhagen.Actor, _ string) []int {
			if zhagen.SeesOthers(a, zhagen.PermUserView) {
				return []int{http.StatusOK}
			}
			return []int{http.StatusForbidden}
		}},
		"GET /users/new":            {need: zhagen.PermUserCreate},
		"POST /users":               {need: zhagen.PermUserCreate},
		"GET /users/{id}/edit":      {kind: "user", keys: keys("user:staff", "user:buildstaff"), need: zhagen.PermUserEdit},
		"POST /users/{id}":          {kind: "user", keys: keys("user:staff", "user:buildstaff"), need: zhagen.PermUserEdit},
		"POST /users/{id}/password": {kind: "user", keys: keys("user:staff", "user:buildstaff"), need: zhagen.PermUserPassword},

		"GET /industries":              {need: zhagen.PermIndustryEdit},
		"POST /industries":             {need: zhagen.PermIndustryEdit},
		"POST /industries/{id}/delete": {keys: keys("industry"), need: zhagen.PermIndustryEdit},

		"GET /demands":           {need: zhagen.PermDemandView},
		"GET /demands/inbox":     {need: zhagen.PermDemandUpdate},
		"GET /demands/board":     {need: zhagen.PermDemandAssign},
		"GET /demands/new":       {need: zhagen.PermDemandCreate},
		"GET /demands/questions": {want: everyone},
		// Filing names the enterprise in the form: each side's.
		"POST /demands": forEnterprise("/demands", zhagen.PermDemandCreate, func(m *matrix, a *zhagen.Actor, ent int64) zhagen.Facts {
			return zhagen.FilingFacts(a, ent, m.z.Linked(a, ent), 0)
		}, func(m *matrix, ent string) url.Values {
			return url.Values{"title": {"矩阵诉求"}, "description": {"矩阵"}, "category_id": {strconv.FormatInt(m.z.ID("category:A"), 10)},
				"enterprise_id": {ent}, "answers.load_kw": {"10"}, "key": {"matrix-" + ent}}
		}),
		"GET /demands/{id}": {kind: "demand", keys: demands, see: zhagen.PermDemandView},
		// A progress note on every demand; linking and merging name a
		// target, which the caller must see: one it does not is answered as
		// one that does not exist.
		"POST /demands/{id}/actions": {kind: "demand", see: zhagen.PermDemandView,
			keys: append(slices.Clone(demands), "demand:A|link:demand:B", "demand:A|link:demand:root", "demand:A|link:missing",
				"demand:A|merge:demand:unit", "demand:B|link:demand:problemB", "demand:B|link:missing"),
			formFor: func(m *matrix, key string) url.Values {
				_, variant, ok := strings.Cut(key, "|")
				if !ok {
					return url.Values{"action": {"update"}, "note": {"矩阵测试"}}
				}
				action, target, _ := strings.Cut(variant, ":")
				return url.Values{"action": {action}, "target_id": {strconv.FormatInt(m.z.ID(target), 10)}, "note": {"矩阵"}}
			},
			want: func(m *matrix, a *zhagen.Actor, key string) []int {
				obj, variant, _ := strings.Cut(key, "|")
				f := m.facts(a, "demand", obj)
				need := zhagen.PermDemandUpdate
				action, target, _ := strings.Cut(variant, ":")
				if action != "" {
					need = map[string]zhagen.Perm{"link": zhagen.PermDemandLink, "merge": zhagen.PermDemandMerge}[action]
				}
				switch {
				case !zhagen.Can(a, zhagen.PermDemandView, f):
					return []int{http.StatusNotFound, http.StatusForbidden}
				case !zhagen.Can(a, need, f):
					return []int{http.StatusForbidden}
				case target != "" && (target == "missing" || !zhagen.Can(a, zhagen.PermDemandView, m.facts(a, "demand", target))):
					return []int{http.StatusUnprocessableEntity}
				}
				return []int{allowedPost}
			}},
		"POST /demands/{id}/attachments":      {kind: "demand", keys: demands, see: zhagen.PermDemandView, need: zhagen.PermDemandAttach, file: true},
		"GET /demands/{id}/attachments/{aid}": ownerFileRule("demands/%d/attachments", "file:demandA", "file:demandB", "demand:A", "demand:B"),
		"GET /files/{id}": {kind: "file", keys: keys("file:demandA", "file:demandB", "file:visitA", "file:visitB", "file:itemA", "file:itemB"),
			want: func(m *matrix, a *zhagen.Actor, key string) []int {
				kind, owner := m.z.FileOwner(m.z.ID(key))
				if zhagen.Can(a, sqldbtest.FileView(kind), m.z.Facts(a, kind, owner)) {
					return []int{http.StatusOK}
				}
				return []int{http.StatusNotFound}
			}},

		"GET /categories":           {need: zhagen.PermCategoryEdit},
		"GET /categories/new":       {need: zhagen.PermCategoryEdit},
		"POST /categories":          {need: zhagen.PermCategoryEdit},
		"GET /categories/{id}/edit": {keys: keys("category:A", "category:B"), need: zhagen.PermCategoryEdit},
		"POST /categories/{id}":     {keys: keys("category:A", "category:B"), need: zhagen.PermCategoryEdit},

		"GET /calendar":            {need: zhagen.PermCalendarPage},
		"POST /calendar/overrides": {need: zhagen.PermCalendarEdit, form: url.Values{"date": {"2026-12-31"}, "working": {"0"}, "name": {"矩阵"}}},
		"POST /calendar/overrides/{date}/delete": {need: zhagen.PermCalendarEdit,
			path: func(*matrix, string) string { return "/calendar/overrides/2026-12-31/delete" }},

		"GET /notifications": {want: everyone},
		// Marking another user's message read changes nothing and answers
		// as marking one already read.
		"POST /notifications/read": {keys: keys("notification:ent", "notification:staff"),
			formFor: func(m *matrix, key string) url.Values { return url.Values{"id": {strconv.FormatInt(m.z.ID(key), 10)}} },
			want: func(_ *matrix, a *zhagen.Actor, key string) []int {
				if "notification:"+a.Login == key {
					return []int{allowedPost}
				}
				return []int{http.StatusSeeOther, http.StatusNotFound}
			}},
		"GET /logs/ops":    {need: zhagen.PermOpLogView},
		"GET /logs/logins": {need: zhagen.PermLoginLogView},

		// Talent.
		"GET /jobs": {want: everyone},
		"GET /jobs/{id}": {keys: keys("position:public", "position:A"), want: func(_ *matrix, _ *zhagen.Actor, key string) []int {
			if key == "position:public" {
				return []int{http.StatusOK}
			}
			return []int{http.StatusNotFound}
		}},
		"GET /register":  {want: anyAnswer},
		"POST /register": {skip: "self-registration is open to everyone; TestRegister"},
		// Approved positions are public: every user gets the list, which
		// shows the others only to PermPositionView (the filter matrix).
		"GET /positions":     {want: everyone},
		"GET /positions/new": {need: zhagen.PermPositionPost},
		"POST /positions": forEnterprise("/positions", zhagen.PermPositionPost, func(m *matrix, a *zhagen.Actor, ent int64) zhagen.Facts {
			return zhagen.PositionFacts(&zhagen.Position{EnterpriseID: ent})
		}, func(m *matrix, ent string) url.Values {
			return url.Values{"enterprise_id": {ent}, "kind": {"fulltime"}, "title": {"矩阵岗位"}, "majors": {"软件工程"}, "number": {"1"}, "place": {"高新区"}}
		}),
		"POST /positions/{id}/review": {kind: "position", see: zhagen.PermPositionView, need: zhagen.PermPositionReview,
			form: url.Values{"decision": {"approve"}}},
		"GET /surveys":     {need: zhagen.PermSurveyView},
		"GET /surveys/new": {need: zhagen.PermSurveyFill},
		"POST /surveys": forEnterprise("/surveys", zhagen.PermSurveyFill, func(m *matrix, a *zhagen.Actor, ent int64) zhagen.Facts {
			return zhagen.SurveyFacts(&zhagen.Survey{EnterpriseID: ent})
		}, func(m *matrix, ent string) url.Values {
			return url.Values{"enterprise_id": {ent}, "period": {"2027"}, "major": {"软件工程"}, "count": {"2"}, "difficulty": {"1"}}
		}),
		"GET /universities":                {need: zhagen.PermUniversityView},
		"GET /universities/{id}":           {keys: keys("dept:university"), need: zhagen.PermUniversityView},
		"POST /universities/{id}/contacts": {keys: keys("dept:university"), need: zhagen.PermUniversityContact},
		"POST /universities/{id}/contacts/{cid}/delete": {keys: keys("dept:university"), need: zhagen.PermUniversityContact,
			path: func(m *matrix, _ string) string {
				return fmt.Sprintf("/universities/%d/contacts/%d/delete", m.z.ID("dept:university"), m.z.ID("ucontact"))
			}},
		"POST /universities/{id}/outreach": {keys: keys("dept:university"), need: zhagen.PermUniversityOutreach},
		"GET /graduates": {want: func(_ *matrix, a *zhagen.Actor, _ string) []int {
			switch {
			case a.Has(zhagen.RoleGraduate):
				return []int{http.StatusSeeOther} // to their own record
			case zhagen.CanAny(a, zhagen.PermGraduateView):
				return []int{http.StatusOK}
			}
			return []int{http.StatusForbidden}
		}},
		"GET /graduates/me":               {want: ownGraduate(http.StatusOK)},
		"POST /graduates/me":              {want: ownGraduate(allowedPost)},
		"GET /programmes":                 {need: zhagen.PermProgrammeView},
		"POST /programmes":                {need: zhagen.PermProgrammeCreate},
		"GET /programmes/{id}":            {keys: keys("programme"), need: zhagen.PermProgrammeView},
		"POST /programmes/{id}/positions": {keys: keys("programme"), need: zhagen.PermProgrammePositionAdd},
		"POST /programmes/{id}/choices":   {keys: keys("programme"), need: zhagen.PermApplicationEdit},
		// Withdrawing a graduate's application: the graduate, or a talent
		// manager naming them.
		"POST /programmes/{id}/withdraw": {kind: "graduate", see: zhagen.PermGraduateView, need: zhagen.PermApplicationEdit,
			path: func(m *matrix, _ string) string { return fmt.Sprintf("/programmes/%d/withdraw", m.z.ID("programme")) },
			formFor: func(m *matrix, key string) url.Values {
				return url.Values{"graduate_id": {strconv.FormatInt(m.z.ID(key), 10)}}
			}},
		"POST /programmes/{id}/match":            {keys: keys("programme"), need: zhagen.PermMatchRun},
		"GET /programmes/{id}/run":               {keys: keys("programme"), need: zhagen.PermProgrammeView},
		"POST /programmes/{id}/publish":          {keys: keys("programme"), need: zhagen.PermMatchPublish},
		"GET /programme-positions/{id}":          {kind: "pp", see: zhagen.PermApplicantView},
		"POST /programme-positions/{id}/ranking": {kind: "pp", see: zhagen.PermApplicantView, need: zhagen.PermApplicantRank},
		"GET /service-teams":                     {need: zhagen.PermTeamView},
		"POST /service-teams":                    {need: zhagen.PermTeamCreate},
		"GET /service-teams/{id}":                {kind: "team", see: zhagen.PermTeamView},
		"POST /service-teams/{id}/batches":       {kind: "team", see: zhagen.PermTeamView, need: zhagen.PermTeamDispatch},
		"POST /service-batches/{id}/logs": {kind: "batch", see: zhagen.PermTeamView, need: zhagen.PermServiceLog,
			formFor: func(m *matrix, key string) url.Values {
				return url.Values{"enterprise_id": {strconv.FormatInt(m.z.ID("ent:"+key[len(key)-1:]), 10)}, "date": {"2026-11-02"}, "summary": {"矩阵走访"}}
			}},
		"POST /service-batches/{id}/resolved": {kind: "batch", see: zhagen.PermTeamView, need: zhagen.PermTeamResolve},

		// Linkages, visits, red flags, suggestions.
		"GET /linkages": {need: zhagen.PermLinkageView, every: true},
		"GET /linkages/mine": {want: func(_ *matrix, a *zhagen.Actor, _ string) []int {
			if a.Has(zhagen.RoleCadre) {
				return []int{http.StatusOK}
			}
			return []int{http.StatusForbidden}
		}},
		"POST /linkages":          {need: zhagen.PermLinkageEdit},
		"POST /linkages/{id}/end": {kind: "linkage", see: zhagen.PermLinkageView, need: zhagen.PermLinkageEdit},
		"GET /visits":             {need: zhagen.PermVisitView},
		"GET /visits/new":         {need: zhagen.PermVisitLog},
		"POST /visits": forEnterprise("/visits", zhagen.PermVisitLog, func(m *matrix, a *zhagen.Actor, ent int64) zhagen.Facts {
			return zhagen.VisitFacts(&zhagen.Visit{EnterpriseID: ent, Status: zhagen.VisitLogged}, a.DeptID, m.z.Linked(a, ent))
		}, func(m *matrix, ent string) url.Values {
			return url.Values{"enterprise_id": {ent}, "status": {"logged"}, "date": {"2026-11-02"}, "kind": {"onsite"}, "topics": {"矩阵走访"}}
		}),
		"GET /visits/sync":                      {need: zhagen.PermVisitLog},
		"GET /visits/coverage":                  {need: zhagen.PermCoverageView},
		"GET /visits/{id}":                      {kind: "visit", keys: visits, see: zhagen.PermVisitView},
		"GET /visits/{id}/edit":                 {kind: "visit", keys: visits, see: zhagen.PermVisitView, need: zhagen.PermVisitEdit},
		"POST /visits/{id}":                     {kind: "visit", keys: visits, see: zhagen.PermVisitView, need: zhagen.PermVisitEdit},
		"POST /visits/{id}/demand":              {kind: "visit", keys: visits, see: zhagen.PermVisitView, need: zhagen.PermVisitDemand},
		"POST /visits/{id}/files":               {kind: "visit", keys: visits, see: zhagen.PermVisitView, need: zhagen.PermVisitUpload, file: true},
		"GET /visits/{id}/files/{fid}":          ownerFileRule("visits/%d/files", "file:visitA", "file:visitB", "visit:A", "visit:B"),
		"GET /red-flags":                        {need: zhagen.PermRedFlagView},
		"POST /red-flags/{id}/clear":            {kind: "redflag", see: zhagen.PermRedFlagView, need: zhagen.PermRedFlagClear, form: url.Values{"note": {"矩阵"}}},
		"POST /red-flag-rules":                  {need: zhagen.PermRedFlagRuleEdit},
		"POST /red-flag-rules/{id}":             {keys: keys("rule"), need: zhagen.PermRedFlagRuleEdit},
		"GET /linkage-suggestions":              {need: zhagen.PermSuggestionView},
		"POST /linkage-suggestions":             {need: zhagen.PermSuggestionRun, form: url.Values{"need": {"1"}, "capacity": {"5"}}},
		"GET /linkage-suggestions/{id}":         {keys: keys("suggestion"), need: zhagen.PermSuggestionView},
		"POST /linkage-suggestions/{id}/accept": {keys: keys("suggestion"), need: zhagen.PermSuggestionAccept, form: url.Values{"all": {"1"}}},

		// Consultations, action items, projects, approvals.
		"GET /consultations":     {need: zhagen.PermConsultationView},
		"GET /consultations/new": {need: zhagen.PermConsultationCreate},
		// Linking a demand the convener does not see answers as linking one
		// that does not exist.
		"POST /consultations": {keys: keys("demand:A", "demand:B", "demand:root", "missing"),
			formFor: func(m *matrix, key string) url.Values {
				return url.Values{"kind": {"joint"}, "title": {"矩阵会商"}, "starts_at": {"2026-11-03T15:00"}, "place": {"会议室"},
					"demand_ids": {strconv.FormatInt(m.z.ID(key), 10)}}
			},
			want: func(m *matrix, a *zhagen.Actor, key string) []int {
				switch {
				case !zhagen.CanAny(a, zhagen.PermConsultationCreate):
					return []int{http.StatusForbidden}
				case key == "missing" || !zhagen.Can(a, zhagen.PermDemandView, m.z.Facts(a, "demand", m.z.ID(key))):
					return []int{http.StatusUnprocessableEntity}
				}
				return []int{allowedPost}
			}},
		"GET /consultations/{id}":              {kind: "consultation", see: zhagen.PermConsultationView},
		"POST /consultations/{id}":             {kind: "consultation", see: zhagen.PermConsultationView, need: zhagen.PermConsultationManage},
		"POST /consultations/{id}/attendance":  {kind: "consultation", see: zhagen.PermConsultationView, need: zhagen.PermConsultationAttend, needFacts: invitation, form: url.Values{"attendance": {"yes"}}},
		"POST /consultations/{id}/items":       {kind: "consultation", see: zhagen.PermConsultationView, need: zhagen.PermItemAdd},
		"GET /consultations/{id}/minutes.docx": {kind: "consultation", see: zhagen.PermConsultationView},
		"GET /action-items":                    {need: zhagen.PermConsultationView},
		"POST /action-items/{id}/complete":     {kind: "item", keys: keys("item:Aopen", "item:Bopen"), see: zhagen.PermItemView, need: zhagen.PermItemComplete},
		"POST /action-items/{id}/cancel":       {kind: "item", keys: keys("item:Aopen", "item:Bopen"), see: zhagen.PermItemView, need: zhagen.PermItemCancel, needFacts: itemConsultation},
		"GET /action-items/{id}/evidence":      {kind: "item", keys: keys("item:Adone", "item:Bdone"), see: zhagen.PermItemView},
		"GET /projects":                        {need: zhagen.PermProjectView},
		"GET /projects/overview":               {need: zhagen.PermProjectOverview},
		"GET /projects/new":                    {need: zhagen.PermProjectCreate},
		"POST /projects":                       {need: zhagen.PermProjectCreate},
		"GET /projects/{id}/edit":              {kind: "project", keys: projects, see: zhagen.PermProjectView, need: zhagen.PermProjectEdit},
		// Who reports progress saves the stage through the same form
		// (ProjectService.UpdateProject).
		"POST /projects/{id}/edit": {kind: "project", keys: projects, want: func(m *matrix, a *zhagen.Actor, key string) []int {
			f := m.facts(a, "project", key)
			switch {
			case !zhagen.Can(a, zhagen.PermProjectView, f):
				return []int{http.StatusNotFound, http.StatusForbidden}
			case zhagen.Can(a, zhagen.PermProjectEdit, f) || zhagen.Can(a, zhagen.PermProjectStatus, f):
				return []int{allowedPost}
			}
			return []int{http.StatusForbidden}
		}},
		"GET /projects/{id}":             {kind: "project", keys: projects, see: zhagen.PermProjectView},
		"POST /projects/{id}/status":     {kind: "project", keys: projects, see: zhagen.PermProjectView, need: zhagen.PermProjectStatus, form: url.Values{"status": {"nearly_done"}}},
		"POST /projects/{id}/milestones": {kind: "project", keys: projects, see: zhagen.PermProjectView, need: zhagen.PermMilestoneSave},
		"POST /projects/{id}/approvals":  {kind: "project", keys: projects, see: zhagen.PermProjectView, need: zhagen.PermApprovalFile},
		// A problem is filed for the project's owner enterprise: raising it
		// asks PermProjectRaise, filing PermDemandCreate (a cadre: linked to
		// the owner, or the project's liaison).
		"POST /projects/{id}/problems": {kind: "project", keys: projects,
			form: url.Values{"title": {"矩阵问题"}, "description": {"矩阵"}, "category_id": {"@category:B"}},
			want: func(m *matrix, a *zhagen.Actor, key string) []int {
				p, err := m.z.Projects.FindProjectByID(m.z.Sys, m.z.ID(key))
				if err != nil {
					m.t.Fatal(err)
				}
				f := m.facts(a, "project", key)
				switch {
				case !zhagen.Can(a, zhagen.PermProjectView, f):
					return []int{http.StatusNotFound, http.StatusForbidden}
				case !zhagen.Can(a, zhagen.PermProjectRaise, f):
					return []int{http.StatusForbidden, http.StatusUnprocessableEntity}
				case !zhagen.Can(a, zhagen.PermDemandCreate, zhagen.FilingFacts(a, p.OwnerEnterpriseID, m.z.Linked(a, p.OwnerEnterpriseID), p.LiaisonID)):
					return []int{http.StatusForbidden}
				}
				return []int{allowedPost}
			}},
		"GET /approvals":             {need: zhagen.PermApprovalView},
		"POST /approvals/{id}/urge":  {kind: "approval", see: zhagen.PermApprovalView, need: zhagen.PermApprovalUrge, form: url.Values{"note": {"矩阵催办"}}},
		"POST /approvals/{id}/steps": {kind: "approval", see: zhagen.PermApprovalView, need: zhagen.PermApprovalAccept, form: url.Values{"action": {"accept"}}},

		"GET /rates":                {need: zhagen.PermRatesView},
		"GET /rates/trend":          {need: zhagen.PermRatesView},
		"POST /rates/weights":       {need: zhagen.PermRankingWeights, form: url.Values{"response": {"30"}, "resolution": {"30"}, "satisfaction": {"30"}, "timeliness": {"10"}, "version": {"1"}}},
		"GET /rates/rankings":       {need: zhagen.PermCadreRanking},
		"POST /rates/cadre-weights": {need: zhagen.PermCadreWeights, form: url.Values{"cadence": {"50"}, "filing": {"20"}, "outcome": {"30"}, "version": {"1"}}},
		"GET /bulletins":            {need: zhagen.PermBulletinView},
		"POST /bulletins":           {need: zhagen.PermBulletinDraft, form: url.Values{"month": {"2026-01"}}},
		"GET /bulletins/{id}":       {need: zhagen.PermBulletinView, path: func(m *matrix, _ string) string { return m.bulletinPath("") }},
		"GET /bulletins/{id}/print": {need: zhagen.PermBulletinView, path: func(m *matrix, _ string) string { return m.bulletinPath("/print") }},
		"GET /bulletins/{id}/docx":  {need: zhagen.PermBulletinView, path: func(m *matrix, _ string) string { return m.bulletinPath("/docx") }},
		"POST /bulletins/{id}/notable": {need: zhagen.PermBulletinDraft, form: url.Values{"notable": {""}, "version": {"1"}},
			path: func(m *matrix, _ string) string { return m.bulletinPath("/notable") }},
		"POST /bulletins/{id}/commentary": {need: zhagen.PermBulletinIssue, form: url.Values{"commentary": {"矩阵批示"}, "version": {"1"}},
			path: func(m *matrix, _ string) string { return m.bulletinPath("/commentary") }},
		"POST /bulletins/{id}/issue": {need: zhagen.PermBulletinIssue, form: url.Values{"version": {"1"}},
			path: func(m *matrix, _ string) string { return m.bulletinPath("/issue") }},
		"GET /screen":      {need: zhagen.PermScreenView},
		"GET /screen/data": {need: zhagen.PermScreenView},

		"GET /policies":               {need: zhagen.PermPolicyView},
		"GET /policies/new":           {need: zhagen.PermPolicyEdit},
		"POST /policies":              {need: zhagen.PermPolicyEdit, form: url.Values{"title": {"矩阵政策"}}},
		"GET /policies/{id}":          {kind: "policy", see: zhagen.PermPolicyView},
		"GET /policies/{id}/edit":     {kind: "policy", see: zhagen.PermPolicyView, need: zhagen.PermPolicyEdit},
		"POST /policies/{id}":         {kind: "policy", see: zhagen.PermPolicyView, need: zhagen.PermPolicyEdit, form: url.Values{"title": {"矩阵政策"}}},
		"POST /policies/{id}/publish": {kind: "policy", see: zhagen.PermPolicyView, need: zhagen.PermPolicyEdit},
		// Applying names the enterprise in the form (its own for an enterprise user).
		"POST /policies/{id}/apply":            {keys: keys("policy:A", "policy:B"), need: zhagen.PermAppApply, form: url.Values{"enterprise_id": {"@ent:A"}}},
		"GET /policy-applications":             {need: zhagen.PermAppView},
		"GET /policy-applications/{id}":        {kind: "policyapp", see: zhagen.PermAppView},
		"POST /policy-applications/{id}/steps": {kind: "policyapp", see: zhagen.PermAppView, need: zhagen.PermAppHandle, form: url.Values{"action": {"accept"}}},
		// Materials are uploaded by the applicant's side or the handling department.
		"POST /policy-applications/{id}/files": {kind: "policyapp", file: true, want: func(m *matrix, a *zhagen.Actor, key string) []int {
			f := m.facts(a, "policyapp", key)
			switch {
			case !zhagen.Can(a, zhagen.PermAppView, f):
				return []int{http.StatusNotFound, http.StatusForbidden}
			case zhagen.Can(a, zhagen.PermAppApply, f) || zhagen.Can(a, zhagen.PermAppHandle, f):
				return []int{allowedPost}
			}
			return []int{http.StatusForbidden}
		}},
		"GET /tags":                     {need: zhagen.PermTagView},
		"POST /tags":                    {need: zhagen.PermTagEdit, form: url.Values{"name": {"矩阵标签"}}},
		"POST /tags/{id}/delete":        {keys: keys("tag:A"), need: zhagen.PermTagEdit},
		"GET /enterprises/{id}/profile": {kind: "enterprise", keys: keys("ent:A", "ent:B"), see: zhagen.PermEnterpriseView, need: zhagen.PermProfileView},
		"GET /enterprises/{id}/attrs":   {kind: "enterprise", keys: keys("ent:A", "ent:B"), see: zhagen.PermEnterpriseView, need: zhagen.PermEnterpriseAttr},
		"POST /enterprises/{id}/attrs":  {kind: "enterprise", keys: keys("ent:A", "ent:B"), see: zhagen.PermEnterpriseView, need: zhagen.PermEnterpriseAttr, form: url.Values{"employees": {"130"}}},

		"GET /supervision": {need: zhagen.PermSupervisionView},
		"GET /supervision/new": {need: zhagen.PermSupervisionRaise,
			path: func(m *matrix, _ string) string {
				return fmt.Sprintf("/supervision/new?kind=demand&id=%d", m.z.ID("demand:A"))
			}},
		"POST /supervision": {need: zhagen.PermSupervisionRaise,
			form: url.Values{"subject_kind": {"demand"}, "subject_id": {"@demand:A"}, "requirement": {"矩阵督办"}, "reply_hours": {"8"}}},
		"GET /supervision/{id}":       {kind: "supervision", keys: orders, see: zhagen.PermSupervisionView},
		"GET /supervision/{id}/print": {kind: "supervision", keys: orders, see: zhagen.PermSupervisionView},
		"POST /supervision/{id}/reply": {kind: "supervision", keys: orders, see: zhagen.PermSupervisionView, need: zhagen.PermSupervisionReply,
			form: url.Values{"progress": {"矩阵回复"}, "promised_date": {"2026-12-31"}}},
		"POST /supervision/{id}/close": {kind: "supervision", keys: orders, see: zhagen.PermSupervisionView, need: zhagen.PermSupervisionClose,
			form: url.Values{"note": {"矩阵办结"}}},
		// Imports: each kind needs its permission; a job is its owner's
		// alone, so another id is not found for anyone.
		"GET /imports": {want: func(_ *matrix, a *zhagen.Actor, _ string) []int {
			if zhagen.CanAny(a, zhagen.PermEnterpriseImport) || zhagen.CanAny(a, zhagen.PermLinkageImport) {
				return []int{http.StatusOK}
			}
			return []int{http.StatusForbidden}
		}},
		"POST /imports": {need: zhagen.PermEnterpriseImport, file: true, form: url.Values{"kind": {"enterprises"}}},
		"GET /imports/template": {need: zhagen.PermLinkageImport,
			path: func(*matrix, string) string { return "/imports/template?kind=linkages" }},
		"GET /imports/{id}": {path: func(*matrix, string) string { return "/imports/0123456789abcdef01234567" },
			want: func(*matrix, *zhagen.Actor, string) []int { return []int{http.StatusNotFound} }},
		"POST /imports/{id}/commit": {path: func(*matrix, string) string { return "/imports/0123456789abcdef01234567/commit" },
			want: func(*matrix, *zhagen.Actor, string) []int { return []int{http.StatusNotFound} }},
		"POST /imports/{id}/passwords": {path: func(*matrix, string) string { return "/imports/0123456789abcdef01234567/passwords" },
			want: func(*matrix, *zhagen.Actor, string) []int { return []int{http.StatusNotFound} }},
		"GET /ladder":          {need: zhagen.PermLadderEdit},
		"POST /ladder":         {need: zhagen.PermLadderEdit, form: url.Values{"warn_pct": {"80"}, "supervise_days": {"2"}, "reply_hours": {"16"}}},
		"POST /ladder/delete":  {need: zhagen.PermLadderEdit, form: url.Values{"category_id": {"0"}, "priority": {""}}},
		"GET /follow-ups":      {need: zhagen.PermFollowUpView},
		"GET /follow-ups/{id}": {kind: "followup", see: zhagen.PermFollowUpView},
		"POST /follow-ups/{id}": {kind: "followup", see: zhagen.PermFollowUpView, need: zhagen.PermFollowUpRecord,
			form: url.Values{"result": {"solved"}, "method": {"phone"}, "satisfaction": {"satisfied"}}},
		"GET /demands/similar":        {need: zhagen.PermKnowledgeView, path: func(*matrix, string) string { return "/demands/similar?title=%E8%B7%B3%E9%97%B8%E5%81%9C%E7%94%B5" }},
		"GET /knowledge":              {need: zhagen.PermKnowledgeView},
		"POST /knowledge":             {need: zhagen.PermKnowledgeEdit, form: url.Values{"question": {"矩阵问题"}, "answer": {"矩阵答复"}}},
		"GET /knowledge/{id}":         {kind: "knowledge", keys: keys("knowledge:A", "knowledge:B"), see: zhagen.PermKnowledgeDrafts, need: zhagen.PermKnowledgeEdit},
		"POST /knowledge/{id}":        {kind: "knowledge", keys: keys("knowledge:A", "knowledge:B"), see: zhagen.PermKnowledgeDrafts, need: zhagen.PermKnowledgeEdit, form: url.Values{"question": {"矩阵改"}, "answer": {"矩阵答复"}, "version": {"1"}}},
		"POST /knowledge/{id}/review": {kind: "knowledge", keys: keys("knowledge:B"), see: zhagen.PermKnowledgeDrafts, need: zhagen.PermKnowledgeReview, form: url.Values{"version": {"1"}}},
		"POST /knowledge/{id}/helped": {kind: "knowledge", keys: keys("knowledge:A"), see: zhagen.PermKnowledgeView, need: zhagen.PermKnowledgeView},
		"GET /common-problems":        {need: zhagen.PermCommonProblemView},
		"GET /dispatch/eval":          {need: zhagen.PermDispatchEval},
		"GET /topics":                 {need: zhagen.PermTopicView},
		"POST /topics":                {need: zhagen.PermTopicAdopt, form: url.Values{"title": {"矩阵专题"}, "month": {"2026-11"}}},
		"POST /topics/{id}/answer": {kind: "topic", keys: keys("topic:A"), see: zhagen.PermTopicView, need: zhagen.PermTopicAnswer,
			form: url.Values{"answer": {"矩阵统一答复：已安排处理完毕"}, "version": {"1"}}},
		"GET /reply-templates":              {need: zhagen.PermReplyTemplateView},
		"POST /reply-templates":             {need: zhagen.PermReplyTemplateEdit, form: url.Values{"title": {"矩阵模板"}, "body": {"矩阵回复"}}},
		"GET /reply-templates/{id}":         {kind: "reply", keys: keys("reply:A", "reply:B", "reply:shared"), see: zhagen.PermReplyTemplateView, need: zhagen.PermReplyTemplateEdit},
		"POST /reply-templates/{id}":        {kind: "reply", keys: keys("reply:A", "reply:B", "reply:shared"), see: zhagen.PermReplyTemplateView, need: zhagen.PermReplyTemplateEdit, form: url.Values{"title": {"矩阵改"}, "body": {"矩阵回复"}, "version": {"1"}}},
		"POST /reply-templates/{id}/delete": {kind: "reply", keys: keys("reply:A", "reply:B", "reply:shared"), see: zhagen.PermReplyTemplateView, need: zhagen.PermReplyTemplateEdit},

		"GET /intake-channels":              {need: zhagen.PermIntakeView},
		"POST /intake-channels/{id}/public": {keys: keys("channel:A", "channel:B"), need: zhagen.PermIntakeEdit, form: url.Values{"public": {"1"}}},

		"GET /channels":               {need: zhagen.PermChannelView},
		"GET /channels/new":           {need: zhagen.PermChannelEdit},
		"POST /channels":              {need: zhagen.PermChannelEdit},
		"GET /channels/{id}/edit":     {need: zhagen.PermChannelEdit, path: matrixChannelPath("/edit")},
		"POST /channels/{id}":         {need: zhagen.PermChannelEdit, path: matrixChannelPath("")},
		"POST /channels/{id}/test":    {need: zhagen.PermChannelTest, path: matrixChannelPath("/test")},
		"GET /deliveries":             {need: zhagen.PermDeliveryView},
		"POST /deliveries/{id}/retry": {need: zhagen.PermDeliveryRetry, path: matrixDeliveryPath},
		"GET /account/notices":        {want: everyone},
		"POST /account/notices/{id}": {path: func(m *matrix, _ string) string { return fmt.Sprintf("/account/notices/%d", zoneChannel(m.z)[0]) }, want: func(_ *matrix, a *zhagen.Actor, _ string) []int {
			return []int{allowedPost}
		}},
		"/": {path: func(*matrix, string) string { return "/no-such-page" }, want: func(*matrix, *zhagen.Actor, string) []int {
			return []int{http.StatusNotFound}
		}},
	}
}
