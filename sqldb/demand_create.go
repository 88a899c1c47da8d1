package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhagen"
	"zhagen/sla"
)

// channels each kind of caller files through; the first is the default.
// Who may file at all, and for which enterprise, is the policy's
// PermDemandCreate.
func allowedChannels(a *zhagen.Actor) []zhagen.Channel {
	switch {
	case a.IntakeChannelID != 0:
		return []zhagen.Channel{zhagen.ChannelOpen311}
	case a.Has(zhagen.RoleAdmin, zhagen.RoleDispatcher):
		return []zhagen.Channel{zhagen.ChannelDispatcher, zhagen.ChannelHotline, zhagen.ChannelVisit, zhagen.ChannelAPI}
	case a.Has(zhagen.RoleCadre):
		return []zhagen.Channel{zhagen.ChannelVisit, zhagen.ChannelAPI}
	case a.Has(zhagen.RoleEnterprise):
		return []zhagen.Channel{zhagen.ChannelPortal, zhagen.ChannelAPI}
	}
	return []zhagen.Channel{zhagen.ChannelAPI}
}

// idemScope names the caller for idempotency keys.
func idemScope(a *zhagen.Actor) string {
	if a.IntakeChannelID != 0 {
		return fmt.Sprintf("i:%d", a.IntakeChannelID)
	}
	return fmt.Sprintf("u:%d", a.UserID)
}

// CreateDemand files a demand, routes it by its category's rule and sets
// its due times on the working calendar. Who may file, and for which
// enterprise, is the policy's PermDemandCreate, checked once the
// enterprise is known (a cadre files only for its linked enterprises and
// the key projects it is the liaison of).
func (s *DemandService) CreateDemand(ctx context.Context, d *zhagen.Demand, idemKey string) error {
	return s.createDemand(ctx, d, idemKey, nil)
}

