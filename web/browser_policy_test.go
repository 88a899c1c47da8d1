package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhagen"
	"zhagen/sqldb"
)

// TestBrowserPolicyProfile: the IC company has a linked cadre with a
// phone, three visits with the checklist figures, a demand and a policy
// it qualifies for. As the dispatcher its profile (一企一档) shows the
// cadre's phone, the trend chart drawn by ECharts, the demand and the
// policy; as the enterprise, the portal home shows its cadre's phone and
// its open demand, and its own enterprise page shows no version number.
func TestBrowserPolicyProfile(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	pol := e.h.cfg.Policies.(*sqldb.PolicyService)
	cadre := &zhagen.User{Login: "cadre9", Name: "林挂钩", Roles: []zhagen.Role{zhagen.RoleCadre}, DeptID: e.dept.ID, Phone: "13905912345", Password: testPassword}
	must(e.users.CreateUser(e.sys, cadre))
	must(e.links.CreateLinkage(e.sys, &zhagen.Linkage{CadreID: cadre.ID, EnterpriseID: e.entA.ID, Role: zhagen.LinkContact, StartDate: "2025-09-01"}))
	for i, date := range []string{"2025-10-10", "2025-12-10", "2026-02-10"} {
		pct, emp := float64(5*i-8), 140+10*i
		must(e.links.CreateVisit(e.actorCtx(t, "cadre9"), &zhagen.Visit{EnterpriseID: e.entA.ID, CadreID: cadre.ID, Status: zhagen.VisitLogged,
			Date: date, Kind: zhagen.VisitOnSite, Topics: "走访" + date, Situation: &zhagen.Situation{OrdersChangePct: &pct, Employees: &emp}}))
	}
	cat := e.powerCategory(t, e.dept.ID)
	d := &zhagen.Demand{EnterpriseID: e.entA.ID, CategoryID: cat.ID, Title: "二期厂房双回路供电", Description: "双回路供电",
		Answers: zhagen.Answers{"load_kw": {"8000"}}}
	must(e.demands.CreateDemand(e.actorCtx(t, "ent1"), d, ""))
	must(pol.SetEnterpriseAttrs(e.sys, &zhagen.EnterpriseAttrs{EnterpriseID: e.entA.ID, Employees: 160}))
	p := &zhagen.Policy{Title: "集成电路流片补助", Category: zhagen.PolicyIndustry, IssuerDeptID: e.dept.ID, HandlerDeptID: e.dept.ID,
		Summary: "流片补助", ValidFrom: "2026-01-01", BenefitType: zhagen.BenefitSubsidy,
		Rules: []zhagen.PolicyRule{{Attr: zhagen.AttrIndustry, Op: zhagen.OpIn, Value: e.indName}, {Attr: zhagen.AttrEmployees, Op: zhagen.OpGE, Value: "100"}}}
	must(pol.CreatePolicy(e.sys, p))
	_, err := pol.PublishPolicy(e.sys, p.ID, p.Version)
	must(err)

	ctx := newBrowser(t)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must(err)
		return s
	}
	login := func(user, page, wait string) {
		t.Helper()
		must(chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+page), chromedp.WaitVisible(chromedp.ID("login")),
			chromedp.SendKeys(chromedp.ID("login"), user), chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS(".login-card button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(wait))))
	}

	t.Run("dispatcher profile", func(t *testing.T) {
		login("disp1", "/enterprises/"+itoa(e.entA.ID)+"/profile", "#pf-trend canvas")
		if s := text("#pf-cadres"); !strings.Contains(s, "林挂钩") || !strings.Contains(s, "13905912345") {
			t.Errorf("cadres: %q", s)
		}
		if s := text("#pf-visits"); !strings.Contains(s, "走访2026-02-10") || !strings.Contains(s, "160") {
			t.Errorf("visits: %q", s)
		}
		if s := text("#pf-demands"); !strings.Contains(s, "二期厂房双回路供电") {
			t.Errorf("demands: %q", s)
		}
		if s := text("#pf-policies"); !strings.Contains(s, "集成电路流片补助") || !strings.Contains(s, "从业人数 不少于 100：实际 160") {
			t.Errorf("policies: %q", s)
		}
		must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS("form.logout button")), chromedp.WaitVisible(chromedp.ID("login"))))
	})

	t.Run("enterprise portal", func(t *testing.T) {
		login("ent1", "/", "#portal-cadres")
		if s := text("#portal-cadres"); !strings.Contains(s, "林挂钩") || !strings.Contains(s, "13905912345") {
			t.Errorf("portal cadres: %q", s)
		}
		if s := text("#portal-demands"); !strings.Contains(s, "二期厂房双回路供电") {
			t.Errorf("portal demands: %q", s)
		}
		if s := text("#portal-policies"); !strings.Contains(s, "集成电路流片补助") {
			t.Errorf("portal policies: %q", s)
		}
		must(chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/enterprises/"+itoa(e.entA.ID)), chromedp.WaitVisible(chromedp.CSS(".details"))))
		body := text("main")
		if strings.Contains(body, "版本") || strings.Contains(body, "专精特新") || strings.Contains(body, "一企一档") {
			t.Errorf("the enterprise's own page shows internal fields: %q", body)
		}
		must(chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/demands/new"), chromedp.WaitVisible(chromedp.ID("f-phone"))))
		phone, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("f-phone")))
		must(err)
		if phone != "13800000001" {
			t.Errorf("the demand form's contact phone is %q, want the enterprise's", phone)
		}
	})
}
