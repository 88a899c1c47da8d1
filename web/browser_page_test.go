package web

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser tests wait on conditions, never on the clock: quiet waits
// until the page has loaded, no request is in flight and the layout has
// settled, and the console is read only after that (checkConsole), so a
// late error cannot be missed.

// pendingScript counts the page's fetch and XMLHttpRequest (htmx) requests
// in flight in window.__zhagenPending. It runs in every document before the
// page's own scripts (DevTools injects it; the page's CSP does not apply).
const pendingScript = `(() => {
	if (window.__zhagenPending !== undefined) return;
	window.__zhagenPending = 0;
	const done = () => { window.__zhagenPending--; };
	const fetch = window.fetch;
	if (fetch) window.fetch = function (...args) {
		window.__zhagenPending++;
		return fetch.apply(this, args).finally(done);
	};
	const send = XMLHttpRequest.prototype.send;
	XMLHttpRequest.prototype.send = function (...args) {
		window.__zhagenPending++;
		this.addEventListener('loadend', done, {once: true});
		return send.apply(this, args);
	};
})()`

// quietCondition holds when the document and its fonts have loaded, no
// request is in flight and htmx is not swapping; it must hold for two
// animation frames in a row (the layout of the last change is done).
const quietCondition = `(() => {
	const quiet = document.readyState === 'complete' &&
		(!document.fonts || document.fonts.status === 'loaded') &&
		(window.__zhagenPending || 0) === 0 &&
		!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling');
	window.__zhagenQuietFrames = quiet ? (window.__zhagenQuietFrames || 0) + 1 : 0;
	return window.__zhagenQuietFrames >= 2;
})()`

// consoleMark prefixes the marker checkConsole writes to the console.
const consoleMark = "zhagen-console-mark-"

// pageWatch collects what a tab writes to its console: script errors and
// Content-Security-Policy violations (the pages use no inline script, so
// there must be none), and the markers checkConsole writes.
type pageWatch struct {
	mu       sync.Mutex
	problems []string
	marks    chan string
	n        int
}

type pageWatchKey struct{}

// watchPage starts the tab of ctx, counts its requests in flight on every
// document and collects its console from now on; at the end of the test
// it reads the console once the page is quiet and fails the test for each
// problem. newBrowser calls it.
func watchPage(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument,
		cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: pendingScript}); err != nil {
		t.Fatal(err)
	}
	w := &pageWatch{marks: make(chan string, 16)}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			switch {
			case strings.HasPrefix(m.Text, consoleMark):
				w.marks <- m.Text
			case m.IsException() || strings.Contains(m.Text, "Content Security Policy"):
				w.mu.Lock()
				w.problems = append(w.problems, m.String())
				w.mu.Unlock()
			}
		}
	}()
	ctx = context.WithValue(ctx, pageWatchKey{}, w)
	t.Cleanup(func() {
		if !t.Failed() {
			checkConsole(t, ctx)
			return
		}
		// The test failed already: report what came, without waiting.
		for _, p := range w.take() {
			t.Errorf("browser console: %s", p)
		}
	})
	return ctx
}

func (w *pageWatch) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	ps := w.problems
	w.problems = nil
	return ps
}

// quiet waits until the page of ctx is quiet: loaded, fonts ready, no
// fetch or htmx request in flight and no htmx swap under way, for two
// animation frames. Layout measurements and console reads come after it.
func quiet(t *testing.T, ctx context.Context) {
	t.Helper()
	var err error
	// A navigation the page started itself (a redirect after a form) ends
	// a poll; the next one runs on the new document.
	for range 3 {
		if _, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.__zhagenQuietFrames = 0`)); err != nil {
			continue
		}
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](quietCondition, chromedp.WithPollingTimeout(20*time.Second))); err == nil {
			return
		}
	}
	t.Fatalf("the page did not become quiet: %v", err)
}

// checkConsole waits until the page is quiet, then writes a marker to the
// console and waits for it: the console's messages arrive in order, so
// every message the page wrote before has been collected. It fails the
// test for each script error or CSP violation so far.
func checkConsole(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, p := range consoleProblems(t, ctx) {
		t.Errorf("browser console: %s", p)
	}
}

// consoleProblems is checkConsole's reading: the script errors and CSP
// violations since the last reading, once the page is quiet.
func consoleProblems(t *testing.T, ctx context.Context) []string {
	t.Helper()
	w, _ := ctx.Value(pageWatchKey{}).(*pageWatch)
	if w == nil {
		t.Fatal("checkConsole: the context comes not from newBrowser")
	}
	quiet(t, ctx)
	w.n++
	mark := fmt.Sprintf("%s%d", consoleMark, w.n)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`console.debug(`+fmt.Sprintf("%q", mark)+`)`)); err != nil {
		t.Fatalf("console marker: %v", err)
	}
	timeout := time.After(20 * time.Second)
	for got := ""; got != mark; {
		select {
		case got = <-w.marks:
		case <-timeout:
			t.Fatalf("the console marker %s did not arrive", mark)
		case <-ctx.Done():
			t.Fatalf("the console marker %s did not arrive: %v", mark, ctx.Err())
		}
	}
	return w.take()
}

// TestBrowserConsoleReadWhenQuiet: an error thrown by a timer just before
// the reading, and a CSP violation, are both in the reading; a reading
// after them is empty.
func TestBrowserConsoleReadWhenQuiet(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("login"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`setTimeout(() => { throw new Error("late-timer-error") }, 0);
		document.body.appendChild(Object.assign(document.createElement("script"), {textContent: "window.__inline = 1"}));`)); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(consoleProblems(t, ctx), "\n")
	if !strings.Contains(got, "late-timer-error") || !strings.Contains(got, "Content Security Policy") {
		t.Errorf("the console reading lacks the timer's error or the CSP violation:\n%s", got)
	}
	if again := consoleProblems(t, ctx); len(again) != 0 {
		t.Errorf("a second reading repeats: %q", again)
	}
}
