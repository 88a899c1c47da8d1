package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhagen"
)

// LinkageService keeps linkages, visits, red flags and linkage
// suggestions. Demands filed from visits go through demands.
type LinkageService struct {
	db      *DB
	demands zhagen.DemandService
}

// NewLinkageService returns the linkage service of db; demands files the
// demands made from visit findings.
func NewLinkageService(db *DB, demands zhagen.DemandService) *LinkageService {
	return &LinkageService{db: db, demands: demands}
}

var _ zhagen.LinkageService = (*LinkageService)(nil)

// today is the zone's date of the clock, YYYY-MM-DD.
func (db *DB) today() string { return db.clock.Now().In(zhagen.Shanghai).Format("2006-01-02") }

func addDays(day string, n int) string {
	t, ok := zhagen.ParseDay(day)
	if !ok {
		return day
	}
	return t.AddDate(0, 0, n).Format("2006-01-02")
}

// govReader: roles that read every linkage.
func govReader(a *zhagen.Actor) bool {
	return a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher, zhagen.RoleLeader, zhagen.RoleStaff, zhagen.RoleCadre)
}

func requireLinkEditor(ctx context.Context) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) {
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "只有管理员或指挥中心可以调整挂钩关系")
	}
	return a, nil
}

const linkColumns = `l.id, l.cadre_id, u.name, u.rank, COALESCE(u.dept_id, 0), COALESCE(d.name, ''), l.enterprise_id, e.name, e.is_key,
	l.role, l.start_date, COALESCE(l.end_date, ''), l.cadence_days, l.active, COALESCE(l.suggestion_id, 0), l.version, l.created_at,
	COALESCE((SELECT MAX(v.visit_date) FROM visits v WHERE v.enterprise_id = l.enterprise_id AND v.status = 'logged'), '')`

const linkFrom = ` FROM linkages l JOIN users u ON u.id = l.cadre_id LEFT JOIN departments d ON d.id = u.dept_id JOIN enterprises e ON e.id = l.enterprise_id`

func scanLinkage(sc interface{ Scan(...any) error }) (*zhagen.Linkage, error) {
	l := &zhagen.Linkage{}
	err := sc.Scan(&l.ID, &l.CadreID, &l.CadreName, &l.CadreRank, &l.DeptID, &l.DeptName, &l.EnterpriseID, &l.EnterpriseName, &l.EnterpriseKey,
		&l.Role, &l.StartDate, &l.EndDate, &l.CadenceDays, &l.Active, &l.SuggestionID, &l.Version, &l.CreatedAt, &l.LastVisit)
	return l, err
}

// fillDue fills NextDue, Overdue and DueSoon for today.
func fillDue(l *zhagen.Linkage, today string) {
	if !l.Active {
		return
	}
	base := l.StartDate
	if l.LastVisit != "" && l.LastVisit > base {
		base = l.LastVisit
	}
	l.NextDue = addDays(base, l.CadenceDays)
	l.Overdue = l.NextDue < today
	l.DueSoon = !l.Overdue && l.NextDue <= addDays(today, 7)
}

