package sqldb

import (
	"context"
	"database/sql"

	"zhagen"
	"zhagen/sla"
)

// FollowUpService keeps the follow-ups (回访, 撤单核查) the demand workflow
// creates (Plan.FollowUp) and records their results.
type FollowUpService struct {
	db      *DB
	demands *DemandService
}

// NewFollowUpService returns the follow-up service of db; demands takes
// the step that reopens a demand found unsolved.
func NewFollowUpService(db *DB, demands *DemandService) *FollowUpService {
	return &FollowUpService{db: db, demands: demands}
}

var _ zhagen.FollowUpService = (*FollowUpService)(nil)

const followUpColumns = `f.id, f.demand_id, d.title, COALESCE(d.enterprise_id, 0), COALESCE(e.name, ''), COALESCE(d.lead_dept_id, 0), COALESCE(ld.name, ''),
	f.kind, f.due_at, f.created_at, f.result, f.method, f.satisfaction, f.note, f.pressed, f.reopened, COALESCE(f.done_by, 0), COALESCE(u.name, ''), f.done_at, f.version`

const followUpFrom = ` FROM followups f JOIN demands d ON d.id = f.demand_id LEFT JOIN enterprises e ON e.id = d.enterprise_id
	LEFT JOIN departments ld ON ld.id = d.lead_dept_id LEFT JOIN users u ON u.id = f.done_by`

// followUpScopeSQL selects the follow-ups an actor reaches through each
// relation of the policy's PermFollowUpView: the demand's lead
// department and those above it.
var followUpScopeSQL = scopeSQL{
	zhagen.RelDeptBelow: subDeptsSQL("d.lead_dept_id"),
}

func scanFollowUp(sc interface{ Scan(...any) error }) (*zhagen.FollowUp, error) {
	f := &zhagen.FollowUp{}
	var pressed sql.NullBool
	if err := sc.Scan(&f.ID, &f.DemandID, &f.DemandTitle, &f.EnterpriseID, &f.EnterpriseName, &f.LeadDeptID, &f.LeadDeptName,
		&f.Kind, &f.DueAt, &f.CreatedAt, &f.Result, &f.Method, &f.Satisfaction, &f.Note, &pressed, &f.Reopened, &f.DoneByID, &f.DoneByName, &f.DoneAt, &f.Version); err != nil {
		return nil, err
	}
	if pressed.Valid {
		f.Pressed = &pressed.Bool
	}
	return f, nil
}

