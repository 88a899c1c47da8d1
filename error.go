// Package zhagen holds the domain of the zhagen government–enterprise service
// platform: its types, validation rules, error codes and service interfaces.
// It imports no storage or HTTP code; the sqldb, api and web packages do.
package zhagen

import (
	"errors"
	"fmt"
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
	EINTERNAL     = "internal"          // anything unexpected (500)
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

// ErrorCode returns the code of err if it is (or wraps) an *Error,
// EINTERNAL for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	} else if e := asError(err); e != nil {
		return e.Code
	}
	return EINTERNAL
}

// fieldError is an error of a leaf package (such as sla) that rejects
// one field of its input; it counts as an EINVALID *Error.
type fieldError interface {
	error
	InvalidField() (field, message string)
}

// asError returns err as an *Error: itself, or the EINVALID *Error of a
// leaf package's field error; nil for any other error.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var fe fieldError
	if errors.As(err, &fe) {
		f, m := fe.InvalidField()
		return &Error{Code: EINVALID, Field: f, Message: m, Fields: []FieldError{{Field: f, Message: m}}}
	}
	return nil
}

// ErrorMessage returns the user-facing message of err. Errors that are not
// an *Error are internal and are never shown in detail.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	} else if e := asError(err); e != nil {
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
	e := asError(err)
	if e == nil {
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
