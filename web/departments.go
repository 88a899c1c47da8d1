package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

type deptListData struct {
	Rows    []*zhagen.Department
	CanEdit bool
}

// departmentList is GET /departments: the organisation tree, indented.
func (h *Handler) departmentList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermDepartmentTree) {
		h.forbidden(w, r, zhagen.PermDepartmentTree)
		return
	}
	depts, err := h.cfg.Departments.FindDepartments(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "department_list", &page{
		Title: h.tr(r, "nav.departments"), Nav: "departments",
		Data: deptListData{Rows: zhagen.DepartmentTree(depts), CanEdit: zhagen.CanAny(a, zhagen.PermDepartmentEdit)},
	})
}

type deptFormData struct {
	D       *zhagen.Department
	Parents []*zhagen.Department
	Kinds   []zhagen.DeptKind
	Errors  map[string]string
	Error   string
	IsNew   bool
	Action  string
	Sort    string // the sort key as typed
}

func (h *Handler) deptFromForm(r *http.Request) (*zhagen.Department, string, map[string]string) {
	r.ParseForm()
	f := r.PostForm
	d := &zhagen.Department{Name: f.Get("name"), Kind: zhagen.DeptKind(f.Get("kind"))}
	d.ParentID, _ = strconv.ParseInt(f.Get("parent_id"), 10, 64)
	d.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	sortText := strings.TrimSpace(f.Get("sort"))
	errs := map[string]string{}
	if sortText != "" {
		n, err := strconv.Atoi(sortText)
		if err != nil {
			errs["sort"] = h.tr(r, "dept.err.sort")
		}
		d.Sort = n
	}
	return d, sortText, errs
}

func (h *Handler) departmentNew(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermDepartmentCreate) {
		h.forbidden(w, r, zhagen.PermDepartmentCreate)
		return
	}
	d := &zhagen.Department{Kind: zhagen.DeptGov}
	d.ParentID, _ = strconv.ParseInt(r.URL.Query().Get("parent"), 10, 64)
	h.renderDeptForm(w, r, http.StatusOK, &deptFormData{D: d, IsNew: true, Action: "/departments", Sort: "0"})
}

func (h *Handler) departmentCreate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermDepartmentCreate) {
		h.forbidden(w, r, zhagen.PermDepartmentCreate)
		return
	}
	d, sortText, errs := h.deptFromForm(r)
	fd := &deptFormData{D: d, IsNew: true, Action: "/departments", Sort: sortText}
	if len(errs) > 0 {
		fd.Errors = errs
		h.renderDeptForm(w, r, http.StatusUnprocessableEntity, fd)
		return
	}
	save := *d
	if err := h.cfg.Departments.CreateDepartment(ctx(r), &save); err != nil {
		if h.deptFormError(w, r, err, fd) {
			return
		}
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/departments", "dept.flash.created")
}

func (h *Handler) departmentEdit(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermDepartmentEdit) {
		h.forbidden(w, r, zhagen.PermDepartmentEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	d, err := h.cfg.Departments.FindDepartmentByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderDeptForm(w, r, http.StatusOK, &deptFormData{D: d, Action: fmt.Sprintf("/departments/%d", id), Sort: strconv.Itoa(d.Sort)})
}

func (h *Handler) departmentUpdate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermDepartmentEdit) {
		h.forbidden(w, r, zhagen.PermDepartmentEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	d, sortText, errs := h.deptFromForm(r)
	d.ID = id
	fd := &deptFormData{D: d, Action: fmt.Sprintf("/departments/%d", id), Sort: sortText}
	if len(errs) > 0 {
		fd.Errors = errs
		h.renderDeptForm(w, r, http.StatusUnprocessableEntity, fd)
		return
	}
	name, kind, sort := d.Name, d.Kind, d.Sort
	_, err := h.cfg.Departments.UpdateDepartment(ctx(r), id, zhagen.DepartmentUpdate{Version: d.Version, Name: &name, Kind: &kind, Sort: &sort})
	if err == nil {
		h.redirectFlash(w, r, "/departments", "dept.flash.updated")
		return
	}
	if staleUpdate(err) {
		cur, ferr := h.cfg.Departments.FindDepartmentByID(ctx(r), id)
		if ferr != nil {
			h.fail(w, r, ferr)
			return
		}
		fd.Error = h.tr(r, "common.conflict", cur.Name, h.tr(r, "dept.kind."+string(cur.Kind)), cur.Sort)
		d.Version = cur.Version
		h.renderDeptForm(w, r, http.StatusConflict, fd)
		return
	}
	if h.deptFormError(w, r, err, fd) {
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) deptFormError(w http.ResponseWriter, r *http.Request, err error, fd *deptFormData) bool {
	status, ok := formFailure(err, &fd.Errors, &fd.Error)
	if ok {
		h.renderDeptForm(w, r, status, fd)
	}
	return ok
}

func (h *Handler) renderDeptForm(w http.ResponseWriter, r *http.Request, status int, fd *deptFormData) {
	depts, err := h.cfg.Departments.FindDepartments(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fd.Parents = zhagen.DepartmentTree(depts)
	fd.Kinds = zhagen.DeptKinds
	title := h.tr(r, "dept.new")
	if !fd.IsNew {
		title = h.tr(r, "dept.edit")
	}
	h.render(w, r, status, "department_form", &page{
		Title: title, Nav: "departments",
		Crumbs: []crumb{{Label: h.tr(r, "nav.departments"), Href: "/departments"}, {Label: title}},
		Data:   fd,
	})
}
