package api

import (
	"net/http"

	"zhagen"
)

func (h *Handler) listCalendarOverrides(w http.ResponseWriter, r *http.Request) error {
	return all(w, r, h.cfg.Calendar.FindCalendarOverrides)
}

type overrideInput struct {
	Working bool   `json:"working"`
	Name    string `json:"name"`
}

func (h *Handler) putCalendarOverride(w http.ResponseWriter, r *http.Request) error {
	var in overrideInput
	if err := decode(r, &in); err != nil {
		return err
	}
	o := &zhagen.CalendarOverride{Date: r.PathValue("date"), Working: in.Working, Name: in.Name}
	if err := h.cfg.Calendar.SetCalendarOverride(r.Context(), o); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (h *Handler) deleteCalendarOverride(w http.ResponseWriter, r *http.Request) error {
	if err := h.cfg.Calendar.DeleteCalendarOverride(r.Context(), r.PathValue("date")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
