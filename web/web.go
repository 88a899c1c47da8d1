// Package web serves the HTML user interface of zhagen: server-rendered
// pages in Simplified Chinese (English second) over the domain services,
// with htmx for partial updates where it is loaded. Templates and static
// assets are embedded in the binary.
package web

import (
	"context"
	"embed"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"

	"zhagen"
	"zhagen/catalog"
	"zhagen/sheet"
	"zhagen/throttle"
)

//go:embed templates static
var files embed.FS

// Config holds what the web UI needs. Every service is required.
type Config struct {
	Enterprises zhagen.EnterpriseService
	Departments zhagen.DepartmentService
	Users       zhagen.UserService
	Auth        zhagen.AuthService
	Logs        zhagen.LogService
	// Demands runs the demand workflow; Categories keeps the demand
	// catalogue; Notifications holds each user's in-app messages.
	Demands       zhagen.DemandService
	Categories    zhagen.CategoryService
	Notifications zhagen.NotificationService
	// Files keeps every uploaded file (demand, visit and action item
	// files) and serves them at /files/{id}.
	Files zhagen.FileService
	// Calendar keeps the administrators' overrides of the working
	// calendar that the demand deadlines follow.
	Calendar zhagen.CalendarService
	// Linkages, when set, adds the linkage, visit, red-flag and
	// suggestion pages.
	Linkages zhagen.LinkageService
	// Talent keeps positions and the public job board, surveys,
	// universities, graduates, programmes and service teams.
	Talent zhagen.TalentService
	// Consultations and Projects serve the consultation, action item and
	// key project pages; Minutes renders minutes as .docx. Optional: the
	// pages are served when both services are set.
	Consultations zhagen.ConsultationService
	Projects      zhagen.ProjectService
	Minutes       func(*zhagen.Consultation) ([]byte, error)
	// Rates, when set, adds the three rates page (三率统计) and the
	// workbench cards of the rates.
	Rates zhagen.RatesService
	// Oversight, when set, adds the rankings page (departments and
	// cadres), the monthly bulletins (BulletinDocx renders one as .docx)
	// and the leaders' screen (数据大屏).
	Oversight    zhagen.OversightService
	BulletinDocx func(*zhagen.Bulletin) ([]byte, error)
	// Intake, when set, adds the administrators' page of the Open311
	// intake channels (publicly readable or not).
	Intake zhagen.IntakeService
	// Supervision, when set, adds the supervision order pages (督办单)
	// and the escalation ladder's admin page.
	Supervision zhagen.SupervisionService
	// FollowUps and ReplyTemplates, when set, add the follow-up queue
	// (回访) and the reply templates (常用回复) pages, the workbench's
	// follow-ups due and the template choice of the resolve and update
	// forms.
	FollowUps      zhagen.FollowUpService
	ReplyTemplates zhagen.ReplyTemplateService
	// Channels, when set, adds the administrators' pages of the outside
	// channels and their deliveries, and each user's choice of personal
	// channels; ChannelTester sends the channels' test messages.
	Channels      zhagen.ChannelService
	ChannelTester zhagen.ChannelTester
	// Knowledge, when set, adds the knowledge base (知识库), the similar
	// demands and answers shown while filing, the dispatch suggestion and
	// candidate duplicates on a demand, common problems (共性问题) and the
	// dispatch model's evaluation.
	Knowledge zhagen.KnowledgeService
	// Policies, when set, adds the policy catalogue (惠企政策), redemption
	// (政策兑现), the administrators' tags, the enterprise profile (一企一档)
	// and the enterprise portal's cadres, demands and policies.
	Policies zhagen.PolicyService

	// Catalog holds the words of every page in both languages (required;
	// cmd/zhagen loads it once with catalog.Load and shares it).
	Catalog *catalog.Catalog

	// Clock tells the time for greetings, cookie expiry and the current
	// month of the calendar; nil means the system clock.
	Clock zhagen.Clock
	// SecureCookies marks cookies Secure even on plain HTTP requests, for
	// deployments behind a TLS-terminating proxy. Without it cookies are
	// Secure when the request came over TLS, or through a trusted proxy
	// that says so (throttle.Proxies.Middleware in front of the handler).
	SecureCookies bool
	// LoginLimit and RegisterLimit bound the logins and registrations one
	// client address may try (nil: no bound); cmd shares LoginLimit with
	// the API's login.
	LoginLimit    *throttle.Limiter
	RegisterLimit *throttle.Limiter
	// Logger receives internal errors; nil means slog.Default().
	Logger *slog.Logger
	// Imports runs spreadsheet imports (optional): /imports.
	Imports *sheet.Importer
}

