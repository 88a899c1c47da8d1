package sqldb

import (
	"context"
	"strings"
	"time"

	"zhagen"
)

// BulkLoadDashboard stores n synthetic demands for the dashboard's load
// test (zhagen bench dashboard): filed over the 24 months before now in
// the given categories (each led by its category's lead department) and
// enterprises, in the shape of the demo's year (most accepted within
// hours, some late, most resolved and closed, rated mostly satisfied,
// some auto-closed, a few withdrawn, returned, extended or overdue, the
// last weeks' still open). It writes the demand rows and their rollups,
// whose counts are those of countsOf for each row as stored, so the
// rollups equal what the rows give; it writes no timeline, department
// rows or notices and bypasses the workflow (admin only). seed fixes the
// draw.
func (s *DemandService) BulkLoadDashboard(ctx context.Context, n int, cats []*zhagen.Category, enterprises []int64, now time.Time, seed uint64) error {
	if _, err := permitted(ctx, zhagen.PermDemandBulkLoad, zhagen.Facts{}); err != nil {
		return err
	}
	const cols = 28
	const batch = 500
	const perTx = 20000
	insert := `INSERT INTO demands (enterprise_id, submitter_name, channel, category_id, title, description, priority, lead_dept_id, status, is_open,
		response_due, resolution_due, budget_secs, assigned_at, accepted_at, resolved_at, closed_at, rating, solved, return_count,
		resp_lapsed, res_lapsed, response_secs, resolution_secs, extensions, created_at, updated_at, watch_at) VALUES `
	one := "(" + placeholders(cols) + ")"
	rnd := func(k int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(k))
	}
	rollups := map[rollupKey]rollupCounts{}
	now = now.UTC().Truncate(time.Second)
	span := 730 * 24 * time.Hour
	for start := 0; start < n; start += perTx {
		tx, err := s.db.begin(ctx)
		if err != nil {
			return err
		}
		end := min(start+perTx, n)
		for b := start; b < end; b += batch {
			m := min(batch, end-b)
			var q strings.Builder
			q.WriteString(insert)
			args := make([]any, 0, m*cols)
			for i := 0; i < m; i++ {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString(one)
				d, x := synthDemand(rnd, cats, enterprises, now, span)
				c := countsOf(d, x)
				k := keyOf(d)
				r := rollups[k]
				r.add(c, 1)
				rollups[k] = r
				var solved, watch any
				if d.Solved != nil {
					solved = *d.Solved
				}
				if d.Status.Open() {
					watch = d.CreatedAt.UTC() // the jobs' first run sets its time
				}
				args = append(args, d.EnterpriseID, "压测", "api", d.CategoryID, "压测诉求", "压测诉求", string(d.Priority), d.LeadDeptID,
					string(d.Status), d.Status.Open(), d.ResponseDue.UTC(), d.ResolutionDue.UTC(), int64(117000), d.CreatedAt.UTC(),
					nullTime(d.AcceptedAt), nullTime(d.ResolvedAt), nullTime(d.ClosedAt), string(d.Rating), solved, d.ReturnCount,
					nullTime(x.respLapsed), nullTime(x.resLapsed), nullInt(x.responseSecs), nullInt(x.resolutionSecs), x.extensions,
					d.CreatedAt.UTC(), d.CreatedAt.UTC(), watch)
			}
			if _, err := tx.ExecContext(ctx, s.db.dialect.rebind(q.String()), args...); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.addRollups(ctx, rollups); err != nil {
		return err
	}
	tx.bumpGeneration("demands")
	return tx.Commit()
}

// synthDemand draws one demand of the dashboard bench and its extra
// fields, as the live workflow would have left them at now.
func synthDemand(rnd func(int) int, cats []*zhagen.Category, enterprises []int64, now time.Time, span time.Duration) (*zhagen.Demand, rollupExtra) {
	cat := cats[rnd(len(cats))]
	created := now.Add(-time.Duration(rnd(int(span/time.Minute))) * time.Minute)
	respDue, resDue := created.Add(24*time.Hour), created.Add(7*24*time.Hour)
	d := &zhagen.Demand{EnterpriseID: enterprises[rnd(len(enterprises))], CategoryID: cat.ID, LeadDeptID: cat.LeadDeptID, Priority: zhagen.PriorityNormal,
		CreatedAt: created, ResponseDue: &respDue, ResolutionDue: &resDue, Status: zhagen.DemandAccepted}
	var x rollupExtra
	at := func(t time.Time) *time.Time {
		if t.After(now) {
			return nil
		}
		return &t
	}
	if rnd(100) < 3 { // withdrawn before acceptance
		d.Status, d.ClosedAt = zhagen.DemandWithdrawn, at(created.Add(time.Duration(1+rnd(20))*time.Hour))
		if d.ClosedAt == nil {
			d.Status = zhagen.DemandAssigned
		}
		return d, lapses(d, x, now)
	}
	if rnd(100) < 5 {
		d.ReturnCount = 1
	}
	acc := created.Add(time.Duration(10+rnd(20*60)) * time.Minute)
	if rnd(100) < 7 {
		acc = created.Add(time.Duration(25+rnd(30)) * time.Hour) // late
	}
	if d.AcceptedAt = at(acc); d.AcceptedAt == nil {
		d.Status = zhagen.DemandAssigned
		return d, lapses(d, x, now)
	}
	rs := int64(acc.Sub(created) / time.Second / 3) // office hours are about a third of the day
	x.responseSecs = &rs
	if rnd(100) < 9 {
		x.extensions = 1
		due := resDue.Add(5 * 24 * time.Hour)
		d.ResolutionDue = &due
	}
	res := acc.Add(time.Duration(2+rnd(6*24)) * time.Hour)
	if rnd(100) < 7 {
		res = d.ResolutionDue.Add(time.Duration(1+rnd(96)) * time.Hour) // late
	}
	if d.ResolvedAt = at(res); d.ResolvedAt == nil {
		d.Status = zhagen.DemandInProgress
		return d, lapses(d, x, now)
	}
	ls := int64(res.Sub(created) / time.Second / 3)
	x.resolutionSecs = &ls
	d.Status = zhagen.DemandResolved
	yes, no := true, false
	if rnd(100) < 20 { // left unrated: auto-closed after 7 days
		if d.ClosedAt = at(res.Add(7*24*time.Hour + time.Duration(rnd(60))*time.Minute)); d.ClosedAt != nil {
			d.Status = zhagen.DemandClosed
		}
		return d, lapses(d, x, now)
	}
	if d.ClosedAt = at(res.Add(time.Duration(1+rnd(96)) * time.Hour)); d.ClosedAt == nil {
		return d, lapses(d, x, now)
	}
	d.Status, d.Rating, d.Solved = zhagen.DemandClosed, zhagen.RatingSatisfied, &yes
	switch r := rnd(100); {
	case r < 2:
		d.Rating, d.Solved = zhagen.RatingUnsatisfied, &no // closed by the dispatcher after a second try
	case r < 20:
		d.Rating = zhagen.RatingBasically
		if rnd(100) < 15 {
			d.Solved = &no
		}
	}
	return d, lapses(d, x, now)
}

// lapses records the due times passed by now, as the steps and the SLA
// job would have.
func lapses(d *zhagen.Demand, x rollupExtra, now time.Time) rollupExtra {
	return extraAfter(nil, now, d, d, x, false)
}
