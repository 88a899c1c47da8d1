package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

// minContactRows is how many contact rows the form always offers.
const minContactRows = 3

type entFormData struct {
	E          *zhagen.Enterprise
	Contacts   []zhagen.Contact // E.Contacts padded with empty rows
	Errors     map[string]string
	Error      string        // a message for the whole form
	Conflict   []conflictRow // fields someone else changed, on a stale update
	Industries []string
	Parks      []string
	Statuses   []zhagen.EnterpriseStatus
	Action     string
	IsNew      bool
}

// conflictRow shows one field that differs between the stored record and
// what the user typed.
type conflictRow struct {
	Label, Current, Mine string
}

// enterpriseFromForm reads the enterprise form. The values are kept as
// typed so that a form with errors shows them again unchanged.
func enterpriseFromForm(r *http.Request) *zhagen.Enterprise {
	r.ParseForm()
	f := r.PostForm
	e := &zhagen.Enterprise{
		Name:     f.Get("name"),
		USCC:     f.Get("uscc"),
		Industry: f.Get("industry"),
		IsKey:    f.Get("is_key") == "1",
		Park:     f.Get("park"),
		Address:  f.Get("address"),
		LegalRep: f.Get("legal_rep"),
		Status:   zhagen.EnterpriseStatus(f.Get("status")),
		Contacts: []zhagen.Contact{},
	}
	e.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	names, titles, phones := f["contact_name"], f["contact_title"], f["contact_phone"]
	for i := range names {
		c := zhagen.Contact{Name: names[i]}
		if i < len(titles) {
			c.Title = titles[i]
		}
		if i < len(phones) {
			c.Phone = phones[i]
		}
		if strings.TrimSpace(c.Name+c.Title+c.Phone) != "" {
			e.Contacts = append(e.Contacts, c)
		}
	}
	return e
}

// copyEnterprise returns a copy that a service may normalise freely.
func copyEnterprise(e *zhagen.Enterprise) *zhagen.Enterprise {
	c := *e
	c.Contacts = slices.Clone(e.Contacts)
	return &c
}

func (h *Handler) enterpriseNew(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermEnterpriseCreate) {
		h.forbidden(w, r, zhagen.PermEnterpriseCreate)
		return
	}
	h.renderEnterpriseForm(w, r, http.StatusOK, &entFormData{
		E: &zhagen.Enterprise{Status: zhagen.EntOperating}, IsNew: true, Action: "/enterprises",
	})
}

