package sqldb_test

import (
	"testing"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestOversight: the cadres' ranking counts visits against the cadence
// and demands filed from visits; a bulletin is drafted once per month,
// edited only as a draft, issued once and numbered; the screen counts
// the open demands.
func TestOversight(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		ov := sqldb.NewOversightService(f.db)
		links := sqldb.NewLinkageService(f.db, f.demands)
		// Linked since 1 October: October asks for one visit (31 days, a
		// 30-day cadence), the two days of November for none.
		cadreID := zhagen.ActorFromContext(f.cadre).UserID
		must(t, links.CreateLinkage(f.admin, &zhagen.Linkage{CadreID: cadreID, EnterpriseID: f.entA.ID, StartDate: "2026-10-01"}))
		f.cadreLinked = true
		for _, day := range []string{"2026-10-10", "2026-10-20", "2026-11-01"} {
			must(t, links.CreateVisit(f.cadre, &zhagen.Visit{EnterpriseID: f.entA.ID, CadreID: cadreID, Status: zhagen.VisitLogged, Date: day, Topics: "经营情况"}))
		}
		d := f.file(t, f.cadre, "走访发现：需要扩容变压器")

		if _, err := ov.CadreRanking(f.staff, zhagen.TrendFilter{}); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("staff reads the cadre ranking: %v", err)
		}
		r, err := ov.CadreRanking(f.leader, zhagen.TrendFilter{From: "2026-10", To: "2026-11"})
		must(t, err)
		if len(r.Cadres) != 1 {
			t.Fatalf("cadres ranked: %+v", r.Cadres)
		}
		c := r.Cadres[0]
		if c.CadreID != cadreID || c.Linked != 1 || c.Due != 1 || c.Done != 1 || c.Visits != 3 || c.Rank != 1 || c.Score <= 0 {
			t.Errorf("cadre score: %+v", c)
		}
		if d.Channel == zhagen.ChannelVisit && c.Filed != 1 {
			t.Errorf("filed from visits: %d, want 1", c.Filed)
		}
		if _, err := ov.SetCadreWeights(f.admin, zhagen.CadreWeights{Cadence: 50, Filing: 50, Outcome: 50, Version: r.Weights.Version}); zhagen.ErrorCode(err) != zhagen.EINVALID {
			t.Errorf("weights summing to 150: %v", err)
		}

		if _, err := ov.CreateBulletin(f.leader, "2026-10"); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Errorf("leader drafts: %v", err)
		}
		if _, err := ov.CreateBulletin(f.dispatcher, "2026-12"); zhagen.ErrorCode(err) != zhagen.EINVALID {
			t.Errorf("future month: %v", err)
		}
		b, err := ov.CreateBulletin(f.dispatcher, "2026-11")
		must(t, err)
		if _, err := ov.CreateBulletin(f.dispatcher, "2026-11"); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Errorf("second draft of a month: %v", err)
		}
		if b.Content == nil || b.Content.This.Submitted < 1 || b.Content.Coverage.Linked != 0 || len(b.Content.TopCadres) != 1 {
			t.Fatalf("draft content: %+v", b.Content)
		}
		b, err = ov.SetNotable(f.dispatcher, b.ID, b.Version, []int64{d.ID, d.ID})
		must(t, err)
		if len(b.Content.Notable) != 1 || b.Content.Notable[0].Title != d.Title {
			t.Errorf("notable: %+v", b.Content.Notable)
		}
		if _, err := ov.SetCommentary(f.leader, b.ID, b.Version-1, "旧版本"); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Errorf("stale commentary: %v", err)
		}
		b, err = ov.SetCommentary(f.leader, b.ID, b.Version, "各部门要对照排名查找差距。")
		must(t, err)
		b, err = ov.IssueBulletin(f.leader, b.ID, b.Version)
		must(t, err)
		if b.Status != zhagen.BulletinIssued || b.Number != 1 || b.Issue() != "2026年第1期" || b.IssuedAt == nil || b.Content.Notable[0].DemandID != d.ID {
			t.Errorf("issued: %+v", b)
		}
		if _, err := ov.IssueBulletin(f.leader, b.ID, b.Version); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Errorf("second issue: %v", err)
		}
		if _, err := ov.SetCommentary(f.leader, b.ID, b.Version, "改"); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Errorf("commentary after issue: %v", err)
		}
		b2, err := ov.CreateBulletin(f.dispatcher, "2026-10")
		must(t, err)
		b2, err = ov.IssueBulletin(f.leader, b2.ID, b2.Version)
		must(t, err)
		if b2.Number != 2 {
			t.Errorf("second bulletin's number: %d", b2.Number)
		}
		list, err := ov.FindBulletins(f.leader)
		must(t, err)
		if len(list) != 2 || list[0].Month != "2026-11" {
			t.Errorf("list: %+v", list)
		}

		sc, err := ov.Screen(f.leader)
		must(t, err)
		if sc.TodayIntake < 1 || sc.Open.Green+sc.Open.Yellow+sc.Open.Red+sc.Open.None < 1 || len(sc.Parks) == 0 {
			t.Errorf("screen: %+v", sc)
		}
		if _, err := ov.Screen(f.ent); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Errorf("enterprise reads the screen: %v", err)
		}
	})
}