// CreateLinkage links a cadre to an enterprise (admin, dispatcher).
func (s *LinkageService) CreateLinkage(ctx context.Context, l *zhagen.Linkage) error {
	if _, err := requireLinkEditor(ctx); err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.insertLinkage(ctx, tx, l); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *LinkageService) insertLinkage(ctx context.Context, tx *Tx, l *zhagen.Linkage) error {
	var roles string
	if err := tx.queryRow(ctx, `SELECT roles FROM users WHERE id = ? AND archived = FALSE`, l.CadreID).Scan(&roles); err != nil || !slices.Contains(zhagen.ParseRoles(roles), zhagen.RoleCadre) {
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "cadre_id", Message: "挂钩干部不存在或不是联系干部",
			Fields: []zhagen.FieldError{{Field: "cadre_id", Message: "挂钩干部不存在或不是联系干部"}}}
	}
	var name string
	if err := tx.queryRow(ctx, `SELECT name FROM enterprises WHERE id = ? AND archived = FALSE`, l.EnterpriseID).Scan(&name); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "enterprise_id", Message: "挂钩企业不存在",
				Fields: []zhagen.FieldError{{Field: "enterprise_id", Message: "挂钩企业不存在"}}}
		}
		return err
	}
	if l.StartDate == "" {
		l.StartDate = s.db.today()
	}
	l.Active, l.Version, l.CreatedAt, l.EnterpriseName = true, 1, tx.now, name
	var sugg any
	if l.SuggestionID != 0 {
		sugg = l.SuggestionID
	}
	var err error
	l.ID, err = tx.insert(ctx, `INSERT INTO linkages (cadre_id, enterprise_id, role, start_date, cadence_days, active, suggestion_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, TRUE, ?, 1, ?, ?)`,
		l.CadreID, l.EnterpriseID, string(l.Role), l.StartDate, l.CadenceDays, sugg, tx.now, tx.now)
	if isUniqueViolation(err) {
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "cadre_id", Message: "该干部已以此角色挂钩该企业"}
	} else if err != nil {
		return err
	}
	return tx.writeOpLog(ctx, "新建", "挂钩关系", l.ID, fmt.Sprintf("干部%d ↔ %s（%s）", l.CadreID, name, l.Role.Label()))
}

