package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

type catListData struct {
	Rows      []*zhagen.Category
	DeptNames map[int64]string
	Archived  bool
}

// CoopNames returns the names of a category's cooperating departments.
func (d *catListData) CoopNames(c *zhagen.Category) string {
	var names []string
	for _, id := range c.CoopDeptIDs {
		names = append(names, cmp.Or(d.DeptNames[id], "#"+strconv.FormatInt(id, 10)))
	}
	return strings.Join(names, "、")
}

// categoryList is GET /categories: the demand catalogue (admin only).
func (h *Handler) categoryList(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermCategoryEdit) {
		h.forbidden(w, r, zhagen.PermCategoryEdit)
		return
	}
	d := &catListData{Archived: r.URL.Query().Get("archived") == "1", DeptNames: map[int64]string{}}
	cats, err := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{IncludeArchived: d.Archived})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	slices.SortStableFunc(cats, func(a, b *zhagen.Category) int { return strings.Compare(a.Group, b.Group) })
	d.Rows = cats
	depts, err := h.cfg.Departments.FindDepartments(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, dp := range depts {
		d.DeptNames[dp.ID] = dp.Name
	}
	h.render(w, r, http.StatusOK, "category_list", &page{Title: h.tr(r, "nav.categories"), Nav: "categories", Data: d})
}

// slaRow is one priority's limits in the form, as typed.
type slaRow struct {
	Priority                   zhagen.Priority
	RespAmount, RespUnit       string
	ResolveAmount, ResolveUnit string
}

// questionRow is one question in the form, as typed.
type questionRow struct {
	Code, Label, Type, Options string
	Required                   bool
}

type catFormData struct {
	C          *zhagen.Category
	Keywords   string
	AutoClose  string
	SLA        []slaRow
	Questions  []questionRow
	Depts      []*zhagen.Department
	Groups     []string
	Priorities []zhagen.Priority
	Types      []zhagen.QuestionType
	Errors     map[string]string
	Error      string
	IsNew      bool
	Action     string
}

// Rows is the height of the options box: one row per option, 1 to 6.
func (q questionRow) Rows() int {
	return min(max(strings.Count(strings.TrimSpace(q.Options), "\n")+1, 1), 6)
}

// blankQuestionRows is how many empty question rows the form offers, and
// how many "add rows" adds.
const blankQuestionRows = 3

// catFormFromCategory fills the form from a stored category.
func catFormFromCategory(c *zhagen.Category) *catFormData {
	fd := &catFormData{C: c, Keywords: strings.Join(c.Keywords, "，"), AutoClose: strconv.Itoa(c.AutoCloseDays)}
	sla := c.SLA
	if sla == nil {
		sla = zhagen.DefaultSLA()
	}
	for _, p := range zhagen.Priorities {
		rule := sla[p]
		fd.SLA = append(fd.SLA, slaRow{Priority: p,
			RespAmount: strconv.Itoa(rule.Response.Amount), RespUnit: rule.Response.Unit,
			ResolveAmount: strconv.Itoa(rule.Resolution.Amount), ResolveUnit: rule.Resolution.Unit})
	}
	for _, q := range c.Questions {
		var opts []string
		for _, o := range q.Options {
			opts = append(opts, o.Key+"="+o.Name)
		}
		fd.Questions = append(fd.Questions, questionRow{Code: q.Code, Label: q.Label, Type: string(q.Type),
			Required: q.Required, Options: strings.Join(opts, "\n")})
	}
	return fd
}

