package web

import (
	"net/http"
	"net/url"
	"strconv"

	"zhagen"
)

// errorData is the data of the error page.
type errorData struct {
	Status  int
	Heading string
	Message string
}

// fail shows the error page that fits err's code: 404 for ENOTFOUND, 403
// with the refusal's own message for EFORBIDDEN, the message for EINVALID, ECONFLICT and EBADREQUEST,
// 413 with the limit (the message of an ETOOLARGE) for a body over it, a
// redirect to the login page for EUNAUTHORIZED, and a logged 500 for the
// rest. Forms handle EINVALID themselves before they get here.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch zhagen.ErrorCode(err) {
	case zhagen.ENOTFOUND:
		h.notFound(w, r)
	case zhagen.EFORBIDDEN:
		h.refused(w, r, zhagen.ErrorMessage(err))
	case zhagen.EUNAUTHORIZED:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	case zhagen.EPASSWORDCHANGE:
		http.Redirect(w, r, "/account/password", http.StatusSeeOther)
	case zhagen.EINVALID:
		h.errorPage(w, r, http.StatusUnprocessableEntity, h.tr(r, "err.invalid"), zhagen.ErrorMessage(err))
	case zhagen.ECONFLICT:
		h.errorPage(w, r, http.StatusConflict, h.tr(r, "err.conflict"), zhagen.ErrorMessage(err))
	case zhagen.EBADREQUEST:
		h.errorPage(w, r, http.StatusBadRequest, h.tr(r, "err.bad_request"), zhagen.ErrorMessage(err))
	case zhagen.ETOOMANY:
		setRetryAfter(w, err)
		h.errorPage(w, r, http.StatusTooManyRequests, h.tr(r, "err.too_many"), zhagen.ErrorMessage(err))
	case zhagen.ETOOLARGE:
		h.errorPage(w, r, http.StatusRequestEntityTooLarge, h.tr(r, "err.too_large"), h.tr(r, "err.too_large.detail", zhagen.ErrorMessage(err)))
	default:
		h.serverError(w, r, err)
	}
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusNotFound, h.tr(r, "err.not_found"), h.tr(r, "err.not_found.detail"))
}

// forbidden refuses what the permission p does not allow: 403 with the
// policy's own message of p, so that each refusal says why.
func (h *Handler) forbidden(w http.ResponseWriter, r *http.Request, p zhagen.Perm) {
	h.refused(w, r, zhagen.Forbidden(p).Message)
}

// refused shows a refusal (403) with its reason.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, reason string) {
	h.errorPage(w, r, http.StatusForbidden, h.tr(r, "err.forbidden"), h.tr(r, "err.forbidden.detail", reason))
}

// serverError logs err and shows "内部错误" without details.
func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	h.errorPage(w, r, http.StatusInternalServerError, h.tr(r, "error.internal"), h.tr(r, "err.internal.detail"))
}

func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	if r.Header.Get("HX-Request") == "true" {
		// htmx does not swap error responses; make it show the full page.
		w.Header().Set("HX-Retarget", "body")
		w.Header().Set("HX-Reswap", "innerHTML")
	}
	h.render(w, r, status, "error", &page{
		Title: heading,
		Data:  errorData{Status: status, Heading: heading, Message: msg},
	})
}

// staleUpdate reports whether err is the ECONFLICT of an update that
// carried an old version, as opposed to a duplicate key on a field.
func staleUpdate(err error) bool {
	if zhagen.ErrorCode(err) != zhagen.ECONFLICT {
		return false
	}
	for f := range zhagen.FieldErrors(err) {
		if f != "version" {
			return false
		}
	}
	return true
}

// pathID parses the {id} wildcard; a malformed id is a 404.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// formFailure fills a form's field errors, or its one message when no
// field is named, from an error the form shows itself: EINVALID (422) or
// ECONFLICT (409). It returns the status, and ok false for any other error.
func formFailure(err error, fields *map[string]string, message *string) (status int, ok bool) {
	switch zhagen.ErrorCode(err) {
	case zhagen.EINVALID:
		status = http.StatusUnprocessableEntity
	case zhagen.ECONFLICT:
		status = http.StatusConflict
	default:
		return 0, false
	}
	*fields = zhagen.FieldErrors(err)
	if len(*fields) == 0 {
		*message = zhagen.ErrorMessage(err)
	}
	return status, true
}

// reshown is the state of a page whose inline forms come back after a
// refused post: the form open again, its field errors, the message for
// the whole page and the values typed.
type reshown struct {
	Open   string // the form shown again after an error
	Errors map[string]string
	Error  string
	Form   url.Values
}

// Val returns a typed value of the form shown again, else def.
func (d *reshown) Val(form, field, def string) string {
	if d.Open == form && d.Form != nil {
		return d.Form.Get(field)
	}
	return def
}

// Err returns the error of a field of the form shown again.
func (d *reshown) Err(form, field string) string {
	if d.Open != form {
		return ""
	}
	return d.Errors[field]
}

// refuse records err on the form shown again: what formFailure shows,
// and a refusal (403) or a stale version (409; no form shows the version
// field) as the page's message. It returns the status, and ok false for
// any other error, which fails the request.
func (d *reshown) refuse(err error) (status int, ok bool) {
	status, ok = formFailure(err, &d.Errors, &d.Error)
	if ok && staleUpdate(err) {
		d.Errors, d.Error = nil, zhagen.ErrorMessage(err)
	}
	if !ok {
		if zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			return 0, false
		}
		status, d.Error = http.StatusForbidden, zhagen.ErrorMessage(err)
	}
	return status, true
}
