package sqldb

import (
	"context"
	"sort"
	"time"

	"zhagen"
)

// OversightService implements zhagen.OversightService: the cadres'
// ranking, the monthly bulletins and the leaders' screen. It reads the
// kept figures (rollups) through the rates service and the visits,
// linkages and demands directly.
type OversightService struct {
	db    *DB
	rates *RatesService
}

// NewOversightService returns the oversight service of db.
func NewOversightService(db *DB) *OversightService {
	return &OversightService{db: db, rates: NewRatesService(db)}
}

var _ zhagen.OversightService = (*OversightService)(nil)

// periodDays is the first and last day (YYYY-MM-DD) of the months of f,
// the last not after today, and the instants bounding them.
func (s *OversightService) periodDays(f zhagen.TrendFilter) (string, string, time.Time, time.Time, error) {
	now := s.db.now()
	from, to, err := f.Period(now)
	if err != nil {
		return "", "", from, to, err
	}
	end := to.AddDate(0, 1, 0)
	last := end.AddDate(0, 0, -1)
	if today := now.In(zhagen.Shanghai); last.After(today) {
		last = today
	}
	return from.Format("2006-01-02"), last.Format("2006-01-02"), from, end, nil
}

// CadreRanking ranks the cadres linked to enterprises during the months
// of f: visits due by each linkage's cadence against those logged,
// demands filed from visits and their outcomes.
func (s *OversightService) CadreRanking(ctx context.Context, f zhagen.TrendFilter) (*zhagen.CadreRanking, error) {
	if _, err := permittedSome(ctx, zhagen.PermCadreRanking); err != nil {
		return nil, err
	}
	first, last, from, end, err := s.periodDays(f)
	if err != nil {
		return nil, err
	}
	w, err := s.CadreWeights(ctx)
	if err != nil {
		return nil, err
	}
	byCadre := map[int64]*zhagen.CadreScore{}
	type link struct {
		cadre, ent  int64
		start, stop string
		cadence     int
	}
	var links []link
	rows, err := s.db.query(ctx, `SELECT l.cadre_id, u.name, COALESCE(u.dept_id, 0), COALESCE(d.name, ''), l.enterprise_id, l.start_date, COALESCE(l.end_date, ''), l.cadence_days
		FROM linkages l JOIN users u ON u.id = l.cadre_id LEFT JOIN departments d ON d.id = u.dept_id
		WHERE l.start_date <= ? AND (l.end_date IS NULL OR l.end_date >= ?)`, last, first)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c zhagen.CadreScore
		var k link
		if err := rows.Scan(&c.CadreID, &c.CadreName, &c.DeptID, &c.DeptName, &k.ent, &k.start, &k.stop, &k.cadence); err != nil {
			rows.Close()
			return nil, err
		}
		if byCadre[c.CadreID] == nil {
			cc := c
			byCadre[c.CadreID] = &cc
		}
		k.cadre = c.CadreID
		links = append(links, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Logged visits per cadre, enterprise and month.
	type key struct {
		cadre, ent int64
		month      string
	}
	visits := map[key]int{}
	rows, err = s.db.query(ctx, `SELECT cadre_id, enterprise_id, SUBSTR(visit_date, 1, 7), COUNT(*) FROM visits WHERE status = ? AND visit_date >= ? AND visit_date <= ?
		GROUP BY cadre_id, enterprise_id, SUBSTR(visit_date, 1, 7)`, zhagen.VisitLogged, first, last)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var k key
		var n int
		if err := rows.Scan(&k.cadre, &k.ent, &k.month, &n); err != nil {
			rows.Close()
			return nil, err
		}
		visits[k] = n
		if c := byCadre[k.cadre]; c != nil {
			c.Visits += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Each month of each linkage asks for its days over the cadence
	// (rounded) visits; the month's visits count up to that.
	seen := map[[2]int64]bool{}
	for _, l := range links {
		c := byCadre[l.cadre]
		if k := [2]int64{l.cadre, l.ent}; !seen[k] {
			c.Linked++
			seen[k] = true
		}
		for m := from; m.Before(end); m = m.AddDate(0, 1, 0) {
			mFirst, mLast := m.Format("2006-01-02"), minDay(m.AddDate(0, 1, -1).Format("2006-01-02"), last)
			due := dueVisits(max(l.start, mFirst), minDay(l.stop, mLast), l.cadence)
			c.Due += due
			c.Done += min(visits[key{l.cadre, l.ent, m.Format("2006-01")}], due)
		}
	}
	if err := s.visitDemands(ctx, byCadre, from, end); err != nil {
		return nil, err
	}
	r := &zhagen.CadreRanking{From: from.Format("2006-01"), To: end.AddDate(0, -1, 0).Format("2006-01"), Weights: w, Cadres: []zhagen.CadreScore{}}
	for _, c := range byCadre {
		sc, ok := c.Scored(w)
		c.Score = sc
		if !ok {
			c.Score = -1
		}
		r.Cadres = append(r.Cadres, *c)
	}
	sort.Slice(r.Cadres, func(i, j int) bool {
		a, b := r.Cadres[i], r.Cadres[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.CadreID < b.CadreID
	})
	for i := range r.Cadres {
		if r.Cadres[i].Score >= 0 {
			r.Cadres[i].Rank = i + 1
		} else {
			r.Cadres[i].Score = 0
		}
	}
	return r, nil
}

// visitDemands adds the demands the cadres filed from visits in
// [from, end) and their outcomes.
func (s *OversightService) visitDemands(ctx context.Context, byCadre map[int64]*zhagen.CadreScore, from, end time.Time) error {
	rows, err := s.db.query(ctx, `SELECT submitter_id, COUNT(*),
		SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), SUM(CASE WHEN status = ? AND solved = TRUE THEN 1 ELSE 0 END)
		FROM demands WHERE channel = ? AND submitter_id IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY submitter_id`,
		zhagen.DemandClosed, zhagen.DemandClosed, zhagen.ChannelVisit, from, end)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n, closed, solved int
		if err := rows.Scan(&id, &n, &closed, &solved); err != nil {
			return err
		}
		if c := byCadre[id]; c != nil {
			c.Filed, c.Closed, c.Solved = n, closed, solved
		}
	}
	return rows.Err()
}

// dueVisits is the visits a cadence of cadence days asks for from first
// to last (YYYY-MM-DD, both included): the days over the cadence,
// rounded to the nearest (a 31-day month of a 30-day cadence asks for
// one); none when last is before first.
func dueVisits(first, last string, cadence int) int {
	a, ok1 := zhagen.ParseDay(first)
	b, ok2 := zhagen.ParseDay(last)
	if !ok1 || !ok2 || b.Before(a) || cadence <= 0 {
		return 0
	}
	days := int(b.Sub(a).Hours()/24+0.5) + 1
	return (2*days + cadence) / (2 * cadence)
}

// minDay is the earlier of two days, an empty one standing for none.
func minDay(a, b string) string {
	if a == "" || b < a {
		return b
	}
	return a
}

// CadreWeights returns the stored weights of the cadres' score.
func (s *OversightService) CadreWeights(ctx context.Context) (zhagen.CadreWeights, error) {
	var w zhagen.CadreWeights
	if _, err := requireActor(ctx); err != nil {
		return w, err
	}
	err := s.db.queryRow(ctx, `SELECT cadence, filing, outcome, version FROM cadre_weights WHERE id = 1`).Scan(&w.Cadence, &w.Filing, &w.Outcome, &w.Version)
	return w, err
}

// SetCadreWeights stores w if its version is current (administrators).
func (s *OversightService) SetCadreWeights(ctx context.Context, w zhagen.CadreWeights) (zhagen.CadreWeights, error) {
	if _, err := permitted(ctx, zhagen.PermCadreWeights, zhagen.Facts{}); err != nil {
		return w, err
	}
	if err := w.Validate(); err != nil {
		return w, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return w, err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE cadre_weights SET cadence = ?, filing = ?, outcome = ?, version = version + 1, updated_at = ? WHERE id = 1 AND version = ?`,
		w.Cadence, w.Filing, w.Outcome, tx.now, w.Version)
	if err != nil {
		return w, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return w, err
	} else if n != 1 {
		return w, zhagen.Errorf(zhagen.ECONFLICT, "权重已被他人修改，请刷新后重试")
	}
	if err := tx.writeOpLog(ctx, "设置", "干部评分权重", 1, "走访完成率、问题发现率、办结成效权重调整"); err != nil {
		return w, err
	}
	if err := tx.Commit(); err != nil {
		return w, err
	}
	return s.CadreWeights(ctx)
}

// DeptSupervisions counts the supervision orders raised in the months of
// f per addressee department.
func (s *OversightService) DeptSupervisions(ctx context.Context, f zhagen.TrendFilter) (map[int64]int, error) {
	if _, err := permittedSome(ctx, zhagen.PermCadreRanking); err != nil {
		return nil, err
	}
	_, _, from, end, err := s.periodDays(f)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT dept_id, COUNT(*) FROM supervision_orders WHERE created_at >= ? AND created_at < ? GROUP BY dept_id`, from, end)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
