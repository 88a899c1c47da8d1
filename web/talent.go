package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhagen"
)

// talentRoutes registers the talent pages: the public job board and
// self-registration without login, and the rest behind auth.
func (h *Handler) talentRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	m := h.mux
	m.HandleFunc("GET /jobs", h.jobBoard)
	m.HandleFunc("GET /jobs/{id}", h.jobShow)
	m.HandleFunc("GET /register", h.registerForm)
	m.HandleFunc("POST /register", h.register)

	auth("GET /positions", h.positionList)
	auth("GET /positions/new", h.positionNew)
	auth("POST /positions", h.positionCreate)
	auth("POST /positions/{id}/review", h.positionReview)
	auth("GET /surveys", h.surveyPage)
	auth("GET /surveys/new", h.surveyNew)
	auth("POST /surveys", h.surveySave)
	auth("GET /universities", h.universityList)
	auth("GET /universities/{id}", h.universityShow)
	auth("POST /universities/{id}/contacts", h.universityContactAdd)
	auth("POST /universities/{id}/contacts/{cid}/delete", h.universityContactDelete)
	auth("POST /universities/{id}/outreach", h.outreachAdd)
	auth("GET /graduates", h.graduateList)
	auth("GET /graduates/me", h.graduateMe)
	auth("POST /graduates/me", h.graduateMeSave)
	auth("GET /programmes", h.programmeList)
	auth("POST /programmes", h.programmeCreate)
	auth("GET /programmes/{id}", h.programmeShow)
	auth("POST /programmes/{id}/positions", h.programmePositionAdd)
	auth("POST /programmes/{id}/choices", h.programmeChoices)
	auth("POST /programmes/{id}/withdraw", h.programmeWithdraw)
	auth("POST /programmes/{id}/match", h.programmeMatch)
	auth("GET /programmes/{id}/run", h.programmeRun)
	auth("POST /programmes/{id}/publish", h.programmePublish)
	auth("GET /programme-positions/{id}", h.applicantList)
	auth("POST /programme-positions/{id}/ranking", h.applicantRanking)
	auth("GET /service-teams", h.teamList)
	auth("POST /service-teams", h.teamCreate)
	auth("GET /service-teams/{id}", h.teamShow)
	auth("POST /service-teams/{id}/batches", h.teamBatchAdd)
	auth("POST /service-batches/{id}/logs", h.serviceLogAdd)
	auth("POST /service-batches/{id}/resolved", h.batchResolved)
}

// talentMenu is the 人才 group of the navigation.
func (h *Handler) talentMenu(a *zhagen.Actor, item func(key, href, icon string) navItem) []navItem {
	var out []navItem
	switch {
	case a.IsGovernment():
		out = append(out, item("positions", "/positions", "doc"), item("surveys", "/surveys", "board"),
			item("universities", "/universities", "tree"), item("graduates", "/graduates", "users"),
			item("programmes", "/programmes", "list"), item("teams", "/service-teams", "user"))
	case a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0:
		out = append(out, item("positions", "/positions", "doc"), item("surveys", "/surveys", "board"), item("programmes", "/programmes", "list"))
	case a.Has(zhagen.RoleGraduate):
		out = append(out, item("graduate_me", "/graduates/me", "user"), item("programmes", "/programmes", "list"))
	}
	if len(out) > 0 {
		out = append(out, item("jobs", "/jobs", "search"))
	}
	return out
}

