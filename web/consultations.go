package web

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"zhagen"
	"zhagen/sheet"
)

// consultationRoutes registers the consultation, action item and key
// project pages; they are served when the services are configured.
func (h *Handler) consultationRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Consultations == nil || h.cfg.Projects == nil {
		return
	}
	auth("GET /consultations", h.consultationList)
	auth("GET /consultations/new", h.consultationNew)
	auth("POST /consultations", h.consultationCreate)
	auth("GET /consultations/{id}", h.consultationShow)
	auth("POST /consultations/{id}", h.consultationUpdate)
	auth("POST /consultations/{id}/attendance", h.consultationAttend)
	auth("POST /consultations/{id}/items", h.consultationAddItem)
	auth("GET /consultations/{id}/minutes.docx", h.consultationDocx)
	auth("GET /action-items", h.itemList)
	auth("POST /action-items/{id}/complete", h.itemComplete)
	auth("POST /action-items/{id}/cancel", h.itemCancel)
	// The address of an item's evidence before files were one type, kept:
	// its newest file.
	auth("GET /action-items/{id}/evidence", h.ownerFileDownload(zhagen.ActionItemFiles, ""))
	auth("GET /projects", h.projectList)
	auth("GET /projects/overview", h.projectOverview)
	auth("GET /projects/new", h.projectNew)
	auth("POST /projects", h.projectCreate)
	auth("GET /projects/{id}/edit", h.projectEdit)
	auth("POST /projects/{id}/edit", h.projectUpdate)
	auth("GET /projects/{id}", h.projectShow)
	auth("POST /projects/{id}/status", h.projectStatus)
	auth("POST /projects/{id}/milestones", h.projectMilestone)
	auth("POST /projects/{id}/approvals", h.projectApproval)
	auth("POST /projects/{id}/problems", h.projectProblem)
	auth("GET /approvals", h.approvalList)
	auth("POST /approvals/{id}/steps", h.approvalStep)
	auth("POST /approvals/{id}/urge", h.approvalUrge)
}

// consultFacts are the facts of c that managing it needs (its convener
// and the convener's department).
func consultFacts(c *zhagen.Consultation) zhagen.Facts {
	return zhagen.ConsultationFacts(c, 0, nil, nil)
}

// manages: whether the caller changes c.
func manages(a *zhagen.Actor, c *zhagen.Consultation) bool {
	return zhagen.Can(a, zhagen.PermConsultationManage, consultFacts(c))
}

// formDate is the value of a datetime-local input.
func formDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(zhagen.Shanghai).Format("2006-01-02T15:04")
}

// parseLocal reads a date ("2006-01-02") or datetime-local value in
// Asia/Shanghai; "" is nil.
func parseLocal(s string) (*time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, zhagen.Shanghai); err == nil {
			return &t, true
		}
	}
	return nil, false
}

func ids(vals []string) []int64 {
	var out []int64
	for _, v := range vals {
		for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '、' }) {
			if n, err := strconv.ParseInt(strings.TrimPrefix(p, "#"), 10, 64); err == nil && n > 0 {
				out = append(out, n)
			}
		}
	}
	return out
}

// itemRow is an action item as tables show it.
type itemRow struct {
	*zhagen.ActionItem
	Due      string
	Tone     string
	CanDone  bool
	CanAbort bool
	CanRaise bool // may raise a supervision order (督办单) on it
}

// itemRows are the rows of items; c is their consultation when they are
// all of one (its page), nil in lists.
func (h *Handler) itemRows(a *zhagen.Actor, items []*zhagen.ActionItem, c *zhagen.Consultation) []itemRow {
	cancel := c != nil && zhagen.Can(a, zhagen.PermItemCancel, consultFacts(c))
	out := make([]itemRow, len(items))
	for i, it := range items {
		tone := map[zhagen.ActionItemStatus]string{zhagen.ItemOpen: "blue", zhagen.ItemOverdue: "red", zhagen.ItemDone: "green", zhagen.ItemCancelled: "grey"}[it.Status]
		out[i] = itemRow{ActionItem: it, Due: it.DueAt.In(zhagen.Shanghai).Format("2006-01-02 15:04"), Tone: tone}
		if it.Status.Pending() {
			out[i].CanDone = zhagen.Can(a, zhagen.PermItemComplete, zhagen.ItemFacts(it, c))
			out[i].CanAbort = cancel
			out[i].CanRaise = zhagen.CanAny(a, zhagen.PermSupervisionRaise)
		}
	}
	return out
}

// csListData is the consultation list.
type csListData struct {
	Rows      []*zhagen.Consultation
	Kind      string
	Status    string
	Q         string
	Kinds     []zhagen.ConsultationKind
	Statuses  []zhagen.ConsultationStatus
	CanCreate bool
	Upcoming  bool
	Pager     pager
}

