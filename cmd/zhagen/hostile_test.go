package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhagen"
	"zhagen/api"
	"zhagen/demo"
	"zhagen/docx"
	"zhagen/open311"
	"zhagen/sqldb/sqldbtest"
	"zhagen/web"
)

// The hostile-input suite: the whole server (web, API and Open311 behind
// the same handler cmd serves) over the demo zone, on both stores, sent
// every write route its routers list — so a new route is covered without
// being listed here — as anonymous and as each role, with NUL and other
// control characters, bytes that are not UTF-8, SQL-looking and markup
// text, numbers and dates out of range, 1 MB and 20 MB bodies; and every
// read route a 50,000-character search. No answer may be a 5xx; text
// that is not text must be refused; a body over its limit is 413; the
// search is 400. Then the markup that was stored is looked for, raw, in
// every page.

// hostileKind is one kind of hostile input: the text of every string
// field, and the number of every numeric field of a JSON body.
type hostileKind struct {
	name string
	text string
	num  any  // JSON numbers; 1 when nil, so the body decodes
	bad  bool // not text: must never be accepted
}

// xssMarker is in the markup payload; a page that holds it raw would run
// the payload.
const xssMarker = "<x-zhagen-probe"

var hostileKinds = []hostileKind{
	{name: "nul", text: "甲\x00乙", bad: true},
	{name: "control", text: "a\x1b[2J\x07\x7f\u0085", bad: true},
	{name: "bad-utf8", text: "\xff\xfe\xc0\x80甲", bad: true},
	{name: "sql", text: `' OR '1'='1'; DROP TABLE users; --`},
	{name: "sql-like", text: `%_\%' ESCAPE '\' OR name LIKE '%`},
	{name: "markup", text: xssMarker + `></x-zhagen-probe><script>probe()</script><img src=x onerror=probe()>"'` + "`"},
	{name: "big-number", text: "9223372036854775808", num: json.Number("9223372036854775808")},
	{name: "int32-overflow", text: "2147483648", num: json.Number("2147483648")},
	{name: "negative", text: "-9223372036854775808", num: json.Number("-9223372036854775808")},
	{name: "float", text: "NaN", num: json.Number("1e308")},
	{name: "far-date", text: "99999-12-31T23:59:59+14:00"},
	{name: "old-date", text: "0001-01-01T00:00:00Z"},
	{name: "empty", text: ""},
	{name: "long-text", text: strings.Repeat("x", 4100)}, // over every text limit; ASCII keeps the web form within 1 MiB
}

// hostileRoute is a route to send to: method and path with the wildcards
// filled, and for the API the JSON schema of its body.
type hostileRoute struct {
	area   string // web, api, open311
	method string
	path   string
	schema map[string]any // API: the request body's schema, nil for none
	upload bool           // API: a multipart upload
}

type hostileSuite struct {
	t       *testing.T
	h       http.Handler
	app     *App
	creds   map[string]string // login + "api"|"web" → a live token or session
	logs    *lockedBuffer
	roles   []string // logins; "" is anonymous
	users   map[string]*zhagen.User
	other   int64             // a user id that is no role's, for /users/{id}
	fields  []string          // web form field names, from the templates
	openAPI map[string]any    // the API's OpenAPI document
	service string            // an Open311 service code of the demo
	attrs   []string          // its attribute codes
	html    map[string]string // a page with the raw marker → the request that stored it
	sent    int
	fiveXX  int
	byCode  map[string]map[int]int // area → status → answers
	big     string                 // 20 MB
}

func TestHostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("sends thousands of requests")
	}
	sqldbtest.Run(t, func(t *testing.T, eng sqldbtest.Engine) {
		s := newHostileSuite(t, eng)
		s.writes()
		s.searches()
		s.rendersInert()
		t.Logf("hostile input on %s: %d requests sent, %d answered 5xx; answers by status: %v", eng.Name, s.sent, s.fiveXX, s.byCode)
		if out := os.Getenv("ZHAGEN_HOSTILE_REPORT"); out != "" {
			f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err == nil {
				fmt.Fprintf(f, "%s %d %d\n", eng.Name, s.sent, s.fiveXX)
				f.Close()
			}
		}
	})
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// take returns what was logged since the last take.
func (l *lockedBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

func newHostileSuite(t *testing.T, eng sqldbtest.Engine) *hostileSuite {
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 30, 0, 0, zhagen.Shanghai)}
	db := eng.Open(t, clock)
	app, err := newApp(db, clock, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := systemCtx(context.Background())
	if err := demo.Load(ctx, demo.Services{Departments: app.Departments, Users: app.Users, Enterprises: app.Enterprises,
		Categories: app.Categories, Demands: app.Demands, Intake: app.Intake, Linkages: app.Linkages, Talent: app.Talent,
		Projects: app.Projects, Consultations: app.Consultations, Clock: clock, Supervision: app.Supervision, Channels: app.Channels, Policies: app.Policies}, demo.DefaultPassword, nil); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	h, err := app.Handler(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelError})), false)
	if err != nil {
		t.Fatal(err)
	}
	s := &hostileSuite{t: t, h: h, app: app, logs: logs, creds: map[string]string{}, users: map[string]*zhagen.User{}, html: map[string]string{}, byCode: map[string]map[int]int{},
		big: strings.Repeat("a", 20<<20)}
	s.roles = []string{""}
	accounts := map[string]bool{}
	for _, a := range demo.Accounts() {
		accounts[a.Login] = true
	}
	all, _, err := app.Users.FindUsers(ctx, zhagen.UserFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range all {
		if accounts[u.Login] {
			s.users[u.Login] = u
		} else if s.other == 0 {
			s.other = u.ID
		}
	}
	for _, login := range []string{"admin", "staff", "cadre", "enterprise", "graduate"} {
		if s.users[login] == nil {
			t.Fatalf("demo login %s missing", login)
		}
		s.roles = append(s.roles, login)
	}
	// The sessions and tokens send mints must be live, or the suite would
	// only meet the login page.
	if st, _ := s.send("admin", httptest.NewRequest("GET", "/", nil)); st != http.StatusOK {
		t.Fatalf("the administrator's workbench: %d", st)
	}
	if st, _ := s.send("staff", httptest.NewRequest("GET", "/api/v1/me", nil)); st != http.StatusOK {
		t.Fatalf("GET /api/v1/me as staff: %d", st)
	}
	s.fields = templateFields(t)
	st, body := s.send("", httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if st != 200 || json.Unmarshal(body, &s.openAPI) != nil {
		t.Fatalf("openapi.json: %d", st)
	}
	st, body = s.send("", httptest.NewRequest("GET", open311.Prefix+"services.json", nil))
	var services []struct {
		Code     string `json:"service_code"`
		Metadata bool   `json:"metadata"`
	}
	if st != 200 || json.Unmarshal(body, &services) != nil || len(services) == 0 {
		t.Fatalf("open311 services: %d %s", st, body)
	}
	s.service = services[0].Code
	for _, sv := range services {
		if sv.Metadata {
			s.service = sv.Code
			break
		}
	}
	_, body = s.send("", httptest.NewRequest("GET", open311.Prefix+"services/"+s.service+".json", nil))
	var def struct {
		Attributes []struct {
			Code string `json:"code"`
		} `json:"attributes"`
	}
	json.Unmarshal(body, &def)
	for _, a := range def.Attributes {
		s.attrs = append(s.attrs, a.Code)
	}
	return s
}

// templateFields are the names of the web's form fields, read from the
// templates (dynamic names get a sample), so a new field is sent too.
func templateFields(t *testing.T) []string {
	set := map[string]bool{"choice1": true, "choice2": true, "rank_1": true, "sla_normal_res": true, "sla_normal_resp": true, "answers.1": true, "q_1": true}
	re := regexp.MustCompile(`name="([^"{}]+)"`)
	err := filepath.WalkDir("../../web/templates", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range re.FindAllSubmatch(b, -1) {
			set[string(m[1])] = true
		}
		return err
	})
	if err != nil || len(set) < 50 {
		t.Fatalf("template fields: %d, %v", len(set), err)
	}
	delete(set, "htmx-config")
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// routes lists every route of the three routers, with wildcards filled.
func (s *hostileSuite) routes() []hostileRoute {
	fill := func(path string) string {
		path = strings.TrimSuffix(path, "{$}")
		if strings.HasPrefix(path, "/users/") || strings.HasPrefix(path, "/api/v1/users/") {
			path = strings.Replace(path, "{id}", strconv.FormatInt(s.other, 10), 1)
		}
		return regexp.MustCompile(`\{[a-z]*\}`).ReplaceAllStringFunc(path, func(w string) string {
			switch w {
			case "{date}":
				return "2026-10-09"
			case "{file}": // an Open311 resource of any name
				return s.service
			}
			return "1"
		})
	}
	var out []hostileRoute
	ui, err := web.New(web.Config{Enterprises: s.app.Enterprises, Departments: s.app.Departments, Users: s.app.Users, Auth: s.app.Auth,
		Logs: s.app.Logs, Demands: s.app.Demands, Files: s.app.Files, Categories: s.app.Categories, Notifications: s.app.Notifications,
		Calendar: s.app.Overrides, Linkages: s.app.Linkages, Talent: s.app.Talent, Consultations: s.app.Consultations, Projects: s.app.Projects,
		Minutes: docx.Minutes, Rates: s.app.Rates, Catalog: s.app.Catalog, Intake: s.app.Intake, Supervision: s.app.Supervision,
		FollowUps: s.app.FollowUps, ReplyTemplates: s.app.ReplyTemplates, Knowledge: s.app.Knowledge, Policies: s.app.Policies})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, r := range ui.Routes() {
		method := r.Method
		if method == "" { // every method: the catch-all
			method = "GET"
		}
		out = append(out, hostileRoute{area: "web", method: method, path: fill(r.Pattern)})
	}
	paths, _ := s.openAPI["paths"].(map[string]any)
	for _, r := range api.New(api.Config{Supervision: s.app.Supervision, Knowledge: s.app.Knowledge, Policies: s.app.Policies}).Routes() {
		hr := hostileRoute{area: "api", method: r.Method, path: fill(r.Path)}
		op, _ := paths[r.Path].(map[string]any)[strings.ToLower(r.Method)].(map[string]any)
		if content, ok := dig(op, "requestBody", "content").(map[string]any); ok {
			if sc, ok := dig(content, "application/json", "schema").(map[string]any); ok {
				hr.schema = sc
			} else if sc, ok := dig(content, "multipart/form-data", "schema").(map[string]any); ok {
				hr.schema, hr.upload = sc, true
			}
		}
		out = append(out, hr)
	}
	for _, r := range open311.New(open311.Config{}).Routes() {
		path := fill(r.Path)
		if strings.HasSuffix(path, "/") { // discovery without a format
			out = append(out, hostileRoute{area: "open311", method: r.Method, path: path})
			continue
		}
		for _, f := range []string{".json", ".xml"} {
			out = append(out, hostileRoute{area: "open311", method: r.Method, path: path + f})
		}
	}
	// Logging out ends the session the rest uses: last.
	sort.SliceStable(out, func(i, j int) bool {
		return !strings.HasSuffix(out[i].path, "/logout") && strings.HasSuffix(out[j].path, "/logout")
	})
	return out
}

func dig(m any, keys ...string) any {
	for _, k := range keys {
		mm, ok := m.(map[string]any)
		if !ok {
			return nil
		}
		m = mm[k]
	}
	return m
}

// jsonValue makes a value of the schema with every string the kind's text.
func (s *hostileSuite) jsonValue(schema map[string]any, k hostileKind, text string, depth int) any {
	if ref, ok := schema["$ref"].(string); ok {
		sc, _ := dig(s.openAPI, "components", "schemas", strings.TrimPrefix(ref, "#/components/schemas/")).(map[string]any)
		return s.jsonValue(sc, k, text, depth)
	}
	for _, key := range []string{"oneOf", "allOf", "anyOf"} {
		if alts, ok := schema[key].([]any); ok && len(alts) > 0 {
			sc, _ := alts[0].(map[string]any)
			return s.jsonValue(sc, k, text, depth)
		}
	}
	if depth > 6 {
		return nil
	}
	switch schema["type"] {
	case "object":
		out := map[string]any{}
		props, _ := schema["properties"].(map[string]any)
		for name, p := range props {
			sc, _ := p.(map[string]any)
			out[name] = s.jsonValue(sc, k, text, depth+1)
		}
		if len(props) == 0 {
			out[text] = text // a map such as answers: the name is text too
		}
		return out
	case "array":
		sc, _ := schema["items"].(map[string]any)
		return []any{s.jsonValue(sc, k, text, depth+1)}
	case "integer", "number":
		if k.num != nil {
			return k.num
		}
		return 1
	case "boolean":
		return true
	}
	return text
}

// body is one request body of a kind for a route: form (web, Open311) or
// JSON (API), urlencoded or multipart with a file named by the text.
type hostileBody struct {
	label  string
	ctype  string
	data   []byte
	stream bool // sent without a Content-Length
	big    bool // over every limit
}

func (s *hostileSuite) bodies(r hostileRoute, k hostileKind) []hostileBody {
	text := k.text
	switch r.area {
	case "api":
		if r.schema == nil {
			return []hostileBody{{label: "none"}}
		}
		if r.upload {
			return []hostileBody{s.multipart(map[string][]string{}, k.text)}
		}
		v := s.jsonValue(r.schema, k, text, 0)
		b, err := json.Marshal(v)
		if err != nil {
			s.t.Fatal(err)
		}
		if k.bad { // encoding/json writes bad bytes as U+FFFD: put them back raw
			b = bytes.ReplaceAll(b, jsonString(text), []byte(`"`+text+`"`))
		}
		return []hostileBody{{label: "json", ctype: "application/json", data: b}}
	case "open311":
		form := url.Values{"api_key": {demo.DefaultOpen311Key}, "service_code": {s.service}}
		for _, f := range []string{"description", "first_name", "last_name", "email", "phone", "address_string", "lat", "long",
			"media_url", "account_id", "device_id", "jurisdiction_id", "title"} {
			form.Set(f, text)
		}
		for _, a := range s.attrs {
			form.Set("attribute["+a+"]", text)
		}
		keyed := url.Values{}
		for f, v := range form {
			keyed[f] = v
		}
		keyed.Set("api_key", text)
		return []hostileBody{formBody("form", form), formBody("form with the key as text", keyed), s.multipart(form, text)}
	}
	form := url.Values{}
	for _, f := range s.fields {
		form.Set(f, text)
	}
	return []hostileBody{formBody("form", form), s.multipart(form, text)}
}

func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

func formBody(label string, form url.Values) hostileBody {
	return hostileBody{label: label, ctype: "application/x-www-form-urlencoded", data: []byte(form.Encode())}
}

func (s *hostileSuite) multipart(form url.Values, text string) hostileBody {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for f, vs := range form {
		for _, v := range vs {
			mw.WriteField(f, v)
		}
	}
	name := strings.NewReplacer("\x00", "", "\r", "", "\n", "", `"`, "").Replace(text) // a MIME header cannot carry these
	fw, _ := mw.CreateFormFile("file", name+".pdf")
	fw.Write([]byte("%PDF-1.4\n" + text))
	mw.Close()
	return hostileBody{label: "multipart", ctype: mw.FormDataContentType(), data: buf.Bytes()}
}

// sized are the 1 MB and 20 MB bodies of a route: the 1 MB one within the
// limits (the server answers it), the 20 MB one over them (413), with and
// without a Content-Length.
func (s *hostileSuite) sized(r hostileRoute) []hostileBody {
	if r.area == "api" {
		one := `{"name":"` + strings.Repeat("a", 1_000_000) + `","title":"x"}`
		return []hostileBody{
			{label: "1 MB json", ctype: "application/json", data: []byte(one)},
			{label: "20 MB json", ctype: "application/json", data: []byte(s.big), big: true},
			{label: "20 MB json streamed", ctype: "application/json", data: []byte(s.big), big: true, stream: true},
		}
	}
	form := url.Values{}
	fields := s.fields
	if r.area == "open311" {
		fields = []string{"description", "first_name", "address_string"}
		form.Set("api_key", demo.DefaultOpen311Key)
		form.Set("service_code", s.service)
	}
	for _, f := range fields {
		form.Set(f, strings.Repeat("a", 1_000_000/len(fields)-len(f)-2))
	}
	return []hostileBody{
		formBody("1 MB form", form),
		{label: "20 MB form", ctype: "application/x-www-form-urlencoded", data: []byte("description=" + s.big), big: true},
		{label: "20 MB form streamed", ctype: "application/x-www-form-urlencoded", data: []byte("description=" + s.big), big: true, stream: true},
	}
}

// send serves one request as login and checks that it is not a 5xx.
func (s *hostileSuite) send(login string, req *http.Request) (int, []byte) {
	s.t.Helper()
	return s.sendBody(login, req, nil, false)
}

// sendBody sends req with body data (nil: none; stream: without a
// length) as login, and counts the answer.
func (s *hostileSuite) sendBody(login string, req *http.Request, data []byte, stream bool) (int, []byte) {
	s.t.Helper()
	rec := s.serve(login, req, data, stream, false)
	if login != "" && s.credentialDied(req, rec) {
		// The request (a logout, a password change…) or an earlier one
		// ended the credential: send it again with a new one, so every
		// request is judged as the logged-in user.
		rec = s.serve(login, req, data, stream, true)
	}
	s.sent++
	area := "web"
	if p := req.URL.Path; strings.HasPrefix(p, "/api/") {
		area = "api"
	} else if strings.HasPrefix(p, open311.Prefix) {
		area = "open311"
	}
	if s.byCode[area] == nil {
		s.byCode[area] = map[int]int{}
	}
	s.byCode[area][rec.Code]++
	if rec.Code >= 500 {
		s.fiveXX++
		s.t.Errorf("%s %s as %q: %d\n%s", req.Method, req.URL.Path, login, rec.Code, s.logs.take())
	}
	return rec.Code, rec.Body.Bytes()
}

// serve sends req as login with its cached token (API) or session (web),
// minting one when there is none or fresh is set.
func (s *hostileSuite) serve(login string, req *http.Request, data []byte, stream, fresh bool) *httptest.ResponseRecorder {
	r := req.Clone(req.Context())
	if data != nil {
		r.Body = io.NopCloser(bytes.NewReader(data))
		r.ContentLength = int64(len(data))
		if stream {
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data))) // hides the length
			r.ContentLength = -1
		}
	}
	if login != "" {
		api := strings.HasPrefix(req.URL.Path, "/api/")
		key := login + map[bool]string{true: " api", false: " web"}[api]
		cred, ok := s.creds[key]
		if !ok || fresh {
			u := s.users[login]
			ctx := systemCtx(context.Background())
			if api {
				tok, err := s.app.Auth.CreateToken(ctx, u.ID, "hostile", time.Hour)
				if err != nil {
					s.t.Fatal(err)
				}
				cred = tok.Token
			} else {
				secret, err := s.app.Auth.CreateSession(ctx, u.ID, "127.0.0.1", "hostile")
				if err != nil {
					s.t.Fatal(err)
				}
				cred = secret
			}
			s.creds[key] = cred
		}
		if api {
			r.Header.Set("Authorization", "Bearer "+cred)
		} else {
			r.AddCookie(&http.Cookie{Name: "zhagen_session", Value: cred})
		}
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, r)
	return rec
}

