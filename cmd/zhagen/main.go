// Command zhagen runs the zhagen government–enterprise service platform:
// the web UI, the JSON API and the administrative subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"zhagen"
	"zhagen/api"
	"zhagen/catalog"
	"zhagen/docx"
	"zhagen/notify"
	"zhagen/open311"
	"zhagen/sheet"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/web"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "zhagen:", err)
		os.Exit(1)
	}
}

const usage = `zhagen — 扎根 · 政企服务平台 (government–enterprise service platform)

用法 Usage: zhagen <command> [flags]

  serve            启动服务（Web 界面与 /api/v1）       run the server
  migrate          升级数据库结构                        apply database migrations
  demo             载入演示园区数据（可重复运行）        load the demo zone (idempotent)
  user add         新建用户                              add a user
  user passwd      重置密码                              set a user's password
  user lock|unlock 锁定/解锁账号（--for 24h）            lock or unlock an account
  token create     为用户签发 API 令牌                   issue a bearer token
  config           显示生效配置（密钥已隐藏）            print the effective configuration
  calendar show YYYY-MM            查看工作日历          list working days and holidays of a month
  calendar due --from T --days N   计算办理时限          compute an SLA due time (or --hours N)
  backup FILE                   在线备份并核对               back up online and check the backup
  restore [--force] FILE        从备份恢复                   restore from a backup
  audit verify|seal              核对或封存操作日志哈希链     verify or seal the operation log's hash chain
  open311-key create NAME          签发 Open311 api_key  issue an Open311 intake api_key (list: open311-key list)
  match --instance FILE [--out FILE]  稳定匹配（hr 1 格式）  graduate-optimal stable matching of an hr file
  assign --dimacs FILE               最优指派/最小费用流   optimal assignment or min-cost flow of a DIMACS file
  bench enterprises  压测企业列表接口                    benchmark GET /api/v1/enterprises
  bench demands      压测部门待办与提交诉求              benchmark the inbox and creating demands
  bench dashboard    压测三率趋势看板（--demands N）     fill N demands over 24 months, time the rates dashboard
  bench similar      相似诉求检索压测（--demands N）     index N demands in memory, time similar-demand lookups
  dispatch eval      智能派单评估                        train on the earlier history, report top-1/top-3 per category
  bench export       压测导出（--rows N，默认100万）     stream N demands as .xlsx and CSV: time, peak RSS
  bench import       压测企业导入（--rows N，默认10万）  read, validate and store N enterprise rows from .xlsx
                     --kind cadres：干部账号导入（默认1000行，含 argon2id 初始密码哈希）
  version          显示版本                              print the version

Run "zhagen <command> -h" for the flags of a command.`

