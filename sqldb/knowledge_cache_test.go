package sqldb_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestCommonProblemsFollowDemands: the clusters kept for a month are the
// ones computed afresh, and move when a demand joins them.
func TestCommonProblemsFollowDemands(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		now := z.Clock.T.In(zhagen.Shanghai)
		from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, zhagen.Shanghai)
		to := from.AddDate(0, 1, 0)
		sizes := func() map[string]int {
			ps, err := z.Knowledge.CommonProblems(z.As("disp"), from, to)
			must(t, err)
			out := map[string]int{}
			for _, p := range ps {
				out[p.Title] += p.Size
			}
			return out
		}
		file := func(login, ent string) {
			d := &zhagen.Demand{EnterpriseID: z.ID(ent), CategoryID: z.ID("category:A"),
				Title: "厂区道路积水严重影响货车通行", Description: "雨后厂区门口道路积水，货车无法通行，请协调市政排水"}
			must(t, z.Demands.CreateDemand(z.As(login), d, ""))
		}
		file("ent", "ent:A")
		file("ent2", "ent:B")
		first := sizes()
		if again := sizes(); fmt.Sprint(again) != fmt.Sprint(first) {
			t.Fatalf("kept %v, computed %v", again, first)
		}
		grown := 0
		for _, n := range first {
			grown += n
		}
		if grown < 2 {
			t.Fatalf("no cluster of the two like demands: %v", first)
		}
		file("ent", "ent:A")
		z.Clock.T = z.Clock.T.Add(2 * time.Second) // past the index's refresh
		after := sizes()
		total := 0
		for _, n := range after {
			total += n
		}
		if total != grown+1 {
			t.Fatalf("clusters hold %d demands before a third like ones was filed, %d after: %v → %v", grown, total, first, after)
		}
		// Renaming an enterprise files no demand: its new name shows.
		name := "甲公司（更名）"
		ent, err := z.Enterprises.FindEnterpriseByID(z.Sys, z.ID("ent:A"))
		must(t, err)
		_, err = z.Enterprises.UpdateEnterprise(z.Sys, ent.ID, zhagen.EnterpriseUpdate{Name: &name, Version: ent.Version})
		must(t, err)
		ps, err := z.Knowledge.CommonProblems(z.As("disp"), from, to)
		must(t, err)
		renamed := false
		for _, p := range ps {
			renamed = renamed || slices.Contains(p.Enterprises, name)
		}
		if !renamed {
			t.Fatalf("the renamed enterprise is not shown: %+v", ps)
		}
	})
}
