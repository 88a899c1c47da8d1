package web

import (
	"encoding/json"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

// linkageRoutes registers the pages of linkages, visits, red flags and
// linkage suggestions when the service is configured.
func (h *Handler) linkageRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Linkages == nil {
		return
	}
	auth("GET /linkages", h.linkageList)
	auth("GET /linkages/mine", h.linkageMine)
	auth("POST /linkages", h.linkageCreate)
	auth("POST /linkages/{id}/end", h.linkageEnd)
	auth("GET /visits", h.visitList)
	auth("GET /visits/new", h.visitNew)
	auth("POST /visits", h.visitCreate)
	auth("GET /visits/coverage", h.visitCoverage)
	auth("GET /visits/{id}", h.visitShow)
	auth("GET /visits/{id}/edit", h.visitEdit)
	auth("POST /visits/{id}", h.visitUpdate)
	auth("POST /visits/{id}/demand", h.visitDemand)
	auth("POST /visits/{id}/files", h.visitUpload)
	auth("GET /visits/{id}/files/{fid}", h.visitFileDownload)
	auth("GET /red-flags", h.redFlagList)
	auth("POST /red-flags/{id}/clear", h.redFlagClear)
	auth("POST /red-flag-rules", h.ruleCreate)
	auth("POST /red-flag-rules/{id}", h.ruleToggle)
	auth("GET /linkage-suggestions", h.suggestionList)
	auth("POST /linkage-suggestions", h.suggestionRun)
	auth("GET /linkage-suggestions/{id}", h.suggestionShow)
	auth("POST /linkage-suggestions/{id}/accept", h.suggestionAccept)
	auth("GET /enterprises/{id}/linkage", h.enterpriseLinkage)
}

// linkageMenu is the 走访联系 group of the navigation.
func (h *Handler) linkageMenu(a *zhagen.Actor, item func(key, href, icon string) navItem) []navItem {
	if h.cfg.Linkages == nil {
		return nil
	}
	var out []navItem
	if a.Has(zhagen.RoleCadre) {
		out = append(out, item("lk_mine", "/linkages/mine", "building"))
	}
	if canSeeAllLinkages(a) {
		out = append(out, item("lk_all", "/linkages", "tree"))
	}
	if govActor(a) || (a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0) {
		out = append(out, item("lk_visits", "/visits", "doc"))
	}
	if canSeeAllLinkages(a) {
		out = append(out, item("lk_coverage", "/visits/coverage", "board"))
		out = append(out, item("lk_flags", "/red-flags", "alert"))
	}
	if canSuggest(a) {
		out = append(out, item("lk_suggest", "/linkage-suggestions", "users"))
	}
	return out
}

func canSeeAllLinkages(a *zhagen.Actor) bool {
	return a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher, zhagen.RoleLeader, zhagen.RoleStaff)
}
func canEditLinkages(a *zhagen.Actor) bool { return a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) }
func canSuggest(a *zhagen.Actor) bool {
	return a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher, zhagen.RoleLeader)
}

// linkageCards are the workbench figures of linkage and visits: a
// cadre's enterprises and overdue visits; the at-risk enterprises and the
// visit coverage for those who oversee them.
func (h *Handler) linkageCards(r *http.Request, a *zhagen.Actor) []homeCard {
	if h.cfg.Linkages == nil {
		return nil
	}
	var out []homeCard
	if a.Has(zhagen.RoleCadre) {
		yes := true
		rows, _, err := h.cfg.Linkages.FindLinkages(ctx(r), zhagen.LinkageFilter{CadreID: a.UserID, Active: &yes})
		if err == nil {
			overdue := 0
			for _, l := range rows {
				if l.Overdue {
					overdue++
				}
			}
			out = append(out,
				homeCard{Label: h.tr(r, "nav.lk_mine"), Value: strconv.Itoa(len(rows)), Href: "/linkages/mine", Tone: "blue"},
				homeCard{Label: h.tr(r, "lk.stat.overdue"), Value: strconv.Itoa(overdue), Href: "/linkages/mine?sort=next", Tone: "red"})
		}
	}
	if canSeeAllLinkages(a) {
		if flags, err := h.cfg.Linkages.FindRedFlags(ctx(r), true, 0); err == nil {
			out = append(out, homeCard{Label: h.tr(r, "rf.open"), Value: strconv.Itoa(len(flags)), Href: "/red-flags", Tone: "red"})
		}
		if cov, err := h.cfg.Linkages.Coverage(ctx(r)); err == nil && cov.Total.Linked > 0 {
			out = append(out, homeCard{Label: h.tr(r, "cov.total"), Value: strconv.FormatFloat(cov.Total.Percent, 'f', -1, 64) + "%", Href: "/visits/coverage", Tone: "green"})
		}
	}
	return out
}

