package web

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

func (h *Handler) bulletinRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	auth("GET /bulletins", h.bulletinList)
	auth("POST /bulletins", h.bulletinCreate)
	auth("GET /bulletins/{id}", h.bulletinShow)
	auth("GET /bulletins/{id}/print", h.bulletinPrint)
	auth("GET /bulletins/{id}/docx", h.bulletinDocx)
	auth("POST /bulletins/{id}/notable", h.bulletinNotable)
	auth("POST /bulletins/{id}/commentary", h.bulletinCommentary)
	auth("POST /bulletins/{id}/issue", h.bulletinIssue)
}

type bulletinListData struct {
	Rows     []*zhagen.Bulletin
	CanDraft bool
	Month    string // the form's month
	Error    string
}

// bulletinList is GET /bulletins: the monthly bulletins, the latest
// first, and the dispatcher's form to start a month's draft.
func (h *Handler) bulletinList(w http.ResponseWriter, r *http.Request) {
	h.renderBulletinList(w, r, http.StatusOK, "", "")
}

func (h *Handler) renderBulletinList(w http.ResponseWriter, r *http.Request, status int, month, msg string) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermBulletinView) {
		h.forbidden(w, r, zhagen.PermBulletinView)
		return
	}
	rows, err := h.cfg.Oversight.FindBulletins(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if month == "" {
		month = h.clock.Now().In(zhagen.Shanghai).AddDate(0, -1, 0).Format("2006-01")
	}
	d := &bulletinListData{Rows: rows, CanDraft: zhagen.CanAny(a, zhagen.PermBulletinDraft), Month: month, Error: msg}
	h.render(w, r, status, "bulletin_list", &page{Title: h.tr(r, "nav.bulletins"), Nav: "bulletins", Data: d})
}

// bulletinCreate is POST /bulletins: the dispatcher starts a month's draft.
func (h *Handler) bulletinCreate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermBulletinDraft) {
		h.forbidden(w, r, zhagen.PermBulletinDraft)
		return
	}
	month := strings.TrimSpace(r.PostFormValue("month"))
	b, err := h.cfg.Oversight.CreateBulletin(ctx(r), month)
	if status, msg, ok := refusal(err); ok {
		h.renderBulletinList(w, r, status, month, msg)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/bulletins/%d", b.ID), "bl.flash.created")
}

// bulletinView is a bulletin as its page and print view show it.
type bulletinView struct {
	B                                  *zhagen.Bulletin
	C                                  *zhagen.BulletinContent
	This                               trendRow
	Response, Resolution, Satisfaction rateView
	Top, Bottom                        []rankRow
	Chart                              string
	Charts                             bool
	IssuedOn                           string // 2026年12月1日
	// The forms: who may do what to a draft, and what was typed.
	CanNotable, CanIssue bool
	Notable, Commentary  string
	Error                string
}

func (h *Handler) bulletinView(r *http.Request, b *zhagen.Bulletin) *bulletinView {
	a := actor(r)
	v := &bulletinView{B: b, C: b.Content, Charts: h.static.url("vendor/echarts.min.js") != "", Commentary: b.Commentary}
	if b.IssuedAt != nil {
		v.IssuedOn = b.IssuedAt.In(zhagen.Shanghai).Format("2006年1月2日")
	}
	draft := b.Status == zhagen.BulletinDraft
	v.CanNotable, v.CanIssue = draft && zhagen.CanAny(a, zhagen.PermBulletinDraft), draft && zhagen.CanAny(a, zhagen.PermBulletinIssue)
	ids := make([]string, len(b.Notable))
	for i, id := range b.Notable {
		ids[i] = strconv.FormatInt(id, 10)
	}
	v.Notable = strings.Join(ids, ", ")
	c := b.Content
	if c == nil {
		return v
	}
	v.This = newTrendRow(c.Month, c.This)
	v.This.against(newTrendRow("", c.Prev))
	rank := func(ds []zhagen.DeptScore) []rankRow {
		var out []rankRow
		for _, s := range ds {
			row := rankRow{Rank: s.Rank, Name: s.DeptName, Score: strconv.FormatFloat(s.Score, 'f', 1, 64), trendRow: newTrendRow(s.DeptName, s.TrendCounts)}
			row.Timeliness = newRate(s.Submitted-s.Withdrawn-s.Overdue, s.Submitted-s.Withdrawn)
			out = append(out, row)
		}
		return out
	}
	v.Top, v.Bottom = rank(c.Top), rank(c.Bottom)
	chart := map[string]any{"months": []string{}, "names": map[string]string{"response": h.tr(r, "rt.response"), "resolution": h.tr(r, "rt.resolution"),
		"satisfaction": h.tr(r, "rt.satisfaction"), "submitted": h.tr(r, "tr.col.submitted"), "coverage": h.tr(r, "bl.coverage")}}
	series := map[string][]any{}
	for _, m := range c.Trend {
		row := newTrendRow(m.Month, m.TrendCounts)
		chart["months"] = append(chart["months"].([]string), m.Month)
		for k, rv := range map[string]rateView{"response": row.Response, "resolution": row.Resolution, "satisfaction": row.Satisfaction} {
			if rv.OK {
				series[k] = append(series[k], rv.Value)
			} else {
				series[k] = append(series[k], nil)
			}
		}
		series["submitted"] = append(series["submitted"], m.Submitted)
	}
	var depts []string
	var cov []float64
	for _, d := range c.CoverageDepts {
		depts = append(depts, d.Name)
		cov = append(cov, d.Percent)
	}
	chart["series"], chart["depts"], chart["coverage"] = series, depts, cov
	cj, _ := json.Marshal(chart)
	v.Chart = string(cj)
	return v
}

