package api

import (
	"math"
	"net/http"

	"zhagen"
	"zhagen/sheet"
)

// trendRoutes registers the monthly trend of the three rates and the
// departments' ranking.
func (h *Handler) trendRoutes() {
	if h.cfg.Rates == nil {
		return
	}
	h.handle("GET", "/api/v1/rates/trend", h.ratesTrend)
	h.handle("GET", "/api/v1/rates/ranking", h.ratesRanking)
}

// trendCountsJSON is zhagen.TrendCounts with its ratios and averages.
type trendCountsJSON struct {
	zhagen.TrendCounts
	ResponseRate       *float64 `json:"response_rate"`
	ResolutionRate     *float64 `json:"resolution_rate"`
	SatisfactionRate   *float64 `json:"satisfaction_rate"`
	AvgResponseHours   *float64 `json:"avg_response_hours"`
	AvgResolutionHours *float64 `json:"avg_resolution_hours"`
}

type trendMonthJSON struct {
	Month string `json:"month"`
	trendCountsJSON
	// The change of each rate from the month before, in percentage
	// points; null when either month has no denominator.
	ResponseChange     *float64 `json:"response_change"`
	ResolutionChange   *float64 `json:"resolution_change"`
	SatisfactionChange *float64 `json:"satisfaction_change"`
}

type deptTrendJSON struct {
	DeptID   int64            `json:"dept_id"`
	DeptName string           `json:"dept_name"`
	Months   []trendMonthJSON `json:"months"`
	Total    trendCountsJSON  `json:"total"`
}

func round4(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	v = math.Round(v*10000) / 10000
	return &v
}

func toTrendCounts(c zhagen.TrendCounts) trendCountsJSON {
	out := trendCountsJSON{TrendCounts: c, ResponseRate: round4(c.ResponseRate()), ResolutionRate: round4(c.ResolutionRate()),
		SatisfactionRate: round4(c.SatisfactionRate())}
	if v, ok := c.AvgResponseHours(); ok {
		v = math.Round(v*100) / 100
		out.AvgResponseHours = &v
	}
	if v, ok := c.AvgResolutionHours(); ok {
		v = math.Round(v*100) / 100
		out.AvgResolutionHours = &v
	}
	out.ResponseHours = math.Round(c.ResponseHours*100) / 100
	out.ResolutionHours = math.Round(c.ResolutionHours*100) / 100
	return out
}

// change is the difference of two ratios in percentage points.
func change(cur, prev func() (float64, bool)) *float64 {
	a, ok1 := cur()
	b, ok2 := prev()
	if !ok1 || !ok2 {
		return nil
	}
	v := math.Round((a-b)*10000) / 100
	return &v
}

func toTrendMonths(ms []zhagen.TrendMonth) []trendMonthJSON {
	out := make([]trendMonthJSON, 0, len(ms))
	for i, m := range ms {
		j := trendMonthJSON{Month: m.Month, trendCountsJSON: toTrendCounts(m.TrendCounts)}
		if i > 0 {
			p := ms[i-1]
			j.ResponseChange = change(m.ResponseRate, p.ResponseRate)
			j.ResolutionChange = change(m.ResolutionRate, p.ResolutionRate)
			j.SatisfactionChange = change(m.SatisfactionRate, p.SatisfactionRate)
		}
		out = append(out, j)
	}
	return out
}

// trendFilter reads from, to (YYYY-MM), dept_id and category_id.
func trendFilter(r *http.Request) (zhagen.TrendFilter, error) {
	q := r.URL.Query()
	f := zhagen.TrendFilter{From: q.Get("from"), To: q.Get("to")}
	var err error
	if f.DeptID, err = queryID(r, "dept_id"); err != nil {
		return f, err
	}
	if f.CategoryID, err = queryID(r, "category_id"); err != nil {
		return f, err
	}
	return f, nil
}

func (h *Handler) ratesTrend(w http.ResponseWriter, r *http.Request) error {
	f, err := trendFilter(r)
	if err != nil {
		return err
	}
	t, err := h.cfg.Rates.DemandTrend(r.Context(), f)
	if err != nil {
		return err
	}
	out := struct {
		From   string           `json:"from"`
		To     string           `json:"to"`
		Total  trendCountsJSON  `json:"total"`
		Months []trendMonthJSON `json:"months"`
		Depts  []deptTrendJSON  `json:"depts"`
	}{From: t.From, To: t.To, Total: toTrendCounts(t.Total), Months: toTrendMonths(t.Months), Depts: []deptTrendJSON{}}
	for _, d := range t.Depts {
		out.Depts = append(out.Depts, deptTrendJSON{DeptID: d.DeptID, DeptName: d.DeptName, Months: toTrendMonths(d.Months), Total: toTrendCounts(d.Total)})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *Handler) ratesRanking(w http.ResponseWriter, r *http.Request) error {
	f, err := trendFilter(r)
	if err != nil {
		return err
	}
	rk, err := h.cfg.Rates.DeptRanking(r.Context(), f)
	if err != nil {
		return err
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.Ranking, sheet.Slice(rk.Depts))
	}
	type row struct {
		Rank     int      `json:"rank"`
		DeptID   int64    `json:"dept_id"`
		DeptName string   `json:"dept_name"`
		Score    *float64 `json:"score"`
		trendCountsJSON
	}
	out := struct {
		From    string                `json:"from"`
		To      string                `json:"to"`
		Weights zhagen.RankingWeights `json:"weights"`
		Depts   []row                 `json:"depts"`
	}{From: rk.From, To: rk.To, Weights: rk.Weights, Depts: []row{}}
	for _, d := range rk.Depts {
		rw := row{Rank: d.Rank, DeptID: d.DeptID, DeptName: d.DeptName, trendCountsJSON: toTrendCounts(d.TrendCounts)}
		if d.Rank > 0 {
			v := math.Round(d.Score*100) / 100
			rw.Score = &v
		}
		out.Depts = append(out.Depts, rw)
	}
	return writeJSON(w, http.StatusOK, out)
}
