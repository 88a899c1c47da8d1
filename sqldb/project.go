package sqldb

import (
	"context"
	"math"
	"sort"
	"strings"
	"time"

	"zhagen"
	"zhagen/sla"
)

// ProjectService stores key projects, their milestones and approvals.
// The working days an approval waited follow the working calendar.
type ProjectService struct {
	db   *DB
	cals calendarCache
}

// NewProjectService returns the project service of db.
func NewProjectService(db *DB, base *sla.Calendar) *ProjectService {
	return &ProjectService{db: db, cals: calendarCache{base: base}}
}

var _ zhagen.ProjectService = (*ProjectService)(nil)

const projectColumns = `p.id, p.name, p.level, COALESCE(p.owner_enterprise_id, 0), COALESCE(e.name, ''), COALESCE(p.owner_dept_id, 0), COALESCE(od.name, ''),
	p.industry, p.investment, p.area, p.building, COALESCE(p.liaison_id, 0), COALESCE(lu.name, ''), p.status, p.description, p.version, p.created_at, p.updated_at,
	COALESCE((SELECT CAST(AVG(m.progress) AS INTEGER) FROM milestones m WHERE m.project_id = p.id), 0),
	(SELECT COUNT(*) FROM milestones m WHERE m.project_id = p.id AND m.actual_end IS NULL AND m.planned_end < ?),
	(SELECT COUNT(*) FROM approvals a WHERE a.project_id = p.id AND a.status IN ('submitted', 'accepted'))`

const projectFrom = ` FROM projects p LEFT JOIN enterprises e ON e.id = p.owner_enterprise_id LEFT JOIN departments od ON od.id = p.owner_dept_id LEFT JOIN users lu ON lu.id = p.liaison_id`

func scanProject(sc interface{ Scan(...any) error }) (*zhagen.Project, error) {
	p := &zhagen.Project{}
	err := sc.Scan(&p.ID, &p.Name, &p.Level, &p.OwnerEnterpriseID, &p.OwnerEnterpriseName, &p.OwnerDeptID, &p.OwnerDeptName,
		&p.Industry, &p.Investment, &p.Area, &p.Building, &p.LiaisonID, &p.LiaisonName, &p.Status, &p.Description, &p.Version, &p.CreatedAt, &p.UpdatedAt,
		&p.Progress, &p.Behind, &p.OpenApprovals)
	return p, err
}

// behindCutoff is the planned end before which an unfinished milestone
// is behind plan.
func (s *ProjectService) behindCutoff() time.Time { return s.db.now().Add(-24 * time.Hour) }

// projectScope adds the caller's scope over projects: government roles
// read all, enterprise users their own enterprise's.
func projectScope(ctx context.Context, w *where) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	switch a.EnterpriseScope() {
	case zhagen.ScopeAll:
		if a.IntakeChannelID != 0 {
			return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前用户无权查看重点项目")
		}
		return a, nil
	case zhagen.ScopeSelf:
		w.add("p.owner_enterprise_id = ?", a.EnterpriseID)
		return a, nil
	}
	return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前用户无权查看重点项目")
}

// canProgress reports whether the actor reports progress and files
// approvals for p: the dispatcher, the liaison cadre and the owner.
func canProgress(a *zhagen.Actor, p *zhagen.Project) bool {
	return a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) || (a.UserID != 0 && a.UserID == p.LiaisonID) ||
		(a.Has(zhagen.RoleStaff) && p.OwnerDeptID != 0 && a.InDept(p.OwnerDeptID)) ||
		(a.Has(zhagen.RoleEnterprise) && p.OwnerEnterpriseID != 0 && a.EnterpriseID == p.OwnerEnterpriseID)
}

func (s *ProjectService) checkRefs(ctx context.Context, tx *Tx, p *zhagen.Project) error {
	if p.OwnerEnterpriseID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM enterprises WHERE id = ?`, p.OwnerEnterpriseID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "owner", Message: "业主企业不存在"}
		}
	}
	if err := tx.checkDepts(ctx, "owner", p.OwnerDeptID); err != nil {
		return err
	}
	if p.LiaisonID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ? AND archived = FALSE`, p.LiaisonID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "liaison_id", Message: "联系干部不存在"}
		}
	}
	return nil
}

