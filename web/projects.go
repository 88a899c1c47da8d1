package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"zhagen"
	"zhagen/sheet"
)

// progressPanel: whether the caller reports p's progress — its stage,
// milestones and approvals (the panel holds the three forms).
func progressPanel(a *zhagen.Actor, p *zhagen.Project) bool {
	f := zhagen.ProjectFacts(p, nil)
	return zhagen.Can(a, zhagen.PermProjectStatus, f) || zhagen.Can(a, zhagen.PermMilestoneSave, f) || zhagen.Can(a, zhagen.PermApprovalFile, f)
}

var projectTones = map[zhagen.ProjectStatus]string{zhagen.ProjectPrep: "grey", zhagen.ProjectBuilding: "blue", zhagen.ProjectNearlyDone: "purple",
	zhagen.ProjectFitOut: "orange", zhagen.ProjectCompleted: "green", zhagen.ProjectInOperation: "green"}

var approvalTones = map[zhagen.ApprovalStatus]string{zhagen.ApprovalSubmitted: "orange", zhagen.ApprovalAccepted: "blue",
	zhagen.ApprovalApproved: "green", zhagen.ApprovalRejected: "red", zhagen.ApprovalWithdrawn: "grey"}

// projectRow is a project in the list.
type projectRow struct {
	*zhagen.Project
	Tone string
}

type projectListData struct {
	Rows      []projectRow
	Q         string
	Level     string
	Status    string
	Levels    []zhagen.ProjectLevel
	Statuses  []zhagen.ProjectStatus
	Overview  bool
	CanCreate bool
	Behind    bool // only projects with milestones behind plan
	Cols      map[string]sortCol
	Pager     pager
}

