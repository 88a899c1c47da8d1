package sqldb

import (
	"context"
	"database/sql"
	"slices"

	"zhagen"
)

// writeOpLog records a change in the operation log within tx.
func (tx *Tx) writeOpLog(ctx context.Context, action, objectType string, objectID int64, summary string) error {
	a := zhagen.ActorFromContext(ctx)
	var uid int64
	name := "系统"
	if a != nil {
		uid, name = a.UserID, a.Name
	}
	return tx.later(ctx, `INSERT INTO op_logs (user_id, user_name, action, object_type, object_id, summary, ip, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		uid, name, action, objectType, objectID, truncate(summary, 2000), zhagen.IPFromContext(ctx), tx.now)
}

// RecordDenied writes a refused request to the operation log, through
// the group commit: a burst of refusals costs few commits.
func (s *LogService) RecordDenied(ctx context.Context, d zhagen.DeniedRequest) error {
	ctx = zhagen.NewContextWithIP(zhagen.NewContextWithActor(context.WithoutCancel(ctx), d.Actor), d.IP)
	if d.Actor == nil {
		ctx = zhagen.NewContextWithActor(ctx, &zhagen.Actor{Name: "匿名"})
	}
	return s.db.inBatch(ctx, func(tx *Tx) error {
		return tx.writeOpLog(ctx, "拒绝访问", "请求", 0, truncate(d.Method+" "+d.Path, 500))
	})
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// LogService reads the operation and login logs.
type LogService struct{ db *DB }

// NewLogService returns the log service of db.
func NewLogService(db *DB) *LogService { return &LogService{db: db} }

var _ zhagen.LogService = (*LogService)(nil)

// FindOpLogs returns a page of operation log lines, newest first, and
// their total (admin only).
func (s *LogService) FindOpLogs(ctx context.Context, f zhagen.LogFilter) ([]*zhagen.OpLog, int, error) {
	if _, err := permitted(ctx, zhagen.PermOpLogView, zhagen.Facts{}); err != nil {
		return nil, 0, err
	}
	var w where
	if f.Query != "" {
		q := likeArg(f.Query)
		w.add(`(user_name LIKE ? ESCAPE '\' OR action LIKE ? ESCAPE '\' OR object_type LIKE ? ESCAPE '\' OR summary LIKE ? ESCAPE '\')`, q, q, q, q)
	}
	total, err := s.opLogTotal(ctx, &w)
	if err != nil {
		return nil, 0, err
	}
	var out []*zhagen.OpLog
	err = s.db.eachLogPage(ctx, `SELECT id, user_id, user_name, action, object_type, object_id, summary, ip, at FROM op_logs`, w, f,
		func(rows *sql.Rows) error {
			l := &zhagen.OpLog{}
			if err := rows.Scan(&l.ID, &l.UserID, &l.UserName, &l.Action, &l.ObjectType, &l.ObjectID, &l.Summary, &l.IP, &l.At); err != nil {
				return err
			}
			out = append(out, l)
			return nil
		})
	if f.After > 0 {
		slices.Reverse(out)
	}
	return out, total, err
}

// opLogTotal counts the operation log lines w selects. Without a
// condition it reads no line: lines are never removed (the audit chain
// names a removed one), the sealer numbers them 1, 2, … in the
// transaction that moves audit_head, so the total is the head's number
// plus the lines not sealed yet (a partial index of a few rows).
func (s *LogService) opLogTotal(ctx context.Context, w *where) (int, error) {
	q := `SELECT COUNT(*) FROM op_logs` + w.String()
	if len(w.conds) == 0 {
		q = `SELECT (SELECT seq FROM audit_head WHERE id = 1) + (SELECT COUNT(*) FROM op_logs WHERE seq IS NULL)`
	}
	var n int
	err := s.db.queryRow(ctx, q, w.args...).Scan(&n)
	return n, err
}

// FindLoginLogs returns a page of login attempts, newest first, and
// their total (admin only).
func (s *LogService) FindLoginLogs(ctx context.Context, f zhagen.LogFilter) ([]*zhagen.LoginLog, int, error) {
	if _, err := permitted(ctx, zhagen.PermLoginLogView, zhagen.Facts{}); err != nil {
		return nil, 0, err
	}
	var w where
	if f.Query != "" {
		q := likeArg(f.Query)
		w.add(`(login LIKE ? ESCAPE '\' OR ip LIKE ? ESCAPE '\' OR reason LIKE ? ESCAPE '\')`, q, q, q)
	}
	var total int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM login_logs`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	var out []*zhagen.LoginLog
	err := s.db.eachLogPage(ctx, `SELECT id, login, user_id, success, reason, ip, user_agent, at FROM login_logs`, w, f,
		func(rows *sql.Rows) error {
			l := &zhagen.LoginLog{}
			if err := rows.Scan(&l.ID, &l.Login, &l.UserID, &l.Success, &l.Reason, &l.IP, &l.UserAgent, &l.At); err != nil {
				return err
			}
			out = append(out, l)
			return nil
		})
	if f.After > 0 {
		slices.Reverse(out)
	}
	return out, total, err
}

// eachLogPage runs sel (a log's SELECT … FROM) for the page f asks for
// within w and calls scan for each row: newest first, or, after a key,
// oldest first (the caller reverses them). Pages by key walk the primary
// key from the key on, however deep they are.
func (db *DB) eachLogPage(ctx context.Context, sel string, w where, f zhagen.LogFilter, scan func(*sql.Rows) error) error {
	order, offset := " ORDER BY id DESC", max(f.Offset, 0)
	switch {
	case f.Before > 0:
		w.add("id < ?", f.Before)
		offset = 0
	case f.After > 0:
		w.add("id > ?", f.After)
		order, offset = " ORDER BY id", 0
	}
	page, pageArgs := pageSQL(zhagen.ClampLimit(f.Limit, 50, 200), offset)
	rows, err := db.query(ctx, sel+w.String()+order+page, append(w.args, pageArgs...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
