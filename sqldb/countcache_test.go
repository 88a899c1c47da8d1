package sqldb_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"zhagen"
	"zhagen/sla"
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

// TestCachesAnswerUntilAGenerationMoves: the count cache and the
// generation caches answer from memory while no generation has moved,
// and counting or reading one key keeps the others. A write that bypasses
// the services (raw SQL, as another tool might) bumps no generation, so
// a value it changed still comes back as cached: that shows the cache
// answered. A write through a service moves the generation and the next
// read is fresh.
func TestCachesAnswerUntilAGenerationMoves(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		f.file(t, f.cadre, "用电")
		open, all := zhagen.DemandFilter{Open: ptr(true)}, zhagen.DemandFilter{}
		total := func(fl zhagen.DemandFilter) int {
			_, n, err := f.demands.FindDemands(f.dispatcher, fl)
			must(t, err)
			return n
		}
		if a, b := total(open), total(all); a != 1 || b != 1 {
			t.Fatalf("totals open %d, all %d, want 1 and 1", a, b)
		}
		_, err := f.db.SQL().Exec(`UPDATE demands SET is_open = FALSE`)
		must(t, err)
		if n := total(open); n != 1 {
			t.Errorf("open total after a raw write: %d, want the cached 1 (counting another filter dropped it)", n)
		}
		water := &zhagen.Category{Code: "water", Name: "用水保障", Group: "水电气", LeadDeptID: f.edb.ID,
			DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA(), AutoCloseDays: 7}
		must(t, f.cats.CreateCategory(f.admin, water))
		name := func(id int64) string {
			c, err := f.cats.FindCategoryByID(f.dispatcher, id)
			must(t, err)
			return c.Name
		}
		if a, b := name(f.power.ID), name(water.ID); a != "用电保障" || b != "用水保障" {
			t.Fatalf("category names %q, %q", a, b)
		}
		_, err = f.db.SQL().Exec(f.db.Rebind(`UPDATE categories SET name = '改名' WHERE id = ?`), f.power.ID)
		must(t, err)
		if n := name(f.power.ID); n != "用电保障" {
			t.Errorf("category name after a raw write: %q, want the cached 用电保障 (reading another category dropped it)", n)
		}
		// A write through the service moves the generation: both reads
		// are fresh.
		upd := *water
		upd.Name = "供水保障"
		_, err = f.cats.UpdateCategory(f.admin, water.ID, water.Version, &upd)
		must(t, err)
		if a, b := name(f.power.ID), name(water.ID); a != "改名" || b != "供水保障" {
			t.Errorf("category names after an update: %q, %q, want 改名 and 供水保障", a, b)
		}
		f.file(t, f.cadre, "再次用电")
		if n := total(open); n != 1 {
			t.Errorf("open total after filing through the service: %d, want 1 (the raw write closed the first)", n)
		}
	})
}

// TestMissesAtOnceCountOnce: two requests that miss the count cache for
// the same query at the same generation run one count between them, and
// both get its total. The first count waits until the second request has
// missed too, so without sharing the second would run its own.
func TestMissesAtOnceCountOnce(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		f.file(t, f.cadre, "用电")
		f.file(t, f.cadre, "用水")
		var mu sync.Mutex
		misses, queries := 0, 0
		bothMissed := make(chan struct{})
		f.db.OnCount(func(query bool) {
			mu.Lock()
			if query {
				queries++
				mu.Unlock()
				<-bothMissed
				return
			}
			misses++
			if misses == 2 {
				close(bothMissed)
			}
			mu.Unlock()
		})
		defer f.db.OnCount(nil)
		totals := make([]int, 2)
		var wg sync.WaitGroup
		for i := range totals {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, n, err := f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{Limit: 1})
				if err != nil {
					t.Error(err)
				}
				totals[i] = n
			}()
		}
		wg.Wait()
		if queries != 1 || totals[0] != 2 || totals[1] != 2 {
			t.Errorf("%d counts ran for two misses at once, totals %v; want one count and 2, 2", queries, totals)
		}
	})
}

