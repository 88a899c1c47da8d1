package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

// projectFormData is the form of a key project, new or edited.
type projectFormData struct {
	P           *zhagen.Project
	IsNew       bool
	Action      string
	OwnerKind   string // "dept" or "enterprise"
	Levels      []zhagen.ProjectLevel
	Statuses    []zhagen.ProjectStatus
	Depts       []*zhagen.Department
	Enterprises []*zhagen.Enterprise
	Liaisons    []*zhagen.User
	Industries  []string
	Investment  string
	Errors      map[string]string
	Error       string
}

func (h *Handler) projectNew(w http.ResponseWriter, r *http.Request) {
	h.renderProjectForm(w, r, http.StatusOK, &projectFormData{P: &zhagen.Project{Level: zhagen.LevelDistrict, Status: zhagen.ProjectPrep}, IsNew: true, OwnerKind: "dept"})
}

func (h *Handler) projectEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	p, err := h.cfg.Projects.FindProjectByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	kind := "dept"
	if p.OwnerEnterpriseID != 0 {
		kind = "enterprise"
	}
	h.renderProjectForm(w, r, http.StatusOK, &projectFormData{P: p, OwnerKind: kind, Investment: strconv.FormatFloat(p.Investment, 'f', -1, 64)})
}

func (h *Handler) renderProjectForm(w http.ResponseWriter, r *http.Request, status int, d *projectFormData) {
	perm := zhagen.PermProjectCreate
	allowed := zhagen.CanAny(actor(r), perm)
	if !d.IsNew {
		perm = zhagen.PermProjectEdit
		allowed = zhagen.Can(actor(r), perm, zhagen.ProjectFacts(d.P, nil))
	}
	if !allowed {
		h.forbidden(w, r, perm)
		return
	}
	var err error
	if d.Depts, err = h.deptTree(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Enterprises, _, err = h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{Limit: 200, Sort: "name"}); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Liaisons, _, err = h.cfg.Users.FindUsers(ctx(r), zhagen.UserFilter{Role: zhagen.RoleCadre, Limit: 200}); err != nil {
		h.fail(w, r, err)
		return
	}
	inds, err := h.cfg.Enterprises.FindIndustries(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, in := range inds {
		d.Industries = append(d.Industries, in.Name)
	}
	d.Levels, d.Statuses = zhagen.ProjectLevels, zhagen.ProjectStatuses
	if d.Investment == "" && d.P.Investment != 0 {
		d.Investment = strconv.FormatFloat(d.P.Investment, 'f', -1, 64)
	}
	title, crumbs := h.tr(r, "pj.new"), []crumb{{Label: h.tr(r, "nav.projects"), Href: "/projects"}}
	d.Action = "/projects"
	if !d.IsNew {
		title = h.tr(r, "pj.edit")
		d.Action = projectPath(d.P.ID) + "/edit"
		crumbs = append(crumbs, crumb{Label: d.P.Name, Href: projectPath(d.P.ID)})
	}
	h.render(w, r, status, "project_form", &page{Title: title, Nav: "projects", Data: d, Crumbs: append(crumbs, crumb{Label: title})})
}

// projectFromForm reads the form; a malformed investment is a field error.
func (h *Handler) projectFromForm(r *http.Request, d *projectFormData) {
	f := r.PostForm
	p := d.P
	p.Name, p.Level, p.Industry, p.Area, p.Building = f.Get("name"), zhagen.ProjectLevel(f.Get("level")), f.Get("industry"), f.Get("area"), f.Get("building")
	p.Status, p.Description = zhagen.ProjectStatus(f.Get("status")), f.Get("description")
	p.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	p.LiaisonID, _ = strconv.ParseInt(f.Get("liaison_id"), 10, 64)
	d.OwnerKind = f.Get("owner_kind")
	p.OwnerDeptID, p.OwnerEnterpriseID = 0, 0
	if d.OwnerKind == "enterprise" {
		p.OwnerEnterpriseID, _ = strconv.ParseInt(f.Get("owner_enterprise_id"), 10, 64)
	} else {
		p.OwnerDeptID, _ = strconv.ParseInt(f.Get("owner_dept_id"), 10, 64)
	}
	d.Investment = strings.TrimSpace(f.Get("investment"))
	p.Investment = 0
	if d.Investment != "" {
		v, err := strconv.ParseFloat(d.Investment, 64)
		if err != nil {
			d.Errors = map[string]string{"investment": h.tr(r, "pj.err.investment")}
			return
		}
		p.Investment = v
	}
}

func (h *Handler) projectCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	d := &projectFormData{P: &zhagen.Project{}, IsNew: true}
	h.projectFromForm(r, d)
	var err error
	if len(d.Errors) > 0 {
		err = fieldErr(d.Errors)
	} else {
		err = h.cfg.Projects.CreateProject(ctx(r), d.P)
	}
	if err == nil {
		h.redirectFlash(w, r, projectPath(d.P.ID), "pj.flash.created")
		return
	}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderProjectForm(w, r, status, d)
}

func (h *Handler) projectUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	d := &projectFormData{P: &zhagen.Project{ID: id}}
	h.projectFromForm(r, d)
	var err error
	if len(d.Errors) > 0 {
		err = fieldErr(d.Errors)
	} else {
		err = h.cfg.Projects.UpdateProject(ctx(r), d.P)
	}
	if err == nil {
		h.redirectFlash(w, r, projectPath(id), "pj.flash.saved")
		return
	}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if zhagen.ErrorCode(err) == zhagen.ECONFLICT && d.Errors["version"] != "" {
		d.Error = zhagen.ErrorMessage(err)
	}
	h.renderProjectForm(w, r, status, d)
}
