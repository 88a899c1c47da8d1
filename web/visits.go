package web

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhagen"
	"zhagen/sheet"
)

type visitListData struct {
	Rows       []*zhagen.Visit
	Total      int
	Public     bool
	CanLog     bool
	Enterprise int64
	Status     string
	Pager      pager
}

func (h *Handler) visitList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	q := r.URL.Query()
	eid, _ := strconv.ParseInt(q.Get("enterprise_id"), 10, 64)
	d := &visitListData{Public: !zhagen.CanAny(a, zhagen.PermVisitInternal), CanLog: zhagen.CanAny(a, zhagen.PermVisitLog), Enterprise: eid}
	f := zhagen.VisitFilter{EnterpriseID: eid, Limit: perPage, Offset: offset(pageParam(r))}
	f.CadreID, _ = strconv.ParseInt(q.Get("cadre_id"), 10, 64)
	if st := zhagen.VisitStatus(q.Get("status")); st == zhagen.VisitPlanned || st == zhagen.VisitLogged {
		f.Status, d.Status = st, string(st)
	}
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.Visits, sheet.Pages(func(limit, offset int) ([]*zhagen.Visit, int, error) {
			g := f
			g.Limit, g.Offset = limit, offset
			return h.cfg.Linkages.FindVisits(ctx(r), g)
		}))
		return
	}
	rows, total, err := h.cfg.Linkages.FindVisits(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Total, d.Pager = rows, total, newPager(r.URL, total, pageParam(r)).exportable(r)
	p := &page{Title: h.tr(r, "nav.lk_visits"), Nav: "lk_visits", Data: d}
	if partialRequest(r, "vs-results") {
		h.renderPartial(w, r, "visit_list", "vs_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "visit_list", p)
}

type visitShowData struct {
	V         *zhagen.Visit
	Files     []*zhagen.File
	CanUpload bool
	FileError string
	Public    bool
	CanFile   bool
	Cats      []catGroup
	Questions template.HTML // the chosen category's questions
	Answers   zhagen.Answers
	Title     string
	Desc      string
	CatID     int64
	Errors    map[string]string
	Error     string
}

func (h *Handler) visitShow(w http.ResponseWriter, r *http.Request) {
	h.renderVisitShow(w, r, http.StatusOK, &visitShowData{})
}

func (h *Handler) renderVisitShow(w http.ResponseWriter, r *http.Request, status int, d *visitShowData) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	v, err := h.cfg.Linkages.FindVisitByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := actor(r)
	d.V, d.Public = v, !zhagen.CanAny(a, zhagen.PermVisitInternal)
	facts := zhagen.VisitFacts(v, 0, false) // the visit's cadre: what filing and uploading need
	d.CanFile = !d.Public && v.Findings != "" && v.DemandID == 0 && zhagen.Can(a, zhagen.PermVisitDemand, facts)
	d.CanUpload = !d.Public && zhagen.Can(a, zhagen.PermVisitUpload, facts)
	if !d.Public {
		d.Files, _ = h.cfg.Files.FindFiles(ctx(r), zhagen.VisitFiles(id))
	}
	if d.CanFile {
		cats, _ := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{})
		d.Cats = groupCategories(cats, h.tr(r, "cat.group.other"))
		if i := slices.IndexFunc(cats, func(c *zhagen.Category) bool { return c.ID == d.CatID }); i >= 0 && d.CatID != 0 {
			d.Questions = h.questionsHTML(r, &dmQuestionsData{Cat: cats[i], Answers: d.Answers, Errors: d.Errors})
		}
		if d.Desc == "" && d.Title == "" {
			d.Desc = v.Findings
			d.Title = h.tr(r, "vs.to_demand.title", zhagen.CutText(strings.SplitN(v.Findings, "\n", 2)[0], 30))
		}
	}
	title := v.EnterpriseName + " · " + v.Date
	h.render(w, r, status, "visit_show", &page{Title: title, Nav: "lk_visits",
		Crumbs: []crumb{{Label: h.tr(r, "nav.lk_visits"), Href: "/visits"}, {Label: title}}, Data: d})
}

// visitDemand is POST /visits/{id}/demand: the finding becomes a demand
// of the visited enterprise in one step.
func (h *Handler) visitDemand(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	d := &zhagen.Demand{Title: r.PostForm.Get("title"), Description: r.PostForm.Get("description"), Answers: zhagen.Answers{}}
	d.CategoryID, _ = strconv.ParseInt(r.PostForm.Get("category_id"), 10, 64)
	if d.CategoryID != 0 {
		// The answers to the category's questions, as on the demand form.
		if c, err := h.cfg.Categories.FindCategoryByID(ctx(r), d.CategoryID); err == nil {
			for _, q := range c.Questions {
				for _, v := range r.PostForm["answers."+q.Code] {
					if strings.TrimSpace(v) != "" {
						d.Answers[q.Code] = append(d.Answers[q.Code], v)
					}
				}
			}
		}
	}
	err := h.cfg.Linkages.DemandFromVisit(ctx(r), id, d)
	if err == nil {
		h.redirectFlash(w, r, demandPath(d.ID), "vs.flash.demand")
		return
	}
	sd := &visitShowData{Title: d.Title, Desc: d.Description, CatID: d.CategoryID, Answers: d.Answers}
	status, ok := formFailure(err, &sd.Errors, &sd.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if sd.Error == "" && len(sd.Errors) > 0 {
		sd.Error = h.tr(r, "form.fix", len(sd.Errors))
	}
	h.renderVisitShow(w, r, status, sd)
}

// questionsHTML renders the questions block of the demand form (the
// same one GET /demands/questions swaps in) for the visit page.
func (h *Handler) questionsHTML(r *http.Request, qd *dmQuestionsData) template.HTML {
	set, block := h.tmpl.lookup(langOf(r), "demand_form", "dm_questions")
	if set == nil {
		return ""
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, block, &page{Lang: langOf(r), Data: qd}); err != nil {
		h.log.Error("web: visit demand questions", "err", err)
		return ""
	}
	return template.HTML(buf.String())
}

// visitUpload is POST /visits/{id}/files: a photo or file of the visit.
func (h *Handler) visitUpload(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	_, err := h.storeUpload(w, r, zhagen.VisitFiles(id))
	if err == nil {
		h.redirectFlash(w, r, "/visits/"+strconv.FormatInt(id, 10)+"#files", "vs.flash.file")
		return
	}
	sd := &visitShowData{}
	switch zhagen.ErrorCode(err) {
	case zhagen.EINVALID:
		sd.FileError = zhagen.FieldErrors(err)["file"]
		if sd.FileError == "" {
			sd.FileError = zhagen.ErrorMessage(err)
		}
		h.renderVisitShow(w, r, http.StatusUnprocessableEntity, sd)
	default:
		h.fail(w, r, err)
	}
}
