package api

import (
	"mime"
	"net/http"
	"strconv"
	"time"

	"zhagen"
	"zhagen/download"
	"zhagen/sheet"
)

// consultationRoutes registers consultations, action items, key
// projects, milestones and approvals.
func (h *Handler) consultationRoutes() {
	h.handle("GET", "/api/v1/consultations", h.listConsultations)
	h.handle("POST", "/api/v1/consultations", h.createConsultation)
	h.handle("GET", "/api/v1/consultations/{id}", h.getConsultation)
	h.handle("PATCH", "/api/v1/consultations/{id}", h.patchConsultation)
	h.handle("POST", "/api/v1/consultations/{id}/attendance", h.confirmAttendance)
	h.handle("POST", "/api/v1/consultations/{id}/action-items", h.addActionItem)
	h.handle("GET", "/api/v1/consultations/{id}/minutes.docx", h.minutesDocx)
	h.handle("GET", "/api/v1/action-items", h.listActionItems)
	h.handle("GET", "/api/v1/action-items/{id}", h.getActionItem)
	h.handle("POST", "/api/v1/action-items/{id}/complete", h.completeActionItem)
	h.handle("POST", "/api/v1/action-items/{id}/cancel", h.cancelActionItem)
	// The address of an item's evidence before files were one type, kept:
	// its newest file.
	h.handle("GET", "/api/v1/action-items/{id}/evidence", h.downloadOwnerFile(zhagen.ActionItemFiles, ""))
	h.handle("GET", "/api/v1/projects", h.listProjects)
	h.handle("POST", "/api/v1/projects", h.createProject)
	h.handle("GET", "/api/v1/projects/{id}", h.getProject)
	h.handle("PATCH", "/api/v1/projects/{id}", h.patchProject)
	h.handle("GET", "/api/v1/projects/{id}/milestones", h.listMilestones)
	h.handle("POST", "/api/v1/projects/{id}/milestones", h.saveMilestone)
	h.handle("GET", "/api/v1/projects/{id}/approvals", h.listProjectApprovals)
	h.handle("POST", "/api/v1/projects/{id}/approvals", h.fileApproval)
	h.handle("GET", "/api/v1/approvals", h.listApprovals)
	h.handle("POST", "/api/v1/approvals/{id}/steps", h.stepApproval)
	h.handle("POST", "/api/v1/approvals/{id}/urge", h.urgeApproval)
	h.handle("GET", "/api/v1/project-overview", h.projectOverview)
}

func (h *Handler) listConsultations(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := zhagen.ConsultationFilter{Query: q.Get("q"), Kind: zhagen.ConsultationKind(q.Get("kind")), Status: zhagen.ConsultationStatus(q.Get("status")),
		Upcoming: q.Get("upcoming") == "true"}
	var err error
	if f.Limit, f.Offset, err = page(r); err != nil {
		return err
	}
	if f.ProjectID, err = queryID(r, "project_id"); err != nil {
		return err
	}
	if f.DemandID, err = queryID(r, "demand_id"); err != nil {
		return err
	}
	items, total, err := h.cfg.Consultations.FindConsultations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Consultation]{Items: items, Total: total})
}

type consultationInput struct {
	Kind          zhagen.ConsultationKind `json:"kind"`
	Title         string                  `json:"title"`
	StartsAt      *time.Time              `json:"starts_at"`
	Place         string                  `json:"place"`
	ProjectID     int64                   `json:"project_id"`
	DemandIDs     []int64                 `json:"demand_ids"`
	Agenda        string                  `json:"agenda"`
	InviteDeptIDs []int64                 `json:"invite_dept_ids"`
	InviteUserIDs []int64                 `json:"invite_user_ids"`
}

func (h *Handler) createConsultation(w http.ResponseWriter, r *http.Request) error {
	var in consultationInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c := &zhagen.Consultation{Kind: in.Kind, Title: in.Title, StartsAt: in.StartsAt, Place: in.Place, ProjectID: in.ProjectID, DemandIDs: in.DemandIDs,
		Agenda: in.Agenda, InviteDeptIDs: in.InviteDeptIDs, InviteUserIDs: in.InviteUserIDs}
	if err := h.cfg.Consultations.CreateConsultation(r.Context(), c); err != nil {
		return err
	}
	got, err := h.cfg.Consultations.FindConsultationByID(r.Context(), c.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/consultations/"+strconv.FormatInt(c.ID, 10))
	return writeJSON(w, http.StatusCreated, got)
}

func (h *Handler) getConsultation(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Consultations.FindConsultationByID)
}