func (h *Handler) consultationList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermConsultationView) {
		h.forbidden(w, r, zhagen.PermConsultationView)
		return
	}
	q := r.URL.Query()
	d := csListData{Kind: q.Get("kind"), Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q")), Kinds: zhagen.ConsultationKinds,
		Statuses: zhagen.ConsultationStatuses, CanCreate: zhagen.CanAny(a, zhagen.PermConsultationCreate)}
	pg := pageParam(r)
	f := zhagen.ConsultationFilter{Query: d.Q, Limit: perPage, Offset: offset(pg)}
	if zhagen.ConsultationKind(d.Kind).Label() != "" {
		f.Kind = zhagen.ConsultationKind(d.Kind)
	}
	if zhagen.ConsultationStatus(d.Status).Label() != "" {
		f.Status = zhagen.ConsultationStatus(d.Status)
	}
	f.ProjectID, _ = strconv.ParseInt(q.Get("project_id"), 10, 64)
	if q.Get("upcoming") == "1" {
		f.Upcoming, d.Upcoming = true, true
	}
	rows, total, err := h.cfg.Consultations.FindConsultations(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Pager = rows, newPager(r.URL, total, pg)
	h.render(w, r, http.StatusOK, "consultation_list", &page{Title: h.tr(r, "nav.consultations"), Nav: "consultations", Data: d})
}

// csFormData is the form of a new consultation.
type csFormData struct {
	C        *zhagen.Consultation
	StartsAt string
	Demands  string
	Kinds    []zhagen.ConsultationKind
	Depts    []*zhagen.Department
	Projects []*zhagen.Project
	People   []*zhagen.User
	Invited  map[int64]bool
	InvitedU map[int64]bool
	Errors   map[string]string
	Error    string
}

func (h *Handler) consultationNew(w http.ResponseWriter, r *http.Request) {
	c := &zhagen.Consultation{Kind: zhagen.KindJoint}
	q := r.URL.Query()
	c.ProjectID, _ = strconv.ParseInt(q.Get("project_id"), 10, 64)
	if k := zhagen.ConsultationKind(q.Get("kind")); k.Label() != "" {
		c.Kind = k
	}
	h.renderConsultForm(w, r, http.StatusOK, &csFormData{C: c, Demands: q.Get("demand_id")})
}

func (h *Handler) renderConsultForm(w http.ResponseWriter, r *http.Request, status int, d *csFormData) {
	if !zhagen.CanAny(actor(r), zhagen.PermConsultationCreate) {
		h.forbidden(w, r, zhagen.PermConsultationCreate)
		return
	}
	var err error
	if d.Depts, err = h.deptTree(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Projects, _, err = h.cfg.Projects.FindProjects(ctx(r), zhagen.ProjectFilter{Limit: 200}); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, role := range []zhagen.Role{zhagen.RoleCadre, zhagen.RoleStaff, zhagen.RoleLeader} {
		us, _, err := h.cfg.Users.FindUsers(ctx(r), zhagen.UserFilter{Role: role, Limit: 200})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.People = append(d.People, us...)
	}
	d.Kinds = zhagen.ConsultationKinds
	if d.Invited == nil {
		d.Invited = map[int64]bool{}
	}
	if d.InvitedU == nil {
		d.InvitedU = map[int64]bool{}
	}
	if d.StartsAt == "" {
		d.StartsAt = formDate(d.C.StartsAt)
	}
	h.render(w, r, status, "consultation_form", &page{Title: h.tr(r, "cs.new"), Nav: "consultations", Data: d,
		Crumbs: []crumb{{Label: h.tr(r, "nav.consultations"), Href: "/consultations"}, {Label: h.tr(r, "cs.new")}}})
}

func (h *Handler) consultationCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	c := &zhagen.Consultation{Kind: zhagen.ConsultationKind(f.Get("kind")), Title: f.Get("title"), Place: f.Get("place"), Agenda: f.Get("agenda"),
		DemandIDs: ids(f["demand_ids"]), InviteDeptIDs: ids(f["invite_dept_ids"]), InviteUserIDs: ids(f["invite_user_ids"])}
	c.ProjectID, _ = strconv.ParseInt(f.Get("project_id"), 10, 64)
	d := &csFormData{C: c, StartsAt: f.Get("starts_at"), Demands: f.Get("demand_ids"), Invited: map[int64]bool{}}
	for _, id := range c.InviteDeptIDs {
		d.Invited[id] = true
	}
	d.InvitedU = map[int64]bool{}
	for _, id := range c.InviteUserIDs {
		d.InvitedU[id] = true
	}
	at, ok := parseLocal(f.Get("starts_at"))
	if !ok {
		d.Errors = map[string]string{"starts_at": h.tr(r, "cs.err.time")}
		h.renderConsultForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	c.StartsAt = at
	err := h.cfg.Consultations.CreateConsultation(ctx(r), c)
	if err == nil {
		h.redirectFlash(w, r, "/consultations/"+strconv.FormatInt(c.ID, 10), "cs.flash.created")
		return
	}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderConsultForm(w, r, status, d)
}

// csShowData is the consultation page.
type csShowData struct {
	C          *zhagen.Consultation
	When       string
	Items      []itemRow
	Manage     bool // change the consultation
	CanAddItem bool
	MyInvite   *zhagen.Invitee
	Depts      []*zhagen.Department
	Staff      []*zhagen.User
	Statuses   []zhagen.ConsultationStatus
	StartsAt   string
	reshown
	ItemErrFor int64
}

func (h *Handler) consultationShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderConsult(w, r, http.StatusOK, id, &csShowData{})
}

