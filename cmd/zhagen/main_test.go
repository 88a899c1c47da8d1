package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// runCmd runs a subcommand with the environment env and returns stdout.
func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	if err != nil {
		t.Logf("zhagen %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), err
}

func TestConfigMasksSecrets(t *testing.T) {
	env := map[string]string{"ZHAGEN_DATABASE_URL": "postgres://zg:hunter2@db:5432/zhagen", "ZHAGEN_DEMO_PASSWORD": "Secret@2026"}
	out, err := runCmd(t, env, "", "config", "--addr", "0.0.0.0:9000")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, "Secret@2026") {
		t.Fatalf("config printed a secret:\n%s", out)
	}
	for _, want := range []string{"0.0.0.0:9000", "flag --addr", "postgres://zg:xxxxx@db:5432/zhagen", "env ZHAGEN_DATABASE_URL"} {
		if !strings.Contains(out, want) {
			t.Errorf("config output lacks %q:\n%s", want, out)
		}
	}
	if _, err := runCmd(t, nil, "", "nonsense"); err == nil {
		t.Error("unknown command accepted")
	}
}

func TestUserAndTokenCommands(t *testing.T) {
	sqldbtest.Run(t, testUserAndTokenCommands)
}

func testUserAndTokenCommands(t *testing.T, eng sqldbtest.Engine) {
	env := map[string]string{"ZHAGEN_DATA_DIR": t.TempDir(), "ZHAGEN_DATABASE_URL": eng.DSN(t)}
	if out, err := runCmd(t, env, "", "migrate"); err != nil || !strings.Contains(out, "版本") {
		t.Fatalf("migrate: %v %q", err, out)
	}
	if _, err := runCmd(t, env, "Ops@2026-x\n", "user", "add", "--login", "ops", "--name", "运维", "--roles", "admin", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, env, "weak\n", "user", "add", "--login", "ops2", "--name", "运维", "--roles", "admin", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("weak password accepted: %v", err)
	}
	if _, err := runCmd(t, env, "", "user", "add", "--login", "ops3", "--name", "x", "--roles", "admin"); err == nil {
		t.Fatal("user add without a password accepted")
	}
	tok, err := runCmd(t, env, "", "token", "create", "--login", "ops")
	if err != nil || !strings.HasPrefix(tok, "zg_") {
		t.Fatalf("token create: %v %q", err, tok)
	}
	if _, err := runCmd(t, env, "New@Pass2026\n", "user", "passwd", "--login", "ops", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, env, "", "token", "create", "--login", "nobody"); err == nil {
		t.Fatal("token for an unknown user")
	}
}

// TestServeDemoAndShutdown loads the demo, serves it, checks the
// acceptance numbers through the API, and stops the server gracefully.
func TestServeDemoAndShutdown(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ZHAGEN_DATABASE_URL": filepath.Join(dir, "z.db"), "ZHAGEN_ADDR": "127.0.0.1:0"}
	if _, err := runCmd(t, env, "", "demo"); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, env, "", "demo")
	if err != nil || !strings.Contains(out, "新建 0") {
		t.Fatalf("second demo run: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ready := make(chan string, 1)
	cfg := loadConfig(flag.NewFlagSet("serve", flag.ContinueOnError), func(k string) string { return env[k] })
	go func() { done <- serve(ctx, cfg, &bytes.Buffer{}, ready) }()
	var base string
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		t.Fatalf("serve stopped before it was ready: %v", err)
	}
	resp, err := http.Post(base+"/api/v1/login", "application/json", strings.NewReader(`{"login":"admin","password":"Zhagen@2026"}`))
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	token := body.Token
	if token == "" {
		t.Fatal("could not log in to the served demo")
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/enterprises?limit=200", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Total int }
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if list.Total != 96 {
		t.Fatalf("demo enterprises: %d, want 96", list.Total)
	}
	resp, err = http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}
	resp.Body.Close()
	// A refused request is recorded with who sent it, whichever handler
	// refused it: the API's policy, and the cross-origin guard.
	resp, err = http.Post(base+"/api/v1/login", "application/json", strings.NewReader(`{"login":"graduate","password":"Zhagen@2026"}`))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	req, _ = http.NewRequest("POST", base+"/api/v1/users", strings.NewReader(`{"login":"self2","name":"自设账号","roles":["admin"],"password":"Zx9!long-enough-pw"}`))
	req.Header.Set("Authorization", "Bearer "+body.Token)
	req.Header.Set("Content-Type", "application/json")
	if resp, err = http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("graduate creates an admin: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	req, _ = http.NewRequest("POST", base+"/demands/new", strings.NewReader("title=x"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err = http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	err = withApp(context.Background(), cfg, func(app *App) error {
		logs, _, err := app.Logs.FindOpLogs(systemCtx(context.Background()), zhagen.LogFilter{Query: "拒绝访问"})
		if err != nil {
			return err
		}
		var got []string
		for _, l := range logs {
			got = append(got, l.UserName+" "+l.Summary)
		}
		if len(got) != 2 || !strings.HasSuffix(got[0], " POST /demands/new") || !strings.HasPrefix(got[0], "匿名 ") || !strings.HasSuffix(got[1], " POST /api/v1/users") || strings.HasPrefix(got[1], "匿名") {
			t.Errorf("denied requests in the log: %q", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The server sealed the log on its way out: the chain holds and
	// covers every entry.
	out, err = runCmd(t, env, "", "audit", "verify")
	if err != nil || !strings.Contains(out, "审计链完整") || !strings.Contains(out, "未封存 0 条") {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
}
