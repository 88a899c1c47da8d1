package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

// visitForm is the visit form as typed.
type visitForm struct {
	EnterpriseID, Status, Date, Kind, Participants, Topics, PublicNotes string
	Findings, InternalNotes                                             string
	Output, OrdersPct, Employees, Layoffs, Financing, LandSpace         string
	Talent, PowerWater, PolicyNeeds                                     string
	Expand, Relocate, Downsize                                          bool
	Key                                                                 string // idempotency key of a new visit
}

type visitFormData struct {
	ID      int64 // 0 for a new visit
	Version int64
	Name    string // the enterprise of an existing visit
	F       visitForm
	Ents    []*zhagen.Linkage // enterprises the caller may visit
	Kinds   []zhagen.VisitKind
	// Explain are the policies matched to the enterprises being visited
	// that no logged visit has explained yet: the visit's checklist.
	Explain []*zhagen.PolicyMatch
	Errors  map[string]string
	Error   string
}

// visitTargets lists the linkages whose enterprises the caller may visit.
func (h *Handler) visitTargets(r *http.Request) []*zhagen.Linkage {
	a := actor(r)
	yes := true
	f := zhagen.LinkageFilter{Active: &yes}
	if !grantsEvery(a, zhagen.PermVisitLog) {
		f.CadreID = a.UserID // a cadre visits the enterprises linked to them
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

func (h *Handler) visitNew(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermVisitLog) {
		h.forbidden(w, r, zhagen.PermVisitLog)
		return
	}
	f := visitForm{EnterpriseID: r.URL.Query().Get("enterprise_id"), Status: string(zhagen.VisitLogged),
		Date: day(h.clock.Now()), Kind: string(zhagen.VisitOnSite), Key: newIdempotencyKey()}
	h.renderVisitForm(w, r, http.StatusOK, &visitFormData{F: f})
}

func (h *Handler) renderVisitForm(w http.ResponseWriter, r *http.Request, status int, d *visitFormData) {
	d.Ents, d.Kinds = h.visitTargets(r), zhagen.VisitKinds
	d.Explain = h.policiesToExplain(r, d)
	title, nav := h.tr(r, "vs.new"), "lk_record"
	if d.ID != 0 {
		title, nav = h.tr(r, "vs.edit"), "lk_visits"
	}
	h.render(w, r, status, "visit_form", &page{Title: title, Nav: nav,
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
	if !zhagen.Can(actor(r), zhagen.PermVisitEdit, zhagen.VisitFacts(v, 0, false)) {
		h.forbidden(w, r, zhagen.PermVisitEdit)
		return
	}
	f := formOf(v)
	if r.URL.Query().Get("log") == "1" {
		f.Status = string(zhagen.VisitLogged)
	}
	h.renderVisitForm(w, r, http.StatusOK, &visitFormData{ID: id, Version: v.Version, Name: v.EnterpriseName, F: f})
}

// visit reads the form into a visit. The map holds, for each field that is
// not a number where one is needed, the catalogue key of the message.
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
			errs["orders_change_pct"] = "vs.err.orders_pct"
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
				errs[n.key] = "vs.err.whole"
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
	if !zhagen.CanAny(actor(r), zhagen.PermVisitLog) {
		h.forbidden(w, r, zhagen.PermVisitLog)
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
	if id == 0 {
		f.Key = strings.TrimSpace(p.Get("idempotency_key"))
		v.IdempotencyKey, v.CheckIn = f.Key, checkInOf(p.Get, h.clock.Now())
	}
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
			d.Errors[k] = h.tr(r, e)
		}
		if wantsJSON(r) {
			h.visitRefusedJSON(w, r, nil, d.Errors)
			return
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
		h.visitSaved(w, r, v)
		return
	}
	if wantsJSON(r) {
		h.visitRefusedJSON(w, r, err, nil)
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

// policiesToExplain lists the matched policies not yet explained to the
// enterprise of the form (to each enterprise the caller may visit when
// none is chosen yet).
func (h *Handler) policiesToExplain(r *http.Request, d *visitFormData) []*zhagen.PolicyMatch {
	if h.cfg.Policies == nil || !zhagen.CanAny(actor(r), zhagen.PermPolicyEligible) {
		return nil
	}
	ents := map[int64]bool{}
	if id, err := strconv.ParseInt(d.F.EnterpriseID, 10, 64); err == nil && id > 0 {
		ents[id] = true
	} else {
		for _, l := range d.Ents {
			ents[l.EnterpriseID] = true
		}
	}
	var out []*zhagen.PolicyMatch
	for id := range ents {
		ms, err := h.cfg.Policies.FindMatches(ctx(r), 0, id)
		if err != nil {
			continue
		}
		for _, m := range ms {
			if m.ExplainedAt == nil {
				out = append(out, m)
			}
		}
	}
	slices.SortFunc(out, func(a, b *zhagen.PolicyMatch) int {
		return strings.Compare(a.EnterpriseName+a.PolicyTitle, b.EnterpriseName+b.PolicyTitle)
	})
	return out
}