// CreateProject stores a key project (administrators and dispatchers).
func (s *ProjectService) CreateProject(ctx context.Context, p *zhagen.Project) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if !a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) {
		return zhagen.Errorf(zhagen.EFORBIDDEN, "仅管理员或指挥中心可以登记重点项目")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.checkRefs(ctx, tx, p); err != nil {
		return err
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
	p.ID, err = tx.insert(ctx, `INSERT INTO projects (name, level, owner_enterprise_id, owner_dept_id, industry, investment, area, building, liaison_id, status, description,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		p.Name, string(p.Level), nullID(p.OwnerEnterpriseID), nullID(p.OwnerDeptID), p.Industry, p.Investment, p.Area, p.Building, nullID(p.LiaisonID),
		string(p.Status), p.Description, tx.now, tx.now)
	if isUniqueViolation(err) {
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "name", Message: "已有同名重点项目", Fields: []zhagen.FieldError{{Field: "name", Message: "已有同名重点项目"}}}
	} else if err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "重点项目", p.ID, p.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// FindProjectByID returns a project in scope.
func (s *ProjectService) FindProjectByID(ctx context.Context, id int64) (*zhagen.Project, error) {
	w := where{conds: []string{"p.id = ?"}, args: []any{id}}
	if _, err := projectScope(ctx, &w); err != nil {
		return nil, err
	}
	p, err := scanProject(s.db.queryRow(ctx, `SELECT `+projectColumns+projectFrom+w.String(), append([]any{s.behindCutoff()}, w.args...)...))
	return p, notFound(err, "重点项目")
}

// FindProjects returns a page of projects in scope.
func (s *ProjectService) FindProjects(ctx context.Context, f zhagen.ProjectFilter) ([]*zhagen.Project, int, error) {
	var w where
	if _, err := projectScope(ctx, &w); err != nil {
		return nil, 0, err
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(`(p.name LIKE ? ESCAPE '\' OR p.industry LIKE ? ESCAPE '\')`, likeArg(q), likeArg(q))
	}
	if f.Level != "" {
		w.add("p.level = ?", string(f.Level))
	}
	if f.Status != "" {
		w.add("p.status = ?", string(f.Status))
	}
	var total int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*)`+projectFrom+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := "p.id"
	if col, ok := zhagen.ProjectSorts[strings.TrimPrefix(f.Sort, "-")]; ok {
		order = col
		if strings.HasPrefix(f.Sort, "-") {
			order += " DESC"
		}
		order += ", p.id"
	}
	rows, err := s.db.query(ctx, `SELECT `+projectColumns+projectFrom+w.String()+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(append([]any{s.behindCutoff()}, w.args...), zhagen.ClampLimit(f.Limit, 25, 200), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.Project{}
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// UpdateProject stores p's fields: administrators and dispatchers change
// anything; the liaison and the owner only the stage.
func (s *ProjectService) UpdateProject(ctx context.Context, p *zhagen.Project) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	cur, err := s.FindProjectByID(ctx, p.ID)
	if err != nil {
		return err
	}
	if p.Version != 0 && p.Version != cur.Version {
		return staleError(cur, cur.Version)
	}
	if !a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) {
		if !canProgress(a, cur) {
			return zhagen.Errorf(zhagen.EFORBIDDEN, "当前用户无权修改该重点项目")
		}
		status := p.Status
		*p = *cur
		p.Status = status
	}
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.checkRefs(ctx, tx, p); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE projects SET name = ?, level = ?, owner_enterprise_id = ?, owner_dept_id = ?, industry = ?, investment = ?, area = ?, building = ?,
		liaison_id = ?, status = ?, description = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		p.Name, string(p.Level), nullID(p.OwnerEnterpriseID), nullID(p.OwnerDeptID), p.Industry, p.Investment, p.Area, p.Building, nullID(p.LiaisonID),
		string(p.Status), p.Description, tx.now, p.ID, cur.Version)
	if isUniqueViolation(err) {
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "name", Message: "已有同名重点项目"}
	} else if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleError(cur, cur.Version)
	}
	if err := tx.writeOpLog(ctx, "修改", "重点项目", p.ID, p.Name+"："+p.Status.Label()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	got, err := s.FindProjectByID(ctx, p.ID)
	if err == nil {
		*p = *got
	}
	return err
}

const milestoneColumns = `m.id, m.project_id, p.name, m.phase, m.name, m.planned_start, m.planned_end, m.actual_start, m.actual_end, m.progress, m.version`

func (s *ProjectService) milestones(ctx context.Context, cond string, args ...any) ([]*zhagen.Milestone, error) {
	rows, err := s.db.query(ctx, `SELECT `+milestoneColumns+` FROM milestones m JOIN projects p ON p.id = m.project_id WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.db.now()
	out := []*zhagen.Milestone{}
	for rows.Next() {
		m := &zhagen.Milestone{}
		if err := rows.Scan(&m.ID, &m.ProjectID, &m.ProjectName, &m.Phase, &m.Name, &m.PlannedStart, &m.PlannedEnd, &m.ActualStart, &m.ActualEnd, &m.Progress, &m.Version); err != nil {
			return nil, err
		}
		m.Behind = m.BehindAt(now)
		out = append(out, m)
	}
	return out, rows.Err()
}

// FindMilestones lists a project's milestones in plan order.
func (s *ProjectService) FindMilestones(ctx context.Context, projectID int64) ([]*zhagen.Milestone, error) {
	if _, err := s.FindProjectByID(ctx, projectID); err != nil {
		return nil, err
	}
	return s.milestones(ctx, `m.project_id = ? ORDER BY m.planned_start, m.id`, projectID)
}

// SaveMilestone creates or updates a milestone (dispatcher, liaison, owner).
func (s *ProjectService) SaveMilestone(ctx context.Context, m *zhagen.Milestone) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	p, err := s.FindProjectByID(ctx, m.ProjectID)
	if err != nil {
		return err
	}
	if !canProgress(a, p) {
		return zhagen.Errorf(zhagen.EFORBIDDEN, "仅指挥中心、点对点联系干部或业主单位可以更新项目节点")
	}
	if err := m.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if m.ID == 0 {
		m.Version = 1
		m.ID, err = tx.insert(ctx, `INSERT INTO milestones (project_id, phase, name, planned_start, planned_end, actual_start, actual_end, progress, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`, m.ProjectID, m.Phase, m.Name, m.PlannedStart.UTC(), m.PlannedEnd.UTC(), nullTime(m.ActualStart), nullTime(m.ActualEnd), m.Progress)
		if err != nil {
			return err
		}
	} else {
		var cur int64
		if err := tx.queryRow(ctx, `SELECT version FROM milestones WHERE id = ? AND project_id = ?`, m.ID, m.ProjectID).Scan(&cur); err != nil {
			return notFound(err, "项目节点")
		}
		if m.Version != 0 && m.Version != cur {
			return staleError(nil, cur)
		}
		if _, err := tx.exec(ctx, `UPDATE milestones SET phase = ?, name = ?, planned_start = ?, planned_end = ?, actual_start = ?, actual_end = ?, progress = ?,
			version = version + 1 WHERE id = ?`, m.Phase, m.Name, m.PlannedStart.UTC(), m.PlannedEnd.UTC(), nullTime(m.ActualStart), nullTime(m.ActualEnd), m.Progress, m.ID); err != nil {
			return err
		}
		m.Version = cur + 1
	}
	m.ProjectName, m.Behind = p.Name, m.BehindAt(tx.now)
	if err := tx.writeOpLog(ctx, "更新", "项目节点", m.ID, p.Name+" "+m.Name); err != nil {
		return err
	}
	return tx.Commit()
}

