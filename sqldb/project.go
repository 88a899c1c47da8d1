package sqldb

import (
	"context"
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

// projectScopeSQL selects the projects an actor reaches through each
// relation of the policy's project permissions (PermProjectView,
// PermProjectDemands): the owner department and enterprise, the liaison,
// and the departments with open action items on the project.
var projectScopeSQL = scopeSQL{
	zhagen.RelDeptBelow:     subDeptsSQL("p.owner_dept_id"),
	zhagen.RelOwnEnterprise: eqSQL("p.owner_enterprise_id", actorEnterprise),
	zhagen.RelSelf:          eqSQL("p.liaison_id", actorUser),
	zhagen.RelPartDeptBelow: func(a *zhagen.Actor) (string, []any) {
		if a.DeptID == 0 {
			return "", nil
		}
		return `p.id IN (SELECT pc.project_id FROM consultations pc JOIN action_items pai ON pai.consultation_id = pc.id
			WHERE pai.status = 'open' AND pai.owner_dept_id IN ` + deptsBelowSQL + `)`, []any{a.DeptPath}
	},
}

// projectStakeSQL is "col is a key project the actor is a stakeholder
// of" (the policy's PermProjectDemands): the demand scope's
// RelStakeholder.
func projectStakeSQL(col string) func(a *zhagen.Actor) (string, []any) {
	return func(a *zhagen.Actor) (string, []any) {
		var w where
		if err := scope(a, zhagen.PermProjectDemands, &w, projectScopeSQL); err != nil {
			return "", nil // a stakeholder of no project
		}
		return col + " IN (SELECT p.id FROM projects p" + w.String() + ")", w.args
	}
}

// projectScope adds the caller's scope over projects (the policy's
// PermProjectView) to w.
func projectScope(ctx context.Context, w *where) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return a, scope(a, zhagen.PermProjectView, w, projectScopeSQL)
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
	if _, err := authorizeKind(ctx, zhagen.PermProjectCreate); err != nil {
		return err
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
	if f.Behind {
		w.add("EXISTS (SELECT 1 FROM milestones bm WHERE bm.project_id = p.id AND bm.actual_end IS NULL AND bm.planned_end < ?)", s.behindCutoff())
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
	page, pageArgs := pageSQL(zhagen.ClampLimit(f.Limit, 25, 200), f.Offset)
	rows, err := s.db.query(ctx, `SELECT `+projectColumns+projectFrom+w.String()+` ORDER BY `+order+page,
		append(append([]any{s.behindCutoff()}, w.args...), pageArgs...)...)
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

// UpdateProject stores p's fields: those with PermProjectEdit change
// anything; those who report its progress (PermProjectStatus: the
// liaison, the owner department itself, the owner enterprise) only the
// stage.
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
	if err := zhagen.AuthorizeProjectChange(a, cur, p); err != nil {
		return err
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
	tx.bumpGeneration("demands") // the demand scope reads the project's owner and liaison (project stakeholders)
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

// Overview gathers what the dispatcher and leaders watch across projects.
func (s *ProjectService) Overview(ctx context.Context) (*zhagen.ProjectOverview, error) {
	_, err := authorizeKind(ctx, zhagen.PermProjectOverview)
	if err != nil {
		return nil, err
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
	p := &zhagen.Project{}
	err := s.db.queryRow(ctx, `SELECT COALESCE(owner_enterprise_id, 0), COALESCE(owner_dept_id, 0), COALESCE(liaison_id, 0) FROM projects WHERE id = ?`, d.ProjectID).
		Scan(&p.OwnerEnterpriseID, &p.OwnerDeptID, &p.LiaisonID)
	if err != nil && !isNoRows(err) {
		return err
	}
	// A project the caller may not raise problems on (another
	// enterprise's) is answered as one that does not exist.
	if err != nil || !zhagen.Can(a, zhagen.PermProjectRaise, zhagen.ProjectFacts(p, nil)) {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "project_id", Message: "重点项目不存在"}
	}
	if d.EnterpriseID == 0 {
		d.EnterpriseID = p.OwnerEnterpriseID
	}
	return nil
}
