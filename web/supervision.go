package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"zhagen"
	"zhagen/sheet"
)

// supervisionRoutes registers the supervision order pages (督办单) and the
// ladder's admin page when the supervision service is set.
func (h *Handler) supervisionRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Supervision == nil {
		return
	}
	auth("GET /supervision", h.supervisionList)
	auth("GET /supervision/new", h.supervisionNew)
	auth("POST /supervision", h.supervisionCreate)
	auth("GET /supervision/{id}", h.supervisionShow)
	auth("GET /supervision/{id}/print", h.supervisionPrint)
	auth("POST /supervision/{id}/reply", h.supervisionReply)
	auth("POST /supervision/{id}/close", h.supervisionClose)
	auth("GET /ladder", h.ladderPage)
	auth("POST /ladder", h.ladderSet)
	auth("POST /ladder/delete", h.ladderDelete)
}

// svCountRow is one department's rungs reached.
type svCountRow struct {
	DeptName string
	Counts   map[zhagen.LadderRung]int
	Total    int
}

// svTallyRow is one addressee department in the summary, with the link
// that lists its orders.
type svTallyRow struct {
	*zhagen.SupervisionTally
	Href     string
	Selected bool
}

// svTab is one state the order list can show, with its count.
type svTab struct {
	Key    string
	Href   string
	Count  int
	Active bool
}

type svListData struct {
	Tallies  []svTallyRow
	Sum      zhagen.SupervisionTally
	Tabs     []svTab
	DeptID   int64
	DeptName string
	AllDepts string // the list's link without the department
	Orders   []*zhagen.SupervisionOrder
	Pager    pager
	Counts   []*svCountRow
	Rungs    []zhagen.LadderRung
	CanRaise bool
}

// svTabs are the list's states, in order, and the filter of each: the
// orders not closed (the default), then each state.
var svTabs = []struct {
	key string
	f   zhagen.SupervisionFilter
}{
	{"pending", zhagen.SupervisionFilter{Open: true}},
	{"open", zhagen.SupervisionFilter{Status: zhagen.SupervisionOpen}},
	{"overdue", zhagen.SupervisionFilter{Overdue: true}},
	{"replied", zhagen.SupervisionFilter{Status: zhagen.SupervisionReplied}},
	{"closed", zhagen.SupervisionFilter{Status: zhagen.SupervisionClosed, Latest: true}},
}

