package sqldb_test

import (
	"testing"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestCadreFilingFollowsLinkages: whether a cadre may file for an
// enterprise is cached per cadre, and the cache must follow linkages as
// they are created and ended, not a moment later.
func TestCadreFilingFollowsLinkages(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		links := sqldb.NewLinkageService(f.db, f.demands)
		try := func() error {
			d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Title: "需要双回路供电", Description: "扩产需要",
				Answers: zhagen.Answers{"load_kw": {"800"}}}
			return f.demands.CreateDemand(f.cadre, d, "")
		}
		if err := try(); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("unlinked cadre files: %v", err)
		}
		l := &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID}
		must(t, links.CreateLinkage(f.admin, l))
		if err := try(); err != nil {
			t.Fatalf("linked cadre files: %v", err)
		}
		// A linkage to another enterprise does not change entA.
		must(t, links.CreateLinkage(f.admin, &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entB.ID, Role: zhagen.LinkParty}))
		if err := try(); err != nil {
			t.Fatalf("linked cadre files after another linkage: %v", err)
		}
		_, err := links.EndLinkage(f.admin, l.ID, "")
		must(t, err)
		if err := try(); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("cadre files after its linkage ended: %v", err)
		}
	})
}
