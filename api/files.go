package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"zhagen"
	"zhagen/download"
)

// fileRoutes registers the one download of every stored file and the
// upload and list of demand attachments; visit files are registered with
// the linkage routes, action item evidence comes with its completion.
func (h *Handler) fileRoutes() {
	h.handle("GET", "/api/v1/files/{id}", h.downloadFile)
	h.handle("GET", "/api/v1/demands/{id}/attachments", h.listOwnerFiles(zhagen.DemandFiles))
	h.handle("POST", "/api/v1/demands/{id}/attachments", h.uploadOwnerFile(zhagen.DemandFiles))
	// The address of a demand file before files were one type, kept.
	h.handle("GET", "/api/v1/demands/{id}/attachments/{aid}", h.downloadOwnerFile(zhagen.DemandFiles, "aid"))
}

// downloadFile is GET /api/v1/files/{id}: the file, when the caller can
// see its owner; 404 otherwise.
func (h *Handler) downloadFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, data, err := h.cfg.Files.OpenFile(r.Context(), id)
	if err != nil {
		return err
	}
	download.Serve(w, f, data)
	return nil
}

// listOwnerFiles lists the files of the owner named by the {id} path value.
func (h *Handler) listOwnerFiles(owner func(int64) zhagen.FileOwner) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return allByID(w, r, func(ctx context.Context, id int64) ([]*zhagen.File, error) {
			return h.cfg.Files.FindFiles(ctx, owner(id))
		})
	}
}

// uploadOwnerFile takes one multipart field "file" for the owner named by
// the {id} path value.
func (h *Handler) uploadOwnerFile(owner func(int64) zhagen.FileOwner) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		name, data, err := readUpload(w, r)
		if err != nil {
			return err
		}
		f, err := h.cfg.Files.AddFile(r.Context(), owner(id), name, data)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, f)
	}
}

// downloadOwnerFile serves an address from before files were one type:
// the owner's file whose (old) id is the path value param, or the
// owner's newest file when param is "".
func (h *Handler) downloadOwnerFile(owner func(int64) zhagen.FileOwner, param string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var fid int64
		if param != "" {
			if fid, err = strconv.ParseInt(r.PathValue(param), 10, 64); err != nil || fid <= 0 {
				return &zhagen.Error{Code: zhagen.ENOTFOUND, Message: "文件不存在"}
			}
		}
		f, data, err := h.cfg.Files.OpenOwnerFile(r.Context(), owner(id), fid)
		if err != nil {
			return err
		}
		download.Serve(w, f, data)
		return nil
	}
}

// readUpload reads the multipart field "file" of an upload, refusing a
// body over the file size limit (413) and a file name that is not text
// (422); the service checks the content.
func readUpload(w http.ResponseWriter, r *http.Request) (name string, data []byte, err error) {
	tooBig := &zhagen.Error{Code: zhagen.ETOOLARGE, Field: "file", Message: "请求体不能超过11 MiB（文件不能超过10MB）"}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return "", nil, tooBig
		}
		return "", nil, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "file", Message: "请以 multipart/form-data 上传字段 file"}
	}
	defer f.Close()
	if err := zhagen.CheckText("file", hdr.Filename); err != nil {
		return "", nil, err
	}
	data, err = io.ReadAll(io.LimitReader(f, zhagen.MaxFileSize+1))
	return hdr.Filename, data, err
}