const approvalColumns = `ap.id, ap.project_id, p.name, ap.kind, ap.part, ap.dept_id, COALESCE(d.name, ''), ap.status, ap.submitted_at, ap.accepted_at, ap.decided_at,
	ap.note, ap.version, ap.created_at`

const approvalFrom = ` FROM approvals ap JOIN projects p ON p.id = ap.project_id LEFT JOIN departments d ON d.id = ap.dept_id`

// approvalScope adds the caller's scope over approvals: all for
// administrators, dispatchers and leaders; staff those their department
// decides, or files as the project's owner; the liaison cadre their
// projects'; enterprise users their projects'.
func approvalScope(ctx context.Context, w *where) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.IntakeChannelID == 0 && govAll(a) {
		return a, nil
	}
	var ors []string
	var args []any
	if a.Has(zhagen.RoleStaff) && a.DeptID != 0 {
		c1, x1 := deptTree("ap.dept_id", a)
		c2, x2 := deptTree("p.owner_dept_id", a)
		ors, args = append(ors, c1, c2), append(args, x1, x2)
	}
	if a.Has(zhagen.RoleCadre) && a.UserID != 0 {
		ors, args = append(ors, "p.liaison_id = ?"), append(args, a.UserID)
	}
	if a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0 {
		ors, args = append(ors, "p.owner_enterprise_id = ?"), append(args, a.EnterpriseID)
	}
	if len(ors) == 0 {
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前用户无权查看审批事项")
	}
	w.add("("+strings.Join(ors, " OR ")+")", args...)
	return a, nil
}

