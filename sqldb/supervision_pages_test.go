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
			// Paged: each page is the next slice of the same order, across
			// the open part into the closed one.
			for off := 0; off <= len(want); off++ {
				os, err := z.Supervision.FindSupervisions(z.As(login), zhagen.SupervisionFilter{Limit: 2, Offset: off})
				must(t, err)
				if w := want[off:min(off+2, len(want))]; !slices.Equal(ids(os), w) {
					t.Fatalf("%s offset %d: %v, want %v", login, off, ids(os), w)
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
			latest, err := z.Supervision.FindSupervisions(z.As(login), zhagen.SupervisionFilter{Status: zhagen.SupervisionClosed, Latest: true})
			must(t, err)
			r := slices.Clone(ids(closed))
			slices.Reverse(r)
			if !slices.Equal(ids(latest), r) {
				t.Fatalf("%s: closed, latest first: %v, want %v", login, ids(latest), r)
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

// TestSupervisionTallies: the counts per addressee department equal a
// count of the orders each user lists, state by state; they move when an
// order is replied to, and when the clock passes a reply due time.
func TestSupervisionTallies(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		var first *zhagen.SupervisionOrder
		for i, key := range []string{"A", "B", "unit", "A", "unit"} {
			o := &zhagen.SupervisionOrder{SubjectKind: zhagen.SubjectDemand, SubjectID: z.ID("demand:" + key),
				Requirement: fmt.Sprintf("督办要求%d", i), ReplyHours: 4 * (i + 1)}
			must(t, z.Supervision.RaiseSupervision(z.As("disp"), o))
			if i == 0 {
				first = o
			}
			if i == 3 {
				_, err := z.Supervision.CloseSupervision(z.As("disp"), o.ID, zhagen.SupervisionClose{Note: "已办结"})
				must(t, err)
			}
		}
		recount := func(login string) map[int64]zhagen.SupervisionTally {
			all, err := z.Supervision.FindSupervisions(z.As(login), zhagen.SupervisionFilter{Limit: 1000})
			must(t, err)
			out := map[int64]zhagen.SupervisionTally{}
			for _, o := range all {
				c := out[o.DeptID]
				c.DeptID, c.DeptName = o.DeptID, o.DeptName
				switch o.Status {
				case zhagen.SupervisionOpen:
					c.Open++
				case zhagen.SupervisionReplied:
					c.Replied++
				default:
					c.Closed++
				}
				if o.Overdue(z.Clock.T) {
					c.Overdue++
				}
				if o.Status != zhagen.SupervisionClosed && o.EscalatedAt != nil {
					c.Escalated++
				}
				out[o.DeptID] = c
			}
			return out
		}
		check := func(when string) (overdue int) {
			t.Helper()
			compared := 0
			for _, login := range sqldbtest.ZoneLogins {
				if all, via := zhagen.ScopeOf(z.Actors[login], zhagen.PermSupervisionView); !all && via == 0 {
					continue
				}
				ts, err := z.Supervision.SupervisionTallies(z.As(login))
				must(t, err)
				want := recount(login)
				got := map[int64]zhagen.SupervisionTally{}
				for _, c := range ts {
					got[c.DeptID] = *c
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%s, %s: tallies %v, want %v", when, login, got, want)
				}
				for _, f := range []zhagen.SupervisionFilter{{Open: true}, {Overdue: true}, {Status: zhagen.SupervisionClosed}, {Status: zhagen.SupervisionReplied, DeptID: first.DeptID}} {
					f.Limit = 1000
					os, err := z.Supervision.FindSupervisions(z.As(login), f)
					must(t, err)
					if n := zhagen.TallyCount(ts, f); n != len(os) {
						t.Fatalf("%s, %s: %+v counted %d, listed %d", when, login, f, n, len(os))
					}
				}
				if login == "disp" {
					for _, c := range ts {
						overdue += c.Overdue
					}
				}
				compared++
			}
			if compared < 3 {
				t.Fatalf("compared %d users", compared)
			}
			return overdue
		}
		before := check("raised")
		replied := false
		for _, login := range sqldbtest.ZoneLogins { // someone of the addressee department
			if a := z.Actors[login]; a.DeptID == first.DeptID && zhagen.Can(a, zhagen.PermSupervisionReply, first.Facts()) {
				_, err := z.Supervision.ReplySupervision(z.As(login), first.ID, zhagen.SupervisionReply{Progress: "已协调供电公司现场踏勘", PromisedDate: z.Clock.T.AddDate(0, 0, 20).Format(time.DateOnly)})
				must(t, err)
				replied = true
				break
			}
		}
		if !replied {
			t.Fatal("nobody of the addressee department replies")
		}
		check("after a reply")
		z.Clock.T = z.Clock.T.Add(10 * 24 * time.Hour)
		if n := check("ten days on"); n < before+3 {
			t.Fatalf("%d overdue ten days on, %d before: the 3 new open orders did not come due", n, before)
		}
	})
}
