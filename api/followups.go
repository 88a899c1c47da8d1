package api

import (
	"net/http"
	"strconv"

	"zhagen"
)

// followUpRoutes registers the follow-ups (回访, 撤单核查) and the reply
// templates (常用回复).
func (h *Handler) followUpRoutes() {
	if h.cfg.FollowUps != nil {
		h.handle("GET", "/api/v1/follow-ups", h.listFollowUps)
		h.handle("GET", "/api/v1/follow-ups/{id}", h.getFollowUp)
		h.handle("POST", "/api/v1/follow-ups/{id}/result", h.recordFollowUp)
	}
	if h.cfg.ReplyTemplates != nil {
		h.handle("GET", "/api/v1/reply-templates", h.listReplyTemplates)
		h.handle("POST", "/api/v1/reply-templates", h.createReplyTemplate)
		h.handle("GET", "/api/v1/reply-templates/{id}", h.getReplyTemplate)
		h.handle("PUT", "/api/v1/reply-templates/{id}", h.putReplyTemplate)
		h.handle("DELETE", "/api/v1/reply-templates/{id}", h.deleteReplyTemplate)
	}
}

func (h *Handler) getFollowUp(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.FollowUps.FindFollowUpByID)
}

func (h *Handler) getReplyTemplate(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.ReplyTemplates.FindReplyTemplateByID)
}

func (h *Handler) listFollowUps(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := zhagen.FollowUpFilter{Status: q.Get("status"), Kind: zhagen.FollowUpKind(q.Get("kind")), Sort: q.Get("sort"), Limit: limit, Offset: offset}
	if f.DemandID, err = queryID(r, "demand_id"); err != nil {
		return err
	}
	items, total, err := h.cfg.FollowUps.FindFollowUps(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.FollowUp]{Items: items, Total: total})
}

func (h *Handler) recordFollowUp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var rec zhagen.FollowUpRecord
	if err := decode(r, &rec); err != nil {
		return err
	}
	f, err := h.cfg.FollowUps.RecordFollowUp(r.Context(), id, rec)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

// listReplyTemplates lists the templates; with demand_id, those that
// serve that demand, each with its text filled for it ("filled").
func (h *Handler) listReplyTemplates(w http.ResponseWriter, r *http.Request) error {
	var f zhagen.ReplyTemplateFilter
	demandID, err := queryID(r, "demand_id")
	if err != nil {
		return err
	}
	if f.DeptID, err = queryID(r, "dept_id"); err != nil {
		return err
	}
	type item struct {
		*zhagen.ReplyTemplate
		Filled string `json:"filled,omitempty"`
	}
	var d *zhagen.Demand
	if demandID != 0 {
		if d, err = h.cfg.Demands.FindDemandByID(r.Context(), demandID); err != nil {
			return err
		}
		f.ForDemand = d
	}
	var clock zhagen.Clock = zhagen.SystemClock{}
	if h.cfg.Clock != nil {
		clock = h.cfg.Clock
	}
	ts, err := h.cfg.ReplyTemplates.FindReplyTemplates(r.Context(), f)
	if err != nil {
		return err
	}
	out := list[item]{Items: []item{}, Total: len(ts)}
	for _, t := range ts {
		it := item{ReplyTemplate: t}
		if d != nil {
			it.Filled = zhagen.FillReply(t.Body, d, clock.Now())
		}
		out.Items = append(out.Items, it)
	}
	return writeJSON(w, http.StatusOK, out)
}

type replyTemplateInput struct {
	CategoryID int64  `json:"category_id"`
	DeptID     int64  `json:"dept_id"`
	Title      string `json:"title"`
	Body       string `json:"body"`
	Version    int64  `json:"version"`
}

func (in replyTemplateInput) template() *zhagen.ReplyTemplate {
	return &zhagen.ReplyTemplate{CategoryID: in.CategoryID, DeptID: in.DeptID, Title: in.Title, Body: in.Body, Version: in.Version}
}

func (h *Handler) createReplyTemplate(w http.ResponseWriter, r *http.Request) error {
	var in replyTemplateInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t := in.template()
	if err := h.cfg.ReplyTemplates.CreateReplyTemplate(r.Context(), t); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/reply-templates/"+strconv.FormatInt(t.ID, 10))
	return writeJSON(w, http.StatusCreated, t)
}

func (h *Handler) putReplyTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in replyTemplateInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	t := in.template()
	t.ID = id
	if err := h.cfg.ReplyTemplates.UpdateReplyTemplate(r.Context(), t); err != nil {
		return err
	}
	return byID(w, r, h.cfg.ReplyTemplates.FindReplyTemplateByID)
}

func (h *Handler) deleteReplyTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.cfg.ReplyTemplates.DeleteReplyTemplate(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
