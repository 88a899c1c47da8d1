package web

import (
	"net/http"
	"strconv"

	"zhagen"
)

// replyChoice is a reply template filled for one demand.
type replyChoice struct {
	Title, Text string
}

// replyChoices offers the reply templates that serve d, filled, when the
// actor may resolve or update it, and states the category's answer rule
// on the resolve form.
func (h *Handler) replyChoices(r *http.Request, a *zhagen.Actor, d *zhagen.Demand, sd *dmShowData) error {
	if !a.Allowed(d, zhagen.ActResolve) && !a.Allowed(d, zhagen.ActUpdate) {
		return nil
	}
	if a.Allowed(d, zhagen.ActResolve) {
		cat, err := h.cfg.Categories.FindCategoryByID(ctx(r), d.CategoryID)
		if err != nil && zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			return err
		}
		minLen, file := zhagen.DefaultAnswerMinLen, false
		if cat != nil {
			minLen, file = cat.AnswerMinLen, cat.AnswerFileRequired
		}
		sd.AnswerHint = h.tr(r, "fu.answer.min", minLen)
		if file {
			sd.AnswerHint += h.tr(r, "fu.answer.file")
		}
	}
	if h.cfg.ReplyTemplates == nil || !zhagen.CanAny(a, zhagen.PermReplyTemplateView) {
		return nil
	}
	ts, err := h.cfg.ReplyTemplates.FindReplyTemplates(ctx(r), zhagen.ReplyTemplateFilter{ForDemand: d})
	if err != nil {
		return err
	}
	now := h.clock.Now()
	for _, t := range ts {
		sd.Replies = append(sd.Replies, replyChoice{Title: t.Title, Text: zhagen.FillReply(t.Body, d, now)})
	}
	return nil
}

type replyListData struct {
	Rows         []replyRow
	Categories   []catGroup
	Depts        []*zhagen.Department
	Placeholders []string
	Shared       bool // the caller may keep shared templates (DeptID 0)
	Form         *zhagen.ReplyTemplate
	Errors       map[string]string
	Error        string
}

type replyRow struct {
	*zhagen.ReplyTemplate
	CanEdit bool
}

func (h *Handler) replyTemplateList(w http.ResponseWriter, r *http.Request) {
	h.renderReplies(w, r, http.StatusOK, &replyListData{})
}

// renderReplies shows the list and, for one who keeps templates, the
// form: a new one, or d.Form (an edit, or one refused) again.
func (h *Handler) renderReplies(w http.ResponseWriter, r *http.Request, status int, d *replyListData) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermReplyTemplateView) {
		h.forbidden(w, r, zhagen.PermReplyTemplateView)
		return
	}
	ts, err := h.cfg.ReplyTemplates.FindReplyTemplates(ctx(r), zhagen.ReplyTemplateFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, t := range ts {
		d.Rows = append(d.Rows, replyRow{ReplyTemplate: t, CanEdit: zhagen.Can(a, zhagen.PermReplyTemplateEdit, zhagen.ReplyTemplateFacts(t))})
	}
	d.Placeholders = zhagen.ReplyPlaceholders
	if zhagen.CanAny(a, zhagen.PermReplyTemplateEdit) {
		d.Shared = zhagen.Can(a, zhagen.PermReplyTemplateEdit, zhagen.Facts{})
		if d.Form == nil {
			d.Form = &zhagen.ReplyTemplate{DeptID: a.DeptID}
			if d.Shared {
				d.Form.DeptID = 0
			}
		}
		cats, err := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Categories = groupCategories(cats, h.tr(r, "cat.group.other"))
		if d.Shared {
			if d.Depts, err = h.deptTree(r); err != nil {
				h.fail(w, r, err)
				return
			}
		}
	}
	h.render(w, r, status, "reply_templates", &page{Title: h.tr(r, "nav.replies"), Nav: "replies", Data: d})
}

func replyFromForm(r *http.Request) *zhagen.ReplyTemplate {
	f := r.PostForm
	t := &zhagen.ReplyTemplate{Title: f.Get("title"), Body: f.Get("body")}
	t.CategoryID, _ = strconv.ParseInt(f.Get("category_id"), 10, 64)
	t.DeptID, _ = strconv.ParseInt(f.Get("dept_id"), 10, 64)
	t.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	return t
}

// replyDept is the department a template is kept for: the chosen one
// for those who keep every template, else the caller's own.
func replyDept(a *zhagen.Actor, t *zhagen.ReplyTemplate) {
	if !zhagen.Can(a, zhagen.PermReplyTemplateEdit, zhagen.Facts{}) {
		t.DeptID = a.DeptID
	}
}

func (h *Handler) replyTemplateCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	t := replyFromForm(r)
	replyDept(actor(r), t)
	err := h.cfg.ReplyTemplates.CreateReplyTemplate(ctx(r), t)
	h.replyDone(w, r, t, err)
}

func (h *Handler) replyDone(w http.ResponseWriter, r *http.Request, t *zhagen.ReplyTemplate, err error) {
	if err == nil {
		h.redirectFlash(w, r, "/reply-templates", "fu.reply.flash.saved")
		return
	}
	d := &replyListData{Form: t}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderReplies(w, r, status, d)
}

func (h *Handler) replyTemplateEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	t, err := h.cfg.ReplyTemplates.FindReplyTemplateByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !zhagen.Can(actor(r), zhagen.PermReplyTemplateEdit, zhagen.ReplyTemplateFacts(t)) {
		h.forbidden(w, r, zhagen.PermReplyTemplateEdit)
		return
	}
	h.renderReplies(w, r, http.StatusOK, &replyListData{Form: t})
}

func (h *Handler) replyTemplateUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	t := replyFromForm(r)
	t.ID = id
	replyDept(actor(r), t)
	err := h.cfg.ReplyTemplates.UpdateReplyTemplate(ctx(r), t)
	h.replyDone(w, r, t, err)
}

func (h *Handler) replyTemplateDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.ReplyTemplates.DeleteReplyTemplate(ctx(r), id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/reply-templates", "fu.reply.flash.deleted")
}
