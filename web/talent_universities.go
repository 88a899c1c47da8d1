package web

import (
	"fmt"
	"net/http"

	"zhagen"
)

func (h *Handler) universityList(w http.ResponseWriter, r *http.Request) {
	list, err := h.cfg.Talent.FindUniversities(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "universities", &page{Title: h.tr(r, "nav.universities"), Nav: "universities", Data: list})
}

type universityData struct {
	U           *zhagen.University
	CanEdit     bool // keeps the contacts
	CanOutreach bool
	Kinds       []string
	Contact     zhagen.UniversityContact
	Out         zhagen.Outreach
	Errors      map[string]string
	Error       string
	Form        string // which form failed: contact or outreach
}

func (h *Handler) universityPage(w http.ResponseWriter, r *http.Request, status int, id int64, d *universityData) {
	u, err := h.cfg.Talent.FindUniversityByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.U, d.Kinds = u, zhagen.OutreachKinds
	d.CanEdit, d.CanOutreach = zhagen.CanAny(actor(r), zhagen.PermUniversityContact), zhagen.CanAny(actor(r), zhagen.PermUniversityOutreach)
	if d.Out.Date == "" {
		d.Out.Date = day(h.clock.Now())
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