// EndLinkage ends an active linkage; the record stays as history.
func (s *LinkageService) EndLinkage(ctx context.Context, id int64, date string) (*zhagen.Linkage, error) {
	if _, err := requireLinkEditor(ctx); err != nil {
		return nil, err
	}
	if date == "" {
		date = s.db.today()
	} else if _, ok := zhagen.ParseDay(date); !ok {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "end_date", Message: "结束日期格式应为YYYY-MM-DD"}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	l, err := scanLinkage(tx.queryRow(ctx, `SELECT `+linkColumns+linkFrom+` WHERE l.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "挂钩关系")
	}
	if !l.Active {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该挂钩关系已于%s结束", l.EndDate)
	}
	if date < l.StartDate {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "end_date", Message: "结束日期不能早于开始日期"}
	}
	if _, err := tx.exec(ctx, `UPDATE linkages SET active = FALSE, end_date = ?, version = version + 1, updated_at = ? WHERE id = ?`, date, tx.now, id); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "结束", "挂钩关系", id, l.CadreName+" ↔ "+l.EnterpriseName); err != nil {
		return nil, err
	}
	l.Active, l.EndDate = false, date
	l.Version++
	return l, tx.Commit()
}

// linkageScope limits linkages: government roles read all, an
// enterprise user those of their enterprise.
func linkageScope(ctx context.Context, w *where) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	switch {
	case govReader(a):
	case a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0:
		w.add("l.enterprise_id = ?", a.EnterpriseID)
	default:
		return zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权查看挂钩关系")
	}
	return nil
}

// FindLinkages returns linkages in scope, newest first, with their due
// dates; Overdue keeps only those overdue today.
func (s *LinkageService) FindLinkages(ctx context.Context, f zhagen.LinkageFilter) ([]*zhagen.Linkage, int, error) {
	var w where
	if err := linkageScope(ctx, &w); err != nil {
		return nil, 0, err
	}
	if f.CadreID != 0 {
		w.add("l.cadre_id = ?", f.CadreID)
	}
	if f.EnterpriseID != 0 {
		w.add("l.enterprise_id = ?", f.EnterpriseID)
	}
	if f.DeptID != 0 {
		w.add("u.dept_id = ?", f.DeptID)
	}
	if f.Active != nil {
		w.add("l.active = ?", *f.Active)
	}
	rows, err := s.db.query(ctx, `SELECT `+linkColumns+linkFrom+w.String()+` ORDER BY l.active DESC, e.name, l.id`, w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	today := s.db.today()
	out := []*zhagen.Linkage{}
	for rows.Next() {
		l, err := scanLinkage(rows)
		if err != nil {
			return nil, 0, err
		}
		fillDue(l, today)
		if f.Overdue && !l.Overdue {
			continue
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	total := len(out)
	if f.Limit > 0 {
		lo := min(max(f.Offset, 0), total)
		out = out[lo:min(lo+zhagen.ClampLimit(f.Limit, 50, 500), total)]
	}
	return out, total, nil
}

// Coverage counts, per department and per cadre, the active linkages
// whose enterprise was visited within the cadence.
func (s *LinkageService) Coverage(ctx context.Context) (*zhagen.CoverageReport, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !govReader(a) {
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权查看走访覆盖率")
	}
	yes := true
	links, _, err := s.FindLinkages(ctx, zhagen.LinkageFilter{Active: &yes})
	if err != nil {
		return nil, err
	}
	rep := &zhagen.CoverageReport{Total: zhagen.Coverage{Name: "合计"}, Depts: []*zhagen.Coverage{}, Cadres: []*zhagen.Coverage{}}
	depts, cadres := map[int64]*zhagen.Coverage{}, map[int64]*zhagen.Coverage{}
	entSeen, entVisited := map[int64]bool{}, map[int64]bool{}
	get := func(m map[int64]*zhagen.Coverage, list *[]*zhagen.Coverage, id int64, name string) *zhagen.Coverage {
		c := m[id]
		if c == nil {
			c = &zhagen.Coverage{ID: id, Name: name}
			m[id] = c
			*list = append(*list, c)
		}
		return c
	}
	for _, l := range links {
		ok := !l.Overdue && l.LastVisit != ""
		for _, c := range []*zhagen.Coverage{get(depts, &rep.Depts, l.DeptID, l.DeptName), get(cadres, &rep.Cadres, l.CadreID, l.CadreName)} {
			c.Linked++
			if ok {
				c.Visited++
			}
		}
		entSeen[l.EnterpriseID] = true
		entVisited[l.EnterpriseID] = entVisited[l.EnterpriseID] || ok
	}
	for id := range entSeen {
		rep.Total.Linked++
		if entVisited[id] {
			rep.Total.Visited++
		}
	}
	all := append(append([]*zhagen.Coverage{&rep.Total}, rep.Depts...), rep.Cadres...)
	for _, c := range all {
		if c.Linked > 0 {
			c.Percent = float64(int(float64(c.Visited)*1000/float64(c.Linked)+0.5)) / 10
		}
	}
	byPct := func(a, b *zhagen.Coverage) int {
		if a.Percent != b.Percent {
			if a.Percent < b.Percent {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	}
	slices.SortFunc(rep.Depts, byPct)
	slices.SortFunc(rep.Cadres, byPct)
	return rep, nil
}

// ---- visits ----

const visitColumns = `v.id, v.enterprise_id, e.name, v.cadre_id, u.name, v.status, v.visit_date, v.kind, v.participants, v.topics, v.public_notes,
	v.situation, v.findings, v.internal_notes, COALESCE(v.demand_id, 0), v.version, v.created_at, v.updated_at`

const visitFrom = ` FROM visits v JOIN enterprises e ON e.id = v.enterprise_id JOIN users u ON u.id = v.cadre_id`

func scanVisit(sc interface{ Scan(...any) error }) (*zhagen.Visit, error) {
	v := &zhagen.Visit{}
	var situation string
	err := sc.Scan(&v.ID, &v.EnterpriseID, &v.EnterpriseName, &v.CadreID, &v.CadreName, &v.Status, &v.Date, &v.Kind, &v.Participants, &v.Topics, &v.PublicNotes,
		&situation, &v.Findings, &v.InternalNotes, &v.DemandID, &v.Version, &v.CreatedAt, &v.UpdatedAt)
	if err != nil {
		return nil, err
	}
	v.Situation = &zhagen.Situation{}
	json.Unmarshal([]byte(situation), v.Situation)
	return v, nil
}

// visitScope limits visits to the caller's: everything for the
// dispatcher, leaders and administrators; the visits of their
// department's cadres for staff; the enterprises linked to a cadre (and
// the visits they made); the logged visits of an enterprise user's own
// enterprise, of which only the public part is returned (public true).
func visitScope(ctx context.Context, w *where) (public bool, err error) {
	a, err := requireActor(ctx)
	if err != nil {
		return false, err
	}
	var ors []string
	var args []any
	switch {
	case a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher, zhagen.RoleLeader):
		return false, nil
	}
	if a.Has(zhagen.RoleStaff) && a.DeptID != 0 {
		ors = append(ors, "v.cadre_id IN (SELECT id FROM users WHERE dept_id = ?)")
		args = append(args, a.DeptID)
	}
	if a.Has(zhagen.RoleCadre) {
		ors = append(ors, "v.cadre_id = ?", "v.enterprise_id IN (SELECT enterprise_id FROM linkages WHERE cadre_id = ? AND active = TRUE)")
		args = append(args, a.UserID, a.UserID)
	}
	if len(ors) > 0 {
		w.add("("+strings.Join(ors, " OR ")+")", args...)
		return false, nil
	}
	if a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0 {
		w.add("v.enterprise_id = ? AND v.status = 'logged'", a.EnterpriseID)
		return true, nil
	}
	return false, zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权查看走访记录")
}

// FindVisits returns visits in scope, newest first.
func (s *LinkageService) FindVisits(ctx context.Context, f zhagen.VisitFilter) ([]*zhagen.Visit, int, error) {
	var w where
	public, err := visitScope(ctx, &w)
	if err != nil {
		return nil, 0, err
	}
	if f.EnterpriseID != 0 {
		w.add("v.enterprise_id = ?", f.EnterpriseID)
	}
	if f.CadreID != 0 {
		w.add("v.cadre_id = ?", f.CadreID)
	}
	if f.Status != "" {
		w.add("v.status = ?", string(f.Status))
	}
	var total int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*)`+visitFrom+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.query(ctx, `SELECT `+visitColumns+visitFrom+w.String()+` ORDER BY v.visit_date DESC, v.id DESC LIMIT ? OFFSET ?`,
		append(w.args, zhagen.ClampLimit(f.Limit, 50, 200), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.Visit{}
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return nil, 0, err
		}
		if public {
			v.PublicOnly()
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// FindVisitByID returns a visit in scope (ENOTFOUND outside it).
func (s *LinkageService) FindVisitByID(ctx context.Context, id int64) (*zhagen.Visit, error) {
	w := where{conds: []string{"v.id = ?"}, args: []any{id}}
	public, err := visitScope(ctx, &w)
	if err != nil {
		return nil, err
	}
	v, err := scanVisit(s.db.queryRow(ctx, `SELECT `+visitColumns+visitFrom+w.String(), w.args...))
	if err != nil {
		return nil, notFound(err, "走访记录")
	}
	if public {
		v.PublicOnly()
		return v, nil
	}
	rows, err := s.db.query(ctx, `SELECT reason FROM red_flags WHERE visit_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		v.Flags = append(v.Flags, r)
	}
	return v, rows.Err()
}

// visitWriter decides whose visit the caller may write for the
// enterprise: a cadre only their own, for an enterprise actively linked
// to them (ENOTFOUND otherwise, as the enterprise is outside their
// scope); the dispatcher and administrators for any cadre.
func visitWriter(ctx context.Context, tx *Tx, v *zhagen.Visit) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) {
		if v.CadreID == 0 {
			// Logged on behalf of the enterprise's linked cadre, if any.
			err := tx.queryRow(ctx, `SELECT cadre_id FROM linkages WHERE enterprise_id = ? AND active = TRUE ORDER BY id LIMIT 1`, v.EnterpriseID).Scan(&v.CadreID)
			if errors.Is(err, sql.ErrNoRows) {
				v.CadreID = a.UserID
			} else if err != nil {
				return err
			}
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM enterprises WHERE id = ?`, v.EnterpriseID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "enterprise_id", Message: "走访企业不存在",
				Fields: []zhagen.FieldError{{Field: "enterprise_id", Message: "走访企业不存在"}}}
		}
		return nil
	}
	if !a.Has(zhagen.RoleCadre) {
		return zhagen.Errorf(zhagen.EFORBIDDEN, "只有挂钩干部可以记录走访")
	}
	v.CadreID = a.UserID
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM linkages WHERE cadre_id = ? AND enterprise_id = ? AND active = TRUE`, a.UserID, v.EnterpriseID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "企业不存在或未与您挂钩")
	}
	return nil
}

// CreateVisit plans or logs a visit.
func (s *LinkageService) CreateVisit(ctx context.Context, v *zhagen.Visit) error {
	if _, err := requireActor(ctx); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := visitWriter(ctx, tx, v); err != nil {
		return err
	}
	situation, _ := json.Marshal(v.Situation)
	v.Version, v.CreatedAt, v.UpdatedAt = 1, tx.now, tx.now
	v.ID, err = tx.insert(ctx, `INSERT INTO visits (enterprise_id, cadre_id, status, visit_date, kind, participants, topics, public_notes, situation, findings, internal_notes, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		v.EnterpriseID, v.CadreID, string(v.Status), v.Date, string(v.Kind), v.Participants, v.Topics, v.PublicNotes, string(situation), v.Findings, v.InternalNotes, tx.now, tx.now)
	if err != nil {
		return err
	}
	if v.Status == zhagen.VisitLogged {
		if v.Flags, err = evaluateFlags(ctx, tx, v); err != nil {
			return err
		}
	}
	if err := tx.writeOpLog(ctx, map[zhagen.VisitStatus]string{zhagen.VisitPlanned: "计划", zhagen.VisitLogged: "记录"}[v.Status], "走访", v.ID, v.Date+" "+v.Topics); err != nil {
		return err
	}
	return tx.Commit()
}

// UpdateVisit replaces a visit's fields when its version is current.
func (s *LinkageService) UpdateVisit(ctx context.Context, id int64, v *zhagen.Visit) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cur, err := scanVisit(tx.queryRow(ctx, `SELECT `+visitColumns+visitFrom+` WHERE v.id = ?`, id))
	if err != nil {
		return notFound(err, "走访记录")
	}
	v.EnterpriseID = cur.EnterpriseID
	if v.CadreID == 0 {
		v.CadreID = cur.CadreID
	}
	if err := visitWriter(ctx, tx, v); err != nil {
		return err
	}
	if !a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) && cur.CadreID != a.UserID {
		return zhagen.Errorf(zhagen.EFORBIDDEN, "只能修改自己的走访记录")
	}
	if err := v.Validate(); err != nil {
		return err
	}
	if cur.Version != v.Version {
		return staleError(cur, cur.Version)
	}
	situation, _ := json.Marshal(v.Situation)
	if _, err := tx.exec(ctx, `UPDATE visits SET cadre_id = ?, status = ?, visit_date = ?, kind = ?, participants = ?, topics = ?, public_notes = ?, situation = ?, findings = ?, internal_notes = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		v.CadreID, string(v.Status), v.Date, string(v.Kind), v.Participants, v.Topics, v.PublicNotes, string(situation), v.Findings, v.InternalNotes, tx.now, id); err != nil {
		return err
	}
	v.ID, v.Version, v.CreatedAt, v.UpdatedAt, v.DemandID = id, cur.Version+1, cur.CreatedAt, tx.now, cur.DemandID
	if v.Status == zhagen.VisitLogged {
		if v.Flags, err = evaluateFlags(ctx, tx, v); err != nil {
			return err
		}
	}
	if err := tx.writeOpLog(ctx, "修改", "走访", id, v.Date+" "+v.Topics); err != nil {
		return err
	}
	return tx.Commit()
}

// evaluateFlags applies the active rules to a logged visit: a rule that
// matches raises a flag unless one is open; an open flag whose rule no
// longer matches is cleared by this visit when it is not older than the
// visit that raised it. It returns the reasons that match.
func evaluateFlags(ctx context.Context, tx *Tx, v *zhagen.Visit) ([]string, error) {
	rules, err := queryRules(ctx, tx.queryRowsFn(ctx), true)
	if err != nil {
		return nil, err
	}
	// Only the latest logged visit of the enterprise decides its flags.
	var latest string
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(visit_date), '') FROM visits WHERE enterprise_id = ? AND status = 'logged' AND id <> ?`, v.EnterpriseID, v.ID).Scan(&latest); err != nil {
		return nil, err
	}
	stale := v.Date < latest
	var reasons []string
	for _, r := range rules {
		var flagID int64
		var flagDate string
		err := tx.queryRow(ctx, `SELECT f.id, v.visit_date FROM red_flags f JOIN visits v ON v.id = f.visit_id WHERE f.enterprise_id = ? AND f.rule_id = ? AND f.cleared_at IS NULL`, v.EnterpriseID, r.ID).Scan(&flagID, &flagDate)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		open := err == nil
		if r.Matches(v.Situation) {
			reasons = append(reasons, r.Reason)
			if open || stale {
				continue
			}
			if _, err := tx.insert(ctx, `INSERT INTO red_flags (enterprise_id, rule_id, reason, visit_id, raised_at) VALUES (?, ?, ?, ?, ?)`,
				v.EnterpriseID, r.ID, r.Reason, v.ID, tx.now); err != nil {
				return nil, err
			}
			var name string
			tx.queryRow(ctx, `SELECT name FROM enterprises WHERE id = ?`, v.EnterpriseID).Scan(&name)
			if err := tx.notify(ctx, recipients{roles: []zhagen.Role{zhagen.RoleDispatcher}}, "风险预警："+name, r.Reason+"（走访 "+v.Date+"）", "/red-flags"); err != nil {
				return nil, err
			}
		} else if open && !stale && v.Date >= flagDate {
			if _, err := tx.exec(ctx, `UPDATE red_flags SET cleared_at = ?, cleared_by = ?, clear_note = ?, clear_visit_id = ? WHERE id = ?`,
				tx.now, "走访复核", "后续走访未再触发："+r.Describe(), v.ID, flagID); err != nil {
				return nil, err
			}
		}
	}
	return reasons, nil
}

// DemandFromVisit files the visit's finding as a demand of its enterprise.
func (s *LinkageService) DemandFromVisit(ctx context.Context, visitID int64, d *zhagen.Demand) error {
	if s.demands == nil {
		return zhagen.Errorf(zhagen.EINTERNAL, "诉求服务未配置")
	}
	v, err := s.FindVisitByID(ctx, visitID)
	if err != nil {
		return err
	}
	a := zhagen.ActorFromContext(ctx)
	if !a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher) && v.CadreID != a.UserID {
		return zhagen.Errorf(zhagen.EFORBIDDEN, "只有走访干部可以将发现转为诉求")
	}
	d.EnterpriseID, d.Channel = v.EnterpriseID, zhagen.ChannelVisit
	if strings.TrimSpace(d.Description) == "" {
		d.Description = v.Findings
	}
	if strings.TrimSpace(d.Title) == "" {
		t := []rune(strings.TrimSpace(strings.SplitN(d.Description, "\n", 2)[0]))
		if len(t) > 30 {
			t = append(t[:30], '…')
		}
		d.Title = "走访发现：" + string(t)
	}
	if d.Answers == nil {
		d.Answers = zhagen.Answers{}
	}
	if err := s.demands.CreateDemand(ctx, d, ""); err != nil {
		return err
	}
	_, err = s.db.exec(ctx, `UPDATE visits SET demand_id = ? WHERE id = ? AND demand_id IS NULL`, d.ID, visitID)
	return err
}