// ---- linkages ----

type linkForm struct {
	CadreID, EnterpriseID, Role, CadenceDays, StartDate string
}

type linkListData struct {
	Mine     bool
	Rows     []*zhagen.Linkage
	Overdue  bool
	Active   string // "1" active only (default), "0" ended only, "all"
	Dept     int64
	Depts    []*zhagen.Department
	CanEdit  bool
	CanVisit bool
	Cadres   []*zhagen.User
	Ents     []*zhagen.Enterprise
	Roles    []zhagen.LinkRole
	Form     linkForm
	Errors   map[string]string
	Error    string
	Counts   struct{ Total, Overdue, Soon int }
	Cols     map[string]sortCol
}

// linkSorts compare linkages by the sortable columns.
var linkSorts = map[string]func(a, b *zhagen.Linkage) int{
	"enterprise": func(a, b *zhagen.Linkage) int { return strings.Compare(a.EnterpriseName, b.EnterpriseName) },
	"next":       func(a, b *zhagen.Linkage) int { return strings.Compare(a.NextDue, b.NextDue) },
	"last":       func(a, b *zhagen.Linkage) int { return strings.Compare(a.LastVisit, b.LastVisit) },
	"cadre":      func(a, b *zhagen.Linkage) int { return strings.Compare(a.CadreName, b.CadreName) },
	"dept":       func(a, b *zhagen.Linkage) int { return strings.Compare(a.DeptName, b.DeptName) },
}

// sortLinks sorts the rows by ?sort= (next visit first by default) and
// fills the column headers.
func (h *Handler) sortLinks(r *http.Request, d *linkListData) {
	sort := r.URL.Query().Get("sort")
	key, desc := strings.CutPrefix(sort, "-")
	cmp := linkSorts[key]
	if cmp == nil {
		desc, cmp, sort = false, linkSorts["next"], ""
	}
	slices.SortStableFunc(d.Rows, func(a, b *zhagen.Linkage) int {
		if a.Active != b.Active { // ended ones last
			if a.Active {
				return -1
			}
			return 1
		}
		if desc {
			return cmp(b, a)
		}
		return cmp(a, b)
	})
	d.Cols = map[string]sortCol{}
	labels := map[string]string{"enterprise": "lk.f.enterprise", "next": "lk.f.next", "last": "lk.f.last", "cadre": "lk.f.cadre", "dept": "lk.f.dept"}
	for k, l := range labels {
		d.Cols[k] = sortHeader(r.URL, sort, k, h.tr(r, l))
	}
}

