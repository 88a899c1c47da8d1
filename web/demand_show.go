package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

// answerRow is one answered question on the detail page.
type answerRow struct {
	Label string
	Value string
}

type dmShowData struct {
	D          *zhagen.Demand
	SLA        slaBadge
	Answers    []answerRow
	Events     []*zhagen.DemandEvent
	Linked     []demandRow
	Actions    []zhagen.Action
	Has        map[string]bool
	Depts      []*zhagen.Department
	Priorities []zhagen.Priority
	Ratings    []zhagen.Rating
	Gov        bool

	// Files are the demand's attachments; CanAttach shows the upload
	// form (Full when the demand has as many files as it may), FileError
	// the refusal of the last upload.
	Files     []*zhagen.File
	CanAttach bool
	Full      bool
	MaxFiles  int
	FileError string

	// Consults are the consultations the demand was escalated to, with
	// their action items.
	Consults []consultView

	// Replies are the reply templates (常用回复) filled for the demand,
	// offered in the resolve and update forms; AnswerHint states the
	// category's answer rule on the resolve form.
	Replies    []replyChoice
	AnswerHint string

	// Suggestion is the dispatch model's (智能派单) for a demand to route,
	// Duplicates the candidate duplicates across enterprises (both the
	// command centre's; DupsPending while the index is being built);
	// Promote offers the answer to the knowledge base.
	Suggestion  *zhagen.DispatchSuggestion
	Duplicates  []zhagen.SimilarDemand
	DupsPending bool
	Promote     bool
	CanLink     bool
	CanMerge    bool

	// After a refused action: the message for the whole panel, the
	// action whose form is open again, its field errors and its values.
	ActionError string
	Open        string
	Errors      map[string]string
	Form        url.Values

	// refused is the transition the service refused, so that a refusal
	// by the workflow policy can be worded in the reader's language.
	refused *zhagen.Transition
}

// Val returns what the user typed into a field of the action's form when
// that form comes back with an error, else "".
func (d *dmShowData) Val(act, field string) string {
	if d.Open != act || d.Form == nil {
		return ""
	}
	return d.Form.Get(field)
}

// UploadForm reports whether the 附件 card shows the upload form.
func (d *dmShowData) UploadForm() bool { return d.CanAttach && !d.Full }

// Err returns the error of a field of the action's form.
func (d *dmShowData) Err(act, field string) string {
	if d.Open != act {
		return ""
	}
	return d.Errors[field]
}

// Coop reports whether dept is a cooperating department in the assign
// form: as typed after an error, else as the demand has it.
func (d *dmShowData) Coop(dept int64) bool {
	if d.Open == string(zhagen.ActAssign) && d.Form != nil {
		return slices.Contains(d.Form["coop_dept_ids"], strconv.FormatInt(dept, 10))
	}
	return slices.Contains(d.D.CoopDeptIDs, dept)
}

// Lead is the lead department preselected in the assign form.
func (d *dmShowData) Lead() int64 {
	if d.Open == string(zhagen.ActAssign) && d.Form != nil {
		n, _ := strconv.ParseInt(d.Form.Get("lead_dept_id"), 10, 64)
		return n
	}
	if d.D.Status == zhagen.DemandReturned {
		return 0 // the department that returned it said it is not theirs
	}
	return d.D.LeadDeptID
}

// demandShow is GET /demands/{id}.
func (h *Handler) demandShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderDemand(w, r, http.StatusOK, id, &dmShowData{})
}

