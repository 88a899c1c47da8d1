package sqldb

import (
	"context"
	"strings"

	"zhagen"
	"zhagen/sla"
)

const itemColumns = `ai.id, ai.consultation_id, c.title, ai.title, ai.owner_dept_id, COALESCE(od.name, ''), COALESCE(ai.assignee_id, 0), COALESCE(u.name, ''),
	ai.due_at, ai.status, ai.evidence, COALESCE(ef.name, ''), COALESCE(ef.id, 0), ai.done_at, ai.done_by, ai.version, ai.created_at`

const itemFrom = ` FROM action_items ai JOIN consultations c ON c.id = ai.consultation_id LEFT JOIN departments od ON od.id = ai.owner_dept_id LEFT JOIN users u ON u.id = ai.assignee_id`

// itemEvidence joins an item's newest file, its evidence, as ef.
const itemEvidence = ` LEFT JOIN files ef ON ef.id = (SELECT MAX(id) FROM files WHERE owner_kind = 'action_item' AND owner_id = ai.id)`

func (s *ConsultationService) items(ctx context.Context, w where, order string, limit, offset int) ([]*zhagen.ActionItem, error) {
	page, pageArgs := pageSQL(limit, offset)
	rows, err := s.db.query(ctx, `SELECT `+itemColumns+itemFrom+itemEvidence+w.String()+` ORDER BY `+order+page, append(w.args, pageArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.db.now()
	out := []*zhagen.ActionItem{}
	for rows.Next() {
		i := &zhagen.ActionItem{}
		if err := rows.Scan(&i.ID, &i.ConsultationID, &i.ConsultationTitle, &i.Title, &i.OwnerDeptID, &i.OwnerDeptName, &i.AssigneeID, &i.AssigneeName,
			&i.DueAt, &i.Status, &i.Evidence, &i.EvidenceFile, &i.EvidenceFileID, &i.DoneAt, &i.DoneBy, &i.Version, &i.CreatedAt); err != nil {
			return nil, err
		}
		if i.Status == zhagen.ItemOpen && now.After(i.DueAt) {
			i.Status = zhagen.ItemOverdue
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// itemScopeSQL selects the action items an actor reaches through each
// relation of the policy's PermItemView and PermItemList: the owner
// department, the assignee, and the consultation's convener and
// convener's department.
var itemScopeSQL = scopeSQL{
	zhagen.RelDeptBelow:     subDeptsSQL("ai.owner_dept_id"),
	zhagen.RelSelf:          eqSQL("ai.assignee_id", actorUser),
	zhagen.RelPart:          eqSQL("c.created_by", actorUser),
	zhagen.RelPartDeptBelow: subDeptsSQL("c.convener_dept_id"),
}

// itemScope adds the caller's scope over action items under p to w.
func itemScope(ctx context.Context, p zhagen.Perm, w *where) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return a, scope(a, p, w, itemScopeSQL)
}

// FindActionItems returns a page of the action items the caller answers
// for or oversees (the policy's PermItemList), soonest due first.
func (s *ConsultationService) FindActionItems(ctx context.Context, f zhagen.ActionItemFilter) ([]*zhagen.ActionItem, int, error) {
	var w where
	if _, err := itemScope(ctx, zhagen.PermItemList, &w); err != nil {
		return nil, 0, err
	}
	if f.ConsultationID != 0 {
		w.add("ai.consultation_id = ?", f.ConsultationID)
	}
	if f.DeptID != 0 {
		w.add("ai.owner_dept_id IN (SELECT id FROM departments WHERE path LIKE (SELECT path FROM departments WHERE id = ?) || '%')", f.DeptID)
	}
	if f.DemandID != 0 {
		w.add("ai.consultation_id IN (SELECT consultation_id FROM consultation_demands WHERE demand_id = ?)", f.DemandID)
	}
	if f.ProjectID != 0 {
		w.add("c.project_id = ?", f.ProjectID)
	}
	now := s.db.now()
	switch f.Status {
	case "":
	case zhagen.ItemOverdue:
		w.add("ai.status = 'open' AND ai.due_at < ?", now)
	case zhagen.ItemOpen:
		w.add("ai.status = 'open' AND ai.due_at >= ?", now)
	default:
		w.add("ai.status = ?", string(f.Status))
	}
	if f.Pending {
		w.add("ai.status = 'open'")
	}
	var total int
	if err := s.db.queryRow(ctx, `SELECT COUNT(*)`+itemFrom+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := s.items(ctx, w, "CASE WHEN ai.status = 'open' THEN 0 ELSE 1 END, ai.due_at, ai.id", zhagen.ClampLimit(f.Limit, 25, 500), max(f.Offset, 0))
	return out, total, err
}

// FindActionItemByID returns an item in the caller's scope (the
// policy's PermItemView: besides those it answers for, its
// consultation's convener and convener's department see it).
func (s *ConsultationService) FindActionItemByID(ctx context.Context, id int64) (*zhagen.ActionItem, error) {
	w := where{conds: []string{"ai.id = ?"}, args: []any{id}}
	if _, err := itemScope(ctx, zhagen.PermItemView, &w); err != nil {
		return nil, err
	}
	items, err := s.items(ctx, w, "ai.id", 1, 0)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "会商事项不存在")
	}
	return items[0], nil
}

// AddActionItem adds an action item to a consultation the caller manages
// and notifies the owner department and the assignee.
func (s *ConsultationService) AddActionItem(ctx context.Context, it *zhagen.ActionItem) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	c, err := s.find(ctx, it.ConsultationID)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermItemAdd, consultFacts(c)); err != nil {
		return err
	}
	if c.Status == zhagen.ConsultCancelled {
		return zhagen.Errorf(zhagen.ECONFLICT, "会商已取消，不能布置事项")
	}
	if err := it.Validate(); err != nil {
		return err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkDepts(ctx, "owner_dept_id", it.OwnerDeptID); err != nil {
		return err
	}
	if it.AssigneeID != 0 {
		var dept int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(dept_id, 0) FROM users WHERE id = ? AND archived = FALSE`, it.AssigneeID).Scan(&dept); err != nil {
			if isNoRows(err) {
				return &zhagen.Error{Code: zhagen.EINVALID, Field: "assignee_id", Message: "经办人不存在"}
			}
			return err
		}
	}
	if it.DueDays > 0 {
		// The meeting decided the item: its working days count from the
		// meeting, or from now when the meeting has no time set.
		from := tx.now
		if c.StartsAt != nil {
			from = *c.StartsAt
		}
		it.DueAt = cal.Due(from, sla.Duration{Amount: it.DueDays, Unit: sla.Days})
	} else if !it.DueAt.After(tx.now) {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "due_at", Message: "办理时限不能早于现在", Fields: []zhagen.FieldError{{Field: "due_at", Message: "办理时限不能早于现在"}}}
	}
	it.Status, it.Version, it.CreatedAt, it.ConsultationTitle = zhagen.ItemOpen, 1, tx.now, c.Title
	it.ID, err = tx.insert(ctx, `INSERT INTO action_items (consultation_id, title, owner_dept_id, assignee_id, due_at, status, version, created_at)
		VALUES (?, ?, ?, ?, ?, 'open', 1, ?)`, it.ConsultationID, it.Title, it.OwnerDeptID, nullID(it.AssigneeID), it.DueAt.UTC(), tx.now)
	if err != nil {
		return err
	}
	if err := tx.enqueue(ctx, zhagen.NoticeActionItem(it)); err != nil {
		return err
	}
	tx.bumpGeneration("demands") // an open item on a project lets its department see the project's problems
	if err := tx.writeOpLog(ctx, "新建", "会商事项", it.ID, it.Title); err != nil {
		return err
	}
	return tx.Commit()
}

// CompleteActionItem marks an item done with its evidence (the policy's
// PermItemComplete: staff of the owner department itself, the assignee,
// or the command centre).
func (s *ConsultationService) CompleteActionItem(ctx context.Context, id int64, done zhagen.ItemCompletion) (*zhagen.ActionItem, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	it, err := s.FindActionItemByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, zhagen.PermItemComplete, zhagen.ItemFacts(it, nil)); err != nil {
		return nil, err
	}
	if !it.Status.Pending() {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "会商事项“%s”当前为“%s”，不能再办结", it.Title, it.Status.Label())
	}
	if done.Version != 0 && done.Version != it.Version {
		return nil, staleError(it, it.Version)
	}
	done.Note = strings.TrimSpace(done.Note)
	if done.Note == "" {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "note", Message: "请填写办结说明", Fields: []zhagen.FieldError{{Field: "note", Message: "请填写办结说明"}}}
	}
	if len([]rune(done.Note)) > 2000 {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "note", Message: "办结说明不能超过2000个字"}
	}
	var ev *evidence
	if len(done.File) > 0 || done.FileName != "" {
		f, err := zhagen.CheckFile(zhagen.FileOfActionItem, done.FileName, done.File)
		if err != nil {
			return nil, err
		}
		ev = &evidence{file: f, data: done.File}
	}
	return s.closeItem(ctx, a, it, "办结", it.Title, ev, `status = 'done', evidence = ?`, done.Note)
}

// evidence is a checked file to store with an item's completion.
type evidence struct {
	file *zhagen.File
	data []byte
}

// closeItem ends a pending item: it stores set (with its args) and who
// closed it when, guarded by the item's version, and the evidence file
// ev (if any) with the item's files; tells the linked demands when that
// was their consultation's last pending item, logs op with note and
// returns the item as stored.
func (s *ConsultationService) closeItem(ctx context.Context, a *zhagen.Actor, it *zhagen.ActionItem, op, note string, ev *evidence, set string, args ...any) (*zhagen.ActionItem, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Items of one consultation close in turn (its row lock), so that the
	// last of several closed at once sees the others closed and tells the
	// demands once; without it each could see another still open.
	if err := tx.lockRow(ctx, "consultations", it.ConsultationID); err != nil {
		return nil, notFound(err, "会商")
	}
	res, err := tx.exec(ctx, `UPDATE action_items SET `+set+`, done_at = ?, done_by = ?, version = version + 1 WHERE id = ? AND version = ?`,
		append(args, tx.now, a.Name, it.ID, it.Version)...)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(it, it.Version)
	}
	if ev != nil {
		if err := tx.storeFile(ctx, zhagen.ActionItemFiles(it.ID), ev.file, ev.data, a.Name); err != nil {
			return nil, err
		}
	}
	tx.bumpGeneration("demands") // the demand scope reads open items (project stakeholders)
	if err := s.afterItem(ctx, tx, it); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, op, "会商事项", it.ID, note); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindActionItemByID(ctx, it.ID)
}

// afterItem tells the lead departments of linked demands when the last
// pending item of their consultation is finished, and notes it on the
// demands' timelines.
func (s *ConsultationService) afterItem(ctx context.Context, tx *Tx, it *zhagen.ActionItem) error {
	var open int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM action_items WHERE consultation_id = ? AND status = 'open'`, it.ConsultationID).Scan(&open); err != nil {
		return err
	}
	if open > 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, s.db.dialect.rebind(`SELECT d.id, d.status, COALESCE(d.lead_dept_id, 0) FROM consultation_demands cd JOIN demands d ON d.id = cd.demand_id WHERE cd.consultation_id = ?`), it.ConsultationID)
	if err != nil {
		return err
	}
	type dm struct {
		id     int64
		status zhagen.DemandStatus
		lead   int64
	}
	var ds []dm
	for rows.Next() {
		var d dm
		if err := rows.Scan(&d.id, &d.status, &d.lead); err != nil {
			rows.Close()
			return err
		}
		ds = append(ds, d)
	}
	rows.Close()
	for _, d := range ds {
		if !d.status.Open() {
			continue
		}
		if err := tx.event(ctx, d.id, d.status, d.status, zhagen.ActUpdate, zhagen.ItemsDoneNote(it.ConsultationTitle), false); err != nil {
			return err
		}
		if err := tx.enqueue(ctx, zhagen.NoticeItemsDone(d.id, d.lead, it.ConsultationTitle)); err != nil {
			return err
		}
	}
	return nil
}

// CancelActionItem cancels an item with a reason (the consultation's
// managers).
func (s *ConsultationService) CancelActionItem(ctx context.Context, id int64, reason string) (*zhagen.ActionItem, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	it, err := s.FindActionItemByID(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := s.find(ctx, it.ConsultationID)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(a, zhagen.PermItemCancel, consultFacts(c)); err != nil {
		return nil, err
	}
	if !it.Status.Pending() {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "会商事项“%s”当前为“%s”，不能取消", it.Title, it.Status.Label())
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "reason", Message: "请填写取消理由", Fields: []zhagen.FieldError{{Field: "reason", Message: "请填写取消理由"}}}
	}
	return s.closeItem(ctx, a, it, "取消", it.Title+"："+reason, nil, `status = 'cancelled', evidence = ?`, "取消："+truncate(reason, 1000))
}

