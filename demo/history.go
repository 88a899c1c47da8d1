package demo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"zhagen"
	"zhagen/sla"
)

// The demo's year of history: about historyDemands demands filed over the
// twelve months before the load, across the 96 enterprises, with seasonal
// intake (fewer around the Spring Festival and National Day holidays,
// hardly any on days off) and timelines of working time: accepted within
// hours, a few accepted late, some returned and re-routed, extensions
// asked and mostly granted, some paused for documents, most resolved in
// time and a few late, ratings mostly 满意, some left unrated and closed
// by the system after the rating period, a few withdrawn, and the last
// weeks' demands still open where their history has brought them. Each
// demand and step goes through the history service, which files and
// plans them as the live service does (zhagen.HistoryService).
const (
	historySeed    = 20250923
	historyDemands = 2000
	historyDays    = 365
)

// monthWeight is the relative intake of each month (January first):
// the Spring Festival (February) and National Day (October) months are
// quiet, March and the months before the half-year and year ends busy.
var monthWeight = [12]float64{0.95, 0.55, 1.2, 1.05, 1.0, 1.15, 1.0, 0.9, 1.1, 0.7, 1.15, 1.1}

// categoryWeight is how often each catalogue code is asked for.
var categoryWeight = map[string]int{"policy": 20, "talent": 14, "power": 10, "financing": 11, "tech_innovation": 10, "water_gas": 6,
	"land_space": 6, "environment": 6, "safety": 5, "plan_change": 4, "fire_acceptance": 4, "other": 8}

// historyTitles are the titles a category's demands take, with %s the
// enterprise's short name where it reads naturally.
var historyTitles = map[string][]string{
	"power":           {"新增生产线需要增容用电", "厂区计划检修期间申请临时用电", "申请双回路供电保障", "夜间频繁跳闸影响生产", "变压器增容报装进度咨询"},
	"water_gas":       {"工业用水水压不足", "申请天然气管道接入", "蒸汽供应不稳定影响生产", "厂区供水管网改造协调"},
	"plan_change":     {"厂房层高调整需办理规划变更", "研发楼总平面调整咨询", "配套宿舍楼设计变更报批"},
	"fire_acceptance": {"新建厂房消防验收预约", "申请分阶段消防验收", "装修改造工程消防审查咨询"},
	"land_space":      {"扩产需要新增标准厂房", "申请租赁园区标准厂房", "研发中心用地指标咨询", "现有厂房租约到期续租协调"},
	"financing":       {"设备购置需要中长期贷款", "申请政策性担保贷款", "对接产业基金股权融资", "流动资金周转困难需银行对接"},
	"talent":          {"招聘集成电路工艺工程师", "需要对接高校实习生", "申请人才公寓", "高层次人才引进政策兑现", "技术工人招工难"},
	"policy":          {"研发费用补助申报咨询", "技改补助资金兑现进度", "稳岗补贴申领咨询", "惠企政策申报辅导", "专精特新申报条件咨询"},
	"environment":     {"环评审批进度咨询", "排污许可证变更", "危废处置单位对接", "扩建项目环保手续咨询"},
	"safety":          {"危化品仓库安全评估指导", "安全生产许可证延续", "隐患整改验收申请"},
	"tech_innovation": {"高新技术企业认定辅导", "发明专利快速预审", "省级科技项目申报辅导", "研发平台认定咨询"},
	"other":           {"园区道路照明不足", "厂区周边交通拥堵", "员工通勤公交线路调整", "园区网络信号差", "周边餐饮配套不足"},
}

