package web

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"zhagen"
)

// TestTrendPage checks the trend and ranking page: the month's kept
// figures with their links to the demand list, the charts' data, the
// roles and scope that see it, the period's fallback and the weights
// only the administrator sets.
func TestTrendPage(t *testing.T) {
	e := newTestEnv(t)
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
	month := e.clock.Now().In(zhagen.Shanghai).Format("2006-01")
	leader := e.login("leader1")
	leader.get("/rates/trend").wantStatus(t, http.StatusOK).
		contains(t, "趋势与排名", `id="tr-rates"`, "trend.js", `<span class="rt-pct">100.0%</span>`, month, "经济发展局", `name="dept"`,
			"/demands?dept=", "role=lead", "open=1", "部门综合评分排名", "权重：响应率 30、解决率 30、满意率 30、及时率 10", "指标口径").
		lacks(t, "<script>", `action="/rates/weights"`)
	leader.get("/rates/trend?from=2026-13").wantStatus(t, http.StatusOK).contains(t, "已按近12个月统计")
	leader.get("/rates").wantStatus(t, http.StatusOK).contains(t, `href="/rates/trend"`)

	staff := e.login("staff1")
	staff.get("/rates/trend").wantStatus(t, http.StatusOK).contains(t, "经济发展局", "100.0%").lacks(t, `name="dept"`)
	e.login("cadre1").get("/rates/trend").wantStatus(t, http.StatusForbidden)
	e.login("ent1").get("/rates/trend").wantStatus(t, http.StatusForbidden)

	admin := e.login("admin1")
	admin.get("/rates/trend").wantStatus(t, http.StatusOK).contains(t, `action="/rates/weights"`)
	admin.post("/rates/weights", url.Values{"response": {"40"}, "resolution": {"30"}, "satisfaction": {"20"}, "timeliness": {"20"}, "version": {"1"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "各项权重之和应为 100")
	admin.post("/rates/weights", url.Values{"response": {"40"}, "resolution": {"30"}, "satisfaction": {"20"}, "timeliness": {"10"}, "version": {"1"}}).
		wantStatus(t, http.StatusSeeOther)
	admin.post("/rates/weights", url.Values{"response": {"40"}, "resolution": {"30"}, "satisfaction": {"20"}, "timeliness": {"10"}, "version": {"1"}}).
		wantStatus(t, http.StatusConflict)
	leader.get("/rates/trend").wantStatus(t, http.StatusOK).contains(t, "权重：响应率 40、解决率 30、满意率 20、及时率 10")
	leader.post("/rates/weights", url.Values{"response": {"25"}, "resolution": {"25"}, "satisfaction": {"25"}, "timeliness": {"25"}, "version": {"2"}}).
		wantStatus(t, http.StatusForbidden)
}