// supervisionList is GET /supervision?tab=&dept=&page=: the orders per
// addressee department counted by state, one state's orders a page at a
// time (most urgent reply due first; the latest first once closed), and
// the ladder's counts per department.
func (h *Handler) supervisionList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermSupervisionView) {
		h.forbidden(w, r, zhagen.PermSupervisionView)
		return
	}
	q := r.URL.Query()
	dept, _ := strconv.ParseInt(q.Get("dept"), 10, 64) // also the rankings' links
	tab := svTabs[0]
	for _, t := range svTabs {
		if t.key == q.Get("tab") {
			tab = t
		}
	}
	f := tab.f
	f.DeptID = dept
	if fm, ok := exportFormat(r); ok {
		f.Limit = 1000 // the most the list returns
		all, err := h.cfg.Supervision.FindSupervisions(ctx(r), f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		serveSheet(h, w, r, fm, sheet.Supervisions, sheet.Slice(all))
		return
	}
	tallies, err := h.cfg.Supervision.SupervisionTallies(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pageNum := pageParam(r)
	f.Limit, f.Offset = perPage, offset(pageNum)
	orders, err := h.cfg.Supervision.FindSupervisions(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := withoutPage(r.URL)
	d := &svListData{Rungs: zhagen.LadderRungs, CanRaise: zhagen.CanAny(a, zhagen.PermSupervisionRaise), DeptID: dept, Orders: orders,
		AllDepts: withParam(base, "dept", "")}
	d.addTallies(base, tallies)
	if dept != 0 && d.DeptName == "" { // a department without orders
		if dp, err := h.cfg.Departments.FindDepartmentByID(ctx(r), dept); err == nil {
			d.DeptName = dp.Name
		}
	}
	d.addTabs(base, tallies, tab.key)
	d.Pager = newPager(r.URL, zhagen.TallyCount(tallies, f), pageNum)
	p := &page{Title: h.tr(r, "nav.supervision"), Nav: "supervision", Data: d, Export: exportLinks(r)}
	if partialRequest(r, "sv-orders") {
		h.renderPartial(w, r, "supervision_list", "sv_orders", p)
		return
	}
	counts, err := h.cfg.Supervision.LadderCounts(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows := map[int64]*svCountRow{}
	for _, c := range counts {
		row := rows[c.DeptID]
		if row == nil {
			row = &svCountRow{DeptName: c.DeptName, Counts: map[zhagen.LadderRung]int{}}
			rows[c.DeptID] = row
			d.Counts = append(d.Counts, row)
		}
		row.Counts[c.Rung] += c.Count
		row.Total += c.Count
	}
	slices.SortStableFunc(d.Counts, func(x, y *svCountRow) int { return y.Total - x.Total })
	h.render(w, r, http.StatusOK, "supervision_list", p)
}

// addTallies fills the summary: a row per department, linked to its own
// list, and their sum.
func (d *svListData) addTallies(u *url.URL, tallies []*zhagen.SupervisionTally) {
	for _, t := range tallies {
		href := withParam(u, "dept", strconv.FormatInt(t.DeptID, 10))
		d.Tallies = append(d.Tallies, svTallyRow{SupervisionTally: t, Href: href, Selected: t.DeptID == d.DeptID})
		if t.DeptID == d.DeptID {
			d.DeptName = t.DeptName
		}
		d.Sum.Open, d.Sum.Overdue, d.Sum.Escalated = d.Sum.Open+t.Open, d.Sum.Overdue+t.Overdue, d.Sum.Escalated+t.Escalated
		d.Sum.Replied, d.Sum.Closed = d.Sum.Replied+t.Replied, d.Sum.Closed+t.Closed
	}
}

// addTabs fills the state tabs, each with its count in the department
// shown (or all) and its link; active is the state listed.
func (d *svListData) addTabs(u *url.URL, tallies []*zhagen.SupervisionTally, active string) {
	for _, t := range svTabs {
		f := t.f
		f.DeptID = d.DeptID
		href := withParam(u, "tab", t.key)
		if t.key == svTabs[0].key {
			href = withParam(u, "tab", "")
		}
		d.Tabs = append(d.Tabs, svTab{Key: t.key, Href: href, Count: zhagen.TallyCount(tallies, f), Active: t.key == active})
	}
}

// svForm is the raise form as typed.
type svForm struct {
	Kind        zhagen.SubjectKind
	SubjectID   int64
	Title       string // the subject's title, shown
	DeptID      int64
	Requirement string
	ReplyHours  int
}

type svNewData struct {
	Form   svForm
	Depts  []*zhagen.Department
	Errors map[string]string
	Error  string
}

// supervisionNew is GET /supervision/new?kind=demand&id=42: the raise form
// on a demand (the board's 督办 link), an action item or an approval.
func (h *Handler) supervisionNew(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermSupervisionRaise) {
		h.forbidden(w, r, zhagen.PermSupervisionRaise)
		return
	}
	q := r.URL.Query()
	f := svForm{Kind: zhagen.SubjectKind(q.Get("kind")), ReplyHours: zhagen.DefaultLadderRule.ReplyHours}
	if f.Kind == "" {
		f.Kind = zhagen.SubjectDemand
	}
	f.SubjectID, _ = strconv.ParseInt(q.Get("id"), 10, 64)
	if !f.Kind.Valid() || f.SubjectID <= 0 {
		h.notFound(w, r)
		return
	}
	if err := h.subjectOf(r, &f); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderSupervisionNew(w, r, http.StatusOK, &svNewData{Form: f})
}

// subjectOf fills the form's subject title and default addressee from the
// subject, as the actor sees it.
func (h *Handler) subjectOf(r *http.Request, f *svForm) error {
	switch f.Kind {
	case zhagen.SubjectDemand:
		d, err := h.cfg.Demands.FindDemandByID(ctx(r), f.SubjectID)
		if err != nil {
			return err
		}
		f.Title = fmt.Sprintf("#%d %s", d.ID, d.Title)
		if f.DeptID == 0 {
			f.DeptID = d.LeadDeptID
		}
	case zhagen.SubjectActionItem:
		if h.cfg.Consultations == nil {
			return zhagen.Errorf(zhagen.ENOTFOUND, "会商事项不存在")
		}
		it, err := h.cfg.Consultations.FindActionItemByID(ctx(r), f.SubjectID)
		if err != nil {
			return err
		}
		f.Title = it.Title
		if f.DeptID == 0 {
			f.DeptID = it.OwnerDeptID
		}
	case zhagen.SubjectApproval:
		if h.cfg.Projects == nil {
			return zhagen.Errorf(zhagen.ENOTFOUND, "审批事项不存在")
		}
		x, err := h.cfg.Projects.FindApprovalByID(ctx(r), f.SubjectID)
		if err != nil {
			return err
		}
		f.Title = x.ProjectName + " " + x.Kind.Label()
		if f.DeptID == 0 {
			f.DeptID = x.DeptID
		}
	}
	return nil
}

func (h *Handler) renderSupervisionNew(w http.ResponseWriter, r *http.Request, status int, d *svNewData) {
	depts, err := h.cfg.Departments.FindDepartments(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, dp := range depts {
		if !dp.Archived {
			d.Depts = append(d.Depts, dp)
		}
	}
	h.render(w, r, status, "supervision_new", &page{Title: h.tr(r, "spv.new"), Nav: "supervision",
		Crumbs: []crumb{{Label: h.tr(r, "nav.supervision"), Href: "/supervision"}, {Label: h.tr(r, "spv.new")}}, Data: d})
}

// supervisionCreate is POST /supervision.
func (h *Handler) supervisionCreate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermSupervisionRaise) {
		h.forbidden(w, r, zhagen.PermSupervisionRaise)
		return
	}
	r.ParseForm()
	pf := r.PostForm
	f := svForm{Kind: zhagen.SubjectKind(pf.Get("subject_kind")), Requirement: pf.Get("requirement")}
	f.SubjectID, _ = strconv.ParseInt(pf.Get("subject_id"), 10, 64)
	f.DeptID, _ = strconv.ParseInt(pf.Get("dept_id"), 10, 64)
	f.ReplyHours, _ = strconv.Atoi(strings.TrimSpace(pf.Get("reply_hours")))
	o := &zhagen.SupervisionOrder{SubjectKind: f.Kind, SubjectID: f.SubjectID, DeptID: f.DeptID, Requirement: f.Requirement, ReplyHours: f.ReplyHours}
	err := h.cfg.Supervision.RaiseSupervision(ctx(r), o)
	if err == nil {
		h.redirectFlash(w, r, fmt.Sprintf("/supervision/%d", o.ID), "spv.flash.raised")
		return
	}
	d := &svNewData{Form: f}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if f.Kind.Valid() && f.SubjectID > 0 {
		h.subjectOf(r, &d.Form)
	}
	h.renderSupervisionNew(w, r, status, d)
}

type svShowData struct {
	O          *zhagen.SupervisionOrder
	Overdue    bool
	CanReply   bool
	CanClose   bool
	Reply      zhagen.SupervisionReply
	CloseNote  string
	Errors     map[string]string
	Error      string
	EscalateTo string
}

// supervisionShow is GET /supervision/{id}: the order, the reply form for
// the addressee department and the close form for the issuer.
func (h *Handler) supervisionShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderSupervision(w, r, http.StatusOK, id, &svShowData{})
}

