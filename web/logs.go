package web

import (
	"context"
	"net/http"
	"strings"

	"zhagen"
)

type logData[T any] struct {
	Q     string
	Rows  []T
	Pager pager
}

// opLogList is GET /logs/ops: the operation log (admin).
func (h *Handler) opLogList(w http.ResponseWriter, r *http.Request) {
	showLog(h, w, r, zhagen.PermOpLogView, "log_ops", "log-results", h.cfg.Logs.FindOpLogs)
}

// loginLogList is GET /logs/logins: the login log (admin).
func (h *Handler) loginLogList(w http.ResponseWriter, r *http.Request) {
	showLog(h, w, r, zhagen.PermLoginLogView, "log_logins", "log-results", h.cfg.Logs.FindLoginLogs)
}

func showLog[T any](h *Handler, w http.ResponseWriter, r *http.Request, perm zhagen.Perm, name, target string,
	find func(ctx context.Context, f zhagen.LogFilter) ([]T, int, error)) {
	if !zhagen.CanAny(actor(r), perm) {
		h.forbidden(w, r, perm)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	pageNum := pageParam(r)
	rows, total, err := find(ctx(r), zhagen.LogFilter{Query: q, Limit: perPage, Offset: offset(pageNum)})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &page{Title: h.tr(r, "nav."+name), Nav: name,
		Data: &logData[T]{Q: q, Rows: rows, Pager: newPager(r.URL, total, pageNum)}}
	if partialRequest(r, target) {
		h.renderPartial(w, r, name, "log_results", p)
		return
	}
	h.render(w, r, http.StatusOK, name, p)
}