func (h *Handler) renderDemand(w http.ResponseWriter, r *http.Request, status int, id int64, sd *dmShowData) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermDemandView) {
		h.forbidden(w, r, zhagen.PermDemandView)
		return
	}
	d, err := h.cfg.Demands.FindDemandByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sd.D, sd.SLA, sd.Gov = d, h.sla(r, d), zhagen.SeesOthers(a, zhagen.PermEnterpriseView)
	if sd.refused != nil {
		sd.ActionError = h.refusal(r, a, d, *sd.refused, sd.ActionError)
	}
	if sd.Events, err = h.cfg.Demands.FindDemandEvents(ctx(r), id); err != nil {
		h.fail(w, r, err)
		return
	}
	linked, err := h.cfg.Demands.FindLinkedDemands(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sd.Linked = h.rows(r, linked)
	if sd.Files, err = h.cfg.Files.FindFiles(ctx(r), zhagen.DemandFiles(id)); err != nil {
		h.fail(w, r, err)
		return
	}
	// The service's rule for uploads: the policy's PermDemandAttach, while
	// the demand takes files.
	rule, _ := zhagen.FileRuleFor(zhagen.FileOfDemand)
	sd.CanAttach = zhagen.Can(a, zhagen.PermDemandAttach, zhagen.DemandFacts(d, false, 0)) && d.Status.TakesFiles()
	sd.MaxFiles = rule.MaxCount
	sd.Full = len(sd.Files) >= sd.MaxFiles
	if len(d.Answers) > 0 {
		cat, err := h.cfg.Categories.FindCategoryByID(ctx(r), d.CategoryID)
		if err != nil && zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			h.fail(w, r, err)
			return
		}
		sd.Answers = answerRows(cat, d.Answers)
	}
	if sd.Consults, err = h.demandConsults(r, d); err != nil {
		h.fail(w, r, err)
		return
	}
	sd.Actions = a.AvailableActions(d)
	sd.Has = map[string]bool{}
	for _, act := range sd.Actions {
		sd.Has[string(act)] = true
	}
	if sd.Has[string(zhagen.ActAssign)] {
		if sd.Depts, err = h.deptTree(r); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if err := h.demandKnowledge(r, a, sd); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.replyChoices(r, a, d, sd); err != nil {
		h.fail(w, r, err)
		return
	}
	sd.Priorities = zhagen.Priorities
	sd.Ratings = []zhagen.Rating{zhagen.RatingSatisfied, zhagen.RatingBasically, zhagen.RatingUnsatisfied}
	title := d.Title
	h.render(w, r, status, "demand_show", &page{Title: title, Nav: "demands", Data: sd,
		Crumbs: []crumb{{Label: h.demandListTitle(r, a), Href: "/demands"}, {Label: "#" + strconv.FormatInt(d.ID, 10)}}})
}

// answerRows labels the answers with the category's questions, in the
// questions' order; answers to questions no longer asked come last.
func answerRows(cat *zhagen.Category, ans zhagen.Answers) []answerRow {
	var out []answerRow
	seen := map[string]bool{}
	if cat != nil {
		for _, q := range cat.Questions {
			vals := ans[q.Code]
			seen[q.Code] = true
			if len(vals) == 0 {
				continue
			}
			names := make([]string, len(vals))
			for i, v := range vals {
				names[i] = v
				for _, o := range q.Options {
					if o.Key == v {
						names[i] = o.Name
					}
				}
				if q.Type == zhagen.QDatetime {
					if t, err := zhagen.ParseDateTime(v); err == nil {
						names[i] = t.In(zhagen.Shanghai).Format("2006-01-02 15:04")
					}
				}
			}
			out = append(out, answerRow{Label: q.Label, Value: strings.Join(names, "、")})
		}
	}
	var rest []string
	for code := range ans {
		if !seen[code] {
			rest = append(rest, code)
		}
	}
	slices.Sort(rest)
	for _, code := range rest {
		out = append(out, answerRow{Label: code, Value: strings.Join(ans[code], "、")})
	}
	return out
}

// formHasField reports whether the form of act has the field, as the
// workflow's table of actions declares its inputs: an error on a field
// of the form is shown next to it, any other at the top of the panel.
func formHasField(act zhagen.Action, field string) bool {
	return slices.ContainsFunc(zhagen.ActionFields(act), func(f zhagen.ActionField) bool { return f.Name == field })
}

