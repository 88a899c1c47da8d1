package sqldb

import (
	"context"
	"math"
	"strings"
	"time"

	"zhagen"
	"zhagen/sla"
)

const approvalColumns = `ap.id, ap.project_id, p.name, ap.kind, ap.part, ap.dept_id, COALESCE(d.name, ''), ap.status, ap.submitted_at, ap.accepted_at, ap.decided_at,
	ap.note, ap.opinion, ap.doc_no, ap.version, ap.created_at`

const approvalFrom = ` FROM approvals ap JOIN projects p ON p.id = ap.project_id LEFT JOIN departments d ON d.id = ap.dept_id`

// approvalScopeSQL selects the approvals an actor reaches through each
// relation of the policy's PermApprovalView: the project's owner
// department and enterprise, its liaison, the approving department.
var approvalScopeSQL = scopeSQL{
	zhagen.RelDeptBelow:     subDeptsSQL("p.owner_dept_id"),
	zhagen.RelPartDeptBelow: subDeptsSQL("ap.dept_id"),
	zhagen.RelSelf:          eqSQL("p.liaison_id", actorUser),
	zhagen.RelOwnEnterprise: eqSQL("p.owner_enterprise_id", actorEnterprise),
}

// approvalScope adds the caller's scope over approvals (the policy's
// PermApprovalView) to w.
func approvalScope(ctx context.Context, w *where) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return a, scope(a, zhagen.PermApprovalView, w, approvalScopeSQL)
}

