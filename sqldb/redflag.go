package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"zhagen"
)

// evaluateFlags applies the active rules to a logged visit: a rule that
// matches raises a flag unless one is open; an open flag whose rule no
// longer matches is cleared by this visit when it is not older than the
// visit that raised it. It returns the reasons that match.
func evaluateFlags(ctx context.Context, tx *Tx, v *zhagen.Visit) ([]string, error) {
	// Visits of one enterprise logged at once evaluate its flags in turn:
	// each rule raises one open flag, not one per visit.
	if err := tx.lockRow(ctx, "enterprises", v.EnterpriseID); err != nil {
		return nil, notFound(err, "企业")
	}
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
	name, _, err := tx.enterpriseName(ctx, v.EnterpriseID)
	if err != nil {
		return nil, err
	}
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
			if err := tx.enqueue(ctx, zhagen.NoticeRedFlag(name, r.Reason, v.Date)); err != nil {
				return nil, err
			}
		} else if open && !stale && v.Date >= flagDate {
			if _, err := tx.exec(ctx, `UPDATE red_flags SET cleared_at = ?, cleared_by = ?, clear_note = ?, clear_visit_id = ? WHERE id = ? AND cleared_at IS NULL`,
				tx.now, "走访复核", "后续走访未再触发："+r.Describe(), v.ID, flagID); err != nil {
				return nil, err
			}
		}
	}
	return reasons, nil
}

type rowsFn func(query string, args ...any) (*sql.Rows, error)

func (tx *Tx) queryRowsFn(ctx context.Context) rowsFn {
	return func(q string, args ...any) (*sql.Rows, error) {
		return tx.query(ctx, q, args...)
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

// FindRedFlagRules lists the rules (government roles).
func (s *LinkageService) FindRedFlagRules(ctx context.Context) ([]*zhagen.RedFlagRule, error) {
	if _, err := authorizeKind(ctx, zhagen.PermRedFlagRuleView); err != nil {
		return nil, err
	}
	return queryRules(ctx, func(q string, args ...any) (*sql.Rows, error) { return s.db.query(ctx, q, args...) }, false)
}

// CreateRedFlagRule adds a rule (admin).
func (s *LinkageService) CreateRedFlagRule(ctx context.Context, r *zhagen.RedFlagRule) error {
	if _, err := authorizeKind(ctx, zhagen.PermRedFlagRuleEdit); err != nil {
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
	if _, err := authorizeKind(ctx, zhagen.PermRedFlagRuleEdit); err != nil {
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

// flagScopeSQL selects the red flags an actor reaches through each
// relation of the policy's PermRedFlagView.
var flagScopeSQL = scopeSQL{
	zhagen.RelLinked: linkedSQL("f.enterprise_id"),
}

// FindRedFlags lists the flags in the caller's scope, open ones first.
func (s *LinkageService) FindRedFlags(ctx context.Context, openOnly bool, enterpriseID int64) ([]*zhagen.RedFlag, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	var w where
	if err := scope(a, zhagen.PermRedFlagView, &w, flagScopeSQL); err != nil {
		return nil, err
	}
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
	a, err := authorizeKind(ctx, zhagen.PermRedFlagClear)
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
	// Only while it is open: of concurrent requests one clears it.
	res, err := tx.exec(ctx, `UPDATE red_flags SET cleared_at = ?, cleared_by = ?, clear_note = ? WHERE id = ? AND cleared_at IS NULL`, tx.now, a.Name, note, id)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n != 1 {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该预警已解除")
	}
	if err := tx.writeOpLog(ctx, "解除", "风险预警", id, f.EnterpriseName+"："+f.Reason+"；"+note); err != nil {
		return nil, err
	}
	now := tx.now
	f.ClearedAt, f.ClearedBy, f.ClearNote = &now, a.Name, note
	return f, tx.Commit()
}
