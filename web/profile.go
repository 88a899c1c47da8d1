package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

type profileData struct {
	P         *zhagen.EnterpriseProfile
	Chart     string // the checklist trend: dates, orders %, employees, financing mentioned
	CanAttrs  bool
	OpenFlags int
	Matched   int
	Applied   int
	Paid      int
}

// profileShow is GET /enterprises/{id}/profile: the enterprise's one
// record (一企一档) for government users.
func (h *Handler) profileShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	p, err := h.cfg.Policies.Profile(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &profileData{P: p, Matched: len(p.Matches), Applied: len(p.Applications)}
	for _, f := range p.RedFlags {
		if f.Status == "open" {
			d.OpenFlags++
		}
	}
	for _, a := range p.Applications {
		if a.Status == zhagen.AppPaid {
			d.Paid++
		}
	}
	dates, orders, emps, fin := []string{}, []any{}, []any{}, []int{}
	for _, v := range p.Visits {
		dates = append(dates, v.Date)
		if v.OrdersPct != nil {
			orders = append(orders, *v.OrdersPct)
		} else {
			orders = append(orders, nil)
		}
		if v.Employees != nil {
			emps = append(emps, *v.Employees)
		} else {
			emps = append(emps, nil)
		}
		n := 0
		if strings.TrimSpace(v.Financing) != "" {
			n = 1
		}
		fin = append(fin, n)
	}
	cj, _ := json.Marshal(map[string]any{"dates": dates, "orders": orders, "employees": emps, "financing": fin,
		"names": map[string]string{"orders": h.tr(r, "pf.chart.orders"), "employees": h.tr(r, "pf.chart.employees"), "financing": h.tr(r, "pf.chart.financing")}})
	d.Chart = string(cj)
	a := actor(r)
	d.CanAttrs = zhagen.Can(a, zhagen.PermEnterpriseAttr, zhagen.Facts{EnterpriseID: id, Linked: slices.ContainsFunc(p.Cadres, func(c zhagen.ProfileCadre) bool { return c.UserID == a.UserID })})
	e := p.Enterprise
	h.render(w, r, http.StatusOK, "enterprise_profile", &page{Title: e.Name + " · " + h.tr(r, "pf.title"), Nav: "enterprises",
		Crumbs: []crumb{{Label: h.tr(r, "nav.enterprises"), Href: "/enterprises"}, {Label: e.Name, Href: "/enterprises/" + strconv.FormatInt(id, 10)}, {Label: h.tr(r, "pf.title")}},
		Data:   d})
}

type attrsData struct {
	E         *zhagen.Enterprise
	X         *zhagen.EnterpriseAttrs
	Tags      []*zhagen.Tag
	Has       map[string]bool
	CanTag    bool
	Bands     []string
	Positions []string
	Errors    map[string]string
	Error     string
}

// attrsEdit is GET /enterprises/{id}/attrs: the attributes policies
// match on, and the tags.
func (h *Handler) attrsEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	x, err := h.cfg.Policies.EnterpriseAttrs(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	has := map[string]bool{}
	if zhagen.CanAny(actor(r), zhagen.PermTagView) {
		tags, err := h.cfg.Policies.EnterpriseTags(ctx(r), id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, t := range tags {
			has[t.Name] = true
		}
	}
	h.renderAttrs(w, r, http.StatusOK, id, &attrsData{X: x, Has: has})
}

func (h *Handler) renderAttrs(w http.ResponseWriter, r *http.Request, status int, id int64, d *attrsData) {
	a := actor(r)
	if !zhagen.Can(a, zhagen.PermEnterpriseAttr, zhagen.Facts{EnterpriseID: id, Linked: h.linkedTo(r, id)}) {
		h.forbidden(w, r, zhagen.PermEnterpriseAttr)
		return
	}
	e, err := h.cfg.Enterprises.FindEnterpriseByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.E, d.Bands, d.Positions = e, zhagen.RevenueBands, zhagen.ChainPositions
	if d.CanTag = zhagen.CanAny(a, zhagen.PermEnterpriseTag); d.CanTag {
		if d.Tags, err = h.cfg.Policies.FindTags(ctx(r)); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, "enterprise_attrs", &page{Title: e.Name + " · " + h.tr(r, "pf.attrs"), Nav: "enterprises",
		Crumbs: []crumb{{Label: h.tr(r, "nav.enterprises"), Href: "/enterprises"}, {Label: e.Name, Href: "/enterprises/" + strconv.FormatInt(id, 10)}, {Label: h.tr(r, "pf.attrs")}},
		Data:   d})
}

// attrsSave is POST /enterprises/{id}/attrs: the attributes, then the
// tags (when the caller sets tags); each change matches the policies.
func (h *Handler) attrsSave(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	f := r.PostForm
	x := &zhagen.EnterpriseAttrs{EnterpriseID: id, RevenueBand: f.Get("revenue_band"), HighTech: f.Get("high_tech") == "1",
		Chain: f.Get("chain"), ChainPosition: f.Get("chain_position")}
	x.Employees, _ = strconv.Atoi(strings.TrimSpace(f.Get("employees")))
	x.FoundedYear, _ = strconv.Atoi(strings.TrimSpace(f.Get("founded_year")))
	has := map[string]bool{}
	for _, t := range f["tags"] {
		has[t] = true
	}
	err := h.cfg.Policies.SetEnterpriseAttrs(ctx(r), x)
	if err == nil && zhagen.CanAny(actor(r), zhagen.PermEnterpriseTag) {
		err = h.cfg.Policies.SetEnterpriseTags(ctx(r), id, f["tags"])
	}
	if err == nil {
		to := "/enterprises/" + strconv.FormatInt(id, 10)
		if zhagen.CanAny(actor(r), zhagen.PermProfileView) {
			to += "/profile"
		}
		h.redirectFlash(w, r, to, "pf.flash.saved")
		return
	}
	d := &attrsData{X: x, Has: has}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderAttrs(w, r, status, id, d)
}

// linkedTo reports whether the caller is a cadre actively linked to the
// enterprise (the policy's Facts.Linked).
func (h *Handler) linkedTo(r *http.Request, enterpriseID int64) bool {
	a := actor(r)
	if h.cfg.Linkages == nil || !a.Has(zhagen.RoleCadre) {
		return false
	}
	yes := true
	ls, _, err := h.cfg.Linkages.FindLinkages(ctx(r), zhagen.LinkageFilter{CadreID: a.UserID, EnterpriseID: enterpriseID, Active: &yes, Limit: 1})
	return err == nil && len(ls) > 0
}
