package api

import (
	"math"
	"net/http"

	"zhagen"
)

// oversightRoutes registers the rankings of departments and cadres, the
// monthly bulletins and the leaders' screen.
func (h *Handler) oversightRoutes() {
	if h.cfg.Oversight == nil || h.cfg.Rates == nil {
		return
	}
	h.handle("GET", "/api/v1/rankings", h.rankings)
	h.handle("GET", "/api/v1/bulletins", h.listBulletins)
	h.handle("POST", "/api/v1/bulletins", h.createBulletin)
	h.handle("GET", "/api/v1/bulletins/{id}", h.getBulletin)
	h.handle("POST", "/api/v1/bulletins/{id}/notable", h.bulletinNotable)
	h.handle("POST", "/api/v1/bulletins/{id}/commentary", h.bulletinCommentary)
	h.handle("POST", "/api/v1/bulletins/{id}/issue", h.issueBulletin)
	h.handle("GET", "/api/v1/screen", h.screen)
}

type cadreRowJSON struct {
	zhagen.CadreScore
	Score       *float64 `json:"score"`
	CadenceRate *float64 `json:"cadence_rate"`
	FilingRate  *float64 `json:"filing_rate"`
	OutcomeRate *float64 `json:"outcome_rate"`
}

// rankings is GET /api/v1/rankings: the departments in the caller's
// rates scope and, for those who may see it, the cadres, over the same
// months, each with the weights it was scored under.
func (h *Handler) rankings(w http.ResponseWriter, r *http.Request) error {
	f, err := trendFilter(r)
	if err != nil {
		return err
	}
	rk, err := h.cfg.Rates.DeptRanking(r.Context(), f)
	if err != nil {
		return err
	}
	type deptRow struct {
		Rank     int      `json:"rank"`
		DeptID   int64    `json:"dept_id"`
		DeptName string   `json:"dept_name"`
		Score    *float64 `json:"score"`
		trendCountsJSON
	}
	out := struct {
		From         string                `json:"from"`
		To           string                `json:"to"`
		Weights      zhagen.RankingWeights `json:"weights"`
		Depts        []deptRow             `json:"depts"`
		CadreWeights *zhagen.CadreWeights  `json:"cadre_weights"`
		Cadres       []cadreRowJSON        `json:"cadres"`
	}{From: rk.From, To: rk.To, Weights: rk.Weights, Depts: []deptRow{}}
	for _, d := range rk.Depts {
		row := deptRow{Rank: d.Rank, DeptID: d.DeptID, DeptName: d.DeptName, trendCountsJSON: toTrendCounts(d.TrendCounts)}
		if d.Rank > 0 {
			v := math.Round(d.Score*100) / 100
			row.Score = &v
		}
		out.Depts = append(out.Depts, row)
	}
	if zhagen.CanAny(zhagen.ActorFromContext(r.Context()), zhagen.PermCadreRanking) {
		f.From, f.To = rk.From, rk.To
		cr, err := h.cfg.Oversight.CadreRanking(r.Context(), f)
		if err != nil {
			return err
		}
		out.CadreWeights, out.Cadres = &cr.Weights, []cadreRowJSON{}
		for _, c := range cr.Cadres {
			row := cadreRowJSON{CadreScore: c, CadenceRate: round4(c.CadenceRate()), FilingRate: round4(c.FilingRate()), OutcomeRate: round4(c.OutcomeRate())}
			if c.Rank > 0 {
				v := math.Round(c.Score*100) / 100
				row.Score = &v
			}
			out.Cadres = append(out.Cadres, row)
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// bulletinJSON is a bulletin with its heading and number.
type bulletinJSON struct {
	*zhagen.Bulletin
	Title string `json:"title"`
	Issue string `json:"issue"`
}

func toBulletinJSON(b *zhagen.Bulletin) bulletinJSON { return bulletinJSON{b, b.Title(), b.Issue()} }

func (h *Handler) listBulletins(w http.ResponseWriter, r *http.Request) error {
	bs, err := h.cfg.Oversight.FindBulletins(r.Context())
	if err != nil {
		return err
	}
	items := make([]bulletinJSON, len(bs))
	for i, b := range bs {
		items[i] = toBulletinJSON(b)
	}
	return writeJSON(w, http.StatusOK, list[bulletinJSON]{Items: items, Total: len(items)})
}

func (h *Handler) createBulletin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Month string `json:"month"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	b, err := h.cfg.Oversight.CreateBulletin(r.Context(), in.Month)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toBulletinJSON(b))
}

func (h *Handler) getBulletin(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	b, err := h.cfg.Oversight.FindBulletin(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toBulletinJSON(b))
}

// bulletinChange decodes a change of a draft (its version and fields
// into in) and runs it.
func (h *Handler) bulletinChange(w http.ResponseWriter, r *http.Request, in any, version *int64, do func(id int64) (*zhagen.Bulletin, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := decode(r, in); err != nil {
		return err
	}
	if *version <= 0 {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "version", Message: "请提供通报的当前版本号"}
	}
	b, err := do(id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toBulletinJSON(b))
}

func (h *Handler) bulletinNotable(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Version   int64   `json:"version"`
		DemandIDs []int64 `json:"demand_ids"`
	}
	return h.bulletinChange(w, r, &in, &in.Version, func(id int64) (*zhagen.Bulletin, error) {
		return h.cfg.Oversight.SetNotable(r.Context(), id, in.Version, in.DemandIDs)
	})
}

func (h *Handler) bulletinCommentary(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Version    int64  `json:"version"`
		Commentary string `json:"commentary"`
	}
	return h.bulletinChange(w, r, &in, &in.Version, func(id int64) (*zhagen.Bulletin, error) {
		return h.cfg.Oversight.SetCommentary(r.Context(), id, in.Version, in.Commentary)
	})
}

func (h *Handler) issueBulletin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Version int64 `json:"version"`
	}
	return h.bulletinChange(w, r, &in, &in.Version, func(id int64) (*zhagen.Bulletin, error) {
		return h.cfg.Oversight.IssueBulletin(r.Context(), id, in.Version)
	})
}

func (h *Handler) screen(w http.ResponseWriter, r *http.Request) error {
	sd, err := h.cfg.Oversight.Screen(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sd)
}
