package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhagen"
)

// planningDept adds the natural resources and planning bureau with one
// staff user, plan1.
func (e *testEnv) planningDept(t *testing.T) *zhagen.Department {
	t.Helper()
	d := &zhagen.Department{Name: "自然资源和规划局", Kind: zhagen.DeptGov}
	if err := e.depts.CreateDepartment(e.sys, d); err != nil {
		t.Fatal(err)
	}
	u := &zhagen.User{Login: "plan1", Name: "规划局人员", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: d.ID, Password: testPassword}
	if err := e.users.CreateUser(e.sys, u); err != nil {
		t.Fatal(err)
	}
	return d
}

func locationID(t *testing.T, res response, prefix string) int64 {
	t.Helper()
	loc := res.header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "#", 2)[0], prefix), 10, 64)
	if res.status != http.StatusSeeOther || err != nil {
		t.Fatalf("status %d, location %q\n%.2000s", res.status, loc, res.body)
	}
	return id
}

// TestConsultationPages: the dispatcher calls a consultation and sets two
// action items; each owner department sees its own on the workbench and
// completes it; the minutes export is a Word document.
func TestConsultationPages(t *testing.T) {
	eachStore(t, testConsultationPages)
}

func testConsultationPages(t *testing.T, e *testEnv) {
	plan := e.planningDept(t)
	cadres, _, err0 := e.users.FindUsers(e.sys, zhagen.UserFilter{Query: "cadre1"})
	if err0 != nil || len(cadres) != 1 {
		t.Fatalf("cadre1: %v %v", cadres, err0)
	}
	cadre := cadres[0]
	disp := e.login("disp1")
	disp.get("/consultations/new").wantStatus(t, http.StatusOK).contains(t, "自然资源和规划局", `name="invite_dept_ids"`)
	// A missing topic is named next to the field; what was typed stays.
	disp.post("/consultations", url.Values{"kind": {"joint"}, "place": {"三楼会议室"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写会议议题", `value="三楼会议室"`)
	res := disp.post("/consultations", url.Values{"kind": {"joint"}, "title": {"D区3号楼层高变更联合会诊"}, "starts_at": {"2026-03-03T15:00"},
		"place": {"三楼会议室"}, "invite_dept_ids": {strconv.FormatInt(e.dept.ID, 10), strconv.FormatInt(plan.ID, 10)}, "invite_user_ids": {strconv.FormatInt(cadre.ID, 10)}})
	id := locationID(t, res, "/consultations/")
	path := "/consultations/" + strconv.FormatInt(id, 10)
	// Two editors: the second saves over a version the first has changed and
	// is told so, keeping what was typed.
	disp.post(path, url.Values{"version": {"1"}, "place": {"四楼会议室"}}).wantStatus(t, http.StatusSeeOther)
	disp.post(path, url.Values{"version": {"1"}, "place": {"五楼会议室"}}).wantStatus(t, http.StatusConflict).contains(t, "记录已被他人修改", `value="五楼会议室"`)
	disp.get("/consultations?upcoming=1").wantStatus(t, http.StatusOK).contains(t, "D区3号楼层高变更联合会诊")
	disp.get("/consultations?status=cancelled").wantStatus(t, http.StatusOK).lacks(t, "D区3号楼层高变更联合会诊")
	disp.post(path+"/items", url.Values{"title": {"指导施工"}, "due_days": {"3"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请选择责任部门", "指导施工")
	for _, it := range []struct {
		title string
		dept  int64
	}{{"审查总评变更", plan.ID}, {"指导层高变更施工", e.dept.ID}} {
		disp.post(path+"/items", url.Values{"title": {it.title}, "owner_dept_id": {strconv.FormatInt(it.dept, 10)}, "due_days": {"3"}}).
			wantStatus(t, http.StatusSeeOther)
	}
	disp.post(path, url.Values{"decisions": {"业主单位申请总评变更"}, "status": {"held"}}).wantStatus(t, http.StatusSeeOther)
	disp.get(path).wantStatus(t, http.StatusOK).contains(t, "审查总评变更", "指导层高变更施工", "业主单位申请总评变更", "已召开", "data-print")

	// The invited cadre answers the invitation.
	cad := e.login("cadre1")
	cad.get(path).wantStatus(t, http.StatusOK).contains(t, `value="yes"`)
	cad.post(path+"/attendance", url.Values{"attendance": {"yes"}}).wantStatus(t, http.StatusSeeOther)
	cad.get(path).contains(t, "确认参会")

	// Each owner sees exactly its own item on the workbench.
	planner := e.login("plan1")
	planner.get("/").wantStatus(t, http.StatusOK).contains(t, "我的会商事项", "审查总评变更").lacks(t, "指导层高变更施工")
	staff := e.login("staff1")
	staff.get("/").wantStatus(t, http.StatusOK).contains(t, "指导层高变更施工").lacks(t, "审查总评变更")
	items, _, err := e.cs.FindActionItems(zhagen.NewContextWithActor(t.Context(), zhagen.SystemActor()), zhagen.ActionItemFilter{ConsultationID: id})
	if err != nil || len(items) != 2 {
		t.Fatalf("items %v %v", items, err)
	}
	var mine int64
	for _, it := range items {
		if it.OwnerDeptID == e.dept.ID {
			mine = it.ID
		}
	}
	// The other department's item is not theirs to complete.
	staff.post(fmt.Sprintf("/action-items/%d/complete", items[0].ID+items[1].ID-mine), url.Values{"note": {"x"}}).wantStatus(t, http.StatusNotFound)
	staff.post(fmt.Sprintf("/action-items/%d/complete", mine), url.Values{"note": {""}, "back": {"/"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写办结说明")
	staff.post(fmt.Sprintf("/action-items/%d/complete", mine), url.Values{"note": {"已现场指导"}, "back": {"/"}}).wantStatus(t, http.StatusSeeOther)
	staff.get("/action-items?status=done").wantStatus(t, http.StatusOK).contains(t, "已现场指导")

	res = planner.get(path+"/minutes.docx").wantStatus(t, http.StatusOK)
	if ct := res.header.Get("Content-Type"); !strings.Contains(ct, "wordprocessingml") {
		t.Fatalf("content type %q", ct)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(res.body)), int64(len(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range zr.File {
		found = found || f.Name == "word/document.xml"
	}
	if !found {
		t.Fatal("no word/document.xml in the export")
	}
	// An enterprise user sees no consultation.
	e.login("ent2").get(path).wantStatus(t, http.StatusNotFound)
}

// TestDemandWaitsForActionItems: the demand page shows the consultation
// and its items; resolving with an open item is refused naming it; the
// dispatcher's override with a reason lets the lead resolve.
func TestDemandWaitsForActionItems(t *testing.T) {
	eachStore(t, testDemandWaitsForActionItems)
}

func testDemandWaitsForActionItems(t *testing.T, e *testEnv) {
	cat := e.powerCategory(t, e.dept.ID)
	ent := e.login("ent1")
	did := demandID(t, ent.post("/demands", url.Values{"category_id": {strconv.FormatInt(cat.ID, 10)}, "title": {"双回路供电"},
		"description": {"生产需要"}, "answers.load_kw": {"8000"}}))
	dpath := "/demands/" + strconv.FormatInt(did, 10)
	staff := e.login("staff1")
	staff.post(dpath+"/actions", url.Values{"action": {"accept"}}).wantStatus(t, http.StatusSeeOther)
	staff.post(dpath+"/actions", url.Values{"action": {"escalate"}, "consultation": {"供电方案一企一议"}}).wantStatus(t, http.StatusSeeOther)
	d, err := e.demands.FindDemandByID(zhagen.NewContextWithActor(t.Context(), zhagen.SystemActor()), did)
	if err != nil || d.ConsultationID == 0 {
		t.Fatalf("escalated %+v %v", d, err)
	}
	cpath := "/consultations/" + strconv.FormatInt(d.ConsultationID, 10)
	staff.post(cpath+"/items", url.Values{"title": {"编制第二回路接入方案"}, "owner_dept_id": {strconv.FormatInt(e.dept.ID, 10)}, "due_days": {"2"}}).
		wantStatus(t, http.StatusSeeOther)
	staff.get(dpath).wantStatus(t, http.StatusOK).contains(t, "供电方案一企一议", "编制第二回路接入方案")
	staff.post(dpath+"/actions", url.Values{"action": {"resolve"}, "resolution": {"已接通，已答复企业并告知办理依据"}}).
		wantStatus(t, http.StatusConflict).contains(t, "编制第二回路接入方案", "尚未完成")
	disp := e.login("disp1")
	disp.get(dpath).wantStatus(t, http.StatusOK).contains(t, `value="waive_items"`)
	disp.post(dpath+"/actions", url.Values{"action": {"waive_items"}}).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写准予先行办结的理由")
	disp.post(dpath+"/actions", url.Values{"action": {"waive_items"}, "note": {"企业急需先行答复"}}).wantStatus(t, http.StatusSeeOther)
	staff.post(dpath+"/actions", url.Values{"action": {"resolve"}, "resolution": {"已接通，已答复企业并告知办理依据"}}).wantStatus(t, http.StatusSeeOther)
	staff.get(dpath).contains(t, "企业急需先行答复", "已办结")
}

// TestProjectPages: the project page shows the timeline and approvals; a
// department decides its approval there; the overview has its charts;
// another enterprise cannot open the project.
func TestProjectPages(t *testing.T) {
	eachStore(t, testProjectPages)
}

func testProjectPages(t *testing.T, e *testEnv) {
	sys := zhagen.NewContextWithActor(t.Context(), zhagen.SystemActor())
	p := &zhagen.Project{Name: "甲芯二期厂房", Level: zhagen.LevelMunicipal, OwnerEnterpriseID: e.entA.ID, Industry: "集成电路", Area: "D区", Building: "3号楼",
		Status: zhagen.ProjectBuilding}
	if err := e.pj.CreateProject(sys, p); err != nil {
		t.Fatal(err)
	}
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, zhagen.Shanghai) }
	for _, m := range []*zhagen.Milestone{
		{ProjectID: p.ID, Phase: "主体", Name: "主体封顶", PlannedStart: day(1, 5), PlannedEnd: day(2, 20)},
		{ProjectID: p.ID, Phase: "装修", Name: "装修进场", PlannedStart: day(3, 1), PlannedEnd: day(5, 30)},
	} {
		if err := e.pj.SaveMilestone(sys, m); err != nil {
			t.Fatal(err)
		}
	}
	ent := e.login("ent1")
	path := "/projects/" + strconv.FormatInt(p.ID, 10)
	ent.get(path).wantStatus(t, http.StatusOK).contains(t, "甲芯二期厂房", "gantt-plan", "主体封顶", "滞后")
	ent.post(path+"/approvals", url.Values{"kind": {"staged_acceptance"}, "dept_id": {strconv.FormatInt(e.dept.ID, 10)}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "分阶段验收请填写验收部位")
	ent.post(path+"/approvals", url.Values{"kind": {"staged_acceptance"}, "part": {"第一阶段：主体部分"}, "dept_id": {strconv.FormatInt(e.dept.ID, 10)}}).
		wantStatus(t, http.StatusSeeOther)
	e.login("ent2").get(path).wantStatus(t, http.StatusNotFound)
	staff := e.login("staff1")
	staff.get("/approvals?waiting=1").wantStatus(t, http.StatusOK).contains(t, "第一阶段：主体部分", `value="approve"`)
	xs, _, err := e.pj.FindApprovals(sys, zhagen.ApprovalFilter{ProjectID: p.ID})
	if err != nil || len(xs) != 1 {
		t.Fatalf("approvals %v %v", xs, err)
	}
	// The dispatcher sees the approval and urges it, but is offered no
	// decision, and one posted anyway is refused.
	step := fmt.Sprintf("/approvals/%d/steps", xs[0].ID)
	disp := e.login("disp1")
	page := disp.get("/approvals?waiting=1").wantStatus(t, http.StatusOK).contains(t, "第一阶段：主体部分", fmt.Sprintf(`action="/approvals/%d/urge"`, xs[0].ID))
	if strings.Contains(page.body, `value="approve"`) {
		t.Fatal("the dispatcher is offered a decision")
	}
	disp.post(step, url.Values{"action": {"approve"}, "opinion": {"同意"}, "doc_no": {"x1"}}).wantStatus(t, http.StatusForbidden)
	disp.post(fmt.Sprintf("/approvals/%d/urge", xs[0].ID), url.Values{"back": {"/approvals?waiting=1"}}).wantStatus(t, http.StatusSeeOther)
	disp.get("/projects/overview").wantStatus(t, http.StatusOK).contains(t, fmt.Sprintf(`action="/approvals/%d/urge"`, xs[0].ID))
	// The department's decision asks for confirmation, an opinion and a
	// document number.
	staff.get("/approvals?waiting=1").contains(t, `data-confirm="确认通过该审批？`, `name="opinion"`, `name="doc_no"`)
	staff.post(step, url.Values{"action": {"approve"}, "back": {"/approvals"}}).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写审批意见", "审批通过须填写批复文号")
	staff.post(step, url.Values{"action": {"approve"}, "opinion": {"主体部分验收合格"}, "back": {"/approvals"}}).wantStatus(t, http.StatusUnprocessableEntity).
		contains(t, "审批通过须填写批复文号", "主体部分验收合格")
	staff.post(step, url.Values{"action": {"approve"}, "opinion": {"主体部分验收合格"}, "doc_no": {"榕高建消验字〔2026〕第0031号"}, "back": {"/approvals"}}).wantStatus(t, http.StatusSeeOther)
	ent.get(path).contains(t, "已通过", "主体部分验收合格", "榕高建消验字〔2026〕第0031号")
	// The dispatcher registers a project through the form and edits it.
	disp.get("/projects/new").wantStatus(t, http.StatusOK).contains(t, `name="owner_enterprise_id"`, e.entA.Name)
	disp.post("/projects", url.Values{"name": {"闽都创新实验室"}, "level": {"provincial"}, "owner_kind": {"dept"}, "investment": {"abc"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "总投资须为数字", attr("value", "闽都创新实验室"))
	disp.post("/projects", url.Values{"name": {"闽都创新实验室"}, "level": {"provincial"}, "owner_kind": {"dept"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请选择业主单位")
	res := disp.post("/projects", url.Values{"name": {"闽都创新实验室"}, "level": {"provincial"}, "owner_kind": {"dept"},
		"owner_dept_id": {strconv.FormatInt(e.dept.ID, 10)}, "investment": {"186000"}, "area": {"D区"}, "status": {"nearly_done"}})
	np := locationID(t, res, "/projects/")
	disp.post(fmt.Sprintf("/projects/%d/edit", np), url.Values{"name": {"闽都创新实验室"}, "level": {"provincial"}, "owner_kind": {"dept"},
		"owner_dept_id": {strconv.FormatInt(e.dept.ID, 10)}, "investment": {"186000"}, "status": {"fit_out"}, "version": {"1"}}).wantStatus(t, http.StatusSeeOther)
	disp.get(fmt.Sprintf("/projects/%d", np)).contains(t, "装修", "186000")
	disp.post(fmt.Sprintf("/projects/%d/edit", np), url.Values{"name": {"闽都创新实验室（旧稿）"}, "level": {"provincial"}, "owner_kind": {"dept"},
		"owner_dept_id": {strconv.FormatInt(e.dept.ID, 10)}, "status": {"completed"}, "version": {"1"}}).
		wantStatus(t, http.StatusConflict).contains(t, "记录已被他人修改", "闽都创新实验室（旧稿）")
	disp.post(fmt.Sprintf("/projects/%d/status", np), url.Values{"status": {"completed"}, "version": {"1"}}).
		wantStatus(t, http.StatusConflict).contains(t, "记录已被他人修改")
	staff.get("/projects/new").wantStatus(t, http.StatusForbidden)
	list := disp.get("/projects?sort=-investment").wantStatus(t, http.StatusOK).contains(t, `aria-sort="descending"`)
	if strings.Index(list.body, "闽都创新实验室") > strings.Index(list.body, "甲芯二期厂房") {
		t.Error("projects not sorted by investment, largest first")
	}
	e.login("leader1").get("/projects/overview").wantStatus(t, http.StatusOK).contains(t, "data-chart", "主体封顶", "echarts.min", `href="/projects?behind=1"`)
	disp.get("/projects?behind=1").wantStatus(t, http.StatusOK).contains(t, "甲芯二期厂房").lacks(t, "闽都创新实验室")
	staff.get("/projects/overview").wantStatus(t, http.StatusForbidden)
}

// TestProjectProblemConfirmed: a resolved problem of a key project owned
// by a department has no enterprise to rate it; the dispatcher is
// offered to close it saying whether it is solved, must say so, and the
// demand records it (it counts in the resolution rate).
func TestProjectProblemConfirmed(t *testing.T) {
	eachStore(t, testProjectProblemConfirmed)
}

func testProjectProblemConfirmed(t *testing.T, e *testEnv) {
	cat := &zhagen.Category{Code: "building", Name: "工程建设", LeadDeptID: e.dept.ID, DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA()}
	p := &zhagen.Project{Name: "标准厂房三期", Level: zhagen.LevelDistrict, OwnerDeptID: e.dept.ID, Status: zhagen.ProjectBuilding}
	if err := e.cats.CreateCategory(e.sys, cat); err != nil {
		t.Fatal(err)
	}
	if err := e.pj.CreateProject(e.sys, p); err != nil {
		t.Fatal(err)
	}
	disp, staff := e.login("disp1"), e.login("staff1")
	res := disp.post(fmt.Sprintf("/projects/%d/problems", p.ID), url.Values{"title": {"临时用水接驳"}, "description": {"施工用水需接驳"}, "category_id": {strconv.FormatInt(cat.ID, 10)}})
	id := locationID(t, res, "/demands/")
	dpath := fmt.Sprintf("/demands/%d", id)
	staff.post(dpath+"/actions", url.Values{"action": {"accept"}}).wantStatus(t, http.StatusSeeOther)
	staff.post(dpath+"/actions", url.Values{"action": {"resolve"}, "resolution": {"已接驳，已答复企业并告知办理依据"}}).wantStatus(t, http.StatusSeeOther)
	disp.get(dpath).wantStatus(t, http.StatusOK).contains(t, `value="close"`, `name="solved"`)
	disp.post(dpath+"/actions", url.Values{"action": {"close"}}).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请确认问题是否已解决")
	disp.post(dpath+"/actions", url.Values{"action": {"close"}, "solved": {"1"}, "note": {"业主单位确认已接驳"}}).wantStatus(t, http.StatusSeeOther)
	d, err := e.demands.FindDemandByID(e.sys, id)
	if err != nil || d.Status != zhagen.DemandClosed || d.Solved == nil || !*d.Solved {
		t.Fatalf("closed demand %+v %v", d, err)
	}
}