// formInt parses a form number; "" is 0 and garbage is -1, which the
// domain's validation refuses with its own message.
func formInt(r *http.Request, name string) int {
	s := strings.TrimSpace(r.FormValue(name))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func formInt64(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}

func pathInt64(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// ---- public job board ----

type jobFilter struct{ Q, Major, Industry, Kind string }

type jobBoardData struct {
	Filter     jobFilter
	Rows       []*zhagen.Position
	Pager      pager
	Industries []string
	Majors     []string
	Filtered   bool
}

// jobBoard is GET /jobs: the approved positions, searchable by keyword,
// major and industry, for anybody.
func (h *Handler) jobBoard(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fl := jobFilter{Q: strings.TrimSpace(q.Get("q")), Major: strings.TrimSpace(q.Get("major")), Industry: q.Get("industry"), Kind: q.Get("kind")}
	f := zhagen.PositionFilter{Query: fl.Q, Major: fl.Major, Industry: fl.Industry, Limit: perPage}
	if zhagen.PositionKind(fl.Kind).Label() != "" {
		f.Kind = zhagen.PositionKind(fl.Kind)
	} else {
		fl.Kind = ""
	}
	pageNum := pageParam(r)
	f.Offset = offset(pageNum)
	rows, total, err := h.cfg.Talent.FindPublicPositions(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &jobBoardData{Filter: fl, Rows: rows, Pager: newPager(r.URL, total, pageNum), Filtered: fl != jobFilter{}}
	all, _, err := h.cfg.Talent.FindPublicPositions(ctx(r), zhagen.PositionFilter{Limit: 200})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, p := range all {
		if !slices.Contains(d.Industries, p.Industry) {
			d.Industries = append(d.Industries, p.Industry)
		}
		for _, m := range p.Majors {
			if !slices.Contains(d.Majors, m) {
				d.Majors = append(d.Majors, m)
			}
		}
	}
	slices.Sort(d.Industries)
	slices.Sort(d.Majors)
	p := &page{Title: h.tr(r, "jobs.title"), Data: d}
	if partialRequest(r, "job-results") {
		h.renderPartial(w, r, "jobs", "job_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "jobs", p)
}

// jobShow is GET /jobs/{id}: one approved position.
func (h *Handler) jobShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	pos, err := h.cfg.Talent.FindPublicPosition(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "job_show", &page{Title: pos.Title, Data: pos})
}

// ---- self-registration ----

type registerData struct {
	Login    string
	G        zhagen.Graduate
	Skills   string
	Degrees  []zhagen.Degree
	Unis     []string
	Errors   map[string]string
	Error    string
	Done     bool
	DoneName string
}

func (h *Handler) registerForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "register", &page{Title: h.tr(r, "reg.title"),
		Data: &registerData{G: zhagen.Graduate{Degree: zhagen.DegreeBachelor, GradYear: h.clock.Now().In(zhagen.Shanghai).Year(), Consent: true}, Degrees: zhagen.Degrees, Unis: universityNames}})
}

// universityNames are suggestions for the university field; any name is
// accepted.
var universityNames = []string{"福州大学", "福建师范大学", "福建医科大学", "福建中医药大学", "闽江学院", "福建理工大学", "福建江夏学院", "福建农林大学", "厦门大学"}

func graduateFromForm(r *http.Request) (zhagen.Graduate, string) {
	skills := r.FormValue("skills")
	return zhagen.Graduate{
		Name: r.FormValue("name"), University: r.FormValue("university"), Major: r.FormValue("major"),
		Degree: zhagen.Degree(r.FormValue("degree")), GradYear: formInt(r, "grad_year"), Skills: zhagen.SplitTags(skills),
		Phone: r.FormValue("phone"), Consent: r.FormValue("consent") == "1",
	}, skills
}

// register is POST /register: creates a graduate's account and record.
func (h *Handler) register(w http.ResponseWriter, r *http.Request) {
	g, skills := graduateFromForm(r)
	reg := &zhagen.GraduateRegistration{Login: strings.TrimSpace(r.FormValue("login")), Password: r.FormValue("password"), Graduate: g}
	d := &registerData{Login: reg.Login, G: g, Skills: skills, Degrees: zhagen.Degrees, Unis: universityNames}
	if r.FormValue("password") != r.FormValue("password2") {
		d.Errors = map[string]string{"password2": h.tr(r, "reg.err.password2")}
		h.render(w, r, http.StatusUnprocessableEntity, "register", &page{Title: h.tr(r, "reg.title"), Data: d})
		return
	}
	ctx := zhagen.NewContextWithIP(r.Context(), clientIP(r))
	saved, err := h.cfg.Talent.RegisterGraduate(ctx, reg)
	if err != nil {
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, status, "register", &page{Title: h.tr(r, "reg.title"), Data: d})
		return
	}
	d.Done, d.DoneName = true, saved.Name
	h.render(w, r, http.StatusCreated, "register", &page{Title: h.tr(r, "reg.title"), Data: d})
}

// ---- positions ----

type positionListData struct {
	Rows      []*zhagen.Position
	Pager     pager
	Status    string
	Q         string
	CanReview bool
	CanPost   bool
	Statuses  []zhagen.PositionStatus
}

func (h *Handler) positionList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	q := r.URL.Query()
	d := &positionListData{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), CanReview: a.CanManageTalent(),
		CanPost:  a.CanManageTalent() || (a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0),
		Statuses: []zhagen.PositionStatus{zhagen.PositionPending, zhagen.PositionApproved, zhagen.PositionRejected}}
	f := zhagen.PositionFilter{Query: d.Q, Limit: perPage}
	if zhagen.PositionStatus(d.Status).Label() != "" {
		f.Status = zhagen.PositionStatus(d.Status)
	} else {
		d.Status = ""
	}
	pageNum := pageParam(r)
	f.Offset = offset(pageNum)
	rows, total, err := h.cfg.Talent.FindPositions(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Pager = rows, newPager(r.URL, total, pageNum)
	p := &page{Title: h.tr(r, "nav.positions"), Nav: "positions", Data: d}
	if partialRequest(r, "pos-results") {
		h.renderPartial(w, r, "positions", "pos_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "positions", p)
}

type positionFormData struct {
	P           *zhagen.Position
	Majors      string
	Enterprises []*zhagen.Enterprise
	Degrees     []zhagen.Degree
	Errors      map[string]string
	Error       string
}

func (h *Handler) positionFormPage(w http.ResponseWriter, r *http.Request, status int, d *positionFormData) {
	a := actor(r)
	if a.CanManageTalent() && d.Enterprises == nil {
		list, _, err := h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{Limit: 200})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Enterprises = list
	}
	d.Degrees = zhagen.Degrees
	h.render(w, r, status, "position_form", &page{Title: h.tr(r, "pos.new"), Nav: "positions",
		Crumbs: []crumb{{Label: h.tr(r, "nav.positions"), Href: "/positions"}, {Label: h.tr(r, "pos.new")}}, Data: d})
}

func (h *Handler) positionNew(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !a.CanManageTalent() && !(a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0) {
		h.forbidden(w, r)
		return
	}
	h.positionFormPage(w, r, http.StatusOK, &positionFormData{P: &zhagen.Position{Kind: zhagen.PositionFullTime, Number: 1, Place: "福州高新区"}})
}

func (h *Handler) positionCreate(w http.ResponseWriter, r *http.Request) {
	p := &zhagen.Position{EnterpriseID: formInt64(r, "enterprise_id"), Kind: zhagen.PositionKind(r.FormValue("kind")), Title: r.FormValue("title"),
		Majors: zhagen.SplitTags(r.FormValue("majors")), Degree: zhagen.Degree(r.FormValue("degree")), Number: formInt(r, "number"),
		Place: r.FormValue("place"), SalaryMin: formInt(r, "salary_min"), SalaryMax: formInt(r, "salary_max"), Period: r.FormValue("period"),
		Description: r.FormValue("description")}
	if err := h.cfg.Talent.CreatePosition(ctx(r), p); err != nil {
		d := &positionFormData{P: p, Majors: r.FormValue("majors")}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.positionFormPage(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, "/positions", "pos.flash.created")
}

func (h *Handler) positionReview(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	approve := r.FormValue("decision") == "approve"
	if _, err := h.cfg.Talent.ReviewPosition(ctx(r), id, approve, r.FormValue("note")); err != nil {
		h.fail(w, r, err)
		return
	}
	key := "pos.flash.rejected"
	if approve {
		key = "pos.flash.approved"
	}
	h.redirectFlash(w, r, localPath(r.FormValue("back")), key)
}

// ---- surveys ----

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
	d := &surveyPageData{Period: strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("period"))), Gov: a.IsGovernment(),
		CanFill: a.CanManageTalent() || (a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0)}
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
	if actor(r).CanManageTalent() {
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
	if !a.CanManageTalent() && !(a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0) {
		h.forbidden(w, r)
		return
	}
	s := &zhagen.Survey{Period: strconv.Itoa(h.clock.Now().In(zhagen.Shanghai).Year())}
	d := &surveyFormData{S: s}
	if a.Has(zhagen.RoleEnterprise) {
		// Start from this enterprise's survey of the period, if any.
		list, err := h.cfg.Talent.FindSurveys(ctx(r), s.Period)
		if err == nil && len(list) > 0 {
			d.S, d.Rows = list[0], list[0].Lines
		}
	}
	h.surveyFormPage(w, r, http.StatusOK, d)
}