// Handler is the web UI. It implements [http.Handler] and is mounted at "/".
type Handler struct {
	cfg    Config
	log    *slog.Logger
	clock  zhagen.Clock
	mux    *http.ServeMux
	tmpl   *templates
	cat    *catalog.Catalog
	static *staticFiles
	served []Route // every route registered, for Routes
}

// New parses the embedded templates and builds the routes. It fails when a
// service or the catalogue is missing or a template is missing or broken.
func New(cfg Config) (*Handler, error) {
	if cfg.Enterprises == nil || cfg.Departments == nil || cfg.Users == nil || cfg.Auth == nil || cfg.Logs == nil ||
		cfg.Demands == nil || cfg.Files == nil || cfg.Categories == nil || cfg.Notifications == nil || cfg.Calendar == nil || cfg.Talent == nil ||
		cfg.Catalog == nil {
		return nil, errors.New("web: every service of Config must be set")
	}
	h := &Handler{cfg: cfg, log: cfg.Logger, clock: cfg.Clock, cat: cfg.Catalog}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.clock == nil {
		h.clock = zhagen.SystemClock{}
	}
	var err error
	if h.static, err = loadStatic(files); err != nil {
		return nil, err
	}
	if h.tmpl, err = parseTemplates(files, h.static, h.cat); err != nil {
		return nil, err
	}
	h.mux = http.NewServeMux()
	h.routes()
	return h, nil
}

// ServeHTTP serves the request with the handler's routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("X-Frame-Options", "DENY")
	if !h.checkInput(w, r) {
		return
	}
	h.mux.ServeHTTP(w, r)
	zhagen.TraceRoute(r.Context(), r.Pattern)
}

// Route is one registered route of the web UI: its method (empty for
// every method), its path pattern as the mux has it ("/demands/{id}")
// and whether it needs a logged-in user.
type Route struct {
	Method, Pattern string
	Login           bool
}

// Routes lists every registered route in the order of registration. The
// authorization matrix test walks it, so a new route without an entry
// there fails.
func (h *Handler) Routes() []Route { return h.served }

// handle registers pattern ("METHOD /path", or "/path" for every method)
// and records it; login puts requireLogin in front of fn.
func (h *Handler) handle(pattern string, login bool, fn http.HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	h.served = append(h.served, Route{Method: method, Pattern: path, Login: login})
	if login {
		h.mux.Handle(pattern, h.requireLogin(fn))
		return
	}
	h.mux.Handle(pattern, fn)
}

// public registers a route served without login.
func (h *Handler) public(pattern string, fn http.HandlerFunc) { h.handle(pattern, false, fn) }

