package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"zhagen"
	"zhagen/sheet"
)

// dmFilter is the demand search as typed, for the form and links.
type dmFilter struct {
	Q, Status, Open, Level, Channel, From, To, Sort string
	Category, Dept, Enterprise, Submitter           int64
	PendingExt                                      bool   // extension requests awaiting the dispatcher
	DeptRole                                        string // "lead": only the demands Dept leads
}

// parseDemandFilter reads the search parameters; anything unknown or
// malformed is dropped rather than passed on.
func parseDemandFilter(q url.Values) (dmFilter, zhagen.DemandFilter) {
	fl := dmFilter{Q: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort")}
	f := zhagen.DemandFilter{Query: fl.Q, Limit: perPage}
	if s := zhagen.DemandStatus(q.Get("status")); s.Label() != "" {
		fl.Status, f.Statuses = string(s), []zhagen.DemandStatus{s}
	}
	switch q.Get("open") {
	case "1":
		fl.Open, f.Open = "1", new(true)
	case "0":
		fl.Open, f.Open = "0", new(false)
	}
	if l := zhagen.SLALevel(q.Get("level")); l.Label() != "" {
		fl.Level, f.Level = string(l), l
	}
	if c := zhagen.Channel(q.Get("channel")); c.Label() != "" {
		fl.Channel, f.Channel = string(c), c
	}
	if q.Get("pending_extension") == "1" {
		fl.PendingExt, f.PendingExtension = true, true
	}
	id := func(k string) int64 {
		n, err := strconv.ParseInt(q.Get(k), 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	fl.Category, fl.Dept, fl.Enterprise = id("category"), id("dept"), id("enterprise")
	fl.Submitter, f.SubmitterID = id("submitter"), id("submitter")
	f.CategoryID, f.DeptID, f.EnterpriseID = fl.Category, fl.Dept, fl.Enterprise
	if q.Get("role") == "lead" && fl.Dept != 0 { // the demands it leads (the rates' links)
		fl.DeptRole, f.DeptRole = "lead", "lead"
	}
	if t, ok := zhagen.ParseDay(q.Get("from")); ok {
		fl.From, f.From = q.Get("from"), &t
	}
	if t, ok := zhagen.ParseDay(q.Get("to")); ok {
		end := t.AddDate(0, 0, 1) // the service's To is exclusive
		fl.To, f.To = q.Get("to"), &end
	}
	if !slices.Contains(zhagen.DemandSorts, fl.Sort) {
		fl.Sort = ""
	}
	f.Sort = fl.Sort
	return fl, f
}

type dmListData struct {
	Filter      dmFilter
	Rows        []demandRow
	Pager       pager
	Cols        map[string]sortCol
	Gov         bool // show enterprise and department filters and columns
	Filtered    bool
	CanSubmit   bool
	Statuses    []zhagen.DemandStatus
	Levels      []zhagen.SLALevel
	Channels    []zhagen.Channel
	Categories  []catGroup
	Depts       []*zhagen.Department
	Enterprises []*zhagen.Enterprise
}

// demandList is GET /demands: search and filters over the demands in the
// caller's scope. An htmx request that targets #dm-results gets the table.
func (h *Handler) demandList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermDemandView) {
		h.forbidden(w, r, zhagen.PermDemandView)
		return
	}
	fl, f := parseDemandFilter(r.URL.Query())
	// Those who see many enterprises get the enterprise and department
	// filters and columns; filters only narrow the service's scope.
	gov := zhagen.SeesOthers(a, zhagen.PermEnterpriseView)
	if !gov {
		fl.Dept, fl.Enterprise, f.DeptID, f.EnterpriseID = 0, 0, 0, 0
	}
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.Demands, func(emit func(*zhagen.Demand) error) error {
			return h.cfg.Demands.EachDemand(ctx(r), f, emit)
		})
		return
	}
	pageNum := pageParam(r)
	f.Offset = offset(pageNum)
	rows, total, err := h.cfg.Demands.FindDemands(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &dmListData{
		Filter: fl, Rows: h.rows(r, rows), Pager: newPager(r.URL, total, pageNum).exportable(r), Gov: gov,
		CanSubmit: zhagen.CanAny(a, zhagen.PermDemandCreate),
		Filtered: fl.Q != "" || fl.Status != "" || fl.Open != "" || fl.Level != "" || fl.Channel != "" || fl.From != "" ||
			fl.To != "" || fl.Category != 0 || fl.Dept != 0 || fl.Enterprise != 0 || fl.PendingExt,
		Cols: map[string]sortCol{
			"created": sortHeader(r.URL, cmp.Or(fl.Sort, "-created"), "created", h.tr(r, "dm.f.created_at")),
			"due":     dueHeader(r.URL, fl.Sort, h.tr(r, "dm.f.sla")),
		},
	}
	p := &page{Title: h.demandListTitle(r, a), Nav: "demands", Data: d}
	if partialRequest(r, "dm-results") {
		h.renderPartial(w, r, "demand_list", "dm_results", p)
		return
	}
	d.Statuses, d.Channels = zhagen.DemandStatuses, zhagen.Channels
	d.Levels = []zhagen.SLALevel{zhagen.SLAOK, zhagen.SLAYellow, zhagen.SLARed}
	cats, err := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{IncludeArchived: true})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Categories = groupCategories(cats, h.tr(r, "cat.group.other"))
	if gov {
		if d.Depts, err = h.deptTree(r); err != nil {
			h.fail(w, r, err)
			return
		}
		if d.Enterprises, err = h.enterpriseChoices(r); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "demand_list", p)
}