// createDemand is CreateDemand; then, if not nil, runs in the demand's
// transaction right after it is stored, and its error undoes the filing.
func (s *DemandService) createDemand(ctx context.Context, d *zhagen.Demand, idemKey string, then func(*Tx) error) error {
	a, err := permittedSome(ctx, zhagen.PermDemandCreate)
	if err != nil {
		return err
	}
	chans := allowedChannels(a)
	if d.Channel == "" {
		d.Channel = chans[0]
	}
	if d.ProjectID != 0 {
		d.Channel = zhagen.ChannelProject // a problem raised on a key project
	} else if d.Channel == zhagen.ChannelProject {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "project_id", Message: "请选择问题所属的重点项目"}
	} else if d.Channel.Label() != "" && !slices.Contains(chans, d.Channel) {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "channel", Message: "当前用户不能通过“" + d.Channel.Label() + "”渠道提交诉求"}
	}
	if zhagen.OwnEnterpriseOnly(a) {
		d.EnterpriseID = a.EnterpriseID // whatever the request names
	}
	if !zhagen.Can(a, zhagen.PermDemandPrioritize, zhagen.Facts{}) {
		d.Priority = "" // the category's default
	}
	idemKey = strings.TrimSpace(idemKey)
	if len(idemKey) > 200 {
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "Idempotency-Key", Message: "Idempotency-Key 不能超过200个字符"}
	}
	if idemKey != "" {
		if found, err := s.byIdemKey(ctx, a, idemKey); err == nil {
			*d = *found
			return nil
		} else if zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			return err
		}
	}

	v := d.Validate()
	var cat *zhagen.Category
	if d.CategoryID != 0 {
		cat, err = NewCategoryService(s.db).FindCategoryByID(ctx, d.CategoryID)
		if zhagen.ErrorCode(err) == zhagen.ENOTFOUND || (err == nil && cat.Archived) {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "category_id", Message: "诉求类别不存在或已停用",
				Fields: []zhagen.FieldError{{Field: "category_id", Message: "诉求类别不存在或已停用"}}}
		} else if err != nil {
			return err
		}
	}
	fields := zhagen.FieldErrors(v)
	if cat != nil {
		answers, err := cat.ValidateAnswers(d.Answers)
		for f, m := range zhagen.FieldErrors(err) {
			if fields == nil {
				fields = map[string]string{}
			}
			fields[f] = m
		}
		d.Answers = answers
	}
	if d.ProjectID != 0 {
		if err := s.checkProject(ctx, a, d); err != nil {
			return err
		}
	}
	if d.EnterpriseID == 0 && d.Channel != zhagen.ChannelOpen311 && d.ProjectID == 0 {
		if fields == nil {
			fields = map[string]string{}
		}
		fields["enterprise_id"] = "请选择企业"
	}
	if len(fields) > 0 {
		return fieldsError(fields, "title", "description", "category_id", "enterprise_id")
	}

	// The enterprise is looked up before the write; the foreign key keeps
	// it from vanishing meanwhile.
	if d.EnterpriseID != 0 {
		if d.EnterpriseName, err = s.db.activeEnterpriseName(ctx, d.EnterpriseID); err != nil {
			if isNoRows(err) {
				return &zhagen.Error{Code: zhagen.EINVALID, Field: "enterprise_id", Message: "企业不存在或已归档"}
			}
			return err
		}
	}
	if d.EnterpriseID == 0 && d.USCC != "" && zhagen.ValidateUSCC(zhagen.NormalizeUSCC(d.USCC)) == "" {
		err := s.db.queryRow(ctx, `SELECT id, name FROM enterprises WHERE uscc = ? AND archived = FALSE`, zhagen.NormalizeUSCC(d.USCC)).Scan(&d.EnterpriseID, &d.EnterpriseName)
		if err != nil && !isNoRows(err) {
			return err
		}
	}
	facts, err := s.filingFacts(ctx, a, d)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermDemandCreate, facts); err != nil {
		return err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return err
	}
	err = s.db.inBatch(ctx, func(tx *Tx) error {
		if err := s.insertDemand(ctx, tx, cal, a, d, cat, idemKey); err != nil || then == nil {
			return err
		}
		return then(tx)
	})
	if isUniqueViolation(err) && idemKey != "" {
		// The same key raced in from another request: return its demand.
		found, ferr := s.byIdemKey(ctx, a, idemKey)
		if ferr != nil {
			return ferr
		}
		*d = *found
		return nil
	} else if err != nil {
		return err
	}
	return s.db.deptNames(ctx, d)
}

// filingFacts are the facts PermDemandCreate is checked against for d.
// Whether a is linked to d's enterprise, and who the liaison of d's key
// project is, cost a query each, made only when a's grants reach
// through them (a cadre's).
func (s *DemandService) filingFacts(ctx context.Context, a *zhagen.Actor, d *zhagen.Demand) (zhagen.Facts, error) {
	_, via := zhagen.ScopeOf(a, zhagen.PermDemandCreate)
	linked, liaison := false, int64(0)
	if via&zhagen.RelLinked != 0 && d.EnterpriseID != 0 {
		var err error
		if linked, err = s.db.cadreLinked(ctx, a.UserID, d.EnterpriseID); err != nil {
			return zhagen.Facts{}, err
		}
	}
	if via&zhagen.RelPart != 0 && d.ProjectID != 0 {
		if err := s.db.queryRow(ctx, `SELECT COALESCE(liaison_id, 0) FROM projects WHERE id = ?`, d.ProjectID).Scan(&liaison); err != nil {
			return zhagen.Facts{}, notFound(err, "重点项目")
		}
	}
	return zhagen.FilingFacts(a, d.EnterpriseID, linked, liaison), nil
}

