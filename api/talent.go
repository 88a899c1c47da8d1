package api

import (
	"net/http"

	"zhagen"
	"zhagen/sheet"
)

// talentRoutes registers positions, surveys, universities, graduates,
// programmes with their matching runs, and service teams.
func (h *Handler) talentRoutes() {
	h.handle("GET", "/api/v1/positions", h.listPositions)
	h.handle("POST", "/api/v1/positions", h.createPosition)
	h.handle("GET", "/api/v1/positions/{id}", h.getPosition)
	h.handle("POST", "/api/v1/positions/{id}/review", h.reviewPosition)
	h.handle("GET", "/api/v1/surveys", h.listSurveys)
	h.handle("POST", "/api/v1/surveys", h.saveSurvey)
	h.handle("GET", "/api/v1/surveys/summary", h.surveySummary)
	h.handle("GET", "/api/v1/surveys/{id}", h.getSurvey)
	h.handle("GET", "/api/v1/universities", h.listUniversities)
	h.handle("GET", "/api/v1/universities/{id}", h.getUniversity)
	h.handle("POST", "/api/v1/universities/{id}/contacts", h.addUniversityContact)
	h.handle("POST", "/api/v1/universities/{id}/outreach", h.addOutreach)
	h.public("POST", "/api/v1/graduates/register", h.registerGraduate)
	h.handle("GET", "/api/v1/graduates", h.listGraduates)
	h.handle("GET", "/api/v1/graduates/me", h.myGraduate)
	h.handle("GET", "/api/v1/graduates/{id}", h.getGraduate)
	h.handle("PATCH", "/api/v1/graduates/{id}", h.patchGraduate)
	h.handle("GET", "/api/v1/programmes", h.listProgrammes)
	h.handle("POST", "/api/v1/programmes", h.createProgramme)
	h.handle("GET", "/api/v1/programmes/{id}", h.getProgramme)
	h.handle("POST", "/api/v1/programmes/{id}/positions", h.addProgrammePosition)
	h.handle("PUT", "/api/v1/programmes/{id}/choices", h.putChoices)
	h.handle("POST", "/api/v1/programmes/{id}/withdraw", h.withdrawApplication)
	h.handle("GET", "/api/v1/programmes/{id}/match", h.getMatch)
	h.handle("POST", "/api/v1/programmes/{id}/match", h.runMatch)
	h.handle("POST", "/api/v1/programmes/{id}/match/publish", h.publishMatch)
	h.handle("GET", "/api/v1/programme-positions/{id}/applicants", h.listApplicants)
	h.handle("PUT", "/api/v1/programme-positions/{id}/ranking", h.putRanking)
	h.handle("GET", "/api/v1/service-teams", h.listServiceTeams)
	h.handle("POST", "/api/v1/service-teams", h.createServiceTeam)
	h.handle("GET", "/api/v1/service-teams/{id}", h.getServiceTeam)
	h.handle("POST", "/api/v1/service-teams/{id}/batches", h.addTeamBatch)
	h.handle("POST", "/api/v1/service-batches/{id}/logs", h.addServiceLog)
	h.handle("PUT", "/api/v1/service-batches/{id}/resolved", h.putBatchResolved)
}

func (h *Handler) listPositions(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := zhagen.PositionFilter{Query: q.Get("q"), Major: q.Get("major"), Industry: q.Get("industry"), Kind: zhagen.PositionKind(q.Get("kind")),
		Status: zhagen.PositionStatus(q.Get("status")), Limit: limit, Offset: offset}
	if f.Kind != "" && f.Kind.Label() == "" {
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "kind", Message: "kind 须为 fulltime 或 internship"}
	}
	if f.Status != "" && f.Status.Label() == "" {
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "status", Message: "status 须为 pending、approved 或 rejected"}
	}
	if f.EnterpriseID, err = queryID(r, "enterprise_id"); err != nil {
		return err
	}
	items, total, err := h.cfg.Talent.FindPositions(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Position]{Items: items, Total: total})
}

func (h *Handler) createPosition(w http.ResponseWriter, r *http.Request) error {
	return created(w, r, h.cfg.Talent.CreatePosition)
}

func (h *Handler) getPosition(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Talent.FindPositionByID)
}

