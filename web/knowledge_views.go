package web

import (
	"net/http"
	"time"

	"zhagen"
)

type cpData struct {
	Month    string // YYYY-MM
	Prev     string
	Next     string
	Problems []*zhagen.CommonProblem
	CanAdopt bool
	Depts    []*zhagen.Department
}

// commonProblems is GET /common-problems?month=YYYY-MM: the month's
// demands of different enterprises grouped by similarity (共性问题).
func (h *Handler) commonProblems(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermCommonProblemView) {
		h.forbidden(w, r, zhagen.PermCommonProblemView)
		return
	}
	now := h.clock.Now().In(zhagen.Shanghai)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, zhagen.Shanghai)
	if m := r.URL.Query().Get("month"); m != "" {
		t, err := time.ParseInLocation("2006-01", m, zhagen.Shanghai)
		if err != nil {
			h.fail(w, r, &zhagen.Error{Code: zhagen.EINVALID, Field: "month", Message: "月份格式应为 YYYY-MM"})
			return
		}
		from = t
	}
	to := from.AddDate(0, 1, 0)
	ps, err := h.cfg.Knowledge.CommonProblems(ctx(r), from, to)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &cpData{Month: from.Format("2006-01"), Prev: from.AddDate(0, -1, 0).Format("2006-01"), Problems: ps}
	if to.Before(now) || to.Equal(now) {
		d.Next = to.Format("2006-01")
	}
	if d.CanAdopt = zhagen.CanAny(a, zhagen.PermTopicAdopt) && len(ps) > 0; d.CanAdopt {
		if d.Depts, err = h.deptTree(r); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "common_problems", &page{Title: h.tr(r, "nav.common_problems"), Nav: "common_problems", Data: d})
}

// dispatchEval is GET /dispatch/eval: the live dispatch model's accuracy
// as `zhagen dispatch eval` reports it.
func (h *Handler) dispatchEval(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermDispatchEval) {
		h.forbidden(w, r, zhagen.PermDispatchEval)
		return
	}
	ev, err := h.cfg.Knowledge.DispatchEval(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "dispatch_eval", &page{Title: h.tr(r, "nav.dispatch_eval"), Nav: "dispatch_eval", Data: ev})
}

// demandKnowledge fills the demand page's knowledge panel: for the
// command centre the dispatch suggestion (while the demand waits for
// routing) and candidate duplicates across enterprises; for those who
// keep entries, the promotion of a resolved demand's answer.
func (h *Handler) demandKnowledge(r *http.Request, a *zhagen.Actor, sd *dmShowData) error {
	if h.cfg.Knowledge == nil {
		return nil
	}
	d := sd.D
	if d.Resolution != "" && zhagen.CanAny(a, zhagen.PermKnowledgeEdit) {
		sd.Promote = true
	}
	if !zhagen.CanAny(a, zhagen.PermDemandDuplicates) {
		return nil
	}
	sd.CanLink, sd.CanMerge = a.Allowed(d, zhagen.ActLink), a.Allowed(d, zhagen.ActMerge)
	if a.Allowed(d, zhagen.ActAssign) {
		s, err := h.cfg.Knowledge.Suggest(ctx(r), d.Title, d.Description)
		if err != nil {
			return err
		}
		sd.Suggestion = s
	}
	dups, pending, err := h.cfg.Knowledge.Duplicates(ctx(r), d.ID)
	if err != nil {
		return err
	}
	sd.Duplicates, sd.DupsPending = dups, pending
	return nil
}
