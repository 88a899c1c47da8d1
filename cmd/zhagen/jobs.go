package main

import (
	"context"
	"log/slog"
	"time"
)

// drainEvery is how often the notice drainer looks at the outbox when no
// commit wakes it: for notices written by other servers on the same
// database, and for retries.
const drainEvery = 5 * time.Second

// runJobs runs the scheduled jobs once a minute until ctx ends. Each
// minute is claimed in the database first, so with several servers on one
// database each job runs once per minute. Beside them the notice drainer
// delivers the outbox every few seconds and right after each commit that
// wrote notices, so in-app messages appear at once; the courier sends
// the deliveries over outside channels it fans out; and the sealer chains
// the operation log every few seconds.
func runJobs(ctx context.Context, app *App, log *slog.Logger) {
	drainer := *app.Drainer
	drainer.Log = log
	drained := make(chan struct{})
	go func() { drainer.Run(ctx, app.DB.OutboxWake(), drainEvery); close(drained) }()
	defer func() { <-drained }()
	// The courier sends over outside channels apart from the drainer, so
	// a channel that fails or hangs holds up no in-app message.
	courier := *app.Courier
	courier.Log = log
	couriered := make(chan struct{})
	go func() { courier.Run(ctx, app.Drainer.Fanned, drainEvery); close(couriered) }()
	defer func() { <-couriered }()
	sealed := make(chan struct{})
	go func() { runSealer(ctx, app, log); close(sealed) }()
	defer func() { <-sealed }()
	ticker := time.NewTicker(time.Minute)
	defer ticker.Stop()
	for {
		runJobsOnce(ctx, app, log, app.Clock.Now())
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// runJobsOnce runs the jobs of the minute of now if no other server has,
// then delivers the notices they wrote.
func runJobsOnce(ctx context.Context, app *App, log *slog.Logger, now time.Time) {
	defer func() {
		if _, err := app.Drainer.Drain(ctx); err != nil && ctx.Err() == nil {
			log.Error("notice drain", "err", err)
		}
	}()
	runVisitReminders(ctx, app, log, now)
	runPurge(ctx, app, log, now)
	if app.Importer != nil {
		app.Importer.Sweep() // this server's own memory: expired initial-password sheets
	}
	ok, err := app.DB.ClaimTick(ctx, "sla", now.Unix()/60)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("job claim", "job", "sla", "err", err)
		}
		return
	}
	if !ok {
		return
	}
	res, err := app.Demands.RunSLAJob(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("sla job", "err", err)
		}
		return
	}
	if res.Yellow+res.Red+res.AutoClosed > 0 {
		log.Info("sla job", "checked", res.Checked, "yellow", res.Yellow, "red", res.Red, "auto_closed", res.AutoClosed)
	}
	runLadder(ctx, app, log, now)
}

// runLadder climbs the escalation ladder; each rung and each escalation is
// recorded once however many servers run it.
func runLadder(ctx context.Context, app *App, log *slog.Logger, now time.Time) {
	lr, err := app.Supervision.RunLadderJob(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("ladder job", "err", err)
		}
		return
	}
	if n := len(lr.Rungs); n > 0 || lr.Escalated > 0 {
		log.Info("ladder job", "rungs", lr.Rungs, "orders", lr.Orders, "escalated", lr.Escalated)
	}
}

// warmKnowledge builds the demand index and learns the dispatch model at
// start, logging how long it took (or why it failed: the next lookup
// starts it again).
func warmKnowledge(ctx context.Context, app *App, log *slog.Logger) {
	start := time.Now()
	if err := app.Knowledge.Warm(ctx); err != nil {
		if ctx.Err() == nil {
			log.Error("knowledge index", "err", err)
		}
		return
	}
	log.Info("knowledge index ready", "seconds", time.Since(start).Round(time.Millisecond).Seconds())
}
