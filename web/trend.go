package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"zhagen"
	"zhagen/sheet"
)

// trendRoutes registers the trend and ranking page of the three rates
// (三率趋势与排名) and the form of the ranking's weights.
func (h *Handler) trendRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Rates == nil {
		return
	}
	auth("GET /rates/trend", h.trendPage)
	auth("POST /rates/weights", h.trendWeights)
}

// deltaView is a month-on-month change in percentage points.
type deltaView struct {
	OK   bool
	Text string // "+2.3", "−1.0", "0.0"
	Tone string // up, down, flat
}

func newDelta(cur, prev rateView) deltaView {
	if !cur.OK || !prev.OK {
		return deltaView{Text: "—", Tone: "flat"}
	}
	d := cur.Value - prev.Value
	v := deltaView{OK: true, Text: strconv.FormatFloat(d, 'f', 1, 64), Tone: "flat"}
	switch {
	case d > 0.05:
		v.Text, v.Tone = "+"+v.Text, "up"
	case d < -0.05:
		v.Text, v.Tone = "−"+strings.TrimPrefix(v.Text, "-"), "down"
	default:
		v.Text = "0.0"
	}
	return v
}

// hours formats a mean working time in hours, "—" without demands.
func hours(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// trendRow is one month or one department: its counts, rates, changes
// and the addresses of the demand lists behind its numbers.
type trendRow struct {
	Label                              string
	Href                               string // the department's own trend
	C                                  zhagen.TrendCounts
	Response, Resolution, Satisfaction rateView
	DResponse, DResolution, DSatisf    deltaView
	RespHours, ResHours                string
	Links                              map[string]string // submitted, open, awaiting, closed, withdrawn → /demands?…
}

type trendFilterView struct {
	From, To       string
	Dept, Category int64
}

type trendData struct {
	Filter     trendFilterView
	Error      string
	AllDepts   bool
	Depts      []*zhagen.Department
	Categories []catGroup
	Total      trendRow
	Last       trendRow // the last month of the period
	Months     []trendRow
	ByDept     []trendRow
	Ranking    []rankRow
	Weights    zhagen.RankingWeights
	EditWeight bool
	Charts     bool
	Chart      string
	Rankings   bool // the rankings' tab
}

type rankRow struct {
	Rank       int
	Name       string
	Href       string
	Score      string
	Timeliness rateView
	trendRow
}

// demandLinks are the demand lists behind a row's counts: the demands
// led by dept (0: any) filed from..to, in the page's category.
func demandLinks(dept, category int64, from, to time.Time) map[string]string {
	q := url.Values{"from": {from.Format("2006-01-02")}, "to": {to.Format("2006-01-02")}}
	if dept != 0 {
		q.Set("dept", strconv.FormatInt(dept, 10))
		q.Set("role", "lead")
	}
	if category != 0 {
		q.Set("category", strconv.FormatInt(category, 10))
	}
	link := func(k, v string) string {
		c := url.Values{}
		for key, vs := range q {
			c[key] = vs
		}
		if k != "" {
			c.Set(k, v)
		}
		return "/demands?" + c.Encode()
	}
	return map[string]string{"submitted": link("", ""), "open": link("open", "1"), "awaiting": link("status", string(zhagen.DemandResolved)),
		"closed": link("status", string(zhagen.DemandClosed)), "withdrawn": link("status", string(zhagen.DemandWithdrawn))}
}

func newTrendRow(label string, c zhagen.TrendCounts) trendRow {
	row := trendRow{Label: label, C: c, Response: newRate(c.AcceptedInTime, c.DueForResponse), Resolution: newRate(c.Solved, c.Closed),
		Satisfaction: newRate(c.Satisfied, c.Rated)}
	row.RespHours = hours(c.AvgResponseHours())
	row.ResHours = hours(c.AvgResolutionHours())
	return row
}

func (row *trendRow) against(prev trendRow) {
	row.DResponse, row.DResolution, row.DSatisf = newDelta(row.Response, prev.Response), newDelta(row.Resolution, prev.Resolution),
		newDelta(row.Satisfaction, prev.Satisfaction)
}

// trendPage is GET /rates/trend: the three rates month by month with the
// change from the month before, the mean working hours to response and
// to resolution, the counts by status, overdue, returns and extensions,
// per department, the departments' ranking by the weighted score, and the
// definitions. Every count links to the demand list behind it.
func (h *Handler) trendPage(w http.ResponseWriter, r *http.Request) {
	h.renderTrend(w, r, http.StatusOK, "")
}

func (h *Handler) renderTrend(w http.ResponseWriter, r *http.Request, status int, weightErr string) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermRatesView) {
		h.forbidden(w, r, zhagen.PermRatesView)
		return
	}
	q := r.URL.Query()
	all, _ := zhagen.ScopeOf(a, zhagen.PermRatesView)
	d := &trendData{AllDepts: all, Charts: h.static.url("vendor/echarts.min.js") != "", EditWeight: zhagen.CanAny(a, zhagen.PermRankingWeights),
		Rankings: h.cfg.Oversight != nil && zhagen.CanAny(a, zhagen.PermCadreRanking)}
	fv := trendFilterView{From: q.Get("from"), To: q.Get("to")}
	fv.Category, _ = strconv.ParseInt(q.Get("category"), 10, 64)
	if all {
		fv.Dept, _ = strconv.ParseInt(q.Get("dept"), 10, 64)
	}
	f := zhagen.TrendFilter{From: fv.From, To: fv.To, DeptID: fv.Dept, CategoryID: fv.Category}
	t, err := h.cfg.Rates.DemandTrend(ctx(r), f)
	if zhagen.ErrorCode(err) == zhagen.EINVALID {
		d.Error = h.tr(r, "tr.err.period")
		f.From, f.To = "", ""
		t, err = h.cfg.Rates.DemandTrend(ctx(r), f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rk, err := h.cfg.Rates.DeptRanking(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.Ranking, sheet.Slice(rk.Depts))
		return
	}
	fv.From, fv.To = t.From, t.To
	d.Filter, d.Weights = fv, rk.Weights
	first, _ := zhagen.ParseMonth(t.From)
	last, _ := zhagen.ParseMonth(t.To)
	d.Total = newTrendRow(h.tr(r, "rt.total"), t.Total)
	d.Total.Links = demandLinks(fv.Dept, fv.Category, first, last.AddDate(0, 1, -1))
	chart := map[string]any{"months": []string{}}
	series := map[string][]any{}
	pct := func(v rateView) any {
		if !v.OK {
			return nil
		}
		return v.Value
	}
	num := func(s string) any {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			return v
		}
		return nil
	}
	for i, m := range t.Months {
		start, _ := zhagen.ParseMonth(m.Month)
		row := newTrendRow(m.Month, m.TrendCounts)
		row.Links = demandLinks(fv.Dept, fv.Category, start, start.AddDate(0, 1, -1))
		if i > 0 {
			row.against(d.Months[i-1])
		}
		d.Months = append(d.Months, row)
		chart["months"] = append(chart["months"].([]string), m.Month)
		for k, v := range map[string]any{"response": pct(row.Response), "resolution": pct(row.Resolution), "satisfaction": pct(row.Satisfaction),
			"resp_hours": num(row.RespHours), "res_hours": num(row.ResHours), "open": m.Open, "awaiting": m.Awaiting,
			"closed": m.Closed, "withdrawn": m.Withdrawn, "overdue": m.Overdue} {
			series[k] = append(series[k], v)
		}
	}
	if n := len(d.Months); n > 0 {
		d.Last = d.Months[n-1]
	}
	chart["series"] = series
	chart["names"] = map[string]string{"response": h.tr(r, "rt.response"), "resolution": h.tr(r, "rt.resolution"), "satisfaction": h.tr(r, "rt.satisfaction"),
		"resp_hours": h.tr(r, "tr.col.resp_hours"), "res_hours": h.tr(r, "tr.col.res_hours"), "open": h.tr(r, "tr.col.open"),
		"awaiting": h.tr(r, "tr.col.awaiting"), "closed": h.tr(r, "tr.col.closed"), "withdrawn": h.tr(r, "tr.col.withdrawn"), "overdue": h.tr(r, "tr.col.overdue")}
	cj, _ := json.Marshal(chart)
	d.Chart = string(cj)
	self := func(dept int64) string {
		v := url.Values{"from": {t.From}, "to": {t.To}, "dept": {strconv.FormatInt(dept, 10)}}
		if fv.Category != 0 {
			v.Set("category", strconv.FormatInt(fv.Category, 10))
		}
		return "/rates/trend?" + v.Encode()
	}
	for _, dt := range t.Depts {
		name := dt.DeptName
		if dt.DeptID == 0 {
			name = h.tr(r, "rt.unrouted")
		}
		row := newTrendRow(name, dt.Total)
		if n := len(dt.Months); n > 1 {
			cur, prev := newTrendRow("", dt.Months[n-1].TrendCounts), newTrendRow("", dt.Months[n-2].TrendCounts)
			cur.against(prev)
			row.DResponse, row.DResolution, row.DSatisf = cur.DResponse, cur.DResolution, cur.DSatisf
		}
		row.Links = demandLinks(dt.DeptID, fv.Category, first, last.AddDate(0, 1, -1))
		if all && dt.DeptID != 0 {
			row.Href = self(dt.DeptID)
		}
		d.ByDept = append(d.ByDept, row)
	}
	for _, s := range rk.Depts {
		row := rankRow{Rank: s.Rank, Name: s.DeptName, Score: "—", trendRow: newTrendRow(s.DeptName, s.TrendCounts)}
		if s.Rank > 0 {
			row.Score = strconv.FormatFloat(s.Score, 'f', 1, 64)
		}
		row.Timeliness = newRate(s.Submitted-s.Withdrawn-s.Overdue, s.Submitted-s.Withdrawn)
		if all {
			row.Href = self(s.DeptID)
		}
		d.Ranking = append(d.Ranking, row)
	}
	cats, err := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{IncludeArchived: true})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Categories = groupCategories(cats, h.tr(r, "cat.group.other"))
	if all {
		if d.Depts, err = h.deptTree(r); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if weightErr != "" {
		d.Error = weightErr
	}
	h.render(w, r, status, "trend", &page{Title: h.tr(r, "nav.rates_trend"), Nav: "rates", Data: d, Export: exportLinks(r)})
}

