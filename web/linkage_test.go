package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhagen"
)

// TestVisitPages walks the linkage pages as people would: the cadre sees
// their enterprise with its next visit, logs a visit that plans to
// relocate, the dispatcher sees the red flag and clears it with a note,
// the enterprise reads only the public part, and the finding becomes a
// demand in one step.
func TestVisitPages(t *testing.T) {
	eachStore(t, testVisitPages)
}

func testVisitPages(t *testing.T, e *testEnv) {
	users, _, err := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre1", Limit: 5})
	if err != nil || len(users) != 1 {
		t.Fatalf("cadre1: %v %v", users, err)
	}
	if err := e.links.CreateLinkage(e.sys, &zhagen.Linkage{CadreID: users[0].ID, EnterpriseID: e.entA.ID, StartDate: "2026-01-15"}); err != nil {
		t.Fatal(err)
	}
	cat := &zhagen.Category{Code: "space", Name: "用地空间", LeadDeptID: e.dept.ID}
	if err := e.cats.CreateCategory(e.sys, cat); err != nil {
		t.Fatal(err)
	}
	cadre := e.login("cadre1")
	cadre.get("/linkages/mine").wantStatus(t, http.StatusOK).contains(t, e.entA.Name, "2026-02-14", "逾期")
	cadre.get("/visits/new").wantStatus(t, http.StatusOK).contains(t, e.entA.Name).lacks(t, e.entB.Name)

	form := url.Values{"enterprise_id": {itoa(e.entB.ID)}, "status": {"logged"}, "date": {"2026-03-01"}, "kind": {"onsite"}, "topics": {"越权"}}
	cadre.post("/visits", form).wantStatus(t, http.StatusNotFound)

	form = url.Values{"enterprise_id": {itoa(e.entA.ID)}, "status": {"logged"}, "date": {"2026-03-01"}, "kind": {"onsite"},
		"topics": {"厂房续租"}, "orders_change_pct": {"abc"}, "plans_relocate": {"1"}}
	cadre.post("/visits", form).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "订单变化须为数字", `value="abc"`)
	form.Set("orders_change_pct", "-10")
	form.Set("findings", "厂房租约到期，需协调新厂房")
	form.Set("public_notes", "公开的走访纪要")
	form.Set("internal_notes", "内部判断外迁风险高")
	res := cadre.post("/visits", form).wantStatus(t, http.StatusSeeOther)
	loc := res.header.Get("Location")
	if !regexp.MustCompile(`^/visits/\d+$`).MatchString(loc) {
		t.Fatalf("location %q", loc)
	}
	cadre.get(loc).wantStatus(t, http.StatusOK).contains(t, "触发了风险预警", "企业拟外迁", "转为诉求", "走访发现：厂房租约到期")

	disp := e.login("disp1")
	disp.get("/red-flags").wantStatus(t, http.StatusOK).contains(t, e.entA.Name, "企业拟外迁")
	flags, _ := e.links.FindRedFlags(e.sys, true, 0)
	if len(flags) != 1 {
		t.Fatalf("flags: %v", flags)
	}
	disp.post("/red-flags/"+itoa(flags[0].ID)+"/clear", url.Values{"note": {""}}).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写解除说明")
	disp.post("/red-flags/"+itoa(flags[0].ID)+"/clear", url.Values{"note": {"已协调新厂房"}}).wantStatus(t, http.StatusSeeOther)
	disp.get("/red-flags").contains(t, "已协调新厂房", "暂无风险企业")

	ent := e.login("ent1")
	ent.get(loc).wantStatus(t, http.StatusOK).contains(t, "公开的走访纪要").lacks(t, "内部判断外迁风险高", "厂房租约到期", "转为诉求")
	e.login("ent2").get(loc).wantStatus(t, http.StatusNotFound)
	ent.get("/visits").wantStatus(t, http.StatusOK).contains(t, "厂房续租").lacks(t, `id="vs-status"`)
	disp.get("/visits").wantStatus(t, http.StatusOK).contains(t, "厂房续租", `id="vs-status"`)

	// A category with a required question: the visit page asks it, keeps
	// what was typed and names the missing answer next to its field.
	power := &zhagen.Category{Code: "power", Name: "用电保障", LeadDeptID: e.dept.ID,
		Questions: []zhagen.Question{{Code: "load_kw", Label: "用电负荷（千瓦）", Type: zhagen.QNumber, Required: true}}}
	if err := e.cats.CreateCategory(e.sys, power); err != nil {
		t.Fatal(err)
	}
	cadre.get(loc).contains(t, `hx-get="/demands/questions"`, `<optgroup`)
	cadre.post(loc+"/demand", url.Values{"category_id": {itoa(power.ID)}, "title": {"新厂房用电"}, "description": {"新厂房需要用电"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, `name="answers.load_kw"`, "用电负荷（千瓦）", "has-error", `value="新厂房用电"`)
	res = cadre.post(loc+"/demand", url.Values{"category_id": {itoa(power.ID)}, "title": {"新厂房用电"}, "description": {"新厂房需要用电"}, "answers.load_kw": {"800"}}).
		wantStatus(t, http.StatusSeeOther)
	if !strings.HasPrefix(res.header.Get("Location"), "/demands/") {
		t.Fatalf("demand location %q", res.header.Get("Location"))
	}
	cadre.get(res.header.Get("Location")).wantStatus(t, http.StatusOK).contains(t, "新厂房用电", e.entA.Name, "800")
	// The visit now links to its demand and offers no second one.
	cadre.get(loc).contains(t, res.header.Get("Location")).lacks(t, `action="`+loc+`/demand"`)
	cadre.post(loc+"/demand", url.Values{"category_id": {itoa(cat.ID)}, "title": {"协调新厂房"}, "description": {"厂房租约到期，需协调新厂房"}}).wantStatus(t, http.StatusConflict)

	staff := e.login("staff1")
	staff.get("/enterprises/"+itoa(e.entA.ID)+"/linkage").wantStatus(t, http.StatusOK).contains(t, "干部乙", "厂房续租")
	staff.get("/visits/coverage").wantStatus(t, http.StatusOK).contains(t, "经济发展局", "100%")
	staff.get("/linkage-suggestions").wantStatus(t, http.StatusForbidden)

	res = disp.post("/linkage-suggestions", url.Values{"need": {"1"}, "capacity": {"2"}}).wantStatus(t, http.StatusSeeOther)
	disp.get(res.header.Get("Location")).wantStatus(t, http.StatusOK).contains(t, "无可行方案", "少于").lacks(t, "less than") // one cadre with room for one more, two enterprises to fill
	disp.get("/visits?status=logged").wantStatus(t, http.StatusOK).contains(t, "厂房续租")
	disp.get("/visits?status=planned").wantStatus(t, http.StatusOK).lacks(t, "厂房续租")
	disp.get("/linkages?dept_id="+itoa(e.dept.ID)).wantStatus(t, http.StatusOK).contains(t, e.entA.Name)
	disp.get("/linkages?dept_id=999999").wantStatus(t, http.StatusOK).lacks(t, `href="/enterprises/`+itoa(e.entA.ID)+`"`)
	disp.get("/linkages?sort=-cadre").wantStatus(t, http.StatusOK).contains(t, "sorted-desc", e.entA.Name)
	for _, p := range []string{"/linkages", "/visits", "/linkage-suggestions"} {
		disp.get(p).wantStatus(t, http.StatusOK)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestVisitFiles: the visit's cadre uploads a photo; the enterprise does
// not see it; a file of the wrong type is refused.
func TestVisitFiles(t *testing.T) {
	eachStore(t, testVisitFiles)
}

func testVisitFiles(t *testing.T, e *testEnv) {
	users, _, _ := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre1", Limit: 5})
	if err := e.links.CreateLinkage(e.sys, &zhagen.Linkage{CadreID: users[0].ID, EnterpriseID: e.entA.ID}); err != nil {
		t.Fatal(err)
	}
	cadreCtx := zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: users[0].ID, Name: "干部乙", Roles: []zhagen.Role{zhagen.RoleCadre}})
	v := &zhagen.Visit{EnterpriseID: e.entA.ID, Date: "2026-03-01", Topics: "拍照"}
	if err := e.links.CreateVisit(cadreCtx, v); err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	f, err := e.files.AddFile(cadreCtx, zhagen.VisitFiles(v.ID), "现场.png", png)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.files.AddFile(cadreCtx, zhagen.VisitFiles(v.ID), "x.exe", []byte("MZ")); zhagen.ErrorCode(err) != zhagen.EINVALID {
		t.Fatalf("exe accepted: %v", err)
	}
	path := "/visits/" + itoa(v.ID)
	cadre := e.login("cadre1")
	cadre.get(path).wantStatus(t, http.StatusOK).contains(t, "现场.png", "上传照片或文件")
	cadre.get(path+"/files/"+itoa(f.ID)).wantStatus(t, http.StatusOK)
	ent := e.login("ent1")
	ent.get(path).wantStatus(t, http.StatusOK).lacks(t, "现场.png")
	ent.get(path+"/files/"+itoa(f.ID)).wantStatus(t, http.StatusNotFound)
}

// TestPlanThenLogVisit: a planned visit is logged through the edit form;
// a stale form is refused with 409.
func TestPlanThenLogVisit(t *testing.T) {
	eachStore(t, testPlanThenLogVisit)
}

func testPlanThenLogVisit(t *testing.T, e *testEnv) {
	users, _, _ := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre1", Limit: 5})
	if err := e.links.CreateLinkage(e.sys, &zhagen.Linkage{CadreID: users[0].ID, EnterpriseID: e.entA.ID}); err != nil {
		t.Fatal(err)
	}
	cadre := e.login("cadre1")
	res := cadre.post("/visits", url.Values{"enterprise_id": {itoa(e.entA.ID)}, "status": {"planned"}, "date": {"2026-03-10"}, "kind": {"onsite"}}).wantStatus(t, http.StatusSeeOther)
	loc := res.header.Get("Location")
	cadre.get(loc).wantStatus(t, http.StatusOK).contains(t, "计划", "记录走访结果")
	cadre.get(loc+"/edit?log=1").wantStatus(t, http.StatusOK).contains(t, e.entA.Name, `name="version" value="1"`)
	form := url.Values{"version": {"1"}, "status": {"logged"}, "date": {"2026-03-10"}, "kind": {"phone"}, "topics": {"减员情况"}, "layoffs": {"12"}}
	// Not before the day: a logged visit cannot lie in the future.
	cadre.post(loc, form).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "已走访的日期不能晚于今天", `value="减员情况"`)
	e.clock.T = time.Date(2026, 3, 10, 16, 0, 0, 0, zhagen.Shanghai)
	cadre = e.login("cadre1") // the session of a week ago has expired
	cadre.post(loc, form).wantStatus(t, http.StatusSeeOther)
	cadre.get(loc).wantStatus(t, http.StatusOK).contains(t, "已走访", "企业有减员", "电话")
	cadre.post(loc, form).wantStatus(t, http.StatusConflict).contains(t, "当前版本 2")
	e.login("ent1").get(loc+"/edit").wantStatus(t, http.StatusForbidden)
}

