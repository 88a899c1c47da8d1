package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
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

// transition does the work of Transition within tx.
func (s *DemandService) transition(ctx context.Context, tx *Tx, cal *sla.Calendar, a *zhagen.Actor, id int64, t zhagen.Transition) error {
	r, err := s.findRow(ctx, tx.Tx, id)
	if err != nil {
		return err
	}
	if t.Version != 0 && t.Version != r.Version {
		return staleError(r.Demand, r.Version)
	}
	to, err := zhagen.PlanTransition(r.Demand, a, &t)
	if err != nil {
		return err
	}
	from, before := r.Status, *r.Demand
	d := r.Demand
	d.Status = to
	now := tx.now
	note, public := t.Note, true
	var notes []func() zhagen.Notice // notices, written once the row is
	tell := func(n func(d *zhagen.Demand, note string) zhagen.Notice) {
		notes = append(notes, func() zhagen.Notice { return n(d, note) })
	}
	rebuild := false

	switch t.Action {
	case zhagen.ActAssign:
		if err := tx.checkDepts(ctx, "lead_dept_id", t.LeadDeptID); err != nil {
			return err
		}
		if err := tx.checkDepts(ctx, "coop_dept_ids", t.CoopDeptIDs...); err != nil {
			return err
		}
		d.LeadDeptID, d.CoopDeptIDs, d.AssignedAt, rebuild = t.LeadDeptID, append([]int64{}, t.CoopDeptIDs...), &now, true
		if t.Priority != "" && t.Priority != d.Priority {
			d.Priority = t.Priority
			if err := s.resetDues(ctx, cal, &r, d.CreatedAt); err != nil {
				return err
			}
		}
		depts, err := s.deptList(ctx, d)
		if err != nil {
			return err
		}
		note = strings.TrimSpace("分派：" + depts + "。" + t.Note)
		tell(zhagen.NoticeDemandAssigned)
	case zhagen.ActAccept:
		if d.AcceptedAt == nil {
			d.AcceptedAt = &now
		}
	case zhagen.ActReturn:
		d.ReturnCount++
		public = false
		tell(zhagen.NoticeDemandReturned)
	case zhagen.ActUpdate:
		public = t.Public == nil || *t.Public
		if public {
			tell(zhagen.NoticeDemandProgress)
		}
	case zhagen.ActPause:
		d.PausedAt = &now
		tell(zhagen.NoticeDemandPaused)
	case zhagen.ActResume:
		if t.Supplement != "" {
			note = strings.TrimSpace(t.Supplement + "\n" + t.Note)
		}
		if d.PausedAt != nil && d.ResolutionDue != nil {
			left := cal.WorkingBetween(*d.PausedAt, *d.ResolutionDue)
			due := cal.AddWorking(now, left)
			note = strings.TrimSpace(note + fmt.Sprintf("\n暂停计时 %s，办结时限顺延至 %s", cal.WorkingBetween(*d.PausedAt, now).Round(time.Minute), due.In(zhagen.Shanghai).Format("2006-01-02 15:04")))
			d.ResolutionDue = &due
		}
		d.PausedAt = nil
		tell(zhagen.NoticeDemandResumed)
	case zhagen.ActExtend:
		d.ExtensionDays, d.ExtensionReason, public = t.Days, t.Note, false
		note = fmt.Sprintf("申请延期 %d 个工作日：%s", t.Days, t.Note)
		tell(zhagen.NoticeExtensionRequested)
	case zhagen.ActApproveExtension:
		public = false
		if *t.Approve {
			ext := sla.Duration{Amount: d.ExtensionDays, Unit: sla.Days}
			due := cal.Due(*d.ResolutionDue, ext)
			d.ResolutionDue, r.budget = &due, r.budget+cal.WorkingTime(ext)
			note = strings.TrimSpace(fmt.Sprintf("同意延期 %d 个工作日，办结时限改为 %s。%s", d.ExtensionDays, due.In(zhagen.Shanghai).Format("2006-01-02 15:04"), t.Note))
		} else {
			note = strings.TrimSpace(fmt.Sprintf("不同意延期 %d 个工作日。%s", d.ExtensionDays, t.Note))
		}
		d.ExtensionDays, d.ExtensionReason = 0, ""
		tell(zhagen.NoticeExtensionDecided)
	case zhagen.ActResolve:
		if err := tx.checkActionItems(ctx, d.ID); err != nil {
			return err
		}
		d.Resolution, d.ResolvedAt, d.PausedAt, note = t.Resolution, &now, nil, t.Resolution
		tell(zhagen.NoticeDemandResolved)
	case zhagen.ActRate:
		d.Rating, d.Solved, d.RatingComment = t.Rating, t.Solved, strings.TrimSpace(t.Note)
		solved := "问题已解决"
		if !*t.Solved {
			solved = "问题未解决"
		}
		note = strings.TrimSpace(t.Rating.Label() + "，" + solved + "。" + t.Note)
		if to == zhagen.DemandClosed {
			d.ClosedAt = &now
		} else {
			if err := s.reopen(ctx, cal, &r, now); err != nil {
				return err
			}
			tell(zhagen.NoticeDemandUnsatisfied)
		}
	case zhagen.ActReopen:
		d.Rating, d.Solved, d.RatingComment = "", nil, ""
		if err := s.reopen(ctx, cal, &r, now); err != nil {
			return err
		}
		tell(zhagen.NoticeDemandReopened)
	case zhagen.ActWithdraw:
		d.ClosedAt = &now
		if d.LeadDeptID != 0 {
			tell(zhagen.NoticeDemandWithdrawn)
		}
	case zhagen.ActEscalate:
		cid, err := tx.escalate(ctx, a, d, t.Consultation)
		if err != nil {
			return err
		}
		d.ConsultationID, note = cid, "提请联合会诊："+t.Consultation
		tell(zhagen.NoticeDemandEscalated)
	case zhagen.ActMerge, zhagen.ActLink:
		target, err := s.findRow(ctx, tx.Tx, t.TargetID)
		if err != nil {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "target_id", Message: "目标诉求不存在"}
		}
		if t.Action == zhagen.ActMerge {
			if !target.Status.Open() && target.Status != zhagen.DemandResolved {
				return &zhagen.Error{Code: zhagen.EINVALID, Field: "target_id", Message: "主诉求已结束，不能并入"}
			}
			d.MasterID, d.ClosedAt = target.ID, &now
			note = strings.TrimSpace(fmt.Sprintf("作为重复诉求并入 #%d。%s", target.ID, t.Note))
		} else {
			public = false
			note = strings.TrimSpace(fmt.Sprintf("关联诉求 #%d。%s", target.ID, t.Note))
		}
		if err := tx.linkDemands(ctx, d.ID, target.ID); err != nil {
			return err
		}
		if err := tx.event(ctx, target.ID, target.Status, target.Status, t.Action, fmt.Sprintf("诉求 #%d %s本诉求", d.ID, map[zhagen.Action]string{zhagen.ActMerge: "已并入", zhagen.ActLink: "关联了"}[t.Action]), false); err != nil {
			return err
		}
	case zhagen.ActWaive:
		note, public = "准予在会商事项完成前办结："+t.Note, false
		tell(zhagen.NoticeItemsWaived)
	case zhagen.ActClose:
		d.ClosedAt = &now
		note = strings.TrimSpace("已办结且逾期未评价，自动关闭。" + t.Note)
	}
	d.SLALevel = s.level(cal, now, r)
	if !to.Open() {
		d.PausedAt = nil
	}
	if err := tx.writeDemand(ctx, r, before.Version); err != nil {
		return err
	}
	if err := tx.syncDepts(ctx, d, rebuild); err != nil {
		return err
	}
	if err := tx.event(ctx, d.ID, from, to, t.Action, note, public); err != nil {
		return err
	}
	for _, n := range notes {
		if err := tx.enqueue(ctx, n()); err != nil {
			return err
		}
	}
	tx.bumpGeneration("demands")
	return nil
}

