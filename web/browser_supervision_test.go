package web

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"zhagen"
	"zhagen/sqldb"
)

// TestBrowserSupervision: the dispatcher raises a 督办单 from the dispatch
// board's overdue panel, the addressee department's staff reply, the
// dispatcher closes it; the order's print view is the one-page notice in
// Chinese.
func TestBrowserSupervision(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	cat := e.powerCategory(t, e.dept.ID)
	d := &zhagen.Demand{EnterpriseID: e.entA.ID, CategoryID: cat.ID, Title: "浏览器督办的用电诉求", Description: "双回路供电迟迟未落实",
		Answers: zhagen.Answers{"load_kw": {"8000"}}}
	if err := e.demands.CreateDemand(e.actorCtx(t, "ent1"), d, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.demands.Transition(e.actorCtx(t, "staff1"), d.ID, zhagen.Transition{Action: zhagen.ActAccept}); err != nil {
		t.Fatal(err)
	}
	// A month later the demand is overdue: red on the board.
	e.clock.T = e.clock.T.AddDate(0, 1, 0)
	if _, err := e.demands.(*sqldb.DemandService).RunSLAJob(context.Background(), e.clock.T); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must(err)
		return s
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
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("browser console: %s", p)
		}
	})
	login := func(user, page, wait string) {
		t.Helper()
		must(chromedp.Do(ctx,
			chromedp.Navigate(e.srv.URL+page),
			chromedp.WaitVisible(chromedp.ID("login")),
			chromedp.SendKeys(chromedp.ID("login"), user),
			chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(wait)),
		))
	}
	logout := func() {
		t.Helper()
		must(chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS("form.logout button")),
			chromedp.WaitVisible(chromedp.ID("login")),
		))
	}

	// The dispatcher: the board's 督办 link opens the raise form on the demand.
	login("disp1", "/demands/board", "#board-overdue a.sv-raise")
	light, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#board-overdue .light-red"), "title"))
	must(err)
	if !strings.Contains(light.Value, "办结时限已过") || !strings.Contains(light.Value, "截止") {
		t.Errorf("the red light's reason is %q", light.Value)
	}
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#board-overdue a.sv-raise")),
		chromedp.WaitVisible(chromedp.ID("sv-req")),
	))
	if got := text(".sv-subject"); !strings.Contains(got, "浏览器督办的用电诉求") {
		t.Errorf("the form's subject is %q", got)
	}
	must(chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("sv-req"), "请于两个工作日内明确送电时间并书面回复"),
		chromedp.Click(chromedp.CSS("#sv-new button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")),
		chromedp.WaitVisible(chromedp.ID("sv-order")),
	))
	head := text("#sv-order .panel-title")
	if !strings.Contains(head, "督办〔2026〕第1号") || !strings.Contains(head, "待回复") {
		t.Errorf("the order's head is %q", head)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(err)
	orderPath := loc[strings.Index(loc, "/supervision/"):]
	logout()

	// The addressee department's staff: the workbench leads with the order; reply.
	login("staff1", "/", "#home-orders")
	if got := text("#home-orders"); !strings.Contains(got, "督办〔2026〕第1号") {
		t.Errorf("the workbench lists %q", got)
	}
	must(chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+orderPath),
		chromedp.WaitVisible(chromedp.ID("sv-progress-in")),
		chromedp.SendKeys(chromedp.ID("sv-progress-in"), "已会同供电公司确定送电方案"),
		chromedp.Click(chromedp.CSS("#sv-reply button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("sv-progress")),
	))
	if got := text("#sv-order .panel-title"); !strings.Contains(got, "已回复") {
		t.Errorf("after the reply the head is %q", got)
	}
	logout()

	// The dispatcher closes it.
	login("disp1", orderPath, "#sv-close")
	must(chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("sv-close-note"), "同意办结"),
		chromedp.Click(chromedp.CSS("#sv-close button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")),
	))
	if got := text("#sv-order .panel-title"); !strings.Contains(got, "已办结") {
		t.Errorf("after closing the head is %q", got)
	}

	// The print view: one A4 sheet in Chinese with the number and the date.
	must(chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+orderPath+"/print"),
		chromedp.WaitVisible(chromedp.ID("sv-sheet")),
	))
	sheet := text("#sv-sheet")
	for _, want := range []string{"督办通知单", "督办〔2026〕第1号", "2026年4月2日", "经济发展局", "请于两个工作日内明确送电时间", "已会同供电公司确定送电方案"} {
		if !strings.Contains(sheet, want) {
			t.Errorf("the notice lacks %q: %q", want, sheet)
		}
	}
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	must(err)
	font, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.sv-head')).fontFamily`))
	must(err)
	if lang != "zh-CN" || !strings.Contains(font, "CJK SC") {
		t.Errorf("lang %q, font %q", lang, font)
	}
	// The heading's Chinese is drawn with glyphs, not boxes: its width is
	// that of five ideographs (letter-spaced), not of a fallback.
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('.sv-head')); return r.getBoundingClientRect().width; })()`))
	must(err)
	if width < 100 {
		t.Errorf("the heading is %.0fpx wide", width)
	}
	// One page when printed.
	pages, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.getElementById('sv-sheet').getBoundingClientRect().height / (297 * 96 / 25.4)`))
	must(err)
	if pages > 1.01 {
		t.Errorf("the notice is %.2f pages long", pages)
	}
}