// historyAnswers fills a category's required questions.
func historyAnswers(code string, r *rng) zhagen.Answers {
	num := func(lo, hi int) []string { return []string{fmt.Sprint(lo + r.intn(hi-lo+1))} }
	switch code {
	case "power":
		return zhagen.Answers{"load_kw": num(200, 6000), "supply_mode": {[]string{"single", "dual", "temporary"}[r.intn(3)]}}
	case "water_gas":
		return zhagen.Answers{"kind": {[]string{"water", "gas", "steam"}[r.intn(3)]}}
	case "plan_change":
		return zhagen.Answers{"project": {"厂区二期工程"}, "change": {"调整部分楼层层高及建筑面积"}}
	case "fire_acceptance":
		return zhagen.Answers{"area_m2": num(2000, 40000)}
	case "land_space":
		return zhagen.Answers{"area_m2": num(500, 20000)}
	case "financing":
		return zhagen.Answers{"amount": num(200, 5000)}
	case "talent":
		return zhagen.Answers{"majors": {[]string{"微电子", "生物制药", "机械设计", "软件工程", "材料科学"}[r.intn(5)]}, "headcount": num(2, 30)}
	}
	return nil
}

// historyWorld is what the plan of the history is drawn from.
type historyWorld struct {
	now        time.Time
	cal        *sla.Calendar
	dispatcher *zhagen.Actor
	system     *zhagen.Actor
	ents       []historyEnt
	cats       []historyCat
	staff      map[int64]*zhagen.Actor // by department: who handles its demands
	leads      []int64                 // departments the dispatcher routes to
}

type historyEnt struct {
	id      int64
	name    string
	isKey   bool
	contact *zhagen.Actor // rates, withdraws, files through the portal
	cadre   *zhagen.Actor // linked cadre, nil when none
	linked  time.Time     // since when
}

type historyCat struct {
	code      string
	cat       *zhagen.Category
	weight    int
	response  time.Duration // working time
	budget    time.Duration // working time of the resolution limit
	autoClose time.Duration
}

// history loads the year of history once: demands already imported (by
// key) are left alone.
func (l *loader) history(ctx context.Context) error {
	if l.s.History == nil || l.s.Categories == nil || l.s.Demands == nil {
		return nil
	}
	w, err := l.historyWorld(ctx)
	if err != nil {
		return err
	}
	plan := w.plan()
	res, err := l.s.History.ImportHistory(ctx, plan)
	if err != nil {
		return err
	}
	l.historyT = res
	return l.visitHistory(ctx, w, plan)
}

