package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhagen"
)

// closedDemand files a demand as ent1, has staff1 resolve it from the
// reply template it creates (filled in the form's choice) and ent1 rate
// it: a follow-up is due. It returns the demand and the follow-up.
func (e *testEnv) closedDemand(t *testing.T) (int64, *zhagen.FollowUp) {
	t.Helper()
	cat := e.powerCategory(t, e.dept.ID)
	ent, staff := e.login("ent1"), e.login("staff1")
	form := url.Values{"category_id": {strconv.FormatInt(cat.ID, 10)}, "title": {"回访测试：双回路供电"},
		"description": {"明年投产，需要双回路电力保障"}, "answers.load_kw": {"8000"}}
	id := demandID(t, ent.post("/demands", form))
	staff.act(id, "accept").wantStatus(t, http.StatusSeeOther)
	staff.post("/reply-templates", url.Values{"title": {"供电答复"}, "body": {"{企业名称}：诉求{诉求编号}已协调供电公司办理完毕。"}}).
		wantStatus(t, http.StatusSeeOther)
	page := staff.get(fmt.Sprintf("/demands/%d", id)).wantStatus(t, http.StatusOK)
	filled := e.entA.Name + "：诉求#" + strconv.FormatInt(id, 10) + "已协调供电公司办理完毕。"
	page.contains(t, `class="reply-pick"`, `data-fill="a-resolve-resolution"`, attr("value", filled), "本类别办结答复不少于15个字。")
	// Too short: refused naming the field, the typed text kept.
	staff.act(id, "resolve", "resolution", "已办结").wantStatus(t, http.StatusUnprocessableEntity).
		contains(t, "办理结果（答复企业的内容）不少于15个字，当前3个字", ">已办结</textarea>")
	staff.act(id, "resolve", "resolution", filled).wantStatus(t, http.StatusSeeOther)
	ent.act(id, "rate", "rating", "satisfied", "solved", "1").wantStatus(t, http.StatusSeeOther)
	fs, _, err := e.h.cfg.FollowUps.FindFollowUps(e.sys, zhagen.FollowUpFilter{DemandID: id})
	if err != nil || len(fs) != 1 {
		t.Fatalf("follow-ups %v %v", fs, err)
	}
	return id, fs[0]
}

// TestFollowUpPages: the dispatcher's queue lists the follow-up with its
// light; a bad record comes back with what was typed; "not solved"
// reopens the demand; the result is shown and recorded once; staff of
// the lead department see it but may not record; the enterprise gets no
// queue.
func TestFollowUpPages(t *testing.T) {
	e := newTestEnv(t)
	id, fu := e.closedDemand(t)
	disp := e.login("disp1")
	disp.get("/").wantStatus(t, http.StatusOK).contains(t, "今日待回访", "全部待回访 1 件")
	disp.get("/follow-ups").wantStatus(t, http.StatusOK).contains(t, "回访测试：双回路供电", "评价后回访", `class="sla sla-ok"`, "回访期限 ")
	e.clock.T = fu.DueAt.Add(time.Minute)
	disp = e.login("disp1") // a new session, days later
	disp.get("/follow-ups?status=overdue").wantStatus(t, http.StatusOK).contains(t, "回访测试：双回路供电", `class="sla sla-red"`, "已超过回访期限")
	path := "/follow-ups/" + strconv.FormatInt(fu.ID, 10)
	disp.post(path, url.Values{"method": {"visit"}, "result": {"unsolved"}, "satisfaction": {"unsatisfied"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "回访未解决或企业被要求撤单时，请填写情况说明", `value="visit" checked`, `value="unsolved" checked`)
	e.login("staff1").get(path).wantStatus(t, http.StatusOK).lacks(t, "记录回访结果")
	e.login("staff1").post(path, url.Values{"method": {"phone"}, "result": {"solved"}, "satisfaction": {"satisfied"}}).wantStatus(t, http.StatusForbidden)
	e.login("ent1").get("/follow-ups").wantStatus(t, http.StatusForbidden)
	disp.post(path, url.Values{"method": {"visit"}, "result": {"unsolved"}, "satisfaction": {"unsatisfied"}, "note": {"企业反映仍经常停电"}}).
		wantStatus(t, http.StatusSeeOther)
	disp.get(path).wantStatus(t, http.StatusOK).contains(t, "回访结果已记录，诉求已重新办理", "未解决", "企业反映仍经常停电").lacks(t, "记录回访结果")
	d, err := e.demands.FindDemandByID(e.sys, id)
	if err != nil || d.Status != zhagen.DemandInProgress || d.Solved != nil {
		t.Fatalf("demand after the follow-up %+v %v", d, err)
	}
	disp.post(path, url.Values{"method": {"phone"}, "result": {"solved"}, "satisfaction": {"satisfied"}}).
		wantStatus(t, http.StatusConflict).contains(t, "不能重复记录")
	disp.get(fmt.Sprintf("/demands/%d", id)).contains(t, "回访后重新办理", "回访核实问题未解决")
	disp.get("/rates").contains(t, "回访核实率", "回访确认已解决 / 回访联系上企业的诉求")
}

// TestBrowserFollowUp: the dispatcher opens the follow-up from the
// workbench and records "confirmed solved" through the form in Chromium.
func TestBrowserFollowUp(t *testing.T) {
	chromiumPath(t)
	e := newTestEnv(t)
	_, fu := e.closedDemand(t)
	e.clock.T = fu.DueAt.Add(-time.Hour) // due today
	ctx := newBrowser(t)
	do := func(as ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, as...); err != nil {
			t.Fatal(err)
		}
	}
	do(chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "disp1"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(".login-card button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".home-followups .sla-yellow")),
		chromedp.Click(chromedp.CSS(".home-followups td.actions-col a")),
		chromedp.WaitVisible(chromedp.ID("fu-note")),
		chromedp.Click(chromedp.CSS(`input[name=result][value=solved]`)),
		chromedp.SetValue(chromedp.ID("fu-sat"), "satisfied"),
		chromedp.SendKeys(chromedp.ID("fu-note"), "企业确认双回路已投运"),
		chromedp.Click(chromedp.CSS(".form-actions button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")),
	)
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"回访结果已记录", "确认已解决", "企业确认双回路已投运", "电话回访"} {
		if !strings.Contains(got, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	f, err := e.h.cfg.FollowUps.FindFollowUpByID(e.sys, fu.ID)
	if err != nil || f.Result != zhagen.FollowUpSolved || f.Reopened {
		t.Fatalf("recorded %+v %v", f, err)
	}
}
