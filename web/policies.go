package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

// policyRoutes registers the policy catalogue (惠企政策), redemption
// (政策兑现), tags and the enterprise profile (一企一档) when the policy
// service is set.
func (h *Handler) policyRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Policies == nil {
		return
	}
	auth("GET /policies", h.policyList)
	auth("GET /policies/new", h.policyNew)
	auth("POST /policies", h.policyCreate)
	auth("GET /policies/{id}", h.policyShow)
	auth("GET /policies/{id}/edit", h.policyEdit)
	auth("POST /policies/{id}", h.policyUpdate)
	auth("POST /policies/{id}/publish", h.policyPublish)
	auth("POST /policies/{id}/apply", h.policyApply)
	auth("GET /policy-applications", h.appList)
	auth("GET /policy-applications/{id}", h.appShow)
	auth("POST /policy-applications/{id}/steps", h.appStep)
	auth("POST /policy-applications/{id}/files", h.appAttach)
	auth("GET /tags", h.tagList)
	auth("POST /tags", h.tagCreate)
	auth("POST /tags/{id}/delete", h.tagDelete)
	auth("GET /enterprises/{id}/profile", h.profileShow)
	auth("GET /enterprises/{id}/attrs", h.attrsEdit)
	auth("POST /enterprises/{id}/attrs", h.attrsSave)
}

type policyListData struct {
	Rows       []*zhagen.Policy
	Category   string
	Categories []zhagen.PolicyCategory
	CanEdit    bool
	Mine       bool // an enterprise user: the policies it qualifies for are marked
	Matched    map[int64]bool
}

// policyList is GET /policies: the catalogue, by category.
func (h *Handler) policyList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermPolicyView) {
		h.forbidden(w, r, zhagen.PermPolicyView)
		return
	}
	cat := r.URL.Query().Get("category")
	if _, ok := policyCategorySet()[cat]; !ok {
		cat = ""
	}
	rows, err := h.cfg.Policies.FindPolicies(ctx(r), zhagen.PolicyFilter{Category: zhagen.PolicyCategory(cat), Query: r.URL.Query().Get("q"), Limit: 500})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &policyListData{Rows: rows, Category: cat, Categories: zhagen.PolicyCategories, CanEdit: zhagen.CanAny(a, zhagen.PermPolicyEdit), Matched: map[int64]bool{}}
	if a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0 {
		d.Mine = true
		ms, err := h.cfg.Policies.FindMatches(ctx(r), 0, a.EnterpriseID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, m := range ms {
			d.Matched[m.PolicyID] = true
		}
	}
	h.render(w, r, http.StatusOK, "policy_list", &page{Title: h.tr(r, "nav.policies"), Nav: "policies", Data: d})
}

func policyCategorySet() map[string]bool {
	m := map[string]bool{}
	for _, c := range zhagen.PolicyCategories {
		m[string(c)] = true
	}
	return m
}

// ruleRow is one row of the rule list in the form.
type ruleRow struct {
	Attr  string
	Op    string
	Value string
}

type policyFormData struct {
	P     *zhagen.Policy
	Rules []ruleRow
	Depts []*zhagen.Department
	Attrs []zhagen.RuleAttr
	Ops   []string
	Bands []string
	// Categories and Benefits are the choices of the selects.
	Categories []zhagen.PolicyCategory
	Benefits   []zhagen.BenefitType
	Errors     map[string]string
	Error      string
}

// policyNew is GET /policies/new.
func (h *Handler) policyNew(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermPolicyEdit) {
		h.forbidden(w, r, zhagen.PermPolicyEdit)
		return
	}
	p := &zhagen.Policy{Category: zhagen.PolicyIndustry, BenefitType: zhagen.BenefitSubsidy, ValidFrom: day(h.clock.Now())}
	h.renderPolicyForm(w, r, http.StatusOK, &policyFormData{P: p})
}

// policyEdit is GET /policies/{id}/edit.
func (h *Handler) policyEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if !zhagen.CanAny(actor(r), zhagen.PermPolicyEdit) {
		h.forbidden(w, r, zhagen.PermPolicyEdit)
		return
	}
	p, err := h.cfg.Policies.FindPolicy(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderPolicyForm(w, r, http.StatusOK, &policyFormData{P: p})
}

