package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"zhagen"
)

// TestRatesPage checks the three rates page and the workbench cards: the
// figures of a demand accepted in time, the default period, the roles
// that see it and the htmx table.
func TestRatesPage(t *testing.T) {
	eachStore(t, testRatesPage)
}

func testRatesPage(t *testing.T, e *testEnv) {
	cat := e.powerCategory(t, e.dept.ID)
	entCtx := e.actorCtx(t, "ent1")
	d := &zhagen.Demand{EnterpriseID: e.entA.ID, CategoryID: cat.ID, Title: "双回路供电", Description: "生产需要", Answers: zhagen.Answers{"load_kw": {"800"}}}
	if err := e.demands.CreateDemand(entCtx, d, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	if _, err := e.demands.Transition(e.actorCtx(t, "staff1"), d.ID, zhagen.Transition{Action: zhagen.ActAccept}); err != nil {
		t.Fatal(err)
	}

	leader := e.login("leader1")
	leader.get("/rates").wantStatus(t, http.StatusOK).
		contains(t, "三率统计", `value="2026-01-01"`, `value="2026-12-31"`, `<span class="rt-pct">100.0%</span>`, `<span class="rt-frac">1/1</span>`,
			`<span class="rt-frac">0/0</span>`, "经济发展局", `id="rt-chart"`, `name="dept"`, "rates.js").
		lacks(t, "<script>")
	// Before the demand was submitted: nothing is due.
	leader.get("/rates?from=2026-01-01&to=2026-02-28").wantStatus(t, http.StatusOK).
		contains(t, "所选期间没有诉求").lacks(t, `id="rt-chart"`)
	leader.get("/rates?from=2026-13-01").wantStatus(t, http.StatusOK).contains(t, "起始日期格式应为", `value="2026-01-01"`)
	leader.get("/rates?from=2026-12-31&to=2026-01-01").wantStatus(t, http.StatusOK).contains(t, "已对调", "100.0%")

	staff := e.login("staff1")
	staff.get("/rates").wantStatus(t, http.StatusOK).contains(t, "经济发展局", "100.0%").lacks(t, `name="dept"`)
	staff.hdr.Set("HX-Request", "true")
	staff.hdr.Set("HX-Target", "rt-table")
	staff.get("/rates?sort=-due").wantStatus(t, http.StatusOK).contains(t, "<table", "sorted-desc").lacks(t, "<form")

	e.login("cadre1").get("/rates").wantStatus(t, http.StatusForbidden)
	e.login("ent1").get("/rates").wantStatus(t, http.StatusForbidden).lacks(t, `href="/rates"`)

	e.login("disp1").get("/").wantStatus(t, http.StatusOK).contains(t, "本年响应率 · 1/1", `href="/rates"`)
	e.login("admin1").get("/").wantStatus(t, http.StatusOK).contains(t, `href="/rates"`).lacks(t, "本年响应率")
}

// actorCtx is a context acting as the seeded user login.
func (e *testEnv) actorCtx(t *testing.T, login string) context.Context {
	t.Helper()
	users, _, err := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: login, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Login == login {
			a := &zhagen.Actor{UserID: u.ID, Login: u.Login, Name: u.Name, Roles: u.Roles, DeptID: u.DeptID, EnterpriseID: u.EnterpriseID}
			if u.DeptID != 0 {
				a.DeptPath, a.DeptName = e.dept.Path, e.dept.Name
			}
			return zhagen.NewContextWithActor(context.Background(), a)
		}
	}
	t.Fatalf("no user %s", login)
	return nil
}
