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

// Run runs f as a subtest on every engine: the way to run a test whose
// behaviour can differ by store (anything that writes or queries data).
// The subtests are named after the engine, which scripts/testsummary
// reads to report per package which stores ran.
func Run(t *testing.T, f func(t *testing.T, e Engine)) {
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) { f(t, e) })
	}
}

// OneStoreNote is what OneStore logs; scripts/testsummary lists the tests
// that logged it as run on SQLite only.
const OneStoreNote = "sqldbtest: one store (sqlite only)"

// OneStore returns the SQLite engine for a test that deliberately runs on
// one store only because its behaviour cannot differ by store (page
// rendering, browser layout and console, parsing): everything else uses
// Run. It logs OneStoreNote with the reason, so the test summary can say
// which tests ran on SQLite alone.
func OneStore(tb testing.TB, why string) Engine {
	tb.Helper()
	tb.Logf("%s: %s", OneStoreNote, why)
	return Engines()[0]
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
