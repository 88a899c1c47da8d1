package api

import (
	"errors"
	"net/http"

	"zhagen"
	"zhagen/sheet"
)

// exportFormat reads ?format=: ok is false when absent (JSON), and any
// other value than xlsx or csv is a bad request.
func exportFormat(r *http.Request) (sheet.Format, bool, error) {
	s := r.URL.Query().Get("format")
	if s == "" || s == "json" {
		return "", false, nil
	}
	f, ok := sheet.ParseFormat(s)
	if !ok {
		return "", false, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "format", Message: "format 须为 xlsx、csv 或 json"}
	}
	return f, true, nil
}

// serveSheet answers a list route with its export: the same filters and
// scope as the JSON list, every row, streamed.
func serveSheet[T any](h *Handler, w http.ResponseWriter, r *http.Request, f sheet.Format, t sheet.Table[T], each sheet.Each[T]) error {
	err := sheet.Serve(w, f, t, each)
	var cut *sheet.Interrupted
	if errors.As(err, &cut) {
		if h.cfg.Logger != nil {
			h.cfg.Logger.Error("export cut short", "path", r.URL.Path, "err", err)
		}
		return nil
	}
	return err
}