// trendWeights is POST /rates/weights: the administrator sets the
// weights of the overall score (they sum to 100).
func (h *Handler) trendWeights(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermRankingWeights) {
		h.forbidden(w, r, zhagen.PermRankingWeights)
		return
	}
	r.ParseForm()
	n := func(k string) int { return formWeight(r, k) }
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	wt := zhagen.RankingWeights{Response: n("response"), Resolution: n("resolution"), Satisfaction: n("satisfaction"), Timeliness: n("timeliness"), Version: version}
	_, err := h.cfg.Rates.SetRankingWeights(ctx(r), wt)
	switch zhagen.ErrorCode(err) {
	case "":
		h.redirectFlash(w, r, "/rates/trend#ranking", "tr.flash.weights")
	case zhagen.EINVALID:
		h.renderTrend(w, r, http.StatusUnprocessableEntity, zhagen.ErrorMessage(err))
	case zhagen.ECONFLICT:
		h.renderTrend(w, r, http.StatusConflict, zhagen.ErrorMessage(err))
	default:
		h.fail(w, r, err)
	}
}

// formWeight reads a weight of a weights form as a whole number, -1 when
// it is not one (the domain's validation then names the field).
func formWeight(r *http.Request, k string) int {
	v, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get(k)))
	if err != nil {
		return -1
	}
	return v
}
