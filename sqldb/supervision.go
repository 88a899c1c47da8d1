package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"zhagen"
	"zhagen/sla"
)

// SupervisionService keeps supervision orders (督办单) and runs the
// escalation ladder.
type SupervisionService struct {
	db    *DB
	cals  calendarCache
	rules ladderRuleCache
	// The generation of the ladder rules and the calendar (watchGenerations)
	// at the last ladder run that looked at every open demand.
	watchMu   sync.Mutex
	watchSeen bool
	watchGen  int64
}

// NewSupervisionService returns the supervision service of db; reply due
// times follow base with the stored calendar overrides.
func NewSupervisionService(db *DB, base *sla.Calendar) *SupervisionService {
	return &SupervisionService{db: db, cals: calendarCache{base: base}}
}

var _ zhagen.SupervisionService = (*SupervisionService)(nil)

const orderColumns = `o.id, o.year, o.seq, o.subject_kind, o.subject_id, o.subject_title, COALESCE(o.demand_id, 0), o.dept_id, COALESCE(dp.name, ''),
	o.requirement, o.issuer_id, o.issuer_name, o.auto, o.status, o.reply_hours, o.reply_due, o.reply_progress, o.promised_date,
	o.replied_by, o.replied_at, o.close_note, o.closed_by, o.closed_at, o.escalated_to, o.escalated_at, o.version, o.created_at, o.updated_at`

const orderFrom = ` FROM supervision_orders o LEFT JOIN departments dp ON dp.id = o.dept_id`

