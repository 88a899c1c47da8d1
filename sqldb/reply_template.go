package sqldb

import (
	"context"

	"zhagen"
)

// ReplyTemplateService keeps the reply templates (常用回复).
type ReplyTemplateService struct {
	db *DB
}

// NewReplyTemplateService returns the reply template service of db.
func NewReplyTemplateService(db *DB) *ReplyTemplateService { return &ReplyTemplateService{db: db} }

var _ zhagen.ReplyTemplateService = (*ReplyTemplateService)(nil)

const replyTemplateColumns = `t.id, COALESCE(t.category_id, 0), COALESCE(c.name, ''), COALESCE(t.dept_id, 0), COALESCE(dp.name, ''), t.title, t.body, t.version, t.created_at, t.updated_at`

const replyTemplateFrom = ` FROM reply_templates t LEFT JOIN categories c ON c.id = t.category_id LEFT JOIN departments dp ON dp.id = t.dept_id`

func scanReplyTemplate(sc interface{ Scan(...any) error }) (*zhagen.ReplyTemplate, error) {
	t := &zhagen.ReplyTemplate{}
	err := sc.Scan(&t.ID, &t.CategoryID, &t.CategoryName, &t.DeptID, &t.DeptName, &t.Title, &t.Body, &t.Version, &t.CreatedAt, &t.UpdatedAt)
	return t, err
}

// FindReplyTemplates lists the templates, shared ones first.
func (s *ReplyTemplateService) FindReplyTemplates(ctx context.Context, f zhagen.ReplyTemplateFilter) ([]*zhagen.ReplyTemplate, error) {
	a, err := permittedSome(ctx, zhagen.PermReplyTemplateView)
	if err != nil {
		return nil, err
	}
	var w where
	if d := f.ForDemand; d != nil {
		w.add("(t.category_id IS NULL OR t.category_id = ?)", d.CategoryID)
		w.add("(t.dept_id IS NULL OR t.dept_id = ? OR t.dept_id = ?)", d.LeadDeptID, a.DeptID)
	}
	if f.DeptID != 0 {
		w.add("t.dept_id = ?", f.DeptID)
	}
	rows, err := s.db.query(ctx, `SELECT `+replyTemplateColumns+replyTemplateFrom+w.String()+
		` ORDER BY CASE WHEN t.dept_id IS NULL THEN 0 ELSE 1 END, dp.name, t.title, t.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.ReplyTemplate{}
	for rows.Next() {
		t, err := scanReplyTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FindReplyTemplateByID returns one template.
func (s *ReplyTemplateService) FindReplyTemplateByID(ctx context.Context, id int64) (*zhagen.ReplyTemplate, error) {
	if _, err := permittedSome(ctx, zhagen.PermReplyTemplateView); err != nil {
		if zhagen.ErrorCode(err) == zhagen.EFORBIDDEN {
			return nil, zhagen.Errorf(zhagen.ENOTFOUND, "常用回复不存在")
		}
		return nil, err
	}
	t, err := scanReplyTemplate(s.db.queryRow(ctx, `SELECT `+replyTemplateColumns+replyTemplateFrom+` WHERE t.id = ?`, id))
	return t, notFound(err, "常用回复")
}

// check validates t and its category and department.
func (tx *Tx) checkReplyTemplate(ctx context.Context, t *zhagen.ReplyTemplate) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if t.CategoryID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM categories WHERE id = ?`, t.CategoryID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "category_id", Message: "诉求类别不存在"}
		}
	}
	return tx.checkDepts(ctx, "dept_id", t.DeptID)
}

// CreateReplyTemplate stores a new template.
func (s *ReplyTemplateService) CreateReplyTemplate(ctx context.Context, t *zhagen.ReplyTemplate) error {
	if _, err := permitted(ctx, zhagen.PermReplyTemplateEdit, zhagen.ReplyTemplateFacts(t)); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkReplyTemplate(ctx, t); err != nil {
		return err
	}
	t.Version, t.CreatedAt, t.UpdatedAt = 1, tx.now, tx.now
	if t.ID, err = tx.insert(ctx, `INSERT INTO reply_templates (category_id, dept_id, title, body, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)`,
		nullID(t.CategoryID), nullID(t.DeptID), t.Title, t.Body, tx.now, tx.now); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "常用回复", t.ID, t.Title); err != nil {
		return err
	}
	return tx.Commit()
}

// UpdateReplyTemplate changes a template if it still has t.Version: one
// UPDATE … WHERE version = ?, rows affected checked.
func (s *ReplyTemplateService) UpdateReplyTemplate(ctx context.Context, t *zhagen.ReplyTemplate) error {
	cur, err := s.FindReplyTemplateByID(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, f := range []zhagen.Facts{zhagen.ReplyTemplateFacts(cur), zhagen.ReplyTemplateFacts(t)} {
		if _, err := permitted(ctx, zhagen.PermReplyTemplateEdit, f); err != nil {
			return err
		}
	}
	if t.Version != cur.Version {
		return staleError(cur, cur.Version)
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkReplyTemplate(ctx, t); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE reply_templates SET category_id = ?, dept_id = ?, title = ?, body = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ? AND COALESCE(dept_id, 0) = ?`, nullID(t.CategoryID), nullID(t.DeptID), t.Title, t.Body, tx.now, t.ID, t.Version, cur.DeptID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "常用回复已被他人修改，请刷新后重试")
	}
	if err := tx.writeOpLog(ctx, "修改", "常用回复", t.ID, t.Title); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	t.Version++
	return nil
}

// DeleteReplyTemplate removes a template.
func (s *ReplyTemplateService) DeleteReplyTemplate(ctx context.Context, id int64) error {
	cur, err := s.FindReplyTemplateByID(ctx, id)
	if err != nil {
		return err
	}
	if _, err := permitted(ctx, zhagen.PermReplyTemplateEdit, zhagen.ReplyTemplateFacts(cur)); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `DELETE FROM reply_templates WHERE id = ? AND COALESCE(dept_id, 0) = ?`, id, cur.DeptID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "常用回复不存在")
	}
	if err := tx.writeOpLog(ctx, "删除", "常用回复", id, cur.Title); err != nil {
		return err
	}
	return tx.Commit()
}