func (h *Handler) reviewPosition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Approve *bool  `json:"approve"`
		Note    string `json:"note"`
		Version int64  `json:"version"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Approve == nil {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "approve", Message: "请选择通过或退回", Fields: []zhagen.FieldError{{Field: "approve", Message: "请选择通过或退回"}}}
	}
	p, err := h.cfg.Talent.ReviewPosition(r.Context(), id, in.Version, *in.Approve, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) listSurveys(w http.ResponseWriter, r *http.Request) error {
	items, err := h.cfg.Talent.FindSurveys(r.Context(), r.URL.Query().Get("period"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Survey]{Items: items, Total: len(items)})
}

func (h *Handler) saveSurvey(w http.ResponseWriter, r *http.Request) error {
	var s zhagen.Survey
	if err := decode(r, &s); err != nil {
		return err
	}
	if err := h.cfg.Talent.SaveSurvey(r.Context(), &s); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, &s)
}

func (h *Handler) surveySummary(w http.ResponseWriter, r *http.Request) error {
	s, err := h.cfg.Talent.SurveySummary(r.Context(), r.URL.Query().Get("period"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (h *Handler) getSurvey(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Talent.FindSurveyByID)
}

func (h *Handler) listUniversities(w http.ResponseWriter, r *http.Request) error {
	return all(w, r, h.cfg.Talent.FindUniversities)
}

func (h *Handler) getUniversity(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Talent.FindUniversityByID)
}

func (h *Handler) addUniversityContact(w http.ResponseWriter, r *http.Request) error {
	return createdUnder(w, r, func(v *zhagen.UniversityContact, id int64) { v.UniversityID = id }, h.cfg.Talent.AddUniversityContact)
}

func (h *Handler) addOutreach(w http.ResponseWriter, r *http.Request) error {
	return createdUnder(w, r, func(v *zhagen.Outreach, id int64) { v.UniversityID = id }, h.cfg.Talent.AddOutreach)
}

func (h *Handler) registerGraduate(w http.ResponseWriter, r *http.Request) error {
	var reg zhagen.GraduateRegistration
	if err := decode(r, &reg); err != nil {
		return err
	}
	g, err := h.cfg.Talent.RegisterGraduate(r.Context(), &reg)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, g)
}

func (h *Handler) listGraduates(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	items, total, err := h.cfg.Talent.FindGraduates(r.Context(), zhagen.GraduateFilter{Query: q.Get("q"), Major: q.Get("major"), University: q.Get("university"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Graduate]{Items: items, Total: total})
}

func (h *Handler) myGraduate(w http.ResponseWriter, r *http.Request) error {
	g, err := h.cfg.Talent.MyGraduate(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

func (h *Handler) getGraduate(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Talent.FindGraduateByID)
}

func (h *Handler) patchGraduate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var upd zhagen.GraduateUpdate
	if err := decode(r, &upd); err != nil {
		return err
	}
	if upd.Version == 0 {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "version", Message: "请提供 version", Fields: []zhagen.FieldError{{Field: "version", Message: "请提供 version"}}}
	}
	g, err := h.cfg.Talent.UpdateGraduate(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

func (h *Handler) listProgrammes(w http.ResponseWriter, r *http.Request) error {
	return all(w, r, h.cfg.Talent.FindProgrammes)
}

func (h *Handler) createProgramme(w http.ResponseWriter, r *http.Request) error {
	return created(w, r, h.cfg.Talent.CreateProgramme)
}

func (h *Handler) getProgramme(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Talent.FindProgrammeByID)
}

func (h *Handler) addProgrammePosition(w http.ResponseWriter, r *http.Request) error {
	return createdUnder(w, r, func(v *zhagen.ProgrammePosition, id int64) { v.ProgrammeID = id }, h.cfg.Talent.AddProgrammePosition)
}

func (h *Handler) putChoices(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		GraduateID  int64   `json:"graduate_id"`
		PositionIDs []int64 `json:"position_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	app := &zhagen.Application{ProgrammeID: id, GraduateID: in.GraduateID, PositionIDs: in.PositionIDs}
	if err := h.cfg.Talent.SetChoices(r.Context(), app); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, app)
}

func (h *Handler) withdrawApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		GraduateID int64 `json:"graduate_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.cfg.Talent.WithdrawApplication(r.Context(), id, in.GraduateID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// getMatch returns the latest run the caller may see, with its results.
func (h *Handler) getMatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.cfg.Talent.FindProgrammeByID(r.Context(), id)
	if err != nil {
		return err
	}
	if p.LatestRun == nil {
		return zhagen.Errorf(zhagen.ENOTFOUND, "该项目还没有可查看的匹配结果")
	}
	run, err := h.cfg.Talent.FindMatchRun(r.Context(), p.LatestRun.ID)
	if err != nil {
		return err
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.MatchResults, sheet.Slice(run.Results))
	}
	return writeJSON(w, http.StatusOK, run)
}

func (h *Handler) runMatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	run, err := h.cfg.Talent.RunMatch(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, run)
}

func (h *Handler) publishMatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.cfg.Talent.FindProgrammeByID(r.Context(), id)
	if err != nil {
		return err
	}
	if p.LatestRun == nil {
		return zhagen.Errorf(zhagen.ECONFLICT, "该项目还没有匹配结果")
	}
	run, err := h.cfg.Talent.PublishMatch(r.Context(), p.LatestRun.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, run)
}

func (h *Handler) listApplicants(w http.ResponseWriter, r *http.Request) error {
	return allByID(w, r, h.cfg.Talent.FindApplicants)
}

func (h *Handler) putRanking(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		GraduateIDs []int64 `json:"graduate_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.cfg.Talent.SetRanking(r.Context(), id, in.GraduateIDs); err != nil {
		return err
	}
	items, err := h.cfg.Talent.FindApplicants(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Applicant]{Items: items, Total: len(items)})
}

func (h *Handler) listServiceTeams(w http.ResponseWriter, r *http.Request) error {
	return all(w, r, h.cfg.Talent.FindServiceTeams)
}

func (h *Handler) createServiceTeam(w http.ResponseWriter, r *http.Request) error {
	return created(w, r, h.cfg.Talent.CreateServiceTeam)
}

func (h *Handler) getServiceTeam(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Talent.FindServiceTeamByID)
}

func (h *Handler) addTeamBatch(w http.ResponseWriter, r *http.Request) error {
	return createdUnder(w, r, func(v *zhagen.TeamBatch, id int64) { v.TeamID = id }, h.cfg.Talent.AddTeamBatch)
}

func (h *Handler) addServiceLog(w http.ResponseWriter, r *http.Request) error {
	return createdUnder(w, r, func(v *zhagen.ServiceLog, id int64) { v.BatchID = id }, h.cfg.Talent.AddServiceLog)
}

func (h *Handler) putBatchResolved(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Resolved string `json:"resolved"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.cfg.Talent.SetBatchResolved(r.Context(), id, in.Resolved); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
