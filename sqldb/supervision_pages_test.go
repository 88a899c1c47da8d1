package sqldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// The supervision page's reads, rewritten for speed at a million
// demands, give what one sort over every order gave.

// TestSupervisionOrderParts: the orders not closed come first, then the
// closed ones, each by reply due time and id, as one sort over all of
// them gave, whatever the limit, for every user of the zone.
func TestSupervisionOrderParts(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		// More orders, with reply times out of filing order; some closed.
		for i, key := range []string{"A", "B", "unit", "A", "B", "unit", "A"} {
			o := &zhagen.SupervisionOrder{SubjectKind: zhagen.SubjectDemand, SubjectID: z.ID("demand:" + key),
				Requirement: fmt.Sprintf("督办要求%d", i), ReplyHours: 8 * (7 - i)}
			must(t, z.Supervision.RaiseSupervision(z.As("disp"), o))
			if i%3 == 1 {
				_, err := z.Supervision.CloseSupervision(z.As("disp"), o.ID, zhagen.SupervisionClose{Note: "已按要求整改完毕"})
				must(t, err)
			}
		}
		compared := 0
		for _, login := range sqldbtest.ZoneLogins {
			a := z.Actors[login]
			all, via := zhagen.ScopeOf(a, zhagen.PermSupervisionView)
			if !all && via == 0 {
				continue
			}
			q := `SELECT o.id FROM supervision_orders o`
			var args []any
			if !all { // the departments the actor sees (RelDeptBelow)
				q += ` WHERE o.dept_id IN (SELECT id FROM departments WHERE path LIKE $1)`
				args = append(args, a.DeptPath+"%")
			}
			q += ` ORDER BY CASE WHEN o.status = 'closed' THEN 1 ELSE 0 END, o.reply_due, o.id`
			if e.Name != "postgres" {
				q = sqliteParams(q)
			}
			want := queryIDs(t, z, q, args...)
			for limit := 1; limit <= len(want)+1; limit++ {
				os, err := z.Supervision.FindSupervisions(z.As(login), zhagen.SupervisionFilter{Limit: limit})
				must(t, err)
				var got []int64
				for _, o := range os {
					got = append(got, o.ID)
				}
				if w := want[:min(limit, len(want))]; !slices.Equal(got, w) {
					t.Fatalf("%s limit %d: %v, want %v", login, limit, got, w)
				}
			}
			compared++
			open, err := z.Supervision.FindSupervisions(z.As(login), zhagen.SupervisionFilter{Open: true})
			must(t, err)
			closed, err := z.Supervision.FindSupervisions(z.As(login), zhagen.SupervisionFilter{Status: zhagen.SupervisionClosed})
			must(t, err)
			if got := append(ids(open), ids(closed)...); !slices.Equal(got, want) {
				t.Fatalf("%s: open %v then closed %v, want %v", login, ids(open), ids(closed), want)
			}
			for _, o := range open {
				if o.Status == zhagen.SupervisionClosed {
					t.Fatalf("%s: a closed order among the open ones", login)
				}
			}
		}
		if compared < 3 {
			t.Fatalf("compared %d users", compared)
		}
	})
}

func ids(os []*zhagen.SupervisionOrder) []int64 {
	out := []int64{}
	for _, o := range os {
		out = append(out, o.ID)
	}
	return out
}

// sqliteParams turns $1, $2, … into ?.
func sqliteParams(q string) string {
	for i := 9; i >= 1; i-- {
		q = strings.ReplaceAll(q, fmt.Sprintf("$%d", i), "?")
	}
	return q
}

func queryIDs(t *testing.T, z *sqldbtest.Zone, q string, args ...any) []int64 {
	t.Helper()
	rows, err := z.DB.SQL().Query(q, args...)
	must(t, err)
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		must(t, rows.Scan(&id))
		out = append(out, id)
	}
	must(t, rows.Err())
	return out
}

// TestLadderCountsFollowTheLadder: the counts kept per scope move when
// the ladder records a rung, and equal a fresh count.
func TestLadderCountsFollowTheLadder(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		total := func(login string) int {
			cs, err := z.Supervision.LadderCounts(z.As(login))
			must(t, err)
			n := 0
			for _, c := range cs {
				n += c.Count
			}
			return n
		}
		steps := func() int {
			var n int
			must(t, z.DB.SQL().QueryRow(`SELECT COUNT(*) FROM ladder_steps`).Scan(&n))
			return n
		}
		before := total("disp")
		if before != steps() {
			t.Fatalf("counts %d, steps %d", before, steps())
		}
		total("disp") // kept
		// Weeks later every open demand is overdue: the ladder climbs.
		z.Clock.T = z.Clock.T.Add(30 * 24 * time.Hour)
		if _, err := z.Supervision.RunLadderJob(z.Sys, z.Clock.T); err != nil {
			t.Fatal(err)
		}
		after := total("disp")
		if after == before || after != steps() {
			t.Fatalf("counts %d before the ladder ran, %d after; %d steps", before, after, steps())
		}
		// A department's staff count only their own tree's rungs.
		if staff := total("buildstaff"); staff == 0 || staff >= after {
			t.Fatalf("buildstaff counts %d of %d", staff, after)
		}
	})
}