func (h *Handler) renderConsult(w http.ResponseWriter, r *http.Request, status int, id int64, d *csShowData) {
	a := actor(r)
	c, err := h.cfg.Consultations.FindConsultationByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.C, d.Manage, d.Statuses, d.StartsAt = c, manages(a, c), zhagen.ConsultationStatuses, formDate(c.StartsAt)
	d.When = "—"
	if c.StartsAt != nil {
		d.When = c.StartsAt.In(zhagen.Shanghai).Format("2006-01-02 15:04")
	}
	d.CanAddItem = zhagen.Can(a, zhagen.PermItemAdd, consultFacts(c))
	d.Items = h.itemRows(a, c.Items, c)
	d.MyInvite = zhagen.MyInvitation(a, c)
	if d.Manage || d.CanAddItem {
		if d.Depts, err = h.deptTree(r); err != nil {
			h.fail(w, r, err)
			return
		}
		if d.Staff, _, err = h.cfg.Users.FindUsers(ctx(r), zhagen.UserFilter{Role: zhagen.RoleStaff, Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, "consultation_show", &page{Title: c.Title, Nav: "consultations", Data: d,
		Crumbs: []crumb{{Label: h.tr(r, "nav.consultations"), Href: "/consultations"}, {Label: h.tr(r, "cs.kind."+string(c.Kind))}}})
}

// showFailure renders the consultation again with a refused form's
// errors, or fails the request for errors no form shows.
func (h *Handler) showFailure(w http.ResponseWriter, r *http.Request, id int64, form string, err error) {
	d := &csShowData{reshown: reshown{Open: form, Form: r.PostForm}}
	status, ok := d.refuse(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if d.Error == "" && len(d.Errors) > 0 {
		d.Error = h.tr(r, "form.fix", len(d.Errors))
	}
	h.renderConsult(w, r, status, id, d)
}

func (h *Handler) consultationUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	f := r.PostForm
	u := zhagen.ConsultationUpdate{AddDeptIDs: ids(f["add_dept_ids"]), AddDemandIDs: ids(f["add_demand_ids"])}
	u.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	for field, dst := range map[string]**string{"title": &u.Title, "place": &u.Place, "agenda": &u.Agenda, "minutes": &u.Minutes, "decisions": &u.Decisions} {
		if _, present := f[field]; present {
			v := f.Get(field)
			*dst = &v
		}
	}
	if s := zhagen.ConsultationStatus(f.Get("status")); s != "" {
		u.Status = &s
	}
	if _, present := f["starts_at"]; present {
		at, ok := parseLocal(f.Get("starts_at"))
		if !ok {
			h.showFailure(w, r, id, "edit", &zhagen.Error{Code: zhagen.EINVALID, Field: "starts_at", Message: h.tr(r, "cs.err.time"),
				Fields: []zhagen.FieldError{{Field: "starts_at", Message: h.tr(r, "cs.err.time")}}})
			return
		}
		u.StartsAt = at
	}
	if _, err := h.cfg.Consultations.UpdateConsultation(ctx(r), id, u); err != nil {
		h.showFailure(w, r, id, "edit", err)
		return
	}
	h.redirectFlash(w, r, "/consultations/"+strconv.FormatInt(id, 10), "cs.flash.saved")
}

func (h *Handler) consultationAttend(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	if err := h.cfg.Consultations.ConfirmAttendance(ctx(r), id, zhagen.Attendance(r.PostForm.Get("attendance"))); err != nil {
		h.showFailure(w, r, id, "attend", err)
		return
	}
	h.redirectFlash(w, r, "/consultations/"+strconv.FormatInt(id, 10), "cs.flash.attend")
}

func (h *Handler) consultationAddItem(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	f := r.PostForm
	it := &zhagen.ActionItem{ConsultationID: id, Title: f.Get("title")}
	it.OwnerDeptID, _ = strconv.ParseInt(f.Get("owner_dept_id"), 10, 64)
	it.AssigneeID, _ = strconv.ParseInt(f.Get("assignee_id"), 10, 64)
	if s := strings.TrimSpace(f.Get("due_days")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			n = -1
		}
		it.DueDays = n
	}
	if err := h.cfg.Consultations.AddActionItem(ctx(r), it); err != nil {
		h.showFailure(w, r, id, "item", err)
		return
	}
	h.redirectFlash(w, r, "/consultations/"+strconv.FormatInt(id, 10)+"#items", "cs.flash.item")
}

func (h *Handler) consultationDocx(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || h.cfg.Minutes == nil {
		h.notFound(w, r)
		return
	}
	c, err := h.cfg.Consultations.FindConsultationByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data, err := h.cfg.Minutes(c)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "会议纪要-" + strconv.FormatInt(id, 10) + ".docx"}))
	w.Write(data)
}

