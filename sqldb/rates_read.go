package sqldb

import (
	"context"
	"time"

	"zhagen"
)

// DemandRates returns the rates of the demands submitted within f, in
// the caller's scope, from the kept rollups: the whole months of the
// period from the month rows, the days at its ends from the day rows,
// plus the due times passed since the SLA job last recorded them (a
// read of the few demands the partial indexes hold). It reads no more
// rows for ten million demands than for ten.
func (s *RatesService) DemandRates(ctx context.Context, f zhagen.RatesFilter) (zhagen.DemandRates, []zhagen.DeptRates, error) {
	var total zhagen.DemandRates
	a, err := requireActor(ctx)
	if err != nil {
		return total, nil, err
	}
	if err := f.Validate(); err != nil {
		return total, nil, err
	}
	from, to := f.Bounds()
	fromDay, toDay := 0, 99991231 // [fromDay, toDay)
	if from != nil {
		fromDay = dayKey(*from)
	}
	if to != nil {
		toDay = dayKey(*to)
	}
	sums := map[int64]rollupCounts{}
	read := func(table string, lo, hi int) error { // periods [lo, hi]
		if lo > hi {
			return nil
		}
		var w where
		if err := scope(a, zhagen.PermRatesView, &w, trendScopeSQL); err != nil {
			return err
		}
		w.add("r.period >= ?", lo)
		w.add("r.period <= ?", hi)
		if f.DeptID != 0 {
			w.add("r.dept_id IN (SELECT id FROM departments WHERE path LIKE (SELECT path FROM departments WHERE id = ?) || '%')", f.DeptID)
		}
		if f.CategoryID != 0 {
			w.add("r.category_id = ?", f.CategoryID)
		}
		rows, err := s.db.query(ctx, `SELECT r.dept_id, `+trendSums()+` FROM `+table+` r`+w.String()+` GROUP BY r.dept_id`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var dept int64
			var c rollupCounts
			dest := []any{&dept}
			for i := range c {
				dest = append(dest, &c[i])
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			sum := sums[dept]
			sum.add(c, 1)
			sums[dept] = sum
		}
		return rows.Err()
	}
	// Whole months: from the first month starting on or after fromDay to
	// the last ending before toDay.
	firstMonth := fromDay / 100
	if fromDay%100 > 1 {
		firstMonth = nextMonth(firstMonth)
	}
	lastMonth := prevMonth(toDay / 100) // the month of toDay is whole only up to its day before
	if firstMonth > lastMonth {
		if err := read("demand_rollups_day", fromDay, toDay-1); err != nil {
			return total, nil, err
		}
	} else {
		if err := read("demand_rollups_month", firstMonth, lastMonth); err != nil {
			return total, nil, err
		}
		if err := read("demand_rollups_day", fromDay, firstMonth*100); err != nil { // the days before the first whole month
			return total, nil, err
		}
		if err := read("demand_rollups_day", nextMonth(lastMonth)*100, toDay-1); err != nil { // and after the last
			return total, nil, err
		}
	}
	pending, err := s.pendingLapses(ctx, a, f.DeptID, f.CategoryID, from, to)
	if err != nil {
		return total, nil, err
	}
	for k, c := range pending {
		sum := sums[k.dept]
		sum.add(c, 1)
		sums[k.dept] = sum
	}
	names, err := s.db.departmentNames(ctx)
	if err != nil {
		return total, nil, err
	}
	var ds []zhagen.DeptTrend
	for dept, c := range sums {
		if c[rcSubmitted] > 0 {
			ds = append(ds, zhagen.DeptTrend{DeptID: dept, DeptName: names[dept], Total: countsToTrend(c)})
		}
	}
	if err := s.sortDepts(ctx, ds); err != nil {
		return total, nil, err
	}
	byDept := []zhagen.DeptRates{}
	for _, d := range ds {
		byDept = append(byDept, zhagen.DeptRates{DeptID: d.DeptID, DeptName: d.DeptName, DemandRates: d.Total.DemandRates})
		total = total.Add(d.Total.DemandRates)
	}
	return total, byDept, nil
}

func nextMonth(m int) int {
	if m%100 >= 12 {
		return (m/100+1)*100 + 1
	}
	return m + 1
}

func prevMonth(m int) int {
	if m%100 <= 1 {
		return (m/100-1)*100 + 12
	}
	return m - 1
}

// pendingLapses counts, per rollup key, what the due times passed by now
// and not yet recorded by the SLA job add: due for response for the
// demands awaiting acceptance past their response due time, overdue for
// those running past their resolution due time. The demands are in the
// actor's scope, led by dept (or one below it) and of category when not
// 0, filed in [from, to) when set. The query names only what the partial
// indexes demands_unaccepted and demands_unresolved hold (a few rows,
// however many demands there are); scope and filters are applied to
// those rows here, as scope's SQL states them (ratesScopeSQL: the
// actor's department and those below it). Once an SLA run has recorded
// the lapses due by its time, only due times after that less a margin
// are read (lapsesMarkedBefore): the index entries of the lapses
// recorded before are not visited.
func (s *RatesService) pendingLapses(ctx context.Context, a *zhagen.Actor, dept, category int64, from, to *time.Time) (map[rollupKey]rollupCounts, error) {
	out := map[rollupKey]rollupCounts{}
	now := s.db.now()
	subtree := func(path string) (map[int64]bool, error) {
		rows, err := s.db.query(ctx, "SELECT id FROM departments WHERE "+deptsBelowWhere, path)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		ids := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids[id] = true
		}
		return ids, rows.Err()
	}
	var inScope, inDept map[int64]bool // nil: any
	if all, _ := zhagen.ScopeOf(a, zhagen.PermRatesView); !all {
		var w where
		if err := scope(a, zhagen.PermRatesView, &w, ratesScopeSQL); err != nil {
			return nil, err
		}
		var err error
		if inScope, err = subtree(a.DeptPath); err != nil {
			return nil, err
		}
	}
	if dept != 0 {
		var path string
		if err := s.db.queryRow(ctx, `SELECT path FROM departments WHERE id = ?`, dept).Scan(&path); err != nil && !isNoRows(err) {
			return nil, err
		} else if err == nil {
			var err error
			if inDept, err = subtree(path); err != nil {
				return nil, err
			}
		} else {
			inDept = map[int64]bool{}
		}
	}
	marked, err := s.db.lapsesMarkedBefore(ctx)
	if err != nil {
		return nil, err
	}
	for i, c := range pendingLapseConds(now, marked) {
		rows, err := s.db.queryForValues(ctx, `SELECT COALESCE(lead_dept_id, 0), category_id, created_at FROM demands WHERE `+c.where, c.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k rollupKey
			var created time.Time
			if err := rows.Scan(&k.dept, &k.category, &created); err != nil {
				rows.Close()
				return nil, err
			}
			if (inScope != nil && !inScope[k.dept]) || (inDept != nil && !inDept[k.dept]) || (category != 0 && k.category != category) ||
				(from != nil && created.Before(*from)) || (to != nil && !created.Before(*to)) {
				continue
			}
			k.day = dayKey(created)
			c := out[k]
			if i == 0 {
				c[rcDueResponse]++
			} else {
				c[rcOverdue]++
			}
			out[k] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
