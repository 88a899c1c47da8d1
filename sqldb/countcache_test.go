package sqldb_test

import (
	"testing"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// A cached list total depends on every table its query reads: one test
// per table a counted list joins or reads through a subquery.

// TestDemandTotalAfterEnterpriseRename: the demand search joins
// enterprises; after a rename, a search by the old name finds nothing and
// says so in its total.
func TestDemandTotalAfterEnterpriseRename(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		f.file(t, f.cadre, "用电")
		old := f.entA.Name
		rows, total, err := f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{Query: old})
		must(t, err)
		if total != 1 || len(rows) != 1 {
			t.Fatalf("search by %q before the rename: total %d, rows %d, want 1 and 1", old, total, len(rows))
		}
		newName := "改名后的集成电路公司"
		_, err = f.ents.UpdateEnterprise(f.admin, f.entA.ID, zhagen.EnterpriseUpdate{Version: f.entA.Version, Name: &newName})
		must(t, err)
		rows, total, err = f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{Query: old})
		must(t, err)
		if total != 0 || len(rows) != 0 {
			t.Fatalf("search by the old name %q after the rename: total %d, rows %d, want 0 and 0", old, total, len(rows))
		}
		rows, total, err = f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{Query: newName})
		must(t, err)
		if total != 1 || len(rows) != 1 {
			t.Fatalf("search by the new name: total %d, rows %d, want 1 and 1", total, len(rows))
		}
	})
}

// TestDemandTotalAfterDeptRowsChange: the department inbox joins
// demand_depts; resolving closes the department's row, and the open inbox
// total drops with it.
func TestDemandTotalAfterDeptRowsChange(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.cadre, "用电")
		filter := zhagen.DemandFilter{DeptID: f.edb.ID, Open: ptr(true)}
		rows, total, err := f.demands.FindDemands(f.staff, filter)
		must(t, err)
		if total != 1 || len(rows) != 1 {
			t.Fatalf("open inbox: total %d, rows %d, want 1 and 1", total, len(rows))
		}
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已接通，已答复企业并告知办理依据"})
		rows, total, err = f.demands.FindDemands(f.staff, filter)
		must(t, err)
		if total != 0 || len(rows) != 0 {
			t.Fatalf("open inbox after resolving: total %d, rows %d, want 0 and 0", total, len(rows))
		}
	})
}

// TestEnterpriseTotalAfterLinkageEnds: "my enterprises" reads linkages;
// ending the linkage empties the list and its total.
func TestEnterpriseTotalAfterLinkageEnds(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		links := sqldb.NewLinkageService(f.db, f.demands)
		l := &zhagen.Linkage{CadreID: zhagen.ActorFromContext(f.cadre).UserID, EnterpriseID: f.entA.ID}
		must(t, links.CreateLinkage(f.admin, l))
		rows, total, err := f.ents.FindEnterprises(f.cadre, zhagen.EnterpriseFilter{Linked: true})
		must(t, err)
		if total != 1 || len(rows) != 1 {
			t.Fatalf("linked enterprises: total %d, rows %d, want 1 and 1", total, len(rows))
		}
		_, err = links.EndLinkage(f.dispatcher, l.ID, "")
		must(t, err)
		rows, total, err = f.ents.FindEnterprises(f.cadre, zhagen.EnterpriseFilter{Linked: true})
		must(t, err)
		if total != 0 || len(rows) != 0 {
			t.Fatalf("linked enterprises after the linkage ended: total %d, rows %d, want 0 and 0", total, len(rows))
		}
	})
}

// TestDemandTotalAfterLinkageEnds: a cadre's demand scope reads
// linkages; ending the linkage takes the enterprise's demands out of the
// cadre's list and total (the cadre filed none itself).
func TestDemandTotalAfterLinkageEnds(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		links := sqldb.NewLinkageService(f.db, f.demands)
		l := &zhagen.Linkage{CadreID: zhagen.ActorFromContext(f.cadre).UserID, EnterpriseID: f.entA.ID}
		must(t, links.CreateLinkage(f.admin, l))
		f.file(t, f.ent, "企业自己提的")
		rows, total, err := f.demands.FindDemands(f.cadre, zhagen.DemandFilter{})
		must(t, err)
		if total != 1 || len(rows) != 1 {
			t.Fatalf("cadre's demands: total %d, rows %d, want 1 and 1", total, len(rows))
		}
		_, err = links.EndLinkage(f.dispatcher, l.ID, "")
		must(t, err)
		rows, total, err = f.demands.FindDemands(f.cadre, zhagen.DemandFilter{})
		must(t, err)
		if total != 0 || len(rows) != 0 {
			t.Fatalf("cadre's demands after the linkage ended: total %d, rows %d, want 0 and 0", total, len(rows))
		}
	})
}
