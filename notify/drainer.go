// Package notify delivers the notices the domain composes: a Drainer
// claims them from the outbox outside any business transaction, resolves
// their recipients, renders them through the message catalogue and hands
// them to the senders (in-app first; WeCom, DingTalk, webhook, e-mail and
// SMS senders implement the same zhagen.NoticeSender), with retries and a
// dead-letter list.
package notify

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"zhagen"
	"zhagen/catalog"
)

// Drainer delivers the outbox. Several drainers, in one process or in
// several servers on one database, may run at once: each entry is
// claimed by one of them at a time.
type Drainer struct {
	Outbox  zhagen.NoticeOutbox
	Senders []zhagen.NoticeSender
	Catalog *catalog.Catalog
	Clock   zhagen.Clock
	Log     *slog.Logger // nil: no log

	// MaxAttempts is how many failed attempts move an entry to the
	// dead-letter list (default 8).
	MaxAttempts int
	// Backoff is the wait before the attempt after the n-th failure
	// (default 30 s doubling per failure, at most an hour; at least a
	// second).
	Backoff func(n int) time.Duration
	// Batch is how many entries one claim takes (default 50); Lease how
	// long a claim holds (default 2 minutes).
	Batch int
	Lease time.Duration
}

// New returns a drainer of outbox over senders with the defaults.
func New(outbox zhagen.NoticeOutbox, cat *catalog.Catalog, clock zhagen.Clock, senders ...zhagen.NoticeSender) *Drainer {
	return &Drainer{Outbox: outbox, Senders: senders, Catalog: cat, Clock: clock}
}

// Result counts what a drain did.
type Result struct {
	Sent, Retried, Dead int
}

func defaultBackoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Drain delivers every entry due now, batch after batch, until none is
// left. An entry that fails is retried after its backoff (by a later
// drain), or moved to the dead-letter list after MaxAttempts failures.
func (d *Drainer) Drain(ctx context.Context) (Result, error) {
	var res Result
	batch, lease := d.Batch, d.Lease
	if batch <= 0 {
		batch = 50
	}
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	for {
		entries, err := d.Outbox.ClaimNotices(ctx, batch, lease)
		if err != nil {
			return res, err
		}
		for _, e := range entries {
			if err := d.deliver(ctx, e, &res); err != nil {
				return res, err
			}
		}
		if len(entries) < batch {
			return res, nil
		}
	}
}

// deliver sends one entry and records the outcome; it returns only the
// errors of recording it.
func (d *Drainer) deliver(ctx context.Context, e *zhagen.OutboxEntry, res *Result) error {
	err := d.send(ctx, e)
	if err == nil {
		res.Sent++
		return ignoreLost(d.Outbox.MarkNoticeSent(ctx, e))
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the lease runs out and the entry is claimed again
	}
	maxAttempts := d.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = 8
	}
	backoff := d.Backoff
	if backoff == nil {
		backoff = defaultBackoff
	}
	failures := e.Attempts + 1
	dead := failures >= maxAttempts
	wait := max(backoff(failures), time.Second)
	if dead {
		res.Dead++
	} else {
		res.Retried++
	}
	if d.Log != nil {
		d.Log.Warn("notice not delivered", "outbox_id", e.ID, "kind", e.Notice.Kind, "attempt", failures, "dead", dead, "err", err)
	}
	return ignoreLost(d.Outbox.MarkNoticeFailed(ctx, e, err.Error(), d.Clock.Now().Add(wait), dead))
}

// ignoreLost passes over a claim another drainer took when this one's
// lease ran out: that drainer records the outcome.
func ignoreLost(err error) error {
	if zhagen.ErrorCode(err) == zhagen.ECONFLICT {
		return nil
	}
	return err
}

// send resolves the recipients, renders the notice in each of their
// languages and hands each rendering to every sender.
func (d *Drainer) send(ctx context.Context, e *zhagen.OutboxEntry) error {
	to, err := d.Outbox.ResolveRecipients(ctx, e.Notice.To)
	if err != nil {
		return err
	}
	byLang := map[string][]zhagen.Recipient{}
	var langs []string
	for _, r := range to {
		lang := catalog.Lang(r.Lang)
		if byLang[lang] == nil {
			langs = append(langs, lang)
		}
		byLang[lang] = append(byLang[lang], r)
	}
	var errs []error
	for _, lang := range langs {
		dl := d.Render(e, lang)
		dl.To = byLang[lang]
		for _, s := range d.Senders {
			if err := s.Send(ctx, dl); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Render returns the delivery of entry e in lang, without recipients.
func (d *Drainer) Render(e *zhagen.OutboxEntry, lang string) zhagen.Delivery {
	n := e.Notice
	dl := zhagen.Delivery{NoticeID: e.ID, Kind: n.Kind, Severity: n.Severity, Lang: lang, Link: n.Link, CreatedAt: e.CreatedAt,
		Title: d.Catalog.Sprintf(lang, n.Title.Key, n.Title.Args...)}
	if n.Body.Key != "" {
		dl.Body = d.Catalog.Sprintf(lang, n.Body.Key, n.Body.Args...)
	}
	return dl
}

// Run drains the outbox every interval and whenever wake delivers, until
// ctx ends. Errors are logged and the next round tries again.
func (d *Drainer) Run(ctx context.Context, wake <-chan struct{}, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		if res, err := d.Drain(ctx); err != nil {
			if ctx.Err() == nil && d.Log != nil {
				d.Log.Error("notice drain", "err", err)
			}
		} else if res.Retried+res.Dead > 0 && d.Log != nil {
			d.Log.Info("notice drain", "sent", res.Sent, "retried", res.Retried, "dead", res.Dead)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-wake:
		}
	}
}
