package sqldb

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

var _ zhagen.TopicService = (*KnowledgeService)(nil)

// AdoptTopic stores a common problem as a topic: its demands must all be
// in the caller's scope; the lead department is told.
func (s *KnowledgeService) AdoptTopic(ctx context.Context, t *zhagen.Topic) error {
	if _, err := authorizeKind(ctx, zhagen.PermTopicAdopt); err != nil {
		return err
	}
	slices.Sort(t.DemandIDs)
	t.DemandIDs = slices.Compact(t.DemandIDs)
	if err := t.Validate(); err != nil {
		return err
	}
	ds, _, err := s.demands.FindDemands(ctx, zhagen.DemandFilter{IDs: t.DemandIDs, Limit: len(t.DemandIDs)})
	if err != nil {
		return err
	}
	if len(ds) != len(t.DemandIDs) {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "demand_ids", Message: "部分诉求不存在或无权查看"}
	}
	ents := map[int64]bool{}
	for _, d := range ds {
		ents[d.EnterpriseID] = true
	}
	t.Enterprises = len(ents)
	a := zhagen.ActorFromContext(ctx)
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkDepts(ctx, "lead_dept_id", t.LeadDeptID); err != nil {
		return err
	}
	t.Status, t.Version, t.CreatedAt = zhagen.TopicOpen, 1, tx.now
	if t.ID, err = tx.insert(ctx, `INSERT INTO topics (title, month, lead_dept_id, status, created_by, version, created_at) VALUES (?, ?, ?, 'open', ?, 1, ?)`,
		t.Title, t.Month, t.LeadDeptID, nullID(a.UserID), tx.now); err != nil {
		return err
	}
	for _, id := range t.DemandIDs {
		if _, err := tx.exec(ctx, `INSERT INTO topic_demands (topic_id, demand_id) VALUES (?, ?)`, t.ID, id); err != nil {
			return err
		}
	}
	if err := tx.enqueue(ctx, zhagen.NoticeTopicAdopted(t)); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "列为每月一题", "专题", t.ID, t.Title); err != nil {
		return err
	}
	return tx.Commit()
}

// FindTopics lists the topics the caller sees, newest first: all for the
// command centre and leaders, those it leads for a department.
func (s *KnowledgeService) FindTopics(ctx context.Context) ([]*zhagen.Topic, error) {
	a, err := permittedSome(ctx, zhagen.PermTopicView)
	if err != nil {
		return nil, err
	}
	var w where
	if all, _ := zhagen.ScopeOf(a, zhagen.PermTopicView); !all {
		w.add("t.lead_dept_id = ?", a.DeptID)
	}
	return s.topics(ctx, w)
}

func (s *KnowledgeService) topics(ctx context.Context, w where) ([]*zhagen.Topic, error) {
	rows, err := s.db.query(ctx, `SELECT t.id, t.title, t.month, t.lead_dept_id, COALESCE(dp.name, ''), t.status, t.answer, t.answered_at, t.version, t.created_at,
		(SELECT COUNT(DISTINCT d.enterprise_id) FROM topic_demands td JOIN demands d ON d.id = td.demand_id WHERE td.topic_id = t.id)
		FROM topics t LEFT JOIN departments dp ON dp.id = t.lead_dept_id`+w.String()+` ORDER BY t.id DESC`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Topic{}
	byID := map[int64]*zhagen.Topic{}
	for rows.Next() {
		t := &zhagen.Topic{DemandIDs: []int64{}}
		if err := rows.Scan(&t.ID, &t.Title, &t.Month, &t.LeadDeptID, &t.LeadDeptName, &t.Status, &t.Answer, &t.AnsweredAt, &t.Version, &t.CreatedAt, &t.Enterprises); err != nil {
			return nil, err
		}
		out = append(out, t)
		byID[t.ID] = t
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]string, 0, len(out))
	for _, t := range out {
		ids = append(ids, strconv.FormatInt(t.ID, 10))
	}
	drows, err := s.db.query(ctx, `SELECT topic_id, demand_id FROM topic_demands WHERE topic_id IN (`+strings.Join(ids, ",")+`) ORDER BY topic_id, demand_id`)
	if err != nil {
		return nil, err
	}
	defer drows.Close()
	for drows.Next() {
		var tid, did int64
		if err := drows.Scan(&tid, &did); err != nil {
			return nil, err
		}
		byID[tid].DemandIDs = append(byID[tid].DemandIDs, did)
	}
	return out, drows.Err()
}

// AnswerTopic records the lead department's answer once: one versioned
// UPDATE … WHERE status = 'open', rows affected checked; a public step on
// each of its demands and a notice to their enterprises, in the same
// transaction.
func (s *KnowledgeService) AnswerTopic(ctx context.Context, id, version int64, answer string) (*zhagen.Topic, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	var w where
	w.add("t.id = ?", id)
	ts, err := s.topics(ctx, w)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 || !zhagen.Can(a, zhagen.PermTopicView, zhagen.Facts{DeptID: ts[0].LeadDeptID}) {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "专题不存在")
	}
	t := ts[0]
	if err := zhagen.Authorize(a, zhagen.PermTopicAnswer, zhagen.Facts{DeptID: t.LeadDeptID}); err != nil {
		return nil, err
	}
	if t.Answer, err = zhagen.CheckTopicAnswer(answer); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE topics SET status = 'answered', answer = ?, answered_at = ?, answered_by = ?, version = version + 1
		WHERE id = ? AND version = ? AND status = 'open'`, t.Answer, tx.now, nullID(a.UserID), id, version)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该专题已答复或已被修改，请刷新后重试")
	}
	rows, err := tx.QueryContext(ctx, s.db.dialect.rebind(`SELECT d.id, d.status, COALESCE(d.enterprise_id, 0) FROM topic_demands td JOIN demands d ON d.id = td.demand_id WHERE td.topic_id = ? ORDER BY d.id`), id)
	if err != nil {
		return nil, err
	}
	type dm struct {
		id     int64
		status zhagen.DemandStatus
		ent    int64
	}
	var dms []dm
	for rows.Next() {
		var x dm
		if err := rows.Scan(&x.id, &x.status, &x.ent); err != nil {
			rows.Close()
			return nil, err
		}
		dms = append(dms, x)
	}
	rows.Close()
	var ents []int64
	for _, x := range dms {
		if err := tx.event(ctx, x.id, x.status, x.status, zhagen.ActTopic, "【每月一题·"+t.Title+"】"+t.Answer, true); err != nil {
			return nil, err
		}
		if x.ent != 0 && !slices.Contains(ents, x.ent) {
			ents = append(ents, x.ent)
		}
	}
	if err := tx.enqueue(ctx, zhagen.NoticeTopicAnswered(t, ents)); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "答复每月一题", "专题", t.ID, t.Title); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	now := tx.now
	t.Status, t.AnsweredAt, t.Version = zhagen.TopicAnswered, &now, t.Version+1
	return t, nil
}
