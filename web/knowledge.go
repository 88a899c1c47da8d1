package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

// knowledgeRoutes registers the knowledge base (知识库), the similar
// demands shown while filing, common problems (共性问题) and the
// dispatch model's evaluation, when the knowledge service is set.
func (h *Handler) knowledgeRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	if h.cfg.Knowledge == nil {
		return
	}
	auth("GET /demands/similar", h.demandSimilar)
	auth("GET /knowledge", h.knowledgeList)
	auth("POST /knowledge", h.knowledgeCreate)
	auth("GET /knowledge/{id}", h.knowledgeEdit)
	auth("POST /knowledge/{id}", h.knowledgeUpdate)
	auth("POST /knowledge/{id}/review", h.knowledgeReview)
	auth("POST /knowledge/{id}/helped", h.knowledgeHelped)
	auth("GET /common-problems", h.commonProblems)
	auth("GET /dispatch/eval", h.dispatchEval)
	auth("GET /topics", h.topicList)
	auth("POST /topics", h.topicAdopt)
	auth("POST /topics/{id}/answer", h.topicAnswer)
}

type kbSimilarData struct {
	Similar *zhagen.Similar
	Typed   bool
}

// demandSimilar is GET /demands/similar?title=&description=: the similar
// demands the caller may see and the knowledge-base answers, swapped into
// the filing form by htmx as the user types.
func (h *Handler) demandSimilar(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	text := strings.TrimSpace(q.Get("title") + "\n" + q.Get("description"))
	d := &kbSimilarData{Typed: len([]rune(text)) >= 4}
	if d.Typed {
		s, err := h.cfg.Knowledge.Similar(ctx(r), text, 0)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Similar = s
	}
	h.renderPartial(w, r, "knowledge_list", "kb_similar", &page{Data: d})
}

type kbListData struct {
	Q          string
	Rows       []kbRow
	Categories []catGroup
	Depts      []*zhagen.Department
	AnyDept    bool // the caller keeps every department's entries
	CanReview  bool
	Form       *zhagen.KnowledgeEntry
	Errors     map[string]string
	Error      string
}

type kbRow struct {
	*zhagen.KnowledgeEntry
	CanEdit bool
}

func (h *Handler) knowledgeList(w http.ResponseWriter, r *http.Request) {
	d := &kbListData{Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("from_demand"), 10, 64); id > 0 {
		dm, err := h.cfg.Demands.FindDemandByID(ctx(r), id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Form = &zhagen.KnowledgeEntry{Question: dm.Title, Answer: dm.Resolution, CategoryID: dm.CategoryID, DeptID: dm.LeadDeptID, SourceDemandID: dm.ID}
	}
	h.renderKnowledge(w, r, http.StatusOK, d)
}

// renderKnowledge shows the entries (all, or those like Q) and, for
// those who keep entries, the form: a new one or d.Form again.
func (h *Handler) renderKnowledge(w http.ResponseWriter, r *http.Request, status int, d *kbListData) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermKnowledgeView) {
		h.forbidden(w, r, zhagen.PermKnowledgeView)
		return
	}
	es, err := h.cfg.Knowledge.FindEntries(ctx(r), zhagen.KnowledgeFilter{Q: d.Q, Limit: 200})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, e := range es {
		d.Rows = append(d.Rows, kbRow{KnowledgeEntry: e, CanEdit: zhagen.Can(a, zhagen.PermKnowledgeEdit, zhagen.Facts{DeptID: e.DeptID})})
	}
	d.CanReview = zhagen.CanAny(a, zhagen.PermKnowledgeReview)
	if zhagen.CanAny(a, zhagen.PermKnowledgeEdit) {
		d.AnyDept = zhagen.Can(a, zhagen.PermKnowledgeEdit, zhagen.Facts{})
		if d.Form == nil {
			d.Form = &zhagen.KnowledgeEntry{}
		}
		if !d.AnyDept {
			d.Form.DeptID = a.DeptID
		}
		cats, err := h.cfg.Categories.FindCategories(ctx(r), zhagen.CategoryFilter{})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Categories = groupCategories(cats, h.tr(r, "cat.group.other"))
		if d.AnyDept {
			if d.Depts, err = h.deptTree(r); err != nil {
				h.fail(w, r, err)
				return
			}
		}
	}
	h.render(w, r, status, "knowledge_list", &page{Title: h.tr(r, "nav.knowledge"), Nav: "knowledge", Data: d})
}

func entryFromForm(r *http.Request, a *zhagen.Actor) *zhagen.KnowledgeEntry {
	f := r.PostForm
	e := &zhagen.KnowledgeEntry{Question: f.Get("question"), Answer: f.Get("answer"), Links: f.Get("links"), ValidFrom: f.Get("valid_from"), ValidTo: f.Get("valid_to")}
	e.CategoryID, _ = strconv.ParseInt(f.Get("category_id"), 10, 64)
	e.DeptID, _ = strconv.ParseInt(f.Get("dept_id"), 10, 64)
	e.SourceDemandID, _ = strconv.ParseInt(f.Get("source_demand_id"), 10, 64)
	e.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	if !zhagen.Can(a, zhagen.PermKnowledgeEdit, zhagen.Facts{}) {
		e.DeptID = a.DeptID // a department's staff keep their department's
	}
	return e
}

func (h *Handler) knowledgeCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	e := entryFromForm(r, actor(r))
	h.knowledgeDone(w, r, e, h.cfg.Knowledge.SaveEntry(ctx(r), e))
}

func (h *Handler) knowledgeUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	e := entryFromForm(r, actor(r))
	e.ID = id
	h.knowledgeDone(w, r, e, h.cfg.Knowledge.SaveEntry(ctx(r), e))
}

func (h *Handler) knowledgeDone(w http.ResponseWriter, r *http.Request, e *zhagen.KnowledgeEntry, err error) {
	if err == nil {
		h.redirectFlash(w, r, "/knowledge", "kb.flash.saved")
		return
	}
	d := &kbListData{Form: e}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderKnowledge(w, r, status, d)
}

func (h *Handler) knowledgeEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	e, err := h.cfg.Knowledge.FindEntry(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !zhagen.Can(actor(r), zhagen.PermKnowledgeEdit, zhagen.Facts{DeptID: e.DeptID}) {
		h.forbidden(w, r, zhagen.PermKnowledgeEdit)
		return
	}
	h.renderKnowledge(w, r, http.StatusOK, &kbListData{Form: e})
}

func (h *Handler) knowledgeReview(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	v, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if _, err := h.cfg.Knowledge.ReviewEntry(ctx(r), id, v); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/knowledge", "kb.flash.reviewed")
}

// knowledgeHelped is POST /knowledge/{id}/helped: the enterprise found
// its answer without filing; htmx swaps in the thanks.
func (h *Handler) knowledgeHelped(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Knowledge.EntryHelped(ctx(r), id); err != nil {
		h.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		h.renderPartial(w, r, "knowledge_list", "kb_thanks", &page{})
		return
	}
	h.redirectFlash(w, r, "/knowledge", "kb.flash.helped")
}
