package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestTalentRankingAndSummary: an entered ranking overrides the score and
// changes the matching; the survey summary sets demand against the
// registered graduates of each major.
func TestTalentRankingAndSummary(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		tl := sqldb.NewTalentService(f.db)
		ctx := f.admin
		p := &zhagen.Programme{Name: "实践", RegOpen: "2026-11-01", RegClose: "2026-11-30", MaxChoices: 2}
		must(t, tl.CreateProgramme(ctx, p))
		pp := &zhagen.ProgrammePosition{ProgrammeID: p.ID, EnterpriseID: f.entA.ID, Title: "实习生", Majors: []string{"微电子科学与工程"},
			Degree: zhagen.DegreeMaster, Skills: []string{"Verilog"}, Capacity: 1}
		must(t, tl.AddProgrammePosition(ctx, pp))
		grads := map[string]*zhagen.Graduate{}
		for _, g := range []*zhagen.Graduate{
			{Name: "硕士", Major: "微电子科学与工程", Degree: zhagen.DegreeMaster, Skills: []string{"Verilog"}},
			{Name: "本科", Major: "微电子科学与工程", Degree: zhagen.DegreeBachelor},
			{Name: "外专业", Major: "软件工程", Degree: zhagen.DegreeDoctor, Skills: []string{"Verilog"}},
		} {
			g.University, g.GradYear, g.Phone, g.Consent = "福州大学", 2026, "13800000000", true
			must(t, tl.CreateGraduate(ctx, g, "g"+itoa(int64(len(grads)))))
			grads[g.Name] = g
			must(t, tl.SetChoices(ctx, &zhagen.Application{ProgrammeID: p.ID, GraduateID: g.ID, PositionIDs: []int64{pp.ID}}))
		}
		apps, err := tl.FindApplicants(ctx, pp.ID)
		must(t, err)
		if len(apps) != 3 || apps[0].Graduate.Name != "硕士" || apps[0].Score.Total != 80 || apps[1].Score.Total != 60 || apps[2].Rank != 0 || apps[2].Score.Acceptable {
			t.Fatalf("by score: %+v %+v %+v", apps[0].Score, apps[1].Score, apps[2].Score)
		}
		if want := "专业对口（微电子科学与工程）50 + 学历（硕士）20 + 技能（Verilog）10 = 80"; apps[0].Score.Derivation != want {
			t.Errorf("derivation %q, want %q", apps[0].Score.Derivation, want)
		}
		run, err := tl.RunMatch(ctx, p.ID)
		must(t, err)
		if run.Results[0].GraduateName != "硕士" || run.BlockingPairs != 0 {
			t.Fatalf("first run: %+v", run.Results[0])
		}
		// The enterprise prefers the bachelor: entered ranks come first.
		entA := zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: 999, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: f.entA.ID})
		must(t, tl.SetRanking(entA, pp.ID, []int64{grads["本科"].ID}))
		entB := zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: 998, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: f.entB.ID})
		if err := tl.SetRanking(entB, pp.ID, []int64{grads["硕士"].ID}); zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			t.Fatalf("entB ranks entA's applicants: %v", err)
		}
		run, err = tl.RunMatch(ctx, p.ID)
		must(t, err)
		placed := map[string]string{}
		for _, r := range run.Results {
			placed[r.GraduateName] = r.PositionTitle + r.Reason
		}
		if placed["本科"] != "实习生" || placed["硕士"] != "所填志愿岗位均已被排名更靠前的申请人占满" || placed["外专业"] == "" || placed["外专业"] == "实习生" {
			t.Fatalf("after ranking: %v", placed)
		}

		// Survey summary: 5 wanted against 2 registered.
		must(t, tl.SaveSurvey(ctx, &zhagen.Survey{EnterpriseID: f.entA.ID, Period: "2026", Lines: []zhagen.SurveyLine{{Major: "微电子科学与工程", Count: 5, Difficulty: 3}, {Major: "软件工程", Count: 1, Difficulty: 1}}}))
		must(t, tl.SaveSurvey(ctx, &zhagen.Survey{EnterpriseID: f.entA.ID, Period: "2026", Lines: []zhagen.SurveyLine{{Major: "微电子科学与工程", Count: 4, Difficulty: 3}, {Major: "软件工程", Count: 1, Difficulty: 1}}}))
		stale := &zhagen.Survey{EnterpriseID: f.entA.ID, Period: "2026", Version: 1, Lines: []zhagen.SurveyLine{{Major: "软件工程", Count: 9, Difficulty: 1}}}
		if err := tl.SaveSurvey(ctx, stale); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Fatalf("stale survey: %v", err)
		} else if cur, ok := err.(*zhagen.Error).Current.(*zhagen.Survey); !ok || cur.Version != 2 || cur.Lines[0].Count != 4 {
			t.Fatalf("stale survey current: %#v", err.(*zhagen.Error).Current)
		}
		sum, err := tl.SurveySummary(ctx, "2026")
		must(t, err)
		if sum.Surveys != 1 || len(sum.ByMajor) != 2 || sum.ByMajor[0].Major != "微电子科学与工程" || sum.ByMajor[0].Demand != 4 || sum.ByMajor[0].Supply != 2 || sum.ByMajor[0].Gap != 2 || sum.ByMajor[1].Gap != 0 {
			t.Fatalf("summary: %+v", sum)
		}
		if len(sum.ByIndustry) != 1 || sum.ByIndustry[0].Demand != 5 || sum.ByIndustry[0].Hard != 4 {
			t.Fatalf("by industry: %+v", sum.ByIndustry)
		}
		bad := &zhagen.Survey{EnterpriseID: f.entA.ID, Period: "26", Lines: []zhagen.SurveyLine{{Major: "x", Count: 0, Difficulty: 5}}}
		if fe := zhagen.FieldErrors(tl.SaveSurvey(ctx, bad)); fe["period"] == "" || fe["lines"] == "" {
			t.Fatalf("bad survey: %v", fe)
		}
	})
}

