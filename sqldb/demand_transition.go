package sqldb

import (
	"context"
	"encoding/json"
	"time"

	"zhagen"
	"zhagen/sla"
)

// Transition applies one workflow action to a demand in the caller's
// scope. Two actions racing on one demand either both apply in order or
// the later one fails with ECONFLICT; neither is lost.
func (s *DemandService) Transition(ctx context.Context, id int64, t zhagen.Transition) (*zhagen.Demand, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if err := s.db.inBatch(ctx, func(tx *Tx) error { return s.transition(ctx, tx, cal, a, id, t) }); err != nil {
		return nil, err
	}
	return s.FindDemandByID(ctx, id)
}

// transition does the work of Transition within tx: it loads the row
// and the facts the action needs, asks the domain for the plan and
// applies it.
func (s *DemandService) transition(ctx context.Context, tx *Tx, cal *sla.Calendar, a *zhagen.Actor, id int64, t zhagen.Transition) error {
	r, err := s.findRow(ctx, cachedQuerier{tx}, id)
	if err != nil {
		return err
	}
	if t.Version != 0 && t.Version != r.Version {
		return staleError(r.Demand, r.Version)
	}
	facts, err := s.facts(ctx, tx, r, t)
	if err != nil {
		return err
	}
	p, err := zhagen.PlanTransition(r.Demand, a, t, tx.now, cal, facts)
	if err != nil {
		return err
	}
	watch, err := s.watchAt(ctx, cal, tx.now, p.Demand, p.Budget)
	if err != nil {
		return err
	}
	if err := s.apply(ctx, tx, a, p, r.Version, watch); err != nil {
		return err
	}
	return tx.rollupStep(ctx, cal, r.Demand, p, r.budget) // rollup.go
}

// facts loads what the action needs to be planned (zhagen.TransitionNeeds).
func (s *DemandService) facts(ctx context.Context, tx *Tx, r demandRow, t zhagen.Transition) (zhagen.TransitionFacts, error) {
	f := zhagen.TransitionFacts{Budget: r.budget}
	needs := zhagen.TransitionNeeds(t.Action)
	var err error
	if needs&zhagen.FactCategory != 0 {
		if f.Category, err = NewCategoryService(s.db).FindCategoryByID(ctx, r.CategoryID); err != nil {
			return f, err
		}
	}
	if needs&zhagen.FactDepartments != 0 {
		if f.Departments, err = s.db.departmentNames(ctx); err != nil {
			return f, err
		}
	}
	if needs&zhagen.FactTarget != 0 && t.TargetID != 0 && t.TargetID != r.ID {
		target, err := s.findRow(ctx, tx, t.TargetID)
		if err == nil {
			f.Target = target.Demand
		} else if zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			return f, err
		}
	}
	if needs&zhagen.FactActionItems != 0 {
		if f.OpenItem, f.ItemsWaived, err = tx.openActionItem(ctx, r.ID); err != nil {
			return f, err
		}
	}
	if needs&zhagen.FactFiles != 0 {
		if f.HandlingFiles, err = tx.handlingFiles(ctx, r.Demand); err != nil {
			return f, err
		}
	}
	return f, nil
}

// apply writes a plan within tx: the demand if it still has version, its
// department rows, the consultation and link it asks for, the timeline
// events and the notices.
func (s *DemandService) apply(ctx context.Context, tx *Tx, a *zhagen.Actor, p *zhagen.Plan, version int64, watch any) error {
	d := p.Demand
	if p.OpenConsultation != "" {
		cid, err := tx.escalate(ctx, a, d, p.OpenConsultation)
		if err != nil {
			return err
		}
		d.ConsultationID = cid
	}
	if err := tx.writeDemand(ctx, demandRow{Demand: d, budget: p.Budget}, version, watch); err != nil {
		return err
	}
	if err := tx.syncDepts(ctx, d, p.Reroute); err != nil {
		return err
	}
	if p.LinkTo != 0 {
		if err := tx.linkDemands(ctx, d.ID, p.LinkTo); err != nil {
			return err
		}
	}
	for _, e := range p.Events {
		if err := tx.event(ctx, e.DemandID, e.From, e.To, e.Action, e.Note, e.Public); err != nil {
			return err
		}
	}
	if p.FollowUp != nil {
		if err := tx.createFollowUp(ctx, d.ID, p.FollowUp); err != nil {
			return err
		}
	}
	if err := tx.enqueue(ctx, p.Notices...); err != nil {
		return err
	}
	for _, t := range p.Touch {
		tx.bumpGeneration(t)
	}
	return nil
}

func (tx *Tx) linkDemands(ctx context.Context, a, b int64) error {
	for _, p := range [][2]int64{{a, b}, {b, a}} {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM demand_links WHERE demand_id = ? AND related_id = ?`, p[0], p[1]).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := tx.exec(ctx, `INSERT INTO demand_links (demand_id, related_id, created_at) VALUES (?, ?, ?)`, p[0], p[1], tx.now); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeDemand stores the mutable fields if the row still has version,
// with the jobs' watch time (DemandService.watchAt).
func (tx *Tx) writeDemand(ctx context.Context, r demandRow, version int64, watch any) error {
	d := r.Demand
	coop, _ := json.Marshal(d.CoopDeptIDs)
	var solved any
	if d.Solved != nil {
		solved = *d.Solved
	}
	res, err := tx.exec(ctx, `UPDATE demands SET status = ?, is_open = ?, priority = ?, lead_dept_id = ?, coop_dept_ids = ?, response_due = ?, resolution_due = ?,
		budget_secs = ?, assigned_at = ?, accepted_at = ?, resolved_at = ?, closed_at = ?, paused_at = ?, sla_level = ?, resolution = ?, rating = ?,
		solved = ?, rating_comment = ?, return_count = ?, reopen_count = ?, extension_days = ?, extension_reason = ?, master_id = ?, consultation_id = ?,
		watch_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		string(d.Status), d.Status.Open(), string(d.Priority), nullID(d.LeadDeptID), string(coop), nullTime(d.ResponseDue), nullTime(d.ResolutionDue),
		int64(r.budget/time.Second), nullTime(d.AssignedAt), nullTime(d.AcceptedAt), nullTime(d.ResolvedAt), nullTime(d.ClosedAt), nullTime(d.PausedAt),
		string(d.SLALevel), d.Resolution, string(d.Rating), solved, d.RatingComment, d.ReturnCount, d.ReopenCount, d.ExtensionDays, d.ExtensionReason,
		nullID(d.MasterID), nullID(d.ConsultationID), watch, tx.now, d.ID, version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "诉求已被他人同时处理，请刷新后重试")
	}
	return nil
}
