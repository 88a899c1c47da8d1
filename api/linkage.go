package api

import (
	"net/http"

	"zhagen"
	"zhagen/sheet"
)

// linkageRoutes registers linkages, visits, red flags and linkage
// suggestions.
func (h *Handler) linkageRoutes() {
	if h.cfg.Linkages == nil {
		return
	}
	h.handle("GET", "/api/v1/linkages", h.listLinkages)
	h.handle("POST", "/api/v1/linkages", h.createLinkage)
	h.handle("POST", "/api/v1/linkages/{id}/end", h.endLinkage)
	h.handle("GET", "/api/v1/visits", h.listVisits)
	h.handle("POST", "/api/v1/visits", h.createVisit)
	h.handle("GET", "/api/v1/visits/{id}", h.getVisit)
	h.handle("PUT", "/api/v1/visits/{id}", h.putVisit)
	h.handle("POST", "/api/v1/visits/{id}/demand", h.visitDemand)
	h.handle("GET", "/api/v1/visits/{id}/files", h.listOwnerFiles(zhagen.VisitFiles))
	h.handle("POST", "/api/v1/visits/{id}/files", h.uploadOwnerFile(zhagen.VisitFiles))
	// The address of a visit file before files were one type, kept.
	h.handle("GET", "/api/v1/visits/{id}/files/{fid}", h.downloadOwnerFile(zhagen.VisitFiles, "fid"))
	h.handle("GET", "/api/v1/enterprises/{id}/visits", h.enterpriseVisits)
	h.handle("GET", "/api/v1/visit-coverage", h.visitCoverage)
	h.handle("GET", "/api/v1/linkage-suggestions", h.listSuggestions)
	h.handle("POST", "/api/v1/linkage-suggestions", h.runSuggestion)
	h.handle("GET", "/api/v1/linkage-suggestions/{id}", h.getSuggestion)
	h.handle("POST", "/api/v1/linkage-suggestions/{id}/accept", h.acceptSuggestion)
	h.handle("GET", "/api/v1/red-flags", h.listRedFlags)
	h.handle("POST", "/api/v1/red-flags/{id}/clear", h.clearRedFlag)
	h.handle("GET", "/api/v1/red-flag-rules", h.listRedFlagRules)
	h.handle("POST", "/api/v1/red-flag-rules", h.createRedFlagRule)
}

func (h *Handler) listLinkages(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := page(r)
	if err != nil {
		return err
	}
	f := zhagen.LinkageFilter{Limit: limit, Offset: offset, Overdue: r.URL.Query().Get("overdue") == "true"}
	if f.CadreID, err = queryID(r, "cadre_id"); err != nil {
		return err
	}
	if f.EnterpriseID, err = queryID(r, "enterprise_id"); err != nil {
		return err
	}
	if f.DeptID, err = queryID(r, "dept_id"); err != nil {
		return err
	}
	switch r.URL.Query().Get("active") {
	case "true":
		f.Active = new(bool)
		*f.Active = true
	case "false":
		f.Active = new(bool)
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.Linkages, sheet.Pages(func(limit, offset int) ([]*zhagen.Linkage, int, error) {
			g := f
			g.Limit, g.Offset = limit, offset
			return h.cfg.Linkages.FindLinkages(r.Context(), g)
		}))
	}
	items, total, err := h.cfg.Linkages.FindLinkages(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Linkage]{Items: items, Total: total})
}

type linkageInput struct {
	CadreID      int64           `json:"cadre_id"`
	EnterpriseID int64           `json:"enterprise_id"`
	Role         zhagen.LinkRole `json:"role"`
	StartDate    string          `json:"start_date"`
	CadenceDays  int             `json:"cadence_days"`
}

func (h *Handler) createLinkage(w http.ResponseWriter, r *http.Request) error {
	var in linkageInput
	if err := decode(r, &in); err != nil {
		return err
	}
	l := &zhagen.Linkage{CadreID: in.CadreID, EnterpriseID: in.EnterpriseID, Role: in.Role, StartDate: in.StartDate, CadenceDays: in.CadenceDays}
	if err := h.cfg.Linkages.CreateLinkage(r.Context(), l); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, l)
}

