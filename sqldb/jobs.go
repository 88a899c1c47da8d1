package sqldb

import (
	"context"
	"time"

	"zhagen"
)

// ClaimTick reports whether this process is the first to claim the given
// tick of a job. With several servers on one database exactly one of them
// gets true for each tick, so a job runs once per tick.
func (db *DB) ClaimTick(ctx context.Context, job string, tick int64) (bool, error) {
	res, err := db.exec(ctx, `UPDATE job_ticks SET tick = ? WHERE name = ? AND tick < ?`, tick, job, tick)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil
	}
	var cur int64
	err = db.queryRow(ctx, `SELECT tick FROM job_ticks WHERE name = ?`, job).Scan(&cur)
	if err == nil {
		return false, nil // claimed by another server
	}
	if !isNoRows(err) {
		return false, err
	}
	_, err = db.exec(ctx, `INSERT INTO job_ticks (name, tick) VALUES (?, ?)`, job, tick)
	if isUniqueViolation(err) {
		return false, nil
	}
	return err == nil, err
}

// SLAResult counts what one run of the SLA job did.
type SLAResult struct {
	Checked, Yellow, Red, AutoClosed int
}

// RunSLAJob recomputes at now the warning level of the running demands
// whose watch time has come (watch.go): a change to yellow or red is
// written, put on the timeline and told to the lead department's staff
// and the dispatchers. It then closes resolved demands left unrated past
// their category's days. The ladder job, run after it, moves the watch
// times on.
func (s *DemandService) RunSLAJob(ctx context.Context, now time.Time) (SLAResult, error) {
	var res SLAResult
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return res, err
	}
	if _, err := s.markLapses(ctx, now); err != nil { // rollup_lapse.go
		return res, err
	}
	// Through demands_watch: "is_open IS TRUE" keeps SQLite off
	// demands_open_due (every open demand), and PostgreSQL plans for the
	// time.
	rows, err := s.db.queryForValues(ctx, `SELECT id, resolution_due, budget_secs, sla_level FROM demands
		WHERE watch_at <= ? AND is_open IS TRUE AND paused_at IS NULL AND resolution_due IS NOT NULL AND status <> 'waiting'`, now.UTC())
	if err != nil {
		return res, err
	}
	type change struct {
		id          int64
		from, level zhagen.SLALevel
	}
	var changes []change
	for rows.Next() {
		var id, budget int64
		var due time.Time
		var level zhagen.SLALevel
		if err := rows.Scan(&id, &due, &budget, &level); err != nil {
			rows.Close()
			return res, err
		}
		res.Checked++
		r := demandRow{Demand: &zhagen.Demand{Status: zhagen.DemandInProgress, ResolutionDue: &due, SLALevel: level}, budget: time.Duration(budget) * time.Second}
		if nl := zhagen.DemandLevelAt(cal, now, r.Demand, r.budget); nl != level {
			changes = append(changes, change{id, level, nl})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	for _, c := range changes {
		changed, err := s.setLevel(ctx, c.id, c.from, c.level)
		if err != nil {
			return res, err
		} else if !changed {
			continue
		}
		switch c.level {
		case zhagen.SLAYellow:
			res.Yellow++
		case zhagen.SLARed:
			res.Red++
		}
	}
	n, err := s.autoClose(ctx, now)
	res.AutoClosed = n
	return res, err
}

// setLevel moves demand id from level from to level, with its timeline
// event and notice. It reports false when the demand is no longer at
// from: another run (or a step) moved it first.
func (s *DemandService) setLevel(ctx context.Context, id int64, from, level zhagen.SLALevel) (bool, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var title, status string
	var lead int64
	var due time.Time
	if err := tx.queryRow(ctx, `SELECT title, status, COALESCE(lead_dept_id, 0), resolution_due FROM demands WHERE id = ?`, id).Scan(&title, &status, &lead, &due); err != nil {
		return false, err
	}
	res, err := tx.exec(ctx, `UPDATE demands SET sla_level = ? WHERE id = ? AND sla_level = ?`, string(level), id, string(from))
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	tx.bumpGeneration("demand_levels") // lists count by level (countcache.go: columnGenerations)
	if level == zhagen.SLAOK {
		return true, tx.Commit()
	}
	ctx = zhagen.NewContextWithActor(ctx, nil)
	st := zhagen.DemandStatus(status)
	if err := tx.event(ctx, id, st, st, zhagen.ActWarn, zhagen.SLAWarningNote(level, due), false); err != nil {
		return false, err
	}
	d := &zhagen.Demand{ID: id, Title: title, LeadDeptID: lead, ResolutionDue: &due}
	if err := tx.enqueue(ctx, zhagen.NoticeSLA(d, level)); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// autoClose closes resolved demands whose rating period has passed.
func (s *DemandService) autoClose(ctx context.Context, now time.Time) (int, error) {
	rows, err := s.db.query(ctx, `SELECT d.id, d.resolved_at, c.auto_close_days FROM demands d JOIN categories c ON c.id = d.category_id WHERE d.status = 'resolved'`)
	if err != nil {
		return 0, err
	}
	var due []int64
	for rows.Next() {
		var id int64
		var at time.Time
		var days int
		if err := rows.Scan(&id, &at, &days); err != nil {
			rows.Close()
			return 0, err
		}
		if !at.AddDate(0, 0, days).After(now) {
			due = append(due, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sys := zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
	n := 0
	for _, id := range due {
		_, err := s.Transition(sys, id, zhagen.Transition{Action: zhagen.ActClose})
		if zhagen.ErrorCode(err) == zhagen.ECONFLICT {
			continue // rated or reopened meanwhile
		} else if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
