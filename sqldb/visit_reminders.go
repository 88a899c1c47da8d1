package sqldb

import (
	"context"
	"time"

	"zhagen"
)

// ReminderResult counts what a reminder run did.
type ReminderResult struct{ Due, Overdue int }

// RunVisitReminders tells each cadre of their linked enterprises whose
// visit is due within 7 days or overdue, at most once per linkage, due
// date and day.
func (s *LinkageService) RunVisitReminders(ctx context.Context, now time.Time) (ReminderResult, error) {
	var res ReminderResult
	ctx = zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
	yes := true
	links, _, err := s.FindLinkages(ctx, zhagen.LinkageFilter{Active: &yes})
	if err != nil {
		return res, err
	}
	day := now.In(zhagen.Shanghai).Format("2006-01-02")
	for _, l := range links {
		l.Overdue, l.DueSoon = false, false
		fillDue(l, day)
		if !l.Overdue && !l.DueSoon {
			continue
		}
		tx, err := s.db.begin(ctx)
		if err != nil {
			return res, err
		}
		// The reminder's key claims it: a run that finds it taken (by
		// this run earlier today, or by another one at the same time)
		// sends nothing.
		claim, err := tx.exec(ctx, `INSERT INTO visit_reminders (linkage_id, due_date, day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, l.ID, l.NextDue, day)
		if err != nil {
			tx.Rollback()
			return res, err
		}
		if n, err := claim.RowsAffected(); err != nil || n != 1 {
			tx.Rollback()
			if err != nil {
				return res, err
			}
			continue
		}
		if l.Overdue {
			res.Overdue++
		} else {
			res.Due++
		}
		if err := tx.enqueue(ctx, zhagen.NoticeVisitDue(l)); err != nil {
			tx.Rollback()
			return res, err
		}
		if err := tx.Commit(); err != nil {
			return res, err
		}
	}
	return res, nil
}
