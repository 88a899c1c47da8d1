// Package zhagen holds the domain of the zhagen government–enterprise service
// platform: its types, validation rules, error codes and service interfaces.
// It imports no storage or HTTP code; the sqldb, api and web packages do.
package zhagen

import (
	"errors"
	"fmt"

	"zhagen/sla"
)

// Error codes. The HTTP layers map each code to one status in one place.
const (
	EBADREQUEST   = "bad_request"       // malformed input (400)
	EUNAUTHORIZED = "unauthorized"      // not logged in or bad credentials (401)
	EFORBIDDEN    = "forbidden"         // role or scope refuses the action (403)
	ENOTFOUND     = "not_found"         // no such record within the caller's scope (404)
	ECONFLICT     = "conflict"          // stale version or duplicate key (409)
	EINVALID      = "invalid"           // a field fails validation (422)
	ETOOMANY      = "too_many_requests" // rate limited or account locked (429)
	ETOOLARGE     = "too_large"         // a request body over its limit (413)
	// EPASSWORDCHANGE refuses everything but changing the password to a
	// user who must change theirs first (User.MustChangePassword) (403).
	EPASSWORDCHANGE = "password_change_required"
	EINTERNAL       = "internal" // anything unexpected (500)
)

// FieldError names one invalid field and says why, in Chinese.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type of the domain. Message is shown to users;
// Field names the first invalid field; Fields lists all of them for forms;
// Current carries the current record when an update was stale.
type Error struct {
	Code    string
	Message string
	Field   string
	Fields  []FieldError
	Current any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("zhagen error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("zhagen error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// AsError returns err as an *Error: the *Error it is or wraps, or an
// EINVALID *Error with the field and message of the working calendar's
// [*sla.Error] it is or wraps. This is the one place where an error of a
// package below the domain becomes a domain error; ErrorCode,
// ErrorMessage and FieldErrors go through it. ok is false for nil and
// for any other error.
func AsError(err error) (e *Error, ok bool) {
	if err == nil {
		return nil, false
	}
	if errors.As(err, &e) {
		return e, true
	}
	if se, ok := errors.AsType[*sla.Error](err); ok {
		return &Error{Code: EINVALID, Field: se.Field, Message: se.Message}, true
	}
	return nil, false
}

// ErrorCode returns the code of err if it is (or wraps) an *Error or an
// [*sla.Error] (see [AsError]), EINTERNAL for any other non-nil error, and
// "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	} else if e, ok := AsError(err); ok {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Errors that are not
// an *Error (see [AsError]) are internal and are never shown in detail.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	} else if e, ok := AsError(err); ok {
		return e.Message
	}
	return "内部错误"
}

// Validation collects field errors while a record is checked.
type Validation struct{ fields []FieldError }

// Add records that field is invalid with a message, once per field.
func (v *Validation) Add(field, message string) {
	for _, f := range v.fields {
		if f.Field == field {
			return
		}
	}
	v.fields = append(v.fields, FieldError{Field: field, Message: message})
}

// Err returns nil when every field passed, else an EINVALID *Error whose
// Message and Field are those of the first failure.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: v.fields[0].Message, Field: v.fields[0].Field, Fields: v.fields}
}

// FieldErrors returns the field errors of err keyed by field name.
func FieldErrors(err error) map[string]string {
	e, ok := AsError(err)
	if !ok {
		return nil
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		m[f.Field] = f.Message
	}
	if e.Field != "" && m[e.Field] == "" {
		m[e.Field] = e.Message
	}
	return m
}
