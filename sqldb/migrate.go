package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := db.dialect.migrationsDir()
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("sqldb: bad migration file name %q", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("sqldb: migrations must be numbered 1, 2, …; found %s", m.name)
		}
	}
	return ms, nil
}

// LatestVersion is the newest schema version this binary knows.
func (db *DB) LatestVersion() int {
	ms, _ := db.migrations()
	return len(ms)
}

// SchemaVersion returns the version recorded in the database, 0 if none.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if _, err := db.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return 0, fmt.Errorf("sqldb: schema_migrations: %w", err)
	}
	var v int
	err := db.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// CheckSchema refuses a schema newer than this binary knows, or one that
// still needs migrating.
func (db *DB) CheckSchema(ctx context.Context) error {
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	latest := db.LatestVersion()
	if v > latest {
		return fmt.Errorf("数据库结构版本 %d 高于本程序支持的版本 %d，请升级 zhagen (database schema version %d is newer than this binary knows, %d)", v, latest, v, latest)
	}
	if v < latest {
		return fmt.Errorf("数据库结构版本 %d 低于 %d，请先运行 zhagen migrate (database schema %d needs migrating to %d)", v, latest, v, latest)
	}
	return nil
}

// Migrate applies each pending migration in its own transaction and
// records it. It refuses a database newer than this binary.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current > len(ms) {
		return db.CheckSchema(ctx)
	}
	for _, m := range ms[current:] {
		if err := db.apply(ctx, m); err != nil {
			return fmt.Errorf("sqldb: migration %s: %w", m.name, err)
		}
	}
	if err := db.fillFileHashes(ctx); err != nil {
		return fmt.Errorf("sqldb: file hashes: %w", err)
	}
	return nil
}

func (db *DB) apply(ctx context.Context, m migration) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.dialect == postgres {
		// Serialise concurrent migrators on one PostgreSQL.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7474)`); err != nil {
			return err
		}
	}
	var done int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.version, m.name, tx.now); err != nil {
		return err
	}
	return tx.Commit()
}
