package web

import (
	"bytes"

	"image"
	"image/color"
	_ "image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"zhagen"
)

// netGate stands between the browser and the server: up, down (every
// connection closed unanswered, as with no signal) or dropping the
// answer to the next POST /visits after the server has handled it (the
// connection lost during the upload's reply: the worst case for a
// duplicate).
type netGate struct {
	mode atomic.Int32 // 0 up, 1 down, 2 the answers to visit posts lost
	next http.Handler
}

func (g *netGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch g.mode.Load() {
	case 1:
		hangUp(w)
		return
	case 2:
		// Every answer to a visit post is lost (the network stack itself
		// resends a post whose reused connection died unanswered).
		if r.Method == http.MethodPost && r.URL.Path == "/visits" {
			g.next.ServeHTTP(httptest.NewRecorder(), r)
			hangUp(w)
			return
		}
	}
	g.next.ServeHTTP(w, r)
}

func hangUp(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}

// phoneOverflowJS lists what sticks out of a phone's viewport: the page
// scrolling sideways, an element reaching past either edge outside an
// explicit scroller (.hscroll with its data-cue), and any box that
// scrolls sideways without being such a scroller.
const phoneOverflowJS = `(() => {
  const W = document.documentElement.clientWidth, bad = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const cued = el => el.classList.contains('hscroll') && !!el.getAttribute('data-cue');
  if (document.documentElement.scrollWidth > W + 1) bad.push('page ' + document.documentElement.scrollWidth + 'px wide');
  for (const el of document.querySelectorAll('body *')) {
    const cs = getComputedStyle(el);
    if ((cs.overflowX === 'auto' || cs.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && !cued(el)) {
      bad.push(name(el) + ' scrolls sideways without a cue (' + el.scrollWidth + ' in ' + el.clientWidth + ')');
    }
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (r.right <= W + 1 && r.left >= -1)) continue;
    let p = el.parentElement, ok = false;
    for (; p && p !== document.body; p = p.parentElement) {
      const ps = getComputedStyle(p);
      if (ps.overflowX !== 'visible') { ok = true; break; } // inside a box that clips or scrolls (scrollers checked above)
    }
    if (!ok) bad.push(name(el) + ' at ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  return [...new Set(bad)].slice(0, 8);
})()`