func (h *Handler) enterpriseCreate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermEnterpriseCreate) {
		h.forbidden(w, r, zhagen.PermEnterpriseCreate)
		return
	}
	typed := enterpriseFromForm(r)
	e := copyEnterprise(typed)
	err := h.cfg.Enterprises.CreateEnterprise(ctx(r), e)
	if err == nil {
		h.redirectFlash(w, r, fmt.Sprintf("/enterprises/%d", e.ID), "ent.flash.created")
		return
	}
	d := &entFormData{E: typed, IsNew: true, Action: "/enterprises"}
	if h.formError(w, r, err, d) {
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) enterpriseEdit(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermEnterpriseEdit) {
		h.forbidden(w, r, zhagen.PermEnterpriseEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	e, err := h.cfg.Enterprises.FindEnterpriseByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderEnterpriseForm(w, r, http.StatusOK, &entFormData{E: e, Action: fmt.Sprintf("/enterprises/%d", id)})
}

// enterpriseUpdate saves the edit form. A stale version shows the form
// again with the user's values, the fields that changed meanwhile, and
// the current version so that a second save is a conscious overwrite.
func (h *Handler) enterpriseUpdate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermEnterpriseEdit) {
		h.forbidden(w, r, zhagen.PermEnterpriseEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	typed := enterpriseFromForm(r)
	typed.ID = id
	e := copyEnterprise(typed)
	upd := zhagen.EnterpriseUpdate{
		Version: e.Version, Name: &e.Name, USCC: &e.USCC, Industry: &e.Industry, IsKey: &e.IsKey,
		Park: &e.Park, Address: &e.Address, LegalRep: &e.LegalRep, Contacts: &e.Contacts, Status: &e.Status,
	}
	_, err := h.cfg.Enterprises.UpdateEnterprise(ctx(r), id, upd)
	if err == nil {
		h.redirectFlash(w, r, fmt.Sprintf("/enterprises/%d", id), "ent.flash.updated")
		return
	}
	d := &entFormData{E: typed, Action: fmt.Sprintf("/enterprises/%d", id)}
	if staleUpdate(err) {
		cur := currentEnterprise(err)
		if cur == nil {
			if cur, err = h.cfg.Enterprises.FindEnterpriseByID(ctx(r), id); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		d.Conflict = h.enterpriseDiff(r, cur, typed)
		d.Error = h.tr(r, "ent.conflict", cur.Version)
		typed.Version = cur.Version
		typed.CreatedAt, typed.UpdatedAt = cur.CreatedAt, cur.UpdatedAt
		h.renderEnterpriseForm(w, r, http.StatusConflict, d)
		return
	}
	if h.formError(w, r, err, d) {
		return
	}
	h.fail(w, r, err)
}

// currentEnterprise returns the record an ECONFLICT error carries, if any.
func currentEnterprise(err error) *zhagen.Enterprise {
	var ze *zhagen.Error
	if errors.As(err, &ze) {
		switch c := ze.Current.(type) {
		case *zhagen.Enterprise:
			return c
		case zhagen.Enterprise:
			return &c
		}
	}
	return nil
}

// enterpriseDiff lists the fields where the stored record differs from
// what the user typed.
func (h *Handler) enterpriseDiff(r *http.Request, cur, mine *zhagen.Enterprise) []conflictRow {
	yesNo := func(b bool) string {
		if b {
			return h.tr(r, "common.yes")
		}
		return h.tr(r, "common.no")
	}
	contacts := func(cs []zhagen.Contact) string {
		var parts []string
		for _, c := range cs {
			parts = append(parts, strings.TrimSpace(strings.Join([]string{c.Name, c.Title, c.Phone}, " ")))
		}
		return strings.Join(parts, "；")
	}
	pairs := []struct{ key, cur, mine string }{
		{"name", cur.Name, strings.TrimSpace(mine.Name)},
		{"uscc", cur.USCC, zhagen.NormalizeUSCC(mine.USCC)},
		{"industry", cur.Industry, mine.Industry},
		{"is_key", yesNo(cur.IsKey), yesNo(mine.IsKey)},
		{"park", cur.Park, strings.TrimSpace(mine.Park)},
		{"address", cur.Address, strings.TrimSpace(mine.Address)},
		{"legal_rep", cur.LegalRep, strings.TrimSpace(mine.LegalRep)},
		{"status", h.tr(r, "ent.status."+string(cur.Status)), h.tr(r, "ent.status."+string(mine.Status))},
		{"contacts", contacts(cur.Contacts), contacts(mine.Contacts)},
	}
	var rows []conflictRow
	for _, p := range pairs {
		if p.cur != p.mine {
			rows = append(rows, conflictRow{Label: h.tr(r, "ent.f."+p.key), Current: p.cur, Mine: p.mine})
		}
	}
	return rows
}

// formError re-renders the form for a validation error (422) or a
// duplicate key on a field (409) and reports whether it did.
func (h *Handler) formError(w http.ResponseWriter, r *http.Request, err error, d *entFormData) bool {
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if ok {
		h.renderEnterpriseForm(w, r, status, d)
	}
	return ok
}

func (h *Handler) renderEnterpriseForm(w http.ResponseWriter, r *http.Request, status int, d *entFormData) {
	inds, err := h.cfg.Enterprises.FindIndustries(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, in := range inds {
		d.Industries = append(d.Industries, in.Name)
	}
	if d.E.Industry != "" && !slices.Contains(d.Industries, d.E.Industry) {
		d.Industries = append(d.Industries, d.E.Industry)
	}
	if d.Parks, err = h.cfg.Enterprises.FindParks(ctx(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Statuses = zhagen.EnterpriseStatuses
	d.Contacts = slices.Clone(d.E.Contacts)
	for len(d.Contacts) < minContactRows {
		d.Contacts = append(d.Contacts, zhagen.Contact{})
	}
	p := &page{Nav: "enterprises", Data: d}
	list := crumb{Label: h.tr(r, "nav.enterprises"), Href: "/enterprises"}
	if d.IsNew {
		p.Title = h.tr(r, "ent.new")
		p.Crumbs = []crumb{list, {Label: p.Title}}
	} else {
		p.Title = h.tr(r, "ent.edit")
		p.Crumbs = []crumb{list, {Label: d.E.Name, Href: fmt.Sprintf("/enterprises/%d", d.E.ID)}, {Label: p.Title}}
	}
	h.render(w, r, status, "enterprise_form", p)
}

// enterpriseArchive archives (archived=1, the default) or restores
// (archived=0) an enterprise.
func (h *Handler) enterpriseArchive(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermEnterpriseEdit) {
		h.forbidden(w, r, zhagen.PermEnterpriseEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	archived := r.PostFormValue("archived") != "0"
	if _, err := h.cfg.Enterprises.UpdateEnterprise(ctx(r), id, zhagen.EnterpriseUpdate{Version: version, Archived: &archived}); err != nil {
		h.fail(w, r, err)
		return
	}
	if archived {
		h.redirectFlash(w, r, "/enterprises", "ent.flash.archived")
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/enterprises/%d", id), "ent.flash.restored")
}
