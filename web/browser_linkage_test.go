package web

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhagen"
)

// TestBrowserLinkagePages: under the strict CSP the coverage page draws
// its ECharts bar chart and the enterprise page loads its cadres panel by
// htmx, with no script error.
func TestBrowserLinkagePages(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	if newStaticURL(t, "vendor/echarts.min.js") == "" || newStaticURL(t, "vendor/htmx.min.js") == "" {
		if os.Getenv("ZHAGEN_REQUIRE_BROWSER") == "1" {
			t.Fatal("vendor assets not copied and ZHAGEN_REQUIRE_BROWSER=1: run scripts/assets.sh")
		}
		t.Skip("vendor assets not copied (scripts/assets.sh)")
	}
	users, _, _ := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre1", Limit: 5})
	if err := e.links.CreateLinkage(e.sys, &zhagen.Linkage{CadreID: users[0].ID, EnterpriseID: e.entA.ID}); err != nil {
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
		chromedp.Navigate(e.srv.URL+"/visits/coverage"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "staff1"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#cov-chart canvas")),
		chromedp.Navigate(e.srv.URL+"/enterprises/"+itoa(e.entA.ID)),
		chromedp.WaitVisible(chromedp.CSS("#ent-linkage table")),
	))
	panel, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#ent-linkage")))
	must(err)
	if !strings.Contains(panel, "干部乙") {
		t.Errorf("cadres panel: %q", panel)
	}
	checkConsole(t, ctx)
}
