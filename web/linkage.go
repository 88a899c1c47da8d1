package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
	"zhagen/sheet"
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
	auth("GET /visits/sync", h.visitSync)
	auth("GET /visits/{id}", h.visitShow)
	auth("GET /visits/{id}/edit", h.visitEdit)
	auth("POST /visits/{id}", h.visitUpdate)
	auth("POST /visits/{id}/demand", h.visitDemand)
	auth("POST /visits/{id}/files", h.visitUpload)
	// The address of a visit file before files were one type, kept.
	auth("GET /visits/{id}/files/{fid}", h.ownerFileDownload(zhagen.VisitFiles, "fid"))
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
		if zhagen.CanAny(a, zhagen.PermVisitLog) {
			out = append(out, item("lk_record", "/visits/new", "plus"), item("lk_sync", "/visits/sync", "list"))
		}
	}
	if grantsEvery(a, zhagen.PermLinkageView) {
		out = append(out, item("lk_all", "/linkages", "tree"))
	}
	if zhagen.CanAny(a, zhagen.PermVisitView) {
		out = append(out, item("lk_visits", "/visits", "doc"))
	}
	if zhagen.CanAny(a, zhagen.PermCoverageView) {
		out = append(out, item("lk_coverage", "/visits/coverage", "board"))
	}
	if zhagen.CanAny(a, zhagen.PermRedFlagView) {
		out = append(out, item("lk_flags", "/red-flags", "alert"))
	}
	if zhagen.CanAny(a, zhagen.PermSuggestionView) {
		out = append(out, item("lk_suggest", "/linkage-suggestions", "users"))
	}
	return out
}

// grantsEvery reports whether the policy grants the actor p over every object
// of its kind.
func grantsEvery(a *zhagen.Actor, p zhagen.Perm) bool {
	every, _ := zhagen.ScopeOf(a, p)
	return every
}

// linkageCards are the workbench figures of linkage and visits: a
// cadre's enterprises and overdue visits; the at-risk enterprises and the
// visit coverage for those who oversee them.
func (h *Handler) linkageCards(r *http.Request, a *zhagen.Actor) []homeCard {
	if h.cfg.Linkages == nil {
		return nil
	}
	var out []homeCard
	if a.Has(zhagen.RoleCadre) && !zhagen.CanAny(a, zhagen.PermVisitLog) { // else the field block shows them
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
	if zhagen.CanAny(a, zhagen.PermRedFlagView) {
		if flags, err := h.cfg.Linkages.FindRedFlags(ctx(r), true, 0); err == nil {
			out = append(out, homeCard{Label: h.tr(r, "rf.open"), Value: strconv.Itoa(len(flags)), Href: "/red-flags", Tone: "red"})
		}
	}
	if zhagen.CanAny(a, zhagen.PermCoverageView) {
		if cov, err := h.cfg.Linkages.Coverage(ctx(r)); err == nil && cov.Total.Linked > 0 {
			out = append(out, homeCard{Label: h.tr(r, "cov.total"), Value: strconv.FormatFloat(cov.Total.Percent, 'f', -1, 64) + "%", Href: "/visits/coverage", Tone: "green"})
		}
	}
	return out
}

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
		h.refused(w, r, h.tr(r, "lk.mine.forbidden"))
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
	if !grantsEvery(a, zhagen.PermLinkageView) {
		h.forbidden(w, r, zhagen.PermLinkageView)
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
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.Linkages, sheet.Pages(func(limit, offset int) ([]*zhagen.Linkage, int, error) {
			g := f
			g.Limit, g.Offset = limit, offset
			return h.cfg.Linkages.FindLinkages(ctx(r), g)
		}))
		return
	}
	rows, _, err := h.cfg.Linkages.FindLinkages(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.CanEdit, d.Roles = rows, zhagen.CanAny(a, zhagen.PermLinkageEdit), zhagen.LinkRoles
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
	h.render(w, r, status, "linkage_list", &page{Title: h.tr(r, "nav.lk_all"), Nav: "lk_all", Data: d, Export: exportLinks(r)})
}

func (h *Handler) linkageCreate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermLinkageEdit) {
		h.forbidden(w, r, zhagen.PermLinkageEdit)
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
	}{E: e, Public: !zhagen.CanAny(a, zhagen.PermVisitInternal)}
	if d.Links, _, err = h.cfg.Linkages.FindLinkages(ctx(r), zhagen.LinkageFilter{EnterpriseID: id}); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Visits, _, _ = h.cfg.Linkages.FindVisits(ctx(r), zhagen.VisitFilter{EnterpriseID: id, Limit: 5})
	if zhagen.CanAny(a, zhagen.PermRedFlagView) {
		d.Flags, _ = h.cfg.Linkages.FindRedFlags(ctx(r), true, id)
	}
	linked := false
	for _, l := range d.Links {
		linked = linked || (l.Active && l.CadreID == a.UserID)
	}
	d.CanLog = zhagen.Can(a, zhagen.PermVisitLog, zhagen.VisitFacts(&zhagen.Visit{EnterpriseID: id}, a.DeptID, linked))
	h.renderPartial(w, r, "linkage_list", "ent_linkage", &page{Actor: a, Data: d})
}
