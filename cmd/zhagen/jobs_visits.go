package main

import (
	"context"
	"log/slog"
	"time"
)

// runVisitReminders tells cadres of visits due within 7 days and overdue
// ones. The job is claimed per hour; the service itself reminds at most
// once per linkage, due date and day.
func runVisitReminders(ctx context.Context, app *App, log *slog.Logger, now time.Time) {
	if app.Linkages == nil {
		return
	}
	ok, err := app.DB.ClaimTick(ctx, "visit-reminders", now.Unix()/3600)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("job claim", "job", "visit-reminders", "err", err)
		}
		return
	}
	if !ok {
		return
	}
	res, err := app.Linkages.RunVisitReminders(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("visit reminders", "err", err)
		}
		return
	}
	if res.Due+res.Overdue > 0 {
		log.Info("visit reminders", "due", res.Due, "overdue", res.Overdue)
	}
}
