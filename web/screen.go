package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"zhagen"
)

// screenPage is GET /screen: the leaders' screen (数据大屏), a full-screen
// dark page for the command centre's wall whose script fetches
// /screen/data every minute and redraws.
func (h *Handler) screenPage(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermScreenView) {
		h.forbidden(w, r, zhagen.PermScreenView)
		return
	}
	labels := map[string]string{}
	for _, k := range []string{"sc.today", "sc.open", "sc.red", "sc.yellow", "sc.green", "sc.none", "rt.response", "rt.resolution", "rt.satisfaction",
		"sc.ranking", "sc.parks", "sc.behind", "sc.trend", "sc.updated", "sc.enterprises", "sc.demands", "tr.col.submitted", "sc.month", "sc.no_behind"} {
		labels[k] = h.tr(r, k)
	}
	lj, _ := json.Marshal(labels)
	h.execute(w, r, http.StatusOK, "screen", "screen", &page{Title: h.tr(r, "nav.screen"), Data: struct {
		Labels string
		Charts bool
	}{string(lj), h.static.url("vendor/echarts.min.js") != ""}})
}

// screenJSON is what /screen/data answers: the figures, and the rates
// of the month as percentages ready to draw.
type screenJSON struct {
	*zhagen.ScreenData
	Rates   map[string]*float64 `json:"rates"`
	Monthly []screenMonth       `json:"monthly"`
	Ranks   []screenRank        `json:"ranks"`
}

type screenMonth struct {
	Month        string   `json:"month"`
	Submitted    int      `json:"submitted"`
	Response     *float64 `json:"response"`
	Resolution   *float64 `json:"resolution"`
	Satisfaction *float64 `json:"satisfaction"`
}

type screenRank struct {
	Rank  int     `json:"rank"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

func pctPtr(v rateView) *float64 {
	if !v.OK {
		return nil
	}
	return &v.Value
}

// screenData is GET /screen/data: the screen's figures as JSON.
func (h *Handler) screenData(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermScreenView) {
		h.forbidden(w, r, zhagen.PermScreenView)
		return
	}
	sd, err := h.cfg.Oversight.Screen(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	row := newTrendRow("", sd.Month)
	out := screenJSON{ScreenData: sd, Rates: map[string]*float64{"response": pctPtr(row.Response), "resolution": pctPtr(row.Resolution),
		"satisfaction": pctPtr(row.Satisfaction)}, Monthly: []screenMonth{}, Ranks: []screenRank{}}
	for _, m := range sd.Trend {
		mr := newTrendRow("", m.TrendCounts)
		out.Monthly = append(out.Monthly, screenMonth{Month: m.Month, Submitted: m.Submitted, Response: pctPtr(mr.Response),
			Resolution: pctPtr(mr.Resolution), Satisfaction: pctPtr(mr.Satisfaction)})
	}
	for _, d := range sd.Ranking {
		s, _ := strconv.ParseFloat(strconv.FormatFloat(d.Score, 'f', 1, 64), 64)
		out.Ranks = append(out.Ranks, screenRank{Rank: d.Rank, Name: d.DeptName, Score: s})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(out)
}
