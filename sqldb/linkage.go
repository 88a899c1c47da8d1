package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

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

// authorizeKind returns the caller when the policy grants them p over
// every object of its kind (a grant by role alone), else p's refusal.
func authorizeKind(ctx context.Context, p zhagen.Perm) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, p, zhagen.Facts{}); err != nil {
		return nil, err
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
	if _, err := authorizeKind(ctx, zhagen.PermLinkageEdit); err != nil {
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
	tx.bumpGeneration("demands") // the demand scope reads linkages (a linked cadre's demands)
	tx.bumpGeneration("linkages")
	return tx.writeOpLog(ctx, "新建", "挂钩关系", l.ID, fmt.Sprintf("干部%d ↔ %s（%s）", l.CadreID, name, l.Role.Label()))
}

// EndLinkage ends an active linkage; the record stays as history.
func (s *LinkageService) EndLinkage(ctx context.Context, id int64, date string) (*zhagen.Linkage, error) {
	if _, err := authorizeKind(ctx, zhagen.PermLinkageEdit); err != nil {
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
	if date > s.db.today() {
		// Ending takes effect at once: a later date would end it early.
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "end_date", Message: "结束日期不能晚于今天"}
	}
	// Only while it is still active: of concurrent requests one ends it.
	res, err := tx.exec(ctx, `UPDATE linkages SET active = FALSE, end_date = ?, version = version + 1, updated_at = ? WHERE id = ? AND active = TRUE`, date, tx.now, id)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n != 1 {
		var ended string
		if err := tx.queryRow(ctx, `SELECT COALESCE(end_date, '') FROM linkages WHERE id = ?`, id).Scan(&ended); err != nil {
			return nil, notFound(err, "挂钩关系")
		}
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该挂钩关系已于%s结束", ended)
	}
	tx.bumpGeneration("demands") // the demand scope reads linkages
	tx.bumpGeneration("linkages")
	if err := tx.writeOpLog(ctx, "结束", "挂钩关系", id, l.CadreName+" ↔ "+l.EnterpriseName); err != nil {
		return nil, err
	}
	l.Active, l.EndDate = false, date
	l.Version++
	return l, tx.Commit()
}

// linkScopeSQL selects the linkages an actor reaches through each
// relation of the policy's PermLinkageView and PermCoverageView.
var linkScopeSQL = scopeSQL{
	zhagen.RelSelf:          eqSQL("l.cadre_id", actorUser),
	zhagen.RelLinked:        linkedSQL("l.enterprise_id"),
	zhagen.RelOwnEnterprise: eqSQL("l.enterprise_id", actorEnterprise),
}

// FindLinkages returns linkages in scope, newest first, with their due
// dates; Overdue keeps only those overdue today.
func (s *LinkageService) FindLinkages(ctx context.Context, f zhagen.LinkageFilter) ([]*zhagen.Linkage, int, error) {
	return s.findLinkages(ctx, zhagen.PermLinkageView, f)
}

// findLinkages returns the linkages that p reaches for the caller.
func (s *LinkageService) findLinkages(ctx context.Context, p zhagen.Perm, f zhagen.LinkageFilter) ([]*zhagen.Linkage, int, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	var w where
	if err := scope(a, p, &w, linkScopeSQL); err != nil {
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
