// Package api serves zhagen's JSON REST API under /api/v1. Handlers decode
// and encode JSON; the services do validation, roles and scope.
package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"zhagen"
	"zhagen/sheet"
	"zhagen/throttle"
)

// Config holds what the API serves.
type Config struct {
	Enterprises   zhagen.EnterpriseService
	Departments   zhagen.DepartmentService
	Users         zhagen.UserService
	Auth          zhagen.AuthService
	Demands       zhagen.DemandService
	Files         zhagen.FileService // every uploaded file: demand, visit and action item files
	Categories    zhagen.CategoryService
	Notifications zhagen.NotificationService
	Calendar      zhagen.CalendarService
	Linkages      zhagen.LinkageService // optional: linkage and visit routes
	Talent        zhagen.TalentService
	Rates         zhagen.RatesService       // optional: the three rates (三率)
	Oversight     zhagen.OversightService   // optional (with Rates): rankings, bulletins, the leaders' screen
	Supervision   zhagen.SupervisionService // optional: supervision orders and the ladder's rules
	Knowledge     zhagen.KnowledgeService   // optional: the dispatch suggestion and similar demands
	Policies      zhagen.PolicyService      // optional: policies, matching, redemption, tags and the enterprise profile
	// FollowUps and ReplyTemplates (optional) serve the follow-ups (回访)
	// and the reply templates (常用回复); Clock dates a filled template
	// (the system clock when nil).
	FollowUps      zhagen.FollowUpService
	ReplyTemplates zhagen.ReplyTemplateService
	Clock          zhagen.Clock
	// Channels serves the outside channels, their deliveries and the
	// users' choices (optional); ChannelTester sends their test messages.
	Channels      zhagen.ChannelService
	ChannelTester zhagen.ChannelTester
	Logger        *slog.Logger

	// Consultations and Projects serve the consultation, action item and
	// key project routes; Minutes renders minutes as a .docx (cmd wires
	// docx.Minutes).
	Consultations zhagen.ConsultationService
	Projects      zhagen.ProjectService
	Minutes       func(*zhagen.Consultation) ([]byte, error)

	// Imports runs spreadsheet imports (optional): /api/v1/imports.
	Imports *sheet.Importer

	// LoginLimit bounds the logins one client address may try (nil: no
	// bound); cmd shares it with the web's login form.
	LoginLimit *throttle.Limiter
}

// Route is one method and path of the API, as the OpenAPI document names
// it ("/api/v1/enterprises/{id}").
type Route struct {
	Method, Path string
	Public       bool // served without a token
}

// Handler serves /api/v1.
type Handler struct {
	cfg    Config
	mux    *http.ServeMux
	routes []Route
}

// New returns the API handler with every route registered.
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux()}
	h.public("POST", "/api/v1/login", h.login)
	h.public("GET", "/api/v1/openapi.json", serveOpenAPI)
	h.handle("GET", "/api/v1/me", h.me)
	h.handle("GET", "/api/v1/enterprises", h.listEnterprises)
	h.handle("POST", "/api/v1/enterprises", h.createEnterprise)
	h.handle("GET", "/api/v1/enterprises/{id}", h.getEnterprise)
	h.handle("PATCH", "/api/v1/enterprises/{id}", h.patchEnterprise)
	h.handle("GET", "/api/v1/industries", h.listIndustries)
	h.handle("GET", "/api/v1/departments", h.listDepartments)
	h.handle("GET", "/api/v1/users", h.listUsers)
	h.handle("POST", "/api/v1/users", h.createUser)
	h.handle("GET", "/api/v1/users/{id}", h.getUser)
	h.handle("PATCH", "/api/v1/users/{id}", h.patchUser)
	h.handle("GET", "/api/v1/demands", h.listDemands)
	h.handle("POST", "/api/v1/demands", h.createDemand)
	h.knowledgeRoutes() // before {id}: /demands/similar is not a demand
	h.handle("GET", "/api/v1/demands/{id}", h.getDemand)
	h.handle("GET", "/api/v1/demands/{id}/events", h.demandEvents)
	h.handle("POST", "/api/v1/demands/{id}/transitions", h.demandTransition)
	h.handle("GET", "/api/v1/categories", h.listCategories)
	h.handle("POST", "/api/v1/categories", h.createCategory)
	h.handle("GET", "/api/v1/categories/{id}", h.getCategory)
	h.handle("PUT", "/api/v1/categories/{id}", h.putCategory)
	h.handle("GET", "/api/v1/notifications", h.listNotifications)
	h.handle("GET", "/api/v1/calendar/overrides", h.listCalendarOverrides)
	h.handle("PUT", "/api/v1/calendar/overrides/{date}", h.putCalendarOverride)
	h.handle("DELETE", "/api/v1/calendar/overrides/{date}", h.deleteCalendarOverride)
	h.fileRoutes()
	h.linkageRoutes()
	h.talentRoutes()
	h.consultationRoutes()
	h.ratesRoutes()
	h.supervisionRoutes()
	h.followUpRoutes()
	h.trendRoutes()
	h.oversightRoutes()
	h.tokenRoutes()
	h.channelRoutes()
	h.policyRoutes()
	h.importRoutes()
	h.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, cfg.Logger, zhagen.Errorf(zhagen.ENOTFOUND, "接口不存在：%s %s", r.Method, r.URL.Path))
	})
	return h
}

