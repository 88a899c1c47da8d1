package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

type ladderData struct {
	Rules      []*zhagen.LadderRule
	Default    zhagen.LadderRule
	Categories []*zhagen.Category
	Priorities []zhagen.Priority
	Form       ladderForm
	Errors     map[string]string
	Error      string
}

// ladderForm is the rule form as typed.
type ladderForm struct {
	CategoryID                         int64
	Priority                           string
	WarnPct, SuperviseDays, ReplyHours string
}

// ladderPage is GET /ladder: the escalation ladder's rules per category
// and priority, with the defaults that hold where none is set (admin).
func (h *Handler) ladderPage(w http.ResponseWriter, r *http.Request) {
	def := zhagen.DefaultLadderRule
	h.renderLadder(w, r, http.StatusOK, &ladderData{Form: ladderForm{WarnPct: strconv.Itoa(def.WarnPct),
		SuperviseDays: strconv.Itoa(def.SuperviseDays), ReplyHours: strconv.Itoa(def.ReplyHours)}})
}

func (h *Handler) renderLadder(w http.ResponseWriter, r *http.Request, status int, d *ladderData) {
	if !zhagen.CanAny(actor(r), zhagen.PermLadderEdit) {
		h.forbidden(w, r, zhagen.PermLadderEdit)
		return
	}
	rules, err := h.cfg.Supervision.LadderRules(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cats, err := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rules, d.Default, d.Categories, d.Priorities = rules, zhagen.DefaultLadderRule, cats, zhagen.Priorities
	h.render(w, r, status, "ladder", &page{Title: h.tr(r, "nav.ladder"), Nav: "ladder", Data: d})
}

// ladderSet is POST /ladder: add or replace a rule.
func (h *Handler) ladderSet(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermLadderEdit) {
		h.forbidden(w, r, zhagen.PermLadderEdit)
		return
	}
	r.ParseForm()
	pf := r.PostForm
	f := ladderForm{Priority: pf.Get("priority"), WarnPct: strings.TrimSpace(pf.Get("warn_pct")),
		SuperviseDays: strings.TrimSpace(pf.Get("supervise_days")), ReplyHours: strings.TrimSpace(pf.Get("reply_hours"))}
	f.CategoryID, _ = strconv.ParseInt(pf.Get("category_id"), 10, 64)
	d := &ladderData{Form: f, Errors: map[string]string{}}
	num := func(field, v string) int {
		n, err := strconv.Atoi(v)
		if err != nil {
			d.Errors[field] = h.tr(r, "spv.ladder.err.number")
		}
		return n
	}
	rule := &zhagen.LadderRule{CategoryID: f.CategoryID, Priority: zhagen.Priority(f.Priority),
		WarnPct: num("warn_pct", f.WarnPct), SuperviseDays: num("supervise_days", f.SuperviseDays), ReplyHours: num("reply_hours", f.ReplyHours)}
	if len(d.Errors) == 0 {
		err := h.cfg.Supervision.SetLadderRule(ctx(r), rule)
		if err == nil {
			h.redirectFlash(w, r, "/ladder", "spv.ladder.flash.saved")
			return
		}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderLadder(w, r, status, d)
		return
	}
	h.renderLadder(w, r, http.StatusUnprocessableEntity, d)
}

// ladderDelete is POST /ladder/delete: remove a rule; the defaults apply.
func (h *Handler) ladderDelete(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermLadderEdit) {
		h.forbidden(w, r, zhagen.PermLadderEdit)
		return
	}
	r.ParseForm()
	cat, _ := strconv.ParseInt(r.PostForm.Get("category_id"), 10, 64)
	if err := h.cfg.Supervision.DeleteLadderRule(ctx(r), cat, zhagen.Priority(r.PostForm.Get("priority"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/ladder", "spv.ladder.flash.deleted")
}