// categoryFromForm reads the form into a category and the form data that
// shows it again as typed. Numbers that do not parse are field errors.
func (h *Handler) categoryFromForm(r *http.Request) (*zhagen.Category, *catFormData) {
	r.ParseForm()
	f := r.PostForm
	c := &zhagen.Category{
		Code: f.Get("code"), Name: f.Get("name"), Group: f.Get("group"), Description: strings.TrimSpace(f.Get("description")),
		Keywords: zhagen.SplitTags(f.Get("keywords")), DefaultPriority: zhagen.Priority(f.Get("default_priority")),
		Archived: f.Get("archived") == "1", SLA: map[zhagen.Priority]zhagen.SLARule{}, CoopDeptIDs: []int64{},
	}
	c.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	c.LeadDeptID, _ = strconv.ParseInt(f.Get("lead_dept_id"), 10, 64)
	// The answer rule and the follow-up term: empty takes the default, a
	// number that does not parse is refused by Validate (-1).
	num := func(k string) int {
		s := strings.TrimSpace(f.Get(k))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return n
	}
	c.AnswerMinLen, c.FollowUpDays, c.AnswerFileRequired = num("answer_min_len"), num("followup_days"), f.Get("answer_file_required") == "1"
	for _, s := range f["coop_dept_ids"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			c.CoopDeptIDs = append(c.CoopDeptIDs, n)
		}
	}
	fd := &catFormData{C: c, Keywords: f.Get("keywords"), AutoClose: strings.TrimSpace(f.Get("auto_close_days")), Errors: map[string]string{}}
	if fd.AutoClose != "" {
		n, err := strconv.Atoi(fd.AutoClose)
		if err != nil {
			fd.Errors["auto_close_days"] = h.tr(r, "cat.err.auto_close")
		}
		c.AutoCloseDays = n
	}
	for _, p := range zhagen.Priorities {
		row := slaRow{Priority: p, RespAmount: strings.TrimSpace(f.Get("sla_" + string(p) + "_resp")),
			RespUnit: f.Get("sla_" + string(p) + "_resp_unit"), ResolveAmount: strings.TrimSpace(f.Get("sla_" + string(p) + "_res")),
			ResolveUnit: f.Get("sla_" + string(p) + "_res_unit")}
		fd.SLA = append(fd.SLA, row)
		ra, err1 := strconv.Atoi(row.RespAmount)
		sa, err2 := strconv.Atoi(row.ResolveAmount)
		if err1 != nil || err2 != nil {
			fd.Errors["sla"] = h.tr(r, "cat.err.sla")
		}
		c.SLA[p] = zhagen.SLARule{Response: zhagen.SLATerm{Amount: ra, Unit: row.RespUnit},
			Resolution: zhagen.SLATerm{Amount: sa, Unit: row.ResolveUnit}}
	}
	codes, labels, types, opts := f["q_code"], f["q_label"], f["q_type"], f["q_options"]
	required := f["q_required"]
	c.Questions = []zhagen.Question{}
	for i := range codes {
		at := func(s []string) string {
			if i < len(s) {
				return s[i]
			}
			return ""
		}
		row := questionRow{Code: strings.TrimSpace(codes[i]), Label: strings.TrimSpace(at(labels)), Type: at(types),
			Options: at(opts), Required: slices.Contains(required, strconv.Itoa(i))}
		if row.Code == "" && row.Label == "" && strings.TrimSpace(row.Options) == "" {
			continue // a blank row
		}
		fd.Questions = append(fd.Questions, row)
		q := zhagen.Question{Code: row.Code, Label: row.Label, Type: zhagen.QuestionType(row.Type), Required: row.Required}
		for _, line := range strings.Split(row.Options, "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			key, name, ok := strings.Cut(line, "=")
			if !ok {
				name = key
			}
			q.Options = append(q.Options, zhagen.Option{Key: strings.TrimSpace(key), Name: strings.TrimSpace(name)})
		}
		c.Questions = append(c.Questions, q)
	}
	return c, fd
}

func (h *Handler) categoryNew(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermCategoryEdit) {
		h.forbidden(w, r, zhagen.PermCategoryEdit)
		return
	}
	fd := catFormFromCategory(&zhagen.Category{DefaultPriority: zhagen.PriorityNormal, AutoCloseDays: 7, SLA: zhagen.DefaultSLA()})
	fd.IsNew, fd.Action = true, "/categories"
	h.renderCategoryForm(w, r, http.StatusOK, fd, 0)
}

func (h *Handler) categoryCreate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermCategoryEdit) {
		h.forbidden(w, r, zhagen.PermCategoryEdit)
		return
	}
	c, fd := h.categoryFromForm(r)
	fd.IsNew, fd.Action = true, "/categories"
	if r.PostForm.Get("add_rows") != "" {
		h.renderCategoryForm(w, r, http.StatusOK, fd, len(r.PostForm["q_code"])-len(fd.Questions)+blankQuestionRows)
		return
	}
	if len(fd.Errors) == 0 {
		err := h.cfg.Categories.CreateCategory(ctx(r), c)
		if err == nil {
			h.redirectFlash(w, r, "/categories", "cat.flash.created")
			return
		}
		if !h.categoryFormError(w, r, err, fd) {
			h.fail(w, r, err)
		}
		return
	}
	h.renderCategoryForm(w, r, http.StatusUnprocessableEntity, fd, 0)
}

