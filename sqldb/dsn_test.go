package sqldb_test

import (
	"context"
	"testing"

	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestPostgresJITOff: connections to PostgreSQL run with the JIT off
// (it compiled a scoped count for 1.2 s on every run) and generic plans
// (planning a scoped list anew each time cost more than running it),
// unless the URL asks otherwise.
func TestPostgresJITOff(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		if e.Name == "postgres" {
			jitOff(t, e.DSN(t))
		}
	})
}

func jitOff(t *testing.T, dsn string) {
	for _, c := range []struct{ dsn, jit, plans string }{
		{dsn, "off", "force_generic_plan"},
		{dsn + "&jit=on", "on", "force_generic_plan"},
		{dsn + "&plan_cache_mode=auto", "off", "auto"},
	} {
		db, err := sqldb.Open(context.Background(), c.dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		var jit, plans string
		if err := db.SQL().QueryRow(`SELECT current_setting('jit'), current_setting('plan_cache_mode')`).Scan(&jit, &plans); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if jit != c.jit || plans != c.plans {
			t.Errorf("%s: jit = %s, plan_cache_mode = %s; want %s, %s", c.dsn, jit, plans, c.jit, c.plans)
		}
	}
}
