package web

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"zhagen"
	"zhagen/sheet"
)

// ratesRoutes registers the three rates page (三率统计) when the rates
// service is set.
func (h *Handler) ratesRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Rates == nil {
		return
	}
	auth("GET /rates", h.ratesPage)
}

// rateView is one rate as shown: "93.3%" over "28/30", with a tone.
type rateView struct {
	OK     bool
	Pct    string  // "93.3%", "—" without a denominator
	Value  float64 // percent, for sorting and the chart
	Num    int
	Den    int
	Tone   string // green, orange, red, grey
	Sorter float64
}

func newRate(num, den int) rateView {
	v := rateView{Num: num, Den: den, Pct: "—", Tone: "grey", Sorter: -1}
	if den == 0 {
		return v
	}
	v.OK = true
	v.Value = float64(int(float64(num)*1000/float64(den)+0.5)) / 10
	v.Sorter = v.Value
	v.Pct = strconv.FormatFloat(v.Value, 'f', 1, 64) + "%"
	switch {
	case v.Value >= 90:
		v.Tone = "green"
	case v.Value >= 70:
		v.Tone = "orange"
	default:
		v.Tone = "red"
	}
	return v
}

// ratesRow is a table row: a department's counts and its three rates.
type ratesRow struct {
	ID   int64
	Name string
	zhagen.DemandRates
	Response, Resolution, Satisfaction rateView
	FollowUp                           rateView // 回访核实率
}

func newRatesRow(id int64, name string, r zhagen.DemandRates) ratesRow {
	return ratesRow{ID: id, Name: name, DemandRates: r, Response: newRate(r.AcceptedInTime, r.DueForResponse),
		Resolution: newRate(r.Solved, r.Closed), Satisfaction: newRate(r.Satisfied, r.Rated), FollowUp: newRate(r.FollowUpSolved, r.FollowUpReached)}
}

// ratesSorts are the table's sort keys and what they compare.
var ratesSorts = map[string]func(ratesRow) float64{
	"due": func(r ratesRow) float64 { return float64(r.DueForResponse) }, "in_time": func(r ratesRow) float64 { return float64(r.AcceptedInTime) },
	"response": func(r ratesRow) float64 { return r.Response.Sorter }, "closed": func(r ratesRow) float64 { return float64(r.Closed) },
	"solved": func(r ratesRow) float64 { return float64(r.Solved) }, "resolution": func(r ratesRow) float64 { return r.Resolution.Sorter },
	"rated": func(r ratesRow) float64 { return float64(r.Rated) }, "satisfied": func(r ratesRow) float64 { return float64(r.Satisfied) },
	"satisfaction": func(r ratesRow) float64 { return r.Satisfaction.Sorter },
	"fu_reached":   func(r ratesRow) float64 { return float64(r.FollowUpReached) }, "fu_solved": func(r ratesRow) float64 { return float64(r.FollowUpSolved) },
	"followup": func(r ratesRow) float64 { return r.FollowUp.Sorter },
}

type ratesFilterView struct {
	From, To       string
	Dept, Category int64
	Sort           string
}

type ratesData struct {
	Export     *pager // the table's export links, its filters kept
	Filter     ratesFilterView
	Error      string
	Total      ratesRow
	Rows       []ratesRow
	Cols       map[string]sortCol
	AllDepts   bool
	Depts      []*zhagen.Department
	Categories []catGroup
	Chart      string
	Charts     bool
	Rankings   bool // the rankings' tab
}

// thisYear is the default period: 1 January to 31 December of the
// current year in Asia/Shanghai.
func thisYear(now time.Time) (from, to time.Time) {
	y := now.In(zhagen.Shanghai).Year()
	return time.Date(y, 1, 1, 0, 0, 0, 0, zhagen.Shanghai), time.Date(y, 12, 31, 0, 0, 0, 0, zhagen.Shanghai)
}

