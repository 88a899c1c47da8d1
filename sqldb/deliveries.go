package sqldb

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"zhagen"
)

// Deliveries over outside channels. The drainer fans them out from an
// outbox entry in the transaction that delivers it in-app
// (writeChannelDeliveries); couriers claim them on their own, outside any
// business transaction, so a failing or hanging channel holds up neither
// a user's action nor the in-app messages, and its failures repeat
// nothing but its own deliveries.

var _ zhagen.DeliveryQueue = (*Outbox)(nil)

// writeChannelDeliveries writes the outside deliveries of entries within
// tx, once per entry, channel and user: two drainers delivering the same
// entry leave one set.
func writeChannelDeliveries(ctx context.Context, tx *Tx, ds []*zhagen.ChannelDelivery) error {
	const perStatement = 50
	for len(ds) > 0 {
		chunk := ds[:min(len(ds), perStatement)]
		ds = ds[len(chunk):]
		args := make([]any, 0, len(chunk)*12)
		for _, d := range chunk {
			args = append(args, d.OutboxID, d.ChannelID, d.UserID, d.Address, d.Kind, string(d.Severity), truncate(d.Title, 200), truncate(d.Body, 2000),
				d.Link, d.Digest, d.NextAt.UTC(), tx.now)
		}
		q := `INSERT INTO deliveries (outbox_id, channel_id, user_id, address, kind, severity, title, body, link, digest, next_at, created_at) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ") + ` ON CONFLICT (outbox_id, channel_id, user_id) DO NOTHING`
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

const deliveryReturning = `id, COALESCE(outbox_id, 0), channel_id, user_id, address, kind, severity, title, body, link, digest, status, attempts, next_at, last_error, created_at, sent_at`

func scanDelivery(sc interface{ Scan(...any) error }, extra ...any) (*zhagen.ChannelDelivery, error) {
	d := &zhagen.ChannelDelivery{}
	var sev, status string
	dest := append([]any{&d.ID, &d.OutboxID, &d.ChannelID, &d.UserID, &d.Address, &d.Kind, &sev, &d.Title, &d.Body, &d.Link, &d.Digest, &status,
		&d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt, &d.SentAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	d.Severity, d.Status = zhagen.Severity(sev), zhagen.DeliveryStatus(status)
	return d, nil
}

// ClaimDeliveries leases up to limit due, pending deliveries over enabled
// channels, oldest first, and every due digest delivery, to a new claim
// token until now+lease, each with its channel (secret included). On
// PostgreSQL concurrent couriers skip each other's rows; a user's digest
// rows of a day are claimed by one statement, so one courier gets them
// all.
func (o *Outbox) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]*zhagen.ChannelDelivery, error) {
	token, _, err := newSecret("")
	if err != nil {
		return nil, err
	}
	tx, err := o.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := tx.now
	free := `(claimed_until IS NULL OR claimed_until <= ?)`
	enabled := `channel_id IN (SELECT id FROM channels WHERE enabled = TRUE)`
	var out []*zhagen.ChannelDelivery
	claim := func(q string, args ...any) error {
		rows, err := tx.QueryContext(ctx, o.db.dialect.rebind(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				return err
			}
			d.Claim = token
			out = append(out, d)
		}
		return rows.Err()
	}
	if err := claim(`UPDATE deliveries SET claimed_by = ?, claimed_until = ?
		WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND digest = FALSE AND next_at <= ? AND `+free+` AND `+enabled+` ORDER BY id LIMIT ?`+o.db.dialect.skipLocked()+`)
		AND status = 'pending' AND `+free+` RETURNING `+deliveryReturning, token, now.Add(lease), now, now, limit, now); err != nil {
		return nil, err
	}
	if err := claim(`UPDATE deliveries SET claimed_by = ?, claimed_until = ?
		WHERE status = 'pending' AND digest = TRUE AND next_at <= ? AND `+free+` AND `+enabled+` RETURNING `+deliveryReturning,
		token, now.Add(lease), now, now); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, tx.Commit()
	}
	var ids []any
	for _, d := range out {
		if !slices.Contains(ids, any(d.ChannelID)) {
			ids = append(ids, d.ChannelID)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	ph := placeholders(len(ids))
	cs, err := o.db.channels(ctx, " WHERE id IN ("+ph+")", ids...)
	if err != nil {
		return nil, err
	}
	for _, d := range out {
		for _, c := range cs {
			if c.ID == d.ChannelID {
				d.Channel, d.ChannelName, d.ChannelKind = c, c.Name, c.Kind
			}
		}
	}
	slices.SortFunc(out, func(a, b *zhagen.ChannelDelivery) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// MarkDeliveriesSent records sent deliveries, one statement per claim;
// those whose claim was lost are left as they are.
func (o *Outbox) MarkDeliveriesSent(ctx context.Context, ds []*zhagen.ChannelDelivery) error {
	byClaim := map[string][]any{}
	var claims []string
	for _, d := range ds {
		if byClaim[d.Claim] == nil {
			claims = append(claims, d.Claim)
		}
		byClaim[d.Claim] = append(byClaim[d.Claim], d.ID)
	}
	tx, err := o.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, c := range claims {
		ids := byClaim[c]
		ph := placeholders(len(ids))
		if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '', claimed_by = NULL, claimed_until = NULL
			WHERE claimed_by = ? AND id IN (`+ph+`)`, append([]any{tx.now, c}, ids...)...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// MarkDeliveryFailed records a failed (count) or untried attempt: due
// again at retryAt, or, when dead, on the dead-letter list. ECONFLICT when
// the claim was lost.
func (o *Outbox) MarkDeliveryFailed(ctx context.Context, d *zhagen.ChannelDelivery, msg string, retryAt time.Time, dead, count bool) error {
	status, inc := zhagen.DeliveryPending, 0
	if dead {
		status = zhagen.DeliveryDead
	}
	if count {
		inc = 1
	}
	return o.mark(ctx, `UPDATE deliveries SET status = ?, attempts = attempts + ?, next_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL
		WHERE id = ? AND claimed_by = ?`, string(status), inc, retryAt.UTC(), truncate(msg, 1000), d.ID, d.Claim)
}

// deliveryListSQL joins a delivery's channel and user names.
const deliveryListSQL = `SELECT d.id, COALESCE(d.outbox_id, 0), d.channel_id, d.user_id, d.address, d.kind, d.severity, d.title, d.body, d.link, d.digest,
	d.status, d.attempts, d.next_at, d.last_error, d.created_at, d.sent_at, c.name, c.kind, COALESCE(u.name, '')
	FROM deliveries d JOIN channels c ON c.id = d.channel_id LEFT JOIN users u ON u.id = d.user_id`

func (s *ChannelService) deliveries(ctx context.Context, where string, args ...any) ([]*zhagen.ChannelDelivery, error) {
	rows, err := s.db.query(ctx, deliveryListSQL+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.ChannelDelivery{}
	for rows.Next() {
		var kind string
		var d0 zhagen.ChannelDelivery
		d, err := scanDelivery(rows, &d0.ChannelName, &kind, &d0.UserName)
		if err != nil {
			return nil, err
		}
		d.ChannelName, d.ChannelKind, d.UserName = d0.ChannelName, zhagen.ChannelKind(kind), d0.UserName
		d.Address = maskAddress(d.Address)
		out = append(out, d)
	}
	return out, rows.Err()
}

// maskAddress shows an e-mail address or a phone number in part.
func maskAddress(s string) string {
	if at := strings.IndexByte(s, '@'); at > 0 {
		return s[:1] + "***" + s[at:]
	}
	if r := []rune(s); len(r) > 7 {
		return string(r[:3]) + "****" + string(r[len(r)-4:])
	}
	return s
}

// FindDeliveries lists deliveries, newest first (administrators).
func (s *ChannelService) FindDeliveries(ctx context.Context, f zhagen.DeliveryFilter) ([]*zhagen.ChannelDelivery, error) {
	if _, err := permitted(ctx, zhagen.PermDeliveryView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	var w where
	if f.Status != "" {
		w.add("d.status = ?", string(f.Status))
	}
	if f.ChannelID != 0 {
		w.add("d.channel_id = ?", f.ChannelID)
	}
	return s.deliveries(ctx, w.String()+` ORDER BY d.id DESC LIMIT ?`, append(w.args, zhagen.ClampLimit(f.Limit, 100, 500))...)
}

// FindDeliveryByID returns one delivery (administrators).
func (s *ChannelService) FindDeliveryByID(ctx context.Context, id int64) (*zhagen.ChannelDelivery, error) {
	if _, err := permitted(ctx, zhagen.PermDeliveryView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	ds, err := s.deliveries(ctx, ` WHERE d.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "推送记录不存在")
	}
	return ds[0], nil
}

// DeliveryCounts counts deliveries by status (administrators).
func (s *ChannelService) DeliveryCounts(ctx context.Context) (map[zhagen.DeliveryStatus]int, error) {
	if _, err := permitted(ctx, zhagen.PermDeliveryView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT status, COUNT(*) FROM deliveries GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[zhagen.DeliveryStatus]int{zhagen.DeliveryPending: 0, zhagen.DeliverySent: 0, zhagen.DeliveryDead: 0}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[zhagen.DeliveryStatus(st)] = n
	}
	return out, rows.Err()
}

// RetryDelivery puts a dead delivery back in the queue, due now, its
// tries counted afresh: one conditional statement, so of two
// administrators retrying at once one wins and the other is ECONFLICT.
func (s *ChannelService) RetryDelivery(ctx context.Context, id int64) (*zhagen.ChannelDelivery, error) {
	if _, err := permitted(ctx, zhagen.PermDeliveryRetry, zhagen.Facts{}); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE deliveries SET status = 'pending', attempts = 0, next_at = ?, claimed_by = NULL, claimed_until = NULL
		WHERE id = ? AND status = 'dead'`, tx.now, id)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		var st string
		if err := tx.queryRow(ctx, `SELECT status FROM deliveries WHERE id = ?`, id).Scan(&st); isNoRows(err) {
			return nil, zhagen.Errorf(zhagen.ENOTFOUND, "推送记录不存在")
		}
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该推送不在失败列表中，无需重试")
	}
	if err := tx.writeOpLog(ctx, "重试", "推送记录", id, ""); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindDeliveryByID(ctx, id)
}
