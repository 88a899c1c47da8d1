package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

type dmFormData struct {
	D           *zhagen.Demand // as typed
	Cat         *zhagen.Category
	Categories  []catGroup
	Enterprises []*zhagen.Enterprise
	Priorities  []zhagen.Priority
	Channels    []zhagen.Channel // choices; one means fixed
	PickEnt     bool             // government submitters choose the enterprise
	PickPrio    bool             // government submitters may set the priority
	EntName     string           // an enterprise user's own enterprise
	Key         string           // idempotency key of this form
	Errors      map[string]string
	Error       string
	// Similar shows the panel of similar demands and knowledge-base
	// answers that follows what the user types.
	Similar bool
	// FileAgain names a valid file the form came back without: browsers
	// do not keep a chosen file, so it must be chosen again.
	FileAgain string
}

// dmQuestionsData is the data of the category's extra questions block.
type dmQuestionsData struct {
	Cat     *zhagen.Category
	Answers zhagen.Answers
	Errors  map[string]string
}

// channelsFor returns the intake channels an actor files demands by, the
// default first.
func channelsFor(a *zhagen.Actor) []zhagen.Channel {
	switch {
	case a.Has(zhagen.RoleDispatcher, zhagen.RoleAdmin):
		return []zhagen.Channel{zhagen.ChannelDispatcher, zhagen.ChannelHotline}
	case a.Has(zhagen.RoleCadre):
		return []zhagen.Channel{zhagen.ChannelVisit}
	}
	return []zhagen.Channel{zhagen.ChannelPortal}
}

// newFormKey returns a random key that makes a form's submission
// idempotent: a second POST of the same form returns the first demand.
func newFormKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// demandNew is GET /demands/new; ?category_id= preselects a category and
// ?enterprise_id= an enterprise.
func (h *Handler) demandNew(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermDemandCreate) {
		h.forbidden(w, r, zhagen.PermDemandCreate)
		return
	}
	d := &zhagen.Demand{Channel: channelsFor(a)[0], Answers: zhagen.Answers{}}
	d.CategoryID, _ = strconv.ParseInt(r.URL.Query().Get("category_id"), 10, 64)
	d.EnterpriseID, _ = strconv.ParseInt(r.URL.Query().Get("enterprise_id"), 10, 64)
	if zhagen.OwnEnterpriseOnly(a) {
		d.EnterpriseID = a.EnterpriseID
	}
	d.ContactPhone = h.enterprisePhone(r, d.EnterpriseID)
	h.renderDemandForm(w, r, http.StatusOK, &dmFormData{D: d, Key: newFormKey()})
}

// enterprisePhone is the first phone among the enterprise's contacts, to
// fill the demand form's contact phone; "" when none or out of sight.
func (h *Handler) enterprisePhone(r *http.Request, id int64) string {
	if id == 0 {
		return ""
	}
	e, err := h.cfg.Enterprises.FindEnterpriseByID(ctx(r), id)
	if err != nil {
		return ""
	}
	for _, c := range e.Contacts {
		if c.Phone != "" {
			return c.Phone
		}
	}
	return ""
}

// demandFromForm reads the submit form. Values are kept as typed; the
// answers are those of the chosen category's questions.
func (h *Handler) demandFromForm(r *http.Request, a *zhagen.Actor) (*zhagen.Demand, *zhagen.Category) {
	r.ParseForm()
	f := r.PostForm
	d := &zhagen.Demand{
		Title: f.Get("title"), Description: f.Get("description"), ContactPhone: f.Get("contact_phone"),
		Address: f.Get("address"), Priority: zhagen.Priority(f.Get("priority")), Answers: zhagen.Answers{},
	}
	d.CategoryID, _ = strconv.ParseInt(f.Get("category_id"), 10, 64)
	chans := channelsFor(a)
	d.Channel = chans[0]
	if c := zhagen.Channel(f.Get("channel")); slices.Contains(chans, c) {
		d.Channel = c
	}
	if zhagen.OwnEnterpriseOnly(a) {
		d.EnterpriseID = a.EnterpriseID
	} else {
		// The service reports a missing or unknown enterprise.
		d.EnterpriseID, _ = strconv.ParseInt(strings.TrimSpace(f.Get("enterprise_id")), 10, 64)
	}
	if !zhagen.Can(a, zhagen.PermDemandPrioritize, zhagen.Facts{}) {
		d.Priority = "" // the category's default
	}
	var cat *zhagen.Category
	if d.CategoryID != 0 {
		if c, err := h.cfg.Categories.FindCategoryByID(ctx(r), d.CategoryID); err == nil {
			cat = c
			for _, q := range c.Questions {
				for _, v := range f["answers."+q.Code] {
					if strings.TrimSpace(v) != "" {
						d.Answers[q.Code] = append(d.Answers[q.Code], v)
					}
				}
			}
		}
	}
	return d, cat
}