func (s *ProjectService) approvals(ctx context.Context, w where, order string, limit, offset int) ([]*zhagen.Approval, error) {
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT `+approvalColumns+approvalFrom+w.String()+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(w.args, limit, offset)...)
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
			&x.Note, &x.Version, &x.CreatedAt); err != nil {
			return nil, err
		}
		end := now
		if x.DecidedAt != nil {
			end = *x.DecidedAt
		}
		if day > 0 {
			x.WaitDays = math.Round(float64(cal.WorkingBetween(x.SubmittedAt, end))/float64(day)*10) / 10
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
	if !canProgress(a, p) {
		return zhagen.Errorf(zhagen.EFORBIDDEN, "仅业主单位、点对点联系干部或指挥中心可以申报审批")
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
	title := "审批待受理：" + p.Name + " " + x.Kind.Label()
	if x.Part != "" {
		title += "（" + x.Part + "）"
	}
	if err := tx.notify(ctx, recipients{deptStaff: []int64{x.DeptID}}, title, x.Note, "/projects/"+itoa(p.ID)); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "申报", "审批事项", x.ID, title); err != nil {
		return err
	}
	return tx.Commit()
}

// StepApproval accepts, approves or rejects an approval (staff of its
// department, the dispatcher) or withdraws it (its filers).
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
	decider := a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) || (a.Has(zhagen.RoleStaff) && a.InDept(x.DeptID))
	var to zhagen.ApprovalStatus
	switch st.Action {
	case "accept":
		if !decider {
			return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "仅审批部门可以受理")
		}
		if x.Status != zhagen.ApprovalSubmitted {
			return nil, zhagen.Errorf(zhagen.ECONFLICT, "审批当前为“%s”，不能受理", x.Status.Label())
		}
		to = zhagen.ApprovalAccepted
	case "approve", "reject":
		if !decider {
			return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "仅审批部门可以作出审批决定")
		}
		if !x.Status.Waiting() {
			return nil, zhagen.Errorf(zhagen.ECONFLICT, "审批当前为“%s”，不能再作决定", x.Status.Label())
		}
		to = zhagen.ApprovalApproved
		if st.Action == "reject" {
			to = zhagen.ApprovalRejected
			if strings.TrimSpace(st.Note) == "" {
				return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "note", Message: "请填写不予通过的理由"}
			}
		}
	case "withdraw":
		p, err := s.FindProjectByID(ctx, x.ProjectID)
		if err != nil {
			return nil, err
		}
		if !canProgress(a, p) {
			return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "仅申报单位可以撤回审批")
		}
		if !x.Status.Waiting() {
			return nil, zhagen.Errorf(zhagen.ECONFLICT, "审批当前为“%s”，不能撤回", x.Status.Label())
		}
		to = zhagen.ApprovalWithdrawn
	default:
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "action", Message: "未知操作：" + st.Action}
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
	now := tx.now
	if st.At != nil && !st.At.After(now) && !st.At.Before(x.SubmittedAt) {
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
	res, err := tx.exec(ctx, `UPDATE approvals SET status = ?, accepted_at = ?, decided_at = ?, note = ?, version = version + 1 WHERE id = ? AND version = ?`,
		string(to), nullTime(accepted), nullTime(decided), truncate(note, 2000), id, x.Version)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(x, x.Version)
	}
	var owners recipients
	var liaison, ownerDept, ownerEnt int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(liaison_id, 0), COALESCE(owner_dept_id, 0), COALESCE(owner_enterprise_id, 0) FROM projects WHERE id = ?`, x.ProjectID).Scan(&liaison, &ownerDept, &ownerEnt); err != nil {
		return nil, err
	}
	owners.users, owners.deptStaff, owners.enterprise = []int64{liaison}, []int64{ownerDept}, ownerEnt
	if err := tx.notify(ctx, owners, "审批"+to.Label()+"："+x.ProjectName+" "+x.Kind.Label()+" "+x.Part, strings.TrimSpace(st.Note), "/projects/"+itoa(x.ProjectID)); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, to.Label(), "审批事项", id, x.ProjectName+" "+x.Kind.Label()+" "+x.Part); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindApprovalByID(ctx, id)
}

