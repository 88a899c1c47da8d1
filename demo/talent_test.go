package demo_test

import (
	"context"
	"testing"

	"zhagen"
	"zhagen/demo"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestSummerProgramme loads the demo with the talent part and checks the
// summer programme: 11 enterprises, 94 interns, matched and published, an
// audit without blocking pairs (checked again here from the applicants'
// ranks), a reason for every unmatched intern, and no intern placed with
// the biomedicine company. A second load changes nothing.
func TestSummerProgramme(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, testClock)
		s := services(db)
		talent := sqldb.NewTalentService(db)
		s.Talent = talent
		ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		if err := demo.Load(ctx, s, demo.DefaultPassword, nil); err != nil {
			t.Fatal(err)
		}
		progs, err := talent.FindProgrammes(ctx)
		if err != nil || len(progs) != 1 || progs[0].Name != demo.SummerProgramme {
			t.Fatalf("programmes %v %v", progs, err)
		}
		p, err := talent.FindProgrammeByID(ctx, progs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Enterprises != 11 || p.Applicants != demo.Interns {
			t.Fatalf("%d enterprises, %d applicants", p.Enterprises, p.Applicants)
		}
		if p.LatestRun == nil || p.LatestRun.PublishedAt == nil {
			t.Fatalf("not matched and published: %+v", p.LatestRun)
		}
		run, err := talent.FindMatchRun(ctx, p.LatestRun.ID)
		if err != nil {
			t.Fatal(err)
		}
		if run.BlockingPairs != 0 || len(run.Results) != demo.Interns || run.Matched+run.Unmatched != demo.Interns {
			t.Fatalf("run: blocking %d, %d results, %d+%d", run.BlockingPairs, len(run.Results), run.Matched, run.Unmatched)
		}
		if run.Matched < 75 || run.Unmatched == 0 {
			t.Errorf("matched %d, unmatched %d: the demo should place most but not all", run.Matched, run.Unmatched)
		}
		t.Logf("matched %d, unmatched %d, proposals %d", run.Matched, run.Unmatched, run.Proposals)
		matchOf := map[int64]int64{}
		for _, m := range run.Results {
			if m.PositionID == 0 && m.Reason == "" {
				t.Errorf("unmatched %s has no reason", m.GraduateName)
			}
			if m.PositionID != 0 {
				matchOf[m.GraduateID] = m.PositionID
				if m.Reason != "" || m.Choice < 1 {
					t.Errorf("matched %s: choice %d reason %q", m.GraduateName, m.Choice, m.Reason)
				}
			}
		}
		// Stability from the stored ranks: for every graduate and every
		// position they prefer to their match, that position is full of
		// applicants it ranks higher (or does not accept the graduate).
		held := map[int64][]int{} // position → ranks of those placed there
		apps := map[int64]map[int64]*zhagen.Applicant{}
		for _, pp := range p.Positions {
			list, err := talent.FindApplicants(ctx, pp.ID)
			if err != nil {
				t.Fatal(err)
			}
			apps[pp.ID] = map[int64]*zhagen.Applicant{}
			for _, a := range list {
				apps[pp.ID][a.GraduateID] = a
				if matchOf[a.GraduateID] == pp.ID {
					held[pp.ID] = append(held[pp.ID], a.Rank)
				}
			}
			if len(held[pp.ID]) > pp.Capacity {
				t.Errorf("%s over capacity: %d > %d", pp.Title, len(held[pp.ID]), pp.Capacity)
			}
			if pp.EnterpriseName == "福建仙芝楼生物科技有限公司" && (pp.Matched != 0 || pp.Applicants == 0) {
				t.Errorf("biomedicine company: %d applicants, %d matched", pp.Applicants, pp.Matched)
			}
		}
		capOf := map[int64]int{}
		for _, pp := range p.Positions {
			capOf[pp.ID] = pp.Capacity
		}
		for _, pp := range p.Positions {
			for gid, a := range apps[pp.ID] {
				if a.Rank == 0 {
					continue
				}
				mine := matchOf[gid]
				if mine != 0 && apps[mine][gid].Choice <= a.Choice {
					continue // already at this choice or a better one
				}
				if len(held[pp.ID]) < capOf[pp.ID] {
					t.Errorf("blocking pair: graduate %d and %s (free place)", gid, pp.Title)
					continue
				}
				for _, r := range held[pp.ID] {
					if r > a.Rank {
						t.Errorf("blocking pair: graduate %d (rank %d) and %s holding rank %d", gid, a.Rank, pp.Title, r)
						break
					}
				}
			}
		}

		if err := demo.Load(ctx, s, demo.DefaultPassword, nil); err != nil {
			t.Fatalf("second load: %v", err)
		}
		again, err := talent.FindProgrammeByID(ctx, p.ID)
		if err != nil || again.LatestRun.ID != run.ID || again.Applicants != demo.Interns {
			t.Fatalf("second load changed the programme: %+v %v", again.LatestRun, err)
		}
	})
}
