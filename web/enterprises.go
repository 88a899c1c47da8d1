package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhagen"
	"zhagen/sheet"
)

// entFilter is the enterprise list's query as typed, for the form and links.
type entFilter struct {
	Q, Industry, IsKey, Park, Status, Sort, Tag string
	Archived                                    bool
}

type entListData struct {
	Filter     entFilter
	Rows       []*zhagen.Enterprise
	Pager      pager
	Cols       map[string]sortCol
	Industries []*zhagen.Industry
	Parks      []string
	Tags       []*zhagen.Tag // the administrators' tags, for government users
	Statuses   []zhagen.EnterpriseStatus
	CanEdit    bool
	Filtered   bool
	SelfOnly   bool // an enterprise user: no filters over a list of one
}

// enterpriseList is GET /enterprises: search, filters, sorting and pages.
// An htmx request that targets #ent-results gets only the table.
func (h *Handler) enterpriseList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermEnterpriseView) {
		h.forbidden(w, r, zhagen.PermEnterpriseView)
		return
	}
	q := r.URL.Query()
	fl := entFilter{
		Q:        strings.TrimSpace(q.Get("q")),
		Industry: q.Get("industry"),
		IsKey:    q.Get("is_key"),
		Park:     strings.TrimSpace(q.Get("park")),
		Status:   q.Get("status"),
		Sort:     validSort(q.Get("sort"), zhagen.EnterpriseSorts),
		Archived: q.Get("archived") == "1",
		Tag:      q.Get("tag"),
	}
	f := zhagen.EnterpriseFilter{
		Query: fl.Q, Industry: fl.Industry, Park: fl.Park, Sort: fl.Sort,
		IncludeArchived: fl.Archived, Limit: perPage,
	}
	if id, err := strconv.ParseInt(fl.Tag, 10, 64); err == nil && id > 0 && h.cfg.Policies != nil && zhagen.CanAny(a, zhagen.PermTagView) {
		f.TagID = id
	} else {
		fl.Tag = ""
	}
	switch fl.IsKey {
	case "1":
		f.IsKey = new(true)
	case "0":
		f.IsKey = new(false)
	default:
		fl.IsKey = ""
	}
	if zhagen.EnterpriseStatus(fl.Status).Label() != "" {
		f.Status = zhagen.EnterpriseStatus(fl.Status)
	} else {
		fl.Status = ""
	}
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.Enterprises, func(emit func(*zhagen.Enterprise) error) error {
			return h.cfg.Enterprises.EachEnterprise(ctx(r), f, emit)
		})
		return
	}
	pageNum := pageParam(r)
	f.Offset = offset(pageNum)
	rows, total, err := h.cfg.Enterprises.FindEnterprises(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := entListData{
		Filter:   fl,
		Rows:     rows,
		Pager:    newPager(r.URL, total, pageNum).exportable(r),
		Statuses: zhagen.EnterpriseStatuses,
		CanEdit:  zhagen.CanAny(a, zhagen.PermEnterpriseEdit),
		SelfOnly: !zhagen.SeesOthers(a, zhagen.PermEnterpriseView),
		Filtered: fl.Q != "" || fl.Industry != "" || fl.IsKey != "" || fl.Park != "" || fl.Status != "" || fl.Archived || fl.Tag != "",
		Cols:     map[string]sortCol{},
	}
	for _, key := range []string{"name", "uscc", "industry", "park", "is_key", "updated_at"} {
		d.Cols[key] = sortHeader(r.URL, fl.Sort, key, h.tr(r, "ent.f."+key))
	}
	p := &page{Title: h.tr(r, "nav.enterprises"), Nav: "enterprises", Data: &d}
	if partialRequest(r, "ent-results") {
		h.renderPartial(w, r, "enterprise_list", "ent_results", p)
		return
	}
	if d.Industries, err = h.cfg.Enterprises.FindIndustries(ctx(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Parks, err = h.cfg.Enterprises.FindParks(ctx(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	if h.cfg.Policies != nil && zhagen.CanAny(a, zhagen.PermTagView) {
		if d.Tags, err = h.cfg.Policies.FindTags(ctx(r)); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if d.SelfOnly {
		p.Title = h.tr(r, "nav.my_enterprise")
	}
	h.render(w, r, http.StatusOK, "enterprise_list", p)
}

type entShowData struct {
	E       *zhagen.Enterprise
	CanEdit bool
	// Internal is for government users: the record's version and dates,
	// the link to the profile (一企一档); never for the enterprise itself.
	Internal bool
	Profile  bool
	CanAttrs bool
	Linkage  bool // the linkage panel is loaded from /enterprises/{id}/linkage
}

// enterpriseShow is GET /enterprises/{id}.
func (h *Handler) enterpriseShow(w http.ResponseWriter, r *http.Request) {
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
	h.render(w, r, http.StatusOK, "enterprise_show", &page{
		Title:  e.Name,
		Nav:    "enterprises",
		Crumbs: []crumb{{Label: h.tr(r, "nav.enterprises"), Href: "/enterprises"}, {Label: e.Name}},
		Data: entShowData{E: e, CanEdit: zhagen.Can(actor(r), zhagen.PermEnterpriseEdit, zhagen.Facts{EnterpriseID: e.ID}), Linkage: h.cfg.Linkages != nil,
			Internal: !actor(r).Has(zhagen.RoleEnterprise) || zhagen.SeesOthers(actor(r), zhagen.PermEnterpriseView),
			Profile:  h.cfg.Policies != nil && zhagen.CanAny(actor(r), zhagen.PermProfileView),
			CanAttrs: h.cfg.Policies != nil && zhagen.CanAny(actor(r), zhagen.PermEnterpriseAttr)},
	})
}
