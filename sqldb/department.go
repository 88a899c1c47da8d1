package sqldb

import (
	"context"
	"fmt"

	"zhagen"
)

// DepartmentService stores the organisation tree.
type DepartmentService struct{ db *DB }

// NewDepartmentService returns the department service of db.
func NewDepartmentService(db *DB) *DepartmentService { return &DepartmentService{db: db} }

var _ zhagen.DepartmentService = (*DepartmentService)(nil)

const deptColumns = `id, COALESCE(parent_id, 0), name, kind, path, sort, archived, version, created_at, updated_at`

func scanDept(sc interface{ Scan(...any) error }) (*zhagen.Department, error) {
	d := &zhagen.Department{}
	err := sc.Scan(&d.ID, &d.ParentID, &d.Name, &d.Kind, &d.Path, &d.Sort, &d.Archived, &d.Version, &d.CreatedAt, &d.UpdatedAt)
	return d, err
}

// FindDepartments returns all departments to any logged-in caller: the
// names of units are not secret, and forms need them.
func (s *DepartmentService) FindDepartments(ctx context.Context) ([]*zhagen.Department, error) {
	if _, err := permitted(ctx, zhagen.PermDepartmentView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT `+deptColumns+` FROM departments ORDER BY sort, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*zhagen.Department
	for rows.Next() {
		d, err := scanDept(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// FindDepartmentByID returns one department.
func (s *DepartmentService) FindDepartmentByID(ctx context.Context, id int64) (*zhagen.Department, error) {
	if _, err := permitted(ctx, zhagen.PermDepartmentView, zhagen.Facts{DeptID: id}); err != nil {
		return nil, err
	}
	d, err := scanDept(s.db.queryRow(ctx, `SELECT `+deptColumns+` FROM departments WHERE id = ?`, id))
	return d, notFound(err, "部门")
}

// CreateDepartment stores a new department under its parent (admin only).
func (s *DepartmentService) CreateDepartment(ctx context.Context, d *zhagen.Department) error {
	if _, err := permitted(ctx, zhagen.PermDepartmentCreate, zhagen.Facts{DeptID: d.ParentID}); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	parentPath := "/"
	var parent any
	if d.ParentID != 0 {
		if err := tx.queryRow(ctx, `SELECT path FROM departments WHERE id = ?`, d.ParentID).Scan(&parentPath); err != nil {
			if isNoRows(err) {
				return &zhagen.Error{Code: zhagen.EINVALID, Field: "parent_id", Message: "上级部门不存在"}
			}
			return err
		}
		parent = d.ParentID
	}
	d.CreatedAt, d.UpdatedAt, d.Version = tx.now, tx.now, 1
	d.ID, err = tx.insert(ctx, `INSERT INTO departments (parent_id, name, kind, path, sort, version, created_at, updated_at) VALUES (?, ?, ?, '', ?, 1, ?, ?)`,
		parent, d.Name, d.Kind, d.Sort, tx.now, tx.now)
	if err != nil {
		return err
	}
	d.Path = fmt.Sprintf("%s%d/", parentPath, d.ID)
	if _, err := tx.exec(ctx, `UPDATE departments SET path = ? WHERE id = ?`, d.Path, d.ID); err != nil {
		return err
	}
	tx.bumpGeneration("departments")
	if err := tx.writeOpLog(ctx, "新建", "部门", d.ID, d.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// UpdateDepartment renames or re-sorts a department (admin only).
func (s *DepartmentService) UpdateDepartment(ctx context.Context, id int64, upd zhagen.DepartmentUpdate) (*zhagen.Department, error) {
	if _, err := permitted(ctx, zhagen.PermDepartmentEdit, zhagen.Facts{DeptID: id}); err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d, err := scanDept(tx.queryRow(ctx, `SELECT `+deptColumns+` FROM departments WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "部门")
	}
	if d.Version != upd.Version {
		return nil, staleError(d, d.Version)
	}
	before := *d
	if upd.Name != nil {
		d.Name = *upd.Name
	}
	if upd.Kind != nil {
		d.Kind = *upd.Kind
	}
	if upd.Sort != nil {
		d.Sort = *upd.Sort
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	res, err := tx.exec(ctx, `UPDATE departments SET name = ?, kind = ?, sort = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		d.Name, d.Kind, d.Sort, tx.now, id, upd.Version)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(d, d.Version)
	}
	d.Version++
	d.UpdatedAt = tx.now
	summary := diffSummary([]diffField{{"名称", before.Name, d.Name}, {"类型", before.Kind.Label(), d.Kind.Label()}, {"排序", before.Sort, d.Sort}})
	// Department names are cached, and so are the categories and actors
	// that carry them: their caches read the departments generation too.
	tx.bumpGeneration("departments")
	if err := tx.writeOpLog(ctx, "修改", "部门", id, summary); err != nil {
		return nil, err
	}
	return d, tx.Commit()
}

// staleError is the 409 answer to an update with an old version.
func staleError(current any, version int64) error {
	return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "version",
		Message: fmt.Sprintf("记录已被他人修改（当前版本 %d），请刷新后重试", version), Current: current}
}

type diffField struct {
	label         string
	before, after any
}

// diffSummary describes changed fields as "名称：甲 → 乙；…".
func diffSummary(fields []diffField) string {
	s := ""
	for _, f := range fields {
		b, a := fmt.Sprint(f.before), fmt.Sprint(f.after)
		if b == a {
			continue
		}
		if s != "" {
			s += "；"
		}
		s += fmt.Sprintf("%s：%s → %s", f.label, b, a)
	}
	if s == "" {
		return "无字段变化"
	}
	return s
}