// Routes lists the registered routes.
func (h *Handler) Routes() []Route { return h.routes }

// ServeHTTP serves an API request. A body over its limit (1 MiB, 11 MiB
// for an upload) is refused (413) unread when it says its length; the
// path and the query pass the domain's text rule first (a path that is not text names no resource;
// a query value is 422 naming the parameter, a search text over
// zhagen.MaxSearchLen 400 naming the limit, see zhagen.CheckQuery), and a
// JSON body passes it in decode, so no handler sees a NUL.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	limit := int64(maxBody)
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		limit = maxUploadBody
	}
	if r.ContentLength > limit {
		writeError(w, r, h.cfg.Logger, &zhagen.Error{Code: zhagen.ETOOLARGE, Message: fmt.Sprintf("请求体不能超过%d MiB", limit>>20)})
		return
	}
	if zhagen.TextProblem(r.URL.Path) != "" {
		writeError(w, r, h.cfg.Logger, zhagen.Errorf(zhagen.ENOTFOUND, "接口不存在"))
		return
	}
	if err := zhagen.CheckQuery(r.URL.Query()); err != nil {
		writeError(w, r, h.cfg.Logger, err)
		return
	}
	h.mux.ServeHTTP(w, r)
	zhagen.TraceRoute(r.Context(), r.Pattern)
}

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (h *Handler) public(method, path string, f handlerFunc) {
	h.routes = append(h.routes, Route{Method: method, Path: path, Public: true})
	h.mux.HandleFunc(method+" "+path, func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(zhagen.NewContextWithIP(r.Context(), clientIP(r)))
		if err := f(w, r); err != nil {
			writeError(w, r, h.cfg.Logger, err)
		}
	})
}

// handle registers a route that needs a bearer token.
func (h *Handler) handle(method, path string, f handlerFunc) {
	h.routes = append(h.routes, Route{Method: method, Path: path})
	h.mux.HandleFunc(method+" "+path, func(w http.ResponseWriter, r *http.Request) {
		ctx := zhagen.NewContextWithIP(r.Context(), clientIP(r))
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			writeError(w, r, h.cfg.Logger, zhagen.Errorf(zhagen.EUNAUTHORIZED, "缺少 Authorization: Bearer 令牌"))
			return
		}
		a, err := h.cfg.Auth.ActorByToken(ctx, strings.TrimSpace(token))
		if err != nil {
			writeError(w, r, h.cfg.Logger, err)
			return
		}
		if a.MustChangePassword && !passwordChangeRoutes[method+" "+path] {
			writeError(w, r, h.cfg.Logger, errChangePasswordFirst)
			return
		}
		sw := &startedWriter{ResponseWriter: w}
		finish(sw, r, h.cfg.Logger, f(sw, r.WithContext(zhagen.NewContextWithActor(ctx, a))))
	})
}

// finish answers a handler's error, if any: with the error body, unless
// the client has gone or the response has begun.
func finish(w *startedWriter, r *http.Request, log *slog.Logger, err error) {
	switch {
	case err == nil:
	case r.Context().Err() != nil:
		// The client hung up: nobody reads an answer, and the error (a
		// cancelled query, a broken pipe) is its doing, not the server's.
		log.Debug("api request ended by the client", "method", r.Method, "path", r.URL.Path, "err", err)
	case w.started:
		// Part of the answer went out (a long export): an error body now
		// would corrupt it, so the client sees a cut response.
		log.Error("api error after the response began", "method", r.Method, "path", r.URL.Path, "err", err)
	default:
		writeError(w.ResponseWriter, r, log, err)
	}
}

// startedWriter notes whether a handler began its response.
type startedWriter struct {
	http.ResponseWriter
	started bool
}

