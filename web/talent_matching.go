package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhagen"
	"zhagen/sheet"
)

// programmeMatch is POST /programmes/{id}/match: the run goes on in the
// background and the browser is sent to its page, which polls the
// progress until the run ends (a small programme ends at once).
func (h *Handler) programmeMatch(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if !zhagen.CanAny(actor(r), zhagen.PermMatchRun) {
		h.forbidden(w, r, zhagen.PermMatchRun)
		return
	}
	type outcome struct {
		run *zhagen.MatchRun
		err error
	}
	done := make(chan outcome, 1)
	bg := context.WithoutCancel(ctx(r))
	go func() {
		run, err := h.cfg.Talent.RunMatch(bg, id)
		if err != nil && zhagen.ErrorCode(err) == zhagen.EINTERNAL {
			h.log.Error("web: match run", "programme", id, "err", err)
		}
		done <- outcome{run, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			h.fail(w, r, o.err)
			return
		}
		h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d/run", id), "prog.flash.matched")
	case <-time.After(2 * time.Second):
		http.Redirect(w, r, fmt.Sprintf("/programmes/%d/run", id), http.StatusSeeOther)
	}
}

type runData struct {
	P           *zhagen.Programme
	Run         *zhagen.MatchRun
	CanRun      bool
	CanPublish  bool
	CanWithdraw bool // takes graduates out of the programme
	Matched     []*zhagen.MatchResult
	Unmatched   []*zhagen.MatchResult
	ByEnt       []entPlacement
}

type entPlacement struct {
	Name     string
	Capacity int
	Matched  int
	Pct      int // matched per cent of capacity
}

// programmeRun is GET /programmes/{id}/run: the latest run's progress,
// then its audit and results. While it runs, an htmx request that targets
// #run-progress gets only the progress panel.
func (h *Handler) programmeRun(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	p, err := h.cfg.Talent.FindProgrammeByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p.LatestRun == nil {
		h.notFound(w, r)
		return
	}
	run, err := h.cfg.Talent.FindMatchRun(ctx(r), p.LatestRun.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if fm, ok := exportFormat(r); ok {
		serveSheet(h, w, r, fm, sheet.MatchResults, sheet.Slice(run.Results))
		return
	}
	d := &runData{P: p, Run: run}
	d.CanRun, d.CanPublish = zhagen.CanAny(actor(r), zhagen.PermMatchRun), zhagen.CanAny(actor(r), zhagen.PermMatchPublish)
	d.CanWithdraw = grantsEvery(actor(r), zhagen.PermApplicationEdit)
	ents := map[string]*entPlacement{}
	var order []string
	a := actor(r)
	for _, pp := range p.Positions {
		if !zhagen.Can(a, zhagen.PermProgrammeStats, zhagen.ProgrammePositionFacts(pp)) {
			continue // an enterprise sees its own places; a graduate none
		}
		e := ents[pp.EnterpriseName]
		if e == nil {
			e = &entPlacement{Name: pp.EnterpriseName}
			ents[pp.EnterpriseName] = e
			order = append(order, pp.EnterpriseName)
		}
		e.Capacity += pp.Capacity
		e.Matched += pp.Matched
	}
	for _, n := range order {
		e := ents[n]
		if e.Capacity > 0 {
			e.Pct = 100 * e.Matched / e.Capacity
		}
		d.ByEnt = append(d.ByEnt, *e)
	}
	for _, m := range run.Results {
		if m.PositionID != 0 {
			d.Matched = append(d.Matched, m)
		} else {
			d.Unmatched = append(d.Unmatched, m)
		}
	}
	pg := &page{Title: h.tr(r, "run.title"), Nav: "programmes",
		Crumbs: []crumb{{Label: h.tr(r, "nav.programmes"), Href: "/programmes"}, {Label: p.Name, Href: fmt.Sprintf("/programmes/%d", id)}, {Label: h.tr(r, "run.title")}}, Data: d, Export: exportLinks(r)}
	if partialRequest(r, "run-progress") && run.Status == "running" {
		h.renderPartial(w, r, "programme_run", "run_progress", pg)
		return
	}
	if partialRequest(r, "run-progress") {
		w.Header().Set("HX-Refresh", "true")
	}
	h.render(w, r, http.StatusOK, "programme_run", pg)
}

func (h *Handler) programmePublish(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	p, err := h.cfg.Talent.FindProgrammeByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p.LatestRun == nil {
		h.notFound(w, r)
		return
	}
	if _, err := h.cfg.Talent.PublishMatch(ctx(r), p.LatestRun.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d/run", id), "prog.flash.published")
}

type applicantData struct {
	P       *zhagen.Programme
	PP      *zhagen.ProgrammePosition
	Rows    []*zhagen.Applicant
	CanRank bool
	Error   string
}

func (h *Handler) applicantPage(w http.ResponseWriter, r *http.Request, status int, id int64, errMsg string) {
	a := actor(r)
	rows, err := h.cfg.Talent.FindApplicants(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &applicantData{Rows: rows, Error: errMsg}
	// Find the programme and position for the heading.
	pos, err := h.cfg.Talent.FindProgrammePosition(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	full, err := h.cfg.Talent.FindProgrammeByID(ctx(r), pos.ProgrammeID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, pp := range full.Positions {
		if pp.ID == id {
			d.P, d.PP = full, pp
		}
	}
	if d.PP == nil {
		h.notFound(w, r)
		return
	}
	d.CanRank = zhagen.Can(a, zhagen.PermApplicantRank, zhagen.ProgrammePositionFacts(d.PP))
	title := d.PP.EnterpriseName + " · " + d.PP.Title
	h.render(w, r, status, "applicants", &page{Title: title, Nav: "programmes",
		Crumbs: []crumb{{Label: h.tr(r, "nav.programmes"), Href: "/programmes"}, {Label: d.P.Name, Href: fmt.Sprintf("/programmes/%d", d.P.ID)}, {Label: title}}, Data: d})
}

func (h *Handler) applicantList(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.applicantPage(w, r, http.StatusOK, id, "")
}

// applicantRanking is POST /programme-positions/{id}/ranking: the form
// carries one rank field per applicant (rank_<graduate id>); blank ones
// follow the entered ones by score.
func (h *Handler) applicantRanking(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, zhagen.Errorf(zhagen.EBADREQUEST, "%s", h.tr(r, "form.invalid")))
		return
	}
	type entry struct {
		gid  int64
		rank int
	}
	var entries []entry
	for k, vs := range r.PostForm {
		gs, ok := strings.CutPrefix(k, "rank_")
		if !ok || len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		gid, err1 := strconv.ParseInt(gs, 10, 64)
		rank, err2 := strconv.Atoi(strings.TrimSpace(vs[0]))
		if err1 != nil || err2 != nil || rank < 1 {
			h.applicantPage(w, r, http.StatusUnprocessableEntity, id, h.tr(r, "app.err.rank"))
			return
		}
		entries = append(entries, entry{gid, rank})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return int(a.gid - b.gid)
	})
	var ids []int64
	for _, e := range entries {
		ids = append(ids, e.gid)
	}
	if err := h.cfg.Talent.SetRanking(ctx(r), id, ids); err != nil {
		if zhagen.ErrorCode(err) == zhagen.EINVALID {
			h.applicantPage(w, r, http.StatusUnprocessableEntity, id, zhagen.ErrorMessage(err))
			return
		}
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programme-positions/%d", id), "app.flash.ranked")
}
