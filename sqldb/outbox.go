package sqldb

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"zhagen"
)

// Notices go through an outbox: a business transaction writes its
// notices (zhagen.Notice, composed in the domain) to the outbox table,
// and drainers deliver them once it has committed. A notice of a
// transaction that rolls back is never seen by anyone.

// enqueue writes notices to the outbox within tx. Notices without
// recipients are dropped. A commit wakes the drainers (see OutboxWake).
func (tx *Tx) enqueue(ctx context.Context, ns ...zhagen.Notice) error {
	for _, n := range ns {
		if n.To.Empty() {
			continue
		}
		b, err := json.Marshal(n)
		if err != nil {
			return err
		}
		if err := tx.later(ctx, `INSERT INTO outbox (kind, severity, notice, status, attempts, next_at, last_error, created_at) VALUES (?, ?, ?, 'pending', 0, ?, '', ?)`,
			n.Kind, string(n.Severity), string(b), tx.now, tx.now); err != nil {
			return err
		}
		tx.notices++
	}
	return nil
}

// OutboxWake receives a value after a transaction that wrote notices
// commits, so that a drainer can deliver them at once; wake-ups that
// come while one is pending are merged.
func (db *DB) OutboxWake() <-chan struct{} { return db.wake }

func (db *DB) wakeOutbox() {
	select {
	case db.wake <- struct{}{}:
	default:
	}
}

// Outbox is the store side of notice delivery.
type Outbox struct{ db *DB }

// NewOutbox returns the outbox of db.
func NewOutbox(db *DB) *Outbox { return &Outbox{db: db} }

var _ zhagen.NoticeOutbox = (*Outbox)(nil)