// ratesPage is GET /rates: the three rates over the demands submitted in
// a period, in total and per lead department, as cards, a chart and a
// sortable table. An htmx request that targets #rt-table gets the table.
func (h *Handler) ratesPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermRatesView) {
		h.forbidden(w, r, zhagen.PermRatesView)
		return
	}
	q := r.URL.Query()
	from, to := thisYear(h.clock.Now())
	fv := ratesFilterView{From: cmp.Or(q.Get("from"), from.Format("2006-01-02")), To: cmp.Or(q.Get("to"), to.Format("2006-01-02"))}
	all, _ := zhagen.ScopeOf(a, zhagen.PermRatesView) // every department, so a department filter
	d := &ratesData{AllDepts: all, Charts: h.static.url("vendor/echarts.min.js") != "", Rankings: h.cfg.Oversight != nil && zhagen.CanAny(a, zhagen.PermCadreRanking), Export: exportLinks(r)}
	f := zhagen.RatesFilter{}
	var ok bool
	if f.From, ok = zhagen.ParseDay(fv.From); !ok {
		d.Error = h.tr(r, "rt.err.from")
		f.From, fv.From = from, from.Format("2006-01-02")
	}
	if f.To, ok = zhagen.ParseDay(fv.To); !ok {
		d.Error = h.tr(r, "rt.err.to")
		f.To, fv.To = to, to.Format("2006-01-02")
	}
	fv.Category, _ = strconv.ParseInt(q.Get("category"), 10, 64)
	f.CategoryID = fv.Category
	if d.AllDepts {
		fv.Dept, _ = strconv.ParseInt(q.Get("dept"), 10, 64)
		f.DeptID = fv.Dept
	}
	if _, ok := ratesSorts[trimDesc(q.Get("sort"))]; ok || q.Get("sort") == "dept" || q.Get("sort") == "-dept" {
		fv.Sort = q.Get("sort")
	}
	total, by, err := h.cfg.Rates.DemandRates(ctx(r), f)
	if zhagen.ErrorCode(err) == zhagen.EINVALID {
		d.Error = h.tr(r, "rt.err.swapped")
		f.From, f.To = f.To, f.From
		fv.From, fv.To = fv.To, fv.From
		total, by, err = h.cfg.Rates.DemandRates(ctx(r), f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.Rates, sheet.Slice(sheet.RatesRows(total, by)))
		return
	}
	d.Filter = fv
	d.Total = newRatesRow(0, h.tr(r, "rt.total"), total)
	for _, b := range by {
		d.Rows = append(d.Rows, newRatesRow(b.DeptID, cmp.Or(b.DeptName, h.tr(r, "rt.unrouted")), b.DemandRates))
	}
	chart := map[string]any{"names": []string{}, "series": []map[string]any{}}
	names := []string{}
	vals := [3][]any{}
	for _, row := range d.Rows {
		names = append(names, row.Name)
		for i, v := range []rateView{row.Response, row.Resolution, row.Satisfaction} {
			if v.OK {
				vals[i] = append(vals[i], v.Value)
			} else {
				vals[i] = append(vals[i], nil)
			}
		}
	}
	chart["names"] = names
	for i, key := range []string{"rt.response", "rt.resolution", "rt.satisfaction"} {
		chart["series"] = append(chart["series"].([]map[string]any), map[string]any{"name": h.tr(r, key), "data": vals[i]})
	}
	cj, _ := json.Marshal(chart)
	d.Chart = string(cj)
	sortRates(d.Rows, fv.Sort)
	d.Cols = map[string]sortCol{"dept": sortHeader(r.URL, fv.Sort, "dept", h.tr(r, "rt.col.dept"))}
	for key := range ratesSorts {
		d.Cols[key] = sortHeader(r.URL, fv.Sort, key, h.tr(r, "rt.col."+key))
	}
	p := &page{Title: h.tr(r, "nav.rates"), Nav: "rates", Data: d}
	if partialRequest(r, "rt-table") {
		h.renderPartial(w, r, "rates", "rt_table", p)
		return
	}
	cats, err := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{IncludeArchived: true})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Categories = groupCategories(cats, h.tr(r, "cat.group.other"))
	if d.AllDepts {
		if d.Depts, err = h.deptTree(r); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "rates", p)
}

func trimDesc(s string) string {
	if len(s) > 0 && s[0] == '-' {
		return s[1:]
	}
	return s
}

// sortRates orders the rows by key ("-key" descending); the default is
// the service's department order.
func sortRates(rows []ratesRow, key string) {
	desc := len(key) > 0 && key[0] == '-'
	k := trimDesc(key)
	var c func(a, b ratesRow) int
	if k == "dept" {
		c = func(a, b ratesRow) int { return cmp.Compare(a.Name, b.Name) }
	} else if f, ok := ratesSorts[k]; ok {
		c = func(a, b ratesRow) int { return cmp.Compare(f(a), f(b)) }
	} else {
		return
	}
	slices.SortStableFunc(rows, func(a, b ratesRow) int {
		if desc {
			return c(b, a)
		}
		return c(a, b)
	})
}

// rateCards are the three rates of this year on the workbench of the
// leader and the dispatcher.
func (h *Handler) rateCards(r *http.Request, a *zhagen.Actor) []homeCard {
	if h.cfg.Rates == nil || !a.Has(zhagen.RoleLeader, zhagen.RoleDispatcher) {
		return nil
	}
	from, to := thisYear(h.clock.Now())
	total, _, err := h.cfg.Rates.DemandRates(ctx(r), zhagen.RatesFilter{From: from, To: to})
	if err != nil {
		return nil
	}
	row := newRatesRow(0, "", total)
	card := func(key string, v rateView) homeCard {
		tone := map[string]string{"green": "green", "orange": "purple", "red": "red", "grey": "grey"}[v.Tone]
		label := h.tr(r, key)
		if v.OK {
			label += " · " + strconv.Itoa(v.Num) + "/" + strconv.Itoa(v.Den)
		}
		return homeCard{Label: label, Value: v.Pct, Href: "/rates", Tone: tone}
	}
	return []homeCard{card("rt.card.response", row.Response), card("rt.card.resolution", row.Resolution), card("rt.card.satisfaction", row.Satisfaction)}
}