// transitionFromForm reads an action form into a Transition.
func transitionFromForm(f url.Values) zhagen.Transition {
	t := zhagen.Transition{
		Action: zhagen.Action(f.Get("action")), Note: f.Get("note"), Priority: zhagen.Priority(f.Get("priority")),
		Rating: zhagen.Rating(f.Get("rating")), Consultation: f.Get("consultation"),
		Resolution: f.Get("resolution"), Supplement: f.Get("supplement"),
	}
	t.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	t.LeadDeptID, _ = strconv.ParseInt(f.Get("lead_dept_id"), 10, 64)
	for _, s := range f["coop_dept_ids"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			t.CoopDeptIDs = append(t.CoopDeptIDs, n)
		}
	}
	t.TargetID, _ = strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(f.Get("target_id")), "#"), 10, 64)
	if s := strings.TrimSpace(f.Get("days")); s != "" {
		t.Days, _ = strconv.Atoi(s)
	}
	yesNo := func(k string) *bool {
		switch f.Get(k) {
		case "1":
			return new(true)
		case "0":
			return new(false)
		}
		return nil
	}
	t.Approve, t.Solved = yesNo("approve"), yesNo("solved")
	if t.Action == zhagen.ActUpdate {
		t.Public = new(f.Get("internal") != "1")
	}
	return t
}

// demandAction is POST /demands/{id}/actions: one workflow step. A
// refusal shows the detail page again with the message at the top of the
// actions panel (ECONFLICT, EFORBIDDEN) or next to the field (EINVALID).
func (h *Handler) demandAction(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	t := transitionFromForm(r.PostForm)
	_, err := h.cfg.Demands.Transition(ctx(r), id, t)
	if err == nil {
		key := "dm.flash.done"
		if h.cat.Has("dm.flash." + string(t.Action)) {
			key = "dm.flash." + string(t.Action)
		}
		h.redirectFlash(w, r, demandPath(id), key)
		return
	}
	sd := &dmShowData{Open: string(t.Action), Form: r.PostForm}
	status := http.StatusUnprocessableEntity
	switch zhagen.ErrorCode(err) {
	case zhagen.EINVALID:
		sd.Errors = zhagen.FieldErrors(err)
		shown := false
		for f := range sd.Errors {
			shown = shown || formHasField(t.Action, f)
		}
		if !shown {
			sd.ActionError = zhagen.ErrorMessage(err)
		}
	case zhagen.ECONFLICT:
		status, sd.ActionError, sd.refused = http.StatusConflict, zhagen.ErrorMessage(err), &t
	case zhagen.EFORBIDDEN:
		status, sd.ActionError, sd.refused = http.StatusForbidden, zhagen.ErrorMessage(err), &t
	default:
		h.fail(w, r, err)
		return
	}
	h.renderDemand(w, r, status, id, sd)
}

// refusal returns msg, the service's refusal of t, in the reader's
// language when it is the workflow policy's: the actor may not take the
// action (EFORBIDDEN) or the demand's status does not allow it
// (ECONFLICT). The domain writes those with its Chinese labels; asking
// the same policy again on the demand as it is now (zhagen.CheckTransition)
// tells them apart from other refusals, which keep the service's message.
func (h *Handler) refusal(r *http.Request, a *zhagen.Actor, d *zhagen.Demand, t zhagen.Transition, msg string) string {
	err := zhagen.CheckTransition(d, a, t.Action)
	if err == nil || zhagen.ErrorMessage(err) != msg {
		return msg
	}
	act := h.tr(r, "dm.action."+string(t.Action))
	switch zhagen.ErrorCode(err) {
	case zhagen.EFORBIDDEN:
		return h.tr(r, "dm.err.forbidden_action", act)
	case zhagen.ECONFLICT:
		return h.tr(r, "dm.err.status_action", h.tr(r, "dm.status."+string(d.Status)), act)
	}
	return msg
}