// historyWorld gathers the enterprises, categories and people.
func (l *loader) historyWorld(ctx context.Context) (*historyWorld, error) {
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		return nil, err
	}
	w := &historyWorld{now: l.clock.Now(), cal: cal, system: zhagen.SystemActor(), staff: map[int64]*zhagen.Actor{}}
	if l.s.Linkages != nil {
		// The store's day (its clock may differ from the loader's in tests).
		if today, err := l.storeToday(ctx); err == nil {
			w.now = today
		}
	}
	if _, w.dispatcher, err = l.actorFor(ctx, loginDispatcher); err != nil {
		return nil, err
	}
	cats, err := l.s.Categories.FindCategories(ctx, zhagen.CategoryFilter{})
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		wt, ok := categoryWeight[c.Code]
		if !ok {
			continue
		}
		rule := c.SLA[c.DefaultPriority]
		w.cats = append(w.cats, historyCat{code: c.Code, cat: c, weight: wt, response: cal.WorkingTime(rule.Response.Duration()),
			budget: cal.WorkingTime(rule.Resolution.Duration()), autoClose: time.Duration(max(c.AutoCloseDays, 1)) * 24 * time.Hour})
		if c.LeadDeptID != 0 && !slices.Contains(w.leads, c.LeadDeptID) {
			w.leads = append(w.leads, c.LeadDeptID)
		}
	}
	sort.Slice(w.cats, func(i, j int) bool { return w.cats[i].code < w.cats[j].code })
	slices.Sort(w.leads)
	for _, dept := range w.leads {
		a, err := l.deptHandler(ctx, dept)
		if err != nil {
			return nil, err
		}
		w.staff[dept] = a
	}
	ents, _, err := l.s.Enterprises.FindEnterprises(ctx, zhagen.EnterpriseFilter{Limit: 500})
	if err != nil {
		return nil, err
	}
	linked := map[int64]*zhagen.Linkage{}
	if l.s.Linkages != nil {
		yes := true
		links, _, err := l.s.Linkages.FindLinkages(ctx, zhagen.LinkageFilter{Active: &yes})
		if err != nil {
			return nil, err
		}
		for _, lk := range links {
			if linked[lk.EnterpriseID] == nil {
				linked[lk.EnterpriseID] = lk
			}
		}
	}
	users := map[int64]*zhagen.Actor{} // the enterprises with a login
	for _, login := range []string{loginEnterprise, loginEnterprise2} {
		if _, a, err := l.actorFor(ctx, login); err == nil {
			users[a.EnterpriseID] = a
		}
	}
	for _, e := range ents {
		he := historyEnt{id: e.ID, name: e.Name, isKey: e.IsKey, contact: users[e.ID]}
		if he.contact == nil {
			name := e.LegalRep
			if len(e.Contacts) > 0 {
				name = e.Contacts[0].Name
			}
			he.contact = &zhagen.Actor{Name: name, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: e.ID}
		}
		if lk := linked[e.ID]; lk != nil {
			if _, a, err := l.actorOf(ctx, &zhagen.User{ID: lk.CadreID, Name: lk.CadreName, Roles: []zhagen.Role{zhagen.RoleCadre}}); err == nil {
				he.cadre = a
				he.linked, _ = time.ParseInLocation("2006-01-02", lk.StartDate, zhagen.Shanghai)
			}
		}
		w.ents = append(w.ents, he)
	}
	sort.Slice(w.ents, func(i, j int) bool { return w.ents[i].id < w.ents[j].id })
	if len(w.ents) == 0 || len(w.cats) == 0 {
		return nil, fmt.Errorf("history: no enterprises or categories")
	}
	return w, nil
}

// deptHandler is who handles a department's demands in the history: its
// staff login when it has one, otherwise one of its cadres acting for
// the department's inbox.
func (l *loader) deptHandler(ctx context.Context, dept int64) (*zhagen.Actor, error) {
	users, _, err := l.s.Users.FindUsers(ctx, zhagen.UserFilter{DeptID: dept, Limit: 50})
	if err != nil {
		return nil, err
	}
	sort.Slice(users, func(i, j int) bool { return users[i].ID < users[j].ID })
	var pick *zhagen.User
	for _, u := range users {
		if slices.Contains(u.Roles, zhagen.RoleStaff) {
			pick = u
			break
		}
	}
	if pick == nil && len(users) > 0 {
		pick = users[0]
	}
	a := &zhagen.Actor{Name: "值班人员", DeptID: dept}
	if pick != nil {
		a.UserID, a.Login, a.Name = pick.ID, pick.Login, pick.Name
	}
	d, err := l.s.Departments.FindDepartmentByID(ctx, dept)
	if err != nil {
		return nil, err
	}
	a.DeptPath, a.DeptName = d.Path, d.Name
	a.Roles = []zhagen.Role{zhagen.RoleStaff}
	return a, nil
}