func (h *Handler) surveySave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, zhagen.Errorf(zhagen.EBADREQUEST, "表单无效"))
		return
	}
	s := &zhagen.Survey{EnterpriseID: formInt64(r, "enterprise_id"), Period: r.FormValue("period"), Remarks: r.FormValue("remarks")}
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
		h.surveyFormPage(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, "/surveys?period="+s.Period, "sv.flash.saved")
}

// ---- universities ----

func (h *Handler) universityList(w http.ResponseWriter, r *http.Request) {
	list, err := h.cfg.Talent.FindUniversities(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "universities", &page{Title: h.tr(r, "nav.universities"), Nav: "universities", Data: list})
}

type universityData struct {
	U       *zhagen.University
	CanEdit bool
	Kinds   []string
	Contact zhagen.UniversityContact
	Out     zhagen.Outreach
	Errors  map[string]string
	Error   string
	Form    string // which form failed: contact or outreach
}

func (h *Handler) universityPage(w http.ResponseWriter, r *http.Request, status int, id int64, d *universityData) {
	u, err := h.cfg.Talent.FindUniversityByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.U, d.CanEdit, d.Kinds = u, actor(r).CanManageTalent(), zhagen.OutreachKinds
	if d.Out.Date == "" {
		d.Out.Date = h.clock.Now().In(zhagen.Shanghai).Format(time.DateOnly)
	}
	if d.Contact.Kind == "" {
		d.Contact.Kind = zhagen.ContactCareer
	}
	h.render(w, r, status, "university_show", &page{Title: u.Name, Nav: "universities",
		Crumbs: []crumb{{Label: h.tr(r, "nav.universities"), Href: "/universities"}, {Label: u.Name}}, Data: d})
}

