package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"zhagen"
	"zhagen/sqldb"
)

// benchEnv is a fresh database served on loopback for a load test.
type benchEnv struct {
	app     *App
	base    string
	engine  string
	close   func()
	sys     context.Context
	clients int
	dur     time.Duration
	// cpuprofile, when set, receives a CPU profile of each load phase,
	// as cpuprofile.1, cpuprofile.2, … (go tool pprof reads them).
	cpuprofile string
	phases     int
}

// newBenchEnv opens a fresh database (a temporary SQLite file, or a new
// schema in the PostgreSQL database pg) and serves the app on loopback.
func newBenchEnv(ctx context.Context, pg string, clients int, dur time.Duration) (*benchEnv, error) {
	dsn, cleanup, err := benchDSN(pg)
	if err != nil {
		return nil, err
	}
	db, err := sqldb.Open(ctx, dsn, nil)
	if err != nil {
		cleanup()
		return nil, err
	}
	fail := func(err error) (*benchEnv, error) { db.Close(); cleanup(); return nil, err }
	if err := db.Migrate(ctx); err != nil {
		return fail(err)
	}
	app, err := newApp(db, zhagen.SystemClock{}, "")
	if err != nil {
		return fail(err)
	}
	h, err := app.Handler(slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	// Notices are delivered as the server does: right after each commit
	// that wrote some, beside the requests.
	dctx, stopDrain := context.WithCancel(ctx)
	drained := make(chan struct{})
	go func() { app.Drainer.Run(dctx, db.OutboxWake(), drainEvery); close(drained) }()
	engine := "sqlite"
	if db.IsPostgres() {
		engine = "postgres"
	}
	return &benchEnv{app: app, base: "http://" + ln.Addr().String(), engine: engine, sys: systemCtx(ctx), clients: clients, dur: dur,
		close: func() { srv.Close(); stopDrain(); <-drained; db.Close(); cleanup() }}, nil
}

// token creates a user and returns a bearer token of theirs.
func (b *benchEnv) token(u *zhagen.User) (string, error) {
	u.Password = "Bench@2026"
	if err := b.app.Users.CreateUser(b.sys, u); err != nil {
		return "", err
	}
	t, err := b.app.Auth.CreateToken(b.sys, u.ID, "bench", 0)
	if err != nil {
		return "", err
	}
	return t.Token, nil
}

// loadResult is what a load phase measured.
type loadResult struct {
	Requests int     `json:"requests"`
	Failures int     `json:"failures"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
}

// load runs b.clients clients for b.dur; each request comes from next and
// counts when check accepts its status and body.
func (b *benchEnv) load(ctx context.Context, next func(client, i int) *http.Request, check func(status int, body []byte) bool) loadResult {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: b.clients}}
	if b.cpuprofile != "" {
		b.phases++
		if f, err := os.Create(fmt.Sprintf("%s.%d", b.cpuprofile, b.phases)); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	deadline := time.Now().Add(b.dur)
	var mu sync.Mutex
	var lat []time.Duration
	failures := 0
	var wg sync.WaitGroup
	for c := 0; c < b.clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				req := next(c, i).WithContext(ctx)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					bad++
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !check(resp.StatusCode, body) {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			failures += bad
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	return loadResult{Requests: len(lat), Failures: failures, RPS: float64(len(lat)) / b.dur.Seconds(), P50: pct(0.5), P99: pct(0.99)}
}

func (b *benchEnv) get(path, token string) *http.Request {
	req, _ := http.NewRequest("GET", b.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

// startBench parses the common flags and opens the bench environment; it
// returns how many records to store.
func startBench(ctx context.Context, fs *flag.FlagSet, args []string, defaultN int) (*benchEnv, *int, error) {
	n := fs.Int("n", defaultN, "已存记录数 (records stored)")
	clients := fs.Int("clients", 16, "并发客户端 (concurrent clients)")
	dur := fs.Duration("duration", 10*time.Second, "每项压测时长 (how long each phase measures)")
	pg := fs.String("postgres", "", "PostgreSQL DSN; a throw-away schema is created in it (default: a temporary SQLite file)")
	prof := fs.String("cpuprofile", "", "每项压测的 CPU 剖析文件前缀 (write a CPU profile of each phase to FILE.1, FILE.2, …)")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	b, err := newBenchEnv(ctx, *pg, *clients, *dur)
	if b != nil {
		b.cpuprofile = *prof
	}
	return b, n, err
}

func printPhase(w io.Writer, engine, phase string, stored int, clients int, r loadResult) error {
	return json.NewEncoder(w).Encode(map[string]any{"engine": engine, "phase": phase, "stored": stored, "clients": clients,
		"requests": r.Requests, "failures": r.Failures, "rps": r.RPS, "p50_ms": r.P50, "p99_ms": r.P99})
}

// benchEnterprises stores N enterprises and lets the clients list the
// first pages through the API.
func benchEnterprises(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	b, n, err := startBench(ctx, fs, args, 100000)
	if err != nil {
		return err
	}
	defer b.close()
	if err := b.app.Enterprises.ImportEnterprises(b.sys, syntheticEnterprises(*n)); err != nil {
		return err
	}
	tok, err := b.token(&zhagen.User{Login: "benchadmin", Name: "压测", Roles: []zhagen.Role{zhagen.RoleAdmin}})
	if err != nil {
		return err
	}
	res := b.load(ctx, func(c, i int) *http.Request {
		return b.get(fmt.Sprintf("/api/v1/enterprises?limit=25&offset=%d", ((c*7+i)%40)*25), tok)
	}, func(st int, body []byte) bool {
		var out struct{ Total int }
		return st == 200 && json.Unmarshal(body, &out) == nil && out.Total == *n
	})
	return printPhase(stdout, b.engine, "list enterprises", *n, b.clients, res)
}

// benchDemands stores N demands, then measures a department's scoped
// inbox (25 rows, most urgent first) and creating demands through the API.
func benchDemands(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	b, n, err := startBench(ctx, fs, args, 1000000)
	if err != nil {
		return err
	}
	defer b.close()
	root := &zhagen.Department{Name: "管委会", Kind: zhagen.DeptGov}
	if err := b.app.Departments.CreateDepartment(b.sys, root); err != nil {
		return err
	}
	var depts []int64
	for i := 0; i < 20; i++ {
		d := &zhagen.Department{Name: fmt.Sprintf("部门%02d", i), Kind: zhagen.DeptGov, ParentID: root.ID}
		if err := b.app.Departments.CreateDepartment(b.sys, d); err != nil {
			return err
		}
		depts = append(depts, d.ID)
	}
	ents := syntheticEnterprises(1000)
	if err := b.app.Enterprises.ImportEnterprises(b.sys, ents); err != nil {
		return err
	}
	list, _, err := b.app.Enterprises.FindEnterprises(b.sys, zhagen.EnterpriseFilter{Limit: 200})
	if err != nil {
		return err
	}
	var entIDs []int64
	for _, e := range list {
		entIDs = append(entIDs, e.ID)
	}
	cat := &zhagen.Category{Code: "power", Name: "用电保障", LeadDeptID: depts[0], CoopDeptIDs: []int64{depts[1]},
		Questions: []zhagen.Question{{Code: "load_kw", Label: "用电负荷", Type: zhagen.QNumber, Required: true}}}
	if err := b.app.Categories.CreateCategory(b.sys, cat); err != nil {
		return err
	}
	t0 := time.Now()
	if err := b.app.Demands.BulkLoadDemands(b.sys, *n, cat.ID, entIDs, depts, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench: stored %d demands in %s\n", *n, time.Since(t0).Round(time.Second))
	staff, err := b.token(&zhagen.User{Login: "benchstaff", Name: "部门人员", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: depts[0]})
	if err != nil {
		return err
	}
	cadreUser := &zhagen.User{Login: "benchcadre", Name: "联系干部", Roles: []zhagen.Role{zhagen.RoleCadre}, DeptID: depts[0]}
	cadre, err := b.token(cadreUser)
	if err != nil {
		return err
	}
	// A cadre files only for the enterprises linked to it.
	for _, id := range entIDs {
		if err := b.app.Linkages.CreateLinkage(b.sys, &zhagen.Linkage{CadreID: cadreUser.ID, EnterpriseID: id}); err != nil {
			return err
		}
	}
	inbox := fmt.Sprintf("/api/v1/demands?dept_id=%d&dept_role=lead&open=true&sort=due&limit=25", depts[0])
	res := b.load(ctx, func(c, i int) *http.Request { return b.get(inbox, staff) }, func(st int, body []byte) bool {
		var out struct{ Items []json.RawMessage }
		return st == 200 && json.Unmarshal(body, &out) == nil && len(out.Items) == 25
	})
	if err := printPhase(stdout, b.engine, "department inbox", *n, b.clients, res); err != nil {
		return err
	}
	res = b.load(ctx, func(c, i int) *http.Request {
		body, _ := json.Marshal(map[string]any{"enterprise_id": entIDs[(c*131+i)%len(entIDs)], "category_id": cat.ID,
			"title": "压测新诉求", "description": "生产需要双回路供电", "answers": map[string]any{"load_kw": 800}})
		req, _ := http.NewRequest("POST", b.base+"/api/v1/demands", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+cadre)
		req.Header.Set("Content-Type", "application/json")
		return req
	}, func(st int, body []byte) bool { return st == 201 })
	return printPhase(stdout, b.engine, "create demand", *n, b.clients, res)
}

// benchDSN returns a fresh database: a temporary SQLite file, or a new
// schema in the given PostgreSQL database. cleanup removes it.
func benchDSN(pg string) (string, func(), error) {
	if pg != "" {
		return sqldb.TempSchema(pg, "bench_")
	}
	dir, err := os.MkdirTemp("", "zhagen-bench-")
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
}

// syntheticEnterprises makes n enterprises with valid, distinct codes.
func syntheticEnterprises(n int) []*zhagen.Enterprise {
	industries := []string{"数字经济", "生物医药", "光电", "新材料", "集成电路"}
	parks := []string{"海西园", "南屿片区", "上街片区", "大学城片区"}
	out := make([]*zhagen.Enterprise, n)
	for i := range out {
		body := fmt.Sprintf("91350100%09d", i)
		c, _ := zhagen.USCCCheckChar(body)
		out[i] = &zhagen.Enterprise{Name: fmt.Sprintf("压测企业%06d有限公司", i), USCC: body + string(c),
			Industry: industries[i%len(industries)], Park: parks[i%len(parks)], IsKey: i%17 == 0, Status: zhagen.EntOperating}
	}
	return out
}
