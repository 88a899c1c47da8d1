package web

import (
	"net/http"

	"zhagen"
	"zhagen/sheet"
)

func (h *Handler) importRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Imports == nil {
		return
	}
	auth("GET /imports", h.importPage)
	auth("POST /imports", h.importStart)
	auth("GET /imports/template", h.importTemplate)
	auth("GET /imports/{id}", h.importShow)
	auth("POST /imports/{id}/commit", h.importCommit)
	auth("POST /imports/{id}/passwords", h.importPasswords)
}

// importKinds are the kinds the actor may import.
func importKinds(a *zhagen.Actor) []zhagen.ImportKind {
	var out []zhagen.ImportKind
	for _, k := range zhagen.ImportKinds {
		if zhagen.CanAny(a, k.Perm()) {
			out = append(out, k)
		}
	}
	return out
}

type importPageData struct {
	Kinds []zhagen.ImportKind
	Kind  zhagen.ImportKind // the kind whose form failed
	Error string
}

// importPage is GET /imports: a template and an upload form per kind the
// policy lets the actor import.
func (h *Handler) importPage(w http.ResponseWriter, r *http.Request) {
	h.renderImportPage(w, r, http.StatusOK, &importPageData{})
}

func (h *Handler) renderImportPage(w http.ResponseWriter, r *http.Request, status int, d *importPageData) {
	a := actor(r)
	if d.Kinds = importKinds(a); len(d.Kinds) == 0 {
		h.forbidden(w, r, zhagen.PermEnterpriseImport)
		return
	}
	h.render(w, r, status, "import", &page{Title: h.tr(r, "nav.imports"), Nav: "imports", Data: d})
}

// importTemplate is GET /imports/template?kind=: the .xlsx to fill.
func (h *Handler) importTemplate(w http.ResponseWriter, r *http.Request) {
	kind := zhagen.ImportKind(r.URL.Query().Get("kind"))
	if kind.Label() == "" {
		h.notFound(w, r)
		return
	}
	if !zhagen.CanAny(actor(r), kind.Perm()) {
		h.forbidden(w, r, kind.Perm())
		return
	}
	if err := sheet.ServeTemplate(w, kind); err != nil {
		h.log.Error("import template", "err", err)
	}
}

// importStart is POST /imports: the file is read and every row validated
// in the background; the job's page shows the progress and the report.
func (h *Handler) importStart(w http.ResponseWriter, r *http.Request) {
	kind := zhagen.ImportKind(r.FormValue("kind"))
	d := &importPageData{Kind: kind}
	up, err := h.readUpload(w, r)
	if err == nil && up == nil {
		err = &zhagen.Error{Code: zhagen.EINVALID, Field: "file", Message: h.tr(r, "imp.no_file")}
	}
	var job *sheet.JobView
	if err == nil {
		job, err = h.cfg.Imports.Start(ctx(r), kind, up.Name, up.Data)
	}
	switch code := zhagen.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/imports/"+job.ID, http.StatusSeeOther)
	case code == zhagen.EINVALID || code == zhagen.ETOOLARGE:
		d.Error = zhagen.ErrorMessage(err)
		h.renderImportPage(w, r, http.StatusUnprocessableEntity, d)
	default:
		h.fail(w, r, err)
	}
}

type importJobData struct {
	Job   *sheet.JobView
	Modes []zhagen.ImportMode
}

// importShow is GET /imports/{id}: the job's progress (the block polls
// itself through htmx while the job runs), then its report and the
// commit form.
func (h *Handler) importShow(w http.ResponseWriter, r *http.Request) {
	job, err := h.cfg.Imports.Get(ctx(r), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &page{Title: h.tr(r, "imp.job.title", job.Kind.Label()), Nav: "imports",
		Crumbs: []crumb{{Label: h.tr(r, "nav.imports"), Href: "/imports"}, {Label: job.FileName}},
		Data:   &importJobData{Job: job, Modes: []zhagen.ImportMode{zhagen.ImportAllOrNothing, zhagen.ImportValidOnly}}}
	if partialRequest(r, "imp-job") {
		h.renderPartial(w, r, "import_job", "imp_job", p)
		return
	}
	h.render(w, r, http.StatusOK, "import_job", p)
}

// importCommit is POST /imports/{id}/commit: writes the validated rows as
// the chosen mode says (nothing unless all are valid, by default).
func (h *Handler) importCommit(w http.ResponseWriter, r *http.Request) {
	mode, ok := zhagen.ParseImportMode(r.FormValue("mode"))
	if !ok {
		mode = zhagen.ImportAllOrNothing
	}
	job, err := h.cfg.Imports.Commit(ctx(r), r.PathValue("id"), mode)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+job.ID, http.StatusSeeOther)
}

// importPasswords is POST /imports/{id}/passwords: the 初始密码单 of a
// cadre import (login, name and initial password of every account it
// created), for the administrator who ran it, once; a POST, since taking
// the sheet drops it. A sheet already taken or expired says so.
func (h *Handler) importPasswords(w http.ResponseWriter, r *http.Request) {
	entries, err := h.cfg.Imports.TakePasswords(ctx(r), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := sheet.ServePasswords(w, entries); err != nil {
		h.serverError(w, r, err)
	}
}
