package web

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserConsultation: the dispatcher calls a consultation through the
// form, sets two action items for two departments, and each department's
// staff finds its own item on the workbench; the pages raise no script
// error or CSP violation.
func TestBrowserConsultation(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	plan := e.planningDept(t)
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
	login := func(who string) {
		t.Helper()
		must(chromedp.Do(ctx,
			chromedp.Navigate(e.srv.URL+"/login"),
			chromedp.WaitVisible(chromedp.ID("login")),
			chromedp.SendKeys(chromedp.ID("login"), who),
			chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".welcome")),
		))
	}

	login("disp1")
	must(chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/consultations/new"),
		chromedp.WaitVisible(chromedp.ID("c-title")),
		chromedp.SetValue(chromedp.ID("c-kind"), "project_coord"),
		chromedp.SendKeys(chromedp.ID("c-title"), "实验室项目协调推进会"),
		chromedp.SendKeys(chromedp.ID("c-place"), "项目部会议室"),
		chromedp.Click(chromedp.CSS(`input[name=invite_dept_ids][value="`+strconv.FormatInt(e.dept.ID, 10)+`"]`)),
		chromedp.Click(chromedp.CSS(`input[name=invite_dept_ids][value="`+strconv.FormatInt(plan.ID, 10)+`"]`)),
		chromedp.Click(chromedp.CSS(".form-actions button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")),
	))
	if got := text(".pagehead h1"); got != "实验室项目协调推进会" {
		t.Errorf("consultation page title %q", got)
	}
	for _, it := range []struct {
		title string
		dept  int64
	}{{"完成主体部分规划分阶段验收", plan.ID}, {"完成主体部分消防分阶段验收", e.dept.ID}} {
		must(chromedp.Do(ctx,
			chromedp.WaitVisible(chromedp.ID("i-title")),
			chromedp.SendKeys(chromedp.ID("i-title"), it.title),
			chromedp.SetValue(chromedp.ID("i-owner"), strconv.FormatInt(it.dept, 10)),
			chromedp.Clear(chromedp.ID("i-days")),
			chromedp.SendKeys(chromedp.ID("i-days"), "5"),
			chromedp.Click(chromedp.CSS("#item-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.Search(`//*[@id="items"]//td[contains(., "`+it.title+`")]`)),
		))
	}
	if got := text("#items tbody"); !strings.Contains(got, "完成主体部分规划分阶段验收") || !strings.Contains(got, "完成主体部分消防分阶段验收") {
		t.Errorf("items on the consultation: %q", got)
	}

	// Each owner's workbench shows its own item only.
	for _, c := range []struct{ who, mine, other string }{
		{"plan1", "完成主体部分规划分阶段验收", "完成主体部分消防分阶段验收"},
		{"staff1", "完成主体部分消防分阶段验收", "完成主体部分规划分阶段验收"},
	} {
		must(chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("form.logout button")),
			chromedp.Click(chromedp.CSS("form.logout button")), chromedp.WaitVisible(chromedp.ID("login"))))
		login(c.who)
		got := text(".item-grid tbody")
		if !strings.Contains(got, c.mine) || strings.Contains(got, c.other) {
			t.Errorf("%s's workbench: %q", c.who, got)
		}
	}
}
