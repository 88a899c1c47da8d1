package sqldb

import (
	"slices"
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
