package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"zhagen"
	"zhagen/sla"
)

// DemandService stores demands and runs their workflow; due times follow
// the working calendar.
type DemandService struct {
	db    *DB
	cals  calendarCache
	rules ladderRuleCache // for each demand's 亮灯
	// lapsesSeen is set once a markLapses run of this process has read
	// every demand whose lapse is still to record; later runs read only
	// the due times after the last run less lapseMargin.
	lapsesSeen atomic.Bool
}

// NewDemandService returns the demand service of db. Due times follow
// base (its office hours and the statutory schedule) with the
// administrators' overrides stored in db applied.
func NewDemandService(db *DB, base *sla.Calendar) *DemandService {
	return &DemandService{db: db, cals: calendarCache{base: base}}
}

var _ zhagen.DemandService = (*DemandService)(nil)

const demandColumns = `d.id, COALESCE(d.enterprise_id, 0), COALESCE(e.name, ''), COALESCE(d.submitter_id, 0), d.submitter_name, d.contact_phone,
	d.channel, d.category_id, c.code, c.name, d.title, d.description, d.answers, d.address, d.lat, d.long, d.priority,
	COALESCE(d.lead_dept_id, 0), COALESCE(ld.name, ''), d.coop_dept_ids, d.status, d.response_due, d.resolution_due,
	d.assigned_at, d.accepted_at, d.resolved_at, d.closed_at, d.paused_at, d.sla_level, d.resolution, d.rating, d.solved,
	d.rating_comment, d.return_count, d.reopen_count, d.extension_days, d.extension_reason, COALESCE(d.master_id, 0),
	COALESCE(d.consultation_id, 0), COALESCE(d.token, ''), d.version, d.created_at, d.updated_at, d.budget_secs, COALESCE(d.project_id, 0)`

const demandFrom = ` FROM demands d JOIN categories c ON c.id = d.category_id LEFT JOIN enterprises e ON e.id = d.enterprise_id LEFT JOIN departments ld ON ld.id = d.lead_dept_id`

// demandRow is a demand with the fields only the store needs.
type demandRow struct {
	*zhagen.Demand
	budget time.Duration // working time of the resolution limit, extensions included
}

func scanDemand(sc interface{ Scan(...any) error }) (demandRow, error) {
	d := &zhagen.Demand{}
	var answers, coop string
	var budget int64
	err := sc.Scan(&d.ID, &d.EnterpriseID, &d.EnterpriseName, &d.SubmitterID, &d.SubmitterName, &d.ContactPhone,
		&d.Channel, &d.CategoryID, &d.CategoryCode, &d.CategoryName, &d.Title, &d.Description, &answers, &d.Address, &d.Lat, &d.Long, &d.Priority,
		&d.LeadDeptID, &d.LeadDeptName, &coop, &d.Status, &d.ResponseDue, &d.ResolutionDue,
		&d.AssignedAt, &d.AcceptedAt, &d.ResolvedAt, &d.ClosedAt, &d.PausedAt, &d.SLALevel, &d.Resolution, &d.Rating, &d.Solved,
		&d.RatingComment, &d.ReturnCount, &d.ReopenCount, &d.ExtensionDays, &d.ExtensionReason, &d.MasterID,
		&d.ConsultationID, &d.Token, &d.Version, &d.CreatedAt, &d.UpdatedAt, &budget, &d.ProjectID)
	if err != nil {
		return demandRow{}, err
	}
	if answers != "{}" {
		json.Unmarshal([]byte(answers), &d.Answers)
	}
	if coop != "[]" {
		json.Unmarshal([]byte(coop), &d.CoopDeptIDs)
	}
	if d.Answers == nil {
		d.Answers = zhagen.Answers{}
	}
	if d.CoopDeptIDs == nil {
		d.CoopDeptIDs = []int64{}
	}
	d.CoopDeptNames = []string{}
	return demandRow{Demand: d, budget: time.Duration(budget) * time.Second}, nil
}

