package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// The reads rewritten for speed at a million demands give what the plain
// queries gave, for every user of the zone, on both stores.

// demandIDs lists the ids of the whole list f selects, from the export's
// query (one statement, no page): the reference the pages are held to.
func demandIDs(t *testing.T, z *sqldbtest.Zone, ctx context.Context, f zhagen.DemandFilter) ([]int64, error) {
	t.Helper()
	var ids []int64
	err := z.Demands.EachDemand(ctx, f, func(d *zhagen.Demand) error { ids = append(ids, d.ID); return nil })
	return ids, err
}

// TestDemandPagesAndCounts: each page of FindDemands (ids first, then
// their rows) is the matching slice of the whole list in its order, and
// CountDemands and the page's total are the list's length.
func TestDemandPagesAndCounts(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		open, closed := true, false
		edb := z.ID("dept:edb")
		filters := map[string]zhagen.DemandFilter{
			"all":           {},
			"open by due":   {Open: &open, Sort: "due"},
			"closed":        {Open: &closed},
			"created":       {Sort: "created"},
			"updated":       {Sort: "updated"},
			"edb lead open": {DeptID: edb, DeptRole: "lead", Open: &open, Sort: "due"},
			"edb any":       {DeptID: edb},
			"red open":      {Level: zhagen.SLARed, Open: &open},
			"extension":     {PendingExtension: true, Open: &open, Sort: "due"},
			"submitted":     {Statuses: []zhagen.DemandStatus{zhagen.DemandSubmitted, zhagen.DemandAssigned}, Sort: "created"},
			"text":          {Query: "诉求"},
			"enterprise A":  {EnterpriseID: z.ID("ent:A")},
		}
		checked := 0
		for _, login := range sqldbtest.ZoneLogins {
			ctx := z.As(login)
			for name, f := range filters {
				want, err := demandIDs(t, z, ctx, f)
				n, cerr := z.Demands.CountDemands(ctx, f)
				if err != nil || cerr != nil {
					if zhagen.ErrorCode(err) != zhagen.ErrorCode(cerr) {
						t.Fatalf("%s %s: list error %v, count error %v", login, name, err, cerr)
					}
					continue
				}
				if n != len(want) {
					t.Errorf("%s %s: CountDemands = %d, the list holds %d", login, name, n, len(want))
				}
				var got []int64
				for off := 0; off <= len(want); off += 2 {
					f.Limit, f.Offset = 2, off
					page, total, err := z.Demands.FindDemands(ctx, f)
					if err != nil {
						t.Fatalf("%s %s at %d: %v", login, name, off, err)
					}
					if total != len(want) {
						t.Errorf("%s %s: total %d, the list holds %d", login, name, total, len(want))
					}
					for _, d := range page {
						got = append(got, d.ID)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s %s: pages give %v, the list %v", login, name, got, want)
				}
				if len(want) > 0 {
					checked++
				}
			}
		}
		if checked < 40 {
			t.Fatalf("only %d non-empty lists compared", checked)
		}
	})
}

// TestCountDemandsAfterChange: a count cached for the workbench moves
// when a demand is filed.
func TestCountDemandsAfterChange(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		open := true
		ctx := z.As("ent")
		f := zhagen.DemandFilter{Open: &open}
		before, err := z.Demands.CountDemands(ctx, f)
		must(t, err)
		d := &zhagen.Demand{EnterpriseID: z.ID("ent:A"), CategoryID: z.ID("category:A"), Title: "新的诉求", Description: "计数应当随之变化"}
		must(t, z.Demands.CreateDemand(ctx, d, ""))
		after, err := z.Demands.CountDemands(ctx, f)
		must(t, err)
		if after != before+1 {
			t.Fatalf("open demands of ent: %d before filing one, %d after", before, after)
		}
	})
}

// TestDemandPagesOfACooperatingDepartment: a department reaches a demand
// it only cooperates on, and one on a project it has a stake in, however
// many demands of other departments were filed after them: each page of
// its list (read department by department on PostgreSQL) is the matching
// slice of the whole list, newest first and oldest first.
func TestDemandPagesOfACooperatingDepartment(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		file := func(title string, lead, coop int64) int64 {
			d := &zhagen.Demand{EnterpriseID: z.ID("ent:B"), CategoryID: z.ID("category:B"), Title: title, Description: "分页核对"}
			must(t, z.Demands.CreateDemand(z.As("ent2"), d, ""))
			tr := zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: lead}
			if coop != 0 {
				tr.CoopDeptIDs = []int64{coop}
			}
			_, err := z.Demands.Transition(z.Sys, d.ID, tr)
			must(t, err)
			return d.ID
		}
		build, unit := z.ID("dept:build"), z.ID("dept:unit")
		coop := file("住建牵头、企业服务科协办", build, unit)
		for i := range 7 {
			file(fmt.Sprintf("住建牵头 %d", i), build, 0)
		}
		ctx := z.As("unitstaff")
		for _, f := range []zhagen.DemandFilter{{}, {Sort: "created"}, {Open: ptr(true)}, {Query: "协办"}} {
			want, err := demandIDs(t, z, ctx, f)
			must(t, err)
			if !slices.Contains(want, coop) {
				t.Fatalf("filter %+v: the whole list %v lacks the demand unit cooperates on (%d)", f, want, coop)
			}
			for _, size := range []int{1, 2, 3} {
				var got []int64
				for off := 0; off < len(want)+size; off += size {
					f.Limit, f.Offset = size, off
					page, _, err := z.Demands.FindDemands(ctx, f)
					must(t, err)
					for _, d := range page {
						got = append(got, d.ID)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("filter %+v, pages of %d: %v, the list %v", f, size, got, want)
				}
			}
		}
		// buildstaff: led demands, the project B demand (a stake through
		// the project's owner department), and nothing of unit's alone.
		ctx = z.As("buildstaff")
		want, err := demandIDs(t, z, ctx, zhagen.DemandFilter{})
		must(t, err)
		if !slices.Contains(want, z.ID("demand:problemB")) || !slices.Contains(want, coop) {
			t.Fatalf("buildstaff's whole list %v lacks demand problemB or %d", want, coop)
		}
		var got []int64
		for off := 0; off < len(want); off += 2 {
			page, _, err := z.Demands.FindDemands(ctx, zhagen.DemandFilter{Limit: 2, Offset: off})
			must(t, err)
			for _, d := range page {
				got = append(got, d.ID)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("buildstaff's pages %v, the list %v", got, want)
		}
	})
}
