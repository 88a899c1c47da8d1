package api

import (
	"net/http"

	"zhagen"
	"zhagen/sheet"
)

func (h *Handler) importRoutes() {
	if h.cfg.Imports == nil {
		return
	}
	h.handle("GET", "/api/v1/imports/template", h.importTemplate)
	h.handle("POST", "/api/v1/imports", h.startImport)
	h.handle("GET", "/api/v1/imports/{id}", h.getImport)
	h.handle("POST", "/api/v1/imports/{id}/commit", h.commitImport)
	h.handle("POST", "/api/v1/imports/{id}/passwords", h.importPasswords)
}

// importKind reads the kind of an import; enterprises by default.
func importKind(s string) (zhagen.ImportKind, error) {
	if s == "" {
		return zhagen.ImportEnterprises, nil
	}
	if k := zhagen.ImportKind(s); k.Label() != "" {
		return k, nil
	}
	return "", &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "kind", Message: "kind 须为 enterprises、linkages 或 cadres"}
}

// importTemplate is GET /api/v1/imports/template?kind=: the .xlsx to fill.
func (h *Handler) importTemplate(w http.ResponseWriter, r *http.Request) error {
	kind, err := importKind(r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(zhagen.ActorFromContext(r.Context()), kind.Perm(), zhagen.Facts{}); err != nil {
		return err
	}
	return sheet.ServeTemplate(w, kind)
}

// startImport is POST /api/v1/imports (multipart: file, kind): the file
// is read and every row validated in the background; nothing is written.
func (h *Handler) startImport(w http.ResponseWriter, r *http.Request) error {
	name, data, err := readUpload(w, r)
	if err != nil {
		return err
	}
	kind, err := importKind(r.FormValue("kind"))
	if err != nil {
		return err
	}
	job, err := h.cfg.Imports.Start(r.Context(), kind, name, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, job)
}

// getImport is GET /api/v1/imports/{id}: the job's state, progress and
// report (row, column, cell and message of every problem).
func (h *Handler) getImport(w http.ResponseWriter, r *http.Request) error {
	job, err := h.cfg.Imports.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, job)
}

type commitInput struct {
	Mode string `json:"mode"`
}

// commitImport is POST /api/v1/imports/{id}/commit {"mode":"all"|"valid"}:
// "all" (the default) writes nothing unless every row is valid; "valid"
// writes the valid rows; one transaction either way.
func (h *Handler) commitImport(w http.ResponseWriter, r *http.Request) error {
	var in commitInput
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	mode, ok := zhagen.ParseImportMode(in.Mode)
	if !ok {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "mode", Message: "mode 须为 all 或 valid"}
	}
	job, err := h.cfg.Imports.Commit(r.Context(), r.PathValue("id"), mode)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, job)
}

// importPasswords is POST /api/v1/imports/{id}/passwords: the initial
// passwords of the accounts a cadre import created, as the .xlsx
// 初始密码单 (登录名, 姓名, 初始密码), for the administrator who ran the
// import, once and within sheet.PasswordSheetTTL; a POST, since taking
// it drops it.
func (h *Handler) importPasswords(w http.ResponseWriter, r *http.Request) error {
	entries, err := h.cfg.Imports.TakePasswords(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return sheet.ServePasswords(w, entries)
}