// demandScopeSQL selects the demands an actor reaches through each
// relation of the policy's PermDemandView.
var demandScopeSQL = scopeSQL{
	zhagen.RelDeptBelow: subDeptsSQL("d.lead_dept_id"),
	zhagen.RelPartDeptBelow: func(a *zhagen.Actor) (string, []any) {
		return "EXISTS (SELECT 1 FROM demand_depts sd WHERE sd.demand_id = d.id AND sd.dept_id IN " + deptsBelowSQL + ")", []any{a.DeptPath}
	},
	zhagen.RelSelf:          eqSQL("d.submitter_id", actorUser),
	zhagen.RelLinked:        linkedSQL("d.enterprise_id"),
	zhagen.RelOwnEnterprise: eqSQL("d.enterprise_id", actorEnterprise),
	zhagen.RelChannel:       eqSQL("d.intake_id", actorChannel),
	zhagen.RelStakeholder:   projectStakeSQL("d.project_id"),
}

// demandWalkSQL is the form of RelPartDeptBelow for a page that walks
// the demands down the primary key and stops at its last row (SQLite's
// pages, and PostgreSQL's when keyedPage cannot read the actor's
// relations by key): asked of each demand in turn, by its key.
// PostgreSQL (once it has statistics of demand_depts) turns the EXISTS
// of demandScopeSQL into "d.id IN (every demand the department ever took
// part in)" and hashes that set first: 125,000 ids at a million demands
// for a page of 25, and the staff's list fell from over a thousand
// requests a second to 16. A scalar subquery is never hashed, on either
// engine. A count reads every demand in scope, and there the hashed set
// is the faster (0.3 s against 5 s), so counts keep the EXISTS.
var demandWalkSQL = scopeSQL{
	zhagen.RelPartDeptBelow: func(a *zhagen.Actor) (string, []any) {
		return "(SELECT 1 FROM demand_depts sd WHERE sd.demand_id = d.id AND sd.dept_id IN " + deptsBelowSQL + " LIMIT 1) IS NOT NULL", []any{a.DeptPath}
	},
}

// demandScope adds the caller's scope over demands (the policy's
// PermDemandView) to w.
func demandScope(ctx context.Context, w *where) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return a, scope(a, zhagen.PermDemandView, w, demandScopeSQL, demandWalkSQL)
}

// demandFacts are d's ownership facts for checking a's permission p.
// Whether a is a linked cadre costs a query, made only when a's grants of
// p reach demands through linkage. The intake channel is left out: the
// only grant through it, PermDemandView's, is checked in SQL (demandScope).
func (db *DB) demandFacts(ctx context.Context, a *zhagen.Actor, p zhagen.Perm, d *zhagen.Demand) (zhagen.Facts, error) {
	linked := false
	if _, via := zhagen.ScopeOf(a, p); via&zhagen.RelLinked != 0 && d.EnterpriseID != 0 {
		var err error
		if linked, err = db.cadreLinked(ctx, a.UserID, d.EnterpriseID); err != nil {
			return zhagen.Facts{}, err
		}
	}
	return zhagen.DemandFacts(d, linked, 0), nil
}

// cadreLinked reports whether user is a cadre actively linked to the
// enterprise (the policy's Facts.Linked). A cadre's enterprises are
// cached until a linkage is created or ended: a cadre filing demand after
// demand asks once.
func (db *DB) cadreLinked(ctx context.Context, user, enterprise int64) (bool, error) {
	if user == 0 || enterprise == 0 {
		return false, nil
	}
	gen, err := db.generation(ctx, "linkages")
	if err != nil {
		return false, err
	}
	ents, ok := db.linkedCache.get(gen, user)
	if !ok {
		rows, err := db.query(ctx, `SELECT enterprise_id FROM linkages WHERE cadre_id = ? AND active`, user)
		if err != nil {
			return false, err
		}
		defer rows.Close()
		ents = map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return false, err
			}
			ents[id] = true
		}
		if err := rows.Err(); err != nil {
			return false, err
		}
		db.linkedCache.put(gen, user, ents)
	}
	return ents[enterprise], nil
}

