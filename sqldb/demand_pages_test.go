package sqldb_test

import (
	"context"
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
