package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"zhagen"
)

const visitColumns = `v.id, v.enterprise_id, e.name, v.cadre_id, u.name, v.status, v.visit_date, v.kind, v.participants, v.topics, v.public_notes,
	v.situation, v.findings, v.internal_notes, COALESCE(v.demand_id, 0), v.version, v.created_at, v.updated_at,
	COALESCE(v.idempotency_key, ''), v.checkin`

const visitFrom = ` FROM visits v JOIN enterprises e ON e.id = v.enterprise_id JOIN users u ON u.id = v.cadre_id`

func scanVisit(sc interface{ Scan(...any) error }) (*zhagen.Visit, error) {
	v := &zhagen.Visit{}
	var situation, checkin string
	err := sc.Scan(&v.ID, &v.EnterpriseID, &v.EnterpriseName, &v.CadreID, &v.CadreName, &v.Status, &v.Date, &v.Kind, &v.Participants, &v.Topics, &v.PublicNotes,
		&situation, &v.Findings, &v.InternalNotes, &v.DemandID, &v.Version, &v.CreatedAt, &v.UpdatedAt, &v.IdempotencyKey, &checkin)
	if err != nil {
		return nil, err
	}
	v.Situation = &zhagen.Situation{}
	json.Unmarshal([]byte(situation), v.Situation)
	if checkin != "" {
		v.CheckIn = &zhagen.CheckIn{}
		if json.Unmarshal([]byte(checkin), v.CheckIn) != nil {
			v.CheckIn = nil
		}
	}
	return v, nil
}

// visitScopeSQL selects the visits an actor reaches through each
// relation of the policy's PermVisitView: the department is the visit's
// cadre's, and an enterprise reaches only its logged visits.
var visitScopeSQL = scopeSQL{
	zhagen.RelDeptBelow: func(a *zhagen.Actor) (string, []any) {
		if a.DeptID == 0 {
			return "", nil
		}
		return "v.cadre_id IN (SELECT id FROM users WHERE dept_id IN " + deptsBelowSQL + ")", []any{a.DeptPath}
	},
	zhagen.RelSelf:   eqSQL("v.cadre_id", actorUser),
	zhagen.RelLinked: linkedSQL("v.enterprise_id"),
	zhagen.RelOwnEnterprise: func(a *zhagen.Actor) (string, []any) {
		if a.EnterpriseID == 0 {
			return "", nil
		}
		return "(v.enterprise_id = ? AND v.status = 'logged')", []any{a.EnterpriseID}
	},
}

// visitScope adds the caller's scope over visits (the policy's
// PermVisitView) to w; public is true when the caller reads only their
// public part (no PermVisitInternal).
func visitScope(ctx context.Context, w *where) (public bool, err error) {
	a, err := requireActor(ctx)
	if err != nil {
		return false, err
	}
	if err := scope(a, zhagen.PermVisitView, w, visitScopeSQL); err != nil {
		return false, err
	}
	return !zhagen.CanAny(a, zhagen.PermVisitInternal), nil
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
	page, pageArgs := pageSQL(zhagen.ClampLimit(f.Limit, 50, 200), f.Offset)
	rows, err := s.db.query(ctx, `SELECT `+visitColumns+visitFrom+w.String()+` ORDER BY v.visit_date DESC, v.id DESC`+page, append(w.args, pageArgs...)...)
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
// enterprise (the policy's PermVisitLog): whoever may log visits of every
// enterprise (the command centre) for any government user; a cadre only
// their own, for an enterprise actively linked to them (ENOTFOUND
// otherwise, as the enterprise is outside their scope).
func visitWriter(ctx context.Context, tx *Tx, v *zhagen.Visit) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if every, _ := zhagen.ScopeOf(a, zhagen.PermVisitLog); every {
		if v.CadreID == 0 {
			// Logged on behalf of the enterprise's linked cadre, if any.
			err := tx.queryRow(ctx, `SELECT cadre_id FROM linkages WHERE enterprise_id = ? AND active = TRUE ORDER BY id LIMIT 1`, v.EnterpriseID).Scan(&v.CadreID)
			if errors.Is(err, sql.ErrNoRows) {
				v.CadreID = a.UserID
			} else if err != nil {
				return err
			}
		} else {
			// A cadre chosen by the caller must be a government user.
			var roles string
			err := tx.queryRow(ctx, `SELECT roles FROM users WHERE id = ?`, v.CadreID).Scan(&roles)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			gov := false
			for _, r := range zhagen.ParseRoles(roles) {
				gov = gov || (r != zhagen.RoleEnterprise && r != zhagen.RoleGraduate)
			}
			if !gov {
				return &zhagen.Error{Code: zhagen.EINVALID, Field: "cadre_id", Message: "走访干部不存在",
					Fields: []zhagen.FieldError{{Field: "cadre_id", Message: "走访干部不存在"}}}
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
	if !zhagen.CanAny(a, zhagen.PermVisitLog) {
		return zhagen.Forbidden(zhagen.PermVisitLog)
	}
	v.CadreID = a.UserID
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM linkages WHERE cadre_id = ? AND enterprise_id = ? AND active = TRUE`, a.UserID, v.EnterpriseID).Scan(&n); err != nil {
		return err
	}
	if !zhagen.Can(a, zhagen.PermVisitLog, zhagen.VisitFacts(v, a.DeptID, n > 0)) {
		// A link that has ended since (a visit recorded offline, sent
		// later) gets its own message, so the cadre knows to resolve the
		// draft; the code stays ENOTFOUND as for any unlinked enterprise.
		var ended int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM linkages WHERE cadre_id = ? AND enterprise_id = ?`, a.UserID, v.EnterpriseID).Scan(&ended); err != nil {
			return err
		}
		if ended > 0 {
			return &zhagen.Error{Code: zhagen.ENOTFOUND, Field: "enterprise_id", Message: zhagen.MsgVisitLinkEnded,
				Fields: []zhagen.FieldError{{Field: "enterprise_id", Message: zhagen.MsgVisitLinkEnded}}}
		}
		return zhagen.Errorf(zhagen.ENOTFOUND, "企业不存在或未与您挂钩")
	}
	return nil
}

// checkVisitDate: a logged visit cannot lie in the future (its date sets
// the next visit due and the coverage).
func (s *LinkageService) checkVisitDate(v *zhagen.Visit) error {
	if v.Status == zhagen.VisitLogged && v.Date > s.db.today() {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "date", Message: "已走访的日期不能晚于今天",
			Fields: []zhagen.FieldError{{Field: "date", Message: "已走访的日期不能晚于今天"}}}
	}
	return nil
}

