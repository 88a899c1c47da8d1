package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zhagen"
	"zhagen/sla"
)

// ConsultationService stores consultations and their action items. Due
// times of action items are counted in working days on the calendar.
// Overdue is computed on read: an open item whose due time has passed is
// reported (and filtered) as overdue, so no scheduled job is needed.
type ConsultationService struct {
	db   *DB
	cals calendarCache
}

// NewConsultationService returns the consultation service of db; due
// times follow base with the stored calendar overrides applied.
func NewConsultationService(db *DB, base *sla.Calendar) *ConsultationService {
	return &ConsultationService{db: db, cals: calendarCache{base: base}}
}

var _ zhagen.ConsultationService = (*ConsultationService)(nil)

const consultColumns = `c.id, c.kind, c.title, c.status, c.starts_at, c.place, c.created_by, c.convener_name, COALESCE(c.convener_dept_id, 0),
	COALESCE(c.project_id, 0), COALESCE(p.name, ''), c.agenda, c.minutes, c.decisions, c.version, c.created_at, c.updated_at,
	(SELECT COUNT(*) FROM action_items oi WHERE oi.consultation_id = c.id AND oi.status = 'open')`

const consultFrom = ` FROM consultations c LEFT JOIN projects p ON p.id = c.project_id`

func scanConsultation(sc interface{ Scan(...any) error }) (*zhagen.Consultation, error) {
	c := &zhagen.Consultation{DemandIDs: []int64{}, Invitees: []*zhagen.Invitee{}, Items: []*zhagen.ActionItem{}}
	err := sc.Scan(&c.ID, &c.Kind, &c.Title, &c.Status, &c.StartsAt, &c.Place, &c.ConvenerID, &c.ConvenerName, &c.ConvenerDept,
		&c.ProjectID, &c.ProjectName, &c.Agenda, &c.Minutes, &c.Decisions, &c.Version, &c.CreatedAt, &c.UpdatedAt, &c.OpenItems)
	return c, err
}

// consultBelowSQL is the set of the actor's department and those below it.
const consultBelowSQL = deptsBelowSQL

// consultScopeSQL selects the consultations an actor reaches through
// each relation of the policy's PermConsultationView: the convener and
// the convener's department; invited people; invited departments, those
// owning an action item and those handling a linked demand; the owner
// enterprise of the project and the enterprises of linked demands.
var consultScopeSQL = scopeSQL{
	zhagen.RelSelf: eqSQL("c.created_by", actorUser),
	zhagen.RelPart: func(a *zhagen.Actor) (string, []any) {
		if a.UserID == 0 {
			return "", nil
		}
		return "EXISTS (SELECT 1 FROM consultation_invitees si WHERE si.consultation_id = c.id AND si.user_id = ?)", []any{a.UserID}
	},
	zhagen.RelDeptBelow: subDeptsSQL("c.convener_dept_id"),
	zhagen.RelPartDeptBelow: func(a *zhagen.Actor) (string, []any) {
		if a.DeptID == 0 {
			return "", nil
		}
		below := a.DeptPath
		return "(EXISTS (SELECT 1 FROM consultation_invitees si WHERE si.consultation_id = c.id AND si.dept_id IN " + consultBelowSQL + ")" +
				" OR EXISTS (SELECT 1 FROM action_items sa WHERE sa.consultation_id = c.id AND sa.owner_dept_id IN " + consultBelowSQL + ")" +
				// The linked demands' departments are asked per linked demand:
				// as a join, SQLite started from the department's rows of
				// demand_depts (demand_depts_dept: 125,000 at a million
				// demands) instead of the consultation's few links (29 ms
				// a consultation against 0.02).
				" OR EXISTS (SELECT 1 FROM consultation_demands scd WHERE scd.consultation_id = c.id AND EXISTS (SELECT 1 FROM demand_depts sd WHERE sd.demand_id = scd.demand_id AND sd.dept_id IN " + consultBelowSQL + ")))",
			[]any{below, below, below}
	},
	zhagen.RelOwnEnterprise: func(a *zhagen.Actor) (string, []any) {
		if a.EnterpriseID == 0 {
			return "", nil
		}
		// A linked demand's enterprise is looked up by the demand's id, in
		// a subquery of its own: as a join, the planners started from the
		// enterprise's demands (tens of thousands for a busy one) instead
		// of the consultation's few links (26 ms against 0.4 ms).
		return "(p.owner_enterprise_id = ? OR EXISTS (SELECT 1 FROM consultation_demands ed WHERE ed.consultation_id = c.id AND (SELECT de.enterprise_id FROM demands de WHERE de.id = ed.demand_id) = ?))",
			[]any{a.EnterpriseID, a.EnterpriseID}
	},
}