// ClaimNotices leases up to limit pending entries that are due, oldest
// first, to a new claim token until now+lease. Entries whose lease ran
// out (their drainer died) are due again. On PostgreSQL concurrent
// claimers skip each other's rows (FOR UPDATE SKIP LOCKED); on SQLite
// they take turns on the writer lock. Claims, like the in-app messages
// and the marks of what was sent, go through the group commit (inBatch),
// so that under load delivery shares the commits of the changes it
// reports instead of queueing for the writer between them.
func (o *Outbox) ClaimNotices(ctx context.Context, limit int, lease time.Duration) ([]*zhagen.OutboxEntry, error) {
	token, _, err := newSecret("")
	if err != nil {
		return nil, err
	}
	var out []*zhagen.OutboxEntry
	err = o.db.inBatch(ctx, func(tx *Tx) error {
		out = nil
		now := tx.now
		free := `(claimed_until IS NULL OR claimed_until <= ?)`
		rows, err := tx.QueryContext(ctx, o.db.dialect.rebind(`UPDATE outbox SET claimed_by = ?, claimed_until = ?
			WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_at <= ? AND `+free+` ORDER BY id LIMIT ?`+o.db.dialect.skipLocked()+`)
			AND status = 'pending' AND `+free+` RETURNING id, notice, attempts, created_at`),
			token, now.Add(lease), now, now, limit, now)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := &zhagen.OutboxEntry{Claim: token}
			var notice string
			if err := rows.Scan(&e.ID, &notice, &e.Attempts, &e.CreatedAt); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(notice), &e.Notice); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *zhagen.OutboxEntry) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// DueNotices returns up to limit due, pending entries nobody has claimed,
// oldest first, without claiming them (for drainers whose senders all
// write into this store: see DeliverInStore).
func (o *Outbox) DueNotices(ctx context.Context, limit int) ([]*zhagen.OutboxEntry, error) {
	now := o.db.now()
	rows, err := o.db.query(ctx, `SELECT id, notice, attempts, created_at FROM outbox
		WHERE status = 'pending' AND next_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY id LIMIT ?`, now, now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*zhagen.OutboxEntry
	for rows.Next() {
		e := &zhagen.OutboxEntry{}
		var notice string
		if err := rows.Scan(&e.ID, &notice, &e.Attempts, &e.CreatedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(notice), &e.Notice); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeliverInStore writes the in-app messages ds of entries es and marks
// es sent, in one transaction through the group commit. A message already
// written for an entry and user is not repeated, and an entry already
// sent stays as it is, so two drainers delivering the same entries at
// once leave one set of messages.
func (o *Outbox) DeliverInStore(ctx context.Context, es []*zhagen.OutboxEntry, ds []zhagen.Delivery, out []*zhagen.ChannelDelivery) error {
	if len(es) == 0 {
		return nil
	}
	ids := make([]any, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return o.db.inBatch(ctx, func(tx *Tx) error {
		if err := writeInApp(ctx, tx, ds); err != nil {
			return err
		}
		if err := writeChannelDeliveries(ctx, tx, out); err != nil {
			return err
		}
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
		return tx.later(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = ''
			WHERE status = 'pending' AND id IN (`+ph+`)`, append([]any{tx.now}, ids...)...)
	})
}

// ResolveRecipients returns the active users r selects, by id. Users
// read Chinese until they can choose a language.
func (o *Outbox) ResolveRecipients(ctx context.Context, r zhagen.Recipients) ([]zhagen.Recipient, error) {
	var conds []string
	var args []any
	for _, d := range r.DeptStaff {
		if d != 0 {
			conds = append(conds, "(dept_id = ? AND (',' || roles || ',') LIKE '%,staff,%')")
			args = append(args, d)
		}
	}
	for _, role := range r.Roles {
		conds = append(conds, hasRoleSQL("roles"))
		args = append(args, string(role))
	}
	for _, e := range r.Enterprises {
		if e != 0 {
			conds = append(conds, "enterprise_id = ?")
			args = append(args, e)
		}
	}
	for _, u := range r.Users {
		if u != 0 {
			conds = append(conds, "id = ?")
			args = append(args, u)
		}
	}
	if len(conds) == 0 {
		return nil, nil
	}
	rows, err := o.db.sql.QueryContext(ctx, o.db.dialect.rebind(`SELECT id, name FROM users WHERE archived = FALSE AND (`+strings.Join(conds, " OR ")+`) ORDER BY id`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhagen.Recipient
	for rows.Next() {
		r := zhagen.Recipient{Lang: "zh"}
		if err := rows.Scan(&r.UserID, &r.Name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MarkNoticesSent records delivered entries, in one statement per claim,
// and writes their outside deliveries out; entries whose claim was lost
// are left as they are.
func (o *Outbox) MarkNoticesSent(ctx context.Context, es []*zhagen.OutboxEntry, out []*zhagen.ChannelDelivery) error {
	byClaim := map[string][]any{}
	var claims []string
	for _, e := range es {
		if byClaim[e.Claim] == nil {
			claims = append(claims, e.Claim)
		}
		byClaim[e.Claim] = append(byClaim[e.Claim], e.ID)
	}
	return o.db.inBatch(ctx, func(tx *Tx) error {
		if err := writeChannelDeliveries(ctx, tx, out); err != nil {
			return err
		}
		for _, c := range claims {
			ids := byClaim[c]
			ph := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
			if _, err := tx.exec(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '', claimed_by = NULL, claimed_until = NULL
				WHERE claimed_by = ? AND id IN (`+ph+`)`, append([]any{tx.now, c}, ids...)...); err != nil {
				return err
			}
		}
		return nil
	})
}

// MarkNoticeFailed records a failed attempt: the entry is due again at
// retryAt, or, when dead, moves to the dead-letter list. ECONFLICT when
// its claim was lost.
func (o *Outbox) MarkNoticeFailed(ctx context.Context, e *zhagen.OutboxEntry, msg string, retryAt time.Time, dead bool) error {
	status := zhagen.OutboxPending
	if dead {
		status = zhagen.OutboxDead
	}
	return o.mark(ctx, `UPDATE outbox SET status = ?, attempts = attempts + 1, next_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL
		WHERE id = ? AND COALESCE(claimed_by, '') = ?`, string(status), retryAt.UTC(), truncate(msg, 1000), e.ID, e.Claim)
}

func (o *Outbox) mark(ctx context.Context, q string, args ...any) error {
	res, err := o.db.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "通知的投递已被另一进程接手")
	}
	return nil
}

// OutboxCounts returns how many entries are pending, sent and dead.
func (o *Outbox) OutboxCounts(ctx context.Context) (map[zhagen.OutboxStatus]int, error) {
	rows, err := o.db.query(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[zhagen.OutboxStatus]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[zhagen.OutboxStatus(s)] = n
	}
	return out, rows.Err()
}

// InAppSender delivers notices as in-app messages: the notifications
// table the web UI and the API read. It renders nothing itself: the
// drainer hands it the title and body in the recipients' language.
type InAppSender struct{ db *DB }

// NewInAppSender returns the in-app sender of db.
func NewInAppSender(db *DB) *InAppSender { return &InAppSender{db: db} }

var (
	_ zhagen.NoticeBatchSender = (*InAppSender)(nil)
	_ zhagen.NoticeStoreSender = (*InAppSender)(nil)
)

// InStore marks the in-app sender as writing into the outbox's store:
// drainers with no other sender deliver through Outbox.DeliverInStore.
func (s *InAppSender) InStore() {}

// Send writes one message per recipient, dated when the change happened.
// A recipient who already has the message of the delivery's outbox entry
// does not get it twice.
func (s *InAppSender) Send(ctx context.Context, d zhagen.Delivery) error {
	return s.SendBatch(ctx, []zhagen.Delivery{d})
}

// SendBatch writes the messages of every delivery in one transaction
// (through the group commit).
func (s *InAppSender) SendBatch(ctx context.Context, ds []zhagen.Delivery) error {
	n := 0
	for _, d := range ds {
		n += len(d.To)
	}
	if n == 0 {
		return nil
	}
	return s.db.inBatch(ctx, func(tx *Tx) error { return writeInApp(ctx, tx, ds) })
}

// writeInApp writes one message per recipient of each delivery, dated
// when the change happened, unless the recipient has it already. Rows go
// a hundred to a statement: on PostgreSQL each statement is a round trip.
func writeInApp(ctx context.Context, tx *Tx, ds []zhagen.Delivery) error {
	const perStatement = 100
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		q := `INSERT INTO notifications (user_id, title, body, link, created_at, outbox_id, kind) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", n), ", ") + ` ON CONFLICT (outbox_id, user_id) DO NOTHING`
		err := tx.later(ctx, q, args...)
		args, n = nil, 0 // the queued statement keeps the slice
		return err
	}
	for _, d := range ds {
		title, body := truncate(d.Title, 200), truncate(d.Body, 1000)
		for _, r := range d.To {
			args = append(args, r.UserID, title, body, d.Link, d.CreatedAt.UTC(), d.NoticeID, d.Kind)
			if n++; n == perStatement {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// Enqueue writes notices to the outbox in a transaction of their own:
// for notices that report no change of the store (a scheduled reminder
// composed elsewhere, a test).
func (o *Outbox) Enqueue(ctx context.Context, ns ...zhagen.Notice) error {
	tx, err := o.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.enqueue(ctx, ns...); err != nil {
		return err
	}
	return tx.Commit()
}
