package web

import (
	"errors"
	"net/http"

	"zhagen/sheet"
)

// exportFormat is the spreadsheet a list request asks for with
// ?format=xlsx or ?format=csv; ok is false for the page itself.
func exportFormat(r *http.Request) (sheet.Format, bool) {
	return sheet.ParseFormat(r.URL.Query().Get("format"))
}

// serveSheet answers a list request with its export: the list's rows
// (its filters, the caller's scope) streamed as the asked format.
func serveSheet[T any](h *Handler, w http.ResponseWriter, r *http.Request, f sheet.Format, t sheet.Table[T], each sheet.Each[T]) {
	err := sheet.Serve(w, f, t, each)
	var cut *sheet.Interrupted
	switch {
	case err == nil:
	case errors.As(err, &cut):
		h.log.Error("export cut short", "path", r.URL.Path, "err", err)
	default:
		h.fail(w, r, err)
	}
}

// exportable adds the list's export links to the pager: the current URL
// with its filters, without the page, and format set.
func (p pager) exportable(r *http.Request) pager {
	u := withoutPage(r.URL)
	p.XLSX, p.CSV = withParam(u, "format", "xlsx"), withParam(u, "format", "csv")
	return p
}

// exportLinks are the page head's export links of the list at r's URL.
func exportLinks(r *http.Request) *pager {
	p := pager{}.exportable(r)
	return &p
}
