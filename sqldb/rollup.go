package sqldb

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"sync"
	"time"

	"zhagen"
	"zhagen/sla"
)

// The rates and the trend are kept incrementally: a demand adds its
// counts (rollupCounts) to the row of its lead department, category and
// day of filing in demand_rollups_day, and of the month in
// demand_rollups_month. Every change to a demand (filing, workflow step,
// SLA run) writes, in its transaction, the difference between the counts
// after and before; reads sum rows and never scan demands. The counts
// are functions of what the demand row stores, so a step that moves a
// demand to another department takes its counts from the old row to the
// new one, whatever happened before.

// The rollup columns, in the order of rollupCounts.
var rollupColumns = []string{"submitted", "due_response", "accepted_in_time", "closed", "solved", "rated", "satisfied",
	"open_count", "awaiting", "withdrawn", "accepted", "resolved", "response_timed", "response_secs", "resolution_timed",
	"resolution_secs", "overdue", "returns", "extensions", "followup_reached", "followup_solved"}

const (
	rcSubmitted = iota
	rcDueResponse
	rcAcceptedInTime
	rcClosed
	rcSolved
	rcRated
	rcSatisfied
	rcOpen
	rcAwaiting
	rcWithdrawn
	rcAccepted
	rcResolved
	rcResponseTimed
	rcResponseSecs
	rcResolutionTimed
	rcResolutionSecs
	rcOverdue
	rcReturns
	rcExtensions
	rcFollowUpReached
	rcFollowUpSolved
	rcN
)

// rollupCounts are what one demand (or a sum of demands) adds to a
// rollup row, indexed by the rc constants.
type rollupCounts [rcN]int64

func (c *rollupCounts) add(o rollupCounts, sign int64) {
	for i := range c {
		c[i] += sign * o[i]
	}
}

func (c rollupCounts) zero() bool { return c == rollupCounts{} }

// rollupExtra is what a demand row keeps for its counts beyond the
// demand's own fields (migration 0015).
type rollupExtra struct {
	respLapsed, resLapsed        *time.Time // the due times seen passing, once
	responseSecs, resolutionSecs *int64     // working seconds to acceptance and resolution
	extensions                   int        // extensions granted
	followUp                     int64      // the latest follow-up that reached: 0 none, 1 not solved, 2 solved
}

// rollupKey is one rollup row: lead department (0 when not routed),
// category and day of filing as yyyymmdd in Asia/Shanghai.
type rollupKey struct {
	dept, category int64
	day            int
}

func dayKey(t time.Time) int {
	y, m, d := t.In(zhagen.Shanghai).Date()
	return y*10000 + int(m)*100 + d
}

