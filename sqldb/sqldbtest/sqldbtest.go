// Package sqldbtest opens real, empty, migrated databases for tests: a
// SQLite file always, and PostgreSQL when ZHAGEN_TEST_POSTGRES holds a
// DSN (each call gets a schema of its own, dropped when the test ends).
package sqldbtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"zhagen"
	"zhagen/catalog"
	"zhagen/notify"
	"zhagen/sqldb"
)

// Engine names a database engine a test runs on.
type Engine struct {
	Name string // "sqlite" or "postgres"
	dsn  string
}

// Engines returns SQLite, and PostgreSQL when ZHAGEN_TEST_POSTGRES is set.
func Engines() []Engine {
	es := []Engine{{Name: "sqlite"}}
	if dsn := os.Getenv("ZHAGEN_TEST_POSTGRES"); dsn != "" {
		es = append(es, Engine{Name: "postgres", dsn: dsn})
	}
	return es
}

// DSN returns a DSN for a fresh, empty database of the engine that lives
// as long as the test.
func (e Engine) DSN(tb testing.TB) string {
	tb.Helper()
	if e.Name == "sqlite" {
		return filepath.Join(tb.TempDir(), "zhagen.db")
	}
	dsn, drop, err := sqldb.TempSchema(e.dsn, "t_")
	if err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(drop)
	return dsn
}

// Open returns a migrated, empty database of the engine, closed when the
// test ends.
func (e Engine) Open(tb testing.TB, clock zhagen.Clock) *sqldb.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, e.DSN(tb), clock)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// Run runs f as a subtest on every engine.
func Run(t *testing.T, f func(t *testing.T, e Engine)) {
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) { f(t, e) })
	}
}

// Drain delivers every notice waiting in db's outbox as in-app messages,
// as the server's drainer does after each commit: tests call it before
// they read the notifications a step sent.
func Drain(tb testing.TB, db *sqldb.DB, clock zhagen.Clock) {
	tb.Helper()
	cat, err := catalog.Load()
	if err != nil {
		tb.Fatal(err)
	}
	if clock == nil {
		clock = zhagen.SystemClock{}
	}
	if _, err := notify.New(sqldb.NewOutbox(db), cat, clock, sqldb.NewInAppSender(db)).Drain(context.Background()); err != nil {
		tb.Fatal(err)
	}
}