func TestOneLanguage(t *testing.T) {
	for _, c := range []struct{ in, lang, want string }{
		{"重点企业 甲 没有处级候选干部 (key enterprise 甲 has no senior (处级) candidate)", langZH, "重点企业 甲 没有处级候选干部"},
		{"重点企业 甲 没有处级候选干部 (key enterprise 甲 has no senior (处级) candidate)", langEN, "key enterprise 甲 has no senior (处级) candidate"},
		{"只有中文", langEN, "只有中文"},
		{"", langZH, ""},
	} {
		if got := oneLanguage(c.in, c.lang); got != c.want {
			t.Errorf("oneLanguage(%q, %s) = %q, want %q", c.in, c.lang, got, c.want)
		}
	}
}

// TestSuggestionAcceptPage: the dispatcher accepts a suggestion with a
// start date in the past; a date after today is refused.
func TestSuggestionAcceptPage(t *testing.T) {
	eachStore(t, testSuggestionAcceptPage)
}

func testSuggestionAcceptPage(t *testing.T, e *testEnv) {
	// The key enterprise needs a 处级 cadre.
	senior := &zhagen.User{Login: "cadre9", Name: "干部己", Roles: []zhagen.Role{zhagen.RoleCadre}, DeptID: e.dept.ID, Rank: "正处级", Password: "Zg-Test#4821"}
	if err := e.users.CreateUser(e.sys, senior); err != nil {
		t.Fatal(err)
	}
	sg, err := e.links.RunSuggestion(e.sys, zhagen.SuggestionParams{Need: 1, Capacity: 2})
	if err != nil || !sg.Feasible || len(sg.Pairs) == 0 {
		t.Fatalf("suggestion: %+v %v", sg, err)
	}
	disp := e.login("disp1")
	path := "/linkage-suggestions/" + itoa(sg.ID)
	disp.get(path).wantStatus(t, http.StatusOK).contains(t, `name="start_date"`, "挂钩起始日")
	future := e.clock.Now().In(zhagen.Shanghai).AddDate(0, 0, 1).Format("2006-01-02")
	disp.post(path+"/accept", url.Values{"all": {"1"}, "start_date": {future}}).wantStatus(t, http.StatusUnprocessableEntity)
	past := e.clock.Now().In(zhagen.Shanghai).AddDate(0, 0, -60).Format("2006-01-02")
	disp.post(path+"/accept", url.Values{"all": {"1"}, "start_date": {past}}).wantStatus(t, http.StatusSeeOther)
	links, _, err := e.links.FindLinkages(e.sys, zhagen.LinkageFilter{})
	if err != nil || len(links) != len(sg.Pairs) {
		t.Fatalf("linkages after accepting: %d of %d pairs, %v", len(links), len(sg.Pairs), err)
	}
	for _, l := range links {
		if l.StartDate != past {
			t.Fatalf("start date %q, want %s", l.StartDate, past)
		}
	}
}