func (h *Handler) linkageMine(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !a.Has(zhagen.RoleCadre) {
		h.forbidden(w, r)
		return
	}
	yes := true
	rows, _, err := h.cfg.Linkages.FindLinkages(ctx(r), zhagen.LinkageFilter{CadreID: a.UserID, Active: &yes})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &linkListData{Mine: true, Rows: rows, CanVisit: true}
	d.count()
	h.sortLinks(r, d)
	p := &page{Title: h.tr(r, "nav.lk_mine"), Nav: "lk_mine", Data: d}
	if partialRequest(r, "lk-results") {
		h.renderPartial(w, r, "linkage_list", "lk_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "linkage_list", p)
}

func (d *linkListData) count() {
	d.Counts.Total = len(d.Rows)
	for _, l := range d.Rows {
		if l.Overdue {
			d.Counts.Overdue++
		} else if l.DueSoon {
			d.Counts.Soon++
		}
	}
}

func (h *Handler) linkageList(w http.ResponseWriter, r *http.Request) {
	h.renderLinkageList(w, r, http.StatusOK, &linkListData{Form: linkForm{CadenceDays: "30", Role: string(zhagen.LinkContact)}})
}

func (h *Handler) renderLinkageList(w http.ResponseWriter, r *http.Request, status int, d *linkListData) {
	a := actor(r)
	if !canSeeAllLinkages(a) {
		h.forbidden(w, r)
		return
	}
	q := r.URL.Query()
	d.Overdue = q.Get("overdue") == "1"
	d.Active = q.Get("active")
	d.Dept, _ = strconv.ParseInt(q.Get("dept_id"), 10, 64)
	f := zhagen.LinkageFilter{Overdue: d.Overdue, DeptID: d.Dept}
	switch d.Active {
	case "all":
	case "0":
		f.Active = new(bool)
	default:
		d.Active = "1"
		f.Active = new(bool)
		*f.Active = true
	}
	rows, _, err := h.cfg.Linkages.FindLinkages(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.CanEdit, d.Roles = rows, canEditLinkages(a), zhagen.LinkRoles
	d.Depts, _ = h.cfg.Departments.FindDepartments(ctx(r))
	d.count()
	h.sortLinks(r, d)
	if partialRequest(r, "lk-results") {
		h.renderPartial(w, r, "linkage_list", "lk_results", &page{Actor: a, Data: d})
		return
	}
	if d.CanEdit {
		d.Cadres, _, _ = h.cfg.Users.FindUsers(ctx(r), zhagen.UserFilter{Role: zhagen.RoleCadre, Limit: 200})
		d.Ents, _, _ = h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{Limit: 200})
	}
	h.render(w, r, status, "linkage_list", &page{Title: h.tr(r, "nav.lk_all"), Nav: "lk_all", Data: d})
}

func (h *Handler) linkageCreate(w http.ResponseWriter, r *http.Request) {
	if !canEditLinkages(actor(r)) {
		h.forbidden(w, r)
		return
	}
	r.ParseForm()
	f := linkForm{CadreID: r.PostForm.Get("cadre_id"), EnterpriseID: r.PostForm.Get("enterprise_id"), Role: r.PostForm.Get("role"),
		CadenceDays: strings.TrimSpace(r.PostForm.Get("cadence_days")), StartDate: r.PostForm.Get("start_date")}
	l := &zhagen.Linkage{Role: zhagen.LinkRole(f.Role), StartDate: f.StartDate}
	l.CadreID, _ = strconv.ParseInt(f.CadreID, 10, 64)
	l.EnterpriseID, _ = strconv.ParseInt(f.EnterpriseID, 10, 64)
	var errs map[string]string
	if n, err := strconv.Atoi(f.CadenceDays); err == nil {
		l.CadenceDays = n
	} else if f.CadenceDays != "" {
		errs = map[string]string{"cadence_days": h.tr(r, "lk.err.cadence")}
	}
	err := h.cfg.Linkages.CreateLinkage(ctx(r), l)
	if err == nil && errs == nil {
		h.redirectFlash(w, r, "/linkages", "lk.flash.created")
		return
	}
	d := &linkListData{Form: f}
	status := http.StatusUnprocessableEntity
	if err != nil {
		var ok bool
		if status, ok = formFailure(err, &d.Errors, &d.Error); !ok {
			h.fail(w, r, err)
			return
		}
	}
	for k, v := range errs {
		if d.Errors == nil {
			d.Errors = map[string]string{}
		}
		d.Errors[k] = v
	}
	h.renderLinkageList(w, r, status, d)
}

func (h *Handler) linkageEnd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if _, err := h.cfg.Linkages.EndLinkage(ctx(r), id, ""); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/linkages", "lk.flash.ended")
}

// enterpriseLinkage is the htmx panel of an enterprise page: its cadres,
// open red flags and recent visits.
func (h *Handler) enterpriseLinkage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	e, err := h.cfg.Enterprises.FindEnterpriseByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := actor(r)
	d := struct {
		E      *zhagen.Enterprise
		Links  []*zhagen.Linkage
		Visits []*zhagen.Visit
		Flags  []*zhagen.RedFlag
		Public bool
		CanLog bool
	}{E: e, Public: !govActor(a)}
	if d.Links, _, err = h.cfg.Linkages.FindLinkages(ctx(r), zhagen.LinkageFilter{EnterpriseID: id}); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Visits, _, _ = h.cfg.Linkages.FindVisits(ctx(r), zhagen.VisitFilter{EnterpriseID: id, Limit: 5})
	if govActor(a) {
		d.Flags, _ = h.cfg.Linkages.FindRedFlags(ctx(r), true, id)
	}
	for _, l := range d.Links {
		if l.Active && l.CadreID == a.UserID {
			d.CanLog = true
		}
	}
	h.renderPartial(w, r, "linkage_list", "ent_linkage", &page{Actor: a, Data: d})
}

