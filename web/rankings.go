package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"zhagen"
)

// oversightRoutes registers the rankings page, the monthly bulletins and
// the leaders' screen when the oversight service is set.
func (h *Handler) oversightRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Oversight == nil || h.cfg.Rates == nil {
		return
	}
	auth("GET /rates/rankings", h.rankingsPage)
	auth("POST /rates/cadre-weights", h.cadreWeights)
	h.bulletinRoutes(auth)
	auth("GET /screen", h.screenPage)
	auth("GET /screen/data", h.screenData)
}

type deptRankRow struct {
	rankRow
	Supervisions int
	SupHref      string
	OverdueHref  string
}

type cadreRankRow struct {
	zhagen.CadreScore
	Score                     string
	Cadence, Filing, Outcome  rateView
	VisitsHref, FiledHref     string
	ClosedHref, EnterpriseURL string
}

type rankingsData struct {
	From, To    string
	Error       string
	Depts       []deptRankRow
	Cadres      []cadreRankRow
	Weights     zhagen.RankingWeights
	CWeights    zhagen.CadreWeights
	EditWeights bool
	Rankings    bool // the tab (always: the page is the rankings)
}

// rankingsPage is GET /rates/rankings: the departments ranked by the
// weighted score of the three rates and timeliness, with their counts
// (status, overdue, returns, extensions, supervision orders), and the
// cadres ranked by visits against cadence, demands filed from visits and
// their outcomes; the weights stated, editable by the administrator.
// Every count links to the list behind it.
func (h *Handler) rankingsPage(w http.ResponseWriter, r *http.Request) {
	h.renderRankings(w, r, http.StatusOK, "")
}

func (h *Handler) renderRankings(w http.ResponseWriter, r *http.Request, status int, formErr string) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermCadreRanking) {
		h.forbidden(w, r, zhagen.PermCadreRanking)
		return
	}
	q := r.URL.Query()
	f := zhagen.TrendFilter{From: q.Get("from"), To: q.Get("to")}
	d := &rankingsData{EditWeights: zhagen.CanAny(a, zhagen.PermCadreWeights), Rankings: true}
	rk, err := h.cfg.Rates.DeptRanking(ctx(r), f)
	if zhagen.ErrorCode(err) == zhagen.EINVALID {
		d.Error = h.tr(r, "tr.err.period")
		f = zhagen.TrendFilter{}
		rk, err = h.cfg.Rates.DeptRanking(ctx(r), f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.From, f.To = rk.From, rk.To
	cr, err := h.cfg.Oversight.CadreRanking(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sups, err := h.cfg.Oversight.DeptSupervisions(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.From, d.To, d.Weights, d.CWeights = rk.From, rk.To, rk.Weights, cr.Weights
	first, _ := zhagen.ParseMonth(rk.From)
	last, _ := zhagen.ParseMonth(rk.To)
	end := last.AddDate(0, 1, -1)
	for _, s := range rk.Depts {
		row := deptRankRow{rankRow: rankRow{Rank: s.Rank, Name: s.DeptName, Score: "—", trendRow: newTrendRow(s.DeptName, s.TrendCounts)},
			Supervisions: sups[s.DeptID], SupHref: "/supervision?dept=" + strconv.FormatInt(s.DeptID, 10)}
		if s.Rank > 0 {
			row.Score = strconv.FormatFloat(s.Score, 'f', 1, 64)
		}
		row.Timeliness = newRate(s.Submitted-s.Withdrawn-s.Overdue, s.Submitted-s.Withdrawn)
		row.Links = demandLinks(s.DeptID, 0, first, end)
		row.OverdueHref = row.Links["submitted"] + "&level=red"
		row.Href = "/rates/trend?" + url.Values{"from": {rk.From}, "to": {rk.To}, "dept": {strconv.FormatInt(s.DeptID, 10)}}.Encode()
		d.Depts = append(d.Depts, row)
	}
	period := url.Values{"from": {first.Format("2006-01-02")}, "to": {end.Format("2006-01-02")}, "channel": {string(zhagen.ChannelVisit)}}
	for _, c := range cr.Cadres {
		row := cadreRankRow{CadreScore: c, Score: "—", Cadence: newRate(c.Done, c.Due), Filing: newRate(min(c.Filed, c.Visits), c.Visits),
			Outcome: newRate(c.Solved, c.Closed)}
		if c.Rank > 0 {
			row.Score = strconv.FormatFloat(c.Score, 'f', 1, 64)
		}
		id := strconv.FormatInt(c.CadreID, 10)
		row.VisitsHref = "/visits?status=logged&cadre_id=" + id
		p := url.Values{}
		for k, v := range period {
			p[k] = v
		}
		p.Set("submitter", id)
		row.FiledHref = "/demands?" + p.Encode()
		p.Set("status", string(zhagen.DemandClosed))
		row.ClosedHref = "/demands?" + p.Encode()
		d.Cadres = append(d.Cadres, row)
	}
	if formErr != "" { // the form keeps what was typed
		d.Error = formErr
		n := func(k string, v *int) {
			if x, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get(k))); err == nil {
				*v = x
			}
		}
		n("cadence", &d.CWeights.Cadence)
		n("filing", &d.CWeights.Filing)
		n("outcome", &d.CWeights.Outcome)
	}
	h.render(w, r, status, "rankings", &page{Title: h.tr(r, "nav.rankings"), Nav: "rates", Data: d})
}

// cadreWeights is POST /rates/cadre-weights: the administrator sets the
// weights of the cadres' score (they sum to 100).
func (h *Handler) cadreWeights(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermCadreWeights) {
		h.forbidden(w, r, zhagen.PermCadreWeights)
		return
	}
	r.ParseForm()
	n := func(k string) int { return formWeight(r, k) }
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	_, err := h.cfg.Oversight.SetCadreWeights(ctx(r), zhagen.CadreWeights{Cadence: n("cadence"), Filing: n("filing"), Outcome: n("outcome"), Version: version})
	switch zhagen.ErrorCode(err) {
	case "":
		h.redirectFlash(w, r, "/rates/rankings#cadres", "rk.flash.weights")
	case zhagen.EINVALID:
		h.renderRankings(w, r, http.StatusUnprocessableEntity, zhagen.ErrorMessage(err))
	case zhagen.ECONFLICT:
		h.renderRankings(w, r, http.StatusConflict, zhagen.ErrorMessage(err))
	default:
		h.fail(w, r, err)
	}
}
