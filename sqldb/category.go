package sqldb

import (
	"context"
	"encoding/json"
	"strings"

	"zhagen"
)

// CategoryService stores the demand catalogue.
type CategoryService struct{ db *DB }

// NewCategoryService returns the category service of db.
func NewCategoryService(db *DB) *CategoryService { return &CategoryService{db: db} }

var _ zhagen.CategoryService = (*CategoryService)(nil)

const catColumns = `c.id, c.code, c.name, c.description, c.grp, c.keywords, c.questions, COALESCE(c.lead_dept_id, 0), COALESCE(d.name, ''), c.coop_dept_ids, c.default_priority, c.sla, c.auto_close_days, c.answer_min_len, c.answer_file_required, c.followup_days, c.archived, c.version, c.created_at, c.updated_at`
const catFrom = ` FROM categories c LEFT JOIN departments d ON d.id = c.lead_dept_id`

func scanCategory(sc interface{ Scan(...any) error }) (*zhagen.Category, error) {
	c := &zhagen.Category{}
	var keywords, questions, coop, sla string
	if err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.Description, &c.Group, &keywords, &questions, &c.LeadDeptID, &c.LeadDeptName,
		&coop, &c.DefaultPriority, &sla, &c.AutoCloseDays, &c.AnswerMinLen, &c.AnswerFileRequired, &c.FollowUpDays, &c.Archived, &c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	json.Unmarshal([]byte(keywords), &c.Keywords)
	json.Unmarshal([]byte(questions), &c.Questions)
	json.Unmarshal([]byte(coop), &c.CoopDeptIDs)
	json.Unmarshal([]byte(sla), &c.SLA)
	if c.Keywords == nil {
		c.Keywords = []string{}
	}
	if c.Questions == nil {
		c.Questions = []zhagen.Question{}
	}
	if c.CoopDeptIDs == nil {
		c.CoopDeptIDs = []int64{}
	}
	return c, nil
}

