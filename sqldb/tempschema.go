package sqldb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
)

// TempSchema creates a new, empty schema named prefix plus random hex in
// the PostgreSQL database pg and returns a DSN that uses it, for tests
// and benchmarks. drop removes the schema and everything in it.
func TempSchema(pg, prefix string) (dsn string, drop func(), err error) {
	u, err := url.Parse(pg)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := prefix + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", pg)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); admin.Close() }, nil
}
