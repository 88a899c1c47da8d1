package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

type userFilter struct {
	Q, Dept, Role string
}

type userListData struct {
	Filter   userFilter
	Rows     []*zhagen.User
	Pager    pager
	Depts    []*zhagen.Department
	Roles    []zhagen.Role
	CanEdit  bool
	Filtered bool
}

// userList is GET /users: search by login or name, filter by department
// and role, in pages.
func (h *Handler) userList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.SeesOthers(a, zhagen.PermUserView) { // the list is for those who see more than themselves
		h.forbidden(w, r, zhagen.PermUserView)
		return
	}
	q := r.URL.Query()
	fl := userFilter{Q: strings.TrimSpace(q.Get("q")), Dept: q.Get("dept"), Role: q.Get("role")}
	f := zhagen.UserFilter{Query: fl.Q, Limit: perPage}
	if id, err := strconv.ParseInt(fl.Dept, 10, 64); err == nil && id > 0 {
		f.DeptID = id
	} else {
		fl.Dept = ""
	}
	if zhagen.Role(fl.Role).Valid() {
		f.Role = zhagen.Role(fl.Role)
	} else {
		fl.Role = ""
	}
	pageNum := pageParam(r)
	f.Offset = offset(pageNum)
	rows, total, err := h.cfg.Users.FindUsers(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &userListData{
		Filter: fl, Rows: rows, Pager: newPager(r.URL, total, pageNum), Roles: zhagen.Roles,
		CanEdit: zhagen.CanAny(a, zhagen.PermUserEdit), Filtered: fl.Q != "" || fl.Dept != "" || fl.Role != "",
	}
	p := &page{Title: h.tr(r, "nav.users"), Nav: "users", Data: d}
	if partialRequest(r, "user-results") {
		h.renderPartial(w, r, "user_list", "user_results", p)
		return
	}
	depts, err := h.cfg.Departments.FindDepartments(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Depts = zhagen.DepartmentTree(depts)
	h.render(w, r, http.StatusOK, "user_list", p)
}

type userFormData struct {
	U            *zhagen.User
	Expertise    string
	EnterpriseID string
	Errors       map[string]string
	Error        string
	PwError      string
	Depts        []*zhagen.Department
	Roles        []zhagen.Role
	Ranks        []string
	Enterprises  []*zhagen.Enterprise
	IsNew        bool
	Action       string
}

func (h *Handler) userFromForm(r *http.Request) (*zhagen.User, *userFormData) {
	r.ParseForm()
	f := r.PostForm
	u := &zhagen.User{
		Login: f.Get("login"), Name: f.Get("name"), Rank: f.Get("rank"), Phone: f.Get("phone"),
		Expertise: zhagen.SplitTags(f.Get("expertise")), Password: f.Get("password"),
		Archived: f.Get("archived") == "1",
	}
	for _, s := range f["roles"] {
		u.Roles = append(u.Roles, zhagen.Role(s))
	}
	u.DeptID, _ = strconv.ParseInt(f.Get("dept_id"), 10, 64)
	u.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	fd := &userFormData{U: u, Expertise: f.Get("expertise"), EnterpriseID: strings.TrimSpace(f.Get("enterprise_id"))}
	if fd.EnterpriseID != "" {
		id, err := strconv.ParseInt(fd.EnterpriseID, 10, 64)
		if err != nil || id <= 0 {
			fd.Errors = map[string]string{"enterprise_id": h.tr(r, "user.err.enterprise_id")}
		}
		u.EnterpriseID = id
	}
	return u, fd
}

func (h *Handler) userNew(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermUserCreate) {
		h.forbidden(w, r, zhagen.PermUserCreate)
		return
	}
	h.renderUserForm(w, r, http.StatusOK, &userFormData{U: &zhagen.User{}, IsNew: true, Action: "/users"})
}

func (h *Handler) userCreate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermUserCreate) {
		h.forbidden(w, r, zhagen.PermUserCreate)
		return
	}
	u, fd := h.userFromForm(r)
	fd.IsNew, fd.Action = true, "/users"
	if len(fd.Errors) > 0 {
		h.renderUserForm(w, r, http.StatusUnprocessableEntity, fd)
		return
	}
	save := *u
	if err := h.cfg.Users.CreateUser(ctx(r), &save); err != nil {
		if h.userFormError(w, r, err, fd) {
			return
		}
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/users", "user.flash.created")
}