// bulletinByID loads the bulletin of the path, or answers.
func (h *Handler) bulletinByID(w http.ResponseWriter, r *http.Request) (*zhagen.Bulletin, bool) {
	if !zhagen.CanAny(actor(r), zhagen.PermBulletinView) {
		h.forbidden(w, r, zhagen.PermBulletinView)
		return nil, false
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return nil, false
	}
	b, err := h.cfg.Oversight.FindBulletin(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return b, true
}

// bulletinShow is GET /bulletins/{id}: the bulletin with its charts, and
// while a draft the dispatcher's choice of notable cases and the
// leader's commentary and issue.
func (h *Handler) bulletinShow(w http.ResponseWriter, r *http.Request) {
	b, ok := h.bulletinByID(w, r)
	if !ok {
		return
	}
	h.renderBulletin(w, r, http.StatusOK, h.bulletinView(r, b))
}

func (h *Handler) renderBulletin(w http.ResponseWriter, r *http.Request, status int, v *bulletinView) {
	title := v.B.Title()
	p := &page{Title: title, Nav: "bulletins", Data: v, Crumbs: []crumb{{Label: h.tr(r, "nav.bulletins"), Href: "/bulletins"}, {Label: title}}}
	h.render(w, r, status, "bulletin_show", p)
}

// bulletinPrint is GET /bulletins/{id}/print: the bulletin on A4 sheets.
func (h *Handler) bulletinPrint(w http.ResponseWriter, r *http.Request) {
	b, ok := h.bulletinByID(w, r)
	if !ok {
		return
	}
	h.execute(w, r, http.StatusOK, "bulletin_print", "print", &page{Title: b.Title(), Data: h.bulletinView(r, b)})
}

// bulletinDocx is GET /bulletins/{id}/docx: the bulletin as .docx.
func (h *Handler) bulletinDocx(w http.ResponseWriter, r *http.Request) {
	b, ok := h.bulletinByID(w, r)
	if !ok {
		return
	}
	if h.cfg.BulletinDocx == nil {
		h.notFound(w, r)
		return
	}
	data, err := h.cfg.BulletinDocx(b)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "工作通报-" + b.Month + ".docx"}))
	w.Write(data)
}

// bulletinEdit runs one change of a draft from a form: on success back
// to the bulletin with a flash, on a refusal the page with the message
// and the typed input kept.
func (h *Handler) bulletinEdit(w http.ResponseWriter, r *http.Request, need zhagen.Perm, flash string,
	do func(id, version int64) (*zhagen.Bulletin, error), keep func(v *bulletinView)) {
	if !zhagen.CanAny(actor(r), need) {
		h.forbidden(w, r, need)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err := do(id, version)
	if status, msg, ok := refusal(err); ok {
		b, err := h.cfg.Oversight.FindBulletin(ctx(r), id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v := h.bulletinView(r, b)
		v.Error = msg
		keep(v)
		h.renderBulletin(w, r, status, v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/bulletins/%d", id), flash)
}

// bulletinNotable is POST /bulletins/{id}/notable: the dispatcher's
// notable cases, demand numbers separated by commas or spaces.
func (h *Handler) bulletinNotable(w http.ResponseWriter, r *http.Request) {
	raw := r.PostFormValue("notable")
	h.bulletinEdit(w, r, zhagen.PermBulletinDraft, "bl.flash.notable", func(id, version int64) (*zhagen.Bulletin, error) {
		var ids []int64
		for _, f := range strings.FieldsFunc(raw, func(c rune) bool {
			return c == ',' || c == '，' || c == '、' || c == ' ' || c == '\n' || c == '\r' || c == '\t'
		}) {
			n, err := strconv.ParseInt(strings.TrimPrefix(f, "#"), 10, 64)
			if err != nil || n <= 0 {
				return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "notable", Message: "典型案例请填写诉求编号，多个编号用逗号分隔：" + f}
			}
			ids = append(ids, n)
		}
		return h.cfg.Oversight.SetNotable(ctx(r), id, version, ids)
	}, func(v *bulletinView) { v.Notable = raw })
}

// bulletinCommentary is POST /bulletins/{id}/commentary: the leader's
// commentary (领导批示) on a draft.
func (h *Handler) bulletinCommentary(w http.ResponseWriter, r *http.Request) {
	text := r.PostFormValue("commentary")
	h.bulletinEdit(w, r, zhagen.PermBulletinIssue, "bl.flash.commentary", func(id, version int64) (*zhagen.Bulletin, error) {
		return h.cfg.Oversight.SetCommentary(ctx(r), id, version, text)
	}, func(v *bulletinView) { v.Commentary = text })
}

// bulletinIssue is POST /bulletins/{id}/issue: the leader issues the
// bulletin, once; it is numbered and its figures frozen.
func (h *Handler) bulletinIssue(w http.ResponseWriter, r *http.Request) {
	h.bulletinEdit(w, r, zhagen.PermBulletinIssue, "bl.flash.issued", func(id, version int64) (*zhagen.Bulletin, error) {
		return h.cfg.Oversight.IssueBulletin(ctx(r), id, version)
	}, func(*bulletinView) {})
}

// refusal is the status and message of an error a form shows itself:
// EINVALID (422) or ECONFLICT (409); ok is false for any other.
func refusal(err error) (int, string, bool) {
	switch zhagen.ErrorCode(err) {
	case zhagen.EINVALID:
		return http.StatusUnprocessableEntity, zhagen.ErrorMessage(err), true
	case zhagen.ECONFLICT:
		return http.StatusConflict, zhagen.ErrorMessage(err), true
	}
	return 0, "", false
}
