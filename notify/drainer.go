// Package notify delivers the notices the domain composes: a Drainer
// claims them from the outbox outside any business transaction, resolves
// their recipients, renders them through the message catalogue and hands
// them to the senders (in-app first; WeCom, DingTalk, webhook, e-mail and
// SMS senders implement the same zhagen.NoticeSender), with retries and a
// dead-letter list.
package notify

import (
	"context"
	"encoding/json"
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
	// Batch is how many entries one claim takes (default 1000); Lease how
	// long a claim holds (default 2 minutes).
	Batch int
	Lease time.Duration
	// Settle is how long Run lets notices gather after a wake-up before
	// it drains (default 500 ms): soon enough to read as "at once", and on
	// SQLite's single writer few enough drains that busy creates do not
	// queue behind them.
	Settle time.Duration
	// Fanned, when not nil, receives a value (merged while one is
	// pending) after a drain wrote deliveries over outside channels: the
	// courier's wake-up.
	Fanned chan struct{}
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

// Drain delivers every entry due now, claim after claim, until none is
// left. An entry that fails is retried after its backoff (by a later
// drain), or moved to the dead-letter list after MaxAttempts failures.
func (d *Drainer) Drain(ctx context.Context) (Result, error) {
	var res Result
	batch, lease := d.Batch, d.Lease
	if batch <= 0 {
		batch = 1000
	}
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	inStore := d.inStore()
	for {
		var entries []*zhagen.OutboxEntry
		var err error
		if inStore {
			entries, err = d.Outbox.DueNotices(ctx, batch)
		} else {
			entries, err = d.Outbox.ClaimNotices(ctx, batch, lease)
		}
		if err != nil {
			return res, err
		}
		if len(entries) > 0 {
			deliver := d.deliver
			if inStore {
				deliver = d.deliverInStore
			}
			if err := deliver(ctx, entries, &res); err != nil {
				return res, err
			}
		}
		if len(entries) < batch {
			return res, nil
		}
	}
}

// inStore reports whether every sender writes into the outbox's own store
// (zhagen.NoticeStoreSender): then entries need no claim, since their
// messages and their mark are written in one transaction.
func (d *Drainer) inStore() bool {
	for _, s := range d.Senders {
		if _, ok := s.(zhagen.NoticeStoreSender); !ok {
			return false
		}
	}
	return len(d.Senders) > 0
}

// attempt is one claimed entry on its way: its renderings and what went
// wrong.
type attempt struct {
	e    *zhagen.OutboxEntry
	ds   []zhagen.Delivery
	errs []error
}

// prepare resolves the recipients of entries and renders their
// deliveries; an entry whose recipients cannot be resolved carries the
// error.
func (d *Drainer) prepare(ctx context.Context, entries []*zhagen.OutboxEntry) []*attempt {
	resolved := map[string][]zhagen.Recipient{} // recipients of the same selection, resolved once
	as := make([]*attempt, len(entries))
	for i, e := range entries {
		a := &attempt{e: e}
		as[i] = a
		key, _ := json.Marshal(e.Notice.To)
		to, ok := resolved[string(key)]
		if !ok {
			var err error
			if to, err = d.Outbox.ResolveRecipients(ctx, e.Notice.To); err != nil {
				a.errs = append(a.errs, err)
				continue
			}
			resolved[string(key)] = to
		}
		a.ds = d.renderings(e, to)
	}
	return as
}

// deliverInStore delivers unclaimed entries through the store's own
// senders: their messages and their mark in one transaction.
func (d *Drainer) deliverInStore(ctx context.Context, entries []*zhagen.OutboxEntry, res *Result) error {
	var ok []*zhagen.OutboxEntry
	var ds []zhagen.Delivery
	as := d.prepare(ctx, entries)
	var good []*attempt
	for _, a := range as {
		if len(a.errs) == 0 {
			ok, ds, good = append(ok, a.e), append(ds, a.ds...), append(good, a)
		}
	}
	out, err := d.fanout(ctx, good)
	if err != nil {
		return err
	}
	if err := d.Outbox.DeliverInStore(ctx, ok, ds, out); err != nil {
		if ctx.Err() != nil {
			return err
		}
		// Nothing was written: each entry is retried after its backoff,
		// so one that cannot be written ends on the dead-letter list
		// instead of holding up the rest.
		for _, e := range ok {
			if ferr := d.failed(ctx, e, err, res); ferr != nil {
				return ferr
			}
		}
		ok = nil
	}
	res.Sent += len(ok)
	if len(ok) > 0 {
		d.wakeCourier(out)
	}
	for _, a := range as {
		if len(a.errs) > 0 {
			if err := d.failed(ctx, a.e, errors.Join(a.errs...), res); err != nil {
				return err
			}
		}
	}
	return nil
}

// deliver sends the entries of one claim and records the outcomes; it
// returns only the errors of recording them. A batch sender gets every
// delivery of the claim at once, any other sender one by one.
func (d *Drainer) deliver(ctx context.Context, entries []*zhagen.OutboxEntry, res *Result) error {
	as := d.prepare(ctx, entries)
	for _, s := range d.Senders {
		if bs, ok := s.(zhagen.NoticeBatchSender); ok {
			var all []zhagen.Delivery
			var with []*attempt
			for _, a := range as {
				if len(a.errs) == 0 && len(a.ds) > 0 {
					all, with = append(all, a.ds...), append(with, a)
				}
			}
			if len(all) == 0 {
				continue
			}
			if err := bs.SendBatch(ctx, all); err != nil {
				for _, a := range with {
					a.errs = append(a.errs, err)
				}
			}
			continue
		}
		for _, a := range as {
			for _, dl := range a.ds {
				if err := s.Send(ctx, dl); err != nil {
					a.errs = append(a.errs, err)
				}
			}
		}
	}
	var sent []*zhagen.OutboxEntry
	var good []*attempt
	for _, a := range as {
		if len(a.errs) == 0 {
			sent, good = append(sent, a.e), append(good, a)
			res.Sent++
		}
	}
	if len(sent) > 0 {
		out, err := d.fanout(ctx, good)
		if err != nil {
			return err
		}
		if err := d.Outbox.MarkNoticesSent(ctx, sent, out); err != nil {
			return err
		}
		d.wakeCourier(out)
	}
	for _, a := range as {
		if len(a.errs) > 0 {
			if err := d.failed(ctx, a.e, errors.Join(a.errs...), res); err != nil {
				return err
			}
		}
	}
	return nil
}

// failed records a failed attempt: a retry after the backoff, or the
// dead-letter list after MaxAttempts failures.
func (d *Drainer) failed(ctx context.Context, e *zhagen.OutboxEntry, err error, res *Result) error {
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
	err = d.Outbox.MarkNoticeFailed(ctx, e, err.Error(), d.Clock.Now().Add(wait), dead)
	if zhagen.ErrorCode(err) == zhagen.ECONFLICT {
		return nil // the lease ran out and another drainer took the entry: it records the outcome
	}
	return err
}

// fanout returns the deliveries over outside channels of the entries
// of as (zhagen.ChannelRouting.Route), rendered in Chinese for a group
// and in the recipient's language for a person. Without an enabled
// channel it costs one small query.
func (d *Drainer) fanout(ctx context.Context, as []*attempt) ([]*zhagen.ChannelDelivery, error) {
	if len(as) == 0 {
		return nil, nil
	}
	var users []int64
	for _, a := range as {
		for _, dl := range a.ds {
			for _, r := range dl.To {
				users = append(users, r.UserID)
			}
		}
	}
	rt, err := d.Outbox.NoticeRouting(ctx, users)
	if err != nil || rt.Empty() {
		return nil, err
	}
	var out []*zhagen.ChannelDelivery
	for _, a := range as {
		var to []zhagen.Recipient
		lang := map[int64]string{}
		for _, dl := range a.ds {
			to = append(to, dl.To...)
			for _, r := range dl.To {
				lang[r.UserID] = dl.Lang
			}
		}
		rendered := map[string]zhagen.Delivery{}
		for _, r := range rt.Route(a.e.Notice, a.e.CreatedAt, to) {
			l := catalog.Lang(lang[r.UserID])
			dl, ok := rendered[l]
			if !ok {
				dl = d.Render(a.e, l)
				rendered[l] = dl
			}
			out = append(out, &zhagen.ChannelDelivery{OutboxID: a.e.ID, ChannelID: r.ChannelID, UserID: r.UserID, Address: r.Address,
				Kind: dl.Kind, Severity: dl.Severity, Title: dl.Title, Body: dl.Body, Link: dl.Link, Digest: r.Digest, NextAt: r.NextAt})
		}
	}
	return out, nil
}

func (d *Drainer) wakeCourier(out []*zhagen.ChannelDelivery) {
	if len(out) == 0 || d.Fanned == nil {
		return
	}
	select {
	case d.Fanned <- struct{}{}:
	default:
	}
}

// renderings renders entry e in the languages of its recipients, one
// delivery per language.
func (d *Drainer) renderings(e *zhagen.OutboxEntry, to []zhagen.Recipient) []zhagen.Delivery {
	byLang := map[string][]zhagen.Recipient{}
	var langs []string
	for _, r := range to {
		lang := catalog.Lang(r.Lang)
		if byLang[lang] == nil {
			langs = append(langs, lang)
		}
		byLang[lang] = append(byLang[lang], r)
	}
	var out []zhagen.Delivery
	for _, lang := range langs {
		dl := d.Render(e, lang)
		dl.To = byLang[lang]
		out = append(out, dl)
	}
	return out
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

// Run drains the outbox every interval, and Settle after wake delivers,
// until ctx ends. Errors are logged and the next round tries again.
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
			// Let the commits of the moment gather, so that under load one
			// drain delivers many notices with a few writes instead of
			// contending for the database after every commit.
			settle := d.Settle
			if settle <= 0 {
				settle = 500 * time.Millisecond
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(settle):
			}
		}
	}
}
