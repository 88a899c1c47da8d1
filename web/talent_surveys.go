package web

import (
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

type surveyPageData struct {
	Period    string
	Periods   []string
	Surveys   []*zhagen.Survey
	Summary   *zhagen.SurveySummary
	MajorJSON template.HTMLAttr
	IndJSON   template.HTMLAttr
	CanFill   bool
	Gov       bool
}

// chartAttr renders a chart spec as a data-chart attribute for talent.js.
func chartAttr(v any) template.HTMLAttr {
	b, _ := json.Marshal(v)
	return template.HTMLAttr(`data-chart="` + template.HTMLEscapeString(string(b)) + `"`)
}

func (h *Handler) surveyPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	d := &surveyPageData{Period: strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("period"))), Gov: zhagen.CanAny(a, zhagen.PermSurveySummary),
		CanFill: zhagen.CanAny(a, zhagen.PermSurveyFill)}
	all, err := h.cfg.Talent.FindSurveys(ctx(r), "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, s := range all {
		if !slices.Contains(d.Periods, s.Period) {
			d.Periods = append(d.Periods, s.Period)
		}
	}
	if d.Period == "" && len(d.Periods) > 0 {
		d.Period = d.Periods[0]
	}
	for _, s := range all {
		if s.Period == d.Period {
			d.Surveys = append(d.Surveys, s)
		}
	}
	if d.Gov && d.Period != "" {
		if d.Summary, err = h.cfg.Talent.SurveySummary(ctx(r), d.Period); err != nil {
			h.fail(w, r, err)
			return
		}
		var names []string
		var demand, supply, gap []int
		for _, m := range d.Summary.ByMajor {
			names, demand, supply, gap = append(names, m.Major), append(demand, m.Demand), append(supply, m.Supply), append(gap, m.Gap)
		}
		d.MajorJSON = chartAttr(map[string]any{"categories": names, "series": []map[string]any{
			{"name": h.tr(r, "sv.demand"), "data": demand}, {"name": h.tr(r, "sv.supply"), "data": supply}, {"name": h.tr(r, "sv.gap"), "data": gap}}})
		var inds []string
		var idem, ihard []int
		for _, i := range d.Summary.ByIndustry {
			inds, idem, ihard = append(inds, i.Industry), append(idem, i.Demand), append(ihard, i.Hard)
		}
		d.IndJSON = chartAttr(map[string]any{"categories": inds, "series": []map[string]any{
			{"name": h.tr(r, "sv.demand"), "data": idem}, {"name": h.tr(r, "sv.hard"), "data": ihard}}})
	}
	h.render(w, r, http.StatusOK, "surveys", &page{Title: h.tr(r, "nav.surveys"), Nav: "surveys", Data: d})
}

type surveyFormData struct {
	S           *zhagen.Survey
	Rows        []zhagen.SurveyLine
	Enterprises []*zhagen.Enterprise
	Degrees     []zhagen.Degree
	Errors      map[string]string
	Error       string
}

func (h *Handler) surveyFormPage(w http.ResponseWriter, r *http.Request, status int, d *surveyFormData) {
	if grantsEvery(actor(r), zhagen.PermSurveyFill) { // fills in for any enterprise: pick one
		list, _, err := h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{Limit: 200})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Enterprises = list
	}
	for len(d.Rows) < 6 {
		d.Rows = append(d.Rows, zhagen.SurveyLine{Difficulty: 2})
	}
	d.Degrees = zhagen.Degrees
	h.render(w, r, status, "survey_form", &page{Title: h.tr(r, "sv.fill"), Nav: "surveys",
		Crumbs: []crumb{{Label: h.tr(r, "nav.surveys"), Href: "/surveys"}, {Label: h.tr(r, "sv.fill")}}, Data: d})
}

func (h *Handler) surveyNew(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermSurveyFill) {
		h.forbidden(w, r, zhagen.PermSurveyFill)
		return
	}
	s := &zhagen.Survey{Period: strconv.Itoa(h.clock.Now().In(zhagen.Shanghai).Year())}
	d := &surveyFormData{S: s}
	if !grantsEvery(a, zhagen.PermSurveyFill) {
		// An enterprise starts from its survey of the period, if any.
		list, err := h.cfg.Talent.FindSurveys(ctx(r), s.Period)
		if err == nil && len(list) > 0 {
			d.S, d.Rows = list[0], list[0].Lines
		}
	}
	h.surveyFormPage(w, r, http.StatusOK, d)
}

func (h *Handler) surveySave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, zhagen.Errorf(zhagen.EBADREQUEST, "%s", h.tr(r, "form.invalid")))
		return
	}
	s := &zhagen.Survey{EnterpriseID: formInt64(r, "enterprise_id"), Period: r.FormValue("period"), Remarks: r.FormValue("remarks")}
	// The form was filled from the stored survey of version_period: saving
	// that period again must start from the same version.
	if p := r.FormValue("version_period"); p != "" && p == strings.ToUpper(strings.TrimSpace(s.Period)) {
		s.Version = formInt64(r, "version")
	}
	majors, degrees, counts, diffs := r.Form["major"], r.Form["line_degree"], r.Form["count"], r.Form["difficulty"]
	for i := range majors {
		l := zhagen.SurveyLine{Major: majors[i]}
		if i < len(degrees) {
			l.Degree = zhagen.Degree(degrees[i])
		}
		if i < len(counts) {
			l.Count, _ = strconv.Atoi(strings.TrimSpace(counts[i]))
		}
		if i < len(diffs) {
			l.Difficulty, _ = strconv.Atoi(diffs[i])
		}
		s.Lines = append(s.Lines, l)
	}
	rows := slices.Clone(s.Lines)
	if err := h.cfg.Talent.SaveSurvey(ctx(r), s); err != nil {
		d := &surveyFormData{S: s, Rows: rows}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		if staleUpdate(err) {
			// Say so, and keep what was typed on top of the current
			// version: saving again overwrites it knowingly.
			d.Errors, d.Error = nil, zhagen.ErrorMessage(err)
			var ze *zhagen.Error
			if errors.As(err, &ze) {
				if cur, ok := ze.Current.(*zhagen.Survey); ok {
					s.Version = cur.Version
				}
			}
		}
		h.surveyFormPage(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, "/surveys?period="+s.Period, "sv.flash.saved")
}
