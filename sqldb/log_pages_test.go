package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestLogPagesByKey: pages read by key, older after older and then newer
// after newer, give the log in the order one read of it gives; the total
// is the count of lines, sealed or not, and of the lines a query matches.
func TestLogPagesByKey(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		for i := range 11 {
			name := fmt.Sprintf("科室%02d", i)
			if i%3 == 0 {
				name = fmt.Sprintf("专班%02d", i)
			}
			must(t, f.depts.CreateDepartment(f.admin, &zhagen.Department{Name: name, Kind: zhagen.DeptGov, ParentID: f.root.ID}))
			if i == 6 { // some lines sealed, the later ones not
				_, err := f.db.SealAudit(context.Background())
				must(t, err)
			}
		}
		count := func(q string) int {
			var n int
			must(t, f.db.SQL().QueryRow(`SELECT COUNT(*) FROM op_logs`+q).Scan(&n))
			return n
		}
		for _, query := range []string{"", "专班"} {
			all, total, err := f.logs.FindOpLogs(f.admin, zhagen.LogFilter{Query: query, Limit: 200})
			must(t, err)
			want := []int64{}
			for _, l := range all {
				want = append(want, l.ID)
			}
			where := ""
			if query != "" {
				where = ` WHERE summary LIKE '%专班%'`
			}
			if n := count(where); total != n || len(want) != n || n < 4 {
				t.Fatalf("%q: total %d, %d lines listed, %d in the table", query, total, len(want), n)
			}
			var older []int64
			var before int64
			for {
				page, _, err := f.logs.FindOpLogs(f.admin, zhagen.LogFilter{Query: query, Limit: 3, Before: before})
				must(t, err)
				if len(page) == 0 {
					break
				}
				for _, l := range page {
					older = append(older, l.ID)
				}
				before = page[len(page)-1].ID
			}
			if !slices.Equal(older, want) {
				t.Fatalf("%q: older and older %v, want %v", query, older, want)
			}
			var newer []int64
			after := want[len(want)-1]
			newer = append(newer, after)
			for {
				page, _, err := f.logs.FindOpLogs(f.admin, zhagen.LogFilter{Query: query, Limit: 3, After: after})
				must(t, err)
				if len(page) == 0 {
					break
				}
				if len(page) > 1 && page[0].ID < page[1].ID {
					t.Fatalf("%q: a newer page oldest first: %d, %d", query, page[0].ID, page[1].ID)
				}
				for i := len(page) - 1; i >= 0; i-- {
					newer = append(newer, page[i].ID)
				}
				after = page[0].ID
			}
			slices.Reverse(newer)
			if !slices.Equal(newer, want) {
				t.Fatalf("%q: newer and newer %v, want %v", query, newer, want)
			}
		}
		_, err := f.db.SealAudit(context.Background())
		must(t, err)
		must(t, f.depts.CreateDepartment(f.admin, &zhagen.Department{Name: "未封存", Kind: zhagen.DeptGov, ParentID: f.root.ID}))
		if _, total, err := f.logs.FindOpLogs(f.admin, zhagen.LogFilter{}); err != nil || total != count("") {
			t.Fatalf("total %d (%v), %d lines", total, err, count(""))
		}
		_, total, err := f.logs.FindLoginLogs(f.admin, zhagen.LogFilter{})
		must(t, err)
		var logins int
		must(t, f.db.SQL().QueryRow(`SELECT COUNT(*) FROM login_logs`).Scan(&logins))
		if total != logins {
			t.Fatalf("login log total %d, %d lines", total, logins)
		}
	})
}
