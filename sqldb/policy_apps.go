package sqldb

import (
	"context"
	"slices"
	"strconv"

	"zhagen"
	"zhagen/sla"
)

const appColumns = `a.id, a.policy_id, p.title, a.enterprise_id, e.name, a.dept_id, COALESCE(dp.name, ''), a.auto, a.status,
	a.amount_requested, a.amount_approved, a.amount_paid, a.note, a.decision, a.stage_due, a.applicant_name, a.paid_at, a.version, a.created_at, a.updated_at`

const appFrom = ` FROM policy_applications a JOIN policies p ON p.id = a.policy_id JOIN enterprises e ON e.id = a.enterprise_id
	LEFT JOIN departments dp ON dp.id = a.dept_id`

func scanApp(sc interface{ Scan(...any) error }) (*zhagen.PolicyApplication, error) {
	a := &zhagen.PolicyApplication{}
	err := sc.Scan(&a.ID, &a.PolicyID, &a.PolicyTitle, &a.EnterpriseID, &a.EnterpriseName, &a.DeptID, &a.DeptName, &a.Auto, &a.Status,
		&a.Requested, &a.Approved, &a.Paid, &a.Note, &a.Decision, &a.StageDue, &a.ApplicantName, &a.PaidAt, &a.Version, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// appScopeSQL selects the applications an actor reaches through each
// relation of PermAppView.
var appScopeSQL = scopeSQL{
	zhagen.RelDeptBelow:     subDeptsSQL("a.dept_id"),
	zhagen.RelLinked:        linkedSQL("a.enterprise_id"),
	zhagen.RelOwnEnterprise: eqSQL("a.enterprise_id", actorEnterprise),
}

// FindApplication returns one application in the caller's scope, with its timeline.
func (s *PolicyService) FindApplication(ctx context.Context, id int64) (*zhagen.PolicyApplication, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{conds: []string{"a.id = ?"}, args: []any{id}}
	if err := scope(a, zhagen.PermAppView, &w, appScopeSQL); err != nil {
		return nil, err
	}
	app, err := scanApp(s.db.queryRow(ctx, `SELECT `+appColumns+appFrom+w.String(), w.args...))
	if err != nil {
		return nil, notFound(err, "兑现申请")
	}
	rows, err := s.db.query(ctx, `SELECT from_status, to_status, actor_name, note, at FROM policy_app_events WHERE application_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ev zhagen.AppEvent
		if err := rows.Scan(&ev.From, &ev.To, &ev.Actor, &ev.Note, &ev.At); err != nil {
			return nil, err
		}
		app.Events = append(app.Events, ev)
	}
	return app, rows.Err()
}

// FindApplications lists applications in the caller's scope, open ones
// by due time first.
func (s *PolicyService) FindApplications(ctx context.Context, f zhagen.AppFilter) ([]*zhagen.PolicyApplication, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	var w where
	if err := scope(a, zhagen.PermAppView, &w, appScopeSQL); err != nil {
		return nil, err
	}
	if f.PolicyID != 0 {
		w.add("a.policy_id = ?", f.PolicyID)
	}
	if f.EnterpriseID != 0 {
		w.add("a.enterprise_id = ?", f.EnterpriseID)
	}
	if f.DeptID != 0 {
		w.add("a.dept_id = ?", f.DeptID)
	}
	if f.Status != "" {
		w.add("a.status = ?", string(f.Status))
	}
	if f.Open {
		w.add("a.status NOT IN ('paid', 'rejected')")
	}
	return s.queryApps(ctx, `SELECT `+appColumns+appFrom+w.String()+
		` ORDER BY CASE WHEN a.status IN ('paid', 'rejected') THEN 1 ELSE 0 END, a.stage_due, a.id DESC LIMIT ?`, append(w.args, zhagen.ClampLimit(f.Limit, 200, 1000))...)
}

func (s *PolicyService) queryApps(ctx context.Context, q string, args ...any) ([]*zhagen.PolicyApplication, error) {
	rows, err := s.db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.PolicyApplication{}
	for rows.Next() {
		app, err := scanApp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, app)
	}
	return out, rows.Err()
}

// Apply files an application for a published policy in force; one per
// enterprise and policy (the unique index decides), none for 免申即享.
func (s *PolicyService) Apply(ctx context.Context, in zhagen.AppInput) (*zhagen.PolicyApplication, error) {
	a, err := permittedSome(ctx, zhagen.PermAppApply)
	if err != nil {
		return nil, err
	}
	if a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0 {
		in.EnterpriseID = a.EnterpriseID
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	linked, err := s.db.cadreLinked(ctx, a.UserID, in.EnterpriseID)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, zhagen.PermAppApply, zhagen.Facts{EnterpriseID: in.EnterpriseID, Linked: linked}); err != nil {
		return nil, err
	}
	p, err := s.FindPolicy(ctx, in.PolicyID)
	if err != nil {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "policy_id", Message: "政策不存在或未发布"}
	}
	if p.Auto {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "policy_id", Message: "该政策为免申即享，无需申报，符合条件的企业将直接确认兑现"}
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if !p.InForce(tx.now) {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "policy_id", Message: "该政策不在有效期内"}
	}
	subs, err := loadSubjects(ctx, tx, tx.db.dialect, in.EnterpriseID)
	if err != nil {
		return nil, err
	}
	if len(subs) == 0 {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "enterprise_id", Message: "企业不存在或已注销"}
	}
	name := subs[0].Name
	if el := zhagen.Evaluate(p.Rules, subs[0], tx.now); !el.Eligible {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "policy_id", Message: "该企业不符合申报条件（" + el.Reason() + "）"}
	}
	due := zhagen.StageDue(cal, zhagen.AppApplied, tx.now)
	res, err := tx.exec(ctx, `INSERT INTO policy_applications (policy_id, enterprise_id, dept_id, auto, status, amount_requested, note, stage_due, applicant_name,
		version, created_at, updated_at) VALUES (?, ?, ?, FALSE, 'applied', ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (policy_id, enterprise_id) DO NOTHING`,
		p.ID, in.EnterpriseID, p.HandlerDeptID, in.Requested, in.Note, due, a.Name, tx.now, tx.now)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, &zhagen.Error{Code: zhagen.ECONFLICT, Field: "policy_id", Message: "该企业已申报过此政策，请在申报记录中查看进度"}
	}
	app := &zhagen.PolicyApplication{PolicyID: p.ID, PolicyTitle: p.Title, EnterpriseID: in.EnterpriseID, EnterpriseName: name, DeptID: p.HandlerDeptID,
		Status: zhagen.AppApplied, StageDue: due}
	if err := tx.queryRow(ctx, `SELECT id FROM policy_applications WHERE policy_id = ? AND enterprise_id = ?`, p.ID, in.EnterpriseID).Scan(&app.ID); err != nil {
		return nil, err
	}
	if err := tx.appEvent(ctx, app.ID, "", zhagen.AppApplied, a.Name, in.Note); err != nil {
		return nil, err
	}
	if err := tx.enqueue(ctx, zhagen.NoticeAppFiled(app)); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "申报", "政策兑现", app.ID, name+"："+p.Title); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindApplication(ctx, app.ID)
}

// autoApplication files the application of a 免申即享 policy for a newly
// matched enterprise: accepted at once, its review due on the calendar.
func (tx *Tx) autoApplication(ctx context.Context, cal *sla.Calendar, p *zhagen.Policy, enterpriseID int64) error {
	due := zhagen.StageDue(cal, zhagen.AppAccepted, tx.now)
	res, err := tx.exec(ctx, `INSERT INTO policy_applications (policy_id, enterprise_id, dept_id, auto, status, amount_requested, stage_due, applicant_name,
		version, created_at, updated_at) VALUES (?, ?, ?, TRUE, 'accepted', ?, ?, '免申即享', 1, ?, ?) ON CONFLICT (policy_id, enterprise_id) DO NOTHING`,
		p.ID, enterpriseID, p.HandlerDeptID, p.BenefitAmount, due, tx.now, tx.now)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil
	}
	var id int64
	if err := tx.queryRow(ctx, `SELECT id FROM policy_applications WHERE policy_id = ? AND enterprise_id = ?`, p.ID, enterpriseID).Scan(&id); err != nil {
		return err
	}
	return tx.appEvent(ctx, id, "", zhagen.AppAccepted, "系统", "免申即享：按企业条件自动确认，无需申报")
}

func (tx *Tx) appEvent(ctx context.Context, id int64, from, to zhagen.AppStatus, by, note string) error {
	_, err := tx.exec(ctx, `INSERT INTO policy_app_events (application_id, from_status, to_status, actor_name, note, at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, string(from), string(to), by, note, tx.now)
	return err
}

// StepApplication runs a step of the handling department: one versioned
// UPDATE from the status the step applies to; the enterprise is told.
func (s *PolicyService) StepApplication(ctx context.Context, id int64, st zhagen.AppStep) (*zhagen.PolicyApplication, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	app, err := s.FindApplication(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, zhagen.PermAppHandle, app.Facts()); err != nil {
		return nil, err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	to, due, err := zhagen.PlanAppStep(app, &st, tx.now, cal)
	if err != nil {
		return nil, err
	}
	approved, paid, paidAt := app.Approved, app.Paid, app.PaidAt
	switch st.Action {
	case zhagen.AppReview:
		approved = st.Amount
	case zhagen.AppPay:
		paid, paidAt = st.Amount, &tx.now
	}
	decision := app.Decision
	if st.Note != "" {
		decision = st.Note
	}
	q := `UPDATE policy_applications SET status = ?, amount_approved = ?, amount_paid = ?, paid_at = ?, decision = ?, stage_due = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND status = ?`
	args := []any{string(to), approved, paid, paidAt, decision, due, tx.now, id, string(app.Status)}
	if st.Version != 0 {
		q += ` AND version = ?`
		args = append(args, st.Version)
	}
	if err := tx.once(ctx, q, args, "该申请已被他人办理，请刷新后查看"); err != nil {
		return nil, err
	}
	note := st.Note
	if st.Amount > 0 {
		note = zhagen.Yuan(st.Amount) + " " + note
	}
	if err := tx.appEvent(ctx, id, app.Status, to, a.Name, note); err != nil {
		return nil, err
	}
	app.Status, app.Decision = to, decision
	if err := tx.enqueue(ctx, zhagen.NoticeAppStep(app)); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, to.Label(), "政策兑现", id, app.EnterpriseName+"："+app.PolicyTitle+" "+note); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindApplication(ctx, id)
}

// PaidTotals sums the amounts paid on the applications in the caller's
// scope, per policy, handling department and month (Beijing time).
func (s *PolicyService) PaidTotals(ctx context.Context) (*zhagen.PaidTotals, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{conds: []string{"a.status = 'paid'"}}
	if err := scope(a, zhagen.PermAppView, &w, appScopeSQL); err != nil {
		return nil, err
	}
	apps, err := s.queryApps(ctx, `SELECT `+appColumns+appFrom+w.String()+` ORDER BY a.paid_at`, w.args...)
	if err != nil {
		return nil, err
	}
	t := &zhagen.PaidTotals{ByPolicy: []zhagen.PaidTotal{}, ByDept: []zhagen.PaidTotal{}, ByMonth: []zhagen.PaidTotal{}}
	add := func(list *[]zhagen.PaidTotal, key, label string, amount int64) {
		for i := range *list {
			if (*list)[i].Key == key {
				(*list)[i].Count++
				(*list)[i].Paid += amount
				return
			}
		}
		*list = append(*list, zhagen.PaidTotal{Key: key, Label: label, Count: 1, Paid: amount})
	}
	for _, app := range apps {
		t.Total += app.Paid
		t.Count++
		add(&t.ByPolicy, strconv.FormatInt(app.PolicyID, 10), app.PolicyTitle, app.Paid)
		add(&t.ByDept, strconv.FormatInt(app.DeptID, 10), app.DeptName, app.Paid)
		if app.PaidAt != nil {
			m := app.PaidAt.In(zhagen.Shanghai).Format("2006-01")
			add(&t.ByMonth, m, m, app.Paid)
		}
	}
	byPaid := func(x, y zhagen.PaidTotal) int {
		if x.Paid != y.Paid {
			if x.Paid > y.Paid {
				return -1
			}
			return 1
		}
		return 0
	}
	slices.SortStableFunc(t.ByPolicy, byPaid)
	slices.SortStableFunc(t.ByDept, byPaid)
	return t, nil
}
