package web

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"zhagen"
	"zhagen/catalog"
)

// TestCatalogueCoversKeys checks that every key the templates and handlers
// use is in the catalogue in both languages, with the same fmt verbs.
func TestCatalogueCoversKeys(t *testing.T) {
	cat := catalog.MustLoad()
	used := map[string]string{}
	tmplKey := regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	err := fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goKey := regexp.MustCompile(`(?:h\.tr\(r, |tr\(|redirectFlash\(w, r, [^,]+, )"([a-z0-9_.]+)"`)
	entries, _ := os.ReadDir(".")
	for _, en := range entries {
		if !strings.HasSuffix(en.Name(), ".go") || strings.HasSuffix(en.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(en.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") {
				used[m[1]] = en.Name()
			}
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys; is the scan broken?", len(used))
	}
	for key, where := range used {
		if !cat.Has(key) {
			t.Errorf("%s uses %q, which is not in the catalogue", where, key)
		}
	}
	verbs := regexp.MustCompile(`%[dsvq]`)
	for _, key := range cat.Keys() {
		zh, en := cat.Sprintf(catalog.ZH, key), cat.Sprintf(catalog.EN, key)
		if zh == "" || en == "" {
			t.Errorf("%q lacks a translation: %q, %q", key, zh, en)
		}
		if a, b := verbs.FindAllString(zh, -1), verbs.FindAllString(en, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%q: verbs %v in Chinese, %v in English", key, a, b)
		}
	}
}

func TestTranslateFallback(t *testing.T) {
	cat := catalog.MustLoad()
	if got := cat.Sprintf(langEN, "nav.home"); got != "My workbench" {
		t.Errorf("en nav.home = %q", got)
	}
	if got := cat.Sprintf(langZH, "pager.range", 1, 25, 30); got != "第 1–25 条，共 30 条" {
		t.Errorf("zh pager.range = %q", got)
	}
	if got := cat.Sprintf(langEN, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
}

// TestTemplatesFailFast checks that New's parsing refuses a missing or a
// broken template.
func TestTemplatesFailFast(t *testing.T) {
	static, err := loadStatic(files)
	if err != nil {
		t.Fatal(err)
	}
	good := fstest.MapFS{}
	fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(files, p)
			good[p] = &fstest.MapFile{Data: b}
		}
		return err
	})
	if _, err := parseTemplates(good, static, catalog.MustLoad()); err != nil {
		t.Fatalf("embedded templates: %v", err)
	}

	missing := fstest.MapFS{}
	for k, v := range good {
		if k != "templates/pages/enterprise_form.html" {
			missing[k] = v
		}
	}
	if _, err := parseTemplates(missing, static, catalog.MustLoad()); err == nil || !strings.Contains(err.Error(), "enterprise_form") {
		t.Errorf("missing template: err = %v", err)
	}

	broken := fstest.MapFS{}
	for k, v := range good {
		broken[k] = v
	}
	broken["templates/pages/home.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{if .Data}}{{end}`)}
	if _, err := parseTemplates(broken, static, catalog.MustLoad()); err == nil {
		t.Error("broken template parsed")
	}

	if _, err := New(Config{}); err == nil {
		t.Error("New without services succeeded")
	}
}

// TestDemandTimelineInEnglish checks that what the system writes around a
// demand's timeline reads in English in English mode: action and status
// labels, the SLA badge, the system as actor and the workflow's refusals.
func TestDemandTimelineInEnglish(t *testing.T) {
	e := newTestEnv(t)
	cat := e.powerCategory(t, 0)
	d := e.login("disp1")
	form := url.Values{"key": {"en-1"}, "category_id": {strconv.FormatInt(cat.ID, 10)}, "title": {"乙光电用电增容"},
		"description": {"热线来电：申请增容"}, "answers.load_kw": {"500"}, "channel": {"hotline"}, "priority": {"urgent"},
		"enterprise_id": {strconv.FormatInt(e.entB.ID, 10)}}
	id := demandID(t, d.post("/demands", form))
	// The system assigns it (as the jobs do), so the timeline has a step
	// whose actor is the system.
	if _, err := e.demands.Transition(e.sys, id, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: e.dept.ID}); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/demands/%d", id)
	ent := e.login("ent2")
	for _, c := range []*client{d, ent} {
		c.hc.Jar.SetCookies(mustURL(t, e.srv.URL), []*http.Cookie{{Name: langCookie, Value: langEN}})
	}
	show := d.get(path).wantStatus(t, http.StatusOK)
	show.contains(t, `<span class="tl-action">Submit</span>`, `<span class="tl-action">Assign</span>`,
		"To assign → To accept", `<span class="tl-meta">System ·`, "Timeline").
		lacks(t, `<span class="tl-action">分派</span>`, "待分派", "待签收", "系统 ·", "正常", "剩 ")
	// A step the actor may not take, and one the status does not allow.
	ent.act(id, "assign", "lead_dept_id", strconv.FormatInt(e.dept.ID, 10)).wantStatus(t, http.StatusForbidden).
		contains(t, "You may not take the step “Assign” on this demand").lacks(t, "当前用户无权")
	ent.act(id, "rate", "rating", "satisfied").wantStatus(t, http.StatusConflict).
		contains(t, "The demand is “To accept”: “Rate” is not possible now").lacks(t, "诉求当前状态为")

	// In Chinese the same refusals keep the domain's words.
	zh := e.login("ent2")
	zh.act(id, "assign").wantStatus(t, http.StatusForbidden).contains(t, "当前用户无权对该诉求执行“分派”")
	zh.act(id, "rate", "rating", "satisfied").wantStatus(t, http.StatusConflict).contains(t, "诉求当前状态为“待签收”，不能执行“评价”")
	zh.get(path).contains(t, `<span class="tl-meta">系统 ·`, `<span class="tl-action">分派</span>`)
}

// TestRedFlagRulesInEnglish: the rules' fields and yes/no read in the
// reader's language.
func TestRedFlagRulesInEnglish(t *testing.T) {
	e := newTestEnv(t)
	a := e.login("admin1")
	a.get("/red-flags").wantStatus(t, http.StatusOK).contains(t, "拟外迁 = 是", "订单变化% &lt; -30", ">减员人数</option>")
	a.hc.Jar.SetCookies(mustURL(t, e.srv.URL), []*http.Cookie{{Name: langCookie, Value: langEN}})
	a.get("/red-flags").wantStatus(t, http.StatusOK).
		contains(t, "Plans to relocate = Yes", "Orders change % &lt; -30", ">Layoffs</option>").
		lacks(t, "拟外迁 = 是", "订单变化% &lt;", ">减员人数<")
}
