package sqldb

import (
	"context"

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
	_, err := tx.exec(ctx, `INSERT INTO op_logs (user_id, user_name, action, object_type, object_id, summary, ip, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		uid, name, action, objectType, objectID, truncate(summary, 2000), zhagen.IPFromContext(ctx), tx.now)
	return err
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

// FindOpLogs returns the newest operation log lines first (admin only).
func (s *LogService) FindOpLogs(ctx context.Context, f zhagen.LogFilter) ([]*zhagen.OpLog, int, error) {
	if _, err := permitted(ctx, zhagen.PermOpLogView, zhagen.Facts{}); err != nil {
		return nil, 0, err
	}
	var w where
	if f.Query != "" {
		q := likeArg(f.Query)
		w.add(`(user_name LIKE ? ESCAPE '\' OR action LIKE ? ESCAPE '\' OR object_type LIKE ? ESCAPE '\' OR summary LIKE ? ESCAPE '\')`, q, q, q, q)
	}
	rows, err := s.db.query(ctx, `SELECT id, user_id, user_name, action, object_type, object_id, summary, ip, at, COUNT(*) OVER() FROM op_logs`+w.String()+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(w.args, zhagen.ClampLimit(f.Limit, 50, 200), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*zhagen.OpLog
	total := 0
	for rows.Next() {
		l := &zhagen.OpLog{}
		if err := rows.Scan(&l.ID, &l.UserID, &l.UserName, &l.Action, &l.ObjectType, &l.ObjectID, &l.Summary, &l.IP, &l.At, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, l)
	}
	return out, total, rows.Err()
}

// FindLoginLogs returns the newest login attempts first (admin only).
func (s *LogService) FindLoginLogs(ctx context.Context, f zhagen.LogFilter) ([]*zhagen.LoginLog, int, error) {
	if _, err := permitted(ctx, zhagen.PermLoginLogView, zhagen.Facts{}); err != nil {
		return nil, 0, err
	}
	var w where
	if f.Query != "" {
		q := likeArg(f.Query)
		w.add(`(login LIKE ? ESCAPE '\' OR ip LIKE ? ESCAPE '\' OR reason LIKE ? ESCAPE '\')`, q, q, q)
	}
	rows, err := s.db.query(ctx, `SELECT id, login, user_id, success, reason, ip, user_agent, at, COUNT(*) OVER() FROM login_logs`+w.String()+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(w.args, zhagen.ClampLimit(f.Limit, 50, 200), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*zhagen.LoginLog
	total := 0
	for rows.Next() {
		l := &zhagen.LoginLog{}
		if err := rows.Scan(&l.ID, &l.Login, &l.UserID, &l.Success, &l.Reason, &l.IP, &l.UserAgent, &l.At, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, l)
	}
	return out, total, rows.Err()
}