func (h *Handler) renderPolicyForm(w http.ResponseWriter, r *http.Request, status int, d *policyFormData) {
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
	d.Attrs, d.Ops, d.Bands = zhagen.RuleAttrs, zhagen.PolicyRuleOps, zhagen.RevenueBands
	d.Categories, d.Benefits = zhagen.PolicyCategories, zhagen.BenefitTypes
	if d.Rules == nil {
		for _, ru := range d.P.Rules {
			d.Rules = append(d.Rules, ruleRow{string(ru.Attr), ru.Op, ru.Value})
		}
	}
	for len(d.Rules) < zhagen.MaxPolicyRules && len(d.Rules) < len(d.P.Rules)+3 {
		d.Rules = append(d.Rules, ruleRow{})
	}
	title, crumbs := h.tr(r, "pol.new"), []crumb{{Label: h.tr(r, "nav.policies"), Href: "/policies"}}
	if d.P.ID != 0 {
		title = d.P.Title
		crumbs = append(crumbs, crumb{Label: d.P.Title, Href: d.P.Link()})
	}
	h.render(w, r, status, "policy_form", &page{Title: title, Nav: "policies", Crumbs: append(crumbs, crumb{Label: h.tr(r, "common.edit")}), Data: d})
}

// policyFromForm reads the policy form; the rule rows whose attribute is
// empty are dropped.
func policyFromForm(r *http.Request) (*zhagen.Policy, []ruleRow) {
	r.ParseForm()
	f := r.PostForm
	p := &zhagen.Policy{Title: f.Get("title"), DocNo: f.Get("doc_no"), Category: zhagen.PolicyCategory(f.Get("category")),
		Summary: f.Get("summary"), Body: f.Get("body"), ValidFrom: f.Get("valid_from"), ValidTo: f.Get("valid_to"),
		BenefitType: zhagen.BenefitType(f.Get("benefit_type")), BenefitText: f.Get("benefit_text"), Auto: f.Get("auto") == "1"}
	p.IssuerDeptID, _ = strconv.ParseInt(f.Get("issuer_dept_id"), 10, 64)
	p.HandlerDeptID, _ = strconv.ParseInt(f.Get("handler_dept_id"), 10, 64)
	p.BenefitAmount, _ = strconv.ParseInt(strings.TrimSpace(f.Get("benefit_amount")), 10, 64)
	p.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	attrs, ops, vals := f["rule_attr"], f["rule_op"], f["rule_value"]
	var rows []ruleRow
	p.Rules = []zhagen.PolicyRule{}
	for i, at := range attrs {
		row := ruleRow{Attr: at}
		if i < len(ops) {
			row.Op = ops[i]
		}
		if i < len(vals) {
			row.Value = vals[i]
		}
		rows = append(rows, row)
		if at != "" {
			p.Rules = append(p.Rules, zhagen.PolicyRule{Attr: zhagen.RuleAttr(at), Op: row.Op, Value: row.Value})
		}
	}
	return p, rows
}

// policyCreate is POST /policies.
func (h *Handler) policyCreate(w http.ResponseWriter, r *http.Request) {
	p, rows := policyFromForm(r)
	err := h.cfg.Policies.CreatePolicy(ctx(r), p)
	if err == nil {
		h.redirectFlash(w, r, p.Link(), "pol.flash.saved")
		return
	}
	h.policyFormFailed(w, r, err, p, rows)
}

// policyUpdate is POST /policies/{id}.
func (h *Handler) policyUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	p, rows := policyFromForm(r)
	p.ID = id
	err := h.cfg.Policies.UpdatePolicy(ctx(r), p)
	if err == nil {
		h.redirectFlash(w, r, p.Link(), "pol.flash.saved")
		return
	}
	h.policyFormFailed(w, r, err, p, rows)
}

