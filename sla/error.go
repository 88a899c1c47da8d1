package sla

// Error reports an input the package refuses: office hours that are
// empty, out of order or malformed, an override of a day that does not
// exist, or a [Duration] with an unknown unit or an amount out of range.
// Field names the input (office_hours, overrides, unit or amount) and
// Message says what is wrong, in Chinese, for users.
//
// The domain package zhagen turns an *Error into its own EINVALID error
// (see zhagen.ErrorCode), so callers pass it on unchanged.
type Error struct {
	Field   string
	Message string
}

func (e *Error) Error() string { return "sla: " + e.Field + ": " + e.Message }

func invalid(field, msg string) error {
	return &Error{Field: field, Message: msg}
}
