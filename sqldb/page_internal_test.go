package sqldb

import (
	"slices"
	"strings"
	"testing"
)

// TestPageSQL: a page's LIMIT and OFFSET are written into the statement
// (PostgreSQL's one plan per statement then sees them), a negative offset
// reads as none, and a deep offset stays an argument.
func TestPageSQL(t *testing.T) {
	for _, c := range []struct {
		limit, offset int
		sql           string
		args          []any
	}{
		{25, 0, " LIMIT 25 OFFSET 0", nil},
		{25, 50, " LIMIT 25 OFFSET 50", nil},
		{200, -3, " LIMIT 200 OFFSET 0", nil},
		{50, maxLiteralOffset, " LIMIT 50 OFFSET 1000", nil},
		{50, maxLiteralOffset + 1, " LIMIT 50 OFFSET ?", []any{maxLiteralOffset + 1}},
	} {
		sql, args := pageSQL(c.limit, c.offset)
		if sql != c.sql || !slices.Equal(args, c.args) {
			t.Errorf("pageSQL(%d, %d) = %q %v, want %q %v", c.limit, c.offset, sql, args, c.sql, c.args)
		}
	}
}

// TestRebindKeepsItsText: PostgreSQL's placeholders are numbered in
// order, the same text comes back from the kept statements as from a
// first rewrite, and SQLite's statements are left as written.
func TestRebindKeepsItsText(t *testing.T) {
	q := `UPDATE demands SET status = ?, version = version + 1 WHERE id = ? AND version = ?`
	want := `UPDATE demands SET status = $1, version = version + 1 WHERE id = $2 AND version = $3`
	for i := range 2 {
		if got := postgres.rebind(q); got != want {
			t.Fatalf("rebind, time %d: %q, want %q", i+1, got, want)
		}
	}
	if got := sqlite.rebind(q); got != q {
		t.Errorf("SQLite: %q, want the statement as written", got)
	}
	if a, b := rollupUpsert("demand_rollups_day", 2), buildRollupUpsert("demand_rollups_day", 2); a != b || rollupUpsert("demand_rollups_day", 2) != b {
		t.Errorf("kept rollup statement differs from a new one:\n%s\n%s", a, b)
	}
	if n := strings.Count(rollupUpsert("demand_rollups_month", 3), "(?, ?, ?, ?"); n != 3 {
		t.Errorf("a rollup statement of 3 rows has %d rows of values", n)
	}
}
