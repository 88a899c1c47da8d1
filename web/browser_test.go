package web

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"zhagen"
)

// chromiumPath finds a Chromium to drive. Without one the browser tests
// skip, unless ZHAGEN_REQUIRE_BROWSER=1 makes them fail.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("ZHAGEN_REQUIRE_BROWSER") == "1" {
		t.Fatal("chromium not found and ZHAGEN_REQUIRE_BROWSER=1 (Debian: apt-get install -y chromium fonts-noto-cjk)")
	}
	t.Skip("chromium not found; set ZHAGEN_REQUIRE_BROWSER=1 to make this a failure")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and returns
// a tab context that ends with the test. The test fails for any script
// error or CSP violation the tab shows (see watchPage).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserFor(t, 45*time.Second)
}

// newBrowserFor is newBrowser for a test that may take up to d.
func newBrowserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	// The console is collected from the start and read, once the page is
	// quiet, at the end of the test (and wherever checkConsole is called).
	return watchPage(t, ctx)
}

func TestBrowserEnterpriseForm(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
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
	value := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		must(err)
		return s
	}

	// Accept the confirm() dialogs of destructive buttons.
	dialogs := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()

	// Log in through the form.
	must(chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/enterprises/new"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "admin1"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("f-uscc")), // back on the page asked for
	))
	if got := text(".whoami .who-name"); got != "管理员甲" {
		t.Errorf("top bar shows %q", got)
	}

	// A bad USCC: the field's error shows next to it, the input is kept.
	bad := "91350100MA0000009Z"
	must(chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("f-name"), "福州浏览器测试有限公司"),
		chromedp.SendKeys(chromedp.ID("f-uscc"), bad),
		chromedp.SetValue(chromedp.ID("f-industry"), e.indName),
		chromedp.SendKeys(chromedp.CSS(`input[name=contact_name]`), "周九"),
		chromedp.Click(chromedp.CSS(".form-actions button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".field.has-error .ferr")),
	))
	want := zhagen.ValidateUSCC(zhagen.NormalizeUSCC(bad))
	if got := text(".field.has-error .ferr"); !strings.Contains(got, want) {
		t.Errorf("field error %q, want %q", got, want)
	}
	if got := value("#f-uscc"); got != bad {
		t.Errorf("USCC input %q after the error", got)
	}
	if got := value("#f-name"); got != "福州浏览器测试有限公司" {
		t.Errorf("name input %q after the error", got)
	}
	if got := value(`input[name=contact_name]`); got != "周九" {
		t.Errorf("contact input %q after the error", got)
	}

	// Correct it and create the enterprise.
	good := validUSCC(t, "3000001")
	must(chromedp.Do(ctx,
		chromedp.Clear(chromedp.ID("f-uscc")),
		chromedp.SendKeys(chromedp.ID("f-uscc"), good),
		chromedp.Click(chromedp.CSS(".form-actions button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")),
	))
	if got := text(".pagehead h1"); got != "福州浏览器测试有限公司" {
		t.Errorf("detail page title %q", got)
	}
	if got := text(".details"); !strings.Contains(got, good) || !strings.Contains(got, e.indName) {
		t.Errorf("details lack the USCC or industry: %q", got)
	}

	// Archiving asks first (data-confirm, accepted above), then archives.
	detail, err := chromedp.Run(ctx, chromedp.Location())
	must(err)
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.pagehead-actions .btn-danger`)),
		chromedp.WaitVisible(chromedp.CSS(`.filters`)),
	))
	if got := text(".alert-ok"); !strings.Contains(got, "企业已归档") {
		t.Errorf("after archive: %q", got)
	}
	must(chromedp.Do(ctx,
		chromedp.Navigate(detail),
		chromedp.Click(chromedp.CSS(`.pagehead-actions form button`)), // restore
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")),
	))

	// With htmx embedded (scripts/assets.sh ran), typing in the search box
	// swaps only the table; without it the form still works by submit.
	if h := newStaticURL(t, "vendor/htmx.min.js"); h != "" {
		must(chromedp.Do(ctx,
			chromedp.Navigate(e.srv.URL+"/enterprises"),
			chromedp.WaitVisible(chromedp.ID("ent-q")),
			chromedp.Evaluate[chromedp.Void](`window.__marker = 1`),
			chromedp.SendKeys(chromedp.ID("ent-q"), "浏览器"),
		))
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](
			`document.querySelectorAll('#ent-results tbody tr').length === 1 && location.search.includes('q=')`,
			chromedp.WithPollingTimeout(10*time.Second)))
		must(err)
		kept, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__marker || 0`))
		must(err)
		if kept != 1 {
			t.Error("the search reloaded the whole page instead of swapping the table")
		}
	} else {
		must(chromedp.Do(ctx,
			chromedp.Navigate(e.srv.URL+"/enterprises"),
			chromedp.SendKeys(chromedp.ID("ent-q"), "浏览器"),
			chromedp.Submit(chromedp.ID("ent-q")),
			// The reset button shows only on the filtered page.
			chromedp.WaitVisible(chromedp.CSS(`.filters a.btn[href="/enterprises"]`)),
		))
	}
	if got := text("#ent-results tbody"); !strings.Contains(got, "福州浏览器测试有限公司") || strings.Contains(got, e.entA.Name) {
		t.Errorf("search results: %q", got)
	}

	// On a 375-pixel phone nothing sticks out sideways: the menu folds
	// into a toggle and the table scrolls inside its box.
	must(chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 800),
		chromedp.Navigate(e.srv.URL+"/enterprises"),
		chromedp.WaitVisible(chromedp.CSS(".nav-btn")),
	))
	quiet(t, ctx)
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	must(err)
	if overflow > 0 {
		t.Errorf("page is %dpx wider than the phone", overflow)
	}
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".nav-btn")),
		chromedp.WaitVisible(chromedp.CSS(`.sidebar a[href="/departments"]`)),
	))
}

// newStaticURL reports the URL of an embedded static file, "" if absent.
func newStaticURL(t *testing.T, name string) string {
	s, err := loadStatic(files)
	if err != nil {
		t.Fatal(err)
	}
	return s.url(name)
}