func (h *Handler) projectList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermProjectView) {
		h.forbidden(w, r, zhagen.PermProjectView)
		return
	}
	q := r.URL.Query()
	d := projectListData{Q: strings.TrimSpace(q.Get("q")), Level: q.Get("level"), Status: q.Get("status"), Behind: q.Get("behind") == "1", Levels: zhagen.ProjectLevels,
		Statuses: zhagen.ProjectStatuses, Overview: zhagen.CanAny(a, zhagen.PermProjectOverview), CanCreate: zhagen.CanAny(a, zhagen.PermProjectCreate)}
	pg := pageParam(r)
	f := zhagen.ProjectFilter{Query: d.Q, Behind: d.Behind, Limit: perPage, Offset: offset(pg)}
	if zhagen.ProjectLevel(d.Level).Label() != "" {
		f.Level = zhagen.ProjectLevel(d.Level)
	}
	if zhagen.ProjectStatus(d.Status).Label() != "" {
		f.Status = zhagen.ProjectStatus(d.Status)
	}
	f.Sort = validSort(q.Get("sort"), zhagen.ProjectSorts)
	rows, total, err := h.cfg.Projects.FindProjects(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, p := range rows {
		d.Rows = append(d.Rows, projectRow{Project: p, Tone: projectTones[p.Status]})
	}
	d.Pager = newPager(r.URL, total, pg)
	d.Cols = map[string]sortCol{}
	for key, label := range map[string]string{"name": "pj.f.name", "level": "pj.f.level", "status": "pj.f.status", "investment": "pj.f.investment"} {
		d.Cols[key] = sortHeader(r.URL, f.Sort, key, h.tr(r, label))
	}
	p := &page{Title: h.tr(r, "nav.projects"), Nav: "projects", Data: d}
	if partialRequest(r, "pj-results") {
		h.renderPartial(w, r, "project_list", "pj_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "project_list", p)
}

// ganttRow is one milestone on the timeline: bars as percentages of the
// chart's span.
type ganttRow struct {
	*zhagen.Milestone
	PlanStyle, ActStyle template.CSS
	HasActual           bool
	Planned, Actual     string
	Late                bool // finished or still running after the planned end
}

// gantt lays out the milestones between the earliest start and the
// latest end (or today), with month ticks.
type gantt struct {
	Rows       []ganttRow
	Ticks      []ganttTick
	TodayStyle template.CSS
	ShowToday  bool
}

type ganttTick struct {
	Label string
	Style template.CSS
}

// newGantt lays out ms; lang picks the month names of the ticks.
func newGantt(ms []*zhagen.Milestone, now time.Time, lang string) gantt {
	var g gantt
	if len(ms) == 0 {
		return g
	}
	lo, hi := ms[0].PlannedStart, ms[0].PlannedEnd
	for _, m := range ms {
		for _, t := range []*time.Time{&m.PlannedStart, &m.PlannedEnd, m.ActualStart, m.ActualEnd} {
			if t == nil {
				continue
			}
			if t.Before(lo) {
				lo = *t
			}
			if t.After(hi) {
				hi = *t
			}
		}
	}
	if now.After(lo) && now.Before(hi.AddDate(0, 3, 0)) && now.After(hi) {
		hi = now
	}
	lo = time.Date(lo.In(zhagen.Shanghai).Year(), lo.In(zhagen.Shanghai).Month(), 1, 0, 0, 0, 0, zhagen.Shanghai)
	hi = time.Date(hi.In(zhagen.Shanghai).Year(), hi.In(zhagen.Shanghai).Month()+1, 1, 0, 0, 0, 0, zhagen.Shanghai)
	span := hi.Sub(lo).Hours()
	pct := func(t time.Time) float64 { return max(0, min(100, t.Sub(lo).Hours()/span*100)) }
	bar := func(a, b time.Time) template.CSS {
		l, rgt := pct(a), pct(b.Add(24*time.Hour))
		return template.CSS(fmt.Sprintf("left:%.2f%%;width:%.2f%%", l, max(rgt-l, 0.8)))
	}
	months := (hi.Year()-lo.Year())*12 + int(hi.Month()-lo.Month())
	step := 1
	for _, st := range []int{1, 2, 3, 6, 12} {
		if step = st; months/st <= 8 {
			break
		}
	}
	for m, i := lo, 0; m.Before(hi); m, i = m.AddDate(0, step, 0), i+1 {
		short, long := "1月", "2006.1"
		if lang == langEN {
			short, long = "Jan", "Jan 2006"
		}
		label := m.Format(short)
		if step >= 6 || m.Month() <= time.Month(step) || i == 0 {
			label = m.Format(long)
		}
		g.Ticks = append(g.Ticks, ganttTick{Label: label, Style: template.CSS(fmt.Sprintf("left:%.2f%%", pct(m)))})
	}
	if !now.Before(lo) && now.Before(hi) {
		g.ShowToday, g.TodayStyle = true, template.CSS(fmt.Sprintf("left:%.2f%%", pct(now)))
	}
	for _, m := range ms {
		row := ganttRow{Milestone: m, PlanStyle: bar(m.PlannedStart, m.PlannedEnd), Planned: day(m.PlannedStart) + " ~ " + day(m.PlannedEnd)}
		if m.ActualStart != nil {
			end := now
			if m.ActualEnd != nil {
				end = *m.ActualEnd
			}
			row.HasActual, row.ActStyle = true, bar(*m.ActualStart, end)
			row.Actual = day(*m.ActualStart) + " ~ " + dayp(m.ActualEnd)
			row.Late = end.After(m.PlannedEnd.Add(24 * time.Hour))
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// approvalRow is an approval in tables, with the steps the user may take.
type approvalRow struct {
	*zhagen.Approval
	Tone      string
	Submitted string
	Accepted  string
	Decided   string
	Form      string // the name of its step forms, for errors shown again
	CanAccept bool
	CanDecide bool
	CanUrge   bool
	CanRaise  bool // may raise a supervision order (督办单) on it
}

func approvalRows(a *zhagen.Actor, xs []*zhagen.Approval) []approvalRow {
	out := make([]approvalRow, len(xs))
	for i, x := range xs {
		// Only the approving department matters for accepting and
		// deciding, and urging is the command centre's on any approval.
		f := zhagen.ApprovalFacts(x, &zhagen.Project{})
		waiting := x.Status.Waiting()
		out[i] = approvalRow{Approval: x, Tone: approvalTones[x.Status], Submitted: day(x.SubmittedAt), Accepted: dayp(x.AcceptedAt), Decided: dayp(x.DecidedAt),
			Form:      approvalForm(x.ID),
			CanAccept: waiting && x.Status == zhagen.ApprovalSubmitted && zhagen.Can(a, zhagen.PermApprovalAccept, f),
			CanDecide: waiting && zhagen.Can(a, zhagen.PermApprovalDecide, f),
			CanUrge:   waiting && zhagen.Can(a, zhagen.PermApprovalUrge, f),
			CanRaise:  waiting && zhagen.CanAny(a, zhagen.PermSupervisionRaise)}
	}
	return out
}

// approvalForm names the step forms of approval id on a page.
func approvalForm(id int64) string { return "ap" + strconv.FormatInt(id, 10) }

// projectShowData is the project page.
type projectShowData struct {
	P           *zhagen.Project
	Tone        string
	Gantt       gantt
	Approvals   []approvalRow
	Consults    []*zhagen.Consultation
	Demands     []demandRow
	CanProgress bool
	CanRaise    bool
	CanConvene  bool
	CanEdit     bool
	Milestones  []*zhagen.Milestone
	Categories  []*zhagen.Category
	Depts       []*zhagen.Department
	Kinds       []zhagen.ApprovalKind
	Statuses    []zhagen.ProjectStatus
	reshown
}

func (h *Handler) projectShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderProject(w, r, http.StatusOK, id, &projectShowData{})
}

func (h *Handler) renderProject(w http.ResponseWriter, r *http.Request, status int, id int64, d *projectShowData) {
	a := actor(r)
	p, err := h.cfg.Projects.FindProjectByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.P, d.Tone, d.CanProgress = p, projectTones[p.Status], progressPanel(a, p)
	d.CanRaise = zhagen.CanAny(a, zhagen.PermDemandCreate) && zhagen.Can(a, zhagen.PermProjectRaise, zhagen.ProjectFacts(p, nil))
	d.CanConvene, d.CanEdit = zhagen.CanAny(a, zhagen.PermConsultationCreate), zhagen.Can(a, zhagen.PermProjectEdit, zhagen.ProjectFacts(p, nil))
	if d.Milestones, err = h.cfg.Projects.FindMilestones(ctx(r), id); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Gantt = newGantt(d.Milestones, h.clock.Now(), langOf(r))
	approvals, _, err := h.cfg.Projects.FindApprovals(ctx(r), zhagen.ApprovalFilter{ProjectID: id, Limit: 200})
	if err != nil && zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
		h.fail(w, r, err)
		return
	}
	d.Approvals = approvalRows(a, approvals)
	if zhagen.CanAny(a, zhagen.PermConsultationView) {
		if d.Consults, _, err = h.cfg.Consultations.FindConsultations(ctx(r), zhagen.ConsultationFilter{ProjectID: id, Limit: 50}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if zhagen.CanAny(a, zhagen.PermDemandView) {
		demands, _, err := h.cfg.Demands.FindDemands(ctx(r), zhagen.DemandFilter{ProjectID: id, Limit: 50})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Demands = h.rows(r, demands)
	}
	if d.CanProgress {
		if d.Depts, err = h.deptTree(r); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if d.CanRaise {
		if d.Categories, err = h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	d.Kinds, d.Statuses = zhagen.ApprovalKinds, zhagen.ProjectStatuses
	h.render(w, r, status, "project_show", &page{Title: p.Name, Nav: "projects", Data: d,
		Crumbs: []crumb{{Label: h.tr(r, "nav.projects"), Href: "/projects"}, {Label: p.Name}}})
}

// projectFailure renders the project again with a refused form's errors.
func (h *Handler) projectFailure(w http.ResponseWriter, r *http.Request, id int64, form string, err error) {
	d := &projectShowData{reshown: reshown{Open: form, Form: r.PostForm}}
	status, ok := d.refuse(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if d.Error == "" && len(d.Errors) > 0 {
		d.Error = h.tr(r, "form.fix", len(d.Errors))
	}
	h.renderProject(w, r, status, id, d)
}

func projectPath(id int64) string { return "/projects/" + strconv.FormatInt(id, 10) }

func (h *Handler) projectStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	p, err := h.cfg.Projects.FindProjectByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Status = zhagen.ProjectStatus(r.PostForm.Get("status"))
	p.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err := h.cfg.Projects.UpdateProject(ctx(r), p); err != nil {
		h.projectFailure(w, r, id, "status", err)
		return
	}
	h.redirectFlash(w, r, projectPath(id), "pj.flash.saved")
}

func (h *Handler) projectMilestone(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	f := r.PostForm
	m := &zhagen.Milestone{ProjectID: id, Phase: f.Get("phase"), Name: f.Get("name")}
	m.ID, _ = strconv.ParseInt(f.Get("milestone_id"), 10, 64)
	m.Progress, _ = strconv.Atoi(strings.TrimSpace(f.Get("progress")))
	fields := map[string]string{}
	for name, dst := range map[string]**time.Time{"actual_start": &m.ActualStart, "actual_end": &m.ActualEnd} {
		t, ok := parseLocal(f.Get(name))
		if !ok {
			fields[name] = h.tr(r, "pj.err.date")
		}
		*dst = t
	}
	for name, dst := range map[string]*time.Time{"planned_start": &m.PlannedStart, "planned_end": &m.PlannedEnd} {
		t, ok := parseLocal(f.Get(name))
		if !ok {
			fields[name] = h.tr(r, "pj.err.date")
		} else if t != nil {
			*dst = *t
		}
	}
	if m.ID != 0 {
		// An update keeps what the form leaves empty.
		for _, cur := range mustMilestones(h, r, id) {
			if cur.ID == m.ID {
				if m.Name == "" {
					m.Name = cur.Name
				}
				if m.Phase == "" {
					m.Phase = cur.Phase
				}
				if m.PlannedStart.IsZero() {
					m.PlannedStart = cur.PlannedStart
				}
				if m.PlannedEnd.IsZero() {
					m.PlannedEnd = cur.PlannedEnd
				}
				if m.ActualStart == nil {
					m.ActualStart = cur.ActualStart
				}
				if m.ActualEnd == nil {
					m.ActualEnd = cur.ActualEnd
				}
				if strings.TrimSpace(f.Get("progress")) == "" {
					m.Progress = cur.Progress
				}
			}
		}
	}
	var err error
	if len(fields) > 0 {
		err = fieldErr(fields)
	} else {
		err = h.cfg.Projects.SaveMilestone(ctx(r), m)
	}
	if err != nil {
		h.projectFailure(w, r, id, "milestone", err)
		return
	}
	h.redirectFlash(w, r, projectPath(id)+"#timeline", "pj.flash.milestone")
}

func mustMilestones(h *Handler, r *http.Request, id int64) []*zhagen.Milestone {
	ms, _ := h.cfg.Projects.FindMilestones(ctx(r), id)
	return ms
}

func fieldErr(fields map[string]string) error {
	var v zhagen.Validation
	for f, m := range fields {
		v.Add(f, m)
	}
	return v.Err()
}

func (h *Handler) projectApproval(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	f := r.PostForm
	x := &zhagen.Approval{ProjectID: id, Kind: zhagen.ApprovalKind(f.Get("kind")), Part: f.Get("part"), Note: f.Get("note")}
	x.DeptID, _ = strconv.ParseInt(f.Get("dept_id"), 10, 64)
	if err := h.cfg.Projects.FileApproval(ctx(r), x); err != nil {
		h.projectFailure(w, r, id, "approval", err)
		return
	}
	h.redirectFlash(w, r, projectPath(id)+"#approvals", "pj.flash.approval")
}

// projectProblem raises a problem of the project as a demand (channel
// "project") and opens it.
func (h *Handler) projectProblem(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	f := r.PostForm
	d := &zhagen.Demand{ProjectID: id, Title: f.Get("title"), Description: f.Get("description")}
	d.CategoryID, _ = strconv.ParseInt(f.Get("category_id"), 10, 64)
	if err := h.cfg.Demands.CreateDemand(ctx(r), d, ""); err != nil {
		h.projectFailure(w, r, id, "problem", err)
		return
	}
	h.redirectFlash(w, r, demandPath(d.ID), "pj.flash.problem")
}

// approvalListData is the approvals page: a department's approvals, or
// for the dispatcher and leaders every waiting approval.
type approvalListData struct {
	reshown
	Rows    []approvalRow
	Waiting bool
	Dept    int64
	Depts   []*zhagen.Department
	Gov     bool
	Pager   pager
}

func (h *Handler) approvalList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermApprovalView) {
		h.forbidden(w, r, zhagen.PermApprovalView)
		return
	}
	q := r.URL.Query()
	d := approvalListData{Waiting: q.Get("waiting") == "1", Gov: grantsEvery(a, zhagen.PermApprovalView)}
	d.Dept, _ = strconv.ParseInt(q.Get("dept_id"), 10, 64)
	pg := pageParam(r)
	f := zhagen.ApprovalFilter{DeptID: d.Dept, Waiting: d.Waiting, Limit: perPage, Offset: offset(pg)}
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.Approvals, sheet.Pages(func(limit, offset int) ([]*zhagen.Approval, int, error) {
			g := f
			g.Limit, g.Offset = limit, offset
			return h.cfg.Projects.FindApprovals(ctx(r), g)
		}))
		return
	}
	rows, total, err := h.cfg.Projects.FindApprovals(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Gov {
		if d.Depts, err = h.deptTree(r); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	d.Rows, d.Pager = approvalRows(a, rows), newPager(r.URL, total, pg).exportable(r)
	h.render(w, r, http.StatusOK, "approval_list", &page{Title: h.tr(r, "nav.approvals"), Nav: "approvals", Data: &d})
}

func (h *Handler) approvalStep(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	f := r.PostForm
	st := zhagen.ApprovalStep{Action: f.Get("action"), Note: f.Get("note"), Opinion: f.Get("opinion"), DocNo: f.Get("doc_no")}
	st.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	x, err := h.cfg.Projects.StepApproval(ctx(r), id, st)
	if err != nil {
		cur, ferr := h.cfg.Projects.FindApprovalByID(ctx(r), id)
		if ferr != nil {
			h.fail(w, r, ferr)
			return
		}
		h.projectFailure(w, r, cur.ProjectID, approvalForm(id), err)
		return
	}
	h.redirectFlash(w, r, backTo(r, projectPath(x.ProjectID)+"#approvals"), "pj.flash.step")
}

// approvalUrge is the command centre's reminder to the approving
// department (催办).
func (h *Handler) approvalUrge(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	if err := h.cfg.Projects.UrgeApproval(ctx(r), id, r.PostForm.Get("note")); err != nil {
		cur, ferr := h.cfg.Projects.FindApprovalByID(ctx(r), id)
		if ferr != nil {
			h.fail(w, r, ferr)
			return
		}
		h.projectFailure(w, r, cur.ProjectID, approvalForm(id), err)
		return
	}
	h.redirectFlash(w, r, backTo(r, "/approvals?waiting=1"), "pj.flash.urged")
}

type overviewData struct {
	reshown
	O          *zhagen.ProjectOverview
	Behind     []ganttRow
	Waits      []approvalRow
	WaitChart  string // JSON for the bar chart
	ItemChart  string
	Upcoming   []*zhagen.Consultation
	UpcomingAt map[int64]string
}

func (h *Handler) projectOverview(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermProjectOverview) {
		h.forbidden(w, r, zhagen.PermProjectOverview)
		return
	}
	o, err := h.cfg.Projects.Overview(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := overviewData{O: o, Waits: approvalRows(a, o.LongestWaits), Upcoming: o.Upcoming, UpcomingAt: map[int64]string{}}
	for _, m := range o.Behind {
		d.Behind = append(d.Behind, ganttRow{Milestone: m, Planned: day(m.PlannedStart) + " ~ " + day(m.PlannedEnd)})
	}
	chart := func(cs []zhagen.DeptCount, days bool, href string) string {
		type bar struct {
			Name  string  `json:"name"`
			Value float64 `json:"value"`
			Count int     `json:"count"`
			Href  string  `json:"href"`
		}
		var bars []bar
		for _, c := range cs {
			v := float64(c.Count)
			if days {
				v = c.MaxDays
			}
			bars = append(bars, bar{Name: c.DeptName, Value: v, Count: c.Count, Href: href + strconv.FormatInt(c.DeptID, 10)})
		}
		b, _ := json.Marshal(map[string]any{"bars": bars, "unit": map[bool]string{true: h.tr(r, "pj.ov.days"), false: h.tr(r, "pj.ov.items")}[days]})
		return string(b)
	}
	d.WaitChart = chart(o.WaitsByDept, true, "/approvals?waiting=1&dept_id=")
	d.ItemChart = chart(o.OpenItemsByDept, false, "/action-items?status=pending&dept_id=")
	for _, c := range o.Upcoming {
		if c.StartsAt != nil {
			d.UpcomingAt[c.ID] = c.StartsAt.In(zhagen.Shanghai).Format("2006-01-02 15:04")
		}
	}
	h.render(w, r, http.StatusOK, "project_overview", &page{Title: h.tr(r, "nav.project_overview"), Nav: "project_overview", Data: &d})
}
