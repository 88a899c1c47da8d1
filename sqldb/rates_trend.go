package sqldb

import (
	"context"
	"sort"
	"strings"
	"time"

	"zhagen"
)

var _ zhagen.TrendService = (*RatesService)(nil)

// trendScopeSQL selects the rollup rows (r) an actor reaches through each
// relation of the policy's PermRatesView: the same as ratesScopeSQL, on
// the rollup's department.
var trendScopeSQL = scopeSQL{
	zhagen.RelDeptBelow: subDeptsSQL("r.dept_id"),
}

// trendSums is the SELECT list summing every rollup column.
func trendSums() string {
	var b strings.Builder
	for i, c := range rollupColumns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("SUM(r." + c + ")")
	}
	return b.String()
}

func countsToTrend(c rollupCounts) zhagen.TrendCounts {
	return zhagen.TrendCounts{
		DemandRates: zhagen.DemandRates{DueForResponse: int(c[rcDueResponse]), AcceptedInTime: int(c[rcAcceptedInTime]), Closed: int(c[rcClosed]),
			Solved: int(c[rcSolved]), Rated: int(c[rcRated]), Satisfied: int(c[rcSatisfied]),
			FollowUpReached: int(c[rcFollowUpReached]), FollowUpSolved: int(c[rcFollowUpSolved])},
		Submitted: int(c[rcSubmitted]), Open: int(c[rcOpen]), Awaiting: int(c[rcAwaiting]), Withdrawn: int(c[rcWithdrawn]),
		Accepted: int(c[rcAccepted]), Resolved: int(c[rcResolved]),
		ResponseTimed: int(c[rcResponseTimed]), ResponseHours: float64(c[rcResponseSecs]) / 3600,
		ResolutionTimed: int(c[rcResolutionTimed]), ResolutionHours: float64(c[rcResolutionSecs]) / 3600,
		Overdue: int(c[rcOverdue]), Returns: int(c[rcReturns]), Extensions: int(c[rcExtensions]),
	}
}

// monthKey is a month as the rollups key it (yyyymm).
func monthKey(t time.Time) int {
	y, m, _ := t.Date()
	return y*100 + int(m)
}

