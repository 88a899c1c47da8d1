package sqldb

import (
	"context"
	"time"

	"zhagen"
)

// Screen returns the figures of the leaders' screen: a handful of
// grouped counts over indexed columns and the month rollups.
func (s *OversightService) Screen(ctx context.Context) (*zhagen.ScreenData, error) {
	if _, err := permittedSome(ctx, zhagen.PermScreenView); err != nil {
		return nil, err
	}
	now := s.db.now()
	y, m, d := now.In(zhagen.Shanghai).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, zhagen.Shanghai)
	out := &zhagen.ScreenData{At: now, Parks: []zhagen.ParkCount{}, Behind: []*zhagen.Milestone{}}
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM demands WHERE created_at >= ?`, today).Scan(&out.TodayIntake); err != nil {
		return nil, err
	}
	if err := s.openLights(ctx, &out.Open); err != nil {
		return nil, err
	}
	trend, err := s.rates.DemandTrend(ctx, zhagen.TrendFilter{})
	if err != nil {
		return nil, err
	}
	out.Trend = trend.Months
	if n := len(trend.Months); n > 0 {
		out.Month = trend.Months[n-1].TrendCounts
	}
	last3 := today.AddDate(0, -2, 0).Format("2006-01")
	rk, err := s.rates.DeptRanking(ctx, zhagen.TrendFilter{From: last3})
	if err != nil {
		return nil, err
	}
	for _, d := range rk.Depts {
		if d.Rank > 0 && len(out.Ranking) < 8 {
			out.Ranking = append(out.Ranking, d)
		}
	}
	if err := s.parks(ctx, out); err != nil {
		return nil, err
	}
	return out, s.behind(ctx, out, now)
}

func (s *OversightService) openLights(ctx context.Context, o *zhagen.OpenLights) error {
	rows, err := s.db.query(ctx, `SELECT CASE WHEN status IN (?, ?) THEN '' ELSE sla_level END, COUNT(*) FROM demands WHERE is_open = TRUE GROUP BY 1`,
		zhagen.DemandSubmitted, zhagen.DemandWaiting)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var lvl string
		var n int
		if err := rows.Scan(&lvl, &n); err != nil {
			return err
		}
		switch lvl {
		case "red":
			o.Red += n
		case "yellow":
			o.Yellow += n
		case "":
			o.None += n
		default:
			o.Green += n
		}
	}
	return rows.Err()
}

func (s *OversightService) parks(ctx context.Context, out *zhagen.ScreenData) error {
	rows, err := s.db.query(ctx, `SELECT e.park, COUNT(DISTINCT e.id), COUNT(*) FROM demands d JOIN enterprises e ON e.id = d.enterprise_id
		WHERE d.is_open = TRUE GROUP BY e.park ORDER BY COUNT(*) DESC, e.park`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p zhagen.ParkCount
		if err := rows.Scan(&p.Park, &p.Enterprises, &p.Demands); err != nil {
			return err
		}
		if p.Park == "" {
			p.Park = "未填园区"
		}
		out.Parks = append(out.Parks, p)
	}
	return rows.Err()
}

// behind lists the key projects' milestones past their planned end and
// not finished, the longest behind first.
func (s *OversightService) behind(ctx context.Context, out *zhagen.ScreenData, now time.Time) error {
	rows, err := s.db.query(ctx, `SELECT m.id, m.project_id, p.name, m.phase, m.name, m.planned_start, m.planned_end, m.progress
		FROM milestones m JOIN projects p ON p.id = m.project_id WHERE m.actual_end IS NULL AND m.planned_end < ? ORDER BY m.planned_end, m.id LIMIT 8`, now.Add(-24*time.Hour))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		m := &zhagen.Milestone{Behind: true}
		if err := rows.Scan(&m.ID, &m.ProjectID, &m.ProjectName, &m.Phase, &m.Name, &m.PlannedStart, &m.PlannedEnd, &m.Progress); err != nil {
			return err
		}
		out.Behind = append(out.Behind, m)
	}
	return rows.Err()
}
