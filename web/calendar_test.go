package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// calCell returns the HTML of the month grid's cell of date, or "".
func calCell(body, date string) string {
	re := regexp.MustCompile(`(?s)<td class="([^"]*)" data-date="` + regexp.QuoteMeta(date) + `".*?</td>`)
	return re.FindString(body)
}

func TestCalendar(t *testing.T) {
	eachStore(t, testCalendar)
}

func testCalendar(t *testing.T, e *testEnv) { // the clock says 2026-03-02
	c := e.login("admin1")

	// The current month by default, Monday first, with the statutory
	// schedule; the admin gets the form and the nav item.
	page := c.get("/calendar").wantStatus(t, http.StatusOK).
		contains(t, "2026年3月", `href="/calendar?month=2026-02"`, `href="/calendar?month=2026-04"`,
			`action="/calendar/overrides"`, `name="date" type="date"`, "设为工作日", "设为休息日",
			`href="/calendar" class="nav-item active"`, "暂无调整")
	if cell := calCell(page.body, "2026-03-02"); !strings.Contains(cell, "cal-today") || !strings.Contains(cell, "工作日") {
		t.Errorf("today's cell: %s", cell)
	}
	if cell := calCell(page.body, "2026-03-07"); !strings.Contains(cell, "cal-weekend") || !strings.Contains(cell, "周末") {
		t.Errorf("Saturday's cell: %s", cell)
	}
	if !strings.Contains(page.body, `data-date="2026-02-23"`) { // the Monday that starts the first week
		t.Error("the grid does not start on a Monday")
	}
	oct := c.get("/calendar?month=2026-10").wantStatus(t, http.StatusOK).contains(t, "2026年10月")
	if cell := calCell(oct.body, "2026-10-01"); !strings.Contains(cell, "cal-holiday") || !strings.Contains(cell, "国庆节") || !strings.Contains(cell, "休息日") {
		t.Errorf("National Day: %s", cell)
	}
	if cell := calCell(oct.body, "2026-10-10"); !strings.Contains(cell, "cal-makeup") || !strings.Contains(cell, "国庆节调休") {
		t.Errorf("make-up day: %s", cell)
	}
	c.get("/calendar?month=junk").wantStatus(t, http.StatusOK).contains(t, "2026年3月")

	// A bad date and a missing reason: errors next to the fields, the
	// typed values kept.
	c.post("/calendar/overrides", url.Values{"date": {"2026-13-01"}, "working": {"0"}, "name": {"台风停工"}, "month": {"2026-03"}}).
		wantStatus(t, http.StatusUnprocessableEntity).
		contains(t, "日期格式应为", attr("value", "2026-13-01"), attr("value", "台风停工"), `value="0" checked`, "field has-error")
	c.post("/calendar/overrides", url.Values{"date": {"2026-03-04"}, "working": {"1"}, "name": {"  "}, "month": {"2026-03"}}).
		wantStatus(t, http.StatusUnprocessableEntity).
		contains(t, "请说明调整原因", attr("value", "2026-03-04"), `value="1" checked`).lacks(t, "日期格式应为")

	// Now right: a typhoon closes the offices on Wednesday 4 March.
	c.post("/calendar/overrides", url.Values{"date": {"2026-03-04"}, "working": {"0"}, "name": {"台风停工"}, "month": {"2026-03"}}).
		wantStatus(t, http.StatusSeeOther)
	page = c.get("/calendar?month=2026-03").wantStatus(t, http.StatusOK).
		contains(t, "日历调整已保存", "台风停工", "管理员甲", `action="/calendar/overrides/2026-03-04/delete"`).lacks(t, "暂无调整")
	if cell := calCell(page.body, "2026-03-04"); !strings.Contains(cell, "cal-override") || !strings.Contains(cell, "台风停工") ||
		!strings.Contains(cell, "休息日") {
		t.Errorf("override's cell: %s", cell)
	}
	if !strings.Contains(page.body, "本月工作日 21 天，休息日 10 天") {
		t.Error("the month's summary does not count the override")
	}
	c.get("/logs/ops").contains(t, "2026-03-04 设为休息日：台风停工")

	// A day link fills the form's date and offers the opposite status.
	c.get("/calendar?date=2026-03-07").wantStatus(t, http.StatusOK).
		contains(t, attr("value", "2026-03-07"), `value="1" checked`)

	// Delete it: the day goes back to the statutory schedule.
	c.post("/calendar/overrides/2026-03-04/delete", nil).wantStatus(t, http.StatusSeeOther)
	page = c.get("/calendar?month=2026-03").contains(t, "日历调整已删除").lacks(t, ">台风停工<")
	if cell := calCell(page.body, "2026-03-04"); strings.Contains(cell, "cal-override") || !strings.Contains(cell, "工作日") {
		t.Errorf("cell after delete: %s", cell)
	}
	c.post("/calendar/overrides/2026-03-04/delete", nil).wantStatus(t, http.StatusNotFound)
	c.post("/calendar/overrides/not-a-date/delete", nil).wantStatus(t, http.StatusNotFound)

	// Staff read the calendar and the overrides without the edit forms.
	c.post("/calendar/overrides", url.Values{"date": {"2026-03-07"}, "working": {"1"}, "name": {"补班"}}).wantStatus(t, http.StatusSeeOther)
	s := e.login("staff1")
	page = s.get("/calendar").wantStatus(t, http.StatusOK).
		contains(t, "工作日历", "补班", `href="/calendar" class="nav-item active"`).
		lacks(t, `action="/calendar/overrides"`, "/delete", `name="date"`, "&amp;date=")
	if cell := calCell(page.body, "2026-03-07"); !strings.Contains(cell, "cal-makeup") || !strings.Contains(cell, "cal-override") {
		t.Errorf("staff's view of the override: %s", cell)
	}
	s.post("/calendar/overrides", url.Values{"date": {"2026-03-08"}, "working": {"1"}, "name": {"x"}}).wantStatus(t, http.StatusForbidden)
	s.post("/calendar/overrides/2026-03-07/delete", nil).wantStatus(t, http.StatusForbidden)
	e.login("leader1").get("/calendar").wantStatus(t, http.StatusOK)

	// Enterprise users and graduates do not see it at all.
	ent := e.login("ent1")
	ent.get("/calendar").wantStatus(t, http.StatusForbidden)
	ent.post("/calendar/overrides", url.Values{"date": {"2026-03-08"}, "working": {"1"}, "name": {"x"}}).wantStatus(t, http.StatusForbidden)
	ent.get("/").wantStatus(t, http.StatusOK).lacks(t, `href="/calendar"`)
	e.login("grad1").get("/calendar").wantStatus(t, http.StatusForbidden)

	// English labels.
	c.hc.Jar.SetCookies(mustURL(t, e.srv.URL), []*http.Cookie{{Name: langCookie, Value: langEN}})
	en := c.get("/calendar?month=2026-10").wantStatus(t, http.StatusOK).contains(t, "October 2026", "Working calendar", "Day off")
	if cell := calCell(en.body, "2026-10-11"); !strings.Contains(cell, "cal-weekend") || !strings.Contains(cell, "Weekend") {
		t.Errorf("English weekend: %s", cell)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestBrowserCalendar adds an override through the form in Chromium and
// checks that the month grid fits a 375-pixel phone.
func TestBrowserCalendar(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	ctx := newBrowser(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/calendar?month=2026-10"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "admin1"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".cal-grid")),
		// A day's number fills the form's date.
		chromedp.Click(chromedp.CSS(`td[data-date="2026-10-09"] a.cal-num`)),
		chromedp.WaitVisible(chromedp.ID("f-name")),
		chromedp.SendKeys(chromedp.ID("f-name"), "台风停工"),
		chromedp.Click(chromedp.CSS(".cal-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")),
	))
	cell, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`td[data-date="2026-10-09"]`)))
	must(err)
	if !strings.Contains(cell, "台风停工") || !strings.Contains(cell, "休息日") {
		t.Errorf("cell after the override: %q", cell)
	}

	for _, width := range []int64{1366, 375} {
		must(chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(e.srv.URL+"/calendar?month=2026-10"),
			chromedp.WaitVisible(chromedp.CSS(".cal-grid")),
		))
		quiet(t, ctx)
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		must(err)
		if overflow > 0 {
			t.Errorf("at %dpx the page is %dpx too wide", width, overflow)
		}
	}
}
