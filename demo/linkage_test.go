package demo_test

import (
	"context"
	"testing"

	"zhagen"
	"zhagen/demo"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestDemoLinkage: the demo cadres are linked to every demo enterprise
// from an accepted suggestion, each key enterprise has a 处级 cadre, no
// cadre is over capacity, the relocation visit raised a red flag, and a
// second load changes nothing.
func TestDemoLinkage(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, testClock)
		s := services(db)
		links := sqldb.NewLinkageService(db, nil)
		s.Linkages = links
		ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		if err := demo.Load(ctx, s, demo.DefaultPassword, nil); err != nil {
			t.Fatal(err)
		}
		check := func() (int, int) {
			yes := true
			all, _, err := links.FindLinkages(ctx, zhagen.LinkageFilter{Active: &yes})
			if err != nil {
				t.Fatal(err)
			}
			ents, total, err := s.Enterprises.FindEnterprises(ctx, zhagen.EnterpriseFilter{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			perCadre, seniorFor, linked := map[int64]int{}, map[int64]bool{}, map[int64]bool{}
			for _, l := range all {
				perCadre[l.CadreID]++
				linked[l.EnterpriseID] = true
				if zhagen.RankLevel(l.CadreRank) >= zhagen.RankLevel("副处级") {
					seniorFor[l.EnterpriseID] = true
				}
				if l.SuggestionID == 0 {
					t.Errorf("linkage %d did not come from a suggestion", l.ID)
				}
			}
			for c, n := range perCadre {
				if n > 2 {
					t.Errorf("cadre %d has %d enterprises, capacity 2", c, n)
				}
			}
			for _, en := range ents {
				if en.Status != zhagen.EntClosed && !linked[en.ID] {
					t.Errorf("enterprise %s has no cadre", en.Name)
				}
				if en.IsKey && !seniorFor[en.ID] {
					t.Errorf("key enterprise %s has no 处级 cadre", en.Name)
				}
			}
			if total != 96 || len(perCadre) != 73 {
				t.Errorf("%d enterprises, %d cadres linked", total, len(perCadre))
			}
			return len(all), len(perCadre)
		}
		n1, c1 := check()
		flags, err := links.FindRedFlags(ctx, true, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(flags) != 1 || flags[0].Reason != "企业拟外迁" {
			t.Fatalf("demo red flags: %+v", flags)
		}
		// The fixed enterprise login sees the public part of a visit.
		us, _, err := s.Users.FindUsers(ctx, zhagen.UserFilter{Query: "enterprise", Role: zhagen.RoleEnterprise, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var entCtx context.Context
		for _, u := range us {
			if u.Login == "enterprise" {
				entCtx = zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: u.ID, Login: u.Login, Roles: u.Roles, EnterpriseID: u.EnterpriseID})
			}
		}
		if entCtx == nil {
			t.Fatal("no enterprise login")
		}
		seen, _, err := links.FindVisits(entCtx, zhagen.VisitFilter{})
		if err != nil || len(seen) != 1 || seen[0].PublicNotes == "" || seen[0].Findings != "" || seen[0].Situation != nil {
			t.Fatalf("the enterprise login's visits: %+v %v", seen, err)
		}
		if err := demo.Load(ctx, s, demo.DefaultPassword, nil); err != nil {
			t.Fatal(err)
		}
		n2, c2 := check()
		_, visits, _ := links.FindVisits(ctx, zhagen.VisitFilter{})
		// 90 routine visits, 6 with the story's findings, 1 planned.
		if n1 != n2 || c1 != c2 || visits != 97 {
			t.Fatalf("second load: %d→%d linkages, %d visits", n1, n2, visits)
		}
		// Routine visits 1–38 days ago: most enterprises within their
		// 30-day cadence, some overdue.
		cov, err := links.Coverage(ctx)
		if err != nil || cov.Total.Linked != 96 || cov.Total.Visited < 70 || cov.Total.Visited > 90 {
			t.Fatalf("demo coverage: %+v %v", cov.Total, err)
		}
		t.Logf("%d linkages over %d cadres, %d of %d visited within cadence", n1, c1, cov.Total.Visited, cov.Total.Linked)
	})
}
