package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhagen"
)

// TestOversightPages: the rankings page states both sets of weights and
// links its numbers to the lists behind them (staff see neither the page
// nor its tab); a bulletin is drafted by the dispatcher, the leader's
// commentary is kept on a refused save, the bulletin is issued once and
// numbered, and served as a print view and as .docx; the screen serves
// its JSON.
func TestOversightPages(t *testing.T) {
	e := newTestEnv(t)
	links := e.links
	cadre := e.actorCtx(t, "cadre1")
	cadreID := zhagen.ActorFromContext(cadre).UserID
	if err := links.CreateLinkage(e.sys, &zhagen.Linkage{CadreID: cadreID, EnterpriseID: e.entA.ID, StartDate: "2026-01-01"}); err != nil {
		t.Fatal(err)
	}
	if err := links.CreateVisit(cadre, &zhagen.Visit{EnterpriseID: e.entA.ID, CadreID: cadreID, Status: zhagen.VisitLogged, Date: "2026-02-10", Topics: "经营情况"}); err != nil {
		t.Fatal(err)
	}

	leader := e.login("leader1")
	leader.get("/rates/rankings?from=2026-01&to=2026-03").wantStatus(t, http.StatusOK).
		contains(t, "部门综合排名", "挂钩干部排名", "干部乙", "走访完成率 50、问题发现率 20、办结成效 30", "响应率 30、解决率 30",
			fmt.Sprintf("/visits?status=logged&amp;cadre_id=%d", cadreID), fmt.Sprintf("submitter=%d", cadreID), "50.0%").
		lacks(t, `action="/rates/cadre-weights"`)
	leader.get("/rates/trend").wantStatus(t, http.StatusOK).contains(t, `href="/rates/rankings"`)
	staff := e.login("staff1")
	staff.get("/rates/rankings").wantStatus(t, http.StatusForbidden)
	staff.get("/rates/trend").wantStatus(t, http.StatusOK).lacks(t, `href="/rates/rankings"`)
	admin := e.login("admin1")
	admin.post("/rates/cadre-weights", url.Values{"cadence": {"60"}, "filing": {"60"}, "outcome": {"30"}, "version": {"1"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "各项权重之和应为 100", `name="cadence" min="0" max="100" value="60"`)
	admin.post("/rates/cadre-weights", url.Values{"cadence": {"60"}, "filing": {"10"}, "outcome": {"30"}, "version": {"1"}}).wantStatus(t, http.StatusSeeOther)

	disp := e.login("disp1")
	disp.post("/bulletins", url.Values{"month": {"2026-13"}}).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "月份格式应为", `value="2026-13"`)
	res := disp.post("/bulletins", url.Values{"month": {"2026-02"}}).wantStatus(t, http.StatusSeeOther)
	loc := res.header.Get("Location")
	if !strings.HasPrefix(loc, "/bulletins/") {
		t.Fatalf("created at %q", loc)
	}
	disp.get(loc).wantStatus(t, http.StatusOK).contains(t, "2026年2月工作通报", "（草稿，未编号）", `name="notable"`).lacks(t, `id="bl-issue"`)
	leader.post(loc+"/notable", url.Values{"notable": {"1"}, "version": {"1"}}).wantStatus(t, http.StatusForbidden)
	leader.post(loc+"/commentary", url.Values{"commentary": {"要对照排名查找差距"}, "version": {"9"}}).
		wantStatus(t, http.StatusConflict).contains(t, "已被他人修改", "要对照排名查找差距")
	leader.post(loc+"/commentary", url.Values{"commentary": {"要对照排名查找差距"}, "version": {"1"}}).wantStatus(t, http.StatusSeeOther)
	leader.post(loc+"/issue", url.Values{"version": {"2"}}).wantStatus(t, http.StatusSeeOther)
	leader.post(loc+"/issue", url.Values{"version": {"3"}}).wantStatus(t, http.StatusConflict).contains(t, "已经签发")
	leader.get("/bulletins").wantStatus(t, http.StatusOK).contains(t, "2026年第1期", "已签发")
	leader.get(loc+"/print").wantStatus(t, http.StatusOK).contains(t, "2026年第1期", "领导批示", "要对照排名查找差距", "bulletin.css").lacks(t, "<script>")
	leader.get(loc+"/docx").wantStatus(t, http.StatusOK).contains(t, "word/document.xml")
	leader.get("/screen/data").wantStatus(t, http.StatusOK).contains(t, `"open":`, `"rates":`, `"parks":`)
	e.login("ent1").get("/bulletins").wantStatus(t, http.StatusForbidden)
}