// FindCategories returns the catalogue to any caller with an identity
// (users and intake channels).
func (s *CategoryService) FindCategories(ctx context.Context, f zhagen.CategoryFilter) ([]*zhagen.Category, error) {
	if _, err := permitted(ctx, zhagen.PermCategoryView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	var w where
	if !f.IncludeArchived {
		w.add("c.archived = FALSE")
	}
	if f.Group != "" {
		w.add("c.grp = ?", f.Group)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(`(c.name LIKE ? ESCAPE '\' OR c.code LIKE ? ESCAPE '\' OR c.keywords LIKE ? ESCAPE '\')`, likeArg(q), likeArg(q), likeArg(q))
	}
	rows, err := s.db.query(ctx, `SELECT `+catColumns+catFrom+w.String()+` ORDER BY c.grp, c.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Category{}
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindCategoryByID returns one category, cached until the catalogue or
// a department (the lead department's name is joined in) changes. The
// result is the caller's to change.
func (s *CategoryService) FindCategoryByID(ctx context.Context, id int64) (*zhagen.Category, error) {
	if _, err := permitted(ctx, zhagen.PermCategoryView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	gen, err := s.db.generation(ctx, "categories", "departments")
	if err != nil {
		return nil, err
	}
	c, ok := s.db.categoryCache.get(gen, id)
	if !ok {
		if c, err = scanCategory(s.db.queryRow(ctx, `SELECT `+catColumns+catFrom+` WHERE c.id = ?`, id)); err != nil {
			return nil, notFound(err, "诉求类别")
		}
		s.db.categoryCache.put(gen, id, c)
	}
	cp := *c
	return &cp, nil
}

// FindCategoryByCode returns one category by its code.
func (s *CategoryService) FindCategoryByCode(ctx context.Context, code string) (*zhagen.Category, error) {
	if _, err := permitted(ctx, zhagen.PermCategoryView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	c, err := scanCategory(s.db.queryRow(ctx, `SELECT `+catColumns+catFrom+` WHERE c.code = ?`, code))
	return c, notFound(err, "诉求类别")
}

// checkDepts refuses department ids that do not exist.
func (tx *Tx) checkDepts(ctx context.Context, field string, ids ...int64) error {
	for _, id := range ids {
		if id == 0 {
			continue
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM departments WHERE id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: field, Message: "部门不存在：" + itoa(id)}
		}
	}
	return nil
}

func catJSON(c *zhagen.Category) (keywords, questions, coop, sla string) {
	k, _ := json.Marshal(c.Keywords)
	q, _ := json.Marshal(c.Questions)
	co, _ := json.Marshal(c.CoopDeptIDs)
	s, _ := json.Marshal(c.SLA)
	return string(k), string(q), string(co), string(s)
}

// CreateCategory adds a category (admin only).
func (s *CategoryService) CreateCategory(ctx context.Context, c *zhagen.Category) error {
	if _, err := permitted(ctx, zhagen.PermCategoryEdit, zhagen.Facts{}); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkDepts(ctx, "lead_dept_id", c.LeadDeptID); err != nil {
		return err
	}
	if err := tx.checkDepts(ctx, "coop_dept_ids", c.CoopDeptIDs...); err != nil {
		return err
	}
	k, q, co, sl := catJSON(c)
	c.Version, c.CreatedAt, c.UpdatedAt = 1, tx.now, tx.now
	c.ID, err = tx.insert(ctx, `INSERT INTO categories (code, name, description, grp, keywords, questions, lead_dept_id, coop_dept_ids, default_priority, sla, auto_close_days, answer_min_len, answer_file_required, followup_days, archived, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		c.Code, c.Name, c.Description, c.Group, k, q, nullID(c.LeadDeptID), co, string(c.DefaultPriority), sl, c.AutoCloseDays,
		c.AnswerMinLen, c.AnswerFileRequired, c.FollowUpDays, c.Archived, tx.now, tx.now)
	if isUniqueViolation(err) {
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "code", Message: "类别编码已存在", Fields: []zhagen.FieldError{{Field: "code", Message: "类别编码已存在"}}}
	} else if err != nil {
		return err
	}
	tx.bumpGeneration("categories")
	if err := tx.writeOpLog(ctx, "新建", "诉求类别", c.ID, c.Code+" "+c.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// UpdateCategory replaces a category's fields (admin only).
func (s *CategoryService) UpdateCategory(ctx context.Context, id, version int64, c *zhagen.Category) (*zhagen.Category, error) {
	if _, err := permitted(ctx, zhagen.PermCategoryEdit, zhagen.Facts{}); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cur, err := scanCategory(tx.queryRow(ctx, `SELECT `+catColumns+catFrom+` WHERE c.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "诉求类别")
	}
	if cur.Version != version {
		return nil, staleError(cur, cur.Version)
	}
	if err := tx.checkDepts(ctx, "lead_dept_id", c.LeadDeptID); err != nil {
		return nil, err
	}
	if err := tx.checkDepts(ctx, "coop_dept_ids", c.CoopDeptIDs...); err != nil {
		return nil, err
	}
	k, q, co, sl := catJSON(c)
	res, err := tx.exec(ctx, `UPDATE categories SET code = ?, name = ?, description = ?, grp = ?, keywords = ?, questions = ?, lead_dept_id = ?, coop_dept_ids = ?,
		default_priority = ?, sla = ?, auto_close_days = ?, answer_min_len = ?, answer_file_required = ?, followup_days = ?, archived = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		c.Code, c.Name, c.Description, c.Group, k, q, nullID(c.LeadDeptID), co, string(c.DefaultPriority), sl, c.AutoCloseDays,
		c.AnswerMinLen, c.AnswerFileRequired, c.FollowUpDays, c.Archived, tx.now, id, version)
	if isUniqueViolation(err) {
		return nil, &zhagen.Error{Code: zhagen.ECONFLICT, Field: "code", Message: "类别编码已存在"}
	} else if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(cur, cur.Version)
	}
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = id, version+1, cur.CreatedAt, tx.now
	summary := diffSummary([]diffField{{"编码", cur.Code, c.Code}, {"名称", cur.Name, c.Name}, {"主办部门", cur.LeadDeptID, c.LeadDeptID},
		{"协办部门", cur.CoopDeptIDs, c.CoopDeptIDs}, {"默认优先级", cur.DefaultPriority, c.DefaultPriority}, {"时限", slaJSON(cur), slaJSON(c)},
		{"问题数", len(cur.Questions), len(c.Questions)}, {"停用", cur.Archived, c.Archived}})
	tx.bumpGeneration("categories")
	if err := tx.writeOpLog(ctx, "修改", "诉求类别", id, summary); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindCategoryByID(ctx, id)
}

func slaJSON(c *zhagen.Category) string { _, _, _, s := catJSON(c); return s }
