package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"zhagen"
)

// TestSupervisionListPages: with more open orders than a page holds, the
// list shows one page of them and counts every one, per department and
// per state; the overdue tab lists only overdue orders, a department's
// link only its own, and page 2 the rest.
func TestSupervisionListPages(t *testing.T) {
	e := newTestEnv(t)
	cat := e.powerCategory(t, e.dept.ID)
	disp := e.actorCtx(t, "disp1")
	const n = perPage + 5
	for i := range n {
		d := &zhagen.Demand{EnterpriseID: e.entA.ID, CategoryID: cat.ID, Title: fmt.Sprintf("督办列表诉求%02d", i), Description: "双回路供电迟迟未落实",
			Answers: zhagen.Answers{"load_kw": {"8000"}}}
		if err := e.demands.CreateDemand(e.actorCtx(t, "ent1"), d, ""); err != nil {
			t.Fatal(err)
		}
		hours := 40 // a working week
		if i < 3 {
			hours = 1 // the first three come due within the day
		}
		o := &zhagen.SupervisionOrder{SubjectKind: zhagen.SubjectDemand, SubjectID: d.ID, Requirement: "请尽快落实供电方案", ReplyHours: hours}
		if err := e.sup.RaiseSupervision(disp, o); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.T = e.clock.T.Add(26 * time.Hour) // a day and two hours on: the one-hour orders are overdue
	c := e.login("disp1")
	rows := regexp.MustCompile(`<a href="/supervision/\d+">`)

	res := c.get("/supervision")
	if res.status != http.StatusOK {
		t.Fatalf("GET /supervision: %d", res.status)
	}
	if got := len(rows.FindAllString(res.body, -1)); got != perPage {
		t.Fatalf("first page lists %d orders, want %d", got, perPage)
	}
	tallies := res.body[strings.Index(res.body, `id="sv-tallies"`):]
	tallies = tallies[:strings.Index(tallies, "</table>")]
	if !strings.Contains(tallies, e.dept.Name) || !strings.Contains(tallies, fmt.Sprintf(`<td class="num">%d</td>`, n)) ||
		!strings.Contains(tallies, `<span class="tag tag-red">3</span>`) {
		t.Fatalf("the summary does not count %d open orders, 3 overdue, for %s:\n%s", n, e.dept.Name, tallies)
	}
	for _, want := range []string{fmt.Sprintf(`未办结 <span class="count">%d</span>`, n), `逾期未回复 <span class="count">3</span>`, `已办结 <span class="count">0</span>`} {
		if !strings.Contains(res.body, want) {
			t.Fatalf("the tabs lack %q", want)
		}
	}
	if res := c.get("/supervision?page=2"); len(rows.FindAllString(res.body, -1)) != n-perPage {
		t.Fatalf("page 2 lists %d orders, want %d", len(rows.FindAllString(res.body, -1)), n-perPage)
	}
	// Past the last page: no rows, and the total without a range.
	if res := c.get("/supervision?page=9"); len(rows.FindAllString(res.body, -1)) != 0 || !strings.Contains(res.body, fmt.Sprintf(`pager-info">共 %d 条<`, n)) {
		t.Fatalf("page 9 of 2: %d orders, pager %q", len(rows.FindAllString(res.body, -1)), regexp.MustCompile(`pager-info">[^<]*`).FindString(res.body))
	}
	overdue := c.get("/supervision?tab=overdue")
	if got := len(rows.FindAllString(overdue.body, -1)); got != 3 || strings.Count(overdue.body, "待回复") < 3 {
		t.Fatalf("the overdue tab lists %d orders, want 3", got)
	}
	// Another department's link lists none of these.
	other := c.get(fmt.Sprintf("/supervision?dept=%d", e.dept.ID+1000))
	if got := len(rows.FindAllString(other.body, -1)); got != 0 || !strings.Contains(other.body, "暂无督办单") {
		t.Fatalf("an unknown department's list shows %d orders", got)
	}
	// The pager's htmx request gets the list alone.
	req, _ := http.NewRequest(http.MethodGet, c.base+"/supervision?page=2", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "sv-orders")
	part := c.do(req)
	if strings.Contains(part.body, `id="sv-tallies"`) || len(rows.FindAllString(part.body, -1)) != n-perPage {
		t.Fatalf("the pager's partial: %d orders, summary included: %v", len(rows.FindAllString(part.body, -1)), strings.Contains(part.body, `id="sv-tallies"`))
	}
	// An enterprise user has no supervision page.
	if res := e.login("ent1").get("/supervision"); res.status != http.StatusForbidden {
		t.Fatalf("an enterprise user's GET /supervision: %d", res.status)
	}
}
