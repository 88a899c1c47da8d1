package web

import (
	"fmt"
	"strings"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"zhagen"
)

// TestBrowserTalent drives the talent pages in Chromium under the CSP: the
// survey summary draws its charts, the matching run shows the audit, and
// the survey, programme and public job board fit a phone's width.
func TestBrowserTalent(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.talent.SaveSurvey(e.sys, &zhagen.Survey{EnterpriseID: e.entA.ID, Period: "2026", Lines: []zhagen.SurveyLine{
		{Major: "微电子科学与工程", Degree: zhagen.DegreeBachelor, Count: 12, Difficulty: 3}, {Major: "集成电路设计与集成系统", Count: 5, Difficulty: 2}}}))
	p := &zhagen.Programme{Name: "暑期实践", RegOpen: "2026-03-01", RegClose: "2026-03-31", MaxChoices: 2}
	must(e.talent.CreateProgramme(e.sys, p))
	pp := &zhagen.ProgrammePosition{ProgrammeID: p.ID, EnterpriseID: e.entA.ID, Title: "芯片测试实习生", Majors: []string{"微电子科学与工程"}, Capacity: 1}
	must(e.talent.AddProgrammePosition(e.sys, pp))
	for i, name := range []string{"赵一", "钱二"} {
		g := &zhagen.Graduate{Name: name, University: "福州大学", Major: "微电子科学与工程", Degree: zhagen.DegreeBachelor, GradYear: 2026, Phone: "1380000001" + fmt.Sprint(i), Consent: true}
		must(e.talent.CreateGraduate(e.sys, g, fmt.Sprintf("intern%d", i)))
		must(e.talent.SetChoices(e.sys, &zhagen.Application{ProgrammeID: p.ID, GraduateID: g.ID, PositionIDs: []int64{pp.ID}}))
	}
	pos := &zhagen.Position{EnterpriseID: e.entA.ID, Kind: zhagen.PositionInternship, Title: "测试实习生", Number: 2, Place: "福州高新区", Period: "2026-07 至 2026-08"}
	must(e.talent.CreatePosition(e.sys, pos))
	_, err := e.talent.ReviewPosition(e.sys, pos.ID, 0, true, "")
	must(err)

	ctx := newBrowser(t)
	// Accept the confirm() of the run button.
	dialogs := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()

	must(chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/surveys"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "disp1"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".chart")),
	))
	if newStaticURL(t, "vendor/echarts.min.js") != "" {
		must(chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(".chart[data-drawn] svg"))))
	}
	// Run the matching from the programme page; the run page shows the audit.
	must(chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/programmes/%d", e.srv.URL, p.ID)),
		chromedp.WaitVisible(chromedp.CSS(".pagehead-actions form button")),
		chromedp.Click(chromedp.CSS(".pagehead-actions form button")),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")),
	))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(err)
	if !strings.Contains(text, "匹配稳定") || !strings.Contains(text, "赵一") || !strings.Contains(text, "钱二") || !strings.Contains(text, "排名更靠前") {
		t.Errorf("run page: %q", text)
	}

	for _, path := range []string{"/surveys", fmt.Sprintf("/programmes/%d", p.ID), "/jobs"} {
		must(chromedp.Do(ctx,
			chromedp.EmulateViewport(375, 800),
			chromedp.Navigate(e.srv.URL+path),
			chromedp.WaitVisible(chromedp.CSS("body")),
		))
		quiet(t, ctx)
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		must(err)
		if overflow > 0 {
			t.Errorf("%s is %dpx wider than the phone", path, overflow)
		}
	}
}
