package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"zhagen"
)

// followUpRoutes registers the follow-up queue (回访) and the reply
// templates (常用回复).
func (h *Handler) followUpRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.FollowUps != nil {
		auth("GET /follow-ups", h.followUpList)
		auth("GET /follow-ups/{id}", h.followUpShow)
		auth("POST /follow-ups/{id}", h.followUpRecord)
	}
	if h.cfg.ReplyTemplates != nil {
		auth("GET /reply-templates", h.replyTemplateList)
		auth("POST /reply-templates", h.replyTemplateCreate)
		auth("GET /reply-templates/{id}", h.replyTemplateEdit)
		auth("POST /reply-templates/{id}", h.replyTemplateUpdate)
		auth("POST /reply-templates/{id}/delete", h.replyTemplateDelete)
	}
}

// followUpRow is a follow-up as a row shows it: its due colour (亮灯)
// with the reason on hover.
type followUpRow struct {
	*zhagen.FollowUp
	Light  zhagen.SLALevel
	Reason string
}

func (h *Handler) followUpRows(r *http.Request, fs []*zhagen.FollowUp) []followUpRow {
	now := h.clock.Now()
	out := make([]followUpRow, 0, len(fs))
	for _, f := range fs {
		row := followUpRow{FollowUp: f, Light: f.Light(now)}
		due := f.DueAt.In(zhagen.Shanghai).Format("2006-01-02 15:04")
		switch {
		case f.Done():
			row.Reason = h.tr(r, "fu.reason.done", f.DoneAt.In(zhagen.Shanghai).Format("2006-01-02 15:04"))
		case row.Light == zhagen.SLARed:
			row.Reason = h.tr(r, "fu.reason.overdue", due)
		default:
			row.Reason = h.tr(r, "fu.reason.due", due)
		}
		out = append(out, row)
	}
	return out
}

type followUpListData struct {
	Rows     []followUpRow
	Status   string
	Kind     string
	Kinds    []zhagen.FollowUpKind
	Cols     map[string]sortCol
	Pager    pager
	Counts   map[string]int
	Statuses []string
}

var followUpStatuses = []string{"open", "overdue", "done", "flagged", "all"}

func (h *Handler) followUpList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermFollowUpView) {
		h.forbidden(w, r, zhagen.PermFollowUpView)
		return
	}
	q := r.URL.Query()
	d := &followUpListData{Status: q.Get("status"), Kind: q.Get("kind"), Kinds: zhagen.FollowUpKinds, Statuses: followUpStatuses, Counts: map[string]int{}}
	if d.Status == "" {
		d.Status = "open"
	}
	f := zhagen.FollowUpFilter{Status: d.Status, Kind: zhagen.FollowUpKind(d.Kind), Sort: q.Get("sort")}
	if d.Status == "all" {
		f.Status = ""
	}
	if f.Validate() != nil {
		f, d.Status, d.Kind = zhagen.FollowUpFilter{Status: "open"}, "open", ""
	}
	pageNum := pageParam(r)
	f.Limit, f.Offset = perPage, offset(pageNum)
	fs, total, err := h.cfg.FollowUps.FindFollowUps(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, st := range []string{"open", "overdue"} {
		_, n, err := h.cfg.FollowUps.FindFollowUps(ctx(r), zhagen.FollowUpFilter{Status: st, Limit: 1})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Counts[st] = n
	}
	d.Rows = h.followUpRows(r, fs)
	d.Pager = newPager(r.URL, total, pageNum)
	d.Cols = map[string]sortCol{
		"due":     sortHeader(r.URL, f.Sort, "due", h.tr(r, "fu.col.due")),
		"created": sortHeader(r.URL, f.Sort, "created", h.tr(r, "fu.col.created")),
	}
	p := &page{Title: h.tr(r, "nav.followups"), Nav: "followups", Data: d}
	if partialRequest(r, "fu-table") {
		h.renderPartial(w, r, "followup_list", "fu_table", p)
		return
	}
	h.render(w, r, http.StatusOK, "followup_list", p)
}

