package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"zhagen"
)

// overflowJS lists the tables wider than their scroll box or their panel:
// at 1280 px the pages' tables fit without scrolling sideways.
const overflowJS = `[...document.querySelectorAll("table.grid")].filter(t => {
  const w = t.closest(".table-wrap") || t.parentElement, p = t.closest(".panel") || w;
  return w.scrollWidth > w.clientWidth + 1 || t.getBoundingClientRect().right > p.getBoundingClientRect().right + 1;
}).map(t => (t.closest(".panel") || t).id + ":" + t.className + " " + Math.round(t.getBoundingClientRect().width)).join("; ")`

// emulatePrint switches the page to print media (or back to screen).
func emulatePrint(on bool) chromedp.Action[chromedp.Void] {
	media := ""
	if on {
		media = "print"
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

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
	must(chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
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

	quiet(t, ctx)
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](overflowJS)); err != nil || got != "" {
		t.Errorf("tables overflow the consultation page at 1280 px: %q %v", got, err)
	}
	// Printed on A4 (about 680 CSS px wide), the minutes show no page chrome
	// and the item table fits the page.
	must(chromedp.Do(ctx, chromedp.EmulateViewport(680, 900), emulatePrint(true)))
	quiet(t, ctx)
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[getComputedStyle(document.querySelector(".sidebar")).display,
	  getComputedStyle(document.querySelector("#actions")).display, getComputedStyle(document.querySelector(".minutes-title")).display,
	  document.querySelector("#items table").getBoundingClientRect().right <= document.documentElement.clientWidth + 1].join(" ")`)); err != nil || got != "none none block true" {
		t.Errorf("print layout: %q %v", got, err)
	}
	must(chromedp.Do(ctx, emulatePrint(false), chromedp.EmulateViewport(1280, 900)))

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

	// The project page of a project with approvals staff1's department
	// decides and a problem raised on it: at 1280 px the timeline, the
	// approvals and the problems fit their cards.
	sys := zhagen.NewContextWithActor(t.Context(), zhagen.SystemActor())
	p := &zhagen.Project{Name: "光电信息创新实验室", Level: zhagen.LevelProvincial, OwnerEnterpriseID: e.entA.ID, Area: "D区", Building: "3号楼", Status: zhagen.ProjectFitOut}
	must(e.pj.CreateProject(sys, p))
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, zhagen.Shanghai) }
	must(e.pj.SaveMilestone(sys, &zhagen.Milestone{ProjectID: p.ID, Phase: "主体施工", Name: "主体结构施工", PlannedStart: day(2024, 10, 30), PlannedEnd: day(2026, 8, 1)}))
	for _, part := range []string{"第一阶段：主体部分规划验收", "第二阶段：二次改造部分消防验收"} {
		must(e.pj.FileApproval(sys, &zhagen.Approval{ProjectID: p.ID, Kind: zhagen.ApprovalStaged, Part: part, DeptID: e.dept.ID, Note: "分阶段验收"}))
	}
	cat := &zhagen.Category{Code: "fire", Name: "消防验收（含分阶段验收）", Group: "项目建设", LeadDeptID: e.dept.ID}
	must(e.cats.CreateCategory(sys, cat))
	must(e.demands.CreateDemand(sys, &zhagen.Demand{ProjectID: p.ID, CategoryID: cat.ID, Title: "实验室提前进场二次改造，规划和消防需分阶段验收", Description: "工期紧"}, ""))
	must(chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/projects/"+strconv.FormatInt(p.ID, 10)), chromedp.WaitVisible(chromedp.CSS(".ap-grid button[value=accept]"))))
	if got := text("#problems tbody"); !strings.Contains(got, "分阶段验收") {
		t.Errorf("problems on the project page: %q", got)
	}
	quiet(t, ctx)
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](overflowJS)); err != nil || got != "" {
		t.Errorf("tables overflow the project page at 1280 px: %q %v", got, err)
	}
}
