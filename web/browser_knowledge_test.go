package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhagen"
)

// TestBrowserKnowledgeWhileFiling: as the enterprise types a question
// into the filing form, the knowledge base's answer shows before the
// demand is submitted, and "this answers my question" counts it.
func TestBrowserKnowledgeWhileFiling(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	e.powerCategory(t, e.dept.ID)
	en := &zhagen.KnowledgeEntry{Question: "研发费用补助怎么申报？", Answer: "每年三月在惠企政策兑现平台申报，需提交研发费用专项审计报告。", DeptID: e.dept.ID}
	if err := e.kb.SaveEntry(e.sys, en); err != nil {
		t.Fatal(err)
	}
	if _, err := e.kb.ReviewEntry(e.sys, en.ID, en.Version); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/demands/new"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "ent1"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("f-title")),
		chromedp.SendKeys(chromedp.ID("f-title"), "我们想申报研发补助，怎么申请"),
		chromedp.WaitVisible(chromedp.CSS("#dm-similar .kb-answer summary")),
	))
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#dm-similar")))
	must(err)
	if !strings.Contains(got, "研发费用补助怎么申报") {
		t.Fatalf("the panel shows %q, want the entry's question", got)
	}
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#dm-similar .kb-answer summary")),
		chromedp.WaitVisible(chromedp.CSS("#dm-similar .kb-helped button")),
		chromedp.Click(chromedp.CSS("#dm-similar .kb-helped button")),
		chromedp.WaitVisible(chromedp.CSS("#dm-similar .kb-helped .tag-green")),
	))
	cur, err := e.kb.FindEntry(e.sys, en.ID)
	must(err)
	if cur.Helped != 1 {
		t.Fatalf("helped = %d, want 1", cur.Helped)
	}
	if n, _, err := e.demands.FindDemands(e.sys, zhagen.DemandFilter{}); err != nil || len(n) != 0 {
		t.Fatalf("a demand was filed: %d, %v", len(n), err)
	}
}