// run dispatches a subcommand; main and the tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("missing command")
	}
	cmd, rest := args[0], args[1:]
	if (cmd == "user" || cmd == "token" || cmd == "bench") && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	fs := flag.NewFlagSet("zhagen "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := loadConfig(fs, getenv)
	switch cmd {
	case "serve":
		return parseAnd(fs, rest, func() error {
			if _, err := setMemoryLimit(cfg.MemoryLimit, getenv); err != nil {
				return err
			}
			if _, err := setGCPercent(cfg.GCPercent, getenv); err != nil {
				return err
			}
			return serve(ctx, cfg, stderr, nil)
		})
	case "migrate":
		return parseAnd(fs, rest, func() error { return migrate(ctx, cfg, stdout) })
	case "demo":
		bulk := fs.Int("bulk-demands", 0, "另外批量写入的诉求数，用于压测 (extra synthetic demands for load tests)")
		return parseAnd(fs, rest, func() error { return loadDemo(ctx, cfg, *bulk, stdout) })
	case "user add":
		return userAdd(ctx, cfg, fs, rest, stdin, stdout)
	case "user passwd":
		return userPasswd(ctx, cfg, fs, rest, stdin, stdout)
	case "user lock", "user unlock":
		return userLock(ctx, cfg, fs, rest, stdout, cmd == "user unlock")
	case "token create":
		return tokenCreate(ctx, cfg, fs, rest, stdout)
	case "bench enterprises":
		return benchEnterprises(ctx, fs, rest, stdout)
	case "bench demands":
		return benchDemands(ctx, fs, rest, stdout)
	case "bench dashboard":
		return benchDashboard(ctx, fs, rest, stdout)
	case "bench pages":
		return benchPages(ctx, fs, rest, stdout)
	case "bench similar":
		return benchSimilar(fs, rest, stdout)
	case "dispatch":
		return dispatchCmd(ctx, cfg, fs, rest, stdout)
	case "bench export":
		return benchExport(ctx, fs, rest, stdout)
	case "bench import":
		return benchImport(ctx, fs, rest, stdout)
	case "calendar":
		return calendarCmd(rest, stdout)
	case "match":
		return matchCmd(rest, stdout)
	case "assign":
		return assignCmd(rest, stdout)
	case "open311-key":
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return open311KeyCmd(ctx, cfg, fs.Args(), stdout)
	case "backup":
		return backupCmd(ctx, cfg, fs, rest, stdout)
	case "restore":
		return restoreCmd(ctx, cfg, fs, rest, stdout)
	case "audit":
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return auditCmd(ctx, cfg, fs.Args(), stdout)
	case "config":
		return parseAnd(fs, rest, func() error { cfg.Print(stdout); return nil })
	case "version":
		fmt.Fprintln(stdout, "zhagen", Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func parseAnd(fs *flag.FlagSet, args []string, f func() error) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return f()
}

// App is every part of zhagen wired together over one database; the
// server, the subcommands and the end-to-end tests use it.
type App struct {
	DB            *sqldb.DB
	Enterprises   *sqldb.EnterpriseService
	Departments   *sqldb.DepartmentService
	Users         *sqldb.UserService
	Auth          *sqldb.AuthService
	Logs          *sqldb.LogService
	Categories    *sqldb.CategoryService
	Demands       *sqldb.DemandService
	Files         *sqldb.FileService
	Notifications *sqldb.NotificationService
	Intake        *sqldb.IntakeService
	Overrides     *sqldb.CalendarService
	Linkages      *sqldb.LinkageService
	Talent        *sqldb.TalentService
	Consultations *sqldb.ConsultationService
	Projects      *sqldb.ProjectService
	Rates         *sqldb.RatesService
	Oversight     *sqldb.OversightService
	Supervision   *sqldb.SupervisionService
	// Knowledge is the knowledge base, similar demands, the dispatch
	// suggestion and common problems.
	Knowledge *sqldb.KnowledgeService
	// Policies keeps the policy catalogue, tags, matching, redemption and
	// the enterprise profile (一企一档).
	Policies *sqldb.PolicyService
	// FollowUps and ReplyTemplates keep the follow-ups (回访) and the
	// reply templates (常用回复).
	FollowUps      *sqldb.FollowUpService
	ReplyTemplates *sqldb.ReplyTemplateService
	Calendar       *sla.Calendar
	Catalog        *catalog.Catalog // the words users read, both languages
	Clock          zhagen.Clock
	// Drainer delivers the notices the services write to the outbox, and
	// fans out their deliveries over outside channels, which Courier
	// sends on its own.
	Drainer *notify.Drainer
	// MetricsToken lets a caller from elsewhere read /metrics; draining
	// makes /readyz answer 503 once the server is shutting down.
	MetricsToken string
	draining     atomic.Bool
	fresh        *freshWriters // recent writers, when reads go to a replica
	Courier      *notify.Courier
	Channels     *sqldb.ChannelService
	// Imports validates and stores imported rows; Importer runs the
	// spreadsheet import jobs over it (web and API share them).
	Imports  *sqldb.ImportService
	Importer *sheet.Importer
	// Protection guards logins, registration and Open311 posts
	// (DefaultProtection unless serve configures it).
	Protection Protection
}

// openApp opens and migrates the database and builds the services.
func openApp(ctx context.Context, cfg *Config, clock zhagen.Clock) (*App, error) {
	if err := cfg.ensureDataDir(); err != nil {
		return nil, err
	}
	db, err := sqldb.Open(ctx, cfg.DatabaseURL, clock)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if cfg.ReadURL != "" {
		if err := db.AttachReadReplica(ctx, cfg.ReadURL); err != nil {
			db.Close()
			return nil, err
		}
	}
	app, err := newApp(db, clock, cfg.OfficeHours)
	if err != nil {
		db.Close()
		return nil, err
	}
	app.Courier.BaseURL = cfg.PublicURL
	return app, nil
}

// newApp builds the services over db, with the statutory working calendar
// and the office hours given as "08:30-12:00,14:30-17:30" ("" for the
// default).
func newApp(db *sqldb.DB, clock zhagen.Clock, officeHours string) (*App, error) {
	var hours []sla.Period
	if officeHours != "" {
		var err error
		if hours, err = sla.ParseOfficeHours(officeHours); err != nil {
			return nil, fmt.Errorf("office hours %q: %w", officeHours, err)
		}
	}
	cal, err := sla.NewCalendar(sla.Config{OfficeHours: hours})
	if err != nil {
		return nil, err
	}
	cat, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	app := &App{DB: db, Clock: clock, Calendar: cal, Catalog: cat,
		Enterprises: sqldb.NewEnterpriseService(db), Departments: sqldb.NewDepartmentService(db),
		Users: sqldb.NewUserService(db), Auth: sqldb.NewAuthService(db), Logs: sqldb.NewLogService(db),
		Categories: sqldb.NewCategoryService(db), Demands: sqldb.NewDemandService(db, cal),
		Notifications: sqldb.NewNotificationService(db), Intake: sqldb.NewIntakeService(db), Overrides: sqldb.NewCalendarService(db),
		Talent: sqldb.NewTalentService(db), Consultations: sqldb.NewConsultationService(db, cal), Projects: sqldb.NewProjectService(db, cal)}
	app.Linkages = sqldb.NewLinkageService(db, app.Demands)
	app.Files = sqldb.NewFileService(db)
	app.Rates = sqldb.NewRatesService(db)
	app.Oversight = sqldb.NewOversightService(db)
	app.Supervision = sqldb.NewSupervisionService(db, cal)
	app.Knowledge = sqldb.NewKnowledgeService(db, app.Demands)
	app.Policies = sqldb.NewPolicyService(db, cal)
	app.FollowUps, app.ReplyTemplates = sqldb.NewFollowUpService(db, app.Demands), sqldb.NewReplyTemplateService(db)
	app.Drainer = notify.New(sqldb.NewOutbox(db), cat, clock, sqldb.NewInAppSender(db))
	app.Drainer.Fanned = make(chan struct{}, 1)
	app.Channels = sqldb.NewChannelService(db)
	app.Courier = notify.NewCourier(sqldb.NewOutbox(db), app.Channels, cat, clock)
	app.Imports = sqldb.NewImportService(db)
	app.Importer = sheet.NewImporter(app.Imports, clock)
	app.Protection = DefaultProtection()
	return app, nil
}

// Handler returns the whole HTTP handler: the API under /api/, the web UI
// at /, cross-origin protection on every state-changing request, security
// headers (HSTS over HTTPS), per-address limits on logins, registration
// and Open311 posts, and the client's real address and scheme behind
// trusted proxies (a.Protection).
func (a *App) Handler(log *slog.Logger, secureCookies bool) (http.Handler, error) {
	lim := a.Protection.limiters(a.Clock)
	ui, err := web.New(web.Config{LoginLimit: lim.login, RegisterLimit: lim.register, Enterprises: a.Enterprises, Departments: a.Departments, Users: a.Users, Auth: a.Auth,
		Logs: a.Logs, Demands: a.Demands, Files: a.Files, Categories: a.Categories, Notifications: a.Notifications, Calendar: a.Overrides,
		Linkages: a.Linkages, Talent: a.Talent, Consultations: a.Consultations, Projects: a.Projects, Minutes: docx.Minutes,
		Clock: a.Clock, SecureCookies: secureCookies, Logger: log, Rates: a.Rates, Catalog: a.Catalog, Intake: a.Intake,
		Supervision: a.Supervision, FollowUps: a.FollowUps, ReplyTemplates: a.ReplyTemplates,
		Channels: a.Channels, ChannelTester: a.Courier, Oversight: a.Oversight, BulletinDocx: docx.Bulletin, Knowledge: a.Knowledge, Policies: a.Policies, Imports: a.Importer})
	if err != nil {
		return nil, err
	}
	apiHandler := api.New(api.Config{LoginLimit: lim.login, Enterprises: a.Enterprises, Departments: a.Departments, Users: a.Users, Auth: a.Auth,
		Demands: a.Demands, Files: a.Files, Categories: a.Categories, Notifications: a.Notifications, Calendar: a.Overrides,
		Linkages: a.Linkages, Talent: a.Talent, Consultations: a.Consultations, Projects: a.Projects, Minutes: docx.Minutes, Logger: log, Rates: a.Rates,
		Supervision: a.Supervision, FollowUps: a.FollowUps, ReplyTemplates: a.ReplyTemplates, Clock: a.Clock, Knowledge: a.Knowledge,
		Channels: a.Channels, ChannelTester: a.Courier, Oversight: a.Oversight, Policies: a.Policies, Imports: a.Importer})
	mux := http.NewServeMux()
	mux.Handle("/api/", apiHandler)
	mux.Handle("/open311/v2/", open311.New(open311.Config{PostLimit: lim.open311, Demands: a.Demands, Categories: a.Categories, Intake: a.Intake, Logger: log, Clock: a.Clock}))
	mux.Handle("/", ui)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := a.DB.SQL().PingContext(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", a.readyz)
	m := newMetrics(a.DB, a.MetricsToken)
	cop := http.NewCrossOriginProtection()
	// Open311 intake is authenticated by its api_key, not by a cookie.
	cop.AddInsecureBypassPattern("POST /open311/v2/requests.xml")
	cop.AddInsecureBypassPattern("POST /open311/v2/requests.json")
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "跨站请求已被拒绝 (cross-origin request refused)\n")
	}))
	return m.serve(a.Protection.Proxies.Middleware(hsts(recordDenials(a.readRouting(m.instrument(securityHeaders(cop.Handler(gateReads(readGate(a.Protection.ReadSlots), []string{"/healthz", "/readyz"}, mux))))), a.Logs, log)))), nil
}