// demandCreate is POST /demands, a multipart form with an optional file.
// A file that would be refused sends the form back with its error and
// nothing is created.
func (h *Handler) demandCreate(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermDemandCreate) {
		h.forbidden(w, r, zhagen.PermDemandCreate)
		return
	}
	file, err := h.readUpload(w, r)
	if err != nil && zhagen.ErrorCode(err) != zhagen.EINVALID {
		h.fail(w, r, err)
		return
	}
	typed, cat := h.demandFromForm(r, a)
	key := r.PostForm.Get("key")
	if key == "" {
		key = newFormKey()
	}
	fd := &dmFormData{D: typed, Cat: cat, Key: key}
	if err == nil && file != nil {
		_, err = zhagen.CheckFile(zhagen.FileOfDemand, file.Name, file.Data)
	}
	if err != nil {
		// Report the other fields the form can check too, so one round
		// trip shows every mistake.
		check := *typed
		fd.Errors = zhagen.FieldErrors(check.Validate())
		if fd.Errors == nil {
			fd.Errors = map[string]string{}
		}
		fd.Errors["file"] = zhagen.FieldErrors(err)["file"]
		h.renderDemandForm(w, r, http.StatusUnprocessableEntity, fd)
		return
	}
	d := *typed
	d.Answers = zhagen.Answers{}
	for k, v := range typed.Answers {
		d.Answers[k] = slices.Clone(v)
	}
	err = h.cfg.Demands.CreateDemand(ctx(r), &d, key)
	if err == nil {
		h.redirectFlash(w, r, demandPath(d.ID), h.attachNew(r, d.ID, file))
		return
	}
	if file != nil {
		fd.FileAgain = file.Name
	}
	status := http.StatusUnprocessableEntity
	switch zhagen.ErrorCode(err) {
	case zhagen.EINVALID:
		fd.Errors = zhagen.FieldErrors(err)
		if len(fd.Errors) == 0 {
			fd.Error = zhagen.ErrorMessage(err)
		}
	case zhagen.ECONFLICT:
		fd.Error = zhagen.ErrorMessage(err)
	case zhagen.EFORBIDDEN:
		// Not for this enterprise (a cadre's unlinked one): say so next
		// to the enterprise and keep what was typed.
		status, fd.Errors = http.StatusForbidden, map[string]string{"enterprise_id": zhagen.ErrorMessage(err)}
	default:
		h.fail(w, r, err)
		return
	}
	h.renderDemandForm(w, r, status, fd)
}

// attachNew attaches the submit form's file to the demand just created
// and returns the flash to show. A second POST of the same form returns
// the same demand, which then already has the file.
func (h *Handler) attachNew(r *http.Request, id int64, file *upload) string {
	if file == nil {
		return "dm.flash.created"
	}
	checked, err := zhagen.CheckFile(zhagen.FileOfDemand, file.Name, file.Data)
	var have []*zhagen.File
	if err == nil {
		have, err = h.cfg.Files.FindFiles(ctx(r), zhagen.DemandFiles(id))
	}
	if err == nil && slices.ContainsFunc(have, func(f *zhagen.File) bool {
		return f.Name == checked.Name && f.SHA256 == checked.SHA256
	}) {
		return "dm.flash.created"
	}
	if err == nil {
		_, err = h.cfg.Files.AddFile(ctx(r), zhagen.DemandFiles(id), file.Name, file.Data)
	}
	if err != nil {
		h.log.Warn("web: attachment of a new demand refused", "demand", id, "err", err)
		return "dm.flash.created_file_failed"
	}
	return "dm.flash.created"
}

func (h *Handler) renderDemandForm(w http.ResponseWriter, r *http.Request, status int, fd *dmFormData) {
	a := actor(r)
	cats, err := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fd.Categories = groupCategories(cats, h.tr(r, "cat.group.other"))
	fd.Similar = h.cfg.Knowledge != nil
	if fd.Cat == nil && fd.D.CategoryID != 0 {
		if i := slices.IndexFunc(cats, func(c *zhagen.Category) bool { return c.ID == fd.D.CategoryID }); i >= 0 {
			fd.Cat = cats[i]
		}
	}
	fd.Channels = channelsFor(a)
	fd.Priorities = zhagen.Priorities
	fd.PickEnt = !zhagen.OwnEnterpriseOnly(a)
	fd.PickPrio = zhagen.Can(a, zhagen.PermDemandPrioritize, zhagen.Facts{})
	if fd.PickEnt {
		// Those who file for any enterprise choose from all of them; a
		// cadre from the enterprises linked to it.
		all, _ := zhagen.ScopeOf(a, zhagen.PermDemandCreate)
		ents, _, err := h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{Sort: "name", Limit: 200, Linked: !all})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		fd.Enterprises = ents
	} else if e, err := h.cfg.Enterprises.FindEnterpriseByID(ctx(r), a.EnterpriseID); err == nil {
		fd.EntName = e.Name
	}
	if len(fd.Errors) > 0 && fd.Error == "" {
		fd.Error = h.tr(r, "form.fix", len(fd.Errors))
	}
	title := h.tr(r, "dm.new")
	if proxy := zhagen.CanAny(a, zhagen.PermDemandAssign); a.Has(zhagen.RoleCadre) && !proxy {
		title = h.tr(r, "nav.dm_cadre_new")
	} else if proxy {
		title = h.tr(r, "nav.dm_proxy")
	}
	h.render(w, r, status, "demand_form", &page{Title: title, Nav: "demand_new", Data: fd,
		Crumbs: []crumb{{Label: h.demandListTitle(r, a), Href: "/demands"}, {Label: title}}})
}

// demandQuestions is GET /demands/questions?category_id=: the extra
// questions of a category, swapped into the form by htmx.
func (h *Handler) demandQuestions(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("category_id"), 10, 64)
	qd := &dmQuestionsData{Answers: zhagen.Answers{}}
	if id > 0 {
		c, err := h.cfg.Categories.FindCategoryByID(ctx(r), id)
		if err != nil && zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			h.fail(w, r, err)
			return
		}
		qd.Cat = c
	}
	h.renderPartial(w, r, "demand_form", "dm_questions", &page{Data: qd})
}

// Questions returns the data of the questions block inside the form.
func (fd *dmFormData) Questions() *dmQuestionsData {
	return &dmQuestionsData{Cat: fd.Cat, Answers: fd.D.Answers, Errors: fd.Errors}
}