func (h *Handler) patchConsultation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var u zhagen.ConsultationUpdate
	if err := decode(r, &u); err != nil {
		return err
	}
	if err := requireVersion(u.Version); err != nil {
		return err
	}
	c, err := h.cfg.Consultations.UpdateConsultation(r.Context(), id, u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (h *Handler) confirmAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Attendance zhagen.Attendance `json:"attendance"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.cfg.Consultations.ConfirmAttendance(r.Context(), id, in.Attendance); err != nil {
		return err
	}
	c, err := h.cfg.Consultations.FindConsultationByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

type itemInput struct {
	Title       string     `json:"title"`
	OwnerDeptID int64      `json:"owner_dept_id"`
	AssigneeID  int64      `json:"assignee_id"`
	DueDays     int        `json:"due_days"`
	DueAt       *time.Time `json:"due_at"`
}

func (h *Handler) addActionItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in itemInput
	if err := decode(r, &in); err != nil {
		return err
	}
	it := &zhagen.ActionItem{ConsultationID: id, Title: in.Title, OwnerDeptID: in.OwnerDeptID, AssigneeID: in.AssigneeID, DueDays: in.DueDays}
	if in.DueAt != nil {
		it.DueAt = *in.DueAt
	}
	if err := h.cfg.Consultations.AddActionItem(r.Context(), it); err != nil {
		return err
	}
	got, err := h.cfg.Consultations.FindActionItemByID(r.Context(), it.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/action-items/"+strconv.FormatInt(it.ID, 10))
	return writeJSON(w, http.StatusCreated, got)
}

func (h *Handler) minutesDocx(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.cfg.Consultations.FindConsultationByID(r.Context(), id)
	if err != nil {
		return err
	}
	if h.cfg.Minutes == nil {
		return zhagen.Errorf(zhagen.ENOTFOUND, "未启用纪要导出")
	}
	data, err := h.cfg.Minutes(c)
	if err != nil {
		return err
	}
	download.Serve(w, &zhagen.File{Name: "会议纪要-" + strconv.FormatInt(id, 10) + ".docx",
		ContentType: mime.TypeByExtension(".docx")}, data)
	return nil
}

func (h *Handler) listActionItems(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := zhagen.ActionItemFilter{Status: zhagen.ActionItemStatus(q.Get("status")), Pending: q.Get("pending") == "true"}
	if f.Status != "" && f.Status.Label() == "" {
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "status", Message: "未知状态：" + string(f.Status)}
	}
	var err error
	if f.Limit, f.Offset, err = page(r); err != nil {
		return err
	}
	for name, dst := range map[string]*int64{"consultation_id": &f.ConsultationID, "dept_id": &f.DeptID, "demand_id": &f.DemandID, "project_id": &f.ProjectID} {
		if *dst, err = queryID(r, name); err != nil {
			return err
		}
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.ActionItems, sheet.Pages(func(limit, offset int) ([]*zhagen.ActionItem, int, error) {
			g := f
			g.Limit, g.Offset = limit, offset
			return h.cfg.Consultations.FindActionItems(r.Context(), g)
		}))
	}
	items, total, err := h.cfg.Consultations.FindActionItems(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.ActionItem]{Items: items, Total: total})
}

func (h *Handler) getActionItem(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Consultations.FindActionItemByID)
}

func (h *Handler) completeActionItem(w http.ResponseWriter, r *http.Request) error {
	return applyByID(w, r, h.cfg.Consultations.CompleteActionItem)
}

func (h *Handler) cancelActionItem(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	it, err := h.cfg.Consultations.CancelActionItem(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, it)
}

func (h *Handler) listProjects(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := zhagen.ProjectFilter{Query: q.Get("q"), Level: zhagen.ProjectLevel(q.Get("level")), Status: zhagen.ProjectStatus(q.Get("status")), Behind: q.Get("behind") == "true"}
	var err error
	if f.Limit, f.Offset, err = page(r); err != nil {
		return err
	}
	items, total, err := h.cfg.Projects.FindProjects(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Project]{Items: items, Total: total})
}

type projectInput struct {
	Version           int64                `json:"version"`
	Name              string               `json:"name"`
	Level             zhagen.ProjectLevel  `json:"level"`
	OwnerEnterpriseID int64                `json:"owner_enterprise_id"`
	OwnerDeptID       int64                `json:"owner_dept_id"`
	Industry          string               `json:"industry"`
	Investment        float64              `json:"investment"`
	Area              string               `json:"area"`
	Building          string               `json:"building"`
	LiaisonID         int64                `json:"liaison_id"`
	Status            zhagen.ProjectStatus `json:"status"`
	Description       string               `json:"description"`
}

func (in projectInput) project() *zhagen.Project {
	return &zhagen.Project{Version: in.Version, Name: in.Name, Level: in.Level, OwnerEnterpriseID: in.OwnerEnterpriseID, OwnerDeptID: in.OwnerDeptID,
		Industry: in.Industry, Investment: in.Investment, Area: in.Area, Building: in.Building, LiaisonID: in.LiaisonID, Status: in.Status, Description: in.Description}
}

func (h *Handler) createProject(w http.ResponseWriter, r *http.Request) error {
	var in projectInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p := in.project()
	if err := h.cfg.Projects.CreateProject(r.Context(), p); err != nil {
		return err
	}
	got, err := h.cfg.Projects.FindProjectByID(r.Context(), p.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/projects/"+strconv.FormatInt(p.ID, 10))
	return writeJSON(w, http.StatusCreated, got)
}

func (h *Handler) getProject(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Projects.FindProjectByID)
}

// patchProject changes the fields sent; the rest keep their values.
func (h *Handler) patchProject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.cfg.Projects.FindProjectByID(r.Context(), id)
	if err != nil {
		return err
	}
	in := projectInput{Name: p.Name, Level: p.Level, OwnerEnterpriseID: p.OwnerEnterpriseID, OwnerDeptID: p.OwnerDeptID,
		Industry: p.Industry, Investment: p.Investment, Area: p.Area, Building: p.Building, LiaisonID: p.LiaisonID, Status: p.Status, Description: p.Description}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	np := in.project()
	np.ID = id
	if err := h.cfg.Projects.UpdateProject(r.Context(), np); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, np)
}

func (h *Handler) listMilestones(w http.ResponseWriter, r *http.Request) error {
	return allByID(w, r, h.cfg.Projects.FindMilestones)
}

// saveMilestone creates a milestone, or updates the one whose "id" the
// body names.
func (h *Handler) saveMilestone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var m zhagen.Milestone
	var in struct {
		ID           int64      `json:"id"`
		Version      int64      `json:"version"`
		Phase        string     `json:"phase"`
		Name         string     `json:"name"`
		PlannedStart time.Time  `json:"planned_start"`
		PlannedEnd   time.Time  `json:"planned_end"`
		ActualStart  *time.Time `json:"actual_start"`
		ActualEnd    *time.Time `json:"actual_end"`
		Progress     int        `json:"progress"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.ID != 0 {
		if err := requireVersion(in.Version); err != nil {
			return err
		}
	}
	m = zhagen.Milestone{ID: in.ID, ProjectID: id, Version: in.Version, Phase: in.Phase, Name: in.Name, PlannedStart: in.PlannedStart, PlannedEnd: in.PlannedEnd,
		ActualStart: in.ActualStart, ActualEnd: in.ActualEnd, Progress: in.Progress}
	if err := h.cfg.Projects.SaveMilestone(r.Context(), &m); err != nil {
		return err
	}
	status := http.StatusOK
	if in.ID == 0 {
		status = http.StatusCreated
	}
	return writeJSON(w, status, m)
}

