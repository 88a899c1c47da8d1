package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
	"zhagen/throttle"
)

// testApp opens an App over a fresh SQLite database with the environment
// env (ZHAGEN_DATABASE_URL is set to a temporary file).
func testApp(t *testing.T, env map[string]string) (*App, *Config) {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	env["ZHAGEN_DATABASE_URL"] = filepath.Join(t.TempDir(), "z.db")
	cfg := loadConfig(flag.NewFlagSet("test", flag.ContinueOnError), func(k string) string { return env[k] })
	app, err := openApp(context.Background(), cfg, zhagen.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.DB.Close() })
	return app, cfg
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestHSTSOverTLS: a response over TLS carries Strict-Transport-Security;
// one over plain HTTP does not.
func TestHSTSOverTLS(t *testing.T) {
	app, _ := testApp(t, nil)
	h, err := app.Handler(quietLog(), false)
	if err != nil {
		t.Fatal(err)
	}
	tlsSrv := httptest.NewTLSServer(h)
	defer tlsSrv.Close()
	res, err := tlsSrv.Client().Get(tlsSrv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Fatalf("over TLS: Strict-Transport-Security %q", got)
	}
	plain := httptest.NewServer(h)
	defer plain.Close()
	res, err = http.Get(plain.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Strict-Transport-Security"); got != "" {
		t.Fatalf("over plain HTTP: Strict-Transport-Security %q", got)
	}
}

