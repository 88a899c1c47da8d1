package api

import (
	"net/http"
	"strconv"

	"zhagen"
	"zhagen/sheet"
)

// supervisionRoutes registers the supervision orders (督办单) and the
// escalation ladder's rules.
func (h *Handler) supervisionRoutes() {
	if h.cfg.Supervision == nil {
		return
	}
	h.handle("GET", "/api/v1/supervision-orders", h.listSupervisions)
	h.handle("POST", "/api/v1/supervision-orders", h.raiseSupervision)
	h.handle("GET", "/api/v1/supervision-orders/{id}", h.getSupervision)
	h.handle("POST", "/api/v1/supervision-orders/{id}/reply", h.replySupervision)
	h.handle("POST", "/api/v1/supervision-orders/{id}/close", h.closeSupervision)
	h.handle("GET", "/api/v1/supervision-tallies", h.supervisionTallies)
	h.handle("GET", "/api/v1/ladder-rules", h.listLadderRules)
	h.handle("PUT", "/api/v1/ladder-rules", h.putLadderRule)
}

// supervisionJSON is an order with its printed number.
type supervisionJSON struct {
	*zhagen.SupervisionOrder
	Number string `json:"number"`
}

func toSupervisionJSON(o *zhagen.SupervisionOrder) supervisionJSON {
	return supervisionJSON{o, o.Number()}
}

// supervisionTallies is GET /api/v1/supervision-tallies: the orders within
// the caller's view counted per addressee department and state, the
// supervision page's summary.
func (h *Handler) supervisionTallies(w http.ResponseWriter, r *http.Request) error {
	ts, err := h.cfg.Supervision.SupervisionTallies(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.SupervisionTally]{Items: ts, Total: len(ts)})
}

func (h *Handler) listSupervisions(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := zhagen.SupervisionFilter{Status: zhagen.SupervisionStatus(q.Get("status")), Open: q.Get("open") == "true"}
	if f.Status != "" && f.Status.Label() == "" {
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "status", Message: "status 只能是 open、replied 或 closed"}
	}
	if s := q.Get("dept_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "dept_id", Message: "dept_id 应为正整数"}
		}
		f.DeptID = id
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "limit", Message: "limit 应为正整数"}
		}
		f.Limit = n
	}
	fm, export, err := exportFormat(r)
	if err != nil {
		return err
	}
	if export {
		f.Limit = 1000 // the most the list returns
	}
	os, err := h.cfg.Supervision.FindSupervisions(r.Context(), f)
	if err != nil {
		return err
	}
	if export {
		return serveSheet(h, w, r, fm, sheet.Supervisions, sheet.Slice(os))
	}
	items := make([]supervisionJSON, len(os))
	for i, o := range os {
		items[i] = toSupervisionJSON(o)
	}
	return writeJSON(w, http.StatusOK, list[supervisionJSON]{Items: items, Total: len(items)})
}

type raiseInput struct {
	SubjectKind zhagen.SubjectKind `json:"subject_kind"`
	SubjectID   int64              `json:"subject_id"`
	DeptID      int64              `json:"dept_id"`
	Requirement string             `json:"requirement"`
	ReplyHours  int                `json:"reply_hours"`
}

func (h *Handler) raiseSupervision(w http.ResponseWriter, r *http.Request) error {
	var in raiseInput
	if err := decode(r, &in); err != nil {
		return err
	}
	o := &zhagen.SupervisionOrder{SubjectKind: in.SubjectKind, SubjectID: in.SubjectID, DeptID: in.DeptID, Requirement: in.Requirement, ReplyHours: in.ReplyHours}
	if err := h.cfg.Supervision.RaiseSupervision(r.Context(), o); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toSupervisionJSON(o))
}

func (h *Handler) getSupervision(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := h.cfg.Supervision.FindSupervision(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSupervisionJSON(o))
}

func (h *Handler) replySupervision(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in zhagen.SupervisionReply
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := h.cfg.Supervision.ReplySupervision(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSupervisionJSON(o))
}

func (h *Handler) closeSupervision(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in zhagen.SupervisionClose
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := h.cfg.Supervision.CloseSupervision(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSupervisionJSON(o))
}

// ladderJSON is the configured rules with the defaults that hold where
// none is set.
type ladderJSON struct {
	Items    []*zhagen.LadderRule `json:"items"`
	Total    int                  `json:"total"`
	Defaults zhagen.LadderRule    `json:"defaults"`
}

func (h *Handler) listLadderRules(w http.ResponseWriter, r *http.Request) error {
	rules, err := h.cfg.Supervision.LadderRules(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ladderJSON{Items: rules, Total: len(rules), Defaults: zhagen.DefaultLadderRule})
}

type ladderInput struct {
	CategoryID    int64           `json:"category_id"`
	Priority      zhagen.Priority `json:"priority"`
	WarnPct       int             `json:"warn_pct"`
	SuperviseDays int             `json:"supervise_days"`
	ReplyHours    int             `json:"reply_hours"`
}

func (h *Handler) putLadderRule(w http.ResponseWriter, r *http.Request) error {
	var in ladderInput
	if err := decode(r, &in); err != nil {
		return err
	}
	rule := &zhagen.LadderRule{CategoryID: in.CategoryID, Priority: in.Priority, WarnPct: in.WarnPct, SuperviseDays: in.SuperviseDays, ReplyHours: in.ReplyHours}
	if err := h.cfg.Supervision.SetLadderRule(r.Context(), rule); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rule)
}