// itemListData is the action item list: a department's workbench.
type itemListData struct {
	Rows     []itemRow
	Status   string
	Dept     int64
	Depts    []*zhagen.Department
	Statuses []zhagen.ActionItemStatus
	Gov      bool
	Pager    pager
}

func (h *Handler) itemList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermConsultationView) {
		h.forbidden(w, r, zhagen.PermConsultationView)
		return
	}
	q := r.URL.Query()
	d := itemListData{Status: q.Get("status"), Statuses: zhagen.ActionItemStatuses, Gov: grantsEvery(a, zhagen.PermItemList)}
	pg := pageParam(r)
	f := zhagen.ActionItemFilter{Limit: perPage, Offset: offset(pg)}
	if d.Status == "pending" {
		f.Pending = true
	} else if zhagen.ActionItemStatus(d.Status).Label() != "" {
		f.Status = zhagen.ActionItemStatus(d.Status)
	}
	d.Dept, _ = strconv.ParseInt(q.Get("dept_id"), 10, 64)
	f.DeptID = d.Dept
	f.ProjectID, _ = strconv.ParseInt(q.Get("project_id"), 10, 64)
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.ActionItems, sheet.Pages(func(limit, offset int) ([]*zhagen.ActionItem, int, error) {
			g := f
			g.Limit, g.Offset = limit, offset
			return h.cfg.Consultations.FindActionItems(ctx(r), g)
		}))
		return
	}
	items, total, err := h.cfg.Consultations.FindActionItems(ctx(r), f)
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
	d.Rows, d.Pager = h.itemRows(a, items, nil), newPager(r.URL, total, pg).exportable(r)
	h.render(w, r, http.StatusOK, "action_item_list", &page{Title: h.tr(r, "nav.action_items"), Nav: "action_items", Data: d})
}

// backTo is the page a form on several pages returns to.
func backTo(r *http.Request, def string) string {
	if p := r.PostForm.Get("back"); p != "" {
		return localPath(p)
	}
	return def
}

func (h *Handler) itemComplete(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	up, err := h.readUpload(w, r)
	c := zhagen.ItemCompletion{Note: r.PostForm.Get("note")}
	if err == nil && up != nil {
		c.FileName, c.File = up.Name, up.Data
	}
	if err == nil {
		_, err = h.cfg.Consultations.CompleteActionItem(ctx(r), id, c)
	}
	if err != nil {
		h.itemFailure(w, r, id, err)
		return
	}
	h.redirectFlash(w, r, backTo(r, "/action-items"), "cs.flash.done")
}

func (h *Handler) itemCancel(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	if _, err := h.cfg.Consultations.CancelActionItem(ctx(r), id, r.PostForm.Get("reason")); err != nil {
		h.itemFailure(w, r, id, err)
		return
	}
	h.redirectFlash(w, r, backTo(r, "/action-items"), "cs.flash.cancelled")
}

// itemFailure shows the item's consultation again with the error next to
// the item's form.
func (h *Handler) itemFailure(w http.ResponseWriter, r *http.Request, id int64, err error) {
	it, ferr := h.cfg.Consultations.FindActionItemByID(ctx(r), id)
	if ferr != nil {
		h.fail(w, r, ferr)
		return
	}
	d := &csShowData{reshown: reshown{Open: "done", Form: r.PostForm}, ItemErrFor: id}
	status, ok := d.refuse(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if d.Error == "" {
		for _, m := range d.Errors {
			d.Error = m
		}
	}
	h.renderConsult(w, r, status, it.ConsultationID, d)
}
