package web

import (
	"net/http"
	"strings"

	"zhagen"
)

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
	d := &positionListData{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), CanReview: zhagen.CanAny(a, zhagen.PermPositionReview),
		CanPost:  zhagen.CanAny(a, zhagen.PermPositionPost),
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
	if grantsEvery(a, zhagen.PermPositionPost) && d.Enterprises == nil { // posts for any enterprise: pick one
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
	if !zhagen.CanAny(a, zhagen.PermPositionPost) {
		h.forbidden(w, r, zhagen.PermPositionPost)
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
	if _, err := h.cfg.Talent.ReviewPosition(ctx(r), id, formInt64(r, "version"), approve, r.FormValue("note")); err != nil {
		h.fail(w, r, err)
		return
	}
	key := "pos.flash.rejected"
	if approve {
		key = "pos.flash.approved"
	}
	h.redirectFlash(w, r, localPath(r.FormValue("back")), key)
}