// TestTalentReviewPublishReasons: a stale review is a conflict; an
// unmatched graduate's reason tells full choices from refusing ones; the
// published result names to an enterprise only the consenting graduates
// placed with it.
func TestTalentReviewPublishReasons(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		tl := sqldb.NewTalentService(f.db)
		ctx := f.admin

		pos := &zhagen.Position{EnterpriseID: f.entA.ID, Kind: zhagen.PositionFullTime, Title: "工程师", Number: 1, Place: "高新区"}
		must(t, tl.CreatePosition(ctx, pos))
		_, err := tl.ReviewPosition(ctx, pos.ID, pos.Version+1, true, "")
		wantCode(t, err, zhagen.ECONFLICT)
		got, err := tl.ReviewPosition(ctx, pos.ID, pos.Version, true, "")
		must(t, err)
		if got.Status != zhagen.PositionApproved || got.Version != pos.Version+1 {
			t.Fatalf("reviewed: %+v", got)
		}
		_, err = tl.ReviewPosition(ctx, pos.ID, pos.Version, false, "重复审核")
		wantCode(t, err, zhagen.ECONFLICT)
		// The position names no major: a search by any major finds it.
		if list, n, err := tl.FindPublicPositions(ctx, zhagen.PositionFilter{Major: "软件工程"}); err != nil || n != 1 || list[0].ID != pos.ID {
			t.Fatalf("by major: %d %v", n, err)
		}

		p := &zhagen.Programme{Name: "实践", RegOpen: "2026-11-01", RegClose: "2026-11-30", MaxChoices: 3}
		must(t, tl.CreateProgramme(ctx, p))
		ppA := &zhagen.ProgrammePosition{ProgrammeID: p.ID, EnterpriseID: f.entA.ID, Title: "开发实习生", Majors: []string{"软件工程"}, Capacity: 2}
		ppB := &zhagen.ProgrammePosition{ProgrammeID: p.ID, EnterpriseID: f.entB.ID, Title: "制药实习生", Majors: []string{"生物制药"}, Capacity: 1}
		must(t, tl.AddProgrammePosition(ctx, ppA))
		must(t, tl.AddProgrammePosition(ctx, ppB))
		for i, g := range []struct {
			name, major string
			consent     bool
			choices     []int64
		}{
			{"甲生", "软件工程", true, []int64{ppA.ID}},
			{"乙生", "软件工程", false, []int64{ppA.ID}},
			{"丙生", "软件工程", true, []int64{ppB.ID, ppA.ID}},
			{"丁生", "汉语言文学", true, []int64{ppB.ID}},
		} {
			gr := &zhagen.Graduate{Name: g.name, University: "福州大学", Major: g.major, Degree: zhagen.DegreeBachelor, GradYear: 2026, Phone: "13800000000", Consent: g.consent}
			must(t, tl.CreateGraduate(ctx, gr, "grad"+itoa(int64(i))))
			must(t, tl.SetChoices(ctx, &zhagen.Application{ProgrammeID: p.ID, GraduateID: gr.ID, PositionIDs: g.choices}))
		}
		run, err := tl.RunMatch(ctx, p.ID)
		must(t, err)
		placed := map[string]string{}
		for _, r := range run.Results {
			placed[r.GraduateName] = r.PositionTitle + r.Reason
		}
		want := map[string]string{
			"甲生": "开发实习生",
			"乙生": "开发实习生",
			"丙生": "志愿已用尽：1个志愿岗位已被排名更靠前的申请人占满，1个志愿岗位不接受其专业",
			"丁生": "志愿已用尽：所填志愿岗位均不接受其专业",
		}
		for k, v := range want {
			if placed[k] != v {
				t.Errorf("%s: %q, want %q", k, placed[k], v)
			}
		}

		// The server delivers notices right after each commit: the review
		// of the position was told before entA's user existed.
		f.drain(t)
		entA := f.user(t, "enta", zhagen.RoleEnterprise, 0, f.entA.ID)
		_, err = tl.PublishMatch(ctx, run.ID)
		must(t, err)
		_, err = tl.PublishMatch(ctx, run.ID) // no second round of notifications
		wantCode(t, err, zhagen.ECONFLICT)

		// While a run is in progress another does not start; one left
		// unfinished long ago (the server stopped) no longer blocks.
		if _, err := f.db.SQL().Exec(`UPDATE match_runs SET status = 'running', finished_at = NULL`); err != nil {
			t.Fatal(err)
		}
		_, err = tl.RunMatch(ctx, p.ID)
		wantCode(t, err, zhagen.ECONFLICT)
		f.clock.T = f.clock.T.Add(11 * time.Minute)
		if _, err := tl.RunMatch(ctx, p.ID); err != nil {
			t.Fatalf("after a stale run: %v", err)
		}
		f.drain(t)
		notes, _, err := sqldb.NewNotificationService(f.db).FindNotifications(entA, false, 10)
		must(t, err)
		if len(notes) != 1 {
			t.Fatalf("entA notifications: %d", len(notes))
		}
		if b := notes[0].Body; !strings.Contains(b, "共录取 2 名") || !strings.Contains(b, "甲生") || strings.Contains(b, "乙生") || !strings.Contains(b, "1 名未同意") {
			t.Fatalf("entA notification: %q", b)
		}
	})
}

