package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

type appListData struct {
	Rows     []*zhagen.PolicyApplication
	Status   string
	Statuses []zhagen.AppStatus
	Totals   *zhagen.PaidTotals
	Now      any
	Chart    string // the paid totals per month, for the bar chart
}

// appList is GET /policy-applications: the redemption ledger (兑现台账)
// with the totals paid per policy, department and month.
func (h *Handler) appList(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermAppView) {
		h.forbidden(w, r, zhagen.PermAppView)
		return
	}
	st := r.URL.Query().Get("status")
	f := zhagen.AppFilter{Limit: 500}
	for _, s := range zhagen.AppStatuses {
		if string(s) == st {
			f.Status = s
		}
	}
	if f.Status == "" {
		st = ""
	}
	rows, err := h.cfg.Policies.FindApplications(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tot, err := h.cfg.Policies.PaidTotals(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	months, paid := []string{}, []float64{}
	for _, m := range tot.ByMonth {
		months = append(months, m.Label)
		paid = append(paid, float64(m.Paid)/10000)
	}
	cj, _ := json.Marshal(map[string]any{"months": months, "paid": paid, "name": h.tr(r, "pa.chart.paid")})
	d := &appListData{Rows: rows, Status: st, Statuses: zhagen.AppStatuses, Totals: tot, Now: h.clock.Now(), Chart: string(cj)}
	h.render(w, r, http.StatusOK, "policyapp_list", &page{Title: h.tr(r, "nav.policy_apps"), Nav: "policy_apps", Data: d})
}

type appShowData struct {
	A         *zhagen.PolicyApplication
	Overdue   bool
	Actions   []zhagen.AppAction
	Files     []*zhagen.File
	CanUpload bool
	FileError string
	Errors    map[string]string
	Error     string
	Step      zhagen.AppStep
}

// appShow is GET /policy-applications/{id}.
func (h *Handler) appShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderApp(w, r, http.StatusOK, id, &appShowData{})
}

func (h *Handler) renderApp(w http.ResponseWriter, r *http.Request, status int, id int64, d *appShowData) {
	app, err := h.cfg.Policies.FindApplication(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := actor(r)
	d.A, d.Overdue = app, app.Overdue(h.clock.Now())
	if zhagen.Can(a, zhagen.PermAppHandle, app.Facts()) {
		d.Actions = zhagen.AppActionsFrom(app.Status)
	}
	if d.Files, err = h.cfg.Files.FindFiles(ctx(r), zhagen.PolicyAppFiles(id)); err != nil {
		h.fail(w, r, err)
		return
	}
	f := app.Facts()
	f.Linked = a.Has(zhagen.RoleCadre) // the store checks the linkage itself
	d.CanUpload = app.Status.Open() && (zhagen.Can(a, zhagen.PermAppApply, f) || zhagen.Can(a, zhagen.PermAppHandle, f))
	title := app.EnterpriseName + " · " + app.PolicyTitle
	h.render(w, r, status, "policyapp_show", &page{Title: title, Nav: "policy_apps",
		Crumbs: []crumb{{Label: h.tr(r, "nav.policy_apps"), Href: "/policy-applications"}, {Label: title}}, Data: d})
}

// appStep is POST /policy-applications/{id}/steps.
func (h *Handler) appStep(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	st := zhagen.AppStep{Action: zhagen.AppAction(r.PostForm.Get("action")), Note: r.PostForm.Get("note")}
	st.Amount, _ = strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("amount")), 10, 64)
	st.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if _, err := h.cfg.Policies.StepApplication(ctx(r), id, st); err != nil {
		d := &appShowData{Step: st}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderApp(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/policy-applications/%d", id), "pa.flash.stepped")
}

// appAttach is POST /policy-applications/{id}/files: one material.
func (h *Handler) appAttach(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	_, err := h.storeUpload(w, r, zhagen.PolicyAppFiles(id))
	if err == nil {
		h.redirectFlash(w, r, fmt.Sprintf("/policy-applications/%d#files", id), "dm.flash.attached")
		return
	}
	d := &appShowData{}
	status := http.StatusUnprocessableEntity
	switch zhagen.ErrorCode(err) {
	case zhagen.EINVALID, zhagen.ECONFLICT, zhagen.EFORBIDDEN:
		d.FileError = zhagen.FieldErrors(err)["file"]
		if d.FileError == "" {
			d.FileError = zhagen.ErrorMessage(err)
		}
		if zhagen.ErrorCode(err) == zhagen.EFORBIDDEN {
			status = http.StatusForbidden
		}
	default:
		h.fail(w, r, err)
		return
	}
	h.renderApp(w, r, status, id, d)
}

type tagListData struct {
	Tags    []*zhagen.Tag
	Colors  []string
	CanEdit bool
	Form    zhagen.Tag
	Errors  map[string]string
	Error   string
}

// tagList is GET /tags: the administrators' enterprise tags.
func (h *Handler) tagList(w http.ResponseWriter, r *http.Request) {
	h.renderTags(w, r, http.StatusOK, &tagListData{})
}

func (h *Handler) renderTags(w http.ResponseWriter, r *http.Request, status int, d *tagListData) {
	if !zhagen.CanAny(actor(r), zhagen.PermTagView) {
		h.forbidden(w, r, zhagen.PermTagView)
		return
	}
	tags, err := h.cfg.Policies.FindTags(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Tags, d.Colors, d.CanEdit = tags, zhagen.TagColors, zhagen.CanAny(actor(r), zhagen.PermTagEdit)
	h.render(w, r, status, "tag_list", &page{Title: h.tr(r, "nav.tags"), Nav: "tags", Data: d})
}

// tagCreate is POST /tags.
func (h *Handler) tagCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	t := zhagen.Tag{Name: r.PostForm.Get("name"), Color: r.PostForm.Get("color")}
	if err := h.cfg.Policies.CreateTag(ctx(r), &t); err != nil {
		d := &tagListData{Form: t}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderTags(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, "/tags", "etag.flash.saved")
}

// tagDelete is POST /tags/{id}/delete.
func (h *Handler) tagDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Policies.DeleteTag(ctx(r), id); err != nil {
		d := &tagListData{}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderTags(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, "/tags", "etag.flash.deleted")
}