// dueHeader is the header of the SLA column: it sorts by due time,
// overdue first; a second click returns to newest first.
func dueHeader(u *url.URL, current, label string) sortCol {
	c := sortHeader(u, current, "due", label)
	if current == "due" {
		c.Href = withParam(withoutPage(u), "sort", "")
	}
	return c
}

// demandListTitle names the list as the actor's menu does.
func (h *Handler) demandListTitle(r *http.Request, a *zhagen.Actor) string {
	for _, it := range h.demandMenu(a, h.navItem(langOf(r), "")) {
		if it.Key == "demands" {
			return it.Label
		}
	}
	return h.tr(r, "nav.dm_search")
}

func (h *Handler) deptTree(r *http.Request) ([]*zhagen.Department, error) {
	depts, err := h.cfg.Departments.FindDepartments(ctx(r))
	if err != nil {
		return nil, err
	}
	return zhagen.DepartmentTree(depts), nil
}

// enterpriseChoices lists enterprises for pickers, by name (the service
// returns at most 200).
func (h *Handler) enterpriseChoices(r *http.Request) ([]*zhagen.Enterprise, error) {
	ents, _, err := h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{Sort: "name", Limit: 200})
	return ents, err
}

type dmInboxData struct {
	Tab       string // lead or coop
	LeadCount int
	CoopCount int
	Rows      []demandRow
	Pager     pager
	DeptName  string
}

// demandInbox is GET /demands/inbox: the open demands of the staff
// member's department, as lead (主办) or cooperating (协办), overdue first;
// for those the policy lets work on a department's demands
// (PermDemandUpdate).
func (h *Handler) demandInbox(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermDemandUpdate) {
		h.forbidden(w, r, zhagen.PermDemandUpdate)
		return
	}
	tab := r.URL.Query().Get("tab")
	if tab != "coop" {
		tab = "lead"
	}
	pageNum := pageParam(r)
	d := &dmInboxData{Tab: tab}
	for _, role := range []string{"lead", "coop"} {
		f := zhagen.DemandFilter{DeptID: a.DeptID, DeptRole: role, Open: new(true), Sort: "due", Limit: perPage, Offset: offset(pageNum)}
		var rows []*zhagen.Demand
		var total int
		var err error
		if role == tab {
			rows, total, err = h.cfg.Demands.FindDemands(ctx(r), f)
		} else { // the other tab shows its count only
			total, err = h.cfg.Demands.CountDemands(ctx(r), f)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if role == "lead" {
			d.LeadCount = total
		} else {
			d.CoopCount = total
		}
		if role == tab {
			d.Rows, d.Pager = h.rows(r, rows), newPager(r.URL, total, pageNum)
		}
	}
	if dept, err := h.cfg.Departments.FindDepartmentByID(ctx(r), a.DeptID); err == nil {
		d.DeptName = dept.Name
	}
	p := &page{Title: h.tr(r, "nav.dm_inbox"), Nav: "dm_inbox", Data: d}
	if partialRequest(r, "dm-inbox") {
		h.renderPartial(w, r, "demand_inbox", "dm_inbox_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "demand_inbox", p)
}

// boardPanel is one panel of the dispatcher board.
type boardPanel struct {
	Key   string
	Title string
	Tone  string
	Total int
	Rows  []demandRow
	More  string // link to the full list, "" when there is none
}

// boardRows is how many rows each panel of the board shows.
const boardRows = 10

// demandBoard is GET /demands/board: what the dispatch centre must act on,
// each panel a page of a search with its total and a link to all of it.
func (h *Handler) demandBoard(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermDemandAssign) {
		h.forbidden(w, r, zhagen.PermDemandAssign)
		return
	}
	defs := []struct {
		key, tone, more string
		f               zhagen.DemandFilter
	}{
		{"submitted", "orange", "/demands?status=submitted&sort=created", zhagen.DemandFilter{Statuses: []zhagen.DemandStatus{zhagen.DemandSubmitted}, Sort: "created"}},
		{"returned", "red", "/demands?status=returned&sort=due", zhagen.DemandFilter{Statuses: []zhagen.DemandStatus{zhagen.DemandReturned}, Sort: "due"}},
		{"overdue", "red", "/demands?level=red&open=1&sort=due", zhagen.DemandFilter{Level: zhagen.SLARed, Open: new(true), Sort: "due"}},
		{"extension", "purple", "/demands?pending_extension=1", zhagen.DemandFilter{PendingExtension: true, Open: new(true), Sort: "due"}},
	}
	var panels []boardPanel
	for _, def := range defs {
		def.f.Limit = boardRows
		rows, total, err := h.cfg.Demands.FindDemands(ctx(r), def.f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		panels = append(panels, boardPanel{Key: def.key, Title: h.tr(r, "dm.board."+def.key), Tone: def.tone,
			Total: total, Rows: h.rows(r, rows), More: def.more})
	}
	h.render(w, r, http.StatusOK, "demand_board", &page{Title: h.tr(r, "nav.dm_board"), Nav: "dm_board", Data: panels})
}
