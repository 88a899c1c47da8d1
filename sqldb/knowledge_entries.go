package sqldb

import (
	"context"
	"time"

	"zhagen"
	"zhagen/textindex"
)

const entryColumns = `k.id, k.question, k.answer, COALESCE(k.category_id, 0), COALESCE(c.name, ''), COALESCE(k.dept_id, 0), COALESCE(dp.name, ''),
	k.links, k.valid_from, k.valid_to, k.reviewed, k.helped, COALESCE(k.source_demand_id, 0), k.version, k.created_at, k.updated_at`

const entryFrom = ` FROM knowledge_entries k LEFT JOIN categories c ON c.id = k.category_id LEFT JOIN departments dp ON dp.id = k.dept_id`

func scanEntry(sc interface{ Scan(...any) error }) (*zhagen.KnowledgeEntry, error) {
	e := &zhagen.KnowledgeEntry{}
	err := sc.Scan(&e.ID, &e.Question, &e.Answer, &e.CategoryID, &e.CategoryName, &e.DeptID, &e.DeptName,
		&e.Links, &e.ValidFrom, &e.ValidTo, &e.Reviewed, &e.Helped, &e.SourceDemandID, &e.Version, &e.CreatedAt, &e.UpdatedAt)
	return e, err
}

// entryScope is the condition on entries for a, and today's date: an
// actor without drafts sees reviewed entries valid today.
func (s *KnowledgeService) entryScope(a *zhagen.Actor) (string, []any) {
	if zhagen.CanAny(a, zhagen.PermKnowledgeDrafts) {
		return "", nil
	}
	day := s.db.clock.Now().In(zhagen.Shanghai).Format(time.DateOnly)
	return "k.reviewed AND (k.valid_from = '' OR k.valid_from <= ?) AND (k.valid_to = '' OR k.valid_to >= ?)", []any{day, day}
}

func (s *KnowledgeService) allEntries(ctx context.Context, a *zhagen.Actor, deptID int64) ([]*zhagen.KnowledgeEntry, error) {
	var w where
	if cond, args := s.entryScope(a); cond != "" {
		w.add(cond, args...)
	}
	if deptID != 0 {
		w.add("k.dept_id = ?", deptID)
	}
	rows, err := s.db.query(ctx, `SELECT `+entryColumns+entryFrom+w.String()+` ORDER BY k.id DESC`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.KnowledgeEntry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// FindEntries lists the entries the caller sees, newest first, or with Q
// the most similar to Q.
func (s *KnowledgeService) FindEntries(ctx context.Context, f zhagen.KnowledgeFilter) ([]*zhagen.KnowledgeEntry, error) {
	a, err := permittedSome(ctx, zhagen.PermKnowledgeView)
	if err != nil {
		return nil, err
	}
	if f.Q != "" {
		return s.similarEntries(ctx, a, f.Q, max(f.Limit, 20))
	}
	es, err := s.allEntries(ctx, a, f.DeptID)
	if err != nil {
		return nil, err
	}
	if f.Limit > 0 && len(es) > f.Limit {
		es = es[:f.Limit]
	}
	return es, nil
}

// similarEntries ranks the entries the caller sees by similarity to
// text. The knowledge base is small: its index is rebuilt from the table
// when older than IndexRefresh.
func (s *KnowledgeService) similarEntries(ctx context.Context, a *zhagen.Actor, text string, k int) ([]*zhagen.KnowledgeEntry, error) {
	es, err := s.allEntries(ctx, a, 0)
	if err != nil {
		return nil, err
	}
	x := textindex.New()
	docs := make([]textindex.Doc, len(es))
	for i := range es {
		docs[i] = textindex.Doc{ID: int64(i)}
	}
	x.Build(docs, func(i int) string { return es[i].Question + "\n" + es[i].Question + "\n" + es[i].Answer })
	out := []*zhagen.KnowledgeEntry{}
	for _, h := range x.Search(textindex.Query{Text: text, K: k, MinScore: 0.12}) {
		e := es[h.ID]
		e.Score = round2(h.Score)
		out = append(out, e)
	}
	return out, nil
}

// FindEntry returns one entry the caller sees.
func (s *KnowledgeService) FindEntry(ctx context.Context, id int64) (*zhagen.KnowledgeEntry, error) {
	a, err := permittedSome(ctx, zhagen.PermKnowledgeView)
	if err != nil {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "知识条目不存在")
	}
	w := where{}
	w.add("k.id = ?", id)
	if cond, args := s.entryScope(a); cond != "" {
		w.add(cond, args...)
	}
	e, err := scanEntry(s.db.queryRow(ctx, `SELECT `+entryColumns+entryFrom+w.String(), w.args...))
	return e, notFound(err, "知识条目")
}

func (tx *Tx) checkEntry(ctx context.Context, e *zhagen.KnowledgeEntry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if e.CategoryID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM categories WHERE id = ?`, e.CategoryID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "category_id", Message: "诉求类别不存在"}
		}
	}
	if e.SourceDemandID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM demands WHERE id = ?`, e.SourceDemandID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "source_demand_id", Message: "来源诉求不存在"}
		}
	}
	return tx.checkDepts(ctx, "dept_id", e.DeptID)
}