// routes registers every route, each through handle or public so that
// Routes lists it.
func (h *Handler) routes() {
	h.public("GET /static/", h.static.ServeHTTP)
	h.public("GET /sw.js", h.serviceWorker)
	h.public("GET /manifest.webmanifest", h.manifest)
	h.public("GET /favicon.ico", h.favicon)
	h.public("GET /login", h.loginForm)
	h.public("POST /login", h.login)
	h.public("GET /lang", h.setLang)

	auth := func(pattern string, fn func(http.ResponseWriter, *http.Request)) { h.handle(pattern, true, fn) }
	auth("POST /logout", h.logout)
	auth("GET /account/password", h.passwordForm)
	auth("POST /account/password", h.passwordChange)
	auth("GET /{$}", h.home)

	auth("GET /enterprises", h.enterpriseList)
	auth("GET /enterprises/new", h.enterpriseNew)
	auth("POST /enterprises", h.enterpriseCreate)
	auth("GET /enterprises/{id}", h.enterpriseShow)
	auth("GET /enterprises/{id}/edit", h.enterpriseEdit)
	auth("POST /enterprises/{id}", h.enterpriseUpdate)
	auth("POST /enterprises/{id}/archive", h.enterpriseArchive)

	auth("GET /departments", h.departmentList)
	auth("GET /departments/new", h.departmentNew)
	auth("POST /departments", h.departmentCreate)
	auth("GET /departments/{id}/edit", h.departmentEdit)
	auth("POST /departments/{id}", h.departmentUpdate)

	auth("GET /users", h.userList)
	auth("GET /users/new", h.userNew)
	auth("POST /users", h.userCreate)
	auth("GET /users/{id}/edit", h.userEdit)
	auth("POST /users/{id}", h.userUpdate)
	auth("POST /users/{id}/password", h.userPassword)

	auth("GET /industries", h.industryList)
	auth("POST /industries", h.industryCreate)
	auth("POST /industries/{id}/delete", h.industryDelete)

	auth("GET /demands", h.demandList)
	auth("GET /demands/inbox", h.demandInbox)
	auth("GET /demands/board", h.demandBoard)
	auth("GET /demands/new", h.demandNew)
	auth("GET /demands/questions", h.demandQuestions)
	auth("POST /demands", h.demandCreate)
	auth("GET /demands/{id}", h.demandShow)
	auth("POST /demands/{id}/actions", h.demandAction)
	auth("POST /demands/{id}/attachments", h.demandAttach)
	// The address of a demand file before files were one type, kept.
	auth("GET /demands/{id}/attachments/{aid}", h.ownerFileDownload(zhagen.DemandFiles, "aid"))
	auth("GET /files/{id}", h.fileDownload)

	auth("GET /categories", h.categoryList)
	auth("GET /categories/new", h.categoryNew)
	auth("POST /categories", h.categoryCreate)
	auth("GET /categories/{id}/edit", h.categoryEdit)
	auth("POST /categories/{id}", h.categoryUpdate)

	auth("GET /calendar", h.calendarPage)
	auth("POST /calendar/overrides", h.calendarSet)
	auth("POST /calendar/overrides/{date}/delete", h.calendarDelete)

	h.talentRoutes(auth)

	auth("GET /notifications", h.notificationList)
	auth("POST /notifications/read", h.notificationRead)

	auth("GET /logs/ops", h.opLogList)
	auth("GET /logs/logins", h.loginLogList)

	h.linkageRoutes(auth)
	h.consultationRoutes(auth)
	h.ratesRoutes(auth)
	h.followUpRoutes(auth)
	h.trendRoutes(auth)
	h.oversightRoutes(auth)
	h.intakeRoutes(auth)
	h.supervisionRoutes(auth)
	h.importRoutes(auth)
	h.channelRoutes(auth)
	h.knowledgeRoutes(auth)
	h.policyRoutes(auth)

	auth("/", h.notFound)
}

// requireLogin resolves the session cookie to an actor and puts it and the
// client address in the request context. Without a live session it sends
// the browser to the login page and comes back afterwards.
func (h *Handler) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := zhagen.NewContextWithIP(r.Context(), clientIP(r))
		var actor *zhagen.Actor
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			a, err := h.cfg.Auth.ActorBySession(ctx, c.Value)
			switch code := zhagen.ErrorCode(err); code {
			case "":
				actor = a
			case zhagen.EUNAUTHORIZED, zhagen.ENOTFOUND:
				h.clearSession(w, r)
			default:
				h.serverError(w, r, err)
				return
			}
		}
		if actor == nil {
			target := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			if r.Header.Get("HX-Request") == "true" {
				w.Header().Set("HX-Redirect", target)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if actor.MustChangePassword && !passwordChangePatterns[r.Pattern] {
			// A password someone else chose: nothing but changing it.
			if r.Header.Get("HX-Request") == "true" {
				w.Header().Set("HX-Redirect", "/account/password")
				w.WriteHeader(http.StatusForbidden)
				return
			}
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(zhagen.NewContextWithActor(ctx, actor)))
	})
}

// passwordChangePatterns are the routes open to a user who must change
// their password first (zhagen.User.MustChangePassword): the
// change-password page and logging out.
var passwordChangePatterns = map[string]bool{"GET /account/password": true, "POST /account/password": true, "POST /logout": true}

// clientIP returns the address of the client: the peer, or the client a
// trusted proxy named (throttle.Proxies.Middleware rewrites RemoteAddr);
// forwarded headers are not read here.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// actor returns the logged-in actor of the request.
func actor(r *http.Request) *zhagen.Actor { return zhagen.ActorFromContext(r.Context()) }

// ctx is a shorthand for the request context.
func ctx(r *http.Request) context.Context { return r.Context() }

// localPath returns p when it is a path on this site, else "/".
// It keeps open redirects out of ?next= and Referer.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return p
}

// secure reports whether cookies must carry the Secure attribute: when
// configured, or when the client reached the server over HTTPS (directly,
// or through a trusted proxy).
func (h *Handler) secure(r *http.Request) bool { return h.cfg.SecureCookies || throttle.HTTPS(r) }