// resetDues recomputes both due times and the budget from start with
// the demand's priority.
func (s *DemandService) resetDues(ctx context.Context, cal *sla.Calendar, r *demandRow, start time.Time) error {
	cat, err := NewCategoryService(s.db).FindCategoryByID(ctx, r.CategoryID)
	if err != nil {
		return err
	}
	rule := cat.SLA[r.Priority]
	resp, res := cal.Due(start, slaDuration(rule.Response)), cal.Due(start, slaDuration(rule.Resolution))
	if r.AcceptedAt == nil {
		r.ResponseDue = &resp
	}
	r.ResolutionDue, r.budget = &res, cal.WorkingTime(slaDuration(rule.Resolution))
	return nil
}

// reopen sends a demand back to work with a fresh resolution limit.
func (s *DemandService) reopen(ctx context.Context, cal *sla.Calendar, r *demandRow, now time.Time) error {
	r.ReopenCount++
	r.ResolvedAt, r.ClosedAt, r.PausedAt = nil, nil, nil
	return s.resetDues(ctx, cal, r, now)
}

// deptList names a demand's lead and cooperating departments for the
// timeline, from the cached department names.
func (s *DemandService) deptList(ctx context.Context, d *zhagen.Demand) (string, error) {
	names, err := s.db.departmentNames(ctx)
	if err != nil {
		return "", err
	}
	out := "主办 " + names[d.LeadDeptID]
	if len(d.CoopDeptIDs) > 0 {
		var cs []string
		for _, c := range d.CoopDeptIDs {
			cs = append(cs, names[c])
		}
		out += "，协办 " + strings.Join(cs, "、")
	}
	return out, nil
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

// writeDemand stores the mutable fields if the row still has version.
func (tx *Tx) writeDemand(ctx context.Context, r demandRow, version int64) error {
	d := r.Demand
	coop, _ := json.Marshal(d.CoopDeptIDs)
	var solved any
	if d.Solved != nil {
		solved = *d.Solved
	}
	res, err := tx.exec(ctx, `UPDATE demands SET status = ?, is_open = ?, priority = ?, lead_dept_id = ?, coop_dept_ids = ?, response_due = ?, resolution_due = ?,
		budget_secs = ?, assigned_at = ?, accepted_at = ?, resolved_at = ?, closed_at = ?, paused_at = ?, sla_level = ?, resolution = ?, rating = ?,
		solved = ?, rating_comment = ?, return_count = ?, reopen_count = ?, extension_days = ?, extension_reason = ?, master_id = ?, consultation_id = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		string(d.Status), d.Status.Open(), string(d.Priority), nullID(d.LeadDeptID), string(coop), nullTime(d.ResponseDue), nullTime(d.ResolutionDue),
		int64(r.budget/time.Second), nullTime(d.AssignedAt), nullTime(d.AcceptedAt), nullTime(d.ResolvedAt), nullTime(d.ClosedAt), nullTime(d.PausedAt),
		string(d.SLALevel), d.Resolution, string(d.Rating), solved, d.RatingComment, d.ReturnCount, d.ReopenCount, d.ExtensionDays, d.ExtensionReason,
		nullID(d.MasterID), nullID(d.ConsultationID), tx.now, d.ID, version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "诉求已被他人同时处理，请刷新后重试")
	}
	return nil
}
