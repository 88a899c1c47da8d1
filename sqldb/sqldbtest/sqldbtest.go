// Package sqldbtest opens real, empty, migrated databases for tests: a
// SQLite file always, and PostgreSQL when ZHAGEN_TEST_POSTGRES holds a
// DSN (each call gets a schema of its own, dropped when the test ends).
package sqldbtest

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"zhagen"
	"zhagen/catalog"
	"zhagen/notify"
	"zhagen/sqldb"
)

// Test binaries that open databases hash passwords cheaply: the suites
// create and log in thousands of users (sqldb.UseCheapPasswordHashing).
func init() { sqldb.UseCheapPasswordHashing() }

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
	// A test database need not outlive a crash of the PostgreSQL server:
	// commits return without waiting for the WAL flush (the server itself
	// stays consistent), which keeps the many small test transactions cheap.
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// sqliteTemplate is the content of a migrated, empty SQLite file made
// once per test process; Open copies it instead of running every
// migration again.
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "zhagen-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	db, err := sqldb.Open(context.Background(), path, zhagen.SystemClock{})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	// Everything in the WAL goes into the file, which is then whole.
	if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})

// openDSN returns a DSN of a fresh database: for SQLite a copy of the
// migrated template.
func (e Engine) openDSN(tb testing.TB) string {
	if e.Name != "sqlite" {
		return e.DSN(tb)
	}
	b, err := sqliteTemplate()
	if err != nil {
		tb.Fatalf("sqlite template: %v", err)
	}
	path := e.DSN(tb)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// Open returns a migrated, empty database of the engine, closed when the
// test ends.
func (e Engine) Open(tb testing.TB, clock zhagen.Clock) *sqldb.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, e.openDSN(tb), clock)
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
