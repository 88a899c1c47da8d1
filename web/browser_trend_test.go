package web

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhagen"
)

// TestBrowserTrendPage: under the strict CSP the trend page draws its
// three ECharts charts (rates, counts, hours) for the leader from demands
// filed over two months, with no script error.
func TestBrowserTrendPage(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	if newStaticURL(t, "vendor/echarts.min.js") == "" {
		if os.Getenv("ZHAGEN_REQUIRE_BROWSER") == "1" {
			t.Fatal("vendor assets not copied and ZHAGEN_REQUIRE_BROWSER=1: run scripts/assets.sh")
		}
		t.Skip("vendor assets not copied (scripts/assets.sh)")
	}
	cat := e.powerCategory(t, e.dept.ID)
	for i := 0; i < 4; i++ {
		d := &zhagen.Demand{EnterpriseID: e.entA.ID, CategoryID: cat.ID, Title: "双回路供电", Description: "生产需要", Answers: zhagen.Answers{"load_kw": {"800"}}}
		if err := e.demands.CreateDemand(e.actorCtx(t, "ent1"), d, ""); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(2 * time.Hour)
		for _, tr := range []zhagen.Transition{{Action: zhagen.ActAccept}, {Action: zhagen.ActResolve, Resolution: "已协调相关部门办理完毕，并书面答复企业。"}} {
			if _, err := e.demands.Transition(e.actorCtx(t, "staff1"), d.ID, tr); err != nil {
				t.Fatal(err)
			}
		}
		e.clock.Advance(10 * 24 * time.Hour)
	}
	ctx := newBrowser(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chromedp.Do(ctx))
	var (
		mu       sync.Mutex
		problems []string
	)
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	must(chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/rates/trend"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "leader1"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#tr-rates canvas")),
		chromedp.WaitVisible(chromedp.CSS("#tr-counts canvas")),
		chromedp.WaitVisible(chromedp.CSS("#tr-hours canvas")),
	))
	table, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".tr-grid tfoot")))
	must(err)
	if !strings.Contains(table, "合计") || !strings.Contains(table, "4") {
		t.Errorf("total row: %q", table)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser console: %s", p)
	}
}