// SaveEntry creates (ID 0) or updates an entry: one UPDATE … WHERE
// version = ?, rows affected checked; an edit clears the review.
func (s *KnowledgeService) SaveEntry(ctx context.Context, e *zhagen.KnowledgeEntry) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if e.ID == 0 && e.DeptID == 0 && !zhagen.Can(a, zhagen.PermKnowledgeEdit, zhagen.Facts{}) {
		e.DeptID = a.DeptID // a department's staff write their department's
	}
	var cur *zhagen.KnowledgeEntry
	if e.ID != 0 {
		if cur, err = s.FindEntry(ctx, e.ID); err != nil {
			return err
		}
		if _, err := permitted(ctx, zhagen.PermKnowledgeEdit, zhagen.Facts{DeptID: cur.DeptID}); err != nil {
			return err
		}
	}
	if _, err := permitted(ctx, zhagen.PermKnowledgeEdit, zhagen.Facts{DeptID: e.DeptID}); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkEntry(ctx, e); err != nil {
		return err
	}
	if cur == nil {
		e.Version, e.CreatedAt, e.UpdatedAt = 1, tx.now, tx.now
		if e.ID, err = tx.insert(ctx, `INSERT INTO knowledge_entries (question, answer, category_id, dept_id, links, valid_from, valid_to, source_demand_id, created_by, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, e.Question, e.Answer, nullID(e.CategoryID), nullID(e.DeptID), e.Links, e.ValidFrom, e.ValidTo,
			nullID(e.SourceDemandID), nullID(a.UserID), tx.now, tx.now); err != nil {
			return err
		}
		if err := tx.writeOpLog(ctx, "新建", "知识条目", e.ID, e.Question); err != nil {
			return err
		}
		return tx.Commit()
	}
	res, err := tx.exec(ctx, `UPDATE knowledge_entries SET question = ?, answer = ?, category_id = ?, dept_id = ?, links = ?, valid_from = ?, valid_to = ?,
		reviewed = FALSE, version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND COALESCE(dept_id, 0) = ?`,
		e.Question, e.Answer, nullID(e.CategoryID), nullID(e.DeptID), e.Links, e.ValidFrom, e.ValidTo, tx.now, e.ID, e.Version, cur.DeptID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "知识条目已被他人修改，请刷新后重试")
	}
	if err := tx.writeOpLog(ctx, "修改", "知识条目", e.ID, e.Question); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	e.Version++
	e.Reviewed = false
	return nil
}

// ReviewEntry marks an entry reviewed if it still has version.
func (s *KnowledgeService) ReviewEntry(ctx context.Context, id, version int64) (*zhagen.KnowledgeEntry, error) {
	if _, err := authorizeKind(ctx, zhagen.PermKnowledgeReview); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE knowledge_entries SET reviewed = TRUE, version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND NOT reviewed`, tx.now, id, version)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "知识条目已审核或已被修改，请刷新后重试")
	}
	if err := tx.writeOpLog(ctx, "审核", "知识条目", id, ""); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindEntry(ctx, id)
}

// EntryHelped counts one answer an entry gave without a demand.
func (s *KnowledgeService) EntryHelped(ctx context.Context, id int64) error {
	if _, err := s.FindEntry(ctx, id); err != nil {
		return err
	}
	res, err := s.db.exec(ctx, `UPDATE knowledge_entries SET helped = helped + 1 WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "知识条目不存在")
	}
	return nil
}