// ---- red flags ----

type rowsFn func(query string, args ...any) (*sql.Rows, error)

func (tx *Tx) queryRowsFn(ctx context.Context) rowsFn {
	return func(q string, args ...any) (*sql.Rows, error) {
		st, err := tx.stmt(ctx, q)
		if err != nil {
			return nil, err
		}
		return st.QueryContext(ctx, args...)
	}
}

func queryRules(ctx context.Context, q rowsFn, activeOnly bool) ([]*zhagen.RedFlagRule, error) {
	query := `SELECT id, field, op, threshold, reason, active, created_at FROM red_flag_rules`
	if activeOnly {
		query += ` WHERE active = TRUE`
	}
	rows, err := q(query + ` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.RedFlagRule{}
	for rows.Next() {
		r := &zhagen.RedFlagRule{}
		if err := rows.Scan(&r.ID, &r.Field, &r.Op, &r.Threshold, &r.Reason, &r.Active, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func requireFlagReader(ctx context.Context) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher, zhagen.RoleLeader, zhagen.RoleStaff, zhagen.RoleCadre) {
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权查看风险预警")
	}
	return a, nil
}

// FindRedFlagRules lists the rules (government roles).
func (s *LinkageService) FindRedFlagRules(ctx context.Context) ([]*zhagen.RedFlagRule, error) {
	if _, err := requireFlagReader(ctx); err != nil {
		return nil, err
	}
	return queryRules(ctx, func(q string, args ...any) (*sql.Rows, error) { return s.db.query(ctx, q, args...) }, false)
}

// CreateRedFlagRule adds a rule (admin).
func (s *LinkageService) CreateRedFlagRule(ctx context.Context, r *zhagen.RedFlagRule) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r.Active, r.CreatedAt = true, tx.now
	if r.ID, err = tx.insert(ctx, `INSERT INTO red_flag_rules (field, op, threshold, reason, active, created_at) VALUES (?, ?, ?, ?, TRUE, ?)`,
		r.Field, string(r.Op), r.Threshold, r.Reason, tx.now); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "预警规则", r.ID, r.Describe()+" → "+r.Reason); err != nil {
		return err
	}
	return tx.Commit()
}

// SetRedFlagRuleActive turns a rule on or off (admin).
func (s *LinkageService) SetRedFlagRuleActive(ctx context.Context, id int64, active bool) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE red_flag_rules SET active = ? WHERE id = ?`, active, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "预警规则不存在")
	}
	action := "停用"
	if active {
		action = "启用"
	}
	if err := tx.writeOpLog(ctx, action, "预警规则", id, ""); err != nil {
		return err
	}
	return tx.Commit()
}

