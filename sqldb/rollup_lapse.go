package sqldb

import (
	"context"
	"time"

	"zhagen"
)

// pendingRespLapse and pendingResLapse select the demands whose lapse is
// still to record once their due time has passed: open, unaccepted (or
// unresolved and running), none recorded. A demand closed past its due
// time had it recorded by the closing step. The partial indexes
// demands_unaccepted and demands_unresolved hold exactly these, so
// finding them costs as many rows as wait on a department, not as many
// as the table holds.
const (
	pendingRespLapse = `(accepted_at IS NULL) AND (resp_lapsed IS NULL) AND (closed_at IS NULL)`
	pendingResLapse  = `is_open AND (resolved_at IS NULL) AND (res_lapsed IS NULL) AND paused_at IS NULL AND status <> 'waiting'`
)

// lapsesMarkedJob names the job_ticks row holding, in Unix seconds, the
// time of the last markLapses run that recorded every lapse due by then.
//
// A demand's lapse is recorded by the step that last wrote it when its
// due time had passed by then (extraAfter), and otherwise by the first
// markLapses run after its due time. So a demand whose due time is at or
// before such a run, and whose lapse is still unrecorded, can only be one
// that run did not see: written by a transaction that began before its
// due time and committed after the run's read. lapseMargin bounds how
// long such a transaction may take. Readers of the pending lapses
// (pendingLapses) then look only at due times after the run less the
// margin, and not at the rows the index kept for the lapses recorded
// before (on PostgreSQL, the demands_unresolved entries of each row's
// earlier version stay until a vacuum and cost a heap read each). So do
// the runs after a process's first, which reads them all.
const (
	lapsesMarkedJob = "lapses_marked"
	lapseMargin     = time.Hour
)

// markLapses records, once per due time, the demands whose response due
// time has passed unaccepted or whose resolution due time has passed
// while they ran unresolved: the passing of time, not a step, makes them
// due for response (响应率's denominator) or overdue. Each is one
// transaction under the demand's row lock: a conditional UPDATE (0 rows:
// a step or another run got there first) and the rollup difference. It
// returns how many it recorded.
func (s *DemandService) markLapses(ctx context.Context, now time.Time) (int, error) {
	var marked *time.Time // nil: the first run of this process reads them all
	if s.lapsesSeen.Load() {
		var err error
		if marked, err = s.db.lapsesMarkedBefore(ctx); err != nil {
			return 0, err
		}
	}
	var ids []int64
	for _, c := range pendingLapseConds(now, marked) {
		rows, err := s.db.queryForValues(ctx, `SELECT id FROM demands WHERE `+c.where, c.args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return 0, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	sys := zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
	n := 0
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		done, err := s.markLapse(sys, id, now)
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	// A run asked for a time yet to come (a test, a catch-up) says nothing
	// of the demands written before that time comes: the mark is never
	// past the clock.
	mark := now
	if c := s.db.now(); c.Before(mark) {
		mark = c
	}
	if _, err := s.db.ClaimTick(ctx, lapsesMarkedJob, mark.Unix()); err != nil { // later runs only move it on
		return n, err
	}
	s.lapsesSeen.Store(true)
	return n, nil
}

// lapseCond selects the demands of one kind of lapse still to record.
type lapseCond struct {
	where string
	args  []any
}

// pendingLapseConds are the conditions on the demands whose response
// and whose resolution lapse are still to record at now, with due times
// after marked when it is set (lapsesMarkedBefore).
func pendingLapseConds(now time.Time, marked *time.Time) [2]lapseCond {
	var out [2]lapseCond
	for i, c := range [2]struct{ pending, due string }{{pendingRespLapse, "response_due"}, {pendingResLapse, "resolution_due"}} {
		out[i] = lapseCond{c.pending + ` AND ` + c.due + ` <= ?`, []any{now.UTC()}}
		if marked != nil {
			out[i].where += ` AND ` + c.due + ` > ?`
			out[i].args = append(out[i].args, marked.UTC())
		}
	}
	return out
}

// lapsesMarkedBefore is the due time at or before which every lapse is
// recorded (lapsesMarkedJob), or nil when no run has recorded them.
func (db *DB) lapsesMarkedBefore(ctx context.Context) (*time.Time, error) {
	var tick int64
	if err := db.queryRow(ctx, `SELECT tick FROM job_ticks WHERE name = ?`, lapsesMarkedJob).Scan(&tick); isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	t := time.Unix(tick, 0).Add(-lapseMargin).UTC()
	return &t, nil
}

// markLapse records the lapses of demand id at now, if any are still to
// record.
func (s *DemandService) markLapse(ctx context.Context, id int64, now time.Time) (bool, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if err := tx.lockRow(ctx, "demands", id); err != nil {
		return false, err
	}
	r, err := s.findRow(ctx, tx, id)
	if err != nil {
		return false, err
	}
	bx, err := tx.loadRollupExtra(ctx, id)
	if err != nil {
		return false, err
	}
	ax := extraAfter(nil, now, r.Demand, r.Demand, bx, false)
	if sameTime(bx.respLapsed, ax.respLapsed) && sameTime(bx.resLapsed, ax.resLapsed) {
		return false, nil
	}
	res, err := tx.exec(ctx, `UPDATE demands SET resp_lapsed = ?, res_lapsed = ? WHERE id = ? AND version = ?`,
		nullTime(ax.respLapsed), nullTime(ax.resLapsed), id, r.Version)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	if err := tx.rollupChange(ctx, r.Demand, bx, r.Demand, ax); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
