package sqldb

import (
	"context"
	"fmt"
	"slices"
	"time"

	"zhagen"
	"zhagen/sla"
)

var _ zhagen.HistoryService = (*DemandService)(nil)

// ImportHistory files past demands and applies their steps, each at its
// own time, through the live service's code: insertDemand for the
// filing and transition (PlanTransition and apply) for every step, with
// the transaction's clock set to the step's time. So the rows are the
// ones the service writes live: demand, departments, timeline, operation
// log, rollups. The notices the past steps planned are taken out of the
// outbox again in the same transaction (they would reach people now
// about things long done). After the import, the SLA lapses due by now
// are recorded as the SLA job records them.
func (s *DemandService) ImportHistory(ctx context.Context, ds []zhagen.HistoryDemand) (zhagen.HistoryResult, error) {
	var res zhagen.HistoryResult
	if _, err := permitted(ctx, zhagen.PermDemandBulkLoad, zhagen.Facts{}); err != nil {
		return res, err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return res, err
	}
	now := s.db.now()
	cats := map[int64]*zhagen.Category{}
	names := map[int64]string{}
	var todo []zhagen.HistoryDemand
	for _, h := range ds {
		if h.Filer == nil || h.Demand == nil || h.Key == "" {
			return res, fmt.Errorf("history %q: filer, demand and key are required", h.Key)
		}
		var n int
		if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM demands WHERE idem_scope = ? AND idem_key = ?`, idemScope(h.Filer), h.Key).Scan(&n); err != nil {
			return res, err
		}
		if n > 0 {
			res.Existing++
			continue
		}
		if !h.At.Before(now) {
			return res, &zhagen.Error{Code: zhagen.EINVALID, Field: "at", Message: "历史诉求的提交时间须早于当前时间：" + h.Key}
		}
		d := h.Demand
		if _, ok := cats[d.CategoryID]; !ok {
			cat, err := NewCategoryService(s.db).FindCategoryByID(ctx, d.CategoryID)
			if err != nil {
				return res, fmt.Errorf("history %s: %w", h.Key, err)
			}
			cats[d.CategoryID] = cat
		}
		if _, ok := names[d.EnterpriseID]; !ok && d.EnterpriseID != 0 {
			var name string
			if err := s.db.queryRow(ctx, `SELECT name FROM enterprises WHERE id = ? AND archived = FALSE`, d.EnterpriseID).Scan(&name); err != nil {
				return res, fmt.Errorf("history %s: enterprise %d: %w", h.Key, d.EnterpriseID, notFound(err, "企业"))
			}
			names[d.EnterpriseID] = name
		}
		todo = append(todo, h)
	}
	n, err := s.importAll(ctx, cal, now, cats, names, todo)
	res.Filed, res.Steps = len(todo), n
	if err != nil {
		return zhagen.HistoryResult{Existing: res.Existing}, err
	}
	if _, err := s.markLapses(ctx, now); err != nil {
		return res, err
	}
	return res, nil
}

// importAll imports hs in one transaction and returns the steps taken.
func (s *DemandService) importAll(ctx context.Context, cal *sla.Calendar, now time.Time, cats map[int64]*zhagen.Category, names map[int64]string, hs []zhagen.HistoryDemand) (int, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var outboxFrom int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM outbox`).Scan(&outboxFrom); err != nil {
		return 0, err
	}
	tx.rollupBuf = map[rollupKey]rollupCounts{} // written once, below
	steps := 0
	for _, h := range hs {
		n, err := s.importOne(ctx, tx, cal, now, cats[h.Demand.CategoryID], names[h.Demand.EnterpriseID], h)
		steps += n
		if err != nil {
			return steps, fmt.Errorf("history %s: %w", h.Key, err)
		}
	}
	tx.now = now
	buf := tx.rollupBuf
	tx.rollupBuf = nil
	if err := tx.addRollups(ctx, buf); err != nil {
		return steps, err
	}
	if _, err := tx.exec(ctx, `DELETE FROM outbox WHERE id > ? AND created_at < ?`, outboxFrom, now); err != nil {
		return steps, err
	}
	tx.notices = 0
	return steps, tx.Commit()
}

// importOne files h and takes its steps up to now within tx.
func (s *DemandService) importOne(ctx context.Context, tx *Tx, cal *sla.Calendar, now time.Time, cat *zhagen.Category, entName string, h zhagen.HistoryDemand) (int, error) {
	a := h.Filer
	fctx := zhagen.NewContextWithActor(ctx, a)
	d := h.Demand
	chans := allowedChannels(a)
	if d.Channel == "" {
		d.Channel = chans[0]
	} else if !slices.Contains(chans, d.Channel) {
		return 0, &zhagen.Error{Code: zhagen.EINVALID, Field: "channel", Message: "当前用户不能通过“" + d.Channel.Label() + "”渠道提交诉求"}
	}
	if err := d.Validate(); err != nil {
		return 0, err
	}
	if cat.Archived {
		return 0, &zhagen.Error{Code: zhagen.EINVALID, Field: "category_id", Message: "诉求类别不存在或已停用"}
	}
	answers, err := cat.ValidateAnswers(d.Answers)
	if err != nil {
		return 0, err
	}
	d.Answers = answers
	d.EnterpriseName = entName
	facts, err := s.filingFacts(fctx, a, d)
	if err != nil {
		return 0, err
	}
	if err := zhagen.Authorize(a, zhagen.PermDemandCreate, facts); err != nil {
		return 0, err
	}
	at := h.At.UTC().Truncate(time.Microsecond)
	tx.now = at
	if err := s.insertDemand(fctx, tx, cal, a, d, cat, h.Key); err != nil {
		return 0, err
	}
	n := 0
	for _, st := range h.Steps {
		next := at.Add(st.Wait)
		if st.Working {
			next = cal.AddWorking(at, st.Wait)
		}
		next = next.UTC().Truncate(time.Microsecond)
		if !next.After(at) {
			next = at.Add(time.Second) // steps are in order: never two at one instant
		}
		if !next.Before(now) {
			break // not yet happened
		}
		at, tx.now = next, next
		if st.FollowUp != nil {
			if err := s.historyFollowUp(ctx, tx, cal, st.Actor, d.ID, *st.FollowUp); err != nil {
				return n, fmt.Errorf("follow-up at %s: %w", at.In(zhagen.Shanghai).Format("2006-01-02 15:04"), err)
			}
			n++
			continue
		}
		if err := s.transition(zhagen.NewContextWithActor(ctx, st.Actor), tx, cal, st.Actor, d.ID, st.Transition); err != nil {
			return n, fmt.Errorf("%s at %s: %w", st.Transition.Action, at.In(zhagen.Shanghai).Format("2006-01-02 15:04"), err)
		}
		n++
	}
	return n, nil
}

// historyFollowUp records rec on demandID's open follow-up, as the live
// follow-up service would at tx's time.
func (s *DemandService) historyFollowUp(ctx context.Context, tx *Tx, cal *sla.Calendar, a *zhagen.Actor, demandID int64, rec zhagen.FollowUpRecord) error {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM followups WHERE demand_id = ? AND done_at IS NULL`, demandID).Scan(&id)
	if err != nil {
		return notFound(err, "回访记录")
	}
	fs := NewFollowUpService(s.db, s)
	return fs.record(zhagen.NewContextWithActor(ctx, a), tx, cal, a, id, rec)
}