// TestFindProgrammePosition: a position names its programme to whoever
// sees the programme; an unknown id, or no login, finds nothing.
func TestFindProgrammePosition(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		tl := sqldb.NewTalentService(f.db)
		ctx := f.admin
		for _, name := range []string{"先", "后"} {
			must(t, tl.CreateProgramme(ctx, &zhagen.Programme{Name: name, RegOpen: "2026-11-01", RegClose: "2026-11-30", MaxChoices: 1}))
		}
		p := &zhagen.Programme{Name: "实践", RegOpen: "2026-11-01", RegClose: "2026-11-30", MaxChoices: 2}
		must(t, tl.CreateProgramme(ctx, p))
		pp := &zhagen.ProgrammePosition{ProgrammeID: p.ID, EnterpriseID: f.entA.ID, Title: "实习生", Majors: []string{"软件工程"},
			Degree: zhagen.DegreeBachelor, Capacity: 1}
		must(t, tl.AddProgrammePosition(ctx, pp))

		got, err := tl.FindProgrammePosition(ctx, pp.ID)
		must(t, err)
		if got.ID != pp.ID || got.ProgrammeID != p.ID || got.EnterpriseID != f.entA.ID {
			t.Fatalf("position: %+v, want programme %d", got, p.ID)
		}
		// Every participant sees the programme's offers, so another
		// enterprise finds the position too.
		entB := zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: 998, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: f.entB.ID})
		if got, err := tl.FindProgrammePosition(entB, pp.ID); err != nil || got.ProgrammeID != p.ID {
			t.Fatalf("entB: %+v, %v", got, err)
		}
		if _, err := tl.FindProgrammePosition(ctx, pp.ID+1000); zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			t.Fatalf("unknown position: %v", err)
		}
		if _, err := tl.FindProgrammePosition(context.Background(), pp.ID); zhagen.ErrorCode(err) != zhagen.EUNAUTHORIZED {
			t.Fatalf("no login: %v", err)
		}
	})
}
