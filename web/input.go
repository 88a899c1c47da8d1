package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"

	"zhagen"
)

// maxFormBody caps the body of a form without a file; a form with a file
// (multipart) may carry maxUploadBody.
const maxFormBody = 1 << 20

// checkInput is the one gate of the web's input: every request passes it
// before its handler. It caps the body (413 over maxFormBody, or
// maxUploadBody for a multipart form), parses the form once (400 when it
// is malformed), and checks the path, every query and form name and value
// and every file name by the domain's text rule (422 naming the field)
// and the query's lengths (400 naming the parameter and the limit, see
// zhagen.CheckQuery). Handlers then read r.Form, r.PostForm and
// r.MultipartForm as parsed here. It answers and returns false when the
// request is refused.
func (h *Handler) checkInput(w http.ResponseWriter, r *http.Request) bool {
	if zhagen.TextProblem(r.URL.Path) != "" {
		h.notFound(w, r)
		return false
	}
	if err := zhagen.CheckQuery(r.URL.Query()); err != nil {
		h.fail(w, r, err)
		return false
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	if err := h.parseBody(w, r); err != nil {
		h.fail(w, r, err)
		return false
	}
	var c zhagen.TextChecker
	for k, vs := range r.PostForm {
		c.Check(k, k)
		for _, v := range vs {
			c.Check(k, v)
		}
	}
	if r.MultipartForm != nil {
		for k, fs := range r.MultipartForm.File {
			c.Check(k, k)
			for _, f := range fs {
				c.Check(k, f.Filename)
			}
		}
	}
	if err := c.Err(); err != nil {
		h.fail(w, r, err)
		return false
	}
	return true
}

// parseBody reads the form of a request with a body, within its limit:
// ETOOLARGE over the limit (the message names it; a Content-Length over
// it is refused before reading), EBADREQUEST when the body is not a form
// of its content type.
func (h *Handler) parseBody(w http.ResponseWriter, r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	limit := int64(maxFormBody)
	if ct == "multipart/form-data" {
		limit = maxUploadBody
	}
	if r.ContentLength > limit {
		r.PostForm = url.Values{}
		return &zhagen.Error{Code: zhagen.ETOOLARGE, Message: fileSize(limit)}
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err == nil {
		return nil
	}
	if r.PostForm == nil {
		r.PostForm = url.Values{} // a handler that reads the form finds it empty
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &zhagen.Error{Code: zhagen.ETOOLARGE, Message: fileSize(limit)}
	}
	return &zhagen.Error{Code: zhagen.EBADREQUEST, Message: h.tr(r, "err.bad_form")}
}
