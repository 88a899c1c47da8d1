package sqldb

import (
	"context"
	"sort"
	"time"

	"zhagen"
)

// bulletinCases is how many overdue and supervised cases a bulletin names.
const bulletinCases = 10

// bulletinContent computes what b reports from the kept figures.
func (s *OversightService) bulletinContent(ctx context.Context, b *zhagen.Bulletin) (*zhagen.BulletinContent, error) {
	m, ok := zhagen.ParseMonth(b.Month)
	if !ok {
		return nil, zhagen.Errorf(zhagen.EINVALID, "通报月份有误")
	}
	month := m.Format("2006-01")
	c := &zhagen.BulletinContent{Month: month, Generated: s.db.now()}
	trend, err := s.rates.DemandTrend(ctx, zhagen.TrendFilter{From: m.AddDate(0, -11, 0).Format("2006-01"), To: month})
	if err != nil {
		return nil, err
	}
	c.Trend = trend.Months
	if n := len(c.Trend); n > 0 {
		c.This = c.Trend[n-1].TrendCounts
		if n > 1 {
			c.Prev = c.Trend[n-2].TrendCounts
		}
	}
	rk, err := s.rates.DeptRanking(ctx, zhagen.TrendFilter{From: month, To: month})
	if err != nil {
		return nil, err
	}
	c.Weights = rk.Weights
	var ranked []zhagen.DeptScore
	for _, d := range rk.Depts {
		if d.Rank > 0 {
			ranked = append(ranked, d)
		}
	}
	c.Top = ranked[:min(3, len(ranked))]
	for i := len(ranked) - 1; i >= max(len(c.Top), len(ranked)-3); i-- {
		c.Bottom = append(c.Bottom, ranked[i])
	}
	if c.OverdueCount, c.Overdue, err = s.overdueCases(ctx); err != nil {
		return nil, err
	}
	if c.SupervisedCount, c.Supervised, err = s.supervisedCases(ctx, m, m.AddDate(0, 1, 0)); err != nil {
		return nil, err
	}
	if err := s.bulletinCoverage(ctx, c, month); err != nil {
		return nil, err
	}
	if c.Notable, err = s.demandCases(ctx, b.Notable); err != nil {
		return nil, err
	}
	return c, nil
}

const caseSelect = `SELECT d.id, d.title, COALESCE(e.name, ''), COALESCE(dp.name, ''), d.status FROM demands d
	LEFT JOIN enterprises e ON e.id = d.enterprise_id LEFT JOIN departments dp ON dp.id = d.lead_dept_id`

func (s *OversightService) cases(ctx context.Context, query string, args ...any) ([]zhagen.BulletinCase, error) {
	rows, err := s.db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []zhagen.BulletinCase{}
	for rows.Next() {
		var k zhagen.BulletinCase
		var st zhagen.DemandStatus
		if err := rows.Scan(&k.DemandID, &k.Title, &k.Enterprise, &k.Dept, &st); err != nil {
			return nil, err
		}
		k.Status = st.Label()
		out = append(out, k)
	}
	return out, rows.Err()
}

// overdueCases counts the open demands past their limit (亮红灯) and
// names the longest overdue.
func (s *OversightService) overdueCases(ctx context.Context) (int, []zhagen.BulletinCase, error) {
	var n int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM demands WHERE is_open = TRUE AND sla_level = ?`, zhagen.SLALevel("red")).Scan(&n); err != nil {
		return 0, nil, err
	}
	cs, err := s.cases(ctx, caseSelect+` WHERE d.is_open = TRUE AND d.sla_level = ? ORDER BY d.resolution_due, d.id LIMIT ?`, zhagen.SLALevel("red"), bulletinCases)
	return n, cs, err
}

// supervisedCases counts the supervision orders raised in [from, end)
// and names the first of them.
func (s *OversightService) supervisedCases(ctx context.Context, from, end time.Time) (int, []zhagen.BulletinCase, error) {
	var n int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM supervision_orders WHERE created_at >= ? AND created_at < ?`, from, end).Scan(&n); err != nil {
		return 0, nil, err
	}
	rows, err := s.db.query(ctx, `SELECT COALESCE(so.demand_id, 0), so.subject_title, COALESCE(e.name, ''), dp.name, so.status, so.requirement
		FROM supervision_orders so JOIN departments dp ON dp.id = so.dept_id LEFT JOIN demands d ON d.id = so.demand_id
		LEFT JOIN enterprises e ON e.id = d.enterprise_id WHERE so.created_at >= ? AND so.created_at < ? ORDER BY so.id LIMIT ?`, from, end, bulletinCases)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	out := []zhagen.BulletinCase{}
	for rows.Next() {
		var k zhagen.BulletinCase
		var st zhagen.SupervisionStatus
		if err := rows.Scan(&k.DemandID, &k.Title, &k.Enterprise, &k.Dept, &st, &k.Note); err != nil {
			return 0, nil, err
		}
		k.Status = st.Label()
		out = append(out, k)
	}
	return n, out, rows.Err()
}

// demandCases names the demands ids, in their order.
func (s *OversightService) demandCases(ctx context.Context, ids []int64) ([]zhagen.BulletinCase, error) {
	out := []zhagen.BulletinCase{}
	for _, id := range ids {
		cs, err := s.cases(ctx, caseSelect+` WHERE d.id = ?`, id)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// bulletinCoverage is the month's visits against the cadences, in total
// and per department, and the cadres at the top of the month's ranking.
func (s *OversightService) bulletinCoverage(ctx context.Context, c *zhagen.BulletinContent, month string) error {
	cr, err := s.CadreRanking(ctx, zhagen.TrendFilter{From: month, To: month})
	if err != nil {
		return err
	}
	depts := map[string]*zhagen.Coverage{}
	c.Coverage.Name = "合计"
	for _, k := range cr.Cadres {
		d := depts[k.DeptName]
		if d == nil {
			d = &zhagen.Coverage{ID: k.DeptID, Name: k.DeptName}
			depts[k.DeptName] = d
		}
		d.Linked += k.Due
		d.Visited += k.Done
		c.Coverage.Linked += k.Due
		c.Coverage.Visited += k.Done
		if k.Rank > 0 && len(c.TopCadres) < 5 {
			c.TopCadres = append(c.TopCadres, k)
		}
	}
	pct := func(v *zhagen.Coverage) {
		if v.Linked > 0 {
			v.Percent = float64(int(float64(v.Visited)*1000/float64(v.Linked)+0.5)) / 10
		}
	}
	pct(&c.Coverage)
	for _, d := range depts {
		pct(d)
		c.CoverageDepts = append(c.CoverageDepts, *d)
	}
	sort.Slice(c.CoverageDepts, func(i, j int) bool {
		a, b := c.CoverageDepts[i], c.CoverageDepts[j]
		if a.Percent != b.Percent {
			return a.Percent > b.Percent
		}
		return a.Name < b.Name
	})
	return nil
}