func (h *Handler) policyFormFailed(w http.ResponseWriter, r *http.Request, err error, p *zhagen.Policy, rows []ruleRow) {
	d := &policyFormData{P: p, Rules: rows}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderPolicyForm(w, r, status, d)
}

type policyShowData struct {
	P           *zhagen.Policy
	CanEdit     bool
	CanEligible bool
	Eligible    []zhagen.Eligibility // qualifying first
	NotEligible []zhagen.Eligibility // the first few that do not, with the failing condition
	Matches     []*zhagen.PolicyMatch
	Apps        []*zhagen.PolicyApplication
	Own         *zhagen.Eligibility // an enterprise user's own verdict
	CanApply    bool
	ApplyEnts   []*zhagen.Enterprise // for the centre and cadres: whom to apply for
	Applied     bool
	Errors      map[string]string
	Error       string
	Input       zhagen.AppInput
}

// policyShow is GET /policies/{id}: the policy, its rules, who qualifies
// and why, the matches told and the applications.
func (h *Handler) policyShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderPolicy(w, r, http.StatusOK, id, &policyShowData{})
}

func (h *Handler) renderPolicy(w http.ResponseWriter, r *http.Request, status int, id int64, d *policyShowData) {
	a := actor(r)
	p, err := h.cfg.Policies.FindPolicy(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.P, d.CanEdit, d.CanEligible = p, zhagen.CanAny(a, zhagen.PermPolicyEdit), zhagen.CanAny(a, zhagen.PermPolicyEligible)
	if d.CanEligible && p.Status == zhagen.PolicyPublished || d.CanEdit {
		els, err := h.cfg.Policies.Eligibility(ctx(r), id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, el := range els {
			if el.Eligible {
				d.Eligible = append(d.Eligible, el)
			} else if len(d.NotEligible) < 20 {
				d.NotEligible = append(d.NotEligible, el)
			}
		}
		if d.Matches, err = h.cfg.Policies.FindMatches(ctx(r), id, 0); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if zhagen.CanAny(a, zhagen.PermAppView) {
		if d.Apps, err = h.cfg.Policies.FindApplications(ctx(r), zhagen.AppFilter{PolicyID: id, Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0 {
		ms, err := h.cfg.Policies.FindMatches(ctx(r), id, a.EnterpriseID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(ms) > 0 {
			d.Own = &zhagen.Eligibility{EnterpriseID: a.EnterpriseID, Eligible: true}
			d.Input.EnterpriseID = a.EnterpriseID
		}
		d.Applied = len(d.Apps) > 0
	}
	d.CanApply = p.InForce(h.clock.Now()) && !p.Auto && zhagen.CanAny(a, zhagen.PermAppApply) && !d.Applied
	if d.CanApply && !a.Has(zhagen.RoleEnterprise) {
		for _, el := range d.Eligible {
			d.ApplyEnts = append(d.ApplyEnts, &zhagen.Enterprise{ID: el.EnterpriseID, Name: el.EnterpriseName})
		}
	}
	h.render(w, r, status, "policy_show", &page{Title: p.Title, Nav: "policies",
		Crumbs: []crumb{{Label: h.tr(r, "nav.policies"), Href: "/policies"}, {Label: p.Title}}, Data: d})
}

// policyPublish is POST /policies/{id}/publish: publish and match.
func (h *Handler) policyPublish(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if _, err := h.cfg.Policies.PublishPolicy(ctx(r), id, version); err != nil {
		d := &policyShowData{}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderPolicy(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/policies/%d", id), "pol.flash.published")
}

// policyApply is POST /policies/{id}/apply: file an application.
func (h *Handler) policyApply(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	in := zhagen.AppInput{PolicyID: id, Note: r.PostForm.Get("note")}
	in.EnterpriseID, _ = strconv.ParseInt(r.PostForm.Get("enterprise_id"), 10, 64)
	in.Requested, _ = strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("amount_requested")), 10, 64)
	app, err := h.cfg.Policies.Apply(ctx(r), in)
	if err == nil {
		h.redirectFlash(w, r, app.Link(), "pol.flash.applied")
		return
	}
	d := &policyShowData{Input: in}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderPolicy(w, r, status, id, d)
}