func (h *Handler) renderSupervision(w http.ResponseWriter, r *http.Request, status int, id int64, d *svShowData) {
	o, err := h.cfg.Supervision.FindSupervision(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := actor(r)
	d.O, d.Overdue = o, o.Overdue(h.clock.Now())
	d.CanReply = o.Status == zhagen.SupervisionOpen && zhagen.Can(a, zhagen.PermSupervisionReply, o.Facts())
	d.CanClose = o.Status != zhagen.SupervisionClosed && zhagen.Can(a, zhagen.PermSupervisionClose, o.Facts())
	if o.EscalatedAt != nil && o.EscalatedTo != 0 {
		if dp, err := h.cfg.Departments.FindDepartmentByID(ctx(r), o.EscalatedTo); err == nil {
			d.EscalateTo = dp.Name
		}
	}
	if d.Reply.PromisedDate == "" && o.PromisedDate == "" {
		d.Reply.PromisedDate = day(h.clock.Now().AddDate(0, 0, 7))
	}
	h.render(w, r, status, "supervision_show", &page{Title: o.Number(), Nav: "supervision",
		Crumbs: []crumb{{Label: h.tr(r, "nav.supervision"), Href: "/supervision"}, {Label: o.Number()}}, Data: d})
}

// supervisionPrint is GET /supervision/{id}/print: the one-page 督办通知单.
func (h *Handler) supervisionPrint(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	o, err := h.cfg.Supervision.FindSupervision(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c := o.CreatedAt.In(zhagen.Shanghai)
	date := h.tr(r, "spv.print.date", c.Year(), int(c.Month()), c.Day())
	h.execute(w, r, http.StatusOK, "supervision_print", "print", &page{Title: o.Number(), Data: struct {
		O    *zhagen.SupervisionOrder
		Date string
	}{o, date}})
}

// supervisionReply is POST /supervision/{id}/reply.
func (h *Handler) supervisionReply(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	rep := zhagen.SupervisionReply{Progress: r.PostForm.Get("progress"), PromisedDate: r.PostForm.Get("promised_date")}
	rep.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	_, err := h.cfg.Supervision.ReplySupervision(ctx(r), id, rep)
	if err == nil {
		h.redirectFlash(w, r, fmt.Sprintf("/supervision/%d", id), "spv.flash.replied")
		return
	}
	d := &svShowData{Reply: rep}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderSupervision(w, r, status, id, d)
}

// supervisionClose is POST /supervision/{id}/close.
func (h *Handler) supervisionClose(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	c := zhagen.SupervisionClose{Note: r.PostForm.Get("note")}
	c.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	_, err := h.cfg.Supervision.CloseSupervision(ctx(r), id, c)
	if err == nil {
		h.redirectFlash(w, r, fmt.Sprintf("/supervision/%d", id), "spv.flash.closed")
		return
	}
	d := &svShowData{CloseNote: c.Note}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderSupervision(w, r, status, id, d)
}