// monthRows sums the month rollups in the caller's scope per department
// and month, over the months from..to of f: one indexed range read of at
// most departments × categories × months rows, whatever the number of
// demands.
func (s *RatesService) monthRows(ctx context.Context, f zhagen.TrendFilter, from, to time.Time) (map[int64]map[int]rollupCounts, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	var w where
	if err := scope(a, zhagen.PermRatesView, &w, trendScopeSQL); err != nil {
		return nil, err
	}
	w.add("r.period >= ?", monthKey(from))
	w.add("r.period <= ?", monthKey(to))
	if f.DeptID != 0 {
		w.add("r.dept_id IN (SELECT id FROM departments WHERE path LIKE (SELECT path FROM departments WHERE id = ?) || '%')", f.DeptID)
	}
	if f.CategoryID != 0 {
		w.add("r.category_id = ?", f.CategoryID)
	}
	rows, err := s.db.query(ctx, `SELECT r.dept_id, r.period, `+trendSums()+` FROM demand_rollups_month r`+w.String()+` GROUP BY r.dept_id, r.period`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[int]rollupCounts{}
	for rows.Next() {
		var dept int64
		var period int
		var c rollupCounts
		dest := []any{&dept, &period}
		for i := range c {
			dest = append(dest, &c[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if out[dept] == nil {
			out[dept] = map[int]rollupCounts{}
		}
		out[dept][period] = c
	}
	return out, rows.Err()
}

// DemandTrend returns the monthly trend from the month rollups.
func (s *RatesService) DemandTrend(ctx context.Context, f zhagen.TrendFilter) (*zhagen.Trend, error) {
	from, to, err := f.Period(s.db.now())
	if err != nil {
		return nil, err
	}
	byDept, err := s.monthRows(ctx, f, from, to)
	if err != nil {
		return nil, err
	}
	a, _ := requireActor(ctx)
	end := to.AddDate(0, 1, 0)
	pending, err := s.pendingLapses(ctx, a, f.DeptID, f.CategoryID, &from, &end)
	if err != nil {
		return nil, err
	}
	for k, c := range pending {
		if byDept[k.dept] == nil {
			byDept[k.dept] = map[int]rollupCounts{}
		}
		m := byDept[k.dept][k.day/100]
		m.add(c, 1)
		byDept[k.dept][k.day/100] = m
	}
	names, err := s.db.departmentNames(ctx)
	if err != nil {
		return nil, err
	}
	var months []time.Time
	for m := from; !m.After(to); m = m.AddDate(0, 1, 0) {
		months = append(months, m)
	}
	t := &zhagen.Trend{From: from.Format("2006-01"), To: to.Format("2006-01"), Depts: []zhagen.DeptTrend{}}
	total := make([]zhagen.TrendCounts, len(months))
	for dept, ms := range byDept {
		dt := zhagen.DeptTrend{DeptID: dept, DeptName: names[dept], Months: make([]zhagen.TrendMonth, len(months))}
		for i, m := range months {
			c := countsToTrend(ms[monthKey(m)])
			dt.Months[i] = zhagen.TrendMonth{Month: m.Format("2006-01"), TrendCounts: c}
			dt.Total = dt.Total.Add(c)
			total[i] = total[i].Add(c)
		}
		t.Depts = append(t.Depts, dt)
		t.Total = t.Total.Add(dt.Total)
	}
	if err := s.sortDepts(ctx, t.Depts); err != nil {
		return nil, err
	}
	for i, m := range months {
		t.Months = append(t.Months, zhagen.TrendMonth{Month: m.Format("2006-01"), TrendCounts: total[i]})
	}
	return t, nil
}

// sortDepts orders departments as the organisation tree lists them, the
// demands not routed last.
func (s *RatesService) sortDepts(ctx context.Context, ds []zhagen.DeptTrend) error {
	paths := map[int64]string{}
	rows, err := s.db.query(ctx, `SELECT id, path FROM departments`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return err
		}
		paths[id] = p
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sort.Slice(ds, func(i, j int) bool {
		a, b := ds[i].DeptID, ds[j].DeptID
		if (a == 0) != (b == 0) {
			return b == 0
		}
		if paths[a] != paths[b] {
			return paths[a] < paths[b]
		}
		return a < b
	})
	return nil
}

// DeptRanking ranks the departments by their overall score over the
// trend's period; departments with no score (nothing to rate yet) come
// last, unranked.
func (s *RatesService) DeptRanking(ctx context.Context, f zhagen.TrendFilter) (*zhagen.Ranking, error) {
	t, err := s.DemandTrend(ctx, f)
	if err != nil {
		return nil, err
	}
	w, err := s.RankingWeights(ctx)
	if err != nil {
		return nil, err
	}
	r := &zhagen.Ranking{From: t.From, To: t.To, Weights: w, Depts: []zhagen.DeptScore{}}
	for _, d := range t.Depts {
		if d.DeptID == 0 {
			continue
		}
		sc, ok := d.Total.Score(w)
		ds := zhagen.DeptScore{DeptID: d.DeptID, DeptName: d.DeptName, Score: sc, TrendCounts: d.Total}
		if !ok {
			ds.Score = -1
		}
		r.Depts = append(r.Depts, ds)
	}
	sort.SliceStable(r.Depts, func(i, j int) bool { return r.Depts[i].Score > r.Depts[j].Score })
	for i := range r.Depts {
		if r.Depts[i].Score >= 0 {
			r.Depts[i].Rank = i + 1
		} else {
			r.Depts[i].Score = 0
		}
	}
	return r, nil
}

// RankingWeights returns the stored weights of the overall score.
func (s *RatesService) RankingWeights(ctx context.Context) (zhagen.RankingWeights, error) {
	var w zhagen.RankingWeights
	if _, err := requireActor(ctx); err != nil {
		return w, err
	}
	err := s.db.queryRow(ctx, `SELECT response, resolution, satisfaction, timeliness, version FROM ranking_weights WHERE id = 1`).
		Scan(&w.Response, &w.Resolution, &w.Satisfaction, &w.Timeliness, &w.Version)
	return w, err
}

// SetRankingWeights stores w if its version is current (administrators
// only).
func (s *RatesService) SetRankingWeights(ctx context.Context, w zhagen.RankingWeights) (zhagen.RankingWeights, error) {
	if _, err := permitted(ctx, zhagen.PermRankingWeights, zhagen.Facts{}); err != nil {
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
	res, err := tx.exec(ctx, `UPDATE ranking_weights SET response = ?, resolution = ?, satisfaction = ?, timeliness = ?, version = version + 1, updated_at = ?
		WHERE id = 1 AND version = ?`, w.Response, w.Resolution, w.Satisfaction, w.Timeliness, tx.now, w.Version)
	if err != nil {
		return w, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return w, err
	} else if n != 1 {
		return w, zhagen.Errorf(zhagen.ECONFLICT, "权重已被他人修改，请刷新后重试")
	}
	if err := tx.writeOpLog(ctx, "设置", "综合评分权重", 1, "响应率、解决率、满意率、及时率权重调整"); err != nil {
		return w, err
	}
	if err := tx.Commit(); err != nil {
		return w, err
	}
	return s.RankingWeights(ctx)
}