// ---- visits ----

type visitListData struct {
	Rows       []*zhagen.Visit
	Total      int
	Public     bool
	CanLog     bool
	Enterprise int64
	Status     string
	Pager      pager
}

func (h *Handler) visitList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	q := r.URL.Query()
	eid, _ := strconv.ParseInt(q.Get("enterprise_id"), 10, 64)
	d := &visitListData{Public: !govActor(a), CanLog: canLogVisits(a), Enterprise: eid}
	f := zhagen.VisitFilter{EnterpriseID: eid, Limit: perPage, Offset: offset(pageParam(r))}
	if st := zhagen.VisitStatus(q.Get("status")); st == zhagen.VisitPlanned || st == zhagen.VisitLogged {
		f.Status, d.Status = st, string(st)
	}
	rows, total, err := h.cfg.Linkages.FindVisits(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Total, d.Pager = rows, total, newPager(r.URL, total, pageParam(r))
	p := &page{Title: h.tr(r, "nav.lk_visits"), Nav: "lk_visits", Data: d}
	if partialRequest(r, "vs-results") {
		h.renderPartial(w, r, "visit_list", "vs_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "visit_list", p)
}

// visitForm is the visit form as typed.
type visitForm struct {
	EnterpriseID, Status, Date, Kind, Participants, Topics, PublicNotes string
	Findings, InternalNotes                                             string
	Output, OrdersPct, Employees, Layoffs, Financing, LandSpace         string
	Talent, PowerWater, PolicyNeeds                                     string
	Expand, Relocate, Downsize                                          bool
}

type visitFormData struct {
	ID      int64 // 0 for a new visit
	Version int64
	Name    string // the enterprise of an existing visit
	F       visitForm
	Ents    []*zhagen.Linkage // enterprises the caller may visit
	Kinds   []zhagen.VisitKind
	Errors  map[string]string
	Error   string
}

// visitTargets lists the linkages whose enterprises the caller may visit.
func (h *Handler) visitTargets(r *http.Request) []*zhagen.Linkage {
	a := actor(r)
	yes := true
	f := zhagen.LinkageFilter{Active: &yes}
	if !a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) {
		f.CadreID = a.UserID
	}
	rows, _, _ := h.cfg.Linkages.FindLinkages(ctx(r), f)
	seen := map[int64]bool{}
	var out []*zhagen.Linkage
	for _, l := range rows {
		if !seen[l.EnterpriseID] {
			seen[l.EnterpriseID] = true
			out = append(out, l)
		}
	}
	return out
}

func canLogVisits(a *zhagen.Actor) bool {
	return a.Has(zhagen.RoleCadre, zhagen.RoleAdmin, zhagen.RoleDispatcher)
}

func (h *Handler) visitNew(w http.ResponseWriter, r *http.Request) {
	if !canLogVisits(actor(r)) {
		h.forbidden(w, r)
		return
	}
	f := visitForm{EnterpriseID: r.URL.Query().Get("enterprise_id"), Status: string(zhagen.VisitLogged),
		Date: h.clock.Now().In(zhagen.Shanghai).Format("2006-01-02"), Kind: string(zhagen.VisitOnSite)}
	h.renderVisitForm(w, r, http.StatusOK, &visitFormData{F: f})
}

func (h *Handler) renderVisitForm(w http.ResponseWriter, r *http.Request, status int, d *visitFormData) {
	d.Ents, d.Kinds = h.visitTargets(r), zhagen.VisitKinds
	title := h.tr(r, "vs.new")
	if d.ID != 0 {
		title = h.tr(r, "vs.edit")
	}
	h.render(w, r, status, "visit_form", &page{Title: title, Nav: "lk_visits",
		Crumbs: []crumb{{Label: h.tr(r, "nav.lk_visits"), Href: "/visits"}, {Label: title}}, Data: d})
}

// formOf is the form of an existing visit.
func formOf(v *zhagen.Visit) visitForm {
	f := visitForm{EnterpriseID: strconv.FormatInt(v.EnterpriseID, 10), Status: string(v.Status), Date: v.Date, Kind: string(v.Kind),
		Participants: v.Participants, Topics: v.Topics, PublicNotes: v.PublicNotes, Findings: v.Findings, InternalNotes: v.InternalNotes}
	if s := v.Situation; s != nil {
		f.Output, f.Financing, f.LandSpace, f.Talent, f.PowerWater, f.PolicyNeeds = s.Output, s.Financing, s.LandSpace, s.Talent, s.PowerWater, s.PolicyNeeds
		f.Expand, f.Relocate, f.Downsize = s.PlansExpand, s.PlansRelocate, s.PlansDownsize
		if s.OrdersChangePct != nil {
			f.OrdersPct = strconv.FormatFloat(*s.OrdersChangePct, 'f', -1, 64)
		}
		if s.Employees != nil {
			f.Employees = strconv.Itoa(*s.Employees)
		}
		if s.Layoffs != nil {
			f.Layoffs = strconv.Itoa(*s.Layoffs)
		}
	}
	return f
}

// visitEdit is GET /visits/{id}/edit: change a visit, e.g. log a planned
// one (?log=1 preselects 已走访).
func (h *Handler) visitEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	v, err := h.cfg.Linkages.FindVisitByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := actor(r)
	if !govActor(a) || (v.CadreID != a.UserID && !a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher)) {
		h.forbidden(w, r)
		return
	}
	f := formOf(v)
	if r.URL.Query().Get("log") == "1" {
		f.Status = string(zhagen.VisitLogged)
	}
	h.renderVisitForm(w, r, http.StatusOK, &visitFormData{ID: id, Version: v.Version, Name: v.EnterpriseName, F: f})
}