func scanOrder(sc interface{ Scan(...any) error }) (*zhagen.SupervisionOrder, error) {
	o := &zhagen.SupervisionOrder{}
	err := sc.Scan(&o.ID, &o.Year, &o.Seq, &o.SubjectKind, &o.SubjectID, &o.SubjectTitle, &o.DemandID, &o.DeptID, &o.DeptName,
		&o.Requirement, &o.IssuerID, &o.IssuerName, &o.Auto, &o.Status, &o.ReplyHours, &o.ReplyDue, &o.ReplyProgress, &o.PromisedDate,
		&o.RepliedBy, &o.RepliedAt, &o.CloseNote, &o.ClosedBy, &o.ClosedAt, &o.EscalatedTo, &o.EscalatedAt, &o.Version, &o.CreatedAt, &o.UpdatedAt)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// orderScopeSQL selects the orders an actor reaches through each relation
// of PermSupervisionView: the addressee department and those below.
var orderScopeSQL = scopeSQL{
	zhagen.RelDeptBelow: subDeptsSQL("o.dept_id"),
}

// FindSupervision returns one order in the caller's scope.
func (s *SupervisionService) FindSupervision(ctx context.Context, id int64) (*zhagen.SupervisionOrder, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{conds: []string{"o.id = ?"}, args: []any{id}}
	if err := scope(a, zhagen.PermSupervisionView, &w, orderScopeSQL); err != nil {
		return nil, err
	}
	o, err := scanOrder(s.db.queryRow(ctx, `SELECT `+orderColumns+orderFrom+w.String(), w.args...))
	return o, notFound(err, "督办单")
}

// FindSupervisions lists orders in the caller's scope: those not closed
// first, then the closed ones, each by reply due time.
func (s *SupervisionService) FindSupervisions(ctx context.Context, f zhagen.SupervisionFilter) ([]*zhagen.SupervisionOrder, error) {
	a, w, err := orderScope(ctx)
	if err != nil {
		return nil, err
	}
	if f.Status != "" {
		w.add("o.status = ?", string(f.Status))
	}
	if f.DeptID != 0 {
		w.add("o.dept_id = ?", f.DeptID)
	}
	if f.Mine {
		w.add("(o.dept_id = ? OR o.issuer_id = ?)", a.DeptID, a.UserID)
	}
	if f.Overdue { // as of the minute, as SupervisionTallies counts them
		w.add("o.status = 'open' AND o.reply_due <= ?", s.db.now().Truncate(time.Minute))
	}
	// The orders not closed first, then the closed ones, each by reply due
	// time: two index ranges (supervision_open, supervision_open_due)
	// instead of sorting every order of the zone for each page.
	limit, offset := zhagen.ClampLimit(f.Limit, 200, 1000), max(f.Offset, 0)
	out := []*zhagen.SupervisionOrder{}
	parts := []string{"o.status <> 'closed'", "o.status = 'closed'"}
	switch {
	case f.Status == zhagen.SupervisionClosed:
		parts = parts[1:]
	case f.Open || f.Status != "" || f.Overdue:
		parts = parts[:1]
	}
	for i, part := range parts {
		if len(out) == limit {
			break
		}
		pw := where{conds: append(slices.Clone(w.conds), part), args: w.args}
		n := 0
		if err := s.eachOrder(ctx, pw, limit-len(out), offset, f.Latest, func(o *zhagen.SupervisionOrder) { out = append(out, o); n++ }); err != nil {
			return nil, err
		}
		if n > 0 || offset == 0 || i == len(parts)-1 {
			offset = 0
			continue
		}
		// The offset passed every order of this part: the rest of it
		// skips into the next.
		var c int
		if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM supervision_orders o`+pw.String(), pw.args...).Scan(&c); err != nil {
			return nil, err
		}
		offset = max(offset-c, 0)
	}
	return out, nil
}

// eachOrder calls fn for the first limit orders w selects after skipping
// offset, by reply due time (latest first when latest).
func (s *SupervisionService) eachOrder(ctx context.Context, w where, limit, offset int, latest bool, fn func(*zhagen.SupervisionOrder)) error {
	order := ` ORDER BY o.reply_due, o.id`
	if latest {
		order = ` ORDER BY o.reply_due DESC, o.id DESC`
	}
	rows, err := s.db.query(ctx, `SELECT `+orderColumns+orderFrom+w.String()+order+` LIMIT ? OFFSET ?`, append(slices.Clone(w.args), limit, offset)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return err
		}
		fn(o)
	}
	return rows.Err()
}

// SupervisionTallies counts the orders within the actor's view per
// addressee department, busiest first. The counts are kept until an
// order is written (the generation of supervision_orders) or the minute
// changes, when orders may have come due.
func (s *SupervisionService) SupervisionTallies(ctx context.Context) ([]*zhagen.SupervisionTally, error) {
	_, w, err := orderScope(ctx)
	if err != nil {
		return nil, err
	}
	gen, err := s.db.generation(ctx, "supervision_orders", "departments")
	if err != nil {
		return nil, err
	}
	minute := s.db.now().Truncate(time.Minute)
	return keptCopies(&s.db.tallyCache, gen, fmt.Sprint(w.String(), w.args, minute.Unix()), func() ([]zhagen.SupervisionTally, error) {
		return s.tallies(ctx, w, minute)
	})
}

// orderScope is the caller and the conditions of the orders within
// their view.
func orderScope(ctx context.Context) (*zhagen.Actor, where, error) {
	var w where
	a, err := requireActor(ctx)
	if err == nil {
		err = scope(a, zhagen.PermSupervisionView, &w, orderScopeSQL)
	}
	return a, w, err
}

func (s *SupervisionService) tallies(ctx context.Context, w where, now time.Time) ([]zhagen.SupervisionTally, error) {
	rows, err := s.db.query(ctx, `SELECT o.dept_id, o.status, COUNT(*),
		SUM(CASE WHEN o.status = 'open' AND o.reply_due <= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN o.status <> 'closed' AND o.escalated_at IS NOT NULL THEN 1 ELSE 0 END)
		FROM supervision_orders o`+w.String()+` GROUP BY o.dept_id, o.status`, append([]any{now}, w.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byDept := map[int64]*zhagen.SupervisionTally{}
	var order []int64
	for rows.Next() {
		var dept int64
		var status zhagen.SupervisionStatus
		var n, overdue, escalated int
		if err := rows.Scan(&dept, &status, &n, &overdue, &escalated); err != nil {
			return nil, err
		}
		t := byDept[dept]
		if t == nil {
			t = &zhagen.SupervisionTally{DeptID: dept}
			byDept[dept] = t
			order = append(order, dept)
		}
		switch status {
		case zhagen.SupervisionOpen:
			t.Open += n
		case zhagen.SupervisionReplied:
			t.Replied += n
		default:
			t.Closed += n
		}
		t.Overdue += overdue
		t.Escalated += escalated
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names, err := s.db.departmentNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]zhagen.SupervisionTally, 0, len(order))
	for _, id := range order {
		t := byDept[id]
		t.DeptName = names[id]
		out = append(out, *t)
	}
	slices.SortStableFunc(out, func(x, y zhagen.SupervisionTally) int {
		if c := cmp.Compare(y.Pending(), x.Pending()); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Closed, x.Closed); c != 0 {
			return c
		}
		return cmp.Compare(x.DeptID, y.DeptID)
	})
	return out, nil
}

// RaiseSupervision files an order on a demand, an action item or an
// approval. The addressee defaults to the subject's department (the lead
// department, the item's owner, the approving department).
func (s *SupervisionService) RaiseSupervision(ctx context.Context, o *zhagen.SupervisionOrder) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermSupervisionRaise, zhagen.Facts{}); err != nil {
		return err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if o.ReplyHours == 0 {
		rules, err := s.rules.get(ctx, s.db)
		if err != nil {
			return err
		}
		o.ReplyHours = zhagen.PickLadderRule(rules, 0, "").ReplyHours
	}
	if err := tx.subject(ctx, o); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if err := tx.checkDepts(ctx, "dept_id", o.DeptID); err != nil {
		return err
	}
	if err := tx.queryRow(ctx, `SELECT name FROM departments WHERE id = ?`, o.DeptID).Scan(&o.DeptName); err != nil {
		return err
	}
	o.IssuerID, o.IssuerName, o.Auto = a.UserID, a.Name, false
	heads, err := tx.deptHeads(ctx, o.DeptID)
	if err != nil {
		return err
	}
	if err := s.insertOrder(ctx, tx, cal, o, heads); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "发起督办", "督办单", o.ID, o.Number()+" "+o.DeptName+"："+truncate(o.Requirement, 200)); err != nil {
		return err
	}
	return tx.Commit()
}

// subject loads the title (and the demand, and the default addressee) of
// the order's subject; EINVALID when there is none.
func (tx *Tx) subject(ctx context.Context, o *zhagen.SupervisionOrder) error {
	var q string
	switch o.SubjectKind {
	case zhagen.SubjectDemand:
		q = `SELECT title, COALESCE(lead_dept_id, 0), is_open FROM demands WHERE id = ?`
	case zhagen.SubjectActionItem:
		q = `SELECT title, owner_dept_id, status <> 'done' FROM action_items WHERE id = ?`
	case zhagen.SubjectApproval:
		q = `SELECT p.name || ' ' || ap.kind || ' ' || ap.part, ap.dept_id, ap.status IN ('submitted', 'accepted') FROM approvals ap JOIN projects p ON p.id = ap.project_id WHERE ap.id = ?`
	default:
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "subject_kind", Message: "请选择督办对象"}
	}
	var title string
	var dept int64
	var open bool
	if err := tx.queryRow(ctx, q, o.SubjectID).Scan(&title, &dept, &open); err != nil {
		if isNoRows(err) {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "subject_id", Message: "督办事项不存在"}
		}
		return err
	}
	if !open {
		return zhagen.Errorf(zhagen.ECONFLICT, "该%s已办结，无需督办", o.SubjectKind.Label())
	}
	if o.SubjectKind == zhagen.SubjectApproval {
		var kind zhagen.ApprovalKind
		var name, part string
		if err := tx.queryRow(ctx, `SELECT p.name, ap.kind, ap.part FROM approvals ap JOIN projects p ON p.id = ap.project_id WHERE ap.id = ?`, o.SubjectID).Scan(&name, &kind, &part); err != nil {
			return err
		}
		title = name + " " + kind.Label()
		if part != "" {
			title += "（" + part + "）"
		}
	}
	o.SubjectTitle, o.DemandID = title, 0
	if o.SubjectKind == zhagen.SubjectDemand {
		o.DemandID = o.SubjectID
	}
	if o.DeptID == 0 {
		o.DeptID = dept
	}
	return nil
}

// insertOrder numbers and stores o within tx, raised by the actor of ctx
// (nil: the ladder), with its notice and, on a demand, its timeline step.
func (s *SupervisionService) insertOrder(ctx context.Context, tx *Tx, cal *sla.Calendar, o *zhagen.SupervisionOrder, heads []int64) error {
	o.Year = tx.now.In(zhagen.Shanghai).Year()
	seq, err := tx.nextOrderSeq(ctx, o.Year)
	if err != nil {
		return err
	}
	o.Seq, o.Status, o.Version, o.CreatedAt, o.UpdatedAt = seq, zhagen.SupervisionOpen, 1, tx.now, tx.now
	o.ReplyDue = zhagen.ReplyDueAt(cal, tx.now, o.ReplyHours).UTC()
	o.ID, err = tx.insert(ctx, `INSERT INTO supervision_orders (year, seq, subject_kind, subject_id, subject_title, demand_id, dept_id, requirement,
		issuer_id, issuer_name, auto, status, reply_hours, reply_due, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, 1, ?, ?)`,
		o.Year, o.Seq, string(o.SubjectKind), o.SubjectID, o.SubjectTitle, nullID(o.DemandID), o.DeptID, o.Requirement,
		o.IssuerID, o.IssuerName, o.Auto, o.ReplyHours, o.ReplyDue, tx.now, tx.now)
	if err != nil {
		return err
	}
	tx.bumpGeneration("supervision_orders") // SupervisionTallies
	if err := tx.enqueue(ctx, zhagen.NoticeSupervisionRaised(o, heads)); err != nil {
		return err
	}
	if o.DemandID != 0 {
		return tx.orderEvent(ctx, o, zhagen.SupervisionNote(o))
	}
	return nil
}

// nextOrderSeq takes the next number of year: one conditional counter
// row per year, whose UPDATE holds the row until tx ends.
func (tx *Tx) nextOrderSeq(ctx context.Context, year int) (int, error) {
	for range 2 {
		res, err := tx.exec(ctx, `UPDATE supervision_seq SET last = last + 1 WHERE year = ?`, year)
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			var seq int
			err := tx.queryRow(ctx, `SELECT last FROM supervision_seq WHERE year = ?`, year).Scan(&seq)
			return seq, err
		}
		res, err = tx.exec(ctx, `INSERT INTO supervision_seq (year, last) VALUES (?, 1) ON CONFLICT (year) DO NOTHING`, year)
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return 1, nil
		}
	}
	return 0, zhagen.Errorf(zhagen.ECONFLICT, "督办单编号冲突，请重试")
}

// orderEvent puts a step of order o on its demand's timeline (internal).
func (tx *Tx) orderEvent(ctx context.Context, o *zhagen.SupervisionOrder, note string) error {
	var status string
	if err := tx.queryRow(ctx, `SELECT status FROM demands WHERE id = ?`, o.DemandID).Scan(&status); err != nil {
		return err
	}
	st := zhagen.DemandStatus(status)
	return tx.event(ctx, o.DemandID, st, st, zhagen.ActSupervise, note, false)
}

// ReplySupervision records the addressee's reply; only an open order
// takes one, once (the conditional UPDATE decides).
func (s *SupervisionService) ReplySupervision(ctx context.Context, id int64, r zhagen.SupervisionReply) (*zhagen.SupervisionOrder, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.FindSupervision(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, zhagen.PermSupervisionReply, o.Facts()); err != nil {
		return nil, err
	}
	if err := r.Validate(s.db.now()); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := `UPDATE supervision_orders SET status = 'replied', reply_progress = ?, promised_date = ?, replied_by = ?, replied_at = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND status = 'open'`
	args := []any{r.Progress, r.PromisedDate, a.Name, tx.now, tx.now, id}
	if r.Version != 0 {
		q += ` AND version = ?`
		args = append(args, r.Version)
	}
	if err := tx.once(ctx, q, args, "该督办单已回复或已办结，请刷新后查看"); err != nil {
		return nil, err
	}
	tx.bumpGeneration("supervision_orders")
	o.Status, o.ReplyProgress, o.PromisedDate, o.RepliedBy, o.RepliedAt, o.Version = zhagen.SupervisionReplied, r.Progress, r.PromisedDate, a.Name, &tx.now, o.Version+1
	if err := tx.enqueue(ctx, zhagen.NoticeSupervisionReplied(o)); err != nil {
		return nil, err
	}
	if o.DemandID != 0 {
		if err := tx.orderEvent(ctx, o, zhagen.SupervisionReplyNote(o)); err != nil {
			return nil, err
		}
	}
	if err := tx.writeOpLog(ctx, "回复督办", "督办单", o.ID, o.Number()+"："+truncate(r.Progress, 200)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindSupervision(ctx, id)
}

// CloseSupervision closes an open or replied order, once.
func (s *SupervisionService) CloseSupervision(ctx context.Context, id int64, c zhagen.SupervisionClose) (*zhagen.SupervisionOrder, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.FindSupervision(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, zhagen.PermSupervisionClose, o.Facts()); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := `UPDATE supervision_orders SET status = 'closed', close_note = ?, closed_by = ?, closed_at = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND status <> 'closed'`
	args := []any{c.Note, a.Name, tx.now, tx.now, id}
	if c.Version != 0 {
		q += ` AND version = ?`
		args = append(args, c.Version)
	}
	if err := tx.once(ctx, q, args, "该督办单已办结或已被他人更新，请刷新后查看"); err != nil {
		return nil, err
	}
	tx.bumpGeneration("supervision_orders")
	o.Status, o.CloseNote, o.ClosedBy, o.ClosedAt = zhagen.SupervisionClosed, c.Note, a.Name, &tx.now
	if err := tx.enqueue(ctx, zhagen.NoticeSupervisionClosed(o)); err != nil {
		return nil, err
	}
	if o.DemandID != 0 {
		if err := tx.orderEvent(ctx, o, zhagen.SupervisionCloseNote(o)); err != nil {
			return nil, err
		}
	}
	if err := tx.writeOpLog(ctx, "办结督办", "督办单", o.ID, zhagen.SupervisionCloseNote(o)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindSupervision(ctx, id)
}

// once runs a conditional write that must change exactly one row;
// ECONFLICT with msg when it changed none.
func (tx *Tx) once(ctx context.Context, q string, args []any, msg string) error {
	res, err := tx.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "%s", msg)
	}
	return nil
}