// TestBrowserPhone is the phone in the field, at 390 px, in one browser:
// a visit with a photo logged offline survives a reload and is stored
// once when the connection returns, also when the connection drops during
// the upload; one whose link ended meanwhile is kept with the reason; the
// manifest and the service worker register and the visit page opens
// offline; and every page each role reaches from its menu fits the screen.
func TestBrowserPhone(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	gate := &netGate{next: withCSP(e.h)}
	srv := httptest.NewServer(gate)
	t.Cleanup(srv.Close)
	users, _, _ := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre1", Limit: 5})
	link := &zhagen.Linkage{CadreID: users[0].ID, EnterpriseID: e.entA.ID}
	if err := e.links.CreateLinkage(e.sys, link); err != nil {
		t.Fatal(err)
	}
	if err := e.links.CreateLinkage(e.sys, &zhagen.Linkage{CadreID: users[0].ID, EnterpriseID: e.entB.ID}); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "现场.png")
	writePNG(t, photo, 3000, 1500)

	ctx := newBrowserFor(t, 150*time.Second)
	tt := t // the running subtest: the helpers below fail it
	must := func(err error) {
		tt.Helper()
		if err != nil {
			tt.Fatal(err)
		}
	}
	eval := func(js string) string {
		tt.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		must(err)
		return s
	}
	poll := func(js string) {
		tt.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second)))
		if err != nil {
			state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(window.zhagenOffline ? window.zhagenOffline.queue() : Promise.resolve([])).then(q => (document.getElementById('vs-sync-state') || {}).textContent + ' | ' + Array.from(document.querySelectorAll('.ferr')).map(e => e.textContent).join(',') + ' | ' + JSON.stringify(q.map(r => [r.status, r.error, r.tries])))`, chromedp.EvalAwaitPromise))
			tt.Fatalf("waiting for %s: %v (page: %s)", js, err, state)
		}
	}
	offline := func(off bool) {
		tt.Helper()
		_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
		must(err)
		_, err = chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}}})
		must(err)
		_, err = chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		must(err)
		gate.mode.Store(map[bool]int32{true: 1, false: 0}[off])
	}
	login := func(name string) {
		tt.Helper()
		must(chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/login"),
			chromedp.WaitReady(chromedp.CSS("body")),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('form.logout') && document.querySelector('form.logout').submit()`),
			chromedp.WaitVisible(chromedp.ID("login")),
			chromedp.SendKeys(chromedp.ID("login"), name),
			chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".topbar")),
		))
	}
	visits := func(topics string) []*zhagen.Visit {
		tt.Helper()
		rows, _, err := e.links.FindVisits(e.sys, zhagen.VisitFilter{})
		must(err)
		var out []*zhagen.Visit
		for _, v := range rows {
			if v.Topics == topics {
				out = append(out, v)
			}
		}
		return out
	}
	// fill types a visit to entA into the form and adds the photo.
	fill := func(topics string) {
		tt.Helper()
		must(chromedp.Do(ctx,
			chromedp.WaitVisible(chromedp.ID("f-topics")),
			chromedp.SetValue(chromedp.ID("f-ent"), itoa(e.entA.ID)),
			chromedp.SendKeys(chromedp.ID("f-topics"), topics),
			chromedp.SetUploadFiles(chromedp.ID("f-photo"), []string{photo}),
		))
		poll(`document.querySelectorAll('#vs-photos img').length === 1`)
	}
	queued := func() int {
		tt.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.zhagenOffline.queue().then(q => q.length)`, chromedp.EvalAwaitPromise))
		must(err)
		return n
	}
	_, err := chromedp.Call(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingGranted, Origin: srv.URL})
	must(err)
	lat, long, acc := 26.0614, 119.3061, 15.0
	_, err = chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat, Longitude: &long, Accuracy: &acc})
	must(err)
	must(chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)))

	t.Run("manifest and worker", func(t *testing.T) {
		tt = t
		login("cadre1")
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/new"), chromedp.WaitVisible(chromedp.ID("visit-form"))))
		got := eval(`fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json()).then(m => m.short_name + '|' + m.display + '|' + m.start_url)`)
		if !strings.HasPrefix(got, "扎根") || !strings.HasSuffix(got, "|standalone|/") {
			t.Errorf("manifest: %q", got)
		}
		if got := eval(`navigator.serviceWorker.ready.then(r => r.active ? r.active.scriptURL : '')`); !strings.HasSuffix(got, "/sw.js") {
			t.Fatalf("service worker: %q", got)
		}
		// The worker controls the page after a reload; the menu's pages
		// are then kept (app.js asks once the worker is active).
		must(chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("visit-form"))))
		poll(`!!navigator.serviceWorker.controller`)
		poll(`caches.open('zhagen-pages').then(c => c.keys()).then(k => k.some(r => r.url.endsWith('/visits/sync')))`)
		if got := eval(`fetch('/favicon.ico').then(r => r.headers.get('Content-Type'))`); got != "image/svg+xml" {
			t.Errorf("favicon: %q", got)
		}
	})

	t.Run("every missing field flagged, each error gone once fixed", func(t *testing.T) {
		tt = t
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/new"), chromedp.WaitVisible(chromedp.ID("visit-form")),
			chromedp.Click(chromedp.CSS(".form-actions button[type=submit]"))))
		poll(`document.querySelectorAll('#visit-form .field.has-error').length === 2`) // enterprise and topics (the date is today's)
		must(chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("f-topics"), "x")))
		poll(`document.querySelectorAll('#visit-form .field.has-error').length === 1 && !document.querySelector('#f-topics').closest('.field').querySelector('.ferr')`)
		must(chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`indexedDB.deleteDatabase('zhagen-offline')`)))
	})

	t.Run("offline visit survives a reload and syncs once", func(t *testing.T) {
		tt = t
		offline(true)
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/new")))
		fill("离线走访：车间无信号")
		must(chromedp.Do(ctx, chromedp.Click(chromedp.ID("vs-checkin"))))
		poll(`document.querySelector('input[name=checkin_lat]').value !== ''`)
		poll(`window.zhagenOffline.draft().then(d => !!d && d.photos.length === 1 && d.fields.some(f => f[0] === 'checkin_lat' && f[1] !== ''))`)
		// Reload before saving: the draft and its photo come back.
		must(chromedp.Do(ctx, chromedp.Reload()))
		poll(`document.querySelector('#f-topics') && document.querySelector('#f-topics').value === '离线走访：车间无信号'`)
		poll(`document.querySelectorAll('#vs-photos img').length === 1`)
		must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".form-actions button[type=submit]"))))
		poll(`document.getElementById('vs-sync-state').textContent.includes(document.documentElement.lang === 'en' ? 'this phone' : '本机')`)
		// The queue survives a reload too, and the sync page lists it.
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/sync")))
		poll(`document.querySelectorAll('#vs-sync-list .sync-waiting').length === 1`)
		if n := queued(); n != 1 {
			t.Fatalf("%d visits queued offline, want 1", n)
		}
		if got := visits("离线走访：车间无信号"); len(got) != 0 {
			t.Fatalf("stored while offline: %d", len(got))
		}
		offline(false)
		must(chromedp.Do(ctx, chromedp.Reload()))
		poll(`window.zhagenOffline && window.zhagenOffline.queue().then(q => q.length === 0)`)
		got := visits("离线走访：车间无信号")
		if len(got) != 1 {
			t.Fatalf("%d visits stored, want 1", len(got))
		}
		checkPhotos(t, e, got[0].ID)
		v, err := e.links.FindVisitByID(e.sys, got[0].ID)
		must(err)
		if v.CheckIn == nil || v.CheckIn.Lat != lat || v.CheckIn.Long != long {
			t.Errorf("check-in: %+v", v.CheckIn)
		}
		// The visit page shows it, and opens offline once seen.
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/"+itoa(v.ID)), chromedp.WaitVisible(chromedp.CSS("dd.checkin"))))
		offline(true)
		must(chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("dd.checkin"))))
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/new"), chromedp.WaitVisible(chromedp.ID("visit-form"))))
		offline(false)
	})

	t.Run("connection drops during the upload", func(t *testing.T) {
		tt = t
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/new")))
		fill("断线重传的走访")
		gate.mode.Store(2)
		must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".form-actions button[type=submit]"))))
		poll(`document.getElementById('vs-sync-state').textContent.includes(document.documentElement.lang === 'en' ? 'this phone' : '本机')`)
		if got := visits("断线重传的走访"); len(got) != 1 {
			t.Fatalf("the server stored %d before the drop, want 1", len(got))
		}
		gate.mode.Store(0)
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/sync")))
		poll(`window.zhagenOffline && window.zhagenOffline.queue().then(q => q.length === 0)`)
		got := visits("断线重传的走访")
		if len(got) != 1 {
			t.Fatalf("%d visits after the retry, want 1", len(got))
		}
		checkPhotos(t, e, got[0].ID)
	})

	t.Run("link ended meanwhile", func(t *testing.T) {
		tt = t
		offline(true)
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/new")))
		fill("挂钩已结束的走访")
		must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".form-actions button[type=submit]"))))
		poll(`document.getElementById('vs-sync-state').textContent.includes(document.documentElement.lang === 'en' ? 'this phone' : '本机')`)
		_, err := e.links.EndLinkage(e.sys, link.ID, "")
		must(err)
		if got := visits("挂钩已结束的走访"); len(got) != 0 {
			t.Fatalf("stored while offline: %+v", got[0])
		}
		offline(false)
		must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/visits/sync")))
		poll(`document.querySelectorAll('#vs-sync-list .sync-failed').length === 1`)
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#vs-sync-list .sync-error")))
		must(err)
		if !strings.Contains(got, zhagen.MsgVisitLinkEnded) {
			t.Errorf("reason shown: %q", got)
		}
		if n := queued(); n != 1 {
			t.Errorf("%d kept, want the refused visit kept", n)
		}
		if len(visits("挂钩已结束的走访")) != 0 {
			t.Error("a visit to an enterprise no longer linked was stored")
		}
	})

	t.Run("390px menus", func(t *testing.T) {
		tt = t
		for _, who := range []string{"cadre1", "admin1", "disp1", "staff1", "leader1", "ent1", "grad1"} {
			login(who)
			hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...new Set(Array.from(document.querySelectorAll('.sidebar a.nav-item')).map(a => a.getAttribute('href')))]`))
			must(err)
			for _, h := range hrefs {
				must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+h), chromedp.WaitReady(chromedp.CSS("body"))))
				bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](phoneOverflowJS))
				must(err)
				if len(bad) > 0 {
					t.Errorf("%s %s: %s", who, h, strings.Join(bad, "; "))
				}
			}
		}
	})
	checkConsole(t, ctx)
}

// checkPhotos: the visit has exactly one photo, a JPEG whose long side is
// at most 2000 px (the browser resized the 3000 px original).
func checkPhotos(t *testing.T, e *testEnv, visit int64) {
	t.Helper()
	files, err := e.files.FindFiles(e.sys, zhagen.VisitFiles(visit))
	if err != nil || len(files) != 1 {
		t.Fatalf("photos of visit %d: %d, %v", visit, len(files), err)
	}
	_, data, err := e.files.OpenOwnerFile(e.sys, zhagen.VisitFiles(visit), files[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != "jpeg" || max(cfg.Width, cfg.Height) > 2000 || max(cfg.Width, cfg.Height) < 1900 {
		t.Errorf("stored photo: %s %dx%d %v", format, cfg.Width, cfg.Height, err)
	}
}

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y += 4 {
		for x := 0; x < w; x += 4 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