func (f *visitForm) visit() (*zhagen.Visit, map[string]string) {
	errs := map[string]string{}
	v := &zhagen.Visit{Status: zhagen.VisitStatus(f.Status), Date: f.Date, Kind: zhagen.VisitKind(f.Kind), Participants: f.Participants,
		Topics: f.Topics, PublicNotes: f.PublicNotes, Findings: f.Findings, InternalNotes: f.InternalNotes,
		Situation: &zhagen.Situation{Output: f.Output, Financing: f.Financing, LandSpace: f.LandSpace, Talent: f.Talent,
			PowerWater: f.PowerWater, PolicyNeeds: f.PolicyNeeds, PlansExpand: f.Expand, PlansRelocate: f.Relocate, PlansDownsize: f.Downsize}}
	v.EnterpriseID, _ = strconv.ParseInt(f.EnterpriseID, 10, 64)
	if s := strings.TrimSpace(f.OrdersPct); s != "" {
		if x, err := strconv.ParseFloat(s, 64); err == nil {
			v.Situation.OrdersChangePct = &x
		} else {
			errs["orders_change_pct"] = "订单变化须为数字（%）"
		}
	}
	for _, n := range []struct {
		s   string
		dst **int
		key string
	}{{f.Employees, &v.Situation.Employees, "employees"}, {f.Layoffs, &v.Situation.Layoffs, "layoffs"}} {
		if s := strings.TrimSpace(n.s); s != "" {
			if x, err := strconv.Atoi(s); err == nil {
				*n.dst = &x
			} else {
				errs[n.key] = "须为整数"
			}
		}
	}
	return v, errs
}

func (h *Handler) visitCreate(w http.ResponseWriter, r *http.Request) {
	h.saveVisit(w, r, 0)
}

// visitUpdate is POST /visits/{id}: save the edit form.
func (h *Handler) visitUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.saveVisit(w, r, id)
}

