package sqldb_test

import (
	"context"
	"testing"

	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestPostgresJITOff: connections to PostgreSQL run with the JIT off
// (it compiled a scoped count for 1.2 s on every run), unless the URL
// asks for it.
func TestPostgresJITOff(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		if e.Name == "postgres" {
			jitOff(t, e.DSN(t))
		}
	})
}

func jitOff(t *testing.T, dsn string) {
	for _, c := range []struct{ dsn, want string }{{dsn, "off"}, {dsn + "&jit=on", "on"}} {
		db, err := sqldb.Open(context.Background(), c.dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		var jit string
		if err := db.SQL().QueryRow(`SHOW jit`).Scan(&jit); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if jit != c.want {
			t.Errorf("jit = %s, want %s", jit, c.want)
		}
	}
}