// credentialDied tells an answer that means "not logged in": 401 from
// the API, a redirect to the login page from the web.
func (s *hostileSuite) credentialDied(req *http.Request, rec *httptest.ResponseRecorder) bool {
	if strings.HasPrefix(req.URL.Path, "/api/") {
		return rec.Code == http.StatusUnauthorized
	}
	return rec.Code/100 == 3 && strings.HasPrefix(rec.Header().Get("Location"), "/login")
}

func (s *hostileSuite) request(login string, r hostileRoute, b hostileBody) (int, []byte) {
	req := httptest.NewRequest(r.method, r.path, nil)
	if b.ctype != "" {
		req.Header.Set("Content-Type", b.ctype)
	}
	return s.sendBody(login, req, b.data, b.stream)
}

// writes sends every write route every kind of body as every role.
func (s *hostileSuite) writes() {
	t := s.t
	routes := s.routes()
	n := 0
	var accepted []string // 1 MB bodies the server took
	for _, r := range routes {
		if r.method == "GET" || r.method == "HEAD" {
			continue
		}
		n++
		for _, login := range s.roles {
			if r.area == "open311" && login != "" {
				continue // authenticated by the api_key alone
			}
			for _, k := range hostileKinds {
				for _, b := range s.bodies(r, k) {
					st, _ := s.request(login, r, b)
					if k.bad && st < 400 && b.label != "none" && !(r.area == "api" && !strings.Contains(string(b.data), k.text)) {
						t.Errorf("%s %s as %q, %s in a %s: %d, want a refusal", r.method, r.path, login, k.name, b.label, st)
					}
					// A control character in a file name cannot pass a MIME
					// header: the multipart form is malformed (400).
					if k.bad && r.area == "web" && st != http.StatusUnprocessableEntity && !(b.label == "multipart" && st == http.StatusBadRequest) {
						t.Errorf("%s %s as %q, %s in a %s: %d, want 422", r.method, r.path, login, k.name, b.label, st)
					}
				}
			}
			for _, b := range s.sized(r) {
				st, _ := s.request(login, r, b)
				if !b.big && st < 300 {
					accepted = append(accepted, fmt.Sprintf("%s %s as %q: %d", r.method, r.path, login, st))
				}
				if b.big && (!b.stream || r.area == "web") && st != http.StatusRequestEntityTooLarge {
					t.Errorf("%s %s as %q, %s: %d, want 413", r.method, r.path, login, b.label, st)
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d write routes found", n)
	}
	t.Logf("%d write routes; 1 MB bodies answered 2xx: %v", n, accepted)
}

// searches sends every read route a 50,000-character search, a search
// with a NUL and SQL-looking and markup searches.
func (s *hostileSuite) searches() {
	long := strings.Repeat("%", 50000)
	for _, r := range s.routes() {
		if r.method != "GET" {
			continue
		}
		for _, login := range []string{"", "admin", "staff", "enterprise"} {
			for _, q := range []string{long, "甲\x00", `' OR 1=1 --`, xssMarker + ">", `%_\`} {
				path := r.path + "?q=" + url.QueryEscape(q)
				if r.area == "open311" {
					path += "&api_key=" + demo.DefaultOpen311Key
				}
				st, _ := s.send(login, httptest.NewRequest("GET", path, nil))
				if q == long && st != http.StatusBadRequest {
					s.t.Errorf("GET %s as %q with a 50,000-character search: %d, want 400", r.path, login, st)
				}
			}
		}
	}
}

// rendersInert stores markup through the services in the texts pages
// show, and then reads every page of the web as the administrator and
// an enterprise user: no page may hold the markup raw.
func (s *hostileSuite) rendersInert() {
	t := s.t
	ctx := systemCtx(context.Background())
	mark := kindNamed("markup").text
	ids := []string{"1"}
	short := xssMarker + ">"
	ent := &zhagen.Enterprise{Name: "甲" + mark, USCC: "91350100MA2XN9K57E", Industry: "集成电路", Park: short, Address: mark, LegalRep: short,
		Contacts: []zhagen.Contact{{Name: short, Title: short}}}
	if c, ok := zhagen.USCCCheckChar(ent.USCC[:17]); ok {
		ent.USCC = ent.USCC[:17] + string(c)
	}
	if err := s.app.Enterprises.CreateEnterprise(ctx, ent); err != nil {
		t.Logf("markup enterprise: %v", err)
	} else {
		ids = append(ids, strconv.FormatInt(ent.ID, 10))
	}
	cats, _ := s.app.Categories.FindCategories(ctx, zhagen.CategoryFilter{})
	for _, c := range cats {
		d := &zhagen.Demand{EnterpriseID: s.users["enterprise"].EnterpriseID, CategoryID: c.ID, Title: mark[:60], Description: mark, Address: mark}
		a, err := s.app.Auth.ActorByToken(ctx, s.token("enterprise"))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.app.Demands.CreateDemand(zhagen.NewContextWithActor(context.Background(), a), d, ""); err == nil {
			ids = append(ids, strconv.FormatInt(d.ID, 10))
			break
		}
	}
	for _, r := range s.routes() {
		if r.area != "web" || r.method != "GET" {
			continue
		}
		for _, id := range ids {
			path := strings.Replace(r.path, "/1", "/"+id, 1)
			for _, login := range []string{"admin", "enterprise"} {
				req := httptest.NewRequest("GET", path, nil)
				rec := s.serve(login, req, nil, false, false)
				if s.credentialDied(req, rec) {
					rec = s.serve(login, req, nil, false, true)
				}
				s.sent++
				if rec.Code >= 500 {
					s.fiveXX++
					t.Errorf("GET %s as %s: %d", path, login, rec.Code)
				}
				if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") && strings.Contains(rec.Body.String(), xssMarker) {
					t.Errorf("GET %s as %s shows stored markup raw", path, login)
				}
			}
		}
	}
	if len(ids) < 3 {
		t.Errorf("markup stored in %d records only: %v", len(ids)-1, ids)
	}
}

func (s *hostileSuite) token(login string) string {
	tok, err := s.app.Auth.CreateToken(systemCtx(context.Background()), s.users[login].ID, "hostile", time.Hour)
	if err != nil {
		s.t.Fatal(err)
	}
	return tok.Token
}

func kindNamed(name string) hostileKind {
	i := slices.IndexFunc(hostileKinds, func(k hostileKind) bool { return k.name == name })
	return hostileKinds[i]
}