// TestTrustedProxy: behind a proxy named by --trusted-proxy, the login
// log records the client's address, HTTPS the proxy reports brings HSTS
// and Secure cookies; the same headers from anyone else change nothing.
func TestTrustedProxy(t *testing.T) {
	app, cfg := testApp(t, map[string]string{"ZHAGEN_TRUSTED_PROXY": "127.0.0.1/32,::1"})
	var err error
	if app.Protection, err = cfg.Protection(); err != nil {
		t.Fatal(err)
	}
	sys := systemCtx(context.Background())
	u := &zhagen.User{Login: "ops", Name: "运维", Roles: []zhagen.Role{zhagen.RoleAdmin}, Password: "Zg-Test#4821"}
	if err := app.Users.CreateUser(sys, u); err != nil {
		t.Fatal(err)
	}
	h, err := app.Handler(quietLog(), false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	login := func(xff, proto string) *http.Response {
		req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(url.Values{"login": {"ops"}, "password": {"Zg-Test#4821"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", xff)
		req.Header.Set("X-Forwarded-Proto", proto)
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	res := login("198.51.100.23", "https")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("through the proxy over HTTPS: %d, HSTS %q", res.StatusCode, res.Header.Get("Strict-Transport-Security"))
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "zhagen_session" && !ck.Secure {
			t.Error("session cookie not Secure")
		}
	}
	logs, _, err := app.Logs.FindLoginLogs(sys, zhagen.LogFilter{Query: "ops"})
	if err != nil || len(logs) == 0 || logs[0].IP != "198.51.100.23" {
		t.Fatalf("login log: %+v %v", logs, err)
	}

	// The same request from a peer that is not a trusted proxy.
	app2, _ := testApp(t, nil)
	if err := app2.Users.CreateUser(sys, &zhagen.User{Login: "ops", Name: "运维", Roles: []zhagen.Role{zhagen.RoleAdmin}, Password: "Zg-Test#4821"}); err != nil {
		t.Fatal(err)
	}
	h2, _ := app2.Handler(quietLog(), false)
	srv2 := httptest.NewServer(h2)
	defer srv2.Close()
	srv.URL = srv2.URL // login() posts to srv.URL
	res = login("198.51.100.23", "https")
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS on an untrusted peer's word")
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "zhagen_session" && ck.Secure {
			t.Error("Secure cookie on an untrusted peer's word")
		}
	}
	logs, _, _ = app2.Logs.FindLoginLogs(sys, zhagen.LogFilter{Query: "ops"})
	if len(logs) == 0 || logs[0].IP != "127.0.0.1" {
		t.Fatalf("untrusted peer: login log %+v", logs)
	}
}

// TestProtectionConfig: the flags parse, bad values are refused at
// start, and config shows them.
func TestProtectionConfig(t *testing.T) {
	env := map[string]string{"ZHAGEN_TRUSTED_PROXY": "10.0.0.0/8", "ZHAGEN_LOGIN_RATE": "10/1m"}
	out, err := runCmd(t, env, "", "config", "--register-rate", "2/1h")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"10.0.0.0/8", "10/1m", "2/1h", "flag --register-rate", "env ZHAGEN_TRUSTED_PROXY", "60/1m"} {
		if !strings.Contains(out, want) {
			t.Errorf("config lacks %q:\n%s", want, out)
		}
	}
	cfg := loadConfig(flag.NewFlagSet("t", flag.ContinueOnError), func(k string) string { return env[k] })
	p, err := cfg.Protection()
	if err != nil || p.LoginRate != (throttle.Rate{N: 10, Per: time.Minute}) || !p.Proxies.Trusted("10.2.3.4") || p.Proxies.Trusted("11.0.0.1") {
		t.Fatalf("protection %+v %v", p, err)
	}
	for k, v := range map[string]string{"ZHAGEN_TRUSTED_PROXY": "10.0.0.0/33", "ZHAGEN_LOGIN_RATE": "lots", "ZHAGEN_OPEN311_RATE": "5/x"} {
		cfg := loadConfig(flag.NewFlagSet("t", flag.ContinueOnError), func(key string) string {
			if key == k {
				return v
			}
			return ""
		})
		if _, err := cfg.Protection(); err == nil {
			t.Errorf("%s=%q accepted", k, v)
		}
	}
}

// TestPurgeJob: the scheduled jobs purge expired sessions by the app's
// clock.
func TestPurgeJob(t *testing.T) {
	sqldbtest.Run(t, testPurgeJob)
}

func testPurgeJob(t *testing.T, eng sqldbtest.Engine) {
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}
	db := eng.Open(t, clock)
	app, err := newApp(db, clock, "")
	if err != nil {
		t.Fatal(err)
	}
	sys := systemCtx(context.Background())
	u := &zhagen.User{Login: "ops", Name: "运维", Roles: []zhagen.Role{zhagen.RoleAdmin}, Password: "Zg-Test#4821"}
	if err := app.Users.CreateUser(sys, u); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Auth.CreateSession(context.Background(), u.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	runJobsOnce(context.Background(), app, quietLog(), clock.T)
	if count() != 1 {
		t.Fatal("a live session was purged")
	}
	clock.Advance(zhagen.SessionIdle + time.Minute)
	runJobsOnce(context.Background(), app, quietLog(), clock.T)
	if count() != 0 {
		t.Fatal("the idle session was not purged")
	}
}

// TestUserLockCommand: zhagen user lock refuses the account's tokens
// until zhagen user unlock.
func TestUserLockCommand(t *testing.T) {
	env := map[string]string{"ZHAGEN_DATA_DIR": t.TempDir()}
	if _, err := runCmd(t, env, "Ops@2026-x\n", "user", "add", "--login", "ops", "--name", "运维", "--roles", "admin", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	tok, err := runCmd(t, env, "", "token", "create", "--login", "ops")
	if err != nil {
		t.Fatal(err)
	}
	tok = strings.TrimSpace(tok)
	check := func() error {
		cfg := loadConfig(flag.NewFlagSet("t", flag.ContinueOnError), func(k string) string { return env[k] })
		return withApp(context.Background(), cfg, func(app *App) error {
			_, err := app.Auth.ActorByToken(context.Background(), tok)
			return err
		})
	}
	if err := check(); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, env, "", "user", "lock", "--login", "ops", "--for", "24h"); err != nil || !strings.Contains(out, "已锁定") {
		t.Fatalf("lock: %v %q", err, out)
	}
	if err := check(); zhagen.ErrorCode(err) != zhagen.EUNAUTHORIZED {
		t.Fatalf("locked account's token: %v", err)
	}
	if _, err := runCmd(t, env, "", "user", "unlock", "--login", "ops"); err != nil {
		t.Fatal(err)
	}
	if err := check(); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"192MiB": 192 << 20, "1GiB": 1 << 30, "500MB": 500e6, "4096": 4096, "": 0, "0": 0, "64 MiB": 64 << 20} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"lots", "-1MiB", "1.5GiB", "99999999999GiB"} {
		if _, err := parseBytes(bad); err == nil {
			t.Errorf("parseBytes(%q) accepted", bad)
		}
	}
}

func TestSetGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	none := func(string) string { return "" }
	if got, err := setGCPercent("25", none); err != nil || got != 25 || debug.SetGCPercent(25) != 25 {
		t.Fatalf("setGCPercent(25) = %d, %v", got, err)
	}
	for _, bad := range []string{"0", "-5", "abc", "2000", ""} {
		if _, err := setGCPercent(bad, none); err == nil || !strings.Contains(err.Error(), "--gc-percent") {
			t.Errorf("setGCPercent(%q) = %v, want an error naming --gc-percent", bad, err)
		}
	}
	debug.SetGCPercent(70)
	gogc := func(k string) string {
		if k == "GOGC" {
			return "70"
		}
		return ""
	}
	if got, err := setGCPercent("25", gogc); err != nil || got != 70 || debug.SetGCPercent(70) != 70 {
		t.Fatalf("with GOGC set, setGCPercent = %d, %v; want GOGC's 70 left alone", got, err)
	}
}