func (h *Handler) userEdit(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermUserEdit) {
		h.forbidden(w, r, zhagen.PermUserEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	u, err := h.cfg.Users.FindUserByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fd := &userFormData{U: u, Expertise: strings.Join(u.Expertise, "、"), Action: fmt.Sprintf("/users/%d", id)}
	if u.EnterpriseID != 0 {
		fd.EnterpriseID = strconv.FormatInt(u.EnterpriseID, 10)
	}
	h.renderUserForm(w, r, http.StatusOK, fd)
}

func (h *Handler) userUpdate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermUserEdit) {
		h.forbidden(w, r, zhagen.PermUserEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	u, fd := h.userFromForm(r)
	u.ID = id
	fd.Action = fmt.Sprintf("/users/%d", id)
	cur, err := h.cfg.Users.FindUserByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u.Login, u.CreatedAt, u.LastLoginAt = cur.Login, cur.CreatedAt, cur.LastLoginAt
	if len(fd.Errors) > 0 {
		h.renderUserForm(w, r, http.StatusUnprocessableEntity, fd)
		return
	}
	s := *u
	upd := zhagen.UserUpdate{
		Version: u.Version, Name: &s.Name, Roles: &s.Roles, DeptID: &s.DeptID, Rank: &s.Rank,
		Expertise: &s.Expertise, Phone: &s.Phone, EnterpriseID: &s.EnterpriseID, Archived: &s.Archived,
	}
	_, err = h.cfg.Users.UpdateUser(ctx(r), id, upd)
	if err == nil {
		h.redirectFlash(w, r, "/users", "user.flash.updated")
		return
	}
	if staleUpdate(err) {
		fd.Error = h.tr(r, "user.conflict", cur.Name, cur.Version)
		u.Version = cur.Version
		h.renderUserForm(w, r, http.StatusConflict, fd)
		return
	}
	if h.userFormError(w, r, err, fd) {
		return
	}
	h.fail(w, r, err)
}

// userPassword is POST /users/{id}/password: the administrator (or, as
// the policy's PermUserPassword allows, the user themself) sets a new
// password, which also ends the user's sessions.
func (h *Handler) userPassword(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if !zhagen.Can(actor(r), zhagen.PermUserPassword, zhagen.Facts{UserID: id}) {
		h.forbidden(w, r, zhagen.PermUserPassword)
		return
	}
	err := h.cfg.Users.SetPassword(ctx(r), id, r.PostFormValue("password"))
	if err == nil {
		h.redirectFlash(w, r, fmt.Sprintf("/users/%d/edit", id), "user.flash.password")
		return
	}
	if zhagen.ErrorCode(err) != zhagen.EINVALID {
		h.fail(w, r, err)
		return
	}
	u, ferr := h.cfg.Users.FindUserByID(ctx(r), id)
	if ferr != nil {
		h.fail(w, r, ferr)
		return
	}
	fd := &userFormData{U: u, Expertise: strings.Join(u.Expertise, "、"), Action: fmt.Sprintf("/users/%d", id)}
	if u.EnterpriseID != 0 {
		fd.EnterpriseID = strconv.FormatInt(u.EnterpriseID, 10)
	}
	fd.PwError = zhagen.ErrorMessage(err)
	h.renderUserForm(w, r, http.StatusUnprocessableEntity, fd)
}

func (h *Handler) userFormError(w http.ResponseWriter, r *http.Request, err error, fd *userFormData) bool {
	status, ok := formFailure(err, &fd.Errors, &fd.Error)
	if ok {
		h.renderUserForm(w, r, status, fd)
	}
	return ok
}

func (h *Handler) renderUserForm(w http.ResponseWriter, r *http.Request, status int, fd *userFormData) {
	depts, err := h.cfg.Departments.FindDepartments(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fd.Depts = zhagen.DepartmentTree(depts)
	fd.Roles, fd.Ranks = zhagen.Roles, zhagen.Ranks
	if fd.Enterprises, _, err = h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{Sort: "name", Limit: 500}); err != nil {
		h.fail(w, r, err)
		return
	}
	title := h.tr(r, "user.new")
	if !fd.IsNew {
		title = h.tr(r, "user.edit")
	}
	h.render(w, r, status, "user_form", &page{
		Title: title, Nav: "users",
		Crumbs: []crumb{{Label: h.tr(r, "nav.users"), Href: "/users"}, {Label: title}},
		Data:   fd,
	})
}
