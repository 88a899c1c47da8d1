package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhagen"
)

// powerCategory stores a category routed to the test department, with a
// required number question and a single-choice question.
func (e *testEnv) powerCategory(t *testing.T, lead int64) *zhagen.Category {
	t.Helper()
	c := &zhagen.Category{Code: "power", Name: "用电保障", Group: "水电气", LeadDeptID: lead,
		Questions: []zhagen.Question{
			{Code: "load_kw", Label: "用电负荷（千瓦）", Type: zhagen.QNumber, Required: true},
			{Code: "circuits", Label: "供电方式", Type: zhagen.QSingle, Options: []zhagen.Option{{Key: "single", Name: "单回路"}, {Key: "dual", Name: "双回路"}}},
		}}
	if err := e.cats.CreateCategory(e.sys, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// demandID returns the id of the demand a redirect goes to.
func demandID(t *testing.T, res response) int64 {
	t.Helper()
	loc := res.header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/demands/"), 10, 64)
	if res.status != http.StatusSeeOther || err != nil {
		t.Fatalf("status %d, location %q\n%.2000s", res.status, loc, res.body)
	}
	return id
}

// act posts an action form of the demand.
func (c *client) act(id int64, action string, kv ...string) response {
	c.t.Helper()
	f := url.Values{"action": {action}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return c.post(fmt.Sprintf("/demands/%d/actions", id), f)
}

// TestDemandLifecycle follows one demand through the UI: the enterprise
// submits it, the lead department accepts, updates and resolves it, the
// enterprise rates it and sees it closed.
func TestDemandLifecycle(t *testing.T) {
	eachStore(t, testDemandLifecycle)
}

func testDemandLifecycle(t *testing.T, e *testEnv) {
	cat := e.powerCategory(t, e.dept.ID)
	ent := e.login("ent1")

	// The form: categories grouped, no enterprise picker, the portal channel.
	ent.get("/demands/new").wantStatus(t, http.StatusOK).
		contains(t, `<optgroup label="水电气">`, ">用电保障<", `hx-get="/demands/questions"`, "企业门户", e.entA.Name).
		lacks(t, `name="enterprise_id"`, `name="priority"`)
	ent.get(fmt.Sprintf("/demands/questions?category_id=%d", cat.ID)).wantStatus(t, http.StatusOK).
		contains(t, `name="answers.load_kw"`, "用电负荷（千瓦）", `<option value="dual">双回路</option>`).lacks(t, "<html")

	// A required question left empty: the error is next to it, the typed values stay.
	form := url.Values{"key": {"k-123"}, "category_id": {strconv.FormatInt(cat.ID, 10)}, "title": {"新建厂房需双回路供电"},
		"description": {"明年投产，集成电路生产需要双回路电力保障"}, "contact_phone": {"13800000001"}, "answers.circuits": {"dual"}}
	bad := ent.post("/demands", form).wantStatus(t, http.StatusUnprocessableEntity)
	bad.contains(t, "请回答：“用电负荷（千瓦）”", attr("value", "新建厂房需双回路供电"), "明年投产，集成电路生产需要双回路电力保障",
		`<option value="dual" selected>双回路</option>`, `name="key" value="k-123"`, "表单有 1 处需要修改")

	form.Set("answers.load_kw", "8000")
	id := demandID(t, ent.post("/demands", form))
	// A second POST of the same form returns the same demand.
	if again := demandID(t, ent.post("/demands", form)); again != id {
		t.Errorf("double submit created #%d and #%d", id, again)
	}
	if _, n, _ := e.demands.FindDemands(e.sys, zhagen.DemandFilter{}); n != 1 {
		t.Errorf("%d demands after a double submit", n)
	}
	path := fmt.Sprintf("/demands/%d", id)
	show := ent.get(path).wantStatus(t, http.StatusOK)
	show.contains(t, "诉求已提交", "新建厂房需双回路供电", "待签收", "用电负荷（千瓦）", "8000", "双回路", e.dept.Name, "企业门户",
		`value="withdraw"`).lacks(t, `value="accept"`, `value="resolve"`)

	// The lead department's inbox lists it; staff accept it.
	staff := e.login("staff1")
	staff.get("/demands/inbox").wantStatus(t, http.StatusOK).contains(t, "新建厂房需双回路供电", `class="tab active"`)
	staff.get("/demands/inbox?tab=coop").wantStatus(t, http.StatusOK).lacks(t, "新建厂房需双回路供电").contains(t, "暂无待办诉求")
	staff.get(path).contains(t, `value="accept"`, `value="return"`).lacks(t, `value="rate"`, `value="assign"`)
	staff.act(id, "accept").wantStatus(t, http.StatusSeeOther)
	staff.get(path).contains(t, "已签收。", "已签收", `value="update"`, `value="resolve"`)

	// Progress, public and internal; the enterprise sees only the public one.
	staff.act(id, "update", "note", "已会同供电公司现场踏勘", "internal", "0").wantStatus(t, http.StatusSeeOther)
	staff.act(id, "update", "note", "线路走廊待协调", "internal", "1").wantStatus(t, http.StatusSeeOther)
	staff.get(path).contains(t, "办理中", "已会同供电公司现场踏勘", "线路走廊待协调", `tl-internal`)
	ent.get(path).contains(t, "已会同供电公司现场踏勘").lacks(t, "线路走廊待协调")

	// A missing resolution is shown next to its field, the form open.
	res := staff.act(id, "resolve", "resolution", " ").wantStatus(t, http.StatusUnprocessableEntity)
	res.contains(t, `data-act="resolve" open`, "请填写办理结果")
	staff.act(id, "resolve", "resolution", "双回路供电已接通，已答复企业并告知办理依据").wantStatus(t, http.StatusSeeOther)
	// An action the status does not allow names the status and the action at the top of the panel.
	res = staff.act(id, "accept").wantStatus(t, http.StatusConflict)
	res.contains(t, "诉求当前状态为“已办结待评价”，不能执行“签收”")
	if i, j := strings.Index(res.body, `class="panel act-panel"`), strings.Index(res.body, "不能执行“签收”"); i < 0 || j < i {
		t.Error("the conflict is not shown in the actions panel")
	}

	// The enterprise rates it and sees it closed.
	ent.get(path).contains(t, "已办结待评价", `value="rate"`, "满意", "基本满意", "不满意", `name="solved"`)
	ent.act(id, "rate", "rating", "satisfied").wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请说明问题是否已解决")
	ent.act(id, "rate", "rating", "satisfied", "solved", "1", "note", "响应迅速").wantStatus(t, http.StatusSeeOther)
	ent.get(path).wantStatus(t, http.StatusOK).contains(t, "感谢您的评价", "已关闭", "满意", "已解决", "当前状态下您没有可执行的操作").
		lacks(t, fmt.Sprintf(`action="/demands/%d/actions"`, id))

	// Another enterprise's user does not get to see it, and cannot act on it.
	other := e.login("ent2")
	other.get(path).wantStatus(t, http.StatusNotFound)
	other.act(id, "withdraw").wantStatus(t, http.StatusNotFound)
	other.get("/demands").wantStatus(t, http.StatusOK).lacks(t, "新建厂房需双回路供电")

	// A leader reads everything and acts on nothing.
	leader := e.login("leader1")
	leader.get(path).wantStatus(t, http.StatusOK).contains(t, "新建厂房需双回路供电", "当前状态下您没有可执行的操作").
		lacks(t, fmt.Sprintf(`action="/demands/%d/actions"`, id))
	// A graduate has no demands at all.
	e.login("grad1").get("/demands").wantStatus(t, http.StatusForbidden)
}

// TestDemandDispatch: the dispatcher files a demand for an enterprise by
// hotline, finds it on the board and in the search, and assigns it.
func TestDemandDispatch(t *testing.T) {
	eachStore(t, testDemandDispatch)
}

func testDemandDispatch(t *testing.T, e *testEnv) {
	cat := e.powerCategory(t, 0) // no routing rule: the dispatcher assigns
	coop := &zhagen.Department{Name: "供电公司", Kind: zhagen.DeptExternal}
	if err := e.depts.CreateDepartment(e.sys, coop); err != nil {
		t.Fatal(err)
	}
	d := e.login("disp1")
	d.get("/demands/new").wantStatus(t, http.StatusOK).contains(t, `name="enterprise_id"`, `name="priority"`, `<option value="hotline"`)

	form := url.Values{"key": {"disp-1"}, "category_id": {strconv.FormatInt(cat.ID, 10)}, "title": {"乙光电用电增容"},
		"description": {"热线来电：申请增容"}, "answers.load_kw": {"500"}, "channel": {"hotline"}, "priority": {"urgent"}}
	d.post("/demands", form).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请选择企业")
	form.Set("enterprise_id", strconv.FormatInt(e.entB.ID, 10))
	id := demandID(t, d.post("/demands", form))
	path := fmt.Sprintf("/demands/%d", id)
	d.get(path).contains(t, "待分派", "热线", "特急", e.entB.Name, `value="assign"`, `name="coop_dept_ids"`)

	// The board lists it as unassigned; the workbench counts it.
	board := d.get("/demands/board").wantStatus(t, http.StatusOK)
	board.contains(t, `id="board-submitted"`, `id="board-returned"`, `id="board-overdue"`, `id="board-extension"`, "乙光电用电增容")
	d.get("/").contains(t, "待分派诉求", `href="/demands/board#board-submitted"`)

	// Search: keyword, status, enterprise, dates; htmx swaps the table only.
	d.get("/demands?q="+url.QueryEscape("增容")).contains(t, "乙光电用电增容", "共 1 条")
	d.get("/demands?q="+url.QueryEscape("不存在的诉求")).lacks(t, "乙光电用电增容").contains(t, "没有符合条件的诉求")
	d.get("/demands?status=closed").lacks(t, "乙光电用电增容")
	d.get(fmt.Sprintf("/demands?enterprise=%d", e.entA.ID)).lacks(t, "乙光电用电增容")
	d.get("/demands?from=2026-03-02&to=2026-03-02&channel=hotline").contains(t, "乙光电用电增容")
	d.get("/demands?to=2026-03-01").lacks(t, "乙光电用电增容")
	d.get("/demands?sort=due").wantStatus(t, http.StatusOK).contains(t, `aria-sort="ascending"`)
	d.hdr.Set("HX-Request", "true")
	d.hdr.Set("HX-Target", "dm-results")
	d.get("/demands?status=submitted").contains(t, "乙光电用电增容", "<table").lacks(t, "<html", `class="sidebar"`)
	d.hdr = http.Header{}

	// Assigning without a lead department is refused next to the field.
	d.act(id, "assign", "lead_dept_id", "").wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请选择主办部门", `data-act="assign" open`)
	d.act(id, "assign", "lead_dept_id", strconv.FormatInt(e.dept.ID, 10), "coop_dept_ids", strconv.FormatInt(coop.ID, 10),
		"priority", "high").wantStatus(t, http.StatusSeeOther)
	d.get(path).contains(t, "诉求已分派", "待签收", e.dept.Name, "供电公司", "紧急")
	d.get(fmt.Sprintf("/demands?dept=%d", coop.ID)).contains(t, "乙光电用电增容")

	// The staff member got a notification; the bell counts it.
	e.drain()
	staff := e.login("staff1")
	staff.get("/").contains(t, `class="bell has-unread"`, `<span class="bell-count">1</span>`, "主办待办")
	staff.get("/notifications").wantStatus(t, http.StatusOK).contains(t, "新诉求待签收", "乙光电用电增容", path, "标为已读")
	staff.post("/notifications/read", nil).wantStatus(t, http.StatusSeeOther)
	staff.get("/notifications").contains(t, "最近 1 条消息，0 条未读").lacks(t, "bell-count")
}

func TestCategoryAdmin(t *testing.T) {
	eachStore(t, testCategoryAdmin)
}

func testCategoryAdmin(t *testing.T, e *testEnv) {
	a := e.login("admin1")
	a.get("/categories/new").wantStatus(t, http.StatusOK).contains(t, `name="sla_urgent_resp"`, `name="q_code"`, e.dept.Name)

	form := url.Values{"code": {"Bad Code"}, "name": {"消防验收"}, "group": {"审批服务"}, "keywords": {"消防，验收"},
		"lead_dept_id": {strconv.FormatInt(e.dept.ID, 10)}, "default_priority": {"normal"}, "auto_close_days": {"7"},
		"q_code": {"area", "", ""}, "q_label": {"建筑面积", "", ""}, "q_type": {"number", "string", "string"}, "q_options": {"", "", ""},
		"q_required": {"0"}}
	for _, p := range zhagen.Priorities {
		form.Set("sla_"+string(p)+"_resp", "1")
		form.Set("sla_"+string(p)+"_resp_unit", "days")
		form.Set("sla_"+string(p)+"_res", "5")
		form.Set("sla_"+string(p)+"_res_unit", "days")
	}
	form.Set("sla_low_res", "五")
	res := a.post("/categories", form).wantStatus(t, http.StatusUnprocessableEntity)
	res.contains(t, "时限须为整数", attr("value", "Bad Code"), attr("value", "五"), attr("value", "建筑面积"))
	form.Set("sla_low_res", "10")
	res = a.post("/categories", form).wantStatus(t, http.StatusUnprocessableEntity)
	res.contains(t, "编码须以小写字母开头")

	// Three more blank question rows, without saving.
	more := a.post("/categories", url.Values{"add_rows": {"1"}, "code": {"x"}, "q_code": {"", "", ""}, "q_label": {"", "", ""},
		"q_type": {"string", "string", "string"}, "q_options": {"", "", ""}}).wantStatus(t, http.StatusOK)
	if n := strings.Count(more.body, `name="q_code"`); n != 6 {
		t.Errorf("%d question rows after adding, want 6", n)
	}

	form.Set("code", "fire.accept")
	form["q_code"] = []string{"area", "kind", ""}
	form["q_label"] = []string{"建筑面积", "验收类型", ""}
	form["q_type"] = []string{"number", "singlevaluelist", "string"}
	form["q_options"] = []string{"", "stage=分阶段验收\nfull=整体验收", ""}
	a.post("/categories", form).wantStatus(t, http.StatusSeeOther)
	c, err := e.cats.FindCategoryByCode(e.sys, "fire.accept")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Questions) != 2 || !c.Questions[0].Required || c.Questions[1].Required || len(c.Questions[1].Options) != 2 ||
		c.SLA[zhagen.PriorityLow].Resolution.Amount != 10 || c.LeadDeptID != e.dept.ID {
		t.Errorf("stored category: %+v", c)
	}
	a.get("/categories").wantStatus(t, http.StatusOK).contains(t, "fire.accept", "消防验收", "审批服务", e.dept.Name, "10个工作日")

	// A stale version shows the current one and keeps the typed values.
	edit := a.get(fmt.Sprintf("/categories/%d/edit", c.ID)).wantStatus(t, http.StatusOK)
	edit.contains(t, "stage=分阶段验收", attr("value", "fire.accept"))
	form.Set("version", strconv.FormatInt(c.Version, 10))
	form.Set("name", "消防验收（改）")
	a.post(fmt.Sprintf("/categories/%d", c.ID), form).wantStatus(t, http.StatusSeeOther)
	form.Set("name", "消防验收（旧版）")
	a.post(fmt.Sprintf("/categories/%d", c.ID), form).wantStatus(t, http.StatusConflict).
		contains(t, "已被他人修改", "消防验收（改）", attr("value", "消防验收（旧版）"))

	// Others may not administer the catalogue.
	e.login("disp1").get("/categories").wantStatus(t, http.StatusForbidden)
	e.login("staff1").post("/categories", form).wantStatus(t, http.StatusForbidden)
}

// TestDemandMenus checks the 诉求 group of each role's navigation.
func TestDemandMenus(t *testing.T) {
	eachStore(t, testDemandMenus)
}

func testDemandMenus(t *testing.T, e *testEnv) {
	for _, tc := range []struct {
		login      string
		has, lacks []string
	}{
		{"ent1", []string{"提交诉求", "我的诉求"}, []string{"调度台", "部门待办", "诉求类别"}},
		{"staff1", []string{"部门待办", "诉求查询"}, []string{"调度台", "提交诉求"}},
		{"disp1", []string{"调度台", "诉求查询", "代录诉求"}, []string{"部门待办", "诉求类别"}},
		{"cadre1", []string{"代企业提交", "我提交的"}, []string{"调度台", "诉求查询"}},
		{"leader1", []string{"诉求查询"}, []string{"代录诉求", "提交诉求"}},
		{"admin1", []string{"诉求查询", "诉求类别"}, nil},
		{"grad1", nil, []string{"诉求办理", "诉求查询"}},
	} {
		res := e.login(tc.login).get("/").wantStatus(t, http.StatusOK)
		nav := res.body[strings.Index(res.body, `<nav class="sidebar"`):strings.Index(res.body, `<main`)]
		for _, s := range tc.has {
			if !strings.Contains(nav, s) {
				t.Errorf("%s: menu lacks %q", tc.login, s)
			}
		}
		for _, s := range tc.lacks {
			if strings.Contains(nav, s) {
				t.Errorf("%s: menu has %q", tc.login, s)
			}
		}
	}
}