// plan draws the year: filing times by the season and the working
// calendar, then each demand's steps.
func (w *historyWorld) plan() []zhagen.HistoryDemand {
	r := &rng{s: historySeed}
	y, m, d := w.now.In(zhagen.Shanghai).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, zhagen.Shanghai)
	type day struct {
		start   time.Time
		working bool
		weight  float64
	}
	var days []day
	total := 0.0
	for i := historyDays; i >= 1; i-- {
		t := today.AddDate(0, 0, -i)
		working := w.cal.IsWorkday(sla.DateOf(t))
		wt := monthWeight[t.Month()-1]
		if !working {
			wt *= 0.07
		}
		days = append(days, day{t, working, wt})
		total += wt
	}
	entWeights := make([]int, len(w.ents))
	entTotal := 0
	for i, e := range w.ents {
		entWeights[i] = 2 + r.intn(4)
		if e.isKey {
			entWeights[i] += 4
		}
		entTotal += entWeights[i]
	}
	catTotal := 0
	for _, c := range w.cats {
		catTotal += c.weight
	}
	type filing struct {
		at  time.Time
		ent int
		cat int
	}
	var fs []filing
	for range historyDemands {
		x := float64(r.intn(1_000_000)) / 1_000_000 * total
		i := 0
		for ; i < len(days)-1 && x >= days[i].weight; i++ {
			x -= days[i].weight
		}
		dd := days[i]
		var clock time.Duration
		if dd.working {
			clock = 8*time.Hour + 30*time.Minute + time.Duration(r.intn(9*60))*time.Minute // mostly in office hours
		} else {
			clock = 9*time.Hour + time.Duration(r.intn(12*60))*time.Minute
		}
		e := pickWeighted(r, entWeights, entTotal)
		c := 0
		for x := r.intn(catTotal); x >= w.cats[c].weight; c++ {
			x -= w.cats[c].weight
		}
		fs = append(fs, filing{dd.start.Add(clock + time.Duration(r.intn(60))*time.Second), e, c})
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].at.Before(fs[j].at) })
	out := make([]zhagen.HistoryDemand, 0, len(fs))
	for i, f := range fs {
		out = append(out, w.demand(r, i+1, f.at, w.ents[f.ent], w.cats[f.cat]))
	}
	return out
}

func pickWeighted(r *rng, ws []int, total int) int {
	x := r.intn(total)
	i := 0
	for ; x >= ws[i]; i++ {
		x -= ws[i]
	}
	return i
}

// frac returns a random duration between lo and hi times d.
func frac(r *rng, d time.Duration, lo, hi float64) time.Duration {
	f := lo + (hi-lo)*float64(r.intn(10_000))/10_000
	return time.Duration(float64(d) * f).Round(time.Minute)
}