func keyOf(d *zhagen.Demand) rollupKey {
	return rollupKey{dept: d.LeadDeptID, category: d.CategoryID, day: dayKey(d.CreatedAt)}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// countsOf states, per rollup column, what demand d with x counts. The
// three rates' counts follow zhagen.DemandRates: due for response when
// accepted, or when its response due time was seen passing unaccepted
// (and it was not withdrawn or merged by then); accepted in time when
// accepted at or before the response due time; closed, solved, rated and
// satisfied as stated there. Overdue: resolved after the resolution due
// time, or open, unresolved and running when the resolution due time was
// seen passing.
func countsOf(d *zhagen.Demand, x rollupExtra) rollupCounts {
	var c rollupCounts
	c[rcSubmitted] = 1
	accepted := d.AcceptedAt != nil
	lapsed := x.respLapsed != nil && d.ResponseDue != nil && x.respLapsed.Equal(*d.ResponseDue) &&
		(d.ClosedAt == nil || d.ClosedAt.After(*d.ResponseDue))
	c[rcDueResponse] = b2i(accepted || lapsed)
	c[rcAcceptedInTime] = b2i(accepted && d.ResponseDue != nil && !d.AcceptedAt.After(*d.ResponseDue))
	closed := d.Status == zhagen.DemandClosed
	c[rcClosed] = b2i(closed)
	c[rcSolved] = b2i(closed && d.Solved != nil && *d.Solved)
	c[rcRated] = b2i(d.Rating != "")
	c[rcSatisfied] = b2i(d.Rating == zhagen.RatingSatisfied || d.Rating == zhagen.RatingBasically)
	c[rcOpen] = b2i(d.Status.Open())
	c[rcAwaiting] = b2i(d.Status == zhagen.DemandResolved)
	c[rcWithdrawn] = b2i(d.Status == zhagen.DemandWithdrawn || d.Status == zhagen.DemandMerged)
	c[rcAccepted] = b2i(accepted)
	c[rcResolved] = b2i(d.ResolvedAt != nil)
	if accepted && x.responseSecs != nil {
		c[rcResponseTimed], c[rcResponseSecs] = 1, *x.responseSecs
	}
	if d.ResolvedAt != nil && x.resolutionSecs != nil {
		c[rcResolutionTimed], c[rcResolutionSecs] = 1, *x.resolutionSecs
	}
	late := d.ResolvedAt != nil && d.ResolutionDue != nil && d.ResolvedAt.After(*d.ResolutionDue)
	running := d.ResolvedAt == nil && d.Status.Open() && d.Status != zhagen.DemandWaiting && d.PausedAt == nil
	lapsedRes := running && x.resLapsed != nil && d.ResolutionDue != nil && x.resLapsed.Equal(*d.ResolutionDue)
	c[rcOverdue] = b2i(late || lapsedRes)
	c[rcReturns] = int64(d.ReturnCount)
	c[rcExtensions] = int64(x.extensions)
	c[rcFollowUpReached] = b2i(x.followUp > 0)
	c[rcFollowUpSolved] = b2i(x.followUp == 2)
	return c
}

// loadRollupExtra reads x of demand id within tx.
func (tx *Tx) loadRollupExtra(ctx context.Context, id int64) (rollupExtra, error) {
	var x rollupExtra
	var rl, sl sql.NullTime
	var rs, ss sql.NullInt64
	err := tx.queryRow(ctx, `SELECT resp_lapsed, res_lapsed, response_secs, resolution_secs, extensions, followup_seen FROM demands WHERE id = ?`, id).
		Scan(&rl, &sl, &rs, &ss, &x.extensions, &x.followUp)
	if rl.Valid {
		t := rl.Time.UTC()
		x.respLapsed = &t
	}
	if sl.Valid {
		t := sl.Time.UTC()
		x.resLapsed = &t
	}
	if rs.Valid {
		x.responseSecs = &rs.Int64
	}
	if ss.Valid {
		x.resolutionSecs = &ss.Int64
	}
	return x, err
}

// extraAfter is x as a step at now leaves it: the due times passed by
// now recorded, the working time to a new acceptance or resolution
// measured on cal, an extension granted counted.
func extraAfter(cal *sla.Calendar, now time.Time, before, after *zhagen.Demand, x rollupExtra, extended bool) rollupExtra {
	// A lapse recorded for a due time the step moved no longer holds:
	// forget it, so that the demand waits for its new due time.
	if x.respLapsed != nil && (after.ResponseDue == nil || !x.respLapsed.Equal(*after.ResponseDue)) {
		x.respLapsed = nil
	}
	if x.resLapsed != nil && (after.ResolutionDue == nil || !x.resLapsed.Equal(*after.ResolutionDue)) {
		x.resLapsed = nil
	}
	if after.AcceptedAt == nil && after.ResponseDue != nil && !after.ResponseDue.After(now) {
		t := after.ResponseDue.UTC()
		x.respLapsed = &t
	}
	if after.ResolvedAt == nil && after.Status.Open() && after.Status != zhagen.DemandWaiting && after.PausedAt == nil &&
		after.ResolutionDue != nil && !after.ResolutionDue.After(now) {
		t := after.ResolutionDue.UTC()
		x.resLapsed = &t
	}
	if after.AcceptedAt != nil && (before == nil || before.AcceptedAt == nil) {
		s := int64(cal.WorkingBetween(after.CreatedAt, *after.AcceptedAt) / time.Second)
		x.responseSecs = &s
	}
	if after.ResolvedAt != nil && (before == nil || before.ResolvedAt == nil || !before.ResolvedAt.Equal(*after.ResolvedAt)) {
		s := int64(cal.WorkingBetween(after.CreatedAt, *after.ResolvedAt) / time.Second)
		x.resolutionSecs = &s
	}
	if extended {
		x.extensions++
	}
	return x
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func sameSecs(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// writeRollupExtra stores x of demand id if it differs from old.
func (tx *Tx) writeRollupExtra(ctx context.Context, id int64, old, x rollupExtra) error {
	if sameTime(old.respLapsed, x.respLapsed) && sameTime(old.resLapsed, x.resLapsed) && sameSecs(old.responseSecs, x.responseSecs) &&
		sameSecs(old.resolutionSecs, x.resolutionSecs) && old.extensions == x.extensions && old.followUp == x.followUp {
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE demands SET resp_lapsed = ?, res_lapsed = ?, response_secs = ?, resolution_secs = ?, extensions = ?, followup_seen = ? WHERE id = ?`,
		nullTime(x.respLapsed), nullTime(x.resLapsed), nullInt(x.responseSecs), nullInt(x.resolutionSecs), x.extensions, x.followUp, id)
	return err
}

func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// rollupChange moves the rollups from what before with bx counted to
// what after with ax counts; before nil is a filing.
func (tx *Tx) rollupChange(ctx context.Context, before *zhagen.Demand, bx rollupExtra, after *zhagen.Demand, ax rollupExtra) error {
	deltas := map[rollupKey]rollupCounts{}
	ac := countsOf(after, ax)
	k := keyOf(after)
	d := deltas[k]
	d.add(ac, 1)
	deltas[k] = d
	if before != nil {
		bk := keyOf(before)
		d := deltas[bk]
		d.add(countsOf(before, bx), -1)
		deltas[bk] = d
	}
	return tx.addRollups(ctx, deltas)
}

// addRollups adds deltas to their day rows and month rows, in key order
// (so that concurrent writers on PostgreSQL lock rows in one order).
func (tx *Tx) addRollups(ctx context.Context, deltas map[rollupKey]rollupCounts) error {
	if tx.rollupBuf != nil {
		for k, c := range deltas {
			b := tx.rollupBuf[k]
			b.add(c, 1)
			tx.rollupBuf[k] = b
		}
		return nil
	}
	type row struct {
		period   int
		dept, ct int64
		c        rollupCounts
	}
	var days []row
	months := map[rollupKey]rollupCounts{}
	for k, c := range deltas {
		if c.zero() {
			continue
		}
		days = append(days, row{k.day, k.dept, k.category, c})
		mk := rollupKey{k.dept, k.category, k.day / 100}
		m := months[mk]
		m.add(c, 1)
		months[mk] = m
	}
	var ms []row
	for k, c := range months {
		if !c.zero() {
			ms = append(ms, row{k.day, k.dept, k.category, c})
		}
	}
	less := func(rs []row) func(i, j int) bool {
		return func(i, j int) bool {
			a, b := rs[i], rs[j]
			if a.period != b.period {
				return a.period < b.period
			}
			if a.dept != b.dept {
				return a.dept < b.dept
			}
			return a.ct < b.ct
		}
	}
	sort.Slice(days, less(days))
	sort.Slice(ms, less(ms))
	for _, t := range []struct {
		table string
		rows  []row
	}{{"demand_rollups_day", days}, {"demand_rollups_month", ms}} {
		for start := 0; start < len(t.rows); start += 200 {
			chunk := t.rows[start:min(start+200, len(t.rows))]
			args := make([]any, 0, len(chunk)*(rcN+4))
			for _, r := range chunk {
				args = append(args, r.period, r.dept, r.ct, tx.shard)
				for _, v := range r.c {
					args = append(args, v)
				}
			}
			if err := tx.later(ctx, rollupUpsert(t.table, len(chunk)), args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// rollupUpsert is the statement adding n rows of counts to table, each
// to its shard's row. The statements of up to 16 rows, which a group
// commit's batch of filings needs, are built once; longer ones (a bulk
// load's, up to 200 rows) each time.
func rollupUpsert(table string, n int) string {
	if n > 16 {
		return buildRollupUpsert(table, n)
	}
	k := rollupStmtKey{table, n}
	if q, ok := rollupStmts.Load(k); ok {
		return q.(string)
	}
	q := buildRollupUpsert(table, n)
	rollupStmts.Store(k, q)
	return q
}

type rollupStmtKey struct {
	table string
	n     int
}

var rollupStmts sync.Map // rollupStmtKey → statement

func buildRollupUpsert(table string, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (period, dept_id, category_id, shard, " + strings.Join(rollupColumns, ", ") + ") VALUES ")
	one := "(?, ?, ?, ?" + strings.Repeat(", ?", rcN) + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	b.WriteString(" ON CONFLICT (period, dept_id, category_id, shard) DO UPDATE SET ")
	for i, c := range rollupColumns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = " + table + "." + c + " + excluded." + c)
	}
	return b.String()
}

// rollupStep records what a planned step changes: the demand's extra
// fields and its rollup rows. before is the demand as loaded; the step's
// versioned UPDATE has been written, so the extra fields read now are
// the latest committed (an SLA run that recorded a lapse meanwhile
// included) and no other writer changes them before tx ends.
func (tx *Tx) rollupStep(ctx context.Context, cal *sla.Calendar, before *zhagen.Demand, p *zhagen.Plan, budgetBefore time.Duration) error {
	bx, err := tx.loadRollupExtra(ctx, p.Demand.ID)
	if err != nil {
		return err
	}
	extended := p.Action == zhagen.ActApproveExtension && p.Budget > budgetBefore
	ax := extraAfter(cal, tx.now, before, p.Demand, bx, extended)
	if err := tx.writeRollupExtra(ctx, p.Demand.ID, bx, ax); err != nil {
		return err
	}
	return tx.rollupChange(ctx, before, bx, p.Demand, ax)
}

// rollupFiled records a new demand's counts.
func (tx *Tx) rollupFiled(ctx context.Context, cal *sla.Calendar, d *zhagen.Demand) error {
	ax := extraAfter(cal, tx.now, nil, d, rollupExtra{}, false)
	if err := tx.writeRollupExtra(ctx, d.ID, rollupExtra{}, ax); err != nil {
		return err
	}
	return tx.rollupChange(ctx, nil, rollupExtra{}, d, ax)
}

// rollupRows adds the counts of the demands matching cond (a condition
// on d) to the rollups, as if each had just been filed in its state:
// bulk loads and the first fill of a database from before migration 0015
// use it. The demands' extra fields are read as they are.
func (tx *Tx) rollupRows(ctx context.Context, cond string, args ...any) error {
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(`SELECT `+demandColumns+`, d.resp_lapsed, d.res_lapsed, d.response_secs, d.resolution_secs, d.extensions, d.followup_seen`+
		demandFrom+` WHERE `+cond), args...)
	if err != nil {
		return err
	}
	deltas := map[rollupKey]rollupCounts{}
	for rows.Next() {
		var x rollupExtra
		var rl, sl sql.NullTime
		var rs, ss sql.NullInt64
		r, err := scanDemand(scanAppend{rows, []any{&rl, &sl, &rs, &ss, &x.extensions, &x.followUp}})
		if err != nil {
			rows.Close()
			return err
		}
		if rl.Valid {
			t := rl.Time.UTC()
			x.respLapsed = &t
		}
		if sl.Valid {
			t := sl.Time.UTC()
			x.resLapsed = &t
		}
		if rs.Valid {
			x.responseSecs = &rs.Int64
		}
		if ss.Valid {
			x.resolutionSecs = &ss.Int64
		}
		k := keyOf(r.Demand)
		c := deltas[k]
		c.add(countsOf(r.Demand, x), 1)
		deltas[k] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return tx.addRollups(ctx, deltas)
}

// scanAppend scans a row into the arguments of Scan followed by more.
type scanAppend struct {
	sc   interface{ Scan(...any) error }
	more []any
}

func (s scanAppend) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.more...)...) }

// fillRollups fills empty rollups from the demands of a database that
// had demands before migration 0015; it does nothing once any rollup row
// exists.
func (db *DB) fillRollups(ctx context.Context) error {
	var have, empty bool
	if err := db.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM demands), NOT EXISTS (SELECT 1 FROM demand_rollups_month)`).Scan(&have, &empty); err != nil {
		return err
	}
	if !have || !empty {
		return nil
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The lapses the SLA job and the steps would have recorded.
	if _, err := tx.exec(ctx, `UPDATE demands SET resp_lapsed = response_due WHERE accepted_at IS NULL AND response_due <= ?
		AND (closed_at IS NULL OR closed_at > response_due)`, tx.now); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE demands SET res_lapsed = resolution_due WHERE is_open AND resolved_at IS NULL AND resolution_due <= ?
		AND paused_at IS NULL AND status <> 'waiting'`, tx.now); err != nil {
		return err
	}
	if err := tx.rollupRows(ctx, `d.id > ?`, 0); err != nil {
		return err
	}
	return tx.Commit()
}

// cachedQuerier runs a Tx's one-row queries through the prepared
// statement cache (findRow's text is the same for every call of one
// scope).
type cachedQuerier struct{ tx *Tx }

func (q cachedQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return q.tx.queryRow(ctx, query, args...)
}