type followUpShowData struct {
	F         followUpRow
	D         *zhagen.Demand
	CanRecord bool
	Results   []zhagen.FollowUpResult
	Methods   []zhagen.FollowUpMethod
	Ratings   []zhagen.Rating
	reshown
}

// Val returns the value typed in field, or def on a fresh form.
func (d *followUpShowData) Val(field, def string) string {
	if d.Form == nil {
		return def
	}
	return d.Form.Get(field)
}

func (h *Handler) followUpShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderFollowUp(w, r, http.StatusOK, id, &followUpShowData{})
}

func (h *Handler) renderFollowUp(w http.ResponseWriter, r *http.Request, status int, id int64, d *followUpShowData) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermFollowUpView) {
		h.forbidden(w, r, zhagen.PermFollowUpView)
		return
	}
	f, err := h.cfg.FollowUps.FindFollowUpByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if d.D, err = h.cfg.Demands.FindDemandByID(ctx(r), f.DemandID); err != nil {
		h.fail(w, r, err)
		return
	}
	d.F = h.followUpRows(r, []*zhagen.FollowUp{f})[0]
	d.CanRecord = !f.Done() && zhagen.Can(a, zhagen.PermFollowUpRecord, zhagen.FollowUpFacts(f))
	d.Results, d.Methods = zhagen.FollowUpResults, zhagen.FollowUpMethods
	d.Ratings = []zhagen.Rating{zhagen.RatingSatisfied, zhagen.RatingBasically, zhagen.RatingUnsatisfied}
	h.render(w, r, status, "followup_show", &page{Title: h.tr(r, "fu.title", f.DemandID), Nav: "followups", Data: d,
		Crumbs: []crumb{{Label: h.tr(r, "nav.followups"), Href: "/follow-ups"}, {Label: "#" + strconv.FormatInt(f.DemandID, 10)}}})
}

// followUpFromForm reads the result form.
func followUpFromForm(f url.Values) zhagen.FollowUpRecord {
	rec := zhagen.FollowUpRecord{Result: zhagen.FollowUpResult(f.Get("result")), Method: zhagen.FollowUpMethod(f.Get("method")),
		Satisfaction: zhagen.Rating(f.Get("satisfaction")), Note: f.Get("note"), Reopen: f.Get("reopen") == "1"}
	rec.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	switch f.Get("pressed") {
	case "1":
		rec.Pressed = new(true)
	case "0":
		rec.Pressed = new(false)
	}
	return rec
}

// followUpRecord is POST /follow-ups/{id}: the result, recorded once; a
// refusal shows the form again with what was typed.
func (h *Handler) followUpRecord(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	f, err := h.cfg.FollowUps.RecordFollowUp(ctx(r), id, followUpFromForm(r.PostForm))
	if err == nil {
		key := "fu.flash.done"
		if f.Reopened {
			key = "fu.flash.reopened"
		}
		h.redirectFlash(w, r, "/follow-ups/"+strconv.FormatInt(id, 10), key)
		return
	}
	d := &followUpShowData{reshown: reshown{Form: r.PostForm}}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderFollowUp(w, r, status, id, d)
}

// homeFollowUps leads the workbench of those who make follow-ups with
// the ones due by the end of today (overdue included), earliest first.
func (h *Handler) homeFollowUps(r *http.Request, a *zhagen.Actor, d *homeData) error {
	if h.cfg.FollowUps == nil || !zhagen.CanAny(a, zhagen.PermFollowUpRecord) {
		return nil
	}
	y, m, day := h.clock.Now().In(zhagen.Shanghai).Date()
	end := time.Date(y, m, day+1, 0, 0, 0, 0, zhagen.Shanghai)
	fs, n, err := h.cfg.FollowUps.FindFollowUps(ctx(r), zhagen.FollowUpFilter{DueBefore: &end, Limit: 10})
	if err != nil {
		return err
	}
	_, open, err := h.cfg.FollowUps.FindFollowUps(ctx(r), zhagen.FollowUpFilter{Status: "open", Limit: 1})
	if err != nil {
		return err
	}
	d.FollowUps, d.FollowUpsDue, d.FollowUpsOpen = h.followUpRows(r, fs), n, open
	return nil
}
