package web

import (
	"net/http"
	"slices"
	"strings"

	"zhagen"
)

type jobFilter struct{ Q, Major, Industry, Kind string }

type jobBoardData struct {
	Filter     jobFilter
	Rows       []*zhagen.Position
	Pager      pager
	Industries []string
	Majors     []string
	Filtered   bool
}

// jobBoard is GET /jobs: the approved positions, searchable by keyword,
// major and industry, for anybody.
func (h *Handler) jobBoard(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fl := jobFilter{Q: strings.TrimSpace(q.Get("q")), Major: strings.TrimSpace(q.Get("major")), Industry: q.Get("industry"), Kind: q.Get("kind")}
	f := zhagen.PositionFilter{Query: fl.Q, Major: fl.Major, Industry: fl.Industry, Limit: perPage}
	if zhagen.PositionKind(fl.Kind).Label() != "" {
		f.Kind = zhagen.PositionKind(fl.Kind)
	} else {
		fl.Kind = ""
	}
	pageNum := pageParam(r)
	f.Offset = offset(pageNum)
	rows, total, err := h.cfg.Talent.FindPublicPositions(ctx(r), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &jobBoardData{Filter: fl, Rows: rows, Pager: newPager(r.URL, total, pageNum), Filtered: fl != jobFilter{}}
	all, _, err := h.cfg.Talent.FindPublicPositions(ctx(r), zhagen.PositionFilter{Limit: 200})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, p := range all {
		if !slices.Contains(d.Industries, p.Industry) {
			d.Industries = append(d.Industries, p.Industry)
		}
		for _, m := range p.Majors {
			if !slices.Contains(d.Majors, m) {
				d.Majors = append(d.Majors, m)
			}
		}
	}
	slices.Sort(d.Industries)
	slices.Sort(d.Majors)
	p := &page{Title: h.tr(r, "jobs.title"), Data: d}
	if partialRequest(r, "job-results") {
		h.renderPartial(w, r, "jobs", "job_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "jobs", p)
}

// jobShow is GET /jobs/{id}: one approved position.
func (h *Handler) jobShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	pos, err := h.cfg.Talent.FindPublicPosition(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "job_show", &page{Title: pos.Title, Data: pos})
}
