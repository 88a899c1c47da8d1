package sqldbtest_test

import (
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// TestZoneSeeds: the zone seeds on every engine.
func TestZoneSeeds(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		if len(z.Actors) != len(sqldbtest.ZoneLogins) {
			t.Fatalf("%d actors", len(z.Actors))
		}
		t.Logf("%d ids", len(z.IDs))
	})
}
