package api

import (
	"math"
	"net/http"
	"time"

	"zhagen"
	"zhagen/sheet"
)

// ratesRoutes registers the three rates (三率).
func (h *Handler) ratesRoutes() {
	if h.cfg.Rates == nil {
		return
	}
	h.handle("GET", "/api/v1/demand-rates", h.demandRates)
}

// ratesJSON is zhagen.DemandRates with its three ratios (0–1, rounded to
// four places; null when the denominator is 0).
type ratesJSON struct {
	zhagen.DemandRates
	ResponseRate     *float64 `json:"response_rate"`
	ResolutionRate   *float64 `json:"resolution_rate"`
	SatisfactionRate *float64 `json:"satisfaction_rate"`
	FollowUpRate     *float64 `json:"followup_rate"` // 回访核实率
}

type deptRatesJSON struct {
	DeptID   int64  `json:"dept_id"`
	DeptName string `json:"dept_name"`
	ratesJSON
}

func toRatesJSON(r zhagen.DemandRates) ratesJSON {
	ratio := func(v float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		v = math.Round(v*10000) / 10000
		return &v
	}
	return ratesJSON{DemandRates: r, ResponseRate: ratio(r.ResponseRate()), ResolutionRate: ratio(r.ResolutionRate()),
		SatisfactionRate: ratio(r.SatisfactionRate()), FollowUpRate: ratio(r.FollowUpRate())}
}

func (h *Handler) demandRates(w http.ResponseWriter, r *http.Request) error {
	var f zhagen.RatesFilter
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if s := r.URL.Query().Get(name); s != "" {
			t, ok := zhagen.ParseDay(s)
			if !ok {
				return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: name, Message: name + " 须为 YYYY-MM-DD 格式的日期"}
			}
			*dst = t
		}
	}
	var err error
	if f.DeptID, err = queryID(r, "dept_id"); err != nil {
		return err
	}
	if f.CategoryID, err = queryID(r, "category_id"); err != nil {
		return err
	}
	total, by, err := h.cfg.Rates.DemandRates(r.Context(), f)
	if err != nil {
		return err
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.Rates, sheet.Slice(sheet.RatesRows(total, by)))
	}
	out := struct {
		Total  ratesJSON       `json:"total"`
		ByDept []deptRatesJSON `json:"by_dept"`
	}{Total: toRatesJSON(total), ByDept: []deptRatesJSON{}}
	for _, d := range by {
		out.ByDept = append(out.ByDept, deptRatesJSON{DeptID: d.DeptID, DeptName: d.DeptName, ratesJSON: toRatesJSON(d.DemandRates)})
	}
	return writeJSON(w, http.StatusOK, out)
}
