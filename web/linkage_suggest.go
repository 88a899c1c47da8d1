package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

type suggListData struct {
	Runs     []*zhagen.Suggestion
	CanRun   bool
	Need     string
	Capacity string
	Errors   map[string]string
	Error    string
}

func (h *Handler) suggestionList(w http.ResponseWriter, r *http.Request) {
	h.renderSuggestions(w, r, http.StatusOK, &suggListData{Need: "1", Capacity: "2"})
}

func (h *Handler) renderSuggestions(w http.ResponseWriter, r *http.Request, status int, d *suggListData) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermSuggestionView) {
		h.forbidden(w, r, zhagen.PermSuggestionView)
		return
	}
	runs, err := h.cfg.Linkages.FindSuggestions(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, sg := range runs {
		sg.Message = oneLanguage(sg.Message, langOf(r))
	}
	d.Runs, d.CanRun = runs, zhagen.CanAny(a, zhagen.PermSuggestionRun)
	h.render(w, r, status, "suggestion_list", &page{Title: h.tr(r, "nav.lk_suggest"), Nav: "lk_suggest", Data: d})
}

func (h *Handler) suggestionRun(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	d := &suggListData{Need: r.PostForm.Get("need"), Capacity: r.PostForm.Get("capacity")}
	var p zhagen.SuggestionParams
	var err error
	if p.Need, err = strconv.Atoi(strings.TrimSpace(d.Need)); err != nil {
		d.Errors = map[string]string{"need": h.tr(r, "sg.err.int")}
	}
	if p.Capacity, err = strconv.Atoi(strings.TrimSpace(d.Capacity)); err != nil {
		if d.Errors == nil {
			d.Errors = map[string]string{}
		}
		d.Errors["capacity"] = h.tr(r, "sg.err.int")
	}
	if d.Errors != nil {
		h.renderSuggestions(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	sg, err := h.cfg.Linkages.RunSuggestion(ctx(r), p)
	if err == nil {
		h.redirectFlash(w, r, "/linkage-suggestions/"+strconv.FormatInt(sg.ID, 10), "sg.flash.run")
		return
	}
	status, ok := formFailure(err, &d.Errors, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	h.renderSuggestions(w, r, status, d)
}

func (h *Handler) suggestionShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	sg, err := h.cfg.Linkages.FindSuggestion(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sg.Message = oneLanguage(sg.Message, langOf(r))
	d := struct {
		S         *zhagen.Suggestion
		CanAccept bool
		Pending   int
		Keys      int
		Seniors   int
		Today     string // the default and latest start date of accepted linkages
	}{S: sg, CanAccept: zhagen.CanAny(actor(r), zhagen.PermSuggestionAccept) && sg.Feasible, Today: day(h.clock.Now())}
	for _, p := range sg.Pairs {
		if !p.Accepted {
			d.Pending++
		}
		if p.EnterpriseKey {
			d.Keys++
		}
	}
	title := h.tr(r, "sg.run_n", sg.ID)
	h.render(w, r, http.StatusOK, "suggestion_show", &page{Title: title, Nav: "lk_suggest",
		Crumbs: []crumb{{Label: h.tr(r, "nav.lk_suggest"), Href: "/linkage-suggestions"}, {Label: title}}, Data: d})
}

func (h *Handler) suggestionAccept(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	var ids []int64
	if r.PostForm.Get("all") != "1" {
		for _, s := range r.PostForm["pair"] {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				ids = append(ids, n)
			}
		}
		if len(ids) == 0 {
			h.redirectFlash(w, r, "/linkage-suggestions/"+strconv.FormatInt(id, 10), "sg.flash.none")
			return
		}
	}
	if _, err := h.cfg.Linkages.AcceptSuggestion(ctx(r), id, ids, r.PostForm.Get("start_date")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/linkage-suggestions/"+strconv.FormatInt(id, 10), "sg.flash.accepted")
}

// oneLanguage picks one half of the optimiser's bilingual messages,
// written "中文 (English)": the Chinese one, or the English one for an
// English page. Other messages stay as they are.
func oneLanguage(msg, lang string) string {
	i := strings.Index(msg, " (")
	if i <= 0 || !strings.HasSuffix(msg, ")") {
		return msg
	}
	if lang == langEN {
		return msg[i+2 : len(msg)-1]
	}
	return msg[:i]
}
