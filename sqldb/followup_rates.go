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

// rollupFollowUp counts a recorded follow-up of kind k with result r on
// demand d in the rollups: one that reached the enterprise becomes d's
// latest (zhagen.FollowUpCounts), replacing what an earlier one counted;
// one that did not leaves the earlier one counted.
func (tx *Tx) rollupFollowUp(ctx context.Context, d *zhagen.Demand, k zhagen.FollowUpKind, r zhagen.FollowUpResult) error {
	reached, solved := zhagen.FollowUpCounts(k, r)
	if reached == 0 {
		return nil
	}
	bx, err := tx.loadRollupExtra(ctx, d.ID)
	if err != nil {
		return err
	}
	ax := bx
	ax.followUp = int64(reached + solved)
	if ax.followUp == bx.followUp {
		return nil
	}
	if err := tx.rollupChange(ctx, d, bx, d, ax); err != nil {
		return err
	}
	return tx.writeRollupExtra(ctx, d.ID, bx, ax)
}