func (h *Handler) categoryEdit(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermCategoryEdit) {
		h.forbidden(w, r, zhagen.PermCategoryEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	c, err := h.cfg.Categories.FindCategoryByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fd := catFormFromCategory(c)
	fd.Action = fmt.Sprintf("/categories/%d", id)
	h.renderCategoryForm(w, r, http.StatusOK, fd, 0)
}

// categoryUpdate saves the edit form. A stale version shows the form
// again with the user's values and the current version, so that saving
// again is a conscious overwrite.
func (h *Handler) categoryUpdate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermCategoryEdit) {
		h.forbidden(w, r, zhagen.PermCategoryEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	c, fd := h.categoryFromForm(r)
	c.ID = id
	fd.Action = fmt.Sprintf("/categories/%d", id)
	if r.PostForm.Get("add_rows") != "" {
		h.renderCategoryForm(w, r, http.StatusOK, fd, len(r.PostForm["q_code"])-len(fd.Questions)+blankQuestionRows)
		return
	}
	if len(fd.Errors) > 0 {
		h.renderCategoryForm(w, r, http.StatusUnprocessableEntity, fd, 0)
		return
	}
	_, err := h.cfg.Categories.UpdateCategory(ctx(r), id, c.Version, c)
	if err == nil {
		h.redirectFlash(w, r, "/categories", "cat.flash.updated")
		return
	}
	if staleUpdate(err) {
		cur, ferr := h.cfg.Categories.FindCategoryByID(ctx(r), id)
		if ferr != nil {
			h.fail(w, r, ferr)
			return
		}
		fd.Error = h.tr(r, "cat.conflict", cur.Name, cur.Version)
		fd.C.Version = cur.Version
		h.renderCategoryForm(w, r, http.StatusConflict, fd, 0)
		return
	}
	if !h.categoryFormError(w, r, err, fd) {
		h.fail(w, r, err)
	}
}

// categoryFormError shows the form again for EINVALID (422) or a used
// code (409) and reports whether it did.
func (h *Handler) categoryFormError(w http.ResponseWriter, r *http.Request, err error, fd *catFormData) bool {
	status, ok := formFailure(err, &fd.Errors, &fd.Error)
	if ok {
		h.renderCategoryForm(w, r, status, fd, 0)
	}
	return ok
}

// renderCategoryForm shows the form with at least blankQuestionRows empty
// question rows, or extra more.
func (h *Handler) renderCategoryForm(w http.ResponseWriter, r *http.Request, status int, fd *catFormData, extra int) {
	depts, err := h.deptTree(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fd.Depts = depts
	cats, err := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{IncludeArchived: true})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, c := range cats {
		if c.Group != "" && !slices.Contains(fd.Groups, c.Group) {
			fd.Groups = append(fd.Groups, c.Group)
		}
	}
	fd.Priorities, fd.Types = zhagen.Priorities, zhagen.QuestionTypes
	for range max(extra, blankQuestionRows) {
		fd.Questions = append(fd.Questions, questionRow{Type: string(zhagen.QString)})
	}
	if len(fd.Errors) > 0 && fd.Error == "" {
		fd.Error = h.tr(r, "form.fix", len(fd.Errors))
	}
	p := &page{Nav: "categories", Data: fd}
	list := crumb{Label: h.tr(r, "nav.categories"), Href: "/categories"}
	if fd.IsNew {
		p.Title = h.tr(r, "cat.new")
	} else {
		p.Title = h.tr(r, "cat.edit")
	}
	p.Crumbs = []crumb{list, {Label: p.Title}}
	h.render(w, r, status, "category_form", p)
}

// Coop reports whether dept is a cooperating department of the category.
func (fd *catFormData) Coop(dept int64) bool { return slices.Contains(fd.C.CoopDeptIDs, dept) }
