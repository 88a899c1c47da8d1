package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"zhagen"
	"zhagen/sqldb"
)

// benchEnterprises stores N enterprises in a fresh database, serves the
// API on loopback and lets C clients list the first pages for a while. It
// prints requests per second and latency percentiles as one JSON line.
func benchEnterprises(ctx context.Context, cfg *Config, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	n := fs.Int("n", 100000, "企业数量 (enterprises stored)")
	clients := fs.Int("clients", 16, "并发客户端 (concurrent clients)")
	dur := fs.Duration("duration", 10*time.Second, "压测时长 (how long to measure)")
	pg := fs.String("postgres", "", "PostgreSQL DSN; a throw-away schema is created in it (default: a temporary SQLite file)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dsn, cleanup, err := benchDSN(*pg)
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := sqldb.Open(ctx, dsn, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	app := newApp(db, zhagen.SystemClock{})
	sys := systemCtx(ctx)
	if err := app.Enterprises.ImportEnterprises(sys, syntheticEnterprises(*n)); err != nil {
		return err
	}
	admin := &zhagen.User{Login: "benchadmin", Name: "压测", Roles: []zhagen.Role{zhagen.RoleAdmin}, Password: "Bench@2026"}
	if err := app.Users.CreateUser(sys, admin); err != nil {
		return err
	}
	tok, err := app.Auth.CreateToken(sys, admin.ID, "bench", 0)
	if err != nil {
		return err
	}
	h, err := app.Handler(slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()

	base := "http://" + ln.Addr().String() + "/api/v1/enterprises?limit=25&offset="
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	deadline := time.Now().Add(*dur)
	var mu sync.Mutex
	var lat []time.Duration
	var failures int
	var wg sync.WaitGroup
	for c := 0; c < *clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := 0; time.Now().Before(deadline); i++ {
				req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s%d", base, ((c*7+i)%40)*25), nil)
				req.Header.Set("Authorization", "Bearer "+tok.Token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					bad++
					continue
				}
				var body struct{ Total int }
				json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				if resp.StatusCode != 200 || body.Total != *n {
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
	engine := "sqlite"
	if db.IsPostgres() {
		engine = "postgres"
	}
	return json.NewEncoder(stdout).Encode(map[string]any{
		"engine": engine, "enterprises": *n, "clients": *clients, "requests": len(lat), "failures": failures,
		"rps": float64(len(lat)) / dur.Seconds(), "p50_ms": pct(0.50), "p99_ms": pct(0.99),
	})
}

// benchDSN returns a fresh database: a temporary SQLite file, or a new
// schema in the given PostgreSQL database. cleanup removes it.
func benchDSN(pg string) (string, func(), error) {
	if pg == "" {
		dir, err := os.MkdirTemp("", "zhagen-bench-")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
	}
	b := make([]byte, 4)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", pg)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(pg)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() }, nil
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