// saveVisit creates (id 0) or updates a visit from the form.
func (h *Handler) saveVisit(w http.ResponseWriter, r *http.Request, id int64) {
	if !canLogVisits(actor(r)) {
		h.forbidden(w, r)
		return
	}
	r.ParseForm()
	p := r.PostForm
	f := visitForm{EnterpriseID: p.Get("enterprise_id"), Status: p.Get("status"), Date: p.Get("date"), Kind: p.Get("kind"),
		Participants: p.Get("participants"), Topics: p.Get("topics"), PublicNotes: p.Get("public_notes"), Findings: p.Get("findings"),
		InternalNotes: p.Get("internal_notes"), Output: p.Get("output"), OrdersPct: p.Get("orders_change_pct"), Employees: p.Get("employees"),
		Layoffs: p.Get("layoffs"), Financing: p.Get("financing"), LandSpace: p.Get("land_space"), Talent: p.Get("talent"),
		PowerWater: p.Get("power_water"), PolicyNeeds: p.Get("policy_needs"),
		Expand: p.Get("plans_expand") == "1", Relocate: p.Get("plans_relocate") == "1", Downsize: p.Get("plans_downsize") == "1"}
	v, errs := f.visit()
	d := &visitFormData{ID: id, F: f, Name: p.Get("enterprise_name")}
	d.Version, _ = strconv.ParseInt(p.Get("version"), 10, 64)
	v.Version = d.Version
	if len(errs) > 0 {
		check := *v
		d.Errors = zhagen.FieldErrors(check.Validate())
		if d.Errors == nil {
			d.Errors = map[string]string{}
		}
		for k, e := range errs {
			d.Errors[k] = e
		}
		h.renderVisitForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	var err error
	if id == 0 {
		err = h.cfg.Linkages.CreateVisit(ctx(r), v)
	} else {
		err = h.cfg.Linkages.UpdateVisit(ctx(r), id, v)
	}
	if err == nil {
		flash := "vs.flash.saved"
		if len(v.Flags) > 0 {
			flash = "vs.flash.flagged"
		}
		h.redirectFlash(w, r, "/visits/"+strconv.FormatInt(v.ID, 10), flash)
		return
	}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if msg := d.Errors["version"]; msg != "" {
		d.Error, d.Errors = msg, nil
	}
	h.renderVisitForm(w, r, status, d)
}

type visitShowData struct {
	V         *zhagen.Visit
	Files     []*zhagen.VisitFile
	CanUpload bool
	FileError string
	Public    bool
	CanFile   bool
	Cats      []*zhagen.Category
	Title     string
	Desc      string
	CatID     int64
	Errors    map[string]string
	Error     string
}

func (h *Handler) visitShow(w http.ResponseWriter, r *http.Request) {
	h.renderVisitShow(w, r, http.StatusOK, &visitShowData{})
}

func (h *Handler) renderVisitShow(w http.ResponseWriter, r *http.Request, status int, d *visitShowData) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	v, err := h.cfg.Linkages.FindVisitByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := actor(r)
	d.V, d.Public = v, !govActor(a)
	mine := v.CadreID == a.UserID || a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher)
	d.CanFile = !d.Public && v.Findings != "" && v.DemandID == 0 && mine
	d.CanUpload = !d.Public && mine
	if !d.Public {
		d.Files, _ = h.cfg.Linkages.FindVisitFiles(ctx(r), id)
	}
	if d.CanFile {
		d.Cats, _ = h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{})
		if d.Desc == "" && d.Title == "" {
			d.Desc = v.Findings
			t := []rune(strings.TrimSpace(strings.SplitN(v.Findings, "\n", 2)[0]))
			if len(t) > 30 {
				t = append(t[:30], '…')
			}
			d.Title = "走访发现：" + string(t)
		}
	}
	title := v.EnterpriseName + " · " + v.Date
	h.render(w, r, status, "visit_show", &page{Title: title, Nav: "lk_visits",
		Crumbs: []crumb{{Label: h.tr(r, "nav.lk_visits"), Href: "/visits"}, {Label: title}}, Data: d})
}

