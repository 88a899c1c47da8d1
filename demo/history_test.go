package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/demo"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestHistory loads the demo with its year of history on every engine
// and checks what a leader would judge it by: about 2,000 demands over
// the twelve months before the load, intake that follows the seasons,
// timelines in order on working time (due times as the calendar gives
// them, nothing closed in the minute it was filed, auto-closes only after
// the rating period), mostly satisfied ratings with some of every kind,
// some returns, extensions and overdue demands, and rollups that agree
// with the recomputed rates; a second load adds nothing.
func TestHistory(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, testClock)
		cal, err := sla.NewCalendar(sla.Config{})
		if err != nil {
			t.Fatal(err)
		}
		s := services(db)
		demands := sqldb.NewDemandService(db, cal)
		s.Categories, s.Demands, s.Linkages, s.History = sqldb.NewCategoryService(db), demands, sqldb.NewLinkageService(db, demands), demands
		ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		start := time.Now()
		if err := demo.Load(ctx, s, demo.DefaultPassword, nil); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: demo with history loaded in %s", e.Name, time.Since(start).Round(time.Millisecond))

		cats, err := s.Categories.FindCategories(ctx, zhagen.CategoryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		catByID := map[int64]*zhagen.Category{}
		for _, c := range cats {
			catByID[c.ID] = c
		}
		var all []*zhagen.Demand
		for {
			page, total, err := s.Demands.FindDemands(ctx, zhagen.DemandFilter{Limit: 200, Offset: len(all)})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page...)
			if len(page) == 0 || len(all) >= total {
				break
			}
		}
		now := testClock.Now()
		yearAgo := now.AddDate(-1, 0, -1)
		perMonth := map[string]int{}
		var history, autoClosed, rated, satisfied, basically, unsatisfied, returned, extended, overdue, open, acceptedLate int
		for _, d := range all {
			if d.CreatedAt.Before(yearAgo) || d.CreatedAt.After(now) {
				t.Errorf("#%d filed %s, outside the year before %s", d.ID, d.CreatedAt, now)
			}
			if !strings.HasPrefix(d.Description, "企业反映") {
				continue // the story's demands
			}
			history++
			perMonth[d.CreatedAt.In(zhagen.Shanghai).Format("2006-01")]++
			cat := catByID[d.CategoryID]
			rule := cat.SLA[d.Priority]
			if want := cal.Due(d.CreatedAt, rule.Response.Duration()); !d.ResponseDue.Equal(want) {
				t.Errorf("#%d response due %s, the calendar gives %s", d.ID, d.ResponseDue, want)
			}
			evs, err := s.Demands.FindDemandEvents(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) == 0 || evs[0].Action != zhagen.ActSubmit || !evs[0].At.Equal(d.CreatedAt) {
				t.Fatalf("#%d timeline does not start with its filing: %+v", d.ID, evs)
			}
			paused, ext := false, false
			for i, ev := range evs {
				if i > 0 && ev.At.Before(evs[i-1].At) {
					t.Errorf("#%d timeline out of order: %s %s before %s %s", d.ID, evs[i-1].Action, evs[i-1].At, ev.Action, ev.At)
				}
				if ev.At.After(now) {
					t.Errorf("#%d step %s at %s, after now", d.ID, ev.Action, ev.At)
				}
				switch ev.Action {
				case zhagen.ActPause:
					paused = true
				case zhagen.ActApproveExtension:
					ext = ext || strings.HasPrefix(ev.Note, "同意")
				case zhagen.ActClose:
					autoClosed++
					var resolvedAt time.Time
					for _, p := range evs[:i] {
						if p.Action == zhagen.ActResolve {
							resolvedAt = p.At
						}
					}
					if ev.At.Sub(resolvedAt) < time.Duration(cat.AutoCloseDays)*24*time.Hour {
						t.Errorf("#%d auto-closed %s after its resolution, before the rating period ended", d.ID, ev.At.Sub(resolvedAt))
					}
				}
			}
			if ext {
				extended++
			}
			if d.AcceptedAt != nil && (d.AcceptedAt.Before(d.CreatedAt) || (d.ResolvedAt != nil && d.ResolvedAt.Before(*d.AcceptedAt))) {
				t.Errorf("#%d accepted %s, filed %s, resolved %v", d.ID, d.AcceptedAt, d.CreatedAt, d.ResolvedAt)
			}
			if d.AcceptedAt != nil && d.AcceptedAt.After(*d.ResponseDue) {
				acceptedLate++
			}
			if d.ClosedAt != nil && d.ClosedAt.Sub(d.CreatedAt) < time.Minute {
				t.Errorf("#%d closed in the minute it was filed", d.ID)
			}
			if d.ResolvedAt != nil && !paused && !ext && d.ReopenCount == 0 {
				if want := cal.Due(d.CreatedAt, rule.Resolution.Duration()); !d.ResolutionDue.Equal(want) {
					t.Errorf("#%d resolution due %s, the calendar gives %s", d.ID, d.ResolutionDue, want)
				}
			}
			if d.ResolvedAt != nil && d.ResolvedAt.After(*d.ResolutionDue) || d.ResolvedAt == nil && d.Status.Open() && d.ResolutionDue.Before(now) {
				overdue++
			}
			if d.Status.Open() {
				open++
			}
			if d.ReturnCount > 0 {
				returned++
			}
			switch d.Rating {
			case zhagen.RatingSatisfied:
				satisfied++
			case zhagen.RatingBasically:
				basically++
			case zhagen.RatingUnsatisfied:
				unsatisfied++
			}
			if d.Rating != "" {
				rated++
			}
		}
		if history < 1900 || history > 2100 {
			t.Errorf("%d demands of history, want about 2,000", history)
		}
		t.Logf("per month %v; rated %d (满意 %d, 基本满意 %d, 不满意 %d), auto-closed %d, returned %d, extended %d, overdue %d, accepted late %d, open %d",
			perMonth, rated, satisfied, basically, unsatisfied, autoClosed, returned, extended, overdue, acceptedLate, open)
		lo, hi := history, 0
		for _, n := range perMonth {
			lo, hi = min(lo, n), max(hi, n)
		}
		if len(perMonth) < 12 || float64(hi) < 1.4*float64(lo) {
			t.Errorf("intake is flat or short: %v", perMonth)
		}
		// The Spring Festival month takes in less than the month after it.
		feb, mar := perMonth["2022-02"], perMonth["2022-03"]
		if feb*10 >= mar*8 {
			t.Errorf("February %d, March %d: no Spring Festival dip", feb, mar)
		}
		if rated == 0 || satisfied*100 < rated*65 || basically == 0 || unsatisfied == 0 || unsatisfied*100 > rated*8 {
			t.Errorf("ratings %d: 满意 %d, 基本满意 %d, 不满意 %d", rated, satisfied, basically, unsatisfied)
		}
		if autoClosed < history/10 || returned == 0 || extended == 0 || acceptedLate == 0 || overdue == 0 || overdue*100 > history*15 || open == 0 {
			t.Errorf("auto-closed %d, returned %d, extended %d, accepted late %d, overdue %d, open %d", autoClosed, returned, extended, acceptedLate, overdue, open)
		}

		// The kept rollups agree with the rates recomputed from the demands.
		rates := sqldb.NewRatesService(db)
		if _, err := demands.RunSLAJob(context.Background(), now); err != nil {
			t.Fatal(err)
		}
		trend, err := rates.DemandTrend(ctx, zhagen.TrendFilter{})
		if err != nil {
			t.Fatal(err)
		}
		total, _, err := rates.DemandRates(ctx, zhagen.RatesFilter{From: now.AddDate(0, -11, 1-now.Day()), To: now})
		if err != nil {
			t.Fatal(err)
		}
		if trend.Total.DemandRates != total {
			t.Errorf("kept %+v, recomputed %+v", trend.Total.DemandRates, total)
		}
		if r, _ := total.ResponseRate(); r < 0.8 || r > 0.99 {
			t.Errorf("response rate %.3f", r)
		}

		var out bytes.Buffer
		if err := demo.Load(ctx, s, demo.DefaultPassword, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "历史诉求  2000（新建 0，已存在 2000；办理步骤 0）") {
			t.Errorf("second load:\n%s", out.String())
		}
	})
}