// insertDemand stores a validated demand within tx: routing, due times,
// timeline and notifications.
func (s *DemandService) insertDemand(ctx context.Context, tx *Tx, cal *sla.Calendar, a *zhagen.Actor, d *zhagen.Demand, cat *zhagen.Category, idemKey string) error {
	now := tx.now
	if d.Priority == "" {
		d.Priority = cat.DefaultPriority
	}
	rule := cat.SLA[d.Priority]
	resp, res := cal.Due(now, rule.Response.Duration()), cal.Due(now, rule.Resolution.Duration())
	budget := cal.WorkingTime(rule.Resolution.Duration())
	d.ResponseDue, d.ResolutionDue = &resp, &res
	d.CategoryCode, d.CategoryName = cat.Code, cat.Name
	d.Status, d.SLALevel, d.Version, d.CreatedAt, d.UpdatedAt = zhagen.DemandSubmitted, zhagen.SLAOK, 1, now, now
	if d.SubmitterName == "" {
		d.SubmitterName = a.Name
	}
	if a.UserID != 0 {
		d.SubmitterID = a.UserID
	}
	if d.Channel == zhagen.ChannelOpen311 {
		d.Token, _, _ = newSecret("")
		d.Token = d.Token[:16]
	}
	routed := cat.LeadDeptID != 0
	if routed {
		d.Status, d.LeadDeptID, d.LeadDeptName, d.CoopDeptIDs, d.AssignedAt = zhagen.DemandAssigned, cat.LeadDeptID, cat.LeadDeptName, cat.CoopDeptIDs, &now
	}
	if d.CoopDeptIDs == nil {
		d.CoopDeptIDs = []int64{}
	}
	answers, _ := json.Marshal(d.Answers)
	coop, _ := json.Marshal(d.CoopDeptIDs)
	var idem, token any
	if idemKey != "" {
		idem = idemKey
	}
	if d.Token != "" {
		token = d.Token
	}
	var intake any
	if a.IntakeChannelID != 0 {
		intake = a.IntakeChannelID
	}
	watch, err := s.watchAt(ctx, cal, now, d, budget)
	if err != nil {
		return err
	}
	d.ID, err = tx.insertNew(ctx, "demands", `enterprise_id, submitter_id, submitter_name, contact_phone, channel, intake_id, category_id, title, description, answers,
		address, lat, long, priority, lead_dept_id, coop_dept_ids, status, is_open, response_due, resolution_due, budget_secs, assigned_at, sla_level,
		token, idem_scope, idem_key, version, created_at, updated_at, project_id, watch_at`,
		`?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, 'ok', ?, ?, ?, 1, ?, ?, ?, ?`,
		nullID(d.EnterpriseID), nullID(d.SubmitterID), d.SubmitterName, d.ContactPhone, string(d.Channel), intake, d.CategoryID, d.Title, d.Description, string(answers),
		d.Address, d.Lat, d.Long, string(d.Priority), nullID(d.LeadDeptID), string(coop), string(d.Status), resp.UTC(), res.UTC(), int64(budget/time.Second), nullTime(d.AssignedAt),
		token, idemScope(a), idem, now, now, nullID(d.ProjectID), watch)
	if err != nil {
		return err
	}
	if err := tx.addDepts(ctx, d); err != nil {
		return err
	}
	if err := tx.rollupFiled(ctx, cal, d); err != nil { // rollup.go
		return err
	}
	submitted := zhagen.SubmittedNote(d.Channel)
	if !routed {
		if err := tx.event(ctx, d.ID, "", zhagen.DemandSubmitted, zhagen.ActSubmit, submitted, true); err != nil {
			return err
		}
	}
	if routed {
		// The submission and the routing rule's assignment, in one statement.
		note := zhagen.RoutedNote(cat)
		if err := tx.later(ctx, `INSERT INTO demand_events (demand_id, actor_id, actor_name, actor_dept, action, from_status, to_status, note, public, at)
			VALUES (?, ?, ?, ?, ?, '', ?, ?, TRUE, ?), (?, 0, '系统', '', ?, ?, ?, ?, TRUE, ?)`,
			d.ID, a.UserID, a.Name, a.DeptName, string(zhagen.ActSubmit), string(zhagen.DemandSubmitted), submitted, now,
			d.ID, string(zhagen.ActAssign), string(zhagen.DemandSubmitted), string(zhagen.DemandAssigned), note, now); err != nil {
			return err
		}
		if err := tx.enqueue(ctx, zhagen.NoticeDemandAssigned(d, d.EnterpriseName)); err != nil {
			return err
		}
	} else if err := tx.enqueue(ctx, zhagen.NoticeDemandSubmitted(d)); err != nil {
		return err
	}
	tx.bumpGeneration("demands")
	return nil
}