// FindFollowUps returns a page of follow-ups in the caller's scope.
func (s *FollowUpService) FindFollowUps(ctx context.Context, f zhagen.FollowUpFilter) ([]*zhagen.FollowUp, int, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var w where
	if err := scope(a, zhagen.PermFollowUpView, &w, followUpScopeSQL); err != nil {
		return nil, 0, err
	}
	switch f.Status {
	case "open":
		w.add("f.done_at IS NULL")
	case "overdue":
		w.add("f.done_at IS NULL AND f.due_at <= ?", s.db.now())
	case "done":
		w.add("f.done_at IS NOT NULL")
	case "flagged":
		w.add("f.pressed = TRUE")
	}
	if f.Kind != "" {
		w.add("f.kind = ?", string(f.Kind))
	}
	if f.DueBefore != nil {
		w.add("f.done_at IS NULL AND f.due_at < ?", f.DueBefore.UTC())
	}
	if f.DemandID != 0 {
		w.add("f.demand_id = ?", f.DemandID)
	}
	order := map[string]string{"": "f.due_at, f.id", "due": "f.due_at, f.id", "-due": "f.due_at DESC, f.id DESC",
		"created": "f.created_at, f.id", "-created": "f.created_at DESC, f.id DESC"}[f.Sort]
	var total int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*)`+followUpFrom+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	page, pageArgs := pageSQL(limit, f.Offset)
	rows, err := s.db.query(ctx, `SELECT `+followUpColumns+followUpFrom+w.String()+` ORDER BY `+order+page, append(w.args, pageArgs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.FollowUp{}
	for rows.Next() {
		x, err := scanFollowUp(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// FindFollowUpByID returns ENOTFOUND outside the caller's scope.
func (s *FollowUpService) FindFollowUpByID(ctx context.Context, id int64) (*zhagen.FollowUp, error) {
	return s.find(ctx, s.db.sql, id)
}

func (s *FollowUpService) find(ctx context.Context, q querier, id int64) (*zhagen.FollowUp, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{conds: []string{"f.id = ?"}, args: []any{id}}
	if err := scope(a, zhagen.PermFollowUpView, &w, followUpScopeSQL); err != nil {
		if zhagen.ErrorCode(err) == zhagen.EFORBIDDEN {
			return nil, zhagen.Errorf(zhagen.ENOTFOUND, "回访记录不存在")
		}
		return nil, err
	}
	x, err := scanFollowUp(q.QueryRowContext(ctx, s.db.dialect.rebind(`SELECT `+followUpColumns+followUpFrom+w.String()), w.args...))
	return x, notFound(err, "回访记录")
}

// RecordFollowUp records the result once: one conditional UPDATE … WHERE
// done_at IS NULL (and the version, when given) whose rows affected are
// checked; the demand's reopening and the timeline go in the same
// transaction.
func (s *FollowUpService) RecordFollowUp(ctx context.Context, id int64, rec zhagen.FollowUpRecord) (*zhagen.FollowUp, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := s.demands.cals.current(ctx, s.db)
	if err != nil {
		return nil, err
	}
	err = s.db.inBatch(ctx, func(tx *Tx) error { return s.record(ctx, tx, cal, a, id, rec) })
	if err != nil {
		return nil, err
	}
	return s.FindFollowUpByID(ctx, id)
}

// record records rec on follow-up id within tx, at tx's time: the live
// path and the history import share it.
func (s *FollowUpService) record(ctx context.Context, tx *Tx, cal *sla.Calendar, a *zhagen.Actor, id int64, rec zhagen.FollowUpRecord) error {
	cur, err := s.find(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermFollowUpRecord, zhagen.FollowUpFacts(cur)); err != nil {
		return err
	}
	if cur.Done() {
		return zhagen.Errorf(zhagen.ECONFLICT, "该回访已于 %s 记录结果，不能重复记录", cur.DoneAt.In(zhagen.Shanghai).Format("2006-01-02 15:04"))
	}
	if rec.Version != 0 && rec.Version != cur.Version {
		return staleError(cur, cur.Version)
	}
	if err := rec.Validate(cur.Kind); err != nil {
		return err
	}
	reopen := rec.Reopens(cur.Kind)
	var pressed any
	if rec.Pressed != nil {
		pressed = *rec.Pressed
	}
	res, err := tx.exec(ctx, `UPDATE followups SET result = ?, method = ?, satisfaction = ?, note = ?, pressed = ?, reopened = ?, done_by = ?, done_at = ?,
			version = version + 1 WHERE id = ? AND done_at IS NULL AND version = ?`,
		string(rec.Result), string(rec.Method), string(rec.Satisfaction), rec.Note, pressed, reopen, nullID(a.UserID), tx.now, id, cur.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "该回访已被他人同时记录，请刷新后查看")
	}
	r, err := s.demands.findRow(ctx, tx, cur.DemandID)
	if err != nil {
		return err
	}
	if err := tx.rollupFollowUp(ctx, r.Demand, cur.Kind, rec.Result); err != nil {
		return err
	}
	if err := tx.event(ctx, cur.DemandID, r.Status, r.Status, zhagen.ActFollowUp, zhagen.FollowUpNote(cur.Kind, &rec), false); err != nil {
		return err
	}
	if rec.Pressed != nil && *rec.Pressed {
		if err := tx.enqueue(ctx, zhagen.NoticeWithdrawalPressed(cur, rec.Note)); err != nil {
			return err
		}
	}
	if reopen {
		t := zhagen.Transition{Action: zhagen.ActFollowUpReopen, Note: zhagen.FollowUpReopenNote(cur.Kind, &rec)}
		if err := s.demands.transition(ctx, tx, cal, a, cur.DemandID, t); err != nil {
			return err
		}
	}
	return tx.writeOpLog(ctx, "回访", "诉求", cur.DemandID, zhagen.FollowUpNote(cur.Kind, &rec))
}

// createFollowUp stores the follow-up a plan asks for. A demand has at
// most one open follow-up (a unique index): a second is not added while
// the first waits.
func (tx *Tx) createFollowUp(ctx context.Context, demandID int64, f *zhagen.PlannedFollowUp) error {
	_, err := tx.exec(ctx, `INSERT INTO followups (demand_id, kind, due_at, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		demandID, string(f.Kind), f.DueAt.UTC(), tx.now)
	return err
}

// handlingFiles counts d's files uploaded since it was accepted (all of
// them when it never was): the written reply or approval of a resolve.
func (tx *Tx) handlingFiles(ctx context.Context, d *zhagen.Demand) (int, error) {
	q, args := `SELECT COUNT(*) FROM files WHERE owner_kind = ? AND owner_id = ?`, []any{string(zhagen.FileOfDemand), d.ID}
	if d.AcceptedAt != nil {
		q, args = q+` AND created_at >= ?`, append(args, d.AcceptedAt.UTC())
	}
	var n int
	err := tx.queryRow(ctx, q, args...).Scan(&n)
	return n, err
}