// visitDemand is POST /visits/{id}/demand: the finding becomes a demand
// of the visited enterprise in one step.
func (h *Handler) visitDemand(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	d := &zhagen.Demand{Title: r.PostForm.Get("title"), Description: r.PostForm.Get("description"), Answers: zhagen.Answers{}}
	d.CategoryID, _ = strconv.ParseInt(r.PostForm.Get("category_id"), 10, 64)
	err := h.cfg.Linkages.DemandFromVisit(ctx(r), id, d)
	if err == nil {
		h.redirectFlash(w, r, demandPath(d.ID), "vs.flash.demand")
		return
	}
	sd := &visitShowData{Title: d.Title, Desc: d.Description, CatID: d.CategoryID}
	status, ok := formFailure(err, &sd.Errors, &sd.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if sd.Error == "" && len(sd.Errors) > 0 {
		// Errors of the category's questions: name them in one line.
		var msgs []string
		for _, m := range sd.Errors {
			msgs = append(msgs, m)
		}
		slices.Sort(msgs)
		sd.Error = strings.Join(msgs, "；")
	}
	h.renderVisitShow(w, r, status, sd)
}

// ---- coverage ----

func (h *Handler) visitCoverage(w http.ResponseWriter, r *http.Request) {
	if !canSeeAllLinkages(actor(r)) {
		h.forbidden(w, r)
		return
	}
	rep, err := h.cfg.Linkages.Coverage(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	chart := map[string]any{"names": []string{}, "pct": []float64{}, "label": h.tr(r, "cov.chart.series")}
	for _, c := range rep.Depts {
		chart["names"] = append(chart["names"].([]string), c.Name)
		chart["pct"] = append(chart["pct"].([]float64), c.Percent)
	}
	cj, _ := json.Marshal(chart)
	d := struct {
		R      *zhagen.CoverageReport
		Chart  string
		Charts bool
	}{R: rep, Chart: string(cj), Charts: h.static.url("vendor/echarts.min.js") != ""}
	h.render(w, r, http.StatusOK, "visit_coverage", &page{Title: h.tr(r, "nav.lk_coverage"), Nav: "lk_coverage", Data: d})
}

// ---- red flags ----

type flagListData struct {
	Open, Cleared []*zhagen.RedFlag
	Rules         []*zhagen.RedFlagRule
	Fields        any
	Ops           []zhagen.RuleOp
	CanClear      bool
	IsAdmin       bool
	RuleForm      zhagen.RedFlagRule
	Errors        map[string]string
	Error         string
	ClearID       int64
}

func (h *Handler) redFlagList(w http.ResponseWriter, r *http.Request) {
	h.renderFlags(w, r, http.StatusOK, &flagListData{})
}

func (h *Handler) renderFlags(w http.ResponseWriter, r *http.Request, status int, d *flagListData) {
	a := actor(r)
	if !canSeeAllLinkages(a) {
		h.forbidden(w, r)
		return
	}
	all, err := h.cfg.Linkages.FindRedFlags(ctx(r), false, 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, f := range all {
		if f.ClearedAt == nil {
			d.Open = append(d.Open, f)
		} else if len(d.Cleared) < 50 {
			d.Cleared = append(d.Cleared, f)
		}
	}
	d.Rules, _ = h.cfg.Linkages.FindRedFlagRules(ctx(r))
	d.Fields, d.Ops, d.CanClear, d.IsAdmin = zhagen.RuleFields, zhagen.RuleOps, canEditLinkages(a), a.CanAdmin()
	h.render(w, r, status, "redflag_list", &page{Title: h.tr(r, "nav.lk_flags"), Nav: "lk_flags", Data: d})
}

func (h *Handler) redFlagClear(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	_, err := h.cfg.Linkages.ClearRedFlag(ctx(r), id, r.PostForm.Get("note"))
	if err == nil {
		h.redirectFlash(w, r, "/red-flags", "rf.flash.cleared")
		return
	}
	d := &flagListData{ClearID: id}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if msg := d.Errors["note"]; msg != "" {
		d.Error = msg
	}
	h.renderFlags(w, r, status, d)
}

func (h *Handler) ruleCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	rule := &zhagen.RedFlagRule{Field: r.PostForm.Get("field"), Op: zhagen.RuleOp(r.PostForm.Get("op")),
		Threshold: r.PostForm.Get("threshold"), Reason: r.PostForm.Get("reason")}
	err := h.cfg.Linkages.CreateRedFlagRule(ctx(r), rule)
	if err == nil {
		h.redirectFlash(w, r, "/red-flags#rules", "rf.flash.rule")
		return
	}
	d := &flagListData{RuleForm: *rule}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderFlags(w, r, status, d)
}

func (h *Handler) ruleToggle(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	if err := h.cfg.Linkages.SetRedFlagRuleActive(ctx(r), id, r.PostForm.Get("active") == "1"); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/red-flags#rules", "rf.flash.rule")
}

// ---- suggestions ----

type suggListData struct {
	Runs     []*zhagen.Suggestion
	CanRun   bool
	Need     string
	Capacity string
	Errors   map[string]string
	Error    string
}

func (h *Handler) suggestionList(w http.ResponseWriter, r *http.Request) {
	h.renderSuggestions(w, r, http.StatusOK, &suggListData{Need: "1", Capacity: "2"})
}

func (h *Handler) renderSuggestions(w http.ResponseWriter, r *http.Request, status int, d *suggListData) {
	a := actor(r)
	if !canSuggest(a) {
		h.forbidden(w, r)
		return
	}
	runs, err := h.cfg.Linkages.FindSuggestions(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Runs, d.CanRun = runs, canEditLinkages(a)
	h.render(w, r, status, "suggestion_list", &page{Title: h.tr(r, "nav.lk_suggest"), Nav: "lk_suggest", Data: d})
}

func (h *Handler) suggestionRun(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	d := &suggListData{Need: r.PostForm.Get("need"), Capacity: r.PostForm.Get("capacity")}
	var p zhagen.SuggestionParams
	var err error
	if p.Need, err = strconv.Atoi(strings.TrimSpace(d.Need)); err != nil {
		d.Errors = map[string]string{"need": h.tr(r, "sg.err.int")}
	}
	if p.Capacity, err = strconv.Atoi(strings.TrimSpace(d.Capacity)); err != nil {
		if d.Errors == nil {
			d.Errors = map[string]string{}
		}
		d.Errors["capacity"] = h.tr(r, "sg.err.int")
	}
	if d.Errors != nil {
		h.renderSuggestions(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	sg, err := h.cfg.Linkages.RunSuggestion(ctx(r), p)
	if err == nil {
		h.redirectFlash(w, r, "/linkage-suggestions/"+strconv.FormatInt(sg.ID, 10), "sg.flash.run")
		return
	}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderSuggestions(w, r, status, d)
}

func (h *Handler) suggestionShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	sg, err := h.cfg.Linkages.FindSuggestion(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := struct {
		S         *zhagen.Suggestion
		CanAccept bool
		Pending   int
		Keys      int
		Seniors   int
	}{S: sg, CanAccept: canEditLinkages(actor(r)) && sg.Feasible}
	for _, p := range sg.Pairs {
		if !p.Accepted {
			d.Pending++
		}
		if p.EnterpriseKey {
			d.Keys++
		}
	}
	title := h.tr(r, "sg.run_n", sg.ID)
	h.render(w, r, http.StatusOK, "suggestion_show", &page{Title: title, Nav: "lk_suggest",
		Crumbs: []crumb{{Label: h.tr(r, "nav.lk_suggest"), Href: "/linkage-suggestions"}, {Label: title}}, Data: d})
}

func (h *Handler) suggestionAccept(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	var ids []int64
	if r.PostForm.Get("all") != "1" {
		for _, s := range r.PostForm["pair"] {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				ids = append(ids, n)
			}
		}
		if len(ids) == 0 {
			h.redirectFlash(w, r, "/linkage-suggestions/"+strconv.FormatInt(id, 10), "sg.flash.none")
			return
		}
	}
	if _, err := h.cfg.Linkages.AcceptSuggestion(ctx(r), id, ids); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/linkage-suggestions/"+strconv.FormatInt(id, 10), "sg.flash.accepted")
}

// visitUpload is POST /visits/{id}/files: a photo or file of the visit.
func (h *Handler) visitUpload(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	file, err := h.readUpload(w, r)
	if err == nil && file == nil {
		err = fileError(h.tr(r, "dm.files.none_chosen"))
	}
	if err == nil {
		_, err = h.cfg.Linkages.AddVisitFile(ctx(r), id, file.Name, file.Data)
	}
	if err == nil {
		h.redirectFlash(w, r, "/visits/"+strconv.FormatInt(id, 10)+"#files", "vs.flash.file")
		return
	}
	sd := &visitShowData{}
	switch zhagen.ErrorCode(err) {
	case zhagen.EINVALID:
		sd.FileError = zhagen.FieldErrors(err)["file"]
		if sd.FileError == "" {
			sd.FileError = zhagen.ErrorMessage(err)
		}
		h.renderVisitShow(w, r, http.StatusUnprocessableEntity, sd)
	default:
		h.fail(w, r, err)
	}
}

// visitFileDownload is GET /visits/{id}/files/{fid}, served as a download
// with sniffing and scripts off.
func (h *Handler) visitFileDownload(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	fid, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	if !ok || err != nil || fid <= 0 {
		h.notFound(w, r)
		return
	}
	f, data, err := h.cfg.Linkages.OpenVisitFile(ctx(r), id, fid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if disp == "" {
		disp = "attachment"
	}
	hd := w.Header()
	hd.Set("Content-Type", f.ContentType)
	hd.Set("Content-Disposition", disp)
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-store")
	w.Write(data)
}