// Overview gathers what the dispatcher and leaders watch across projects.
func (s *ProjectService) Overview(ctx context.Context) (*zhagen.ProjectOverview, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !govAll(a) || a.IntakeChannelID != 0 {
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "仅指挥中心和领导可以查看项目总览")
	}
	o := &zhagen.ProjectOverview{WaitsByDept: []zhagen.DeptCount{}, OpenItemsByDept: []zhagen.DeptCount{}}
	if o.Behind, err = s.milestones(ctx, `m.actual_end IS NULL AND m.planned_end < ? ORDER BY m.planned_end, m.id LIMIT 100`, s.behindCutoff()); err != nil {
		return nil, err
	}
	waiting, err := s.approvals(ctx, where{conds: []string{"ap.status IN ('submitted', 'accepted')"}}, "ap.submitted_at, ap.id", 1000, 0)
	if err != nil {
		return nil, err
	}
	byDept := map[int64]*zhagen.DeptCount{}
	for _, x := range waiting {
		d := byDept[x.DeptID]
		if d == nil {
			d = &zhagen.DeptCount{DeptID: x.DeptID, DeptName: x.DeptName}
			byDept[x.DeptID] = d
		}
		d.Count++
		d.MaxDays = max(d.MaxDays, x.WaitDays)
	}
	for _, d := range byDept {
		o.WaitsByDept = append(o.WaitsByDept, *d)
	}
	sort.Slice(o.WaitsByDept, func(i, j int) bool {
		a, b := o.WaitsByDept[i], o.WaitsByDept[j]
		return a.MaxDays > b.MaxDays || (a.MaxDays == b.MaxDays && a.DeptID < b.DeptID)
	})
	sort.SliceStable(waiting, func(i, j int) bool { return waiting[i].WaitDays > waiting[j].WaitDays })
	o.LongestWaits = waiting[:min(len(waiting), 20)]
	rows, err := s.db.query(ctx, `SELECT ai.owner_dept_id, COALESCE(d.name, ''), COUNT(*) FROM action_items ai LEFT JOIN departments d ON d.id = ai.owner_dept_id
		WHERE ai.status = 'open' GROUP BY ai.owner_dept_id, d.name ORDER BY COUNT(*) DESC, ai.owner_dept_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d zhagen.DeptCount
		if err := rows.Scan(&d.DeptID, &d.DeptName, &d.Count); err != nil {
			return nil, err
		}
		o.OpenItemsByDept = append(o.OpenItemsByDept, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	cs := &ConsultationService{db: s.db}
	o.Upcoming, _, err = cs.FindConsultations(ctx, zhagen.ConsultationFilter{Upcoming: true, Limit: 20})
	return o, err
}

// checkProject checks the project a demand is raised on: it exists and is
// in the caller's scope; its owner enterprise becomes the demand's
// enterprise when none is given.
func (s *DemandService) checkProject(ctx context.Context, a *zhagen.Actor, d *zhagen.Demand) error {
	var ent int64
	err := s.db.queryRow(ctx, `SELECT COALESCE(owner_enterprise_id, 0) FROM projects WHERE id = ?`, d.ProjectID).Scan(&ent)
	if err != nil {
		if notFound(err, "") != err {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "project_id", Message: "重点项目不存在"}
		}
		return err
	}
	if a.Has(zhagen.RoleEnterprise) && !a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher, zhagen.RoleCadre) && ent != a.EnterpriseID {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "project_id", Message: "重点项目不存在"}
	}
	if d.EnterpriseID == 0 {
		d.EnterpriseID = ent
	}
	return nil
}
