package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestReadReplicaRouting: with a read replica attached, a GET list reads
// the replica, a caller who has just written reads the primary for the
// fresh window, and logins and tokens are always checked on the primary.
// The "replica" is a second PostgreSQL schema holding other data, so the
// rows in an answer show which database served it; scripts/replica.sh
// runs the same server against a real streaming replica.
func TestReadReplicaRouting(t *testing.T) {
	var eng sqldbtest.Engine
	for _, e := range sqldbtest.Engines() {
		if e.Name == "postgres" {
			eng = e
		}
	}
	if eng.Name == "" {
		sqldbtest.OneStore(t, "a read replica is a PostgreSQL feature; without ZHAGEN_TEST_POSTGRES only SQLite's refusal is checked")
		db := sqldbtest.Engines()[0].Open(t, nil)
		if err := db.AttachReadReplica(context.Background(), "postgres://x@127.0.0.1/none"); err == nil {
			t.Fatal("SQLite accepted a read replica")
		}
		return
	}
	ctx := context.Background()
	sys := zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 30, 0, 0, zhagen.Shanghai)}

	replicaDSN := eng.DSN(t)
	rdb, err := sqldb.Open(ctx, replicaDSN, clock)
	if err != nil {
		t.Fatal(err)
	}
	if err := rdb.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	onReplica := syntheticEnterprises(2)[1]
	onReplica.Name = "只在副本里的企业有限公司"
	if err := sqldb.NewEnterpriseService(rdb).CreateEnterprise(sys, onReplica); err != nil {
		t.Fatal(err)
	}
	rdb.Close()

	db := eng.Open(t, clock)
	app, err := newApp(db, clock, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AttachReadReplica(ctx, replicaDSN); err != nil {
		t.Fatal(err)
	}
	admin := &zhagen.User{Login: "ops", Name: "运维", Roles: []zhagen.Role{zhagen.RoleAdmin}, Password: "Ops@2026-long-enough"}
	if err := app.Users.CreateUser(sys, admin); err != nil {
		t.Fatal(err)
	}
	tok, err := app.Auth.CreateToken(sys, admin.ID, "test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	app.fresh = &freshWriters{last: map[[32]byte]time.Time{}, now: func() time.Time { return now }}
	h, err := app.Handler(quietLog(), false)
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body string) (int, string) {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+tok.Token)
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	names := func() string {
		st, body := do("GET", "/api/v1/enterprises", "")
		if st != http.StatusOK {
			t.Fatalf("list: %d %s", st, body)
		}
		var list struct{ Items []struct{ Name string } }
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range list.Items {
			out = append(out, e.Name)
		}
		return strings.Join(out, ",")
	}

	// The token exists on the primary only: it is checked there, and the
	// list comes from the replica.
	if got := names(); got != onReplica.Name {
		t.Fatalf("GET before any write: %q, want the replica's %q", got, onReplica.Name)
	}
	e := syntheticEnterprises(1)[0]
	st, body := do("POST", "/api/v1/enterprises", `{"name":"刚写入主库的企业有限公司","uscc":"`+e.USCC+`","industry":"光电"}`)
	if st != http.StatusCreated {
		t.Fatalf("create: %d %s", st, body)
	}
	if got := names(); got != "刚写入主库的企业有限公司" {
		t.Fatalf("GET right after a write: %q, want the primary's", got)
	}
	now = now.Add(freshWindow - time.Second)
	if got := names(); got != "刚写入主库的企业有限公司" {
		t.Fatalf("GET within the window: %q", got)
	}
	now = now.Add(2 * time.Second)
	if got := names(); got != onReplica.Name {
		t.Fatalf("GET after the window: %q, want the replica's again", got)
	}
	// An anonymous post (a login attempt) marks nobody.
	anon := httptest.NewRequest("POST", "/login", strings.NewReader("login=x&password=y"))
	anon.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	h.ServeHTTP(httptest.NewRecorder(), anon)
	if k, known := callerKey(httptest.NewRequest("GET", "/", nil)); known || app.fresh.recent(k) {
		t.Fatal("an anonymous caller counted as a recent writer")
	}
}

// TestReadReplicaRealStandby runs against a real streaming replica of
// ZHAGEN_TEST_POSTGRES named by ZHAGEN_TEST_REPLICA (scripts/replica.sh
// sets one up): the replica pool is a standby, a write reaches it by
// replication, and a GET after the fresh window reads it there.
func TestReadReplicaRealStandby(t *testing.T) {
	standby := os.Getenv("ZHAGEN_TEST_REPLICA")
	if standby == "" || os.Getenv("ZHAGEN_TEST_POSTGRES") == "" {
		t.Skip("ZHAGEN_TEST_REPLICA not set (scripts/replica.sh runs this test against a real standby)")
	}
	ctx := context.Background()
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 30, 0, 0, zhagen.Shanghai)}
	var eng sqldbtest.Engine
	for _, e := range sqldbtest.Engines() {
		if e.Name == "postgres" {
			eng = e
		}
	}
	dsn := eng.DSN(t)
	db, err := sqldb.Open(ctx, dsn, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// The standby's DSN with the primary's schema.
	pu, _ := url.Parse(dsn)
	su, err := url.Parse(standby)
	if err != nil {
		t.Fatal(err)
	}
	q := su.Query()
	q.Set("search_path", pu.Query().Get("search_path"))
	su.RawQuery = q.Encode()
	if err := db.AttachReadReplica(ctx, su.String()); err != nil {
		t.Fatal(err)
	}
	var recovery bool
	if err := db.SQL().QueryRowContext(ctx, "SELECT pg_is_in_recovery()").Scan(&recovery); err != nil || recovery {
		t.Fatalf("primary in recovery: %v %v", recovery, err)
	}
	app, err := newApp(db, clock, "")
	if err != nil {
		t.Fatal(err)
	}
	sys := zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
	e := syntheticEnterprises(1)[0]
	if err := app.Enterprises.CreateEnterprise(sys, e); err != nil {
		t.Fatal(err)
	}
	// Replication is another process: wait for it, bounded.
	rctx := sqldb.ReadFromReplica(sys)
	deadline := time.Now().Add(20 * time.Second)
	for {
		list, _, err := app.Enterprises.FindEnterprises(rctx, zhagen.EnterpriseFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 1 && list[0].Name == e.Name {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the write did not reach the standby within 20 s: %d rows", len(list))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Reads in a replica context really run on the standby.
	if !replicaInRecovery(t, db, rctx) {
		t.Fatal("the replica pool is not a standby")
	}
}

func replicaInRecovery(t *testing.T, db *sqldb.DB, ctx context.Context) bool {
	t.Helper()
	r, err := db.InRecovery(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
