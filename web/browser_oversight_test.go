package web

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"zhagen"
	"zhagen/demo"
)

// TestBrowserOversight: over the demo zone with its year of history, the
// leader sees the trends page and the leaders' screen draw their ECharts
// charts, and the monthly bulletin's print view fits A4 (no wider than
// the sheet at A4 width in print media, a few A4 pages as PDF), with no
// script error or CSP violation anywhere.
func TestBrowserOversight(t *testing.T) {
	chromiumPath(t)
	if newStaticURL(t, "vendor/echarts.min.js") == "" {
		if os.Getenv("ZHAGEN_REQUIRE_BROWSER") == "1" {
			t.Fatal("vendor assets not copied and ZHAGEN_REQUIRE_BROWSER=1: run scripts/assets.sh")
		}
		t.Skip("vendor assets not copied (scripts/assets.sh)")
	}
	e := newTestEnv(t)
	s := demo.Services{Departments: e.depts, Users: e.users, Enterprises: e.ents, Categories: e.cats, Demands: e.demands, Linkages: e.links,
		Projects: e.pj, Consultations: e.cs, Clock: e.clock, History: e.demands.(zhagen.HistoryService)}
	if err := demo.Load(e.sys, s, demo.DefaultPassword, nil); err != nil {
		t.Fatal(err)
	}
	b, err := e.h.cfg.Oversight.CreateBulletin(e.actorCtx(t, "dispatcher"), e.clock.Now().In(zhagen.Shanghai).AddDate(0, -1, 0).Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	run := func(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(t *testing.T, expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr))
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(v)
	}
	run(t, chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "leader"),
		chromedp.SendKeys(chromedp.ID("password"), demo.DefaultPassword),
		chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".sidebar")))

	t.Run("trend", func(t *testing.T) {
		run(t, chromedp.Navigate(e.srv.URL+"/rates/trend"),
			chromedp.WaitVisible(chromedp.CSS("#tr-rates canvas")), chromedp.WaitVisible(chromedp.CSS("#tr-counts canvas")),
			chromedp.WaitVisible(chromedp.CSS("#tr-hours canvas")))
		if months := eval(t, `document.querySelectorAll('.tr-grid tbody')[0].rows.length`); months != "12" {
			t.Errorf("%s months in the trend", months)
		}
		checkConsole(t, ctx)
	})
	t.Run("screen", func(t *testing.T) {
		run(t, chromedp.Navigate(e.srv.URL+"/screen"),
			chromedp.WaitVisible(chromedp.CSS("#sc-trend canvas")), chromedp.WaitVisible(chromedp.CSS("#sc-lights canvas")),
			chromedp.WaitVisible(chromedp.CSS("#sc-ranking canvas")), chromedp.WaitVisible(chromedp.CSS("#sc-parks canvas")))
		today, response, bg := eval(t, `document.getElementById('sc-today').textContent`), eval(t, `document.getElementById('sc-response').textContent`),
			eval(t, `getComputedStyle(document.body).backgroundColor`)
		if today == "—" || !strings.HasSuffix(response, "%") || bg != "rgb(6, 18, 38)" {
			t.Errorf("screen: today %q, response %q, background %q", today, response, bg)
		}
		checkConsole(t, ctx)
	})
	t.Run("bulletin print fits A4", func(t *testing.T) {
		const a4 = 794 // 210 mm at 96 dpi
		run(t, chromedp.Navigate(fmt.Sprintf("%s/bulletins/%d/print", e.srv.URL, b.ID)),
			chromedp.WaitVisible(chromedp.CSS("#bl-trend canvas")), chromedp.WaitVisible(chromedp.CSS("#bl-coverage canvas")))
		sheet := eval(t, `document.getElementById('bl-sheet').innerText`)
		for _, want := range []string{b.Title(), "三率", "部门排名", "挂钩走访"} {
			if !strings.Contains(sheet, want) {
				t.Errorf("the bulletin lacks %q", want)
			}
		}
		var pdf []byte
		run(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: a4, Height: 1123, DeviceScaleFactor: 1}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
		width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		sheetWidth, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.getElementById('bl-sheet').getBoundingClientRect().width`))
		if err != nil {
			t.Fatal(err)
		}
		if width > a4 || sheetWidth > a4 {
			t.Errorf("at A4 width in print media the page is %.0fpx wide, the sheet %.0fpx (A4: %dpx)", width, sheetWidth, a4)
		}
		yes := true
		run(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			res, err := cdp.Call(ctx, tg, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes})
			pdf = res.Data
			return err
		}))
		pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
		if pages < 1 || pages > 4 {
			t.Errorf("the bulletin prints on %d A4 pages", pages)
		}
		t.Logf("bulletin: %d A4 pages, %.0fpx wide at A4 width", pages, width)
		checkConsole(t, ctx)
	})
}