// deptNames fills the names of cooperating departments.
func (db *DB) deptNames(ctx context.Context, ds ...*zhagen.Demand) error {
	need := false
	for _, d := range ds {
		need = need || len(d.CoopDeptIDs) > 0
	}
	if !need {
		return nil
	}
	names, err := db.departmentNames(ctx)
	if err != nil {
		return err
	}
	for _, d := range ds {
		for _, id := range d.CoopDeptIDs {
			d.CoopDeptNames = append(d.CoopDeptNames, names[id])
		}
	}
	return nil
}

// departmentNames maps every department id to its name, cached until a
// department changes.
func (db *DB) departmentNames(ctx context.Context) (map[int64]string, error) {
	gen, err := db.generation(ctx, "departments")
	if err != nil {
		return nil, err
	}
	if names, ok := db.deptNameCache.get(gen, struct{}{}); ok {
		return names, nil
	}
	rows, err := db.query(ctx, `SELECT id, name FROM departments`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		names[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	db.deptNameCache.put(gen, struct{}{}, names)
	return names, nil
}

// FindDemandByID returns one demand in the caller's scope.
func (s *DemandService) FindDemandByID(ctx context.Context, id int64) (*zhagen.Demand, error) {
	r, err := s.findRow(ctx, s.db.sql, id)
	if err != nil {
		return nil, err
	}
	if err := s.lights(ctx, r); err != nil {
		return nil, err
	}
	return r.Demand, s.db.deptNames(ctx, r.Demand)
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (s *DemandService) findRow(ctx context.Context, q querier, id int64) (demandRow, error) {
	w := where{conds: []string{"d.id = ?"}, args: []any{id}}
	if _, err := demandScope(ctx, &w); err != nil {
		return demandRow{}, err
	}
	r, err := scanDemand(q.QueryRowContext(ctx, s.db.dialect.rebind(`SELECT `+demandColumns+demandFrom+w.String()), w.args...))
	return r, notFound(err, "诉求")
}

// FindDemands returns a page of demands in the caller's scope. Every
// filter, the department's routing rows included, is AND-ed onto the
// scope: a filter narrows what the caller sees, never widens it.
func (s *DemandService) FindDemands(ctx context.Context, f zhagen.DemandFilter) ([]*zhagen.Demand, int, error) {
	q, err := s.listQuery(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	total, err := s.db.count(ctx, q.countFrom, &q.w)
	if err != nil {
		return nil, 0, err
	}
	// The page's ids first, from the indexes alone, then their rows: the
	// sort reads ids only, however many demands the scope holds, instead
	// of every joined row of the scope (a cadre's linked enterprises: tens
	// of thousands at a million demands).
	limit := zhagen.ClampLimit(f.Limit, 25, 200)
	ids, args, ok := s.keyedPage(q, limit, f.Offset)
	if !ok {
		ids, args = walkPage(q, limit, f.Offset)
	}
	rows, err := s.db.query(ctx, `SELECT `+demandColumns+q.from+` WHERE d.id IN (`+ids+`) ORDER BY `+q.order, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.Demand{}
	var rs []demandRow
	for rows.Next() {
		r, err := scanDemand(rows)
		if err != nil {
			return nil, 0, err
		}
		out, rs = append(out, r.Demand), append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := s.lights(ctx, rs...); err != nil {
		return nil, 0, err
	}
	return out, total, s.db.deptNames(ctx, out...)
}

// CountDemands returns the total of the list f selects in the caller's
// scope, from the count cache while no demand has changed.
func (s *DemandService) CountDemands(ctx context.Context, f zhagen.DemandFilter) (int, error) {
	q, err := s.listQuery(ctx, f)
	if err != nil {
		return 0, err
	}
	return s.db.count(ctx, q.countFrom, &q.w)
}

// demandList is the SQL of a demand list: its FROM with joins, the FROM
// its count needs, the scope and filters, and the order.
type demandList struct {
	from, countFrom, order string
	w                      where
	// scope is the actor when w's first condition is their scope, which
	// takes w's first scopeArgs arguments (keyedPage).
	scope     *zhagen.Actor
	scopeArgs int
}

// listQuery builds the list's query for f within the caller's scope; the
// page and the export read the same rows through it.
func (s *DemandService) listQuery(ctx context.Context, f zhagen.DemandFilter) (*demandList, error) {
	var w where
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	// A department filter joins the department's routing rows. When the
	// policy lets the actor see every demand that department takes part in
	// (its own department or one below it), that join already keeps the
	// list within scope and the scope predicate is left out, so the inbox
	// stays one index range. Otherwise the scope is AND-ed on as usual.
	var scoped *zhagen.Actor
	if !(f.DeptID != 0 && zhagen.Can(a, zhagen.PermDemandView, zhagen.Facts{DeptIDs: []int64{f.DeptID}})) {
		if _, err := demandScope(ctx, &w); err != nil {
			return nil, err
		}
		if len(w.conds) > 0 {
			scoped = a
		}
	}
	scopeArgs := len(w.args)
	from := demandFrom
	countFrom := "demands d"
	order := "d.id DESC"
	if f.DeptID != 0 {
		join := " JOIN demand_depts fd ON fd.demand_id = d.id AND fd.dept_id = " + strconv.FormatInt(f.DeptID, 10)
		if f.DeptRole == "lead" || f.DeptRole == "coop" {
			join += " AND fd.role = '" + f.DeptRole + "'"
		}
		if f.Open != nil {
			join += " AND fd.is_open = " + strings.ToUpper(strconv.FormatBool(*f.Open))
		}
		from, countFrom = from+join, countFrom+join
	} else if f.Open != nil {
		w.add("d.is_open = ?", *f.Open)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if id, err := strconv.ParseInt(strings.TrimPrefix(q, "#"), 10, 64); err == nil {
			w.add("d.id = ?", id)
		} else {
			countFrom += " LEFT JOIN enterprises e ON e.id = d.enterprise_id"
			w.add(`(d.title LIKE ? ESCAPE '\' OR d.description LIKE ? ESCAPE '\' OR e.name LIKE ? ESCAPE '\')`, likeArg(q), likeArg(q), likeArg(q))
		}
	}
	if len(f.Statuses) > 0 {
		// Known statuses are written into the statement: PostgreSQL
		// plans a prepared statement once for any parameter, and a rare
		// status (the dispatcher's unrouted demands, a handful among a
		// million) then took the primary key's order and read every row
		// (1.2 s) instead of the status index (0.5 ms).
		var lits []string
		var args []any
		for _, st := range f.Statuses {
			if st.Label() != "" { // one of the enum's constants: no quote in it
				lits = append(lits, "'"+string(st)+"'")
			} else {
				lits = append(lits, "?")
				args = append(args, string(st))
			}
		}
		w.add("d.status IN ("+strings.Join(lits, ", ")+")", args...)
	}
	if f.CategoryID != 0 {
		w.add("d.category_id = ?", f.CategoryID)
	}
	if f.EnterpriseID != 0 {
		w.add("d.enterprise_id = ?", f.EnterpriseID)
	}
	if f.ProjectID != 0 {
		w.add("d.project_id = ?", f.ProjectID)
	}
	if f.Level != "" {
		w.add("d.sla_level = ?", string(f.Level))
	}
	if f.SubmitterID != 0 {
		w.add("d.submitter_id = ?", f.SubmitterID)
	}
	if f.Channel != "" {
		w.add("d.channel = ?", string(f.Channel))
	}
	if f.From != nil {
		w.add("d.created_at >= ?", f.From.UTC())
	}
	if f.To != nil {
		w.add("d.created_at < ?", f.To.UTC())
	}
	if len(f.IDs) > 0 {
		ph := placeholders(len(f.IDs))
		var args []any
		for _, id := range f.IDs {
			args = append(args, id)
		}
		w.add("d.id IN ("+ph+")", args...)
	}
	if f.Token != "" {
		w.add("d.token = ?", f.Token)
	}
	if f.PendingExtension {
		w.add("d.extension_days > 0")
	}
	switch f.Sort {
	case "due":
		if f.DeptID != 0 {
			order = "fd.due, fd.demand_id"
		} else {
			order = "d.resolution_due, d.id"
		}
	case "created":
		order = "d.id"
	case "updated":
		order = "d.updated_at DESC, d.id DESC"
	}
	return &demandList{from: from, countFrom: countFrom, order: order, w: w, scope: scoped, scopeArgs: scopeArgs}, nil
}

// FindDemandEvents returns the timeline of a demand in scope; those
// the policy's PermDemandInternal does not let see the internal steps
// (enterprise users, intake channels) get only its public events.
func (s *DemandService) FindDemandEvents(ctx context.Context, id int64) ([]*zhagen.DemandEvent, error) {
	r, err := s.findRow(ctx, s.db.sql, id)
	if err != nil {
		return nil, err
	}
	a := zhagen.ActorFromContext(ctx)
	facts, err := s.db.demandFacts(ctx, a, zhagen.PermDemandInternal, r.Demand)
	if err != nil {
		return nil, err
	}
	q := `SELECT id, demand_id, actor_id, actor_name, actor_dept, action, from_status, to_status, note, public, at FROM demand_events WHERE demand_id = ?`
	if !zhagen.Can(a, zhagen.PermDemandInternal, facts) {
		q += ` AND public = TRUE`
	}
	rows, err := s.db.query(ctx, q+` ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.DemandEvent{}
	for rows.Next() {
		e := &zhagen.DemandEvent{}
		if err := rows.Scan(&e.ID, &e.DemandID, &e.ActorID, &e.ActorName, &e.ActorDept, &e.Action, &e.FromStatus, &e.ToStatus, &e.Note, &e.Public, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// LatestPublicNotes returns, in one query, the newest public note of
// each demand of ids in the caller's scope: the public event with a note
// of the latest time, then the highest id. Notes are compared trimmed of
// Unicode white space, as the timeline shows them, so a blank note (which
// SQL's TRIM would not recognise in every form) falls through to the
// next one in Go.
func (s *DemandService) LatestPublicNotes(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	ph := placeholders(len(ids))
	args := make([]any, 0, len(ids))
	for _, id := range ids {
		args = append(args, id)
	}
	w := where{conds: []string{"d.id IN (" + ph + ")", "ev.public = TRUE", "ev.note <> ''"}, args: args}
	if _, err := demandScope(ctx, &w); err != nil {
		return nil, err
	}
	rows, err := s.db.sql.QueryContext(ctx, s.db.dialect.rebind(`SELECT ev.demand_id, ev.note FROM demand_events ev JOIN demands d ON d.id = ev.demand_id`+
		w.String()+` ORDER BY ev.demand_id, ev.at DESC, ev.id DESC`), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var note string
		if err := rows.Scan(&id, &note); err != nil {
			return nil, err
		}
		if _, done := out[id]; done {
			continue
		}
		if note = strings.TrimSpace(note); note != "" {
			out[id] = note
		}
	}
	return out, rows.Err()
}

// FindLinkedDemands returns the demands linked to id or merged into it.
func (s *DemandService) FindLinkedDemands(ctx context.Context, id int64) ([]*zhagen.Demand, error) {
	if _, err := s.findRow(ctx, s.db.sql, id); err != nil {
		return nil, err
	}
	w := where{conds: []string{"(d.id IN (SELECT related_id FROM demand_links WHERE demand_id = ?) OR d.master_id = ?)"}, args: []any{id, id}}
	if _, err := demandScope(ctx, &w); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT `+demandColumns+demandFrom+w.String()+` ORDER BY d.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Demand{}
	for rows.Next() {
		r, err := scanDemand(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r.Demand)
	}
	return out, rows.Err()
}