// consultScope adds the caller's scope over consultations (the policy's
// PermConsultationView) to w.
func consultScope(ctx context.Context, w *where) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return a, scope(a, zhagen.PermConsultationView, w, consultScopeSQL)
}

// consultFacts are the facts of c that managing it needs: its convener
// and the convener's department (the parties matter only for seeing it,
// which consultScope decides).
func consultFacts(c *zhagen.Consultation) zhagen.Facts {
	return zhagen.ConsultationFacts(c, 0, nil, nil)
}

// CreateConsultation stores a consultation with its invitations and
// linked demands, and notifies the invitees.
func (s *ConsultationService) CreateConsultation(ctx context.Context, c *zhagen.Consultation) error {
	a, err := authorizeKind(ctx, zhagen.PermConsultationCreate)
	if err != nil {
		return err
	}
	if c.Status == "" {
		c.Status = zhagen.ConsultPlanned
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkDepts(ctx, "invite_dept_ids", c.InviteDeptIDs...); err != nil {
		return err
	}
	if c.ProjectID != 0 {
		if err := tx.queryRow(ctx, `SELECT name FROM projects WHERE id = ?`, c.ProjectID).Scan(&c.ProjectName); err != nil {
			if isNoRows(err) {
				return &zhagen.Error{Code: zhagen.EINVALID, Field: "project_id", Message: "重点项目不存在"}
			}
			return err
		}
	}
	c.ConvenerID, c.ConvenerName, c.ConvenerDept = a.UserID, a.Name, a.DeptID
	c.Version, c.CreatedAt, c.UpdatedAt = 1, tx.now, tx.now
	c.ID, err = tx.insert(ctx, `INSERT INTO consultations (kind, title, status, starts_at, place, created_by, convener_name, convener_dept_id, project_id,
		agenda, minutes, decisions, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		string(c.Kind), c.Title, string(c.Status), nullTime(c.StartsAt), c.Place, a.UserID, a.Name, nullID(a.DeptID), nullID(c.ProjectID),
		c.Agenda, c.Minutes, c.Decisions, tx.now, tx.now)
	if err != nil {
		return err
	}
	if err := s.link(ctx, tx, c, c.DemandIDs, c.InviteDeptIDs, c.InviteUserIDs); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "会商", c.ID, c.Kind.Label()+"："+c.Title); err != nil {
		return err
	}
	return tx.Commit()
}

// link adds demands and invitations to a consultation and notifies the
// new invitees. Only demands the caller sees (the policy's
// PermDemandView) are linked; one they do not see is answered exactly as
// one that does not exist.
func (s *ConsultationService) link(ctx context.Context, tx *Tx, c *zhagen.Consultation, demands, depts, users []int64) error {
	sees := zhagen.CanAny(zhagen.ActorFromContext(ctx), zhagen.PermDemandView)
	for _, id := range demands {
		w := where{conds: []string{"d.id = ?"}, args: []any{id}}
		if !sees {
			w.add("1 = 0") // the caller sees no demand at all
		} else if _, err := demandScope(ctx, &w); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM demands d`+w.String(), w.args...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "demand_ids", Message: fmt.Sprintf("诉求 #%d 不存在", id)}
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM consultation_demands WHERE consultation_id = ? AND demand_id = ?`, c.ID, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := tx.exec(ctx, `INSERT INTO consultation_demands (consultation_id, demand_id) VALUES (?, ?)`, c.ID, id); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE demands SET consultation_id = COALESCE(consultation_id, ?) WHERE id = ?`, c.ID, id); err != nil {
				return err
			}
			tx.bumpGeneration("demands")
		}
	}
	var invDepts, invUsers []int64
	for _, d := range uniq(depts) {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM consultation_invitees WHERE consultation_id = ? AND dept_id = ?`, c.ID, d).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO consultation_invitees (consultation_id, dept_id, attendance) VALUES (?, ?, 'pending')`, c.ID, d); err != nil {
			return err
		}
		invDepts = append(invDepts, d)
	}
	for _, u := range uniq(users) {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ?`, u).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "invite_user_ids", Message: "用户不存在：" + itoa(u)}
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM consultation_invitees WHERE consultation_id = ? AND user_id = ?`, c.ID, u).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO consultation_invitees (consultation_id, user_id, attendance) VALUES (?, ?, 'pending')`, c.ID, u); err != nil {
			return err
		}
		invUsers = append(invUsers, u)
	}
	return tx.enqueue(ctx, zhagen.NoticeConsultationInvite(c, invDepts, invUsers))
}

func uniq(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// FindConsultationByID returns a consultation with its invitees, linked
// demands and action items.
func (s *ConsultationService) FindConsultationByID(ctx context.Context, id int64) (*zhagen.Consultation, error) {
	c, err := s.find(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT i.id, COALESCE(i.dept_id, 0), COALESCE(d.name, ''), COALESCE(i.user_id, 0), COALESCE(u.name, ''), i.attendance, i.answered_by, i.answered_at
		FROM consultation_invitees i LEFT JOIN departments d ON d.id = i.dept_id LEFT JOIN users u ON u.id = i.user_id WHERE i.consultation_id = ? ORDER BY i.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		v := &zhagen.Invitee{}
		if err := rows.Scan(&v.ID, &v.DeptID, &v.DeptName, &v.UserID, &v.UserName, &v.Attendance, &v.AnsweredBy, &v.AnsweredAt); err != nil {
			return nil, err
		}
		c.Invitees = append(c.Invitees, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if c.DemandIDs, err = s.demandIDs(ctx, id); err != nil {
		return nil, err
	}
	c.Items, err = s.items(ctx, where{conds: []string{"ai.consultation_id = ?"}, args: []any{id}}, "ai.id", 500, 0)
	return c, err
}

func (s *ConsultationService) demandIDs(ctx context.Context, id int64) ([]int64, error) {
	rows, err := s.db.query(ctx, `SELECT demand_id FROM consultation_demands WHERE consultation_id = ? ORDER BY demand_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *ConsultationService) find(ctx context.Context, id int64) (*zhagen.Consultation, error) {
	w := where{conds: []string{"c.id = ?"}, args: []any{id}}
	if _, err := consultScope(ctx, &w); err != nil {
		return nil, err
	}
	c, err := scanConsultation(s.db.queryRow(ctx, `SELECT `+consultColumns+consultFrom+w.String(), w.args...))
	return c, notFound(err, "会商")
}