func (s *ProjectService) approvals(ctx context.Context, w where, order string, limit, offset int) ([]*zhagen.Approval, error) {
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return nil, err
	}
	page, pageArgs := pageSQL(limit, offset)
	rows, err := s.db.query(ctx, `SELECT `+approvalColumns+approvalFrom+w.String()+` ORDER BY `+order+page, append(w.args, pageArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.db.now()
	day := cal.WorkingTime(sla.Duration{Amount: 1, Unit: sla.Days})
	out := []*zhagen.Approval{}
	for rows.Next() {
		x := &zhagen.Approval{}
		if err := rows.Scan(&x.ID, &x.ProjectID, &x.ProjectName, &x.Kind, &x.Part, &x.DeptID, &x.DeptName, &x.Status, &x.SubmittedAt, &x.AcceptedAt, &x.DecidedAt,
			&x.Note, &x.Opinion, &x.DocNo, &x.Version, &x.CreatedAt); err != nil {
			return nil, err
		}
		end := now
		if x.DecidedAt != nil {
			end = *x.DecidedAt
		}
		if day > 0 {
			x.WaitDays = math.Round(float64(cal.WorkingBetween(x.SubmittedAt, end))/float64(day)*10) / 10
			x.Wait = zhagen.NewWorkSpan(cal.WorkingBetween(x.SubmittedAt, end), day)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// FindApprovals returns a page of approvals in scope.
func (s *ProjectService) FindApprovals(ctx context.Context, f zhagen.ApprovalFilter) ([]*zhagen.Approval, int, error) {
	var w where
	if _, err := approvalScope(ctx, &w); err != nil {
		return nil, 0, err
	}
	if f.ProjectID != 0 {
		w.add("ap.project_id = ?", f.ProjectID)
	}
	if f.DeptID != 0 {
		w.add("ap.dept_id = ?", f.DeptID)
	}
	if f.Waiting {
		w.add("ap.status IN ('submitted', 'accepted')")
	}
	var total int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*)`+approvalFrom+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := s.approvals(ctx, w, "ap.submitted_at, ap.id", zhagen.ClampLimit(f.Limit, 50, 500), max(f.Offset, 0))
	return out, total, err
}

// FindApprovalByID returns an approval in scope.
func (s *ProjectService) FindApprovalByID(ctx context.Context, id int64) (*zhagen.Approval, error) {
	w := where{conds: []string{"ap.id = ?"}, args: []any{id}}
	if _, err := approvalScope(ctx, &w); err != nil {
		return nil, err
	}
	out, err := s.approvals(ctx, w, "ap.id", 1, 0)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "审批事项不存在")
	}
	return out[0], nil
}

// FileApproval files an approval for a project and notifies the
// responsible department.
func (s *ProjectService) FileApproval(ctx context.Context, x *zhagen.Approval) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	p, err := s.FindProjectByID(ctx, x.ProjectID)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermApprovalFile, zhagen.ProjectFacts(p, nil)); err != nil {
		return err
	}
	if err := x.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkDepts(ctx, "dept_id", x.DeptID); err != nil {
		return err
	}
	if x.SubmittedAt.IsZero() || x.SubmittedAt.After(tx.now) {
		x.SubmittedAt = tx.now
	}
	x.Status, x.Version, x.CreatedAt, x.ProjectName = zhagen.ApprovalSubmitted, 1, tx.now, p.Name
	x.ID, err = tx.insert(ctx, `INSERT INTO approvals (project_id, kind, part, dept_id, status, submitted_at, note, version, created_at) VALUES (?, ?, ?, ?, 'submitted', ?, ?, 1, ?)`,
		x.ProjectID, string(x.Kind), x.Part, x.DeptID, x.SubmittedAt.UTC(), x.Note, tx.now)
	if err != nil {
		return err
	}
	if err := tx.enqueue(ctx, zhagen.NoticeApprovalSubmitted(x, p.Name)); err != nil {
		return err
	}
	summary := p.Name + " " + x.Kind.Label()
	if x.Part != "" {
		summary += "（" + x.Part + "）"
	}
	if err := tx.writeOpLog(ctx, "申报", "审批事项", x.ID, summary); err != nil {
		return err
	}
	return tx.Commit()
}

// StepApproval accepts, approves or rejects an approval (staff of its
// department itself) or withdraws it (its filers). A decision records
// the department's opinion and, when approved, the reply's document
// number.
func (s *ProjectService) StepApproval(ctx context.Context, id int64, st zhagen.ApprovalStep) (*zhagen.Approval, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	x, err := s.FindApprovalByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if st.Version != 0 && st.Version != x.Version {
		return nil, staleError(x, x.Version)
	}
	to, err := s.stepTarget(ctx, a, x, &st)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	note := x.Note
	if n := strings.TrimSpace(st.Note); n != "" {
		note = strings.TrimSpace(note + "\n" + to.Label() + "：" + n)
	}
	accepted, decided := x.AcceptedAt, x.DecidedAt
	opinion, docNo := x.Opinion, x.DocNo
	if to == zhagen.ApprovalApproved || to == zhagen.ApprovalRejected {
		opinion, docNo = st.Opinion, st.DocNo // checked by stepTarget
	}
	now := tx.now
	if st.At != nil {
		// A step taken earlier falls between the previous step and now.
		earliest := x.SubmittedAt
		if accepted != nil && to != zhagen.ApprovalAccepted {
			earliest = *accepted
		}
		if st.At.After(now) || st.At.Before(earliest) {
			msg := "办理时间须在" + earliest.In(zhagen.Shanghai).Format("2006-01-02 15:04") + "之后、当前时间之前"
			return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "at", Message: msg, Fields: []zhagen.FieldError{{Field: "at", Message: msg}}}
		}
		now = st.At.UTC().Truncate(time.Microsecond)
	}
	if to == zhagen.ApprovalAccepted {
		accepted = &now
	} else {
		decided = &now
		if accepted == nil && to != zhagen.ApprovalWithdrawn {
			accepted = &now
		}
	}
	res, err := tx.exec(ctx, `UPDATE approvals SET status = ?, accepted_at = ?, decided_at = ?, note = ?, opinion = ?, doc_no = ?, version = version + 1 WHERE id = ? AND version = ?`,
		string(to), nullTime(accepted), nullTime(decided), truncate(note, 2000), opinion, docNo, id, x.Version)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(x, x.Version)
	}
	var liaison, ownerDept, ownerEnt int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(liaison_id, 0), COALESCE(owner_dept_id, 0), COALESCE(owner_enterprise_id, 0) FROM projects WHERE id = ?`, x.ProjectID).Scan(&liaison, &ownerDept, &ownerEnt); err != nil {
		return nil, err
	}
	notice := zhagen.NoticeApprovalStepped(x, to, st.Note, liaison, ownerDept, ownerEnt)
	if to == zhagen.ApprovalApproved || to == zhagen.ApprovalRejected {
		notice = zhagen.NoticeApprovalDecided(x, to, opinion, docNo, liaison, ownerDept, ownerEnt)
	}
	if err := tx.enqueue(ctx, notice); err != nil {
		return nil, err
	}
	summary := x.ProjectName + " " + x.Kind.Label() + " " + x.Part
	if to == zhagen.ApprovalApproved || to == zhagen.ApprovalRejected {
		summary += " " + zhagen.ApprovalDecisionText(opinion, docNo)
	}
	if err := tx.writeOpLog(ctx, to.Label(), "审批事项", id, summary); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindApprovalByID(ctx, id)
}

// stepTarget checks that a may take st on x and returns the status it
// leads to: accepting and deciding are for the approving department
// itself, withdrawing for the filers (the policy's PermApprovalAccept,
// PermApprovalDecide, PermApprovalWithdraw); a decision's record is
// checked (and trimmed) in st.
func (s *ProjectService) stepTarget(ctx context.Context, a *zhagen.Actor, x *zhagen.Approval, st *zhagen.ApprovalStep) (zhagen.ApprovalStatus, error) {
	p, err := s.FindProjectByID(ctx, x.ProjectID)
	if err != nil {
		return "", err
	}
	facts := zhagen.ApprovalFacts(x, p)
	switch st.Action {
	case "accept":
		if err := zhagen.Authorize(a, zhagen.PermApprovalAccept, facts); err != nil {
			return "", err
		}
		if x.Status != zhagen.ApprovalSubmitted {
			return "", zhagen.Errorf(zhagen.ECONFLICT, "审批当前为“%s”，不能受理", x.Status.Label())
		}
		return zhagen.ApprovalAccepted, nil
	case "approve", "reject":
		if err := zhagen.Authorize(a, zhagen.PermApprovalDecide, facts); err != nil {
			return "", err
		}
		if !x.Status.Waiting() {
			return "", zhagen.Errorf(zhagen.ECONFLICT, "审批当前为“%s”，不能再作决定", x.Status.Label())
		}
		if err := st.ValidateDecision(); err != nil {
			return "", err
		}
		if st.Action == "reject" {
			return zhagen.ApprovalRejected, nil
		}
		return zhagen.ApprovalApproved, nil
	case "withdraw":
		if err := zhagen.Authorize(a, zhagen.PermApprovalWithdraw, facts); err != nil {
			return "", err
		}
		if !x.Status.Waiting() {
			return "", zhagen.Errorf(zhagen.ECONFLICT, "审批当前为“%s”，不能撤回", x.Status.Label())
		}
		return zhagen.ApprovalWithdrawn, nil
	default:
		return "", &zhagen.Error{Code: zhagen.EINVALID, Field: "action", Message: "未知操作：" + st.Action}
	}
}

// UrgeApproval reminds the approving department of a waiting approval
// (the policy's PermApprovalUrge): a notice to its staff and the
// operation log; the approval itself does not change.
func (s *ProjectService) UrgeApproval(ctx context.Context, id int64, note string) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	x, err := s.FindApprovalByID(ctx, id)
	if err != nil {
		return err
	}
	p, err := s.FindProjectByID(ctx, x.ProjectID)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermApprovalUrge, zhagen.ApprovalFacts(x, p)); err != nil {
		return err
	}
	if !x.Status.Waiting() {
		return zhagen.Errorf(zhagen.ECONFLICT, "审批当前为“%s”，无需催办", x.Status.Label())
	}
	note = strings.TrimSpace(note)
	if n := len([]rune(note)); n > 500 {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "note", Message: "催办说明不能超过500个字"}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.enqueue(ctx, zhagen.NoticeApprovalUrged(x, note)); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "催办", "审批事项", id, strings.TrimSpace(x.ProjectName+" "+x.Kind.Label()+" "+x.Part+" "+note)); err != nil {
		return err
	}
	return tx.Commit()
}
