package sqldb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Backups. A SQLite database is copied online with VACUUM INTO: one read
// transaction, so the copy is consistent and includes every committed
// write, while the server keeps serving. (Copying the file itself while
// the server runs loses the writes still in the WAL file, or worse.)
// PostgreSQL is backed up with pg_dump by the command line (cmd/zhagen),
// which needs PgDumpArgs.

// ErrNotSQLite is returned for SQLite-only operations on PostgreSQL.
var ErrNotSQLite = errors.New("sqldb: not a SQLite database")

// BackupSQLite writes a consistent copy of a SQLite database to file,
// which must not exist yet (SQLite refuses to write into a non-empty one).
func (db *DB) BackupSQLite(ctx context.Context, file string) error {
	if db.dialect != sqlite {
		return ErrNotSQLite
	}
	_, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, file)
	return err
}

// PgConnArgs splits a PostgreSQL DSN for pg_dump and pg_restore: the
// connection string without zhagen's search_path parameter (which libpq
// does not know), and that schema, if any.
func PgConnArgs(dsn string) (conn, schema string, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", "", err
	}
	q := u.Query()
	schema = q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema, nil
}

// TableCounts returns the number of rows of every table of the
// database, by name: what a backup check reports and a restore test
// compares.
func (db *DB) TableCounts(ctx context.Context) (map[string]int64, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if db.dialect == postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := db.sql.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := map[string]int64{}
	for _, n := range names {
		if strings.ContainsAny(n, `"; `) {
			continue
		}
		var c int64
		if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+n+`"`).Scan(&c); err != nil {
			return nil, err
		}
		out[n] = c
	}
	return out, nil
}

// IntegrityCheck runs SQLite's integrity check; on PostgreSQL it only
// checks that the database answers.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.dialect == postgres {
		return db.sql.PingContext(ctx)
	}
	var res string
	if err := db.sql.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("SQLite 完整性检查未通过 (integrity check failed): %s", res)
	}
	return nil
}