// demand draws one demand's filing and steps.
func (w *historyWorld) demand(r *rng, n int, at time.Time, e historyEnt, c historyCat) zhagen.HistoryDemand {
	titles := historyTitles[c.code]
	d := &zhagen.Demand{EnterpriseID: e.id, CategoryID: c.cat.ID, Title: titles[r.intn(len(titles))], Answers: historyAnswers(c.code, r)}
	// The wording is drawn from its own generator, so the steps below
	// draw as they did before the texts varied.
	d.Title, d.Description = historyText(&rng{s: historySeed ^ uint64(n)*0x9e3779b97f4a7c15}, c.code)
	h := zhagen.HistoryDemand{Key: fmt.Sprintf("history-%04d", n), At: at, Demand: d}
	switch x := r.intn(100); {
	case e.cadre != nil && at.After(e.linked) && x < 35:
		h.Filer, d.Channel = e.cadre, zhagen.ChannelVisit // raised on a visit
	case x < 70:
		h.Filer, d.Channel = e.contact, zhagen.ChannelPortal
	case x < 90:
		h.Filer, d.Channel = w.dispatcher, zhagen.ChannelHotline
	default:
		h.Filer, d.Channel = w.dispatcher, zhagen.ChannelDispatcher
	}
	work := func(a *zhagen.Actor, wait time.Duration, t zhagen.Transition) {
		h.Steps = append(h.Steps, zhagen.HistoryStep{Actor: a, Wait: wait, Working: true, Transition: t})
	}
	later := func(a *zhagen.Actor, wait time.Duration, t zhagen.Transition) {
		h.Steps = append(h.Steps, zhagen.HistoryStep{Actor: a, Wait: wait, Transition: t})
	}
	lead := c.cat.LeadDeptID
	if lead == 0 {
		lead = w.leads[r.intn(len(w.leads))]
		work(w.dispatcher, frac(r, time.Hour, 0.3, 3), zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: lead})
	}
	// A few are withdrawn by the enterprise before anyone takes them up.
	if h.Filer == e.contact && r.intn(100) < 3 {
		work(e.contact, frac(r, time.Hour, 0.5, 5), zhagen.Transition{Action: zhagen.ActWithdraw, Note: "问题已自行解决，撤回诉求"})
		w.followUp(r, &h, true, 1)
		return h
	}
	// Some go back to the dispatcher as not the department's, and are
	// routed to another department.
	if r.intn(100) < 5 && len(w.leads) > 1 {
		work(w.staff[lead], frac(r, c.response, 0.1, 0.6), zhagen.Transition{Action: zhagen.ActReturn, Note: "该事项不属于本部门职责范围，请指挥中心重新分派"})
		next := lead
		for next == lead {
			next = w.leads[r.intn(len(w.leads))]
		}
		lead = next
		work(w.dispatcher, frac(r, time.Hour, 0.5, 4), zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: lead, Note: "重新分派"})
	}
	staff := w.staff[lead]
	// Accepted within hours; a few late.
	accept := frac(r, c.response, 0.05, 0.7)
	if r.intn(100) < 7 {
		accept = frac(r, c.response, 1.1, 2.5)
	}
	work(staff, accept, zhagen.Transition{Action: zhagen.ActAccept})
	budget := c.budget
	used := time.Duration(0)
	if r.intn(100) < 60 {
		u := frac(r, budget, 0.1, 0.35)
		used += u
		work(staff, u, zhagen.Transition{Action: zhagen.ActUpdate, Note: "已与企业对接，正在协调办理"})
	}
	if r.intn(100) < 5 {
		work(staff, frac(r, budget, 0.05, 0.15), zhagen.Transition{Action: zhagen.ActPause, Note: "请企业补充相关材料"})
		work(e.contact, frac(r, budget, 0.1, 0.4), zhagen.Transition{Action: zhagen.ActResume, Supplement: "已补充材料"})
	}
	if r.intn(100) < 9 {
		days := 2 + r.intn(6)
		u := frac(r, budget, 0.2, 0.4)
		used += u
		work(staff, u, zhagen.Transition{Action: zhagen.ActExtend, Days: days, Note: "涉及多部门协调，申请延期"})
		approve := r.intn(100) < 85
		work(w.dispatcher, frac(r, time.Hour, 0.5, 5), zhagen.Transition{Action: zhagen.ActApproveExtension, Approve: &approve})
		if approve {
			budget += time.Duration(days) * w.cal.WorkingTime(sla.Duration{Amount: 1, Unit: sla.Days})
		}
	}
	// A few stay open, stuck past their limit.
	if r.intn(1000) < 6 {
		return h
	}
	resolve := frac(r, budget, 0.15, 0.9) - used
	if r.intn(100) < 7 {
		resolve = frac(r, budget, 1.05, 1.6) - used // late
	}
	work(staff, max(resolve, time.Hour), zhagen.Transition{Action: zhagen.ActResolve, Resolution: historyReplies[r.intn(len(historyReplies))]})
	w.rating(r, &h, e, c, staff, later, work, 0)
	return h
}