func (h *Handler) listProjectApprovals(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := h.cfg.Projects.FindProjectByID(r.Context(), id); err != nil {
		return err
	}
	return h.approvals(w, r, id)
}

func (h *Handler) listApprovals(w http.ResponseWriter, r *http.Request) error {
	id, err := queryID(r, "project_id")
	if err != nil {
		return err
	}
	return h.approvals(w, r, id)
}

func (h *Handler) approvals(w http.ResponseWriter, r *http.Request, projectID int64) error {
	f := zhagen.ApprovalFilter{ProjectID: projectID, Waiting: r.URL.Query().Get("waiting") == "true"}
	var err error
	if f.Limit, f.Offset, err = page(r); err != nil {
		return err
	}
	if f.DeptID, err = queryID(r, "dept_id"); err != nil {
		return err
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.Approvals, sheet.Pages(func(limit, offset int) ([]*zhagen.Approval, int, error) {
			g := f
			g.Limit, g.Offset = limit, offset
			return h.cfg.Projects.FindApprovals(r.Context(), g)
		}))
	}
	items, total, err := h.cfg.Projects.FindApprovals(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Approval]{Items: items, Total: total})
}

func (h *Handler) fileApproval(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Kind        zhagen.ApprovalKind `json:"kind"`
		Part        string              `json:"part"`
		DeptID      int64               `json:"dept_id"`
		SubmittedAt *time.Time          `json:"submitted_at"`
		Note        string              `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	x := &zhagen.Approval{ProjectID: id, Kind: in.Kind, Part: in.Part, DeptID: in.DeptID, Note: in.Note}
	if in.SubmittedAt != nil {
		x.SubmittedAt = *in.SubmittedAt
	}
	if err := h.cfg.Projects.FileApproval(r.Context(), x); err != nil {
		return err
	}
	got, err := h.cfg.Projects.FindApprovalByID(r.Context(), x.ID)
	if err != nil {
		got = x // filed, but outside the filer's reading scope
	}
	return writeJSON(w, http.StatusCreated, got)
}

func (h *Handler) stepApproval(w http.ResponseWriter, r *http.Request) error {
	return applyByID(w, r, h.cfg.Projects.StepApproval)
}

// urgeApproval is the command centre's reminder to an approving
// department (催办).
func (h *Handler) urgeApproval(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	if err := h.cfg.Projects.UrgeApproval(r.Context(), id, in.Note); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) projectOverview(w http.ResponseWriter, r *http.Request) error {
	o, err := h.cfg.Projects.Overview(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}