func (w *startedWriter) WriteHeader(status int) {
	w.started = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *startedWriter) Write(b []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *startedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// passwordChangeRoutes are the routes open to a user who must change
// their password first (zhagen.User.MustChangePassword): changing it,
// and logging out.
var passwordChangeRoutes = map[string]bool{"POST /api/v1/me/password": true, "POST /api/v1/logout": true}

var errChangePasswordFirst = zhagen.Errorf(zhagen.EPASSWORDCHANGE,
	"请先修改初始密码：账号的密码由管理员设置，须调用 POST /api/v1/me/password 修改后才能使用其他接口")

// clientIP is the peer address of the request.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

var statusByCode = map[string]int{
	zhagen.EBADREQUEST:     http.StatusBadRequest,
	zhagen.EUNAUTHORIZED:   http.StatusUnauthorized,
	zhagen.EFORBIDDEN:      http.StatusForbidden,
	zhagen.ENOTFOUND:       http.StatusNotFound,
	zhagen.ECONFLICT:       http.StatusConflict,
	zhagen.EINVALID:        http.StatusUnprocessableEntity,
	zhagen.ETOOMANY:        http.StatusTooManyRequests,
	zhagen.ETOOLARGE:       http.StatusRequestEntityTooLarge,
	zhagen.EPASSWORDCHANGE: http.StatusForbidden,
	zhagen.EINTERNAL:       http.StatusInternalServerError,
}

// StatusFor maps an error code to its HTTP status.
func StatusFor(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

type errorBody struct {
	Error struct {
		Code    string              `json:"code"`
		Message string              `json:"message"`
		Field   string              `json:"field,omitempty"`
		Fields  []zhagen.FieldError `json:"fields,omitempty"`
		Current any                 `json:"current,omitempty"`
	} `json:"error"`
}

// writeError answers with the error body; internal errors are logged and
// shown only as 内部错误.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := zhagen.ErrorCode(err)
	var body errorBody
	body.Error.Code = code
	body.Error.Message = zhagen.ErrorMessage(err)
	var ze *zhagen.Error
	if errors.As(err, &ze) {
		body.Error.Field, body.Error.Fields, body.Error.Current = ze.Field, ze.Fields, ze.Current
	}
	if code == zhagen.EINTERNAL {
		log.Error("api internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == zhagen.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="zhagen"`)
	}
	setRetryAfter(w, err)
	writeJSON(w, StatusFor(code), body)
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// maxBody is the most bytes of a JSON request body; maxUploadBody of an
// upload (multipart/form-data): the largest file and room for the framing.
const (
	maxBody       = 1 << 20
	maxUploadBody = zhagen.MaxFileSize + 1<<20
)

// decode reads a JSON body of at most 1 MiB (413 over it) into v, refusing
// unknown fields, so that a typo is reported rather than ignored, and then
// checks every name and string of the body by the domain's text rule
// (zhagen.TextProblem: 422 naming the field by its path, such as
// "contacts.1.name"). It is the one place where the API reads a JSON body.
func decode(r *http.Request, v any) error {
	if r.ContentLength > maxBody {
		return tooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return tooLarge()
		}
		return zhagen.Errorf(zhagen.EBADREQUEST, "读取请求体失败")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: ute.Field, Message: "字段 " + ute.Field + " 的类型不正确"}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: f, Message: "未知字段：" + zhagen.FieldName(f)}
		}
		return zhagen.Errorf(zhagen.EBADREQUEST, "请求体不是有效的 JSON：%v", err)
	}
	if len(bytes.TrimSpace(body[dec.InputOffset():])) != 0 { // not dec.More, which stops at a stray ] or }
		return zhagen.Errorf(zhagen.EBADREQUEST, "请求体只能包含一个 JSON 对象")
	}
	return checkJSONText(body)
}

func tooLarge() error {
	return &zhagen.Error{Code: zhagen.ETOOLARGE, Message: "请求体不能超过1 MiB"}
}

// checkJSONText checks every name and string of a well-formed JSON
// document by zhagen.TextProblem, the string as sent (encoding/json
// would turn bytes that are not UTF-8 into U+FFFD) and as decoded (a
// \u0000 escape is a NUL). A field is named by its path: member names and
// element indexes joined by dots.
func checkJSONText(body []byte) error {
	type frame struct {
		obj  bool   // an object, else an array
		key  string // object: the current member's name
		n    int    // array: the current element's index
		name bool   // object: the next string is a member's name
	}
	var stack []frame
	field := func() string {
		parts := make([]string, len(stack))
		for i, f := range stack {
			if f.obj {
				parts[i] = f.key
			} else {
				parts[i] = strconv.Itoa(f.n)
			}
		}
		return strings.Join(parts, ".")
	}
	done := func() { // a value ended
		if len(stack) == 0 {
			return
		}
		if top := &stack[len(stack)-1]; top.obj {
			top.name = true
		} else {
			top.n++
		}
	}
	var c zhagen.TextChecker
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	prev := int64(0)
	for {
		tok, err := dec.Token()
		if err != nil {
			break // io.EOF: the document was decoded once already
		}
		raw := body[prev:dec.InputOffset()]
		prev = dec.InputOffset()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{obj: true, name: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				done()
			}
		case string:
			isName := len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].name
			if isName {
				stack[len(stack)-1].key, stack[len(stack)-1].name = t, false
			}
			if !utf8.Valid(raw) {
				c.Check(field(), string(raw))
			}
			c.Check(field(), t)
			if !isName {
				done()
			}
		default:
			done()
		}
	}
	return c.Err()
}

// pathID parses the {id} path value.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &zhagen.Error{Code: zhagen.ENOTFOUND, Field: "id", Message: "记录不存在"}
	}
	return id, nil
}

// queryID parses the optional id query parameter name; 0 when absent.
func queryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return 0, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: name, Message: name + " 须为正整数"}
	}
	return id, nil
}

// page reads limit (1–200, default 25) and offset from the query.
func page(r *http.Request) (limit, offset int, err error) {
	limit, offset = 25, 0
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > 200 {
			return 0, 0, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "limit", Message: "limit 须为 1–200 的整数"}
		}
	}
	if s := q.Get("offset"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			return 0, 0, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "offset", Message: "offset 须为非负整数"}
		}
	}
	return limit, offset, nil
}

type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}
