package sqldb

import (
	"strconv"
	"strings"
)

// dialect holds what differs between SQLite and PostgreSQL.
type dialect int

const (
	sqlite dialect = iota
	postgres
)

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteDSN turns a file path into a modernc.org/sqlite DSN with
// busy_timeout first, WAL, foreign keys and immediate write transactions.
func sqliteDSN(path string) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=mmap_size(1073741824)&_pragma=cache_size(-16000)&_pragma=temp_store(MEMORY)&_txlock=immediate"
}

// rebind rewrites ? placeholders as $1, $2, … for PostgreSQL. Queries
// never contain a literal question mark.
func (d dialect) rebind(q string) string {
	if d != postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// isUniqueViolation recognises a unique-constraint error of either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// migrationsDir names the embedded migration folder of the dialect.
func (d dialect) migrationsDir() string {
	if d == postgres {
		return "migrations/postgres"
	}
	return "migrations/sqlite"
}

// skipLocked ends a SELECT that claims rows: PostgreSQL locks the rows
// it returns and passes over rows another claimer holds. SQLite needs
// nothing: its writers take turns, so a claim is never concurrent.
func (d dialect) skipLocked() string {
	if d == postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}
