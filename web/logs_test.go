package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

func TestLogPagesByKey(t *testing.T) {
	eachStore(t, testLogPagesByKey)
}

// testLogPagesByKey: the operation log pages by key: the newest page
// links to the older one, which links back to newer lines and to the
// newest page; every page tells the total.
func testLogPagesByKey(t *testing.T, e *testEnv) {
	c := e.login("admin1")
	for i := range 30 {
		c.post("/industries", url.Values{"name": {fmt.Sprintf("翻页行业%02d", i)}}).wantStatus(t, http.StatusSeeOther)
	}
	link := func(r response, rel string) string {
		t.Helper()
		m := regexp.MustCompile(`<a href="([^"]+)"[^>]* rel="` + rel + `"`).FindStringSubmatch(r.body)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	total := regexp.MustCompile(`共 (\d+) 条`)
	first := c.get("/logs/ops").wantStatus(t, http.StatusOK).contains(t, "翻页行业29").lacks(t, "翻页行业00")
	n := total.FindStringSubmatch(first.body)
	if n == nil {
		t.Fatal("the newest page tells no total")
	}
	if link(first, "prev") != "" || link(first, "first") != "" {
		t.Fatal("the newest page links to newer lines")
	}
	older := link(first, "next")
	if !regexp.MustCompile(`^/logs/ops\?before=\d+$`).MatchString(older) {
		t.Fatalf("older page link %q", older)
	}
	second := c.get(older).wantStatus(t, http.StatusOK).contains(t, "翻页行业00", "共 "+n[1]+" 条").lacks(t, "翻页行业29")
	if link(second, "first") != "/logs/ops" {
		t.Fatalf("newest link %q", link(second, "first"))
	}
	back := c.get(link(second, "prev")).wantStatus(t, http.StatusOK)
	rows := regexp.MustCompile(`(?s)<tbody>.*</tbody>`)
	if rows.FindString(first.body) != rows.FindString(back.body) || link(back, "first") != "" {
		t.Fatal("newer than the older page is not the newest page")
	}
	// A search pages the same way, keeping its query.
	q := c.get("/logs/ops?q="+url.QueryEscape("翻页行业")).wantStatus(t, http.StatusOK).contains(t, "共 30 条")
	if l := link(q, "next"); !regexp.MustCompile(`before=\d+`).MatchString(l) || !regexp.MustCompile(`q=`).MatchString(l) {
		t.Fatalf("search's older link %q", l)
	}
}
