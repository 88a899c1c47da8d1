package sqldb

import (
	"context"

	"zhagen"
)

// addFollowUps adds the counts of the 回访核实率 to byDept: over the
// demands w selects (the rates' scope and filters on d), each demand's
// latest recorded follow-up that reached the enterprise after a close,
// counted by zhagen.FollowUpCounts.
func (s *RatesService) addFollowUps(ctx context.Context, w where, byDept []zhagen.DeptRates) error {
	w.add(`f.id = (SELECT MAX(g.id) FROM followups g WHERE g.demand_id = d.id AND g.done_at IS NOT NULL AND g.kind <> ? AND g.result IN (?, ?))`,
		string(zhagen.FollowUpWithdrawal), string(zhagen.FollowUpSolved), string(zhagen.FollowUpUnsolved))
	rows, err := s.db.query(ctx, `SELECT COALESCE(d.lead_dept_id, 0), f.kind, f.result, COUNT(*) FROM followups f JOIN demands d ON d.id = f.demand_id`+
		w.String()+` GROUP BY d.lead_dept_id, f.kind, f.result`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	at := map[int64]int{}
	for i, r := range byDept {
		at[r.DeptID] = i
	}
	for rows.Next() {
		var dept int64
		var kind zhagen.FollowUpKind
		var result zhagen.FollowUpResult
		var n int
		if err := rows.Scan(&dept, &kind, &result, &n); err != nil {
			return err
		}
		i, ok := at[dept]
		if !ok { // every demand counted here is counted by the rates query too
			continue
		}
		reached, solved := zhagen.FollowUpCounts(kind, result)
		byDept[i].FollowUpReached += reached * n
		byDept[i].FollowUpSolved += solved * n
	}
	return rows.Err()
}
