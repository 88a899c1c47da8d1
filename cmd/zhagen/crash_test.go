package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// The crash test runs the real server in a child process (this test
// binary, re-executed with ZHAGEN_CRASH_CHILD=1: see TestMain), has 16
// clients file demands through the API, kills the server with SIGKILL at
// a random moment, restarts it, and checks that every demand the server
// acknowledged (201) is there with its timeline, that the database passes
// its integrity check and that the audit chain holds. CI runs a few
// rounds per store; scripts/crashtest.sh runs ZHAGEN_CRASH_ROUNDS (20).

func TestMain(m *testing.M) {
	if os.Getenv("ZHAGEN_CRASH_CHILD") == "1" {
		err := run(context.Background(), []string{"serve"}, os.Stdin, os.Stdout, os.Stderr, os.Getenv)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func crashRounds(def int) int {
	if n, err := strconv.Atoi(os.Getenv("ZHAGEN_CRASH_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return def
}

// ack is a demand the server acknowledged.
type ack struct {
	id    int64
	title string
}

func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			dsn := e.DSN(t)
			token, body := crashSetup(t, dsn)
			var acked []ack
			rounds := crashRounds(3)
			for round := 1; round <= rounds; round++ {
				child, base := startChild(t, dsn)
				got := writeUntilKilled(t, child, base, token, body, round)
				if len(got) == 0 {
					t.Fatalf("round %d: no write acknowledged before the kill", round)
				}
				acked = append(acked, got...)
				checkAcked(t, dsn, acked, round)
			}
			t.Logf("%s: %d rounds, %d acknowledged creates, all present after SIGKILL", e.Name, rounds, len(acked))
		})
	}
}

// crashSetup prepares a zone with a category and an enterprise, and
// returns a dispatcher's token and a demand body.
func crashSetup(t *testing.T, dsn string) (string, map[string]any) {
	t.Helper()
	ctx := context.Background()
	cfg := &Config{DatabaseURL: dsn, DataDir: t.TempDir()}
	var token string
	var body map[string]any
	err := withApp(ctx, cfg, func(app *App) error {
		sys := systemCtx(ctx)
		d := &zhagen.Department{Name: "经济发展局", Kind: zhagen.DeptGov}
		if err := app.Departments.CreateDepartment(sys, d); err != nil {
			return err
		}
		if err := app.Enterprises.ImportEnterprises(sys, syntheticEnterprises(3)); err != nil {
			return err
		}
		ents, _, err := app.Enterprises.FindEnterprises(sys, zhagen.EnterpriseFilter{Limit: 1})
		if err != nil {
			return err
		}
		cat := &zhagen.Category{Code: "power", Name: "用电保障", LeadDeptID: d.ID}
		if err := app.Categories.CreateCategory(sys, cat); err != nil {
			return err
		}
		u := &zhagen.User{Login: "crash", Name: "调度员", Roles: []zhagen.Role{zhagen.RoleDispatcher}, DeptID: d.ID, Password: "Crash@2026-test"}
		if err := app.Users.CreateUser(sys, u); err != nil {
			return err
		}
		tok, err := app.Auth.CreateToken(sys, u.ID, "crash", 0)
		if err != nil {
			return err
		}
		token = tok.Token
		body = map[string]any{"enterprise_id": ents[0].ID, "category_id": cat.ID, "description": "生产需要双回路供电"}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return token, body
}

// startChild starts the server on a free port and waits until it answers.
func startChild(t *testing.T, dsn string) (*exec.Cmd, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ZHAGEN_CRASH_CHILD=1", "ZHAGEN_DATABASE_URL="+dsn, "ZHAGEN_ADDR="+addr,
		"ZHAGEN_DATA_DIR="+filepath.Join(t.TempDir(), "data"), "ZHAGEN_LOG_LEVEL=error")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd, base
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("server did not start: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond) // polling a child process, not waiting for time to pass
	}
}

// writeUntilKilled runs 16 writing clients, kills the server at a random
// moment and returns what was acknowledged.
func writeUntilKilled(t *testing.T, child *exec.Cmd, base, token string, body map[string]any, round int) []ack {
	t.Helper()
	var mu sync.Mutex
	var acked []ack
	first := make(chan struct{}) // closed at the first acknowledged write
	var firstOnce sync.Once
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for c := 0; c < 16; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				title := fmt.Sprintf("崩溃测试 r%d c%d #%d", round, c, i)
				b := map[string]any{"title": title}
				for k, v := range body {
					b[k] = v
				}
				data, _ := json.Marshal(b)
				req, _ := http.NewRequest("POST", base+"/api/v1/demands", bytes.NewReader(data))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					continue // the server is gone: this one was never acknowledged
				}
				var out struct{ ID int64 }
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated && err == nil && out.ID != 0 {
					mu.Lock()
					acked = append(acked, ack{out.ID, title})
					mu.Unlock()
					firstOnce.Do(func() { close(first) })
				} else if resp.StatusCode != http.StatusCreated {
					t.Errorf("round %d: create answered %d", round, resp.StatusCode)
				}
			}
		}()
	}
	// Killed at a random moment 0 to 1.2 seconds after the first write was
	// acknowledged (on a loaded machine that can take a while): real
	// time, since the server is a real process under real load. A server
	// that acknowledges nothing in a minute is killed then, and the
	// caller fails the round.
	select {
	case <-first:
		time.Sleep(time.Duration(rand.IntN(1200)) * time.Millisecond)
	case <-time.After(time.Minute):
	}
	child.Process.Kill()
	child.Wait()
	close(stop)
	wg.Wait()
	return acked
}

// checkAcked opens the database as the restarted server would and checks
// the acknowledged demands, their timelines, integrity and the audit
// chain.
func checkAcked(t *testing.T, dsn string, acked []ack, round int) {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dsn, zhagen.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	titles := map[int64]string{}
	events := map[int64]int{}
	rows, err := db.SQL().Query(`SELECT d.id, d.title, (SELECT COUNT(*) FROM demand_events e WHERE e.demand_id = d.id) FROM demands d`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var title string
		var n int
		if err := rows.Scan(&id, &title, &n); err != nil {
			t.Fatal(err)
		}
		titles[id], events[id] = title, n
	}
	rows.Close()
	lost := 0
	for _, a := range acked {
		if titles[a.id] != a.title || events[a.id] == 0 {
			lost++
			if lost <= 5 {
				t.Errorf("round %d: acknowledged demand %d %q: stored %q with %d timeline events", round, a.id, a.title, titles[a.id], events[a.id])
			}
		}
	}
	if lost > 0 {
		t.Fatalf("round %d: %d of %d acknowledged creates lost", round, lost, len(acked))
	}
	rep, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("round %d: audit chain: %+v", round, rep)
	}
}