func (h *Handler) endLinkage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		EndDate string `json:"end_date"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	l, err := h.cfg.Linkages.EndLinkage(r.Context(), id, in.EndDate)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (h *Handler) listVisits(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := page(r)
	if err != nil {
		return err
	}
	f := zhagen.VisitFilter{Limit: limit, Offset: offset, Status: zhagen.VisitStatus(r.URL.Query().Get("status"))}
	if f.CadreID, err = queryID(r, "cadre_id"); err != nil {
		return err
	}
	if f.EnterpriseID, err = queryID(r, "enterprise_id"); err != nil {
		return err
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.Visits, sheet.Pages(func(limit, offset int) ([]*zhagen.Visit, int, error) {
			g := f
			g.Limit, g.Offset = limit, offset
			return h.cfg.Linkages.FindVisits(r.Context(), g)
		}))
	}
	items, total, err := h.cfg.Linkages.FindVisits(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Visit]{Items: items, Total: total})
}

// enterpriseVisits is the visits of one enterprise; ENOTFOUND when the
// enterprise is outside the caller's scope.
func (h *Handler) enterpriseVisits(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := h.cfg.Enterprises.FindEnterpriseByID(r.Context(), id); err != nil {
		return err
	}
	limit, offset, err := page(r)
	if err != nil {
		return err
	}
	items, total, err := h.cfg.Linkages.FindVisits(r.Context(), zhagen.VisitFilter{EnterpriseID: id, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Visit]{Items: items, Total: total})
}

type visitInput struct {
	EnterpriseID  int64              `json:"enterprise_id"`
	CadreID       int64              `json:"cadre_id"`
	Status        zhagen.VisitStatus `json:"status"`
	Date          string             `json:"date"`
	Kind          zhagen.VisitKind   `json:"kind"`
	Participants  string             `json:"participants"`
	Topics        string             `json:"topics"`
	PublicNotes   string             `json:"public_notes"`
	Situation     *zhagen.Situation  `json:"situation"`
	Findings      string             `json:"findings"`
	InternalNotes string             `json:"internal_notes"`
	Version       int64              `json:"version"`
	// On create only: the retry key (a second create with it answers
	// with the visit already written, 200) and the optional check-in.
	IdempotencyKey string          `json:"idempotency_key"`
	CheckIn        *zhagen.CheckIn `json:"checkin"`
}

func (in *visitInput) visit() *zhagen.Visit {
	return &zhagen.Visit{EnterpriseID: in.EnterpriseID, CadreID: in.CadreID, Status: in.Status, Date: in.Date, Kind: in.Kind,
		Participants: in.Participants, Topics: in.Topics, PublicNotes: in.PublicNotes, Situation: in.Situation,
		Findings: in.Findings, InternalNotes: in.InternalNotes, Version: in.Version}
}

func (h *Handler) createVisit(w http.ResponseWriter, r *http.Request) error {
	var in visitInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v := in.visit()
	v.IdempotencyKey, v.CheckIn = in.IdempotencyKey, in.CheckIn
	if err := h.cfg.Linkages.CreateVisit(r.Context(), v); err != nil {
		return err
	}
	if v.Replayed {
		return writeJSON(w, http.StatusOK, v)
	}
	return writeJSON(w, http.StatusCreated, v)
}

func (h *Handler) getVisit(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Linkages.FindVisitByID)
}

func (h *Handler) putVisit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := h.cfg.Linkages.FindVisitByID(r.Context(), id); err != nil {
		return err // outside the caller's scope: 404
	}
	var in visitInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v := in.visit()
	if err := h.cfg.Linkages.UpdateVisit(r.Context(), id, v); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

type visitDemandInput struct {
	CategoryID  int64          `json:"category_id"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Answers     zhagen.Answers `json:"answers"`
}

func (h *Handler) visitDemand(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in visitDemandInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d := &zhagen.Demand{CategoryID: in.CategoryID, Title: in.Title, Description: in.Description, Answers: in.Answers}
	if err := h.cfg.Linkages.DemandFromVisit(r.Context(), id, d); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

func (h *Handler) visitCoverage(w http.ResponseWriter, r *http.Request) error {
	rep, err := h.cfg.Linkages.Coverage(r.Context())
	if err != nil {
		return err
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.Coverage, sheet.Slice(sheet.CoverageRows(rep)))
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (h *Handler) listSuggestions(w http.ResponseWriter, r *http.Request) error {
	return all(w, r, h.cfg.Linkages.FindSuggestions)
}

func (h *Handler) runSuggestion(w http.ResponseWriter, r *http.Request) error {
	var in zhagen.SuggestionParams
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	sg, err := h.cfg.Linkages.RunSuggestion(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sg)
}

func (h *Handler) getSuggestion(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Linkages.FindSuggestion)
}

func (h *Handler) acceptSuggestion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		PairIDs   []int64 `json:"pair_ids"`
		StartDate string  `json:"start_date"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	n, err := h.cfg.Linkages.AcceptSuggestion(r.Context(), id, in.PairIDs, in.StartDate)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"created": n})
}

func (h *Handler) listRedFlags(w http.ResponseWriter, r *http.Request) error {
	eid, err := queryID(r, "enterprise_id")
	if err != nil {
		return err
	}
	items, err := h.cfg.Linkages.FindRedFlags(r.Context(), r.URL.Query().Get("all") != "true", eid)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.RedFlag]{Items: items, Total: len(items)})
}

func (h *Handler) clearRedFlag(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := h.cfg.Linkages.ClearRedFlag(r.Context(), id, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

func (h *Handler) listRedFlagRules(w http.ResponseWriter, r *http.Request) error {
	return all(w, r, h.cfg.Linkages.FindRedFlagRules)
}

func (h *Handler) createRedFlagRule(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Field     string        `json:"field"`
		Op        zhagen.RuleOp `json:"op"`
		Threshold string        `json:"threshold"`
		Reason    string        `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	rule := &zhagen.RedFlagRule{Field: in.Field, Op: in.Op, Threshold: in.Threshold, Reason: in.Reason}
	if err := h.cfg.Linkages.CreateRedFlagRule(r.Context(), rule); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rule)
}