// rating draws the enterprise's rating of a resolved demand, or its
// silence and the system's close after the rating period; an unsatisfied
// rating reopens the demand, which is then resolved and rated again.
func (w *historyWorld) rating(r *rng, h *zhagen.HistoryDemand, e historyEnt, c historyCat, staff *zhagen.Actor,
	later, work func(*zhagen.Actor, time.Duration, zhagen.Transition), round int) {
	if r.intn(100) < 20 {
		later(w.system, c.autoClose+time.Duration(1+r.intn(59))*time.Minute, zhagen.Transition{Action: zhagen.ActClose})
		if w.followUp(r, h, false, round) {
			w.redo(r, h, e, c, staff, later, work, round)
		}
		return
	}
	yes, no := true, false
	x := r.intn(100)
	t := zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: &yes, Note: "办理及时，感谢"}
	switch {
	case x >= 96 && round == 0:
		t = zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingUnsatisfied, Solved: &no, Note: "问题没有实际解决"}
	case x >= 78:
		t = zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingBasically, Solved: &yes}
		if r.intn(100) < 15 {
			t.Solved = &no
		}
	}
	later(e.contact, frac(r, 24*time.Hour, 0.1, 4), t)
	if t.Rating == zhagen.RatingUnsatisfied {
		work(staff, frac(r, c.budget, 0.2, 0.7), zhagen.Transition{Action: zhagen.ActResolve, Resolution: "针对企业反映的问题重新协调，已现场办理完毕并书面答复企业。"})
		w.rating(r, h, e, c, staff, later, work, round+1)
		return
	}
	if w.followUp(r, h, false, round) {
		w.redo(r, h, e, c, staff, later, work, round)
	}
}

// redo is the work on a demand the follow-up found unsolved, which the
// follow-up reopened: resolved anew, then rated or closed again.
func (w *historyWorld) redo(r *rng, h *zhagen.HistoryDemand, e historyEnt, c historyCat, staff *zhagen.Actor,
	later, work func(*zhagen.Actor, time.Duration, zhagen.Transition), round int) {
	work(staff, frac(r, c.budget, 0.2, 0.7), zhagen.Transition{Action: zhagen.ActResolve, Resolution: "回访反映问题未彻底解决，已再次现场协调办理并书面答复企业。"})
	w.rating(r, h, e, c, staff, later, work, round+1)
}

// followUp draws the command centre's follow-up (回访) of a demand that
// has just ended: mostly by phone within the three working days, now and
// then late or on a visit; the enterprise nearly always confirms it
// solved, a few cannot be reached, and now and then (on a first round)
// the problem turns out unsolved, which reopens the demand: followUp
// then reports true. Those of the last days stay due.
func (w *historyWorld) followUp(r *rng, h *zhagen.HistoryDemand, withdrawal bool, round int) bool {
	day := 6*time.Hour + 30*time.Minute // the office hours of a working day
	wait := frac(r, day, 0.3, 2.6)
	if r.intn(100) < 8 {
		wait = frac(r, day, 3.3, 6) // late
	}
	rec := &zhagen.FollowUpRecord{Result: zhagen.FollowUpSolved, Method: zhagen.FollowUpPhone, Satisfaction: zhagen.RatingSatisfied}
	if r.intn(100) < 15 {
		rec.Method = zhagen.FollowUpVisit
	}
	switch x := r.intn(100); {
	case x < 7:
		rec.Result, rec.Satisfaction = zhagen.FollowUpUnreached, ""
	case x < 27:
		rec.Satisfaction = zhagen.RatingBasically
	case x < 31 && round == 0 && !withdrawal:
		rec.Result, rec.Satisfaction, rec.Note = zhagen.FollowUpUnsolved, zhagen.RatingUnsatisfied, "企业反映问题仍未彻底解决，需继续协调"
	}
	if withdrawal && rec.Result != zhagen.FollowUpUnreached {
		no := false
		rec.Pressed, rec.Note = &no, "企业确认系自行解决后主动撤回，未受任何要求"
	}
	h.Steps = append(h.Steps, zhagen.HistoryStep{Actor: w.dispatcher, Wait: wait, Working: true, FollowUp: rec})
	return rec.Result == zhagen.FollowUpUnsolved
}

// historyReplies are the written replies of resolved past demands: each
// meets the answer rule's minimum length.
var historyReplies = []string{
	"已协调办理完毕，并电话告知企业办理结果。",
	"经与相关部门会商，已按政策办理，书面答复已送达企业。",
	"已安排专人对接，现场核实后完成办理，企业表示认可。",
	"相关手续已办结，办理结果已通过平台和电话告知企业联系人。",
	"已协调供电、供水等单位现场踏勘，问题已于本周解决。",
}