// FindConsultations returns a page of consultations in scope, newest
// meeting first (upcoming ones soonest first).
func (s *ConsultationService) FindConsultations(ctx context.Context, f zhagen.ConsultationFilter) ([]*zhagen.Consultation, int, error) {
	var w where
	if _, err := consultScope(ctx, &w); err != nil {
		return nil, 0, err
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(`(c.title LIKE ? ESCAPE '\' OR c.minutes LIKE ? ESCAPE '\')`, likeArg(q), likeArg(q))
	}
	if f.Kind != "" {
		w.add("c.kind = ?", string(f.Kind))
	}
	if f.Status != "" {
		w.add("c.status = ?", string(f.Status))
	}
	if f.ProjectID != 0 {
		w.add("c.project_id = ?", f.ProjectID)
	}
	if f.DemandID != 0 {
		w.add("c.id IN (SELECT consultation_id FROM consultation_demands WHERE demand_id = ?)", f.DemandID)
	}
	order := "COALESCE(c.starts_at, c.created_at) DESC, c.id DESC"
	if f.Upcoming {
		w.add("c.status = 'planned' AND c.starts_at >= ?", s.db.now())
		order = "c.starts_at, c.id"
	}
	var total int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*)`+consultFrom+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	page, pageArgs := pageSQL(zhagen.ClampLimit(f.Limit, 25, 200), f.Offset)
	rows, err := s.db.query(ctx, `SELECT `+consultColumns+consultFrom+w.String()+` ORDER BY `+order+page, append(w.args, pageArgs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.Consultation{}
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// UpdateConsultation changes a consultation (the policy's
// PermConsultationManage: its convener, the convener's department itself
// or the command centre).
func (s *ConsultationService) UpdateConsultation(ctx context.Context, id int64, u zhagen.ConsultationUpdate) (*zhagen.Consultation, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.FindConsultationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, zhagen.PermConsultationManage, consultFacts(c)); err != nil {
		return nil, err
	}
	if u.Version != 0 && u.Version != c.Version {
		return nil, staleError(c, c.Version)
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&c.Title, u.Title)
	set(&c.Place, u.Place)
	set(&c.Agenda, u.Agenda)
	set(&c.Minutes, u.Minutes)
	set(&c.Decisions, u.Decisions)
	if u.Status != nil {
		c.Status = *u.Status
	}
	if u.StartsAt != nil {
		c.StartsAt = u.StartsAt
	}
	if u.ProjectID != nil {
		c.ProjectID = *u.ProjectID
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.checkDepts(ctx, "add_dept_ids", u.AddDeptIDs...); err != nil {
		return nil, err
	}
	if c.ProjectID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM projects WHERE id = ?`, c.ProjectID).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "project_id", Message: "重点项目不存在"}
		}
	}
	res, err := tx.exec(ctx, `UPDATE consultations SET title = ?, status = ?, starts_at = ?, place = ?, project_id = ?, agenda = ?, minutes = ?, decisions = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		c.Title, string(c.Status), nullTime(c.StartsAt), c.Place, nullID(c.ProjectID), c.Agenda, c.Minutes, c.Decisions, tx.now, id, c.Version)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(c, c.Version)
	}
	if err := s.link(ctx, tx, c, u.AddDemandIDs, u.AddDeptIDs, u.AddUserIDs); err != nil {
		return nil, err
	}
	if u.ProjectID != nil {
		tx.bumpGeneration("demands") // its open items may now concern another project (project stakeholders)
	}
	if err := tx.writeOpLog(ctx, "修改", "会商", id, c.Title); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindConsultationByID(ctx, id)
}

// ConfirmAttendance answers the caller's own invitation, else their
// department's (the policy's PermConsultationAttend).
func (s *ConsultationService) ConfirmAttendance(ctx context.Context, id int64, att zhagen.Attendance) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if att != zhagen.AttendYes && att != zhagen.AttendDeclined {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "attendance", Message: "请选择确认参会或请假"}
	}
	c, err := s.FindConsultationByID(ctx, id)
	if err != nil {
		return err
	}
	target := zhagen.MyInvitation(a, c)
	if target == nil {
		return zhagen.Forbidden(zhagen.PermConsultationAttend)
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Only a changed answer is stored and told: of concurrent identical
	// answers one is.
	res, err := tx.exec(ctx, `UPDATE consultation_invitees SET attendance = ?, answered_by = ?, answered_at = ? WHERE id = ? AND attendance <> ?`,
		string(att), a.Name, tx.now, target.ID, string(att))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "已回复“%s”，无需重复提交", att.Label())
	}
	if err := tx.enqueue(ctx, zhagen.NoticeAttendance(c, att, a.Name, a.DeptName)); err != nil {
		return err
	}
	return tx.Commit()
}

// escalate creates the joint consultation (联合会诊, planned) of a
// demand that its lead department or the dispatcher escalates.
func (tx *Tx) escalate(ctx context.Context, a *zhagen.Actor, d *zhagen.Demand, topic string) (int64, error) {
	cid, err := tx.insert(ctx, `INSERT INTO consultations (kind, title, status, demand_id, created_by, convener_name, convener_dept_id, project_id, agenda, version, created_at, updated_at)
		VALUES ('joint', ?, 'planned', ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		truncate(topic, 200), d.ID, a.UserID, a.Name, nullID(a.DeptID), nullID(d.ProjectID), truncate(topic, 4000), tx.now, tx.now)
	if err != nil {
		return 0, err
	}
	_, err = tx.exec(ctx, `INSERT INTO consultation_demands (consultation_id, demand_id) VALUES (?, ?)`, cid, d.ID)
	return cid, err
}
