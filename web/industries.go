package web

import (
	"net/http"
	"strings"

	"zhagen"
)

type industryData struct {
	Rows   []*zhagen.Industry
	Name   string
	Error  string
	Errors map[string]string
}

// industryList is GET /industries: the editable industry list (admin).
func (h *Handler) industryList(w http.ResponseWriter, r *http.Request) {
	h.renderIndustries(w, r, http.StatusOK, &industryData{})
}

func (h *Handler) renderIndustries(w http.ResponseWriter, r *http.Request, status int, d *industryData) {
	if !zhagen.CanAny(actor(r), zhagen.PermIndustryEdit) {
		h.forbidden(w, r, zhagen.PermIndustryEdit)
		return
	}
	var err error
	if d.Rows, err = h.cfg.Enterprises.FindIndustries(ctx(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "industry_list", &page{Title: h.tr(r, "nav.industries"), Nav: "industries", Data: d})
}

// industryCreate is POST /industries: add a name.
func (h *Handler) industryCreate(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermIndustryEdit) {
		h.forbidden(w, r, zhagen.PermIndustryEdit)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if _, err := h.cfg.Enterprises.CreateIndustry(ctx(r), name); err != nil {
		switch zhagen.ErrorCode(err) {
		case zhagen.EINVALID, zhagen.ECONFLICT:
			status := http.StatusUnprocessableEntity
			if zhagen.ErrorCode(err) == zhagen.ECONFLICT {
				status = http.StatusConflict
			}
			h.renderIndustries(w, r, status, &industryData{Name: name, Error: zhagen.ErrorMessage(err)})
		default:
			h.fail(w, r, err)
		}
		return
	}
	h.redirectFlash(w, r, "/industries", "ind.flash.created")
}

// industryDelete is POST /industries/{id}/delete: remove an unused name.
func (h *Handler) industryDelete(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermIndustryEdit) {
		h.forbidden(w, r, zhagen.PermIndustryEdit)
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Enterprises.DeleteIndustry(ctx(r), id); err != nil {
		switch zhagen.ErrorCode(err) {
		case zhagen.EINVALID, zhagen.ECONFLICT:
			h.renderIndustries(w, r, http.StatusConflict, &industryData{Error: zhagen.ErrorMessage(err)})
		default:
			h.fail(w, r, err)
		}
		return
	}
	h.redirectFlash(w, r, "/industries", "ind.flash.deleted")
}
