package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"zhagen"
)

// maxUploadBody caps a form that carries a file: the largest file plus
// room for the other fields and the multipart framing.
const maxUploadBody = zhagen.MaxAttachmentSize + 1<<20

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
	data, err := io.ReadAll(io.LimitReader(f, zhagen.MaxAttachmentSize+1))
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

// demandAttach is POST /demands/{id}/attachments: one file in the field
// "file". A refusal shows the detail page again with the message next to
// the upload field.
func (h *Handler) demandAttach(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	file, err := h.readUpload(w, r)
	if err == nil && file == nil {
		err = fileError(h.tr(r, "dm.files.none_chosen"))
	}
	if err == nil {
		_, err = h.cfg.Demands.AddAttachment(ctx(r), id, file.Name, file.Data)
	}
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

// attachmentDownload is GET /demands/{id}/attachments/{aid}: the file as
// a download, within the demand's scope. The content type is the one
// fixed at upload; sniffing, scripts and caching are off.
func (h *Handler) attachmentDownload(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermDemandView) {
		h.forbidden(w, r)
		return
	}
	id, ok := pathID(r)
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if !ok || err != nil || aid <= 0 {
		h.notFound(w, r)
		return
	}
	at, data, err := h.cfg.Demands.OpenAttachment(ctx(r), id, aid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	serveFile(w, at.Name, at.ContentType, data)
}

// serveFile writes a stored file as a download: the content type is the
// one fixed at upload; sniffing, scripts and caching are off.
func serveFile(w http.ResponseWriter, name, contentType string, data []byte) {
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" {
		disp = "attachment"
	}
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Disposition", disp)
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-store")
	w.Write(data)
}
