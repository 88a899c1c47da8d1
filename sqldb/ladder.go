package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
	"sync"
	"time"

	"zhagen"
	"zhagen/sla"
)

// ladderRuleCache keeps the configured ladder rules until they change.
type ladderRuleCache struct {
	mu    sync.Mutex
	gen   int64
	ok    bool
	rules []*zhagen.LadderRule
}

func (c *ladderRuleCache) get(ctx context.Context, db *DB) ([]*zhagen.LadderRule, error) {
	gen, err := db.generation(ctx, "ladder_rules")
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && c.gen == gen {
		return c.rules, nil
	}
	rules, err := loadLadderRules(ctx, db)
	if err != nil {
		return nil, err
	}
	c.gen, c.ok, c.rules = gen, true, rules
	return rules, nil
}

func loadLadderRules(ctx context.Context, db *DB) ([]*zhagen.LadderRule, error) {
	rows, err := db.query(ctx, `SELECT r.category_id, COALESCE(c.name, ''), r.priority, r.warn_pct, r.supervise_days, r.reply_hours, r.updated_by, r.updated_at
		FROM ladder_rules r LEFT JOIN categories c ON c.id = r.category_id ORDER BY r.category_id, r.priority`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.LadderRule{}
	for rows.Next() {
		r := &zhagen.LadderRule{}
		if err := rows.Scan(&r.CategoryID, &r.CategoryName, &r.Priority, &r.WarnPct, &r.SuperviseDays, &r.ReplyHours, &r.UpdatedBy, &r.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// lights fills the 亮灯 state of demands loaded by the demand service.
func (s *DemandService) lights(ctx context.Context, rs ...demandRow) error {
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return err
	}
	rules, err := s.rules.get(ctx, s.db)
	if err != nil {
		return err
	}
	now := s.db.now()
	for _, r := range rs {
		rule := zhagen.PickLadderRule(rules, r.CategoryID, r.Priority)
		r.Light = zhagen.DemandLight(cal, now, r.Demand, r.budget, rule.WarnPct)
	}
	return nil
}

// LadderRules lists the configured rules (admin).
func (s *SupervisionService) LadderRules(ctx context.Context) ([]*zhagen.LadderRule, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, zhagen.PermLadderEdit, zhagen.Facts{}); err != nil {
		return nil, err
	}
	return loadLadderRules(ctx, s.db)
}

// SetLadderRule adds or replaces the rule of a category and priority.
func (s *SupervisionService) SetLadderRule(ctx context.Context, r *zhagen.LadderRule) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermLadderEdit, zhagen.Facts{}); err != nil {
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
	if r.CategoryID != 0 {
		var one int
		if err := tx.queryRow(ctx, `SELECT 1 FROM categories WHERE id = ?`, r.CategoryID).Scan(&one); err != nil {
			if isNoRows(err) {
				return &zhagen.Error{Code: zhagen.EINVALID, Field: "category_id", Message: "诉求类别不存在"}
			}
			return err
		}
	}
	r.UpdatedBy, r.UpdatedAt = a.Name, tx.now
	if _, err := tx.exec(ctx, `INSERT INTO ladder_rules (category_id, priority, warn_pct, supervise_days, reply_hours, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (category_id, priority) DO UPDATE SET warn_pct = excluded.warn_pct, supervise_days = excluded.supervise_days,
		reply_hours = excluded.reply_hours, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		r.CategoryID, string(r.Priority), r.WarnPct, r.SuperviseDays, r.ReplyHours, r.UpdatedBy, tx.now); err != nil {
		return err
	}
	tx.bumpGeneration("ladder_rules")
	if err := tx.writeOpLog(ctx, "设置升级阶梯", "升级阶梯", r.CategoryID, ladderSummary(r)); err != nil {
		return err
	}
	return tx.Commit()
}

func ladderSummary(r *zhagen.LadderRule) string {
	b, _ := json.Marshal(r)
	return string(b)
}

// DeleteLadderRule removes a rule; the defaults apply again.
func (s *SupervisionService) DeleteLadderRule(ctx context.Context, categoryID int64, p zhagen.Priority) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermLadderEdit, zhagen.Facts{}); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `DELETE FROM ladder_rules WHERE category_id = ? AND priority = ?`, categoryID, string(p))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "该升级阶梯规则不存在")
	}
	tx.bumpGeneration("ladder_rules")
	if err := tx.writeOpLog(ctx, "删除升级阶梯", "升级阶梯", categoryID, string(p)); err != nil {
		return err
	}
	return tx.Commit()
}

// ladderCountScopeSQL selects the ladder steps an actor reaches: those
// of the departments they see (PermSupervisionView's relations).
var ladderCountScopeSQL = scopeSQL{
	zhagen.RelDeptBelow: subDeptsSQL("s.dept_id"),
}

// LadderCounts counts the rungs reached per lead department. The counts
// of each scope are kept until a rung is recorded or a department
// changes (their generations): counting every step of a large zone on
// each view of the supervision page costs a scan of the steps.
func (s *SupervisionService) LadderCounts(ctx context.Context) ([]*zhagen.LadderCount, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	var w where
	if err := scope(a, zhagen.PermSupervisionView, &w, ladderCountScopeSQL); err != nil {
		return nil, err
	}
	gen, err := s.db.generation(ctx, "ladder_steps", "departments")
	if err != nil {
		return nil, err
	}
	return keptCopies(&s.db.ladderCountCache, gen, fmt.Sprint(w.String(), w.args), func() ([]zhagen.LadderCount, error) {
		return s.ladderCounts(ctx, w)
	})
}

func (s *SupervisionService) ladderCounts(ctx context.Context, w where) ([]zhagen.LadderCount, error) {
	rows, err := s.db.query(ctx, `SELECT s.dept_id, COALESCE(d.name, ''), s.rung, COUNT(*) FROM ladder_steps s LEFT JOIN departments d ON d.id = s.dept_id`+
		w.String()+` GROUP BY s.dept_id, d.name, s.rung ORDER BY s.dept_id, s.rung`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []zhagen.LadderCount{}
	for rows.Next() {
		var c zhagen.LadderCount
		if err := rows.Scan(&c.DeptID, &c.DeptName, &c.Rung, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LadderResult counts what one run of the ladder job did.
type LadderResult struct {
	Checked   int                       // demands looked at: those whose watch time had come
	Rungs     map[zhagen.LadderRung]int // rungs recorded by this run
	Orders    int                       // supervision orders the ladder raised
	Escalated int                       // overdue orders escalated one step up
}

// ladderDemand is an open demand as the ladder job reads it, with the
// version and watch time it was read at.
type ladderDemand struct {
	d       *zhagen.Demand
	budget  time.Duration
	version int64
	watch   *time.Time
}

// ladderPageSize is how many open demands the ladder job reads at a time.
var ladderPageSize = 1000

// afterLadderPage, when set (by tests), runs after the ladder job read a
// page and before it acts on it.
var afterLadderPage func()

type ladderStep struct {
	demand int64
	rung   zhagen.LadderRung
}

// ladderPage reads the next page of the demands the ladder looks at,
// with ids above after: those whose watch time has come at now, or every
// open one. It reads only what tells which rungs and level are due;
// climbing a rung reads the rest (ladderDetails).
func (s *SupervisionService) ladderPage(ctx context.Context, now time.Time, all bool, after int64) ([]ladderDemand, error) {
	const cols = `SELECT d.id, d.category_id, d.priority, d.status, d.response_due, d.resolution_due, d.accepted_at, d.budget_secs,
		d.sla_level, d.version, d.watch_at FROM demands d WHERE `
	var rows *sql.Rows
	var err error
	if all {
		rows, err = s.db.query(ctx, cols+`d.is_open = TRUE AND d.id > ? ORDER BY d.id LIMIT ?`, after, ladderPageSize)
	} else {
		// The few demands whose watch time has come, through demands_watch
		// and sorted: "+d.id" keeps both planners from walking the primary
		// key in order and testing every demand's watch time (0.4-1 s a
		// minute at a million demands), and PostgreSQL plans for the time.
		rows, err = s.db.queryForValues(ctx, cols+`d.watch_at <= ? AND +d.id > ? ORDER BY +d.id LIMIT ?`, now.UTC(), after, ladderPageSize)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var page []ladderDemand
	for rows.Next() {
		ld := ladderDemand{d: &zhagen.Demand{}}
		d := ld.d
		var budget int64
		if err := rows.Scan(&d.ID, &d.CategoryID, &d.Priority, &d.Status, &d.ResponseDue, &d.ResolutionDue, &d.AcceptedAt, &budget,
			&d.SLALevel, &ld.version, &ld.watch); err != nil {
			return nil, err
		}
		ld.budget = time.Duration(budget) * time.Second
		page = append(page, ld)
	}
	return page, rows.Err()
}

// ladderDetails reads what climbing a rung of d tells and records: its
// title, lead department (with its name) and cooperating departments.
func (s *SupervisionService) ladderDetails(ctx context.Context, d *zhagen.Demand) error {
	var coop string
	if err := s.db.queryRow(ctx, `SELECT d.title, COALESCE(d.lead_dept_id, 0), COALESCE(ld.name, ''), d.coop_dept_ids
		FROM demands d LEFT JOIN departments ld ON ld.id = d.lead_dept_id WHERE d.id = ?`, d.ID).Scan(&d.Title, &d.LeadDeptID, &d.LeadDeptName, &coop); err != nil {
		return err
	}
	return json.Unmarshal([]byte(coop), &d.CoopDeptIDs)
}

// ladderDone returns the rungs already recorded for the demands of page.
// The id list is padded to a power of two with its last id, so that a
// few statements serve every page size (each is prepared and cached).
func (s *SupervisionService) ladderDone(ctx context.Context, page []ladderDemand) (map[ladderStep]bool, error) {
	ids := make([]any, 1<<bits.Len(uint(len(page)-1)))
	for i := range ids {
		ids[i] = page[min(i, len(page)-1)].d.ID
	}
	rows, err := s.db.query(ctx, `SELECT demand_id, rung FROM ladder_steps WHERE demand_id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	done := map[ladderStep]bool{}
	for rows.Next() {
		var st ladderStep
		if err := rows.Scan(&st.demand, &st.rung); err != nil {
			return nil, err
		}
		done[st] = true
	}
	return done, rows.Err()
}

// RunLadderJob climbs the escalation ladder at now: every open demand
// whose watch time has come gets each rung it has reached and not yet
// got, once (the step row's key decides who tells), on the timeline and
// told to its people; its watch time moves on to its next step. Then
// overdue supervision orders escalate one step up, once. The first run
// of a process, and the first after the ladder rules or the calendar
// changed, looks at every open demand. Several servers may run it at
// the same time.
func (s *SupervisionService) RunLadderJob(ctx context.Context, now time.Time) (LadderResult, error) {
	res := LadderResult{Rungs: map[zhagen.LadderRung]int{}}
	gen, err := s.db.generation(ctx, watchGenerations...)
	if err != nil {
		return res, err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return res, err
	}
	rules, err := s.rules.get(ctx, s.db)
	if err != nil {
		return res, err
	}
	s.watchMu.Lock()
	all := !s.watchSeen || s.watchGen != gen
	s.watchMu.Unlock()
	// Page by page in id order, so that memory stays small however many
	// demands are open.
	for after := int64(0); ; {
		page, err := s.ladderPage(ctx, now, all, after)
		if err != nil {
			return res, err
		}
		if len(page) == 0 {
			break
		}
		res.Checked += len(page)
		after = page[len(page)-1].d.ID
		if afterLadderPage != nil {
			afterLadderPage()
		}
		if err := s.climbPage(ctx, cal, rules, now, page, &res); err != nil {
			return res, err
		}
		if err := s.advanceWatches(ctx, cal, rules, now, page); err != nil {
			return res, err
		}
	}
	if all {
		s.watchMu.Lock()
		s.watchSeen, s.watchGen = true, gen
		s.watchMu.Unlock()
	}
	n, err := s.escalateOverdue(ctx, now)
	res.Escalated = n
	return res, err
}

// climbPage climbs the rungs the demands of page have reached at now
// and not yet got, counting them in res.
func (s *SupervisionService) climbPage(ctx context.Context, cal *sla.Calendar, rules []*zhagen.LadderRule, now time.Time, page []ladderDemand, res *LadderResult) error {
	done, err := s.ladderDone(ctx, page)
	if err != nil {
		return err
	}
	for _, ld := range page {
		rule := zhagen.PickLadderRule(rules, ld.d.CategoryID, ld.d.Priority)
		detailed := false
		for _, r := range zhagen.LadderRungsDue(rule, cal, now, ld.d, ld.budget) {
			if done[ladderStep{ld.d.ID, r}] {
				continue
			}
			if !detailed {
				if err := s.ladderDetails(ctx, ld.d); err != nil {
					return err
				}
				detailed = true
			}
			ok, err := s.climb(ctx, cal, rule, ld.d, r)
			if err != nil {
				return err
			}
			if ok {
				res.Rungs[r]++
				if r == zhagen.RungSupervise {
					res.Orders++
				}
			}
		}
	}
	return nil
}

// climb records rung r of demand d and tells its people, in one
// transaction; false when another run recorded it first.
func (s *SupervisionService) climb(ctx context.Context, cal *sla.Calendar, rule zhagen.LadderRule, d *zhagen.Demand, r zhagen.LadderRung) (bool, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	ins, err := tx.exec(ctx, `INSERT INTO ladder_steps (demand_id, rung, dept_id, at) VALUES (?, ?, ?, ?) ON CONFLICT (demand_id, rung) DO NOTHING`,
		d.ID, string(r), d.LeadDeptID, tx.now)
	if err != nil {
		return false, err
	}
	if n, err := ins.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	tx.bumpGeneration("ladder_steps") // LadderCounts
	sys := zhagen.NewContextWithActor(ctx, nil)
	var status string
	if err := tx.queryRow(ctx, `SELECT status FROM demands WHERE id = ?`, d.ID).Scan(&status); err != nil {
		return false, err
	}
	st := zhagen.DemandStatus(status)
	dueAt := d.ResolutionDue
	if r == zhagen.RungResponseOverdue {
		dueAt = d.ResponseDue
	}
	if err := tx.event(sys, d.ID, st, st, zhagen.ActWarn, zhagen.LadderNote(r, *dueAt, rule.SuperviseDays), false); err != nil {
		return false, err
	}
	heads, err := tx.deptHeads(ctx, d.LeadDeptID)
	if err != nil {
		return false, err
	}
	switch r {
	case zhagen.RungSupervise:
		o := &zhagen.SupervisionOrder{SubjectKind: zhagen.SubjectDemand, SubjectID: d.ID, SubjectTitle: d.Title, DemandID: d.ID,
			DeptID: d.LeadDeptID, DeptName: d.LeadDeptName, Requirement: zhagen.AutoSupervisionRequirement(d, rule.SuperviseDays),
			IssuerName: "升级阶梯", Auto: true, ReplyHours: rule.ReplyHours}
		if err := s.insertOrder(sys, tx, cal, o, heads); err != nil {
			return false, err
		}
	default:
		if err := tx.enqueue(ctx, zhagen.NoticeLadder(d, r, heads)); err != nil {
			return false, err
		}
		if r == zhagen.RungOverdue && len(d.CoopDeptIDs) > 0 {
			if err := tx.enqueue(ctx, zhagen.NoticeCoopLate(d)); err != nil {
				return false, err
			}
		}
	}
	return true, tx.Commit()
}

// deptHeads returns the heads of department id (zhagen.DeptHeadIDs over
// its active staff); nil when it has none.
func (tx *Tx) deptHeads(ctx context.Context, id int64) ([]int64, error) {
	if id == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(`SELECT id, roles, rank FROM users WHERE dept_id = ? AND archived = FALSE`), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var staff []*zhagen.User
	for rows.Next() {
		u := &zhagen.User{}
		var roles string
		if err := rows.Scan(&u.ID, &roles, &u.Rank); err != nil {
			return nil, err
		}
		if strings.Contains(","+roles+",", ","+string(zhagen.RoleStaff)+",") {
			staff = append(staff, u)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return zhagen.DeptHeadIDs(staff), nil
}

// escalateOverdue escalates each open order past its reply due time one
// step up, once: the conditional UPDATE decides who tells.
func (s *SupervisionService) escalateOverdue(ctx context.Context, now time.Time) (int, error) {
	rows, err := s.db.query(ctx, `SELECT id FROM supervision_orders WHERE status = 'open' AND escalated_at IS NULL AND reply_due <= ? ORDER BY id`, now.UTC())
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		ok, err := s.escalate(ctx, id, now)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

func (s *SupervisionService) escalate(ctx context.Context, id int64, now time.Time) (bool, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	o, err := scanOrder(tx.queryRow(ctx, `SELECT `+orderColumns+orderFrom+` WHERE o.id = ?`, id))
	if err != nil {
		return false, err
	}
	var parent int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(parent_id, 0) FROM departments WHERE id = ?`, o.DeptID).Scan(&parent); err != nil {
		return false, err
	}
	res, err := tx.exec(ctx, `UPDATE supervision_orders SET escalated_at = ?, escalated_to = ?, updated_at = ?
		WHERE id = ? AND status = 'open' AND escalated_at IS NULL AND reply_due <= ?`, tx.now, parent, tx.now, id, now.UTC())
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	tx.bumpGeneration("supervision_orders") // SupervisionTallies
	heads, err := tx.deptHeads(ctx, parent)
	if err != nil {
		return false, err
	}
	if err := tx.enqueue(ctx, zhagen.NoticeSupervisionEscalated(o, parent, heads)); err != nil {
		return false, err
	}
	if o.DemandID != 0 {
		if err := tx.orderEvent(zhagen.NewContextWithActor(ctx, nil), o, zhagen.SupervisionEscalatedNote(o)); err != nil {
			return false, err
		}
	}
	return true, tx.Commit()
}