// TestLargeCountsRefreshInBackground: a total at or above the threshold
// is served from the generation before while one recount runs, and is
// exact once it has run; a total below it is recounted at once.
func TestLargeCountsRefreshInBackground(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		defer sqldb.SetBackgroundCountRows(2)()
		defer sqldb.SetRecountSpacing(0)()
		f := newDemandFixture(t, e)
		total := func() int {
			_, n, err := f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{Limit: 1})
			must(t, err)
			return n
		}
		f.file(t, f.cadre, "用电")
		if n := total(); n != 1 {
			t.Fatalf("total %d, want 1", n)
		}
		f.file(t, f.cadre, "用水")
		if n := total(); n != 2 {
			t.Fatalf("total %d below the threshold, want 2 at once", n)
		}
		f.file(t, f.cadre, "用气")
		if n := total(); n != 2 {
			t.Fatalf("total %d at the threshold, want the 2 kept while it is recounted", n)
		}
		f.db.WaitCountRefreshes()
		if n := total(); n != 3 {
			t.Fatalf("total %d after the recount, want 3", n)
		}
	})
}

// TestLargeCountsSharedAcrossServers: a large total one server counted
// is served by another server (or the same after a restart) at once,
// without counting, and refreshed in the background once demands
// change; a small total is not shared, each server counts it.
func TestLargeCountsSharedAcrossServers(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f, second := newTwoServerFixture(t, e)
		cal, err := sla.NewCalendar(sla.Config{})
		must(t, err)
		// server opens a second server on the database; its counts, as
		// they are made, go to counted.
		var otherDB *sqldb.DB
		server := func(counted *atomic.Int32) *sqldb.DemandService {
			db := second()
			otherDB = db
			db.OnCount(func(query bool) {
				if query {
					counted.Add(1)
				}
			})
			return sqldb.NewDemandService(db, cal)
		}
		total := func(s *sqldb.DemandService) int {
			_, n, err := s.FindDemands(f.dispatcher, zhagen.DemandFilter{Limit: 1})
			must(t, err)
			return n
		}
		for _, w := range []string{"用电", "用水", "用气"} {
			f.file(t, f.cadre, w)
		}

		// Below the threshold: nothing shared.
		restore := sqldb.SetBackgroundCountRows(100)
		if n := total(f.demands); n != 3 {
			t.Fatalf("total %d, want 3", n)
		}
		var small atomic.Int32
		if n := total(server(&small)); n != 3 || small.Load() != 1 {
			t.Fatalf("small total on another server: %d after %d counts, want 3 after 1", n, small.Load())
		}
		restore()

		defer sqldb.SetBackgroundCountRows(2)()
		defer sqldb.SetGenTTL(0)() // the other server sees a filing here at once
		defer sqldb.SetRecountSpacing(0)()
		f.file(t, f.cadre, "用地") // a new generation: counted again in the background, and shared
		total(f.demands)
		f.db.WaitCountRefreshes()
		if n := total(f.demands); n != 4 {
			t.Fatalf("total %d, want 4", n)
		}
		var counted atomic.Int32
		other := server(&counted)
		if n := total(other); n != 4 || counted.Load() != 0 {
			t.Fatalf("the other server: total %d after %d counts, want the shared 4 without counting", n, counted.Load())
		}
		f.file(t, f.cadre, "用工")
		if n := total(other); n != 4 {
			t.Fatalf("after a filing: total %d, want the 4 kept while it is recounted", n)
		}
		otherDB.WaitCountRefreshes()
		if n := total(other); n != 5 || counted.Load() != 1 {
			t.Fatalf("after the recount: total %d after %d counts, want 5 after 1", n, counted.Load())
		}
	})
}

// TestRecountsAreSpaced: after a background recount, the next one waits
// recountSpacing times as long as it took; the total meanwhile stays the
// one last counted.
func TestRecountsAreSpaced(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		defer sqldb.SetBackgroundCountRows(2)()
		defer sqldb.SetRecountSpacing(1 << 20)() // no second recount within this test (times a count, without overflowing)
		f := newDemandFixture(t, e)
		var counts atomic.Int32
		f.db.OnCount(func(query bool) {
			if query {
				counts.Add(1)
			}
		})
		total := func() int {
			_, n, err := f.demands.FindDemands(f.dispatcher, zhagen.DemandFilter{Limit: 1})
			must(t, err)
			return n
		}
		f.file(t, f.cadre, "用电")
		f.file(t, f.cadre, "用水")
		if n := total(); n != 2 {
			t.Fatalf("total %d, want 2", n)
		}
		f.file(t, f.cadre, "用气")
		total()
		f.db.WaitCountRefreshes()
		if n := total(); n != 3 || counts.Load() != 2 {
			t.Fatalf("after the first recount: total %d after %d counts, want 3 after 2", n, counts.Load())
		}
		f.file(t, f.cadre, "用地")
		total()
		f.db.WaitCountRefreshes()
		if n := total(); n != 3 || counts.Load() != 2 {
			t.Fatalf("a second recount too soon: total %d after %d counts, want the 3 kept after 2", n, counts.Load())
		}
	})
}
