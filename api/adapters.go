package api

import (
	"context"
	"net/http"
)

// The adapters below serve the handlers that only pass a request through
// to one service method. A handler calls one with the method value (such
// as h.cfg.Talent.CreateProgramme) inside its body, so that the service is
// looked up at request time, not when the routes are registered. Errors
// are returned unchanged for the caller to write.

// created decodes a T from the body, stores it with create and answers
// 201 with the stored T.
func created[T any](w http.ResponseWriter, r *http.Request, create func(context.Context, *T) error) error {
	var v T
	if err := decode(r, &v); err != nil {
		return err
	}
	if err := create(r.Context(), &v); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, &v)
}

// createdUnder is created for a record that belongs to the one named by
// the {id} path value: set puts that id into the decoded T before create
// stores it. A bad id answers 404 before the body is read.
func createdUnder[T any](w http.ResponseWriter, r *http.Request, set func(*T, int64), create func(context.Context, *T) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var v T
	if err := decode(r, &v); err != nil {
		return err
	}
	set(&v, id)
	if err := create(r.Context(), &v); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, &v)
}

// byID answers 200 with the record get finds for the {id} path value.
func byID[T any](w http.ResponseWriter, r *http.Request, get func(context.Context, int64) (T, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := get(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// all answers 200 with every item find returns, as a list whose total is
// the number of items.
func all[T any](w http.ResponseWriter, r *http.Request, find func(context.Context) ([]T, error)) error {
	items, err := find(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[T]{Items: items, Total: len(items)})
}

// allByID is all for the items find returns for the {id} path value,
// such as the events of one demand.
func allByID[T any](w http.ResponseWriter, r *http.Request, find func(context.Context, int64) ([]T, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	items, err := find(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[T]{Items: items, Total: len(items)})
}

// applyByID decodes an In from the body, hands it to do with the {id}
// path value and answers 200 with what do returns. A bad id answers 404
// before the body is read.
func applyByID[In, Out any](w http.ResponseWriter, r *http.Request, do func(context.Context, int64, In) (Out, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in In
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := do(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}