// readyz tells a load balancer whether to send this server requests: not
// while it shuts down, nor while its database does not answer or holds a
// schema other than this binary's.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if a.draining.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if err := a.DB.Ready(r.Context()); err != nil {
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, "ready\n")
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serve runs the server until ctx ends, then lets in-flight requests
// finish (up to 15 s) and closes the database. When ready is not nil it
// receives the listening address once requests are accepted.
func serve(ctx context.Context, cfg *Config, stderr io.Writer, ready chan<- string) error {
	log := newLogger(cfg, stderr)
	app, err := openApp(ctx, cfg, zhagen.SystemClock{})
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if app.Protection, err = cfg.Protection(); err != nil {
		return err
	}
	app.MetricsToken = cfg.MetricsToken
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	// The demand index and the dispatch model build in the background:
	// meanwhile lookups answer at once, pending (索引建立中).
	app.Knowledge.Background = true
	h, err := app.Handler(log, cfg.SecureCookies)
	if err != nil {
		return err
	}
	if cfg.PprofAddr != "" {
		stop := make(chan struct{})
		defer close(stop)
		if err := servePprof(cfg.PprofAddr, log, stop); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: accessLog(log, h), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	scheme := "http://"
	if cfg.TLSCert != "" {
		scheme = "https://"
	}
	log.Info("zhagen serving", "addr", scheme+ln.Addr().String(), "database", maskDSN(cfg.DatabaseURL), "version", Version,
		"trusted_proxy", app.Protection.Proxies.String(), "login_rate", app.Protection.LoginRate.String())
	errc := make(chan error, 1)
	go func() {
		if cfg.TLSCert != "" {
			errc <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
			return
		}
		errc <- srv.Serve(ln)
	}()
	jobsDone := make(chan struct{})
	jctx, stopJobs := context.WithCancel(ctx)
	go func() { runJobs(jctx, app, log); close(jobsDone) }()
	warmed := make(chan struct{})
	go func() { warmKnowledge(jctx, app, log); close(warmed) }()
	defer func() { stopJobs(); <-jobsDone; <-warmed }()
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	app.draining.Store(true)
	log.Info("shutting down: waiting for in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// accessLog logs method, path (without the query, which may carry
// secrets), status and duration.
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(s int) { w.status = s; w.ResponseWriter.WriteHeader(s) }

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func migrate(ctx context.Context, cfg *Config, stdout io.Writer) error {
	return withApp(ctx, cfg, func(app *App) error {
		v, err := app.DB.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "数据库结构已是最新版本 %d (schema version %d)\n", v, v)
		return nil
	})
}