// CreateVisit plans or logs a visit. With an idempotency key it is
// once-only: a replay of a key the caller already used returns that visit
// (Replayed), even when the enterprise's link has ended since; the key is
// claimed by the INSERT itself (ON CONFLICT on the unique index), so two
// racing retries write one visit.
func (s *LinkageService) CreateVisit(ctx context.Context, v *zhagen.Visit) error {
	a, err := requireActor(ctx)
	if err != nil {
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
	if done, err := replayVisit(ctx, tx, a, v); done || err != nil {
		return err
	}
	if err := s.checkVisitDate(v); err != nil {
		return err
	}
	if err := visitWriter(ctx, tx, v); err != nil {
		return err
	}
	situation, _ := json.Marshal(v.Situation)
	var checkin []byte
	if v.CheckIn != nil {
		checkin, _ = json.Marshal(v.CheckIn)
	}
	var key any
	if v.IdempotencyKey != "" {
		key = v.IdempotencyKey
	}
	v.Version, v.CreatedAt, v.UpdatedAt = 1, tx.now, tx.now
	v.ID, err = tx.insert(ctx, `INSERT INTO visits (enterprise_id, cadre_id, status, visit_date, kind, participants, topics, public_notes, situation, findings, internal_notes, version, created_at, updated_at, idempotency_key, checkin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
		v.EnterpriseID, v.CadreID, string(v.Status), v.Date, string(v.Kind), v.Participants, v.Topics, v.PublicNotes, string(situation), v.Findings, v.InternalNotes, tx.now, tx.now, key, string(checkin))
	if errors.Is(err, sql.ErrNoRows) && key != nil {
		// A racing retry claimed the key first: answer with its visit.
		if done, err := replayVisit(ctx, tx, a, v); done || err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	if v.Status == zhagen.VisitLogged {
		if v.Flags, err = evaluateFlags(ctx, tx, v); err != nil {
			return err
		}
		if err := tx.policiesExplained(ctx, v); err != nil {
			return err
		}
	}
	if err := tx.writeOpLog(ctx, map[zhagen.VisitStatus]string{zhagen.VisitPlanned: "计划", zhagen.VisitLogged: "记录"}[v.Status], "走访", v.ID, v.Date+" "+v.Topics); err != nil {
		return err
	}
	return tx.Commit()
}

// replayVisit looks up the visit written under v's idempotency key. done
// is true when there is one: v is then that visit, marked Replayed. A key
// used by another user is a conflict, never their visit.
func replayVisit(ctx context.Context, tx *Tx, a *zhagen.Actor, v *zhagen.Visit) (done bool, err error) {
	if v.IdempotencyKey == "" {
		return false, nil
	}
	cur, err := scanVisit(tx.queryRow(ctx, `SELECT `+visitColumns+visitFrom+` WHERE v.idempotency_key = ?`, v.IdempotencyKey))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if cur.CadreID != a.UserID && !zhagen.Can(a, zhagen.PermVisitEdit, zhagen.VisitFacts(cur, 0, false)) {
		return true, &zhagen.Error{Code: zhagen.ECONFLICT, Field: "idempotency_key", Message: "该幂等键已被使用",
			Fields: []zhagen.FieldError{{Field: "idempotency_key", Message: "该幂等键已被使用"}}}
	}
	if cur.EnterpriseID != v.EnterpriseID || cur.Date != v.Date || cur.Topics != v.Topics {
		// The key of another visit (a form reused): never answer with it.
		return true, &zhagen.Error{Code: zhagen.ECONFLICT, Field: "idempotency_key", Message: "该幂等键已用于另一条走访，请重新打开表单后提交",
			Fields: []zhagen.FieldError{{Field: "idempotency_key", Message: "该幂等键已用于另一条走访，请重新打开表单后提交"}}}
	}
	*v = *cur
	v.Replayed = true
	return true, nil
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
	// Only the visit's cadre, or the command centre, changes it.
	if err := zhagen.Authorize(a, zhagen.PermVisitEdit, zhagen.VisitFacts(cur, 0, false)); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	if err := s.checkVisitDate(v); err != nil {
		return err
	}
	if cur.Version != v.Version {
		return staleError(cur, cur.Version)
	}
	situation, _ := json.Marshal(v.Situation)
	// The version read above may be stale by now (PostgreSQL reads
	// without waiting): the UPDATE itself checks it.
	res, err := tx.exec(ctx, `UPDATE visits SET cadre_id = ?, status = ?, visit_date = ?, kind = ?, participants = ?, topics = ?, public_notes = ?, situation = ?, findings = ?, internal_notes = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		v.CadreID, string(v.Status), v.Date, string(v.Kind), v.Participants, v.Topics, v.PublicNotes, string(situation), v.Findings, v.InternalNotes, tx.now, id, cur.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return staleVisit(ctx, tx, id)
	}
	v.ID, v.Version, v.CreatedAt, v.UpdatedAt, v.DemandID = id, cur.Version+1, cur.CreatedAt, tx.now, cur.DemandID
	if v.Status == zhagen.VisitLogged {
		if v.Flags, err = evaluateFlags(ctx, tx, v); err != nil {
			return err
		}
		if err := tx.policiesExplained(ctx, v); err != nil {
			return err
		}
	}
	if err := tx.writeOpLog(ctx, "修改", "走访", id, v.Date+" "+v.Topics); err != nil {
		return err
	}
	return tx.Commit()
}

// staleVisit is the conflict of a write that found visit id changed
// since it was read, with the visit as it is now.
func staleVisit(ctx context.Context, tx *Tx, id int64) error {
	cur, err := scanVisit(tx.queryRow(ctx, `SELECT `+visitColumns+visitFrom+` WHERE v.id = ?`, id))
	if err != nil {
		return notFound(err, "走访记录")
	}
	return staleError(cur, cur.Version)
}

// DemandFromVisit files the visit's finding as a demand of its enterprise.
// The demand and the visit's link to it are stored in one transaction,
// and only while the visit has no demand: of concurrent requests exactly
// one files a demand.
func (s *LinkageService) DemandFromVisit(ctx context.Context, visitID int64, d *zhagen.Demand) error {
	// The demand is filed in the transaction that links the visit to it:
	// that takes this package's demand service.
	demands, ok := s.demands.(*DemandService)
	if !ok || demands == nil {
		return zhagen.Errorf(zhagen.EINTERNAL, "诉求服务未配置")
	}
	v, err := s.FindVisitByID(ctx, visitID)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(zhagen.ActorFromContext(ctx), zhagen.PermVisitDemand, zhagen.VisitFacts(v, 0, false)); err != nil {
		return err
	}
	if v.DemandID != 0 {
		return zhagen.Errorf(zhagen.ECONFLICT, "该走访发现已转为诉求（编号%d）", v.DemandID)
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
	return demands.createDemand(ctx, d, "", func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE visits SET demand_id = ? WHERE id = ? AND demand_id IS NULL`, d.ID, visitID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			return nil
		}
		var other int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(demand_id, 0) FROM visits WHERE id = ?`, visitID).Scan(&other); err != nil {
			return notFound(err, "走访记录")
		}
		return zhagen.Errorf(zhagen.ECONFLICT, "该走访发现已转为诉求（编号%d）", other)
	})
}
