package pkg

import (
	"net/http"
	"strconv"
)

type Handler struct{}

func (h *Handler) routes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	auth("GET /things", h.list)
	auth("GET /things/{id}", h.show)
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	_ = q.Get("q")
	_ = r.Header.Get("HX-Request")
	id := func(k string) int64 { n, _ := strconv.ParseInt(q.Get(k), 10, 64); return n }
	_ = id("dept")
	for name := range map[string]bool{"from": true, "to": true} {
		_ = q.Get(name)
	}
	_, _ = queryID(r, "owner_id")
	h.page(r)
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request) {}

func (h *Handler) page(r *http.Request) int { n, _ := strconv.Atoi(r.FormValue("page")); return n }

func queryID(r *http.Request, name string) (int64, error) {
	return strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
}