func (h *Handler) universityShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.universityPage(w, r, http.StatusOK, id, &universityData{})
}

func (h *Handler) universityContactAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	c := zhagen.UniversityContact{UniversityID: id, Kind: zhagen.ContactKind(r.FormValue("kind")), Name: r.FormValue("name"),
		Title: r.FormValue("title"), Phone: r.FormValue("phone"), Email: r.FormValue("email")}
	if err := h.cfg.Talent.AddUniversityContact(ctx(r), &c); err != nil {
		d := &universityData{Contact: c, Form: "contact"}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.universityPage(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/universities/%d", id), "uni.flash.contact")
}

func (h *Handler) universityContactDelete(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r)
	cid, ok2 := pathInt64(r, "cid")
	if !ok1 || !ok2 {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Talent.DeleteUniversityContact(ctx(r), id, cid); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/universities/%d", id), "uni.flash.deleted")
}

func (h *Handler) outreachAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	o := zhagen.Outreach{UniversityID: id, Date: r.FormValue("date"), Kind: r.FormValue("kind"), Summary: r.FormValue("summary")}
	if err := h.cfg.Talent.AddOutreach(ctx(r), &o); err != nil {
		d := &universityData{Out: o, Form: "outreach"}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.universityPage(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/universities/%d", id), "uni.flash.outreach")
}

// ---- graduates ----

type graduateListData struct {
	Rows  []*zhagen.Graduate
	Pager pager
	Q     string
	Gov   bool
}

func (h *Handler) graduateList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if a.Has(zhagen.RoleGraduate) && !a.IsGovernment() {
		http.Redirect(w, r, "/graduates/me", http.StatusSeeOther)
		return
	}
	d := &graduateListData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Gov: a.IsGovernment()}
	pageNum := pageParam(r)
	rows, total, err := h.cfg.Talent.FindGraduates(ctx(r), zhagen.GraduateFilter{Query: d.Q, Limit: perPage, Offset: offset(pageNum)})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Pager = rows, newPager(r.URL, total, pageNum)
	p := &page{Title: h.tr(r, "nav.graduates"), Nav: "graduates", Data: d}
	if partialRequest(r, "grad-results") {
		h.renderPartial(w, r, "graduates", "grad_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "graduates", p)
}

type graduateMeData struct {
	G          *zhagen.Graduate
	Skills     string
	Degrees    []zhagen.Degree
	Unis       []string
	Errors     map[string]string
	Error      string
	Programmes []*zhagen.Programme
}

func (h *Handler) graduateMePage(w http.ResponseWriter, r *http.Request, status int, d *graduateMeData) {
	d.Degrees, d.Unis = zhagen.Degrees, universityNames
	if d.Skills == "" {
		d.Skills = strings.Join(d.G.Skills, "、")
	}
	progs, err := h.cfg.Talent.FindProgrammes(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Programmes = progs
	h.render(w, r, status, "graduate_me", &page{Title: h.tr(r, "nav.graduate_me"), Nav: "graduate_me", Data: d})
}

func (h *Handler) graduateMe(w http.ResponseWriter, r *http.Request) {
	g, err := h.cfg.Talent.MyGraduate(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.graduateMePage(w, r, http.StatusOK, &graduateMeData{G: g})
}

func (h *Handler) graduateMeSave(w http.ResponseWriter, r *http.Request) {
	g, err := h.cfg.Talent.MyGraduate(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in, skills := graduateFromForm(r)
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	upd := zhagen.GraduateUpdate{Version: version, Name: &in.Name, University: &in.University, Major: &in.Major, Degree: &in.Degree,
		GradYear: &in.GradYear, Skills: &in.Skills, Phone: &in.Phone, Consent: &in.Consent}
	if _, err := h.cfg.Talent.UpdateGraduate(ctx(r), g.ID, upd); err != nil {
		in.ID, in.Version = g.ID, g.Version
		d := &graduateMeData{G: &in, Skills: skills}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.graduateMePage(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, "/graduates/me", "grad.flash.saved")
}

// ---- programmes ----

type programmeListData struct {
	Rows    []*zhagen.Programme
	Manager bool
	New     *zhagen.Programme
	Errors  map[string]string
	Error   string
}

func (h *Handler) programmeListPage(w http.ResponseWriter, r *http.Request, status int, d *programmeListData) {
	list, err := h.cfg.Talent.FindProgrammes(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Manager = list, actor(r).CanManageTalent()
	if d.New == nil {
		d.New = &zhagen.Programme{MaxChoices: 5}
	}
	h.render(w, r, status, "programmes", &page{Title: h.tr(r, "nav.programmes"), Nav: "programmes", Data: d})
}

func (h *Handler) programmeList(w http.ResponseWriter, r *http.Request) {
	h.programmeListPage(w, r, http.StatusOK, &programmeListData{})
}

// programmeCreate is POST /programmes (talent managers).
func (h *Handler) programmeCreate(w http.ResponseWriter, r *http.Request) {
	p := &zhagen.Programme{Name: r.FormValue("name"), Description: r.FormValue("description"), RegOpen: r.FormValue("reg_open"),
		RegClose: r.FormValue("reg_close"), MaxChoices: formInt(r, "max_choices")}
	if err := h.cfg.Talent.CreateProgramme(ctx(r), p); err != nil {
		d := &programmeListData{New: p}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.programmeListPage(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d", p.ID), "prog.flash.created")
}

// programmePositionAdd is POST /programmes/{id}/positions (talent managers).
func (h *Handler) programmePositionAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	pp := &zhagen.ProgrammePosition{ProgrammeID: id, EnterpriseID: formInt64(r, "enterprise_id"), Title: r.FormValue("title"),
		Majors: zhagen.SplitTags(r.FormValue("majors")), Degree: zhagen.Degree(r.FormValue("degree")), Skills: zhagen.SplitTags(r.FormValue("skills")),
		Capacity: formInt(r, "capacity")}
	if err := h.cfg.Talent.AddProgrammePosition(ctx(r), pp); err != nil {
		d := &programmeData{NewPos: pp, PosMajors: r.FormValue("majors"), PosSkills: r.FormValue("skills")}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		d.Error = ""
		h.programmePage(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d", id), "prog.flash.position")
}

type programmeData struct {
	P         *zhagen.Programme
	Gov       bool
	Manager   bool
	EntID     int64
	Graduate  *zhagen.Graduate
	App       *zhagen.Application
	Slots     []int // 1..MaxChoices for the choice form
	Open      bool
	MyResult  *zhagen.MatchResult
	Errors    map[string]string
	Error     string
	Today     string
	ChoiceMap map[int]int64 // slot → position id

	// The add-position form of talent managers.
	NewPos      *zhagen.ProgrammePosition
	PosMajors   string
	PosSkills   string
	Enterprises []*zhagen.Enterprise
	Degrees     []zhagen.Degree
}

func (h *Handler) programmePage(w http.ResponseWriter, r *http.Request, status int, id int64, d *programmeData) {
	a := actor(r)
	p, err := h.cfg.Talent.FindProgrammeByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.P, d.Gov, d.Manager, d.EntID = p, a.IsGovernment(), a.CanManageTalent(), a.EnterpriseID
	if d.Manager {
		if d.Enterprises, _, err = h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
		d.Degrees = zhagen.Degrees
		if d.NewPos == nil {
			d.NewPos = &zhagen.ProgrammePosition{Capacity: 1}
		}
	}
	d.Today = h.clock.Now().In(zhagen.Shanghai).Format(time.DateOnly)
	d.Open = p.RegistrationOpen(d.Today)
	for i := 1; i <= p.MaxChoices; i++ {
		d.Slots = append(d.Slots, i)
	}
	if a.Has(zhagen.RoleGraduate) {
		if g, err := h.cfg.Talent.MyGraduate(ctx(r)); err == nil {
			d.Graduate = g
			if app, err := h.cfg.Talent.FindApplication(ctx(r), id, g.ID); err == nil {
				d.App = app
			}
		}
		if p.LatestRun != nil {
			if run, err := h.cfg.Talent.FindMatchRun(ctx(r), p.LatestRun.ID); err == nil && len(run.Results) > 0 {
				d.MyResult = run.Results[0]
			}
		}
	}
	if d.ChoiceMap == nil {
		d.ChoiceMap = map[int]int64{}
		if d.App != nil {
			for i, pid := range d.App.PositionIDs {
				d.ChoiceMap[i+1] = pid
			}
		}
	}
	h.render(w, r, status, "programme_show", &page{Title: p.Name, Nav: "programmes",
		Crumbs: []crumb{{Label: h.tr(r, "nav.programmes"), Href: "/programmes"}, {Label: p.Name}}, Data: d})
}

func (h *Handler) programmeShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.programmePage(w, r, http.StatusOK, id, &programmeData{})
}

func (h *Handler) programmeChoices(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	app := &zhagen.Application{ProgrammeID: id}
	choices := map[int]int64{}
	for i := 1; i <= 20; i++ {
		if pid := formInt64(r, fmt.Sprintf("choice%d", i)); pid > 0 {
			app.PositionIDs = append(app.PositionIDs, pid)
			choices[i] = pid
		}
	}
	if err := h.cfg.Talent.SetChoices(ctx(r), app); err != nil {
		d := &programmeData{ChoiceMap: choices}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		if d.Error == "" && len(d.Errors) > 0 {
			d.Error = zhagen.ErrorMessage(err)
		}
		h.programmePage(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d", id), "prog.flash.choices")
}

func (h *Handler) programmeWithdraw(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Talent.WithdrawApplication(ctx(r), id, formInt64(r, "graduate_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, localPath(r.FormValue("back")), "prog.flash.withdrawn")
}

// programmeMatch is POST /programmes/{id}/match: the run goes on in the
// background and the browser is sent to its page, which polls the
// progress until the run ends (a small programme ends at once).
func (h *Handler) programmeMatch(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if !actor(r).CanManageTalent() {
		h.forbidden(w, r)
		return
	}
	type outcome struct {
		run *zhagen.MatchRun
		err error
	}
	done := make(chan outcome, 1)
	bg := context.WithoutCancel(ctx(r))
	go func() {
		run, err := h.cfg.Talent.RunMatch(bg, id)
		if err != nil && zhagen.ErrorCode(err) == zhagen.EINTERNAL {
			h.log.Error("web: match run", "programme", id, "err", err)
		}
		done <- outcome{run, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			h.fail(w, r, o.err)
			return
		}
		h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d/run", id), "prog.flash.matched")
	case <-time.After(2 * time.Second):
		http.Redirect(w, r, fmt.Sprintf("/programmes/%d/run", id), http.StatusSeeOther)
	}
}

type runData struct {
	P         *zhagen.Programme
	Run       *zhagen.MatchRun
	Manager   bool
	Matched   []*zhagen.MatchResult
	Unmatched []*zhagen.MatchResult
	ByEnt     []entPlacement
}

type entPlacement struct {
	Name     string
	Capacity int
	Matched  int
	Pct      int // matched per cent of capacity
}

// programmeRun is GET /programmes/{id}/run: the latest run's progress,
// then its audit and results. While it runs, an htmx request that targets
// #run-progress gets only the progress panel.
func (h *Handler) programmeRun(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	p, err := h.cfg.Talent.FindProgrammeByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p.LatestRun == nil {
		h.notFound(w, r)
		return
	}
	run, err := h.cfg.Talent.FindMatchRun(ctx(r), p.LatestRun.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &runData{P: p, Run: run, Manager: actor(r).CanManageTalent()}
	ents := map[string]*entPlacement{}
	var order []string
	a := actor(r)
	for _, pp := range p.Positions {
		if !a.IsGovernment() && pp.EnterpriseID != a.EnterpriseID {
			continue // an enterprise sees its own places; a graduate none
		}
		e := ents[pp.EnterpriseName]
		if e == nil {
			e = &entPlacement{Name: pp.EnterpriseName}
			ents[pp.EnterpriseName] = e
			order = append(order, pp.EnterpriseName)
		}
		e.Capacity += pp.Capacity
		e.Matched += pp.Matched
	}
	for _, n := range order {
		e := ents[n]
		if e.Capacity > 0 {
			e.Pct = 100 * e.Matched / e.Capacity
		}
		d.ByEnt = append(d.ByEnt, *e)
	}
	for _, m := range run.Results {
		if m.PositionID != 0 {
			d.Matched = append(d.Matched, m)
		} else {
			d.Unmatched = append(d.Unmatched, m)
		}
	}
	pg := &page{Title: h.tr(r, "run.title"), Nav: "programmes",
		Crumbs: []crumb{{Label: h.tr(r, "nav.programmes"), Href: "/programmes"}, {Label: p.Name, Href: fmt.Sprintf("/programmes/%d", id)}, {Label: h.tr(r, "run.title")}}, Data: d}
	if partialRequest(r, "run-progress") && run.Status == "running" {
		h.renderPartial(w, r, "programme_run", "run_progress", pg)
		return
	}
	if partialRequest(r, "run-progress") {
		w.Header().Set("HX-Refresh", "true")
	}
	h.render(w, r, http.StatusOK, "programme_run", pg)
}

func (h *Handler) programmePublish(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	p, err := h.cfg.Talent.FindProgrammeByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p.LatestRun == nil {
		h.notFound(w, r)
		return
	}
	if _, err := h.cfg.Talent.PublishMatch(ctx(r), p.LatestRun.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d/run", id), "prog.flash.published")
}

type applicantData struct {
	P       *zhagen.Programme
	PP      *zhagen.ProgrammePosition
	Rows    []*zhagen.Applicant
	CanRank bool
	Error   string
}

func (h *Handler) applicantPage(w http.ResponseWriter, r *http.Request, status int, id int64, errMsg string) {
	a := actor(r)
	rows, err := h.cfg.Talent.FindApplicants(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &applicantData{Rows: rows, Error: errMsg}
	// Find the programme and position for the heading.
	progs, err := h.cfg.Talent.FindProgrammes(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, pr := range progs {
		full, err := h.cfg.Talent.FindProgrammeByID(ctx(r), pr.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, pp := range full.Positions {
			if pp.ID == id {
				d.P, d.PP = full, pp
			}
		}
	}
	if d.PP == nil {
		h.notFound(w, r)
		return
	}
	d.CanRank = a.CanManageTalent() || (a.Has(zhagen.RoleEnterprise) && a.EnterpriseID == d.PP.EnterpriseID)
	title := d.PP.EnterpriseName + " · " + d.PP.Title
	h.render(w, r, status, "applicants", &page{Title: title, Nav: "programmes",
		Crumbs: []crumb{{Label: h.tr(r, "nav.programmes"), Href: "/programmes"}, {Label: d.P.Name, Href: fmt.Sprintf("/programmes/%d", d.P.ID)}, {Label: title}}, Data: d})
}

func (h *Handler) applicantList(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.applicantPage(w, r, http.StatusOK, id, "")
}

// applicantRanking is POST /programme-positions/{id}/ranking: the form
// carries one rank field per applicant (rank_<graduate id>); blank ones
// follow the entered ones by score.
func (h *Handler) applicantRanking(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, zhagen.Errorf(zhagen.EBADREQUEST, "表单无效"))
		return
	}
	type entry struct {
		gid  int64
		rank int
	}
	var entries []entry
	for k, vs := range r.PostForm {
		gs, ok := strings.CutPrefix(k, "rank_")
		if !ok || len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		gid, err1 := strconv.ParseInt(gs, 10, 64)
		rank, err2 := strconv.Atoi(strings.TrimSpace(vs[0]))
		if err1 != nil || err2 != nil || rank < 1 {
			h.applicantPage(w, r, http.StatusUnprocessableEntity, id, h.tr(r, "app.err.rank"))
			return
		}
		entries = append(entries, entry{gid, rank})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return int(a.gid - b.gid)
	})
	var ids []int64
	for _, e := range entries {
		ids = append(ids, e.gid)
	}
	if err := h.cfg.Talent.SetRanking(ctx(r), id, ids); err != nil {
		if zhagen.ErrorCode(err) == zhagen.EINVALID {
			h.applicantPage(w, r, http.StatusUnprocessableEntity, id, zhagen.ErrorMessage(err))
			return
		}
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programme-positions/%d", id), "app.flash.ranked")
}

// ---- service teams ----

type teamListData struct {
	Rows    []*zhagen.ServiceTeam
	Manager bool
	People  []*zhagen.User
	New     *zhagen.ServiceTeam
	Picked  map[int64]bool
	Errors  map[string]string
	Error   string
}

func (h *Handler) teamListPage(w http.ResponseWriter, r *http.Request, status int, d *teamListData) {
	list, err := h.cfg.Talent.FindServiceTeams(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Manager = list, actor(r).CanManageTalent()
	if d.Manager {
		if d.People, _, err = h.cfg.Users.FindUsers(ctx(r), zhagen.UserFilter{Role: zhagen.RoleCadre, Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if d.New == nil {
		d.New = &zhagen.ServiceTeam{}
	}
	h.render(w, r, status, "teams", &page{Title: h.tr(r, "nav.teams"), Nav: "teams", Data: d})
}

func (h *Handler) teamList(w http.ResponseWriter, r *http.Request) {
	h.teamListPage(w, r, http.StatusOK, &teamListData{})
}

// teamCreate is POST /service-teams (talent managers): the first member
// picked as leader leads the team.
func (h *Handler) teamCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, zhagen.Errorf(zhagen.EBADREQUEST, "表单无效"))
		return
	}
	t := &zhagen.ServiceTeam{Name: r.FormValue("name"), Description: r.FormValue("description")}
	leader := formInt64(r, "leader")
	picked := map[int64]bool{}
	for _, s := range r.Form["members"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && !picked[id] {
			picked[id] = true
			role := "队员"
			if id == leader {
				role = "队长"
			}
			t.Members = append(t.Members, zhagen.TeamMember{UserID: id, Role: role})
		}
	}
	if err := h.cfg.Talent.CreateServiceTeam(ctx(r), t); err != nil {
		d := &teamListData{New: t, Picked: picked}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.teamListPage(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/service-teams/%d", t.ID), "team.flash.created")
}

type teamData struct {
	T           *zhagen.ServiceTeam
	Manager     bool
	Member      bool
	Enterprises []*zhagen.Enterprise
	Batch       zhagen.TeamBatch
	Log         zhagen.ServiceLog
	LogBatch    int64
	Errors      map[string]string
	Error       string
	Form        string
	Today       string
}

func (h *Handler) teamPage(w http.ResponseWriter, r *http.Request, status int, id int64, d *teamData) {
	a := actor(r)
	t, err := h.cfg.Talent.FindServiceTeamByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.T, d.Manager = t, a.CanManageTalent()
	for _, m := range t.Members {
		if m.UserID == a.UserID {
			d.Member = true
		}
	}
	if d.Manager {
		yes := true
		if d.Enterprises, _, err = h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{IsKey: &yes, Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	d.Today = h.clock.Now().In(zhagen.Shanghai).Format(time.DateOnly)
	if d.Log.Date == "" {
		d.Log.Date = d.Today
	}
	h.render(w, r, status, "team_show", &page{Title: t.Name, Nav: "teams",
		Crumbs: []crumb{{Label: h.tr(r, "nav.teams"), Href: "/service-teams"}, {Label: t.Name}}, Data: d})
}

func (h *Handler) teamShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.teamPage(w, r, http.StatusOK, id, &teamData{})
}

func (h *Handler) teamBatchAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, zhagen.Errorf(zhagen.EBADREQUEST, "表单无效"))
		return
	}
	b := zhagen.TeamBatch{TeamID: id, StartDate: r.FormValue("start_date"), EndDate: r.FormValue("end_date"), Resolved: r.FormValue("resolved")}
	for _, s := range r.Form["enterprise_ids"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			b.EnterpriseIDs = append(b.EnterpriseIDs, n)
		}
	}
	if err := h.cfg.Talent.AddTeamBatch(ctx(r), &b); err != nil {
		d := &teamData{Batch: b, Form: "batch"}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.teamPage(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/service-teams/%d", id), "team.flash.batch")
}

func (h *Handler) serviceLogAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	teamID := formInt64(r, "team_id")
	l := zhagen.ServiceLog{BatchID: id, EnterpriseID: formInt64(r, "enterprise_id"), Date: r.FormValue("date"), Summary: r.FormValue("summary"), Resolved: r.FormValue("resolved")}
	if err := h.cfg.Talent.AddServiceLog(ctx(r), &l); err != nil {
		d := &teamData{Log: l, LogBatch: id, Form: "log"}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok || teamID == 0 {
			h.fail(w, r, err)
			return
		}
		h.teamPage(w, r, status, teamID, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/service-teams/%d#batch-%d", teamID, id), "team.flash.log")
}

func (h *Handler) batchResolved(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Talent.SetBatchResolved(ctx(r), id, r.FormValue("resolved")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/service-teams/%d#batch-%d", formInt64(r, "team_id"), id), "team.flash.resolved")
}
