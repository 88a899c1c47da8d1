package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhagen"
)

// TestJobBoardIsPublic: without login the board lists approved positions
// only, filters by major, and a pending position is 404.
func TestJobBoardIsPublic(t *testing.T) {
	eachStore(t, testJobBoardIsPublic)
}

func testJobBoardIsPublic(t *testing.T, e *testEnv) {
	add := func(title, major string, approve bool) *zhagen.Position {
		p := &zhagen.Position{EnterpriseID: e.entA.ID, Kind: zhagen.PositionFullTime, Title: title, Majors: []string{major}, Number: 1, Place: "福州高新区", SalaryMin: 8000, SalaryMax: 12000}
		if err := e.talent.CreatePosition(e.sys, p); err != nil {
			t.Fatal(err)
		}
		if approve {
			if _, err := e.talent.ReviewPosition(e.sys, p.ID, 0, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	add("封装测试工程师", "微电子科学与工程", true)
	add("后端开发工程师", "软件工程", true)
	add("综合管理岗", "", true) // any major
	pending := add("待审岗位甲", "微电子科学与工程", false)

	c := e.client()
	c.get("/jobs").wantStatus(t, http.StatusOK).contains(t, "封装测试工程师", "后端开发工程师", "8000–12000元/月", e.entA.Name).lacks(t, "待审岗位甲")
	c.get("/jobs?major="+url.QueryEscape("软件工程")).wantStatus(t, http.StatusOK).contains(t, "后端开发工程师", "综合管理岗").lacks(t, "封装测试工程师")
	c.get("/jobs?q="+url.QueryEscape("封装")).wantStatus(t, http.StatusOK).contains(t, "封装测试工程师").lacks(t, "后端开发工程师")
	c.get(fmt.Sprintf("/jobs/%d", pending.ID)).wantStatus(t, http.StatusNotFound)
	c.get("/positions").wantStatus(t, http.StatusSeeOther) // the review list needs a login

	// The enterprise sees its pending position in its own list; a
	// dispatcher approves it and it appears on the board.
	e.login("ent1").get("/positions").wantStatus(t, http.StatusOK).contains(t, "待审岗位甲")
	e.login("ent2").get("/positions").wantStatus(t, http.StatusOK).lacks(t, "待审岗位甲")
	e.login("disp1").post(fmt.Sprintf("/positions/%d/review", pending.ID), url.Values{"decision": {"approve"}, "back": {"/positions"}}).wantStatus(t, http.StatusSeeOther)
	c.get("/jobs").contains(t, "待审岗位甲")
	// A second reviewer working from the stale list gets a conflict.
	e.login("disp1").post(fmt.Sprintf("/positions/%d/review", pending.ID), url.Values{"decision": {"reject"}, "note": {"x"}, "version": {fmt.Sprint(pending.Version)}}).wantStatus(t, http.StatusConflict)
	e.login("ent1").post(fmt.Sprintf("/positions/%d/review", pending.ID), url.Values{"decision": {"reject"}, "note": {"x"}}).wantStatus(t, http.StatusForbidden)
}

// TestGraduateRegistersAndEditsOwnRecord: registration validates the
// mobile number, creates a login, and the graduate edits only their own
// record.
func TestGraduateRegistersAndEditsOwnRecord(t *testing.T) {
	eachStore(t, testGraduateRegistersAndEditsOwnRecord)
}

func testGraduateRegistersAndEditsOwnRecord(t *testing.T, e *testEnv) {
	c := e.client()
	c.get("/register").wantStatus(t, http.StatusOK).contains(t, `name="consent"`)
	form := url.Values{"login": {"zhangsan"}, "password": {testPassword}, "password2": {testPassword}, "name": {"张三"},
		"university": {"福州大学"}, "major": {"微电子科学与工程"}, "degree": {"bachelor"}, "grad_year": {"2026"}, "skills": {"C语言、模拟电路"}, "phone": {"12345678901"}, "consent": {"1"}}
	c.post("/register", form).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "手机号须为11位", attr("value", "张三"))
	form.Set("phone", "13912345678")
	c.post("/register", form).wantStatus(t, http.StatusCreated).contains(t, "张三")
	// A taken login is answered as a free one (TestRegisterDoesNotRevealLogins).
	c.post("/register", form).wantStatus(t, http.StatusCreated).lacks(t, "已被使用")

	other := &zhagen.Graduate{Name: "李四", University: "闽江学院", Major: "软件工程", Degree: zhagen.DegreeBachelor, GradYear: 2026, Phone: "13800000002"}
	if err := e.talent.CreateGraduate(e.sys, other, "grad1"); err != nil {
		t.Fatal(err)
	}
	g := e.client()
	if res := g.post("/login", url.Values{"login": {"zhangsan"}, "password": {testPassword}}); res.status != http.StatusSeeOther {
		t.Fatalf("new graduate cannot log in: %d", res.status)
	}
	g.get("/graduates/me").wantStatus(t, http.StatusOK).contains(t, attr("value", "张三"), "C语言、模拟电路").lacks(t, "李四")
	g.get("/graduates").wantStatus(t, http.StatusSeeOther)
	me, _, err := e.talent.FindGraduates(e.sys, zhagen.GraduateFilter{Query: "张三"})
	if err != nil || len(me) != 1 {
		t.Fatalf("find: %v %v", me, err)
	}
	upd := url.Values{"version": {"1"}, "name": {"张三"}, "university": {"福州大学"}, "major": {"集成电路设计与集成系统"}, "degree": {"master"}, "grad_year": {"2027"}, "skills": {"Verilog"}, "phone": {"13912345678"}}
	g.post("/graduates/me", upd).wantStatus(t, http.StatusSeeOther)
	got, err := e.talent.FindGraduateByID(e.sys, me[0].ID)
	if err != nil || got.Major != "集成电路设计与集成系统" || got.Consent || got.Version != 2 {
		t.Fatalf("after edit: %+v %v", got, err)
	}
	if o, _ := e.talent.FindGraduateByID(e.sys, other.ID); o.Major != "软件工程" || o.Version != 1 {
		t.Fatalf("the other graduate changed: %+v", o)
	}
	// A stale version is refused with the form kept, saying why, and the
	// form now carries the current version.
	g.post("/graduates/me", upd).wantStatus(t, http.StatusConflict).contains(t, "记录已被他人修改", attr("value", "集成电路设计与集成系统"), `name="version" value="2"`)
}

// TestProgrammePages: a dispatcher runs the matching and sees the audit;
// an enterprise sees its own applicants and gets 404 for another's.
func TestProgrammePages(t *testing.T) {
	eachStore(t, testProgrammePages)
}

func testProgrammePages(t *testing.T, e *testEnv) {
	p := &zhagen.Programme{Name: "暑期实践", RegOpen: "2026-03-01", RegClose: "2026-03-31", MaxChoices: 2}
	if err := e.talent.CreateProgramme(e.sys, p); err != nil {
		t.Fatal(err)
	}
	var pps []*zhagen.ProgrammePosition
	for _, ent := range []*zhagen.Enterprise{e.entA, e.entB} {
		pp := &zhagen.ProgrammePosition{ProgrammeID: p.ID, EnterpriseID: ent.ID, Title: "实习生", Majors: []string{"软件工程"}, Capacity: 1}
		if err := e.talent.AddProgrammePosition(e.sys, pp); err != nil {
			t.Fatal(err)
		}
		pps = append(pps, pp)
	}
	g := &zhagen.Graduate{Name: "王五", University: "福州大学", Major: "软件工程", Degree: zhagen.DegreeBachelor, GradYear: 2026, Phone: "13800000003", Consent: true}
	if err := e.talent.CreateGraduate(e.sys, g, "grad1"); err != nil {
		t.Fatal(err)
	}
	// The graduate ranks entB first through the form (the window is open).
	gc := e.login("grad1")
	gc.get(fmt.Sprintf("/programmes/%d", p.ID)).wantStatus(t, http.StatusOK).contains(t, `name="choice1"`)
	gc.post(fmt.Sprintf("/programmes/%d/choices", p.ID), url.Values{"choice1": {fmt.Sprint(pps[1].ID)}, "choice2": {fmt.Sprint(pps[0].ID)}}).wantStatus(t, http.StatusSeeOther)
	gc.post(fmt.Sprintf("/programmes/%d/match", p.ID), nil).wantStatus(t, http.StatusForbidden)

	d := e.login("disp1")
	res := d.post(fmt.Sprintf("/programmes/%d/match", p.ID), nil).wantStatus(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != fmt.Sprintf("/programmes/%d/run", p.ID) {
		t.Fatalf("match redirects to %q", loc)
	}
	d.get(fmt.Sprintf("/programmes/%d/run", p.ID)).wantStatus(t, http.StatusOK).contains(t, "匹配稳定", "王五", e.entB.Name)
	d.post(fmt.Sprintf("/programmes/%d/publish", p.ID), nil).wantStatus(t, http.StatusSeeOther)
	gc.get(fmt.Sprintf("/programmes/%d", p.ID)).contains(t, "已匹配："+e.entB.Name)
	e.drain()
	if body := gc.get("/notifications").body; !strings.Contains(body, "暑期实践匹配结果") {
		t.Error("the graduate got no notification")
	}

	ent1 := e.login("ent1")
	ent1.get(fmt.Sprintf("/programme-positions/%d", pps[0].ID)).wantStatus(t, http.StatusOK).contains(t, "王五", "专业对口（软件工程）50")
	ent1.get(fmt.Sprintf("/programme-positions/%d", pps[1].ID)).wantStatus(t, http.StatusNotFound)
}

// TestTalentForms: a dispatcher creates a programme, adds a position and
// forms a service team through the forms; errors name the field.
func TestTalentForms(t *testing.T) {
	eachStore(t, testTalentForms)
}

func testTalentForms(t *testing.T, e *testEnv) {
	d := e.login("disp1")
	d.post("/programmes", url.Values{"name": {"秋季实践"}, "reg_open": {"2026-10-01"}, "reg_close": {"2026-09-01"}, "max_choices": {"3"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "报名截止日期不能早于开始日期", attr("value", "秋季实践"))
	res := d.post("/programmes", url.Values{"name": {"秋季实践"}, "reg_open": {"2026-09-01"}, "reg_close": {"2026-10-01"}, "max_choices": {"3"}}).wantStatus(t, http.StatusSeeOther)
	prog := res.header.Get("Location")
	d.post(prog+"/positions", url.Values{"enterprise_id": {fmt.Sprint(e.entA.ID)}, "title": {""}, "capacity": {"2"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写岗位名称")
	d.post(prog+"/positions", url.Values{"enterprise_id": {fmt.Sprint(e.entA.ID)}, "title": {"测试实习生"}, "capacity": {"2"}, "majors": {"软件工程、计算机科学与技术"}}).wantStatus(t, http.StatusSeeOther)
	d.get(prog).wantStatus(t, http.StatusOK).contains(t, "测试实习生", "软件工程、计算机科学与技术")
	e.login("ent1").post("/programmes", url.Values{"name": {"x"}}).wantStatus(t, http.StatusForbidden)

	d.post("/service-teams", url.Values{"name": {"第一服务队"}}).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请至少选择一名队员")
	cadres, _, err := e.users.FindUsers(e.sys, zhagen.UserFilter{Role: zhagen.RoleCadre})
	if err != nil || len(cadres) == 0 {
		t.Fatal(err)
	}
	id := fmt.Sprint(cadres[0].ID)
	res = d.post("/service-teams", url.Values{"name": {"第一服务队"}, "members": {id}, "leader": {id}}).wantStatus(t, http.StatusSeeOther)
	d.get(res.header.Get("Location")).wantStatus(t, http.StatusOK).contains(t, "干部乙", "队长", "talent.css")
	// The survey form styles its lines table with the talent stylesheet.
	ent := e.login("ent1")
	ent.get("/surveys/new").wantStatus(t, http.StatusOK).contains(t, "lines-table", "talent.css")
	// The enterprise's form starts from its stored survey and its version;
	// a save from a stale form is refused and says why.
	sv := url.Values{"period": {"2026"}, "major": {"软件工程"}, "line_degree": {""}, "count": {"3"}, "difficulty": {"2"}}
	ent.post("/surveys", sv).wantStatus(t, http.StatusSeeOther)
	ent.get("/surveys/new").wantStatus(t, http.StatusOK).contains(t, `name="version" value="1"`, `name="version_period" value="2026"`)
	sv.Set("version", "1")
	sv.Set("version_period", "2026")
	ent.post("/surveys", sv).wantStatus(t, http.StatusSeeOther)
	ent.post("/surveys", sv).wantStatus(t, http.StatusConflict).contains(t, "记录已被他人修改", `name="version" value="2"`)
	sv.Set("period", "2026H2") // another period: a new survey, the version does not apply
	ent.post("/surveys", sv).wantStatus(t, http.StatusSeeOther)
}

// TestWithdrawAndRerun: a manager withdraws a placed graduate from the run
// page; the next run gives the place to the other applicant.
func TestWithdrawAndRerun(t *testing.T) {
	eachStore(t, testWithdrawAndRerun)
}

func testWithdrawAndRerun(t *testing.T, e *testEnv) {
	p := &zhagen.Programme{Name: "实践", RegOpen: "2026-03-01", RegClose: "2026-03-31", MaxChoices: 1}
	if err := e.talent.CreateProgramme(e.sys, p); err != nil {
		t.Fatal(err)
	}
	pp := &zhagen.ProgrammePosition{ProgrammeID: p.ID, EnterpriseID: e.entA.ID, Title: "实习生", Capacity: 1}
	if err := e.talent.AddProgrammePosition(e.sys, pp); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, name := range []string{"先报名", "后报名"} {
		g := &zhagen.Graduate{Name: name, University: "福州大学", Major: "软件工程", Degree: zhagen.DegreeBachelor, GradYear: 2026, Phone: fmt.Sprintf("1380000000%d", i)}
		if err := e.talent.CreateGraduate(e.sys, g, fmt.Sprintf("s%d", i)); err != nil {
			t.Fatal(err)
		}
		if err := e.talent.SetChoices(e.sys, &zhagen.Application{ProgrammeID: p.ID, GraduateID: g.ID, PositionIDs: []int64{pp.ID}}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	d := e.login("disp1")
	run := fmt.Sprintf("/programmes/%d/run", p.ID)
	d.post(fmt.Sprintf("/programmes/%d/match", p.ID), nil).wantStatus(t, http.StatusSeeOther)
	body := d.get(run).wantStatus(t, http.StatusOK).body
	if i := strings.Index(body, "匹配结果</h2>"); i < 0 || !strings.Contains(body[i:], "先报名") || strings.Contains(body[i:], "后报名") {
		t.Fatalf("first run does not place the earlier registration")
	}
	d.post(fmt.Sprintf("/programmes/%d/withdraw", p.ID), url.Values{"graduate_id": {fmt.Sprint(ids[0])}, "back": {run}}).wantStatus(t, http.StatusSeeOther)
	d.post(fmt.Sprintf("/programmes/%d/match", p.ID), nil).wantStatus(t, http.StatusSeeOther)
	body = d.get(run).wantStatus(t, http.StatusOK).body
	i := strings.Index(body, "匹配结果</h2>")
	if i < 0 || !strings.Contains(body[i:], "后报名") || !strings.Contains(body[:i], "已退出项目") {
		t.Fatalf("re-run after the withdrawal:\n%s", body)
	}
}
