package web

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDemandSubmit: an enterprise user picks a category, gets its
// questions (by htmx where it is embedded), submits and lands on the
// demand's page; on a phone the page does not stick out sideways.
func TestBrowserDemandSubmit(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	cat := e.powerCategory(t, e.dept.ID)
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
		chromedp.WaitVisible(chromedp.ID("f-cat")),
		chromedp.SendKeys(chromedp.ID("f-title"), "浏览器提交的用电诉求"),
		chromedp.SendKeys(chromedp.ID("f-desc"), "新建厂房需要双回路供电"),
		chromedp.SetValue(chromedp.ID("f-cat"), strconv.FormatInt(cat.ID, 10)),
	))
	if newStaticURL(t, "vendor/htmx.min.js") != "" {
		// The change event makes htmx fetch the category's questions.
		must(chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.getElementById('f-cat').dispatchEvent(new Event('change', {bubbles: true}))`),
			chromedp.WaitVisible(chromedp.ID("q-load_kw")),
			chromedp.SendKeys(chromedp.ID("q-load_kw"), "8000"),
			chromedp.Click(chromedp.CSS(".form-actions button[type=submit]")),
		))
	} else {
		// Without htmx the first submit brings the questions with their errors.
		must(chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(".form-actions button[type=submit]")),
			chromedp.WaitVisible(chromedp.ID("q-load_kw")),
			chromedp.SendKeys(chromedp.ID("q-load_kw"), "8000"),
			chromedp.Click(chromedp.CSS(".form-actions button[type=submit]")),
		))
	}
	must(chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".alert-ok"))))
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".pagehead h1")))
	must(err)
	if title != "浏览器提交的用电诉求" {
		t.Errorf("detail page title %q", title)
	}
	details, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".dm-main")))
	must(err)
	if !strings.Contains(details, "8000") || !strings.Contains(details, "待签收") {
		t.Errorf("detail page lacks the answer or the status: %q", details)
	}

	// A file chosen in the 附件 card is uploaded and listed.
	png := filepath.Join(t.TempDir(), "现场照片.png")
	must(os.WriteFile(png, pngBytes(2048), 0o644))
	must(chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{png}),
		chromedp.Click(chromedp.CSS(".file-upload button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".files .file-name")),
	))
	listed, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".files")))
	must(err)
	if !strings.Contains(listed, "现场照片.png") || !strings.Contains(listed, "2.0 KB") {
		t.Errorf("the 附件 card lists %q", listed)
	}

	must(chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 800),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(".nav-btn")),
	))
	quiet(t, ctx)
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	must(err)
	if overflow > 0 {
		t.Errorf("the demand page is %dpx wider than the phone", overflow)
	}
}
