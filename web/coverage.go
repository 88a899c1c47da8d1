package web

import (
	"encoding/json"
	"net/http"

	"zhagen"
	"zhagen/sheet"
)

func (h *Handler) visitCoverage(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermCoverageView) {
		h.forbidden(w, r, zhagen.PermCoverageView)
		return
	}
	rep, err := h.cfg.Linkages.Coverage(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.Coverage, sheet.Slice(sheet.CoverageRows(rep)))
		return
	}
	chart := map[string]any{"names": []string{}, "pct": []float64{}, "label": h.tr(r, "cov.chart.series")}
	for _, c := range rep.Depts {
		chart["names"] = append(chart["names"].([]string), c.Name)
		chart["pct"] = append(chart["pct"].([]float64), c.Percent)
	}
	cj, _ := json.Marshal(chart)
	d := struct {
		R      *zhagen.CoverageReport
		Chart  string
		Charts bool
	}{R: rep, Chart: string(cj), Charts: h.static.url("vendor/echarts.min.js") != ""}
	h.render(w, r, http.StatusOK, "visit_coverage", &page{Title: h.tr(r, "nav.lk_coverage"), Nav: "lk_coverage", Data: d, Export: exportLinks(r)})
}