const flagColumns = `f.id, f.enterprise_id, e.name, f.rule_id, f.reason, f.visit_id, v.visit_date, f.raised_at, f.cleared_at, f.cleared_by, f.clear_note, COALESCE(f.clear_visit_id, 0)`
const flagFrom = ` FROM red_flags f JOIN enterprises e ON e.id = f.enterprise_id JOIN visits v ON v.id = f.visit_id`

func scanFlag(sc interface{ Scan(...any) error }) (*zhagen.RedFlag, error) {
	f := &zhagen.RedFlag{}
	err := sc.Scan(&f.ID, &f.EnterpriseID, &f.EnterpriseName, &f.RuleID, &f.Reason, &f.VisitID, &f.VisitDate, &f.RaisedAt, &f.ClearedAt, &f.ClearedBy, &f.ClearNote, &f.ClearVisitID)
	return f, err
}

// FindRedFlags lists flags, open ones first (government roles).
func (s *LinkageService) FindRedFlags(ctx context.Context, openOnly bool, enterpriseID int64) ([]*zhagen.RedFlag, error) {
	if _, err := requireFlagReader(ctx); err != nil {
		return nil, err
	}
	var w where
	if openOnly {
		w.add("f.cleared_at IS NULL")
	}
	if enterpriseID != 0 {
		w.add("f.enterprise_id = ?", enterpriseID)
	}
	rows, err := s.db.query(ctx, `SELECT `+flagColumns+flagFrom+w.String()+` ORDER BY CASE WHEN f.cleared_at IS NULL THEN 0 ELSE 1 END, f.raised_at DESC, f.id DESC LIMIT 500`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.RedFlag{}
	for rows.Next() {
		f, err := scanFlag(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ClearRedFlag clears an open flag with a note (admin, dispatcher).
func (s *LinkageService) ClearRedFlag(ctx context.Context, id int64, note string) (*zhagen.RedFlag, error) {
	a, err := requireLinkEditor(ctx)
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if note == "" || len([]rune(note)) > 500 {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "note", Message: "请填写解除说明（不超过500字）",
			Fields: []zhagen.FieldError{{Field: "note", Message: "请填写解除说明（不超过500字）"}}}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	f, err := scanFlag(tx.queryRow(ctx, `SELECT `+flagColumns+flagFrom+` WHERE f.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "风险预警")
	}
	if f.ClearedAt != nil {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该预警已解除")
	}
	if _, err := tx.exec(ctx, `UPDATE red_flags SET cleared_at = ?, cleared_by = ?, clear_note = ? WHERE id = ?`, tx.now, a.Name, note, id); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "解除", "风险预警", id, f.EnterpriseName+"："+f.Reason+"；"+note); err != nil {
		return nil, err
	}
	now := tx.now
	f.ClearedAt, f.ClearedBy, f.ClearNote = &now, a.Name, note
	return f, tx.Commit()
}

// ---- reminders ----

// ReminderResult counts what a reminder run did.
type ReminderResult struct{ Due, Overdue int }

// RunVisitReminders tells each cadre of their linked enterprises whose
// visit is due within 7 days or overdue, at most once per linkage, due
// date and day.
func (s *LinkageService) RunVisitReminders(ctx context.Context, now time.Time) (ReminderResult, error) {
	var res ReminderResult
	ctx = zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
	yes := true
	links, _, err := s.FindLinkages(ctx, zhagen.LinkageFilter{Active: &yes})
	if err != nil {
		return res, err
	}
	day := now.In(zhagen.Shanghai).Format("2006-01-02")
	for _, l := range links {
		l.Overdue, l.DueSoon = false, false
		fillDue(l, day)
		if !l.Overdue && !l.DueSoon {
			continue
		}
		tx, err := s.db.begin(ctx)
		if err != nil {
			return res, err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM visit_reminders WHERE linkage_id = ? AND due_date = ? AND day = ?`, l.ID, l.NextDue, day).Scan(&n); err != nil || n > 0 {
			tx.Rollback()
			if err != nil {
				return res, err
			}
			continue
		}
		title, body := "走访提醒："+l.EnterpriseName, "应于 "+l.NextDue+" 前走访（周期 "+fmt.Sprint(l.CadenceDays)+" 天）"
		if l.Overdue {
			title, body = "走访逾期："+l.EnterpriseName, "应于 "+l.NextDue+" 走访，已逾期"
			res.Overdue++
		} else {
			res.Due++
		}
		if _, err := tx.exec(ctx, `INSERT INTO visit_reminders (linkage_id, due_date, day) VALUES (?, ?, ?)`, l.ID, l.NextDue, day); err != nil {
			tx.Rollback()
			return res, err
		}
		if err := tx.notify(ctx, recipients{users: []int64{l.CadreID}}, title, body, fmt.Sprintf("/visits/new?enterprise_id=%d", l.EnterpriseID)); err != nil {
			tx.Rollback()
			return res, err
		}
		if err := tx.Commit(); err != nil {
			return res, err
		}
	}
	return res, nil
}
