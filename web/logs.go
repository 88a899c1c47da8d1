package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"zhagen"
)

type logData[T any] struct {
	Q     string
	Rows  []T
	Pager keyPager
}

// keyPager links the pages of a log by key: the newest page, the page
// just newer and the page just older than the rows shown. A log grows by
// hundreds of thousands of lines; a page read by key costs the same at
// any depth, where an offset costs the rows it skips.
type keyPager struct {
	Total                int
	Newest, Newer, Older string // "" when there is no such page
}

// opLogList is GET /logs/ops: the operation log (admin).
func (h *Handler) opLogList(w http.ResponseWriter, r *http.Request) {
	showLog(h, w, r, zhagen.PermOpLogView, "log_ops", "log-results", h.cfg.Logs.FindOpLogs, func(l *zhagen.OpLog) int64 { return l.ID })
}

// loginLogList is GET /logs/logins: the login log (admin).
func (h *Handler) loginLogList(w http.ResponseWriter, r *http.Request) {
	showLog(h, w, r, zhagen.PermLoginLogView, "log_logins", "log-results", h.cfg.Logs.FindLoginLogs, func(l *zhagen.LoginLog) int64 { return l.ID })
}

// showLog shows a page of a log: the newest, or ?before=ID (older than
// that line) or ?after=ID (just newer than it).
func showLog[T any](h *Handler, w http.ResponseWriter, r *http.Request, perm zhagen.Perm, name, target string,
	find func(ctx context.Context, f zhagen.LogFilter) ([]T, int, error), id func(T) int64) {
	if !zhagen.CanAny(actor(r), perm) {
		h.forbidden(w, r, perm)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	f := zhagen.LogFilter{Query: q, Limit: perPage + 1} // one more tells whether there is a further page
	switch {
	case before > 0:
		f.Before = before
	case after > 0:
		f.After = after
	}
	rows, total, err := find(ctx(r), f)
	if err == nil && f.After > 0 && len(rows) <= perPage {
		// Fewer than a page is newer than the key: show the newest page.
		f.After = 0
		rows, total, err = find(ctx(r), f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	more := len(rows) > perPage // a further page in the direction read
	var p keyPager
	p.Total = total
	if f.After > 0 { // rows are the page just newer than the key; the extra one is the newest
		if more {
			rows = rows[1:]
		}
	} else if more {
		rows = rows[:perPage]
	}
	if len(rows) > 0 {
		first, last := id(rows[0]), id(rows[len(rows)-1])
		paged := f.Before > 0 || f.After > 0
		if paged {
			p.Newest = logPageURL(r.URL, "", 0)
		}
		if (f.After > 0 && more) || f.Before > 0 {
			p.Newer = logPageURL(r.URL, "after", first)
		}
		if f.After > 0 || more {
			p.Older = logPageURL(r.URL, "before", last)
		}
	}
	pg := &page{Title: h.tr(r, "nav."+name), Nav: name, Data: &logData[T]{Q: q, Rows: rows, Pager: p}}
	if partialRequest(r, target) {
		h.renderPartial(w, r, name, "log_results", pg)
		return
	}
	h.render(w, r, http.StatusOK, name, pg)
}

// logPageURL is u with the key parameter key (before or after) set to
// id and the other one removed; key "" gives the newest page.
func logPageURL(u *url.URL, key string, id int64) string {
	v := *u
	q := v.Query()
	q.Del("before")
	q.Del("after")
	q.Del("page")
	v.RawQuery = q.Encode()
	if key == "" {
		return withParam(&v, "before", "")
	}
	return withParam(&v, key, strconv.FormatInt(id, 10))
}
