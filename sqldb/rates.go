package sqldb

import (
	"context"

	"zhagen"
)

// RatesService computes the three rates (三率) over the demands table.
type RatesService struct {
	db *DB
}

// NewRatesService returns the rates service of db.
func NewRatesService(db *DB) *RatesService { return &RatesService{db: db} }

var _ zhagen.RatesService = (*RatesService)(nil)

// ratesSelect counts, per lead department, what zhagen.DemandRates
// defines; the one argument is "now". Each SUM(CASE …) is the SQL form of
// one field's definition there:
//   - due for response: accepted, or the response due time has passed
//     and the demand was not withdrawn or merged before it;
//   - accepted in time: first accepted at or before the response due time;
//   - closed: status closed; solved: closed and confirmed solved;
//   - rated: carries a rating; satisfied: rated 满意 or 基本满意.
const ratesSelect = `SELECT COALESCE(d.lead_dept_id, 0), COALESCE(ld.name, ''),
	SUM(CASE WHEN d.accepted_at IS NOT NULL OR (d.response_due <= ? AND (d.closed_at IS NULL OR d.closed_at > d.response_due)) THEN 1 ELSE 0 END),
	SUM(CASE WHEN d.accepted_at IS NOT NULL AND d.accepted_at <= d.response_due THEN 1 ELSE 0 END),
	SUM(CASE WHEN d.status = 'closed' THEN 1 ELSE 0 END),
	SUM(CASE WHEN d.status = 'closed' AND d.solved = TRUE THEN 1 ELSE 0 END),
	SUM(CASE WHEN d.rating <> '' THEN 1 ELSE 0 END),
	SUM(CASE WHEN d.rating IN ('satisfied', 'basically') THEN 1 ELSE 0 END)
	FROM demands d LEFT JOIN departments ld ON ld.id = d.lead_dept_id`

// ratesScopeSQL selects the demands whose rates an actor reaches through
// each relation of the policy's PermRatesView.
var ratesScopeSQL = scopeSQL{
	zhagen.RelDeptBelow: subDeptsSQL("d.lead_dept_id"),
}

// recomputeRates computes the rates of the demands submitted within f,
// in the caller's scope, by scanning them with one aggregate query
// grouped by lead department: the definition the kept rollups
// (DemandRates, rates_read.go) must equal, which the tests check. The
// total is the sum of the departments' counts.
func (s *RatesService) recomputeRates(ctx context.Context, f zhagen.RatesFilter) (zhagen.DemandRates, []zhagen.DeptRates, error) {
	var total zhagen.DemandRates
	a, err := requireActor(ctx)
	if err != nil {
		return total, nil, err
	}
	if err := f.Validate(); err != nil {
		return total, nil, err
	}
	var w where
	if err := scope(a, zhagen.PermRatesView, &w, ratesScopeSQL); err != nil {
		return total, nil, err
	}
	from, to := f.Bounds()
	if from != nil {
		w.add("d.created_at >= ?", from.UTC())
	}
	if to != nil {
		w.add("d.created_at < ?", to.UTC())
	}
	if f.DeptID != 0 {
		w.add("d.lead_dept_id IN (SELECT id FROM departments WHERE path LIKE (SELECT path FROM departments WHERE id = ?) || '%')", f.DeptID)
	}
	if f.CategoryID != 0 {
		w.add("d.category_id = ?", f.CategoryID)
	}
	q := ratesSelect + w.String() + ` GROUP BY d.lead_dept_id, ld.name, ld.path ORDER BY CASE WHEN d.lead_dept_id IS NULL THEN 1 ELSE 0 END, ld.path, d.lead_dept_id`
	rows, err := s.db.query(ctx, q, append([]any{s.db.now()}, w.args...)...)
	if err != nil {
		return total, nil, err
	}
	defer rows.Close()
	byDept := []zhagen.DeptRates{}
	for rows.Next() {
		var r zhagen.DeptRates
		if err := rows.Scan(&r.DeptID, &r.DeptName, &r.DueForResponse, &r.AcceptedInTime, &r.Closed, &r.Solved, &r.Rated, &r.Satisfied); err != nil {
			return total, nil, err
		}
		byDept = append(byDept, r)
	}
	if err := rows.Err(); err != nil {
		return total, nil, err
	}
	rows.Close()
	if err := s.addFollowUps(ctx, w, byDept); err != nil {
		return total, nil, err
	}
	for _, r := range byDept {
		total = total.Add(r.DemandRates)
	}
	return total, byDept, nil
}
