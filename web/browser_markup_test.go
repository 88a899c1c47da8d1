package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhagen"
)

// markupProbe finds, in the page a headless Chromium has loaded, what
// stored markup would leave if it were not escaped: the probe element,
// an event handler or a script that names the probe's flag, or the flag
// set. It returns "" for an inert page. It does not rely on the CSP
// (which would stop the handlers running anyway).
const markupProbe = `(() => {
	const bad = [];
	if (window.__zhagenXSS) bad.push("a script ran");
	if (document.querySelector("x-zhagen-probe")) bad.push("the probe element is in the DOM");
	for (const el of document.querySelectorAll("*")) {
		for (const a of el.attributes) {
			if (/^on/i.test(a.name) && a.value.includes("__zhagenXSS")) bad.push(el.tagName + " has " + a.name);
			if (/^(href|src|action)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)) bad.push(el.tagName + " " + a.name + " is javascript:");
		}
	}
	for (const s of document.scripts) if (s.textContent.includes("__zhagenXSS")) bad.push("a script element holds the payload");
	return bad.join("; ");
})()`

// TestBrowserStoredMarkupIsInert: markup stored in the texts of an
// enterprise, a demand, a key project and a consultation is shown as
// text on their pages, the lists and the workbench, to the administrator
// and to the enterprise: Chromium finds no element, handler or script
// made from it, and the text is there to read.
func TestBrowserStoredMarkupIsInert(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	sys := zhagen.NewContextWithActor(t.Context(), zhagen.SystemActor())
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	const (
		long  = `<x-zhagen-probe></x-zhagen-probe><img src=x onerror="window.__zhagenXSS=1"><svg onload="window.__zhagenXSS=1">'"` + "`"
		short = `<x-zhagen-probe>`
		link  = `javascript:window.__zhagenXSS=1`
	)
	ent := &zhagen.Enterprise{Name: "标记" + short + "公司", USCC: validUSCC(t, "0000009"), Industry: e.indName, Park: short, Address: long, LegalRep: short,
		Contacts: []zhagen.Contact{{Name: short, Title: short, Phone: "13800000009"}}}
	must(e.ents.CreateEnterprise(sys, ent))
	cat := &zhagen.Category{Code: "markup", Name: "标记" + short, LeadDeptID: e.dept.ID}
	must(e.cats.CreateCategory(sys, cat))
	d := &zhagen.Demand{EnterpriseID: e.entA.ID, CategoryID: cat.ID, Title: "诉求" + short, Description: long + "\n" + link, Address: long}
	must(e.demands.CreateDemand(sys, d, ""))
	p := &zhagen.Project{Name: "项目" + short, Level: zhagen.LevelDistrict, OwnerEnterpriseID: e.entA.ID, Area: short, Building: short, Description: long}
	must(e.pj.CreateProject(sys, p))
	c := &zhagen.Consultation{Kind: zhagen.ConsultationKinds[0], Title: "会商" + long, Place: short, Agenda: long, DemandIDs: []int64{d.ID},
		InviteDeptIDs: []int64{e.dept.ID}}
	must(e.cs.CreateConsultation(sys, c))

	ctx := newBrowser(t)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	pages := map[string][]string{
		"admin1": {"/", "/enterprises", "/enterprises/" + id(ent.ID), "/demands", "/demands/" + id(d.ID), "/projects", "/projects/" + id(p.ID),
			"/consultations", "/consultations/" + id(c.ID), "/categories", "/logs/ops", "/enterprises?q=" + short},
		"ent1": {"/", "/demands", "/demands/" + id(d.ID), "/projects/" + id(p.ID)},
	}
	for _, who := range []string{"admin1", "ent1"} {
		must(chromedp.Do(ctx,
			chromedp.Navigate(e.srv.URL+"/login"),
			chromedp.WaitVisible(chromedp.ID("login")),
			chromedp.SendKeys(chromedp.ID("login"), who),
			chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".welcome")),
		))
		shown := 0
		for _, path := range pages[who] {
			must(chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+path), chromedp.WaitVisible(chromedp.CSS("body"))))
			bad, err := chromedp.Run(ctx, chromedp.Evaluate[string](markupProbe))
			must(err)
			text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
			must(err)
			if bad != "" {
				t.Errorf("%s as %s: %s", path, who, bad)
			}
			checkConsole(t, ctx) // no script error, no CSP violation on this page
			if strings.Contains(text, short) {
				shown++
			}
		}
		if shown < len(pages[who])/2 {
			t.Errorf("%s: the markup shows as text on %d of %d pages only", who, shown, len(pages[who]))
		}
		must(chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("form.logout button")),
			chromedp.Click(chromedp.CSS("form.logout button")), chromedp.WaitVisible(chromedp.ID("login"))))
	}
}
