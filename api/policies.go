package api

import (
	"net/http"

	"zhagen"
)

// policyRoutes registers the policy catalogue (惠企政策), matching,
// redemption (政策兑现), tags, enterprise attributes and the enterprise
// profile (一企一档).
func (h *Handler) policyRoutes() {
	if h.cfg.Policies == nil {
		return
	}
	h.handle("GET", "/api/v1/policies", h.listPolicies)
	h.handle("POST", "/api/v1/policies", h.createPolicy)
	h.handle("GET", "/api/v1/policies/{id}", h.getPolicy)
	h.handle("PUT", "/api/v1/policies/{id}", h.putPolicy)
	h.handle("POST", "/api/v1/policies/{id}/publish", h.publishPolicy)
	h.handle("GET", "/api/v1/policies/{id}/eligible", h.policyEligible)
	h.handle("GET", "/api/v1/policy-applications", h.listApplications)
	h.handle("POST", "/api/v1/policy-applications", h.createApplication)
	h.handle("GET", "/api/v1/policy-applications/{id}", h.getApplication)
	h.handle("POST", "/api/v1/policy-applications/{id}/steps", h.stepApplication)
	h.handle("GET", "/api/v1/policy-totals", h.policyTotals)
	h.handle("GET", "/api/v1/tags", h.listTags)
	h.handle("POST", "/api/v1/tags", h.createTag)
	h.handle("PUT", "/api/v1/enterprises/{id}/tags", h.putEnterpriseTags)
	h.handle("GET", "/api/v1/enterprises/{id}/attrs", h.getEnterpriseAttrs)
	h.handle("PUT", "/api/v1/enterprises/{id}/attrs", h.putEnterpriseAttrs)
	h.handle("GET", "/api/v1/enterprises/{id}/profile", h.getProfile)
}

func (h *Handler) listPolicies(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := zhagen.PolicyFilter{Category: zhagen.PolicyCategory(q.Get("category")), Query: q.Get("q")}
	if f.Category != "" && f.Category.Label() == "" {
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "category", Message: "category 只能是 industry、talent、rnd、finance 或 other"}
	}
	var err error
	if f.EnterpriseID, err = queryID(r, "enterprise_id"); err != nil {
		return err
	}
	ps, err := h.cfg.Policies.FindPolicies(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Policy]{Items: ps, Total: len(ps)})
}

func (h *Handler) createPolicy(w http.ResponseWriter, r *http.Request) error {
	var p zhagen.Policy
	if err := decode(r, &p); err != nil {
		return err
	}
	p.ID = 0
	if err := h.cfg.Policies.CreatePolicy(r.Context(), &p); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, &p)
}

func (h *Handler) getPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.cfg.Policies.FindPolicy(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) putPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var p zhagen.Policy
	if err := decode(r, &p); err != nil {
		return err
	}
	p.ID = id
	if err := h.cfg.Policies.UpdatePolicy(r.Context(), &p); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, &p)
}

func (h *Handler) publishPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Version int64 `json:"version"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := h.cfg.Policies.PublishPolicy(r.Context(), id, in.Version)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// eligibilityJSON is one enterprise's verdict with its one-line reason.
type eligibilityJSON struct {
	zhagen.Eligibility
	Reason string `json:"reason"`
}

func (h *Handler) policyEligible(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	els, err := h.cfg.Policies.Eligibility(r.Context(), id)
	if err != nil {
		return err
	}
	items := make([]eligibilityJSON, len(els))
	for i, el := range els {
		items[i] = eligibilityJSON{el, el.Reason()}
	}
	return writeJSON(w, http.StatusOK, list[eligibilityJSON]{Items: items, Total: len(items)})
}

func (h *Handler) listApplications(w http.ResponseWriter, r *http.Request) error {
	f := zhagen.AppFilter{Status: zhagen.AppStatus(r.URL.Query().Get("status")), Open: r.URL.Query().Get("open") == "true"}
	if f.Status != "" && f.Status.Label() == "" {
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "status", Message: "status 只能是 applied、accepted、reviewed、publicized、paid 或 rejected"}
	}
	var err error
	if f.PolicyID, err = queryID(r, "policy_id"); err != nil {
		return err
	}
	if f.EnterpriseID, err = queryID(r, "enterprise_id"); err != nil {
		return err
	}
	if f.DeptID, err = queryID(r, "dept_id"); err != nil {
		return err
	}
	as, err := h.cfg.Policies.FindApplications(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.PolicyApplication]{Items: as, Total: len(as)})
}

func (h *Handler) createApplication(w http.ResponseWriter, r *http.Request) error {
	var in zhagen.AppInput
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := h.cfg.Policies.Apply(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}

func (h *Handler) getApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := h.cfg.Policies.FindApplication(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

func (h *Handler) stepApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in zhagen.AppStep
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := h.cfg.Policies.StepApplication(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

func (h *Handler) policyTotals(w http.ResponseWriter, r *http.Request) error {
	t, err := h.cfg.Policies.PaidTotals(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (h *Handler) listTags(w http.ResponseWriter, r *http.Request) error {
	ts, err := h.cfg.Policies.FindTags(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Tag]{Items: ts, Total: len(ts)})
}

func (h *Handler) createTag(w http.ResponseWriter, r *http.Request) error {
	var t zhagen.Tag
	if err := decode(r, &t); err != nil {
		return err
	}
	t.ID, t.Count = 0, 0
	if err := h.cfg.Policies.CreateTag(r.Context(), &t); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, &t)
}

func (h *Handler) putEnterpriseTags(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Tags []string `json:"tags"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.cfg.Policies.SetEnterpriseTags(r.Context(), id, in.Tags); err != nil {
		return err
	}
	ts, err := h.cfg.Policies.EnterpriseTags(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Tag]{Items: ts, Total: len(ts)})
}

func (h *Handler) getEnterpriseAttrs(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := h.cfg.Policies.EnterpriseAttrs(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (h *Handler) putEnterpriseAttrs(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var x zhagen.EnterpriseAttrs
	if err := decode(r, &x); err != nil {
		return err
	}
	x.EnterpriseID = id
	if err := h.cfg.Policies.SetEnterpriseAttrs(r.Context(), &x); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, &x)
}

func (h *Handler) getProfile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.cfg.Policies.Profile(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
