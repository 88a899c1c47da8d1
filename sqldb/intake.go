package sqldb

import (
	"context"
	"strings"

	"zhagen"
)

// SetIntakeChannelPublic marks an intake channel publicly readable or
// not (the policy's PermIntakeEdit: administrators).
func (s *IntakeService) SetIntakeChannelPublic(ctx context.Context, id int64, public bool) (*zhagen.IntakeChannel, error) {
	if _, err := permitted(ctx, zhagen.PermIntakeEdit, zhagen.Facts{}); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ch := &zhagen.IntakeChannel{ID: id}
	if err := tx.queryRow(ctx, `UPDATE intake_channels SET public_read = ? WHERE id = ? RETURNING name, public_read, created_at`, public, id).
		Scan(&ch.Name, &ch.Public, &ch.CreatedAt); err != nil {
		if isNoRows(err) {
			return nil, zhagen.Errorf(zhagen.ENOTFOUND, "Open311接入渠道不存在")
		}
		return nil, err
	}
	summary := ch.Name + "：不公开查询"
	if public {
		summary = ch.Name + "：公开查询"
	}
	if err := tx.writeOpLog(ctx, "修改", "Open311渠道", id, summary); err != nil {
		return nil, err
	}
	return ch, tx.Commit()
}

// publicRequestCap is the most public requests one call returns.
const publicRequestCap = 1000

// FindPublicRequests returns, to anybody (no actor is needed), the public
// fields of the requests filed through publicly readable intake channels
// that f selects, newest first. The query selects those fields only, so
// nothing else of a demand leaves the store this way.
func (s *IntakeService) FindPublicRequests(ctx context.Context, f zhagen.PublicRequestFilter) ([]*zhagen.PublicRequest, error) {
	w := where{conds: []string{"ic.public_read = TRUE"}}
	switch {
	case len(f.IDs) > 0:
		ph := placeholders(len(f.IDs))
		args := make([]any, len(f.IDs))
		for i, id := range f.IDs {
			args[i] = id
		}
		w.add("d.id IN ("+ph+")", args...)
	case f.Token != "":
		w.add("d.token = ?", f.Token)
	default:
		if len(f.CategoryIDs) > 0 {
			ph := placeholders(len(f.CategoryIDs))
			args := make([]any, len(f.CategoryIDs))
			for i, id := range f.CategoryIDs {
				args[i] = id
			}
			w.add("d.category_id IN ("+ph+")", args...)
		}
		if f.Open != nil {
			w.add("d.is_open = ?", *f.Open)
		}
		if f.From != nil {
			w.add("d.created_at >= ?", f.From.UTC())
		}
		if f.To != nil {
			w.add("d.created_at < ?", f.To.UTC())
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > publicRequestCap {
		limit = publicRequestCap
	}
	rows, err := s.db.query(ctx, `SELECT d.id, d.status, c.code, c.name, COALESCE(ld.name, ''), d.created_at, d.updated_at, d.resolution_due
		FROM demands d JOIN intake_channels ic ON ic.id = d.intake_id JOIN categories c ON c.id = d.category_id
		LEFT JOIN departments ld ON ld.id = d.lead_dept_id`+w.String()+` ORDER BY d.created_at DESC, d.id DESC LIMIT ?`, append(w.args, limit)...)
	if err != nil {
		return nil, err
	}
	out := []*zhagen.PublicRequest{}
	byID := map[int64]*zhagen.PublicRequest{}
	for rows.Next() {
		r := &zhagen.PublicRequest{}
		if err := rows.Scan(&r.ID, &r.Status, &r.CategoryCode, &r.CategoryName, &r.LeadDeptName, &r.CreatedAt, &r.UpdatedAt, &r.ResolutionDue); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
		byID[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.publicNotes(ctx, byID)
}

// publicNotes sets the newest public note of each request's timeline.
func (s *IntakeService) publicNotes(ctx context.Context, byID map[int64]*zhagen.PublicRequest) error {
	args := make([]any, 0, len(byID))
	for id := range byID {
		args = append(args, id)
	}
	ph := placeholders(len(args))
	rows, err := s.db.query(ctx, `SELECT ev.demand_id, ev.note FROM demand_events ev WHERE ev.demand_id IN (`+ph+`) AND ev.public = TRUE AND ev.note <> ''
		ORDER BY ev.demand_id, ev.at DESC, ev.id DESC`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var note string
		if err := rows.Scan(&id, &note); err != nil {
			return err
		}
		if r := byID[id]; r != nil && r.Note == "" {
			r.Note = strings.TrimSpace(note)
		}
	}
	return rows.Err()
}
