package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"zhagen"
)

// uploadAttachment takes one multipart field "file".
func (h *Handler) uploadAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, data, err := readUpload(w, r)
	if err != nil {
		return err
	}
	at, err := h.cfg.Demands.AddAttachment(r.Context(), id, name, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, at)
}

func (h *Handler) listAttachments(w http.ResponseWriter, r *http.Request) error {
	return allByID(w, r, h.cfg.Demands.FindAttachments)
}

func (h *Handler) downloadAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		return &zhagen.Error{Code: zhagen.ENOTFOUND, Message: "附件不存在"}
	}
	at, data, err := h.cfg.Demands.OpenAttachment(r.Context(), id, aid)
	if err != nil {
		return err
	}
	ServeAttachment(w, at, data)
	return nil
}

// ServeAttachment writes a stored file as a download, with the content
// type fixed at upload and sniffing off.
func ServeAttachment(w http.ResponseWriter, at *zhagen.Attachment, data []byte) {
	w.Header().Set("Content-Type", at.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": at.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}

// readUpload reads the multipart field "file" of an upload, refusing a
// body over the attachment size limit; the service checks the content.
func readUpload(w http.ResponseWriter, r *http.Request) (name string, data []byte, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, zhagen.MaxAttachmentSize+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "file", Message: "文件不能超过10MB"}
		}
		return "", nil, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "file", Message: "请以 multipart/form-data 上传字段 file"}
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, zhagen.MaxAttachmentSize+1))
	return hdr.Filename, data, err
}