// openActionItem returns the first open action item (earliest due) of
// the consultations a demand was escalated to, and whether the dispatcher
// waived the items since the demand was last escalated.
func (tx *Tx) openActionItem(ctx context.Context, demandID int64) (*zhagen.OpenItem, bool, error) {
	// A waiver counts until the demand is escalated again.
	var waived int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM demand_events WHERE demand_id = ? AND action = ?
		AND id > COALESCE((SELECT MAX(id) FROM demand_events WHERE demand_id = ? AND action = ?), 0)`,
		demandID, string(zhagen.ActWaive), demandID, string(zhagen.ActEscalate)).Scan(&waived); err != nil {
		return nil, false, err
	}
	if waived > 0 {
		return nil, true, nil
	}
	it := &zhagen.OpenItem{}
	err := tx.queryRow(ctx, `SELECT ai.title, COALESCE(od.name, ''), ai.due_at FROM action_items ai JOIN consultation_demands cd ON cd.consultation_id = ai.consultation_id
		LEFT JOIN departments od ON od.id = ai.owner_dept_id WHERE cd.demand_id = ? AND ai.status = 'open' ORDER BY ai.due_at, ai.id LIMIT 1`, demandID).Scan(&it.Title, &it.DeptName, &it.Due)
	if isNoRows(err) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return it, false, nil
}
