package sqldb

import (
	"context"
	"time"

	"zhagen"
	"zhagen/sla"
)

// Each open demand carries its watch time (demands.watch_at,
// zhagen.NextWatch): when the minute jobs next have to look at it. A
// write sets it (watchAt), and the ladder job, which runs after the SLA
// job, moves it on past what both did (advanceWatches). The jobs read
// only the demands whose time has come. A change of the ladder rules or
// the calendar moves every step, so the first ladder run that sees one,
// and the first of each process, reads every open demand instead.

// watchAt is the watch time of d as written at now under the configured
// ladder rule, NULL when none.
func (s *DemandService) watchAt(ctx context.Context, cal *sla.Calendar, now time.Time, d *zhagen.Demand, budget time.Duration) (any, error) {
	rules, err := s.rules.get(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return watchValue(zhagen.FirstWatch(zhagen.PickLadderRule(rules, d.CategoryID, d.Priority), cal, now, d, budget)), nil
}

func watchValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// watchGenerations are the tables whose change moves the demands' steps.
var watchGenerations = []string{"ladder_rules", "calendar"}

// advanceWatches moves the watch time of each demand of page on to its
// next step after now, the rungs of now having been climbed: to now
// itself when its stored level is not the level of now (the next SLA
// run has to set it). A demand written since it was read (another
// version), or whose level the SLA job set meanwhile, keeps the time
// that write gave it. Demands whose time stays are not written.
func (s *SupervisionService) advanceWatches(ctx context.Context, cal *sla.Calendar, rules []*zhagen.LadderRule, now time.Time, page []ladderDemand) error {
	var tx *Tx
	for _, w := range page {
		d := w.d
		next := now.Truncate(time.Second)
		if zhagen.DemandLevelAt(cal, now, d, w.budget) == d.SLALevel {
			next = zhagen.NextWatch(zhagen.PickLadderRule(rules, d.CategoryID, d.Priority), cal, now, d, w.budget)
		}
		if w.watch != nil && w.watch.Equal(next) || w.watch == nil && next.IsZero() {
			continue
		}
		if tx == nil {
			var err error
			if tx, err = s.db.begin(ctx); err != nil {
				return err
			}
			defer tx.Rollback()
		}
		if err := tx.later(ctx, `UPDATE demands SET watch_at = ? WHERE id = ? AND version = ? AND sla_level = ?`,
			watchValue(next), d.ID, w.version, string(d.SLALevel)); err != nil {
			return err
		}
	}
	if tx == nil {
		return nil
	}
	return tx.Commit()
}
