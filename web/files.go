package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"zhagen"
	"zhagen/download"
)

// maxUploadBody caps a form that carries a file: the largest file plus
// room for the other fields and the multipart framing.
const maxUploadBody = zhagen.MaxFileSize + 1<<20

// upload is the file chosen in a form's "file" field.
type upload struct {
	Name string
	Data []byte
}

// fileError is an EINVALID error on the "file" field.
func fileError(msg string) error {
	return &zhagen.Error{Code: zhagen.EINVALID, Field: "file", Message: msg,
		Fields: []zhagen.FieldError{{Field: "file", Message: msg}}}
}

// readUpload parses a multipart form of at most maxUploadBody bytes and
// returns its "file" field, nil when no file was chosen. A form that is
// not multipart is parsed as a plain one and has no file. A body over the
// limit is an EINVALID error on "file"; the other fields are then lost.
func (h *Handler) readUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.Is(err, http.ErrNotMultipart):
			return nil, nil // ParseForm has read the plain form
		case errors.As(err, &tooBig):
			if r.PostForm == nil {
				r.PostForm = url.Values{} // an empty form to render again
			}
			return nil, fileError(h.tr(r, "dm.files.too_big"))
		}
		return nil, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "file", Message: h.tr(r, "dm.files.bad_form")}
	}
	f, hdr, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, zhagen.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	return &upload{Name: hdr.Filename, Data: data}, nil
}

// fileSize writes a byte count for people: 512 B, 12.3 KB, 4.0 MB.
func fileSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// storeUpload reads the request's one file (readUpload) and stores it on
// owner; choosing no file is an EINVALID error on "file". The upload is
// returned as read, for a form to show again.
func (h *Handler) storeUpload(w http.ResponseWriter, r *http.Request, owner zhagen.FileOwner) (*upload, error) {
	file, err := h.readUpload(w, r)
	if err == nil && file == nil {
		err = fileError(h.tr(r, "dm.files.none_chosen"))
	}
	if err == nil {
		_, err = h.cfg.Files.AddFile(ctx(r), owner, file.Name, file.Data)
	}
	return file, err
}

// demandAttach is POST /demands/{id}/attachments: one file in the field
// "file". A refusal shows the detail page again with the message next to
// the upload field.
func (h *Handler) demandAttach(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	file, err := h.storeUpload(w, r, zhagen.DemandFiles(id))
	if err == nil {
		h.redirectFlash(w, r, demandPath(id)+"#files", "dm.flash.attached")
		return
	}
	sd := &dmShowData{}
	status := http.StatusUnprocessableEntity
	switch zhagen.ErrorCode(err) {
	case zhagen.EINVALID:
		sd.FileError = zhagen.FieldErrors(err)["file"]
		if sd.FileError == "" {
			sd.FileError = zhagen.ErrorMessage(err)
		}
	case zhagen.ECONFLICT:
		status, sd.FileError = http.StatusConflict, zhagen.ErrorMessage(err)
	case zhagen.EFORBIDDEN:
		status, sd.FileError = http.StatusForbidden, zhagen.ErrorMessage(err)
	default:
		h.fail(w, r, err)
		return
	}
	if file != nil && file.Name != "" {
		// The browser forgets the chosen file; say which one was refused.
		sd.FileError = h.tr(r, "dm.files.refused", file.Name, sd.FileError)
	}
	h.renderDemand(w, r, status, id, sd)
}

// fileDownload is GET /files/{id}, the one download of every stored
// file: served when the caller can see the file's owner (the demand,
// visit or action item), 404 for everybody else.
func (h *Handler) fileDownload(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	f, data, err := h.cfg.Files.OpenFile(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	download.Serve(w, f, data)
}

// filePath is the address of a stored file's download.
func filePath(id int64) string { return "/files/" + strconv.FormatInt(id, 10) }

// ownerFileDownload serves an address from before files were one type
// (/demands/{id}/attachments/{aid}, /visits/{id}/files/{fid},
// /action-items/{id}/evidence): the owner's file whose (old) id is the
// path value param, or its newest file when param is "".
func (h *Handler) ownerFileDownload(owner func(int64) zhagen.FileOwner, param string) func(http.ResponseWriter, *http.Request) {
	demand := owner(0).Kind == zhagen.FileOfDemand
	return func(w http.ResponseWriter, r *http.Request) {
		if demand && !zhagen.CanAny(actor(r), zhagen.PermDemandView) {
			h.forbidden(w, r, zhagen.PermDemandView)
			return
		}
		id, ok := pathID(r)
		var fid int64
		if param != "" {
			var err error
			if fid, err = strconv.ParseInt(r.PathValue(param), 10, 64); err != nil || fid <= 0 {
				ok = false
			}
		}
		if !ok {
			h.notFound(w, r)
			return
		}
		f, data, err := h.cfg.Files.OpenOwnerFile(ctx(r), owner(id), fid)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		download.Serve(w, f, data)
	}
}