// fieldsError builds one EINVALID error from field messages, the first
// field in order first.
func fieldsError(fields map[string]string, order ...string) error {
	var v zhagen.Validation
	for _, f := range order {
		if m, ok := fields[f]; ok {
			v.Add(f, m)
		}
	}
	keys := make([]string, 0, len(fields))
	for f := range fields {
		keys = append(keys, f)
	}
	slices.Sort(keys)
	for _, f := range keys {
		v.Add(f, fields[f])
	}
	return v.Err()
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func (s *DemandService) byIdemKey(ctx context.Context, a *zhagen.Actor, key string) (*zhagen.Demand, error) {
	var id int64
	if err := s.db.queryRow(ctx, `SELECT id FROM demands WHERE idem_scope = ? AND idem_key = ?`, idemScope(a), key).Scan(&id); err != nil {
		return nil, notFound(err, "诉求")
	}
	return s.FindDemandByID(ctx, id)
}

// syncDepts keeps demand_depts in step with the demand; rebuild replaces
// the rows after routing changed.
func (tx *Tx) syncDepts(ctx context.Context, d *zhagen.Demand, rebuild bool) error {
	if !rebuild {
		return tx.later(ctx, `UPDATE demand_depts SET is_open = ?, due = ? WHERE demand_id = ?`, inInbox(d), nullTime(nextDeadline(d)), d.ID)
	}
	if err := tx.later(ctx, `DELETE FROM demand_depts WHERE demand_id = ?`, d.ID); err != nil {
		return err
	}
	return tx.addDepts(ctx, d)
}

// inInbox reports whether a demand waits on its departments.
func inInbox(d *zhagen.Demand) bool {
	return d.Status.Open() && d.Status != zhagen.DemandReturned && d.Status != zhagen.DemandSubmitted
}

// nextDeadline is the deadline a department faces next: the response due
// until the demand is accepted, then the resolution due. Inboxes sort on
// it, so an unaccepted demand past its response limit comes first.
func nextDeadline(d *zhagen.Demand) *time.Time {
	if d.AcceptedAt == nil && d.ResponseDue != nil {
		return d.ResponseDue
	}
	return d.ResolutionDue
}

// addDepts routes a demand to its lead and cooperating departments.
func (tx *Tx) addDepts(ctx context.Context, d *zhagen.Demand) error {
	if d.LeadDeptID == 0 {
		return nil
	}
	open, due := inInbox(d), nullTime(nextDeadline(d))
	q := `INSERT INTO demand_depts (demand_id, dept_id, role, is_open, due) VALUES (?, ?, 'lead', ?, ?)`
	args := []any{d.ID, d.LeadDeptID, open, due}
	for _, c := range d.CoopDeptIDs {
		q += `, (?, ?, 'coop', ?, ?)`
		args = append(args, d.ID, c, open, due)
	}
	return tx.later(ctx, q, args...)
}

// event appends a step to the timeline, as the actor of ctx, and records
// it in the operation log (which the audit chain seals).
func (tx *Tx) event(ctx context.Context, demandID int64, from, to zhagen.DemandStatus, act zhagen.Action, note string, public bool) error {
	a := zhagen.ActorFromContext(ctx)
	var uid int64
	name, dept := "系统", ""
	if a != nil {
		uid, name, dept = a.UserID, a.Name, a.DeptName
	}
	err := tx.later(ctx, `INSERT INTO demand_events (demand_id, actor_id, actor_name, actor_dept, action, from_status, to_status, note, public, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		demandID, uid, name, dept, string(act), string(from), string(to), truncate(note, 4000), public, tx.now)
	if err != nil {
		return err
	}
	summary := to.Label()
	if from != "" && from != to {
		summary = from.Label() + " → " + summary
	}
	if note != "" {
		summary += "：" + truncate(note, 200)
	}
	return tx.writeOpLog(ctx, act.Label(), "诉求", demandID, summary)
}
