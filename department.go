package zhagen

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// DeptKind says what kind of unit a department is.
type DeptKind string

// Department kinds.
const (
	DeptGov        DeptKind = "gov"        // government department (政府部门)
	DeptExternal   DeptKind = "external"   // external unit, e.g. the power supply company (外部单位)
	DeptUniversity DeptKind = "university" // university (高校)
	DeptSOE        DeptKind = "soe"        // state-owned company (国有企业)
)

// DeptKinds lists the kinds in display order.
var DeptKinds = []DeptKind{DeptGov, DeptExternal, DeptUniversity, DeptSOE}

var deptKindLabels = map[DeptKind]string{DeptGov: "政府部门", DeptExternal: "外部单位", DeptUniversity: "高校", DeptSOE: "国有企业"}

// Label returns the Chinese name of the kind.
func (k DeptKind) Label() string { return deptKindLabels[k] }

// Department is a unit in the zone's organisation tree.
type Department struct {
	ID        int64     `json:"id"`
	ParentID  int64     `json:"parent_id,omitempty"` // 0 for a root
	Name      string    `json:"name"`
	Kind      DeptKind  `json:"kind"`
	Path      string    `json:"path"` // "/1/4/" — ids from the root down to this one
	Sort      int       `json:"sort"`
	Archived  bool      `json:"archived"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	Depth    int           `json:"-"` // filled by DepartmentTree
	Children []*Department `json:"children,omitempty"`
}

// Validate checks the department's fields.
func (d *Department) Validate() error {
	var v Validation
	d.Name = strings.TrimSpace(d.Name)
	if d.Name == "" {
		v.Add("name", "请填写部门名称")
	} else if utf8.RuneCountInString(d.Name) > 60 {
		v.Add("name", "部门名称不能超过60个字")
	}
	if _, ok := deptKindLabels[d.Kind]; !ok {
		v.Add("kind", "请选择部门类型")
	}
	return v.Err()
}

// DepartmentTree orders departments depth-first under their parents and
// sets Depth; it returns the flattened order.
func DepartmentTree(depts []*Department) []*Department {
	children := map[int64][]*Department{}
	ids := map[int64]bool{}
	for _, d := range depts {
		ids[d.ID] = true
	}
	for _, d := range depts {
		p := d.ParentID
		if !ids[p] {
			p = 0
		}
		children[p] = append(children[p], d)
	}
	var out []*Department
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, d := range children[parent] {
			d.Depth = depth
			out = append(out, d)
			walk(d.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}

// DepartmentService manages the organisation tree.
type DepartmentService interface {
	// FindDepartments returns every department visible to the caller,
	// ordered by sort key and name.
	FindDepartments(ctx context.Context) ([]*Department, error)
	// FindDepartmentByID returns ENOTFOUND when no such department exists.
	FindDepartmentByID(ctx context.Context, id int64) (*Department, error)
	// CreateDepartment stores d (admin only); ParentID must exist.
	CreateDepartment(ctx context.Context, d *Department) error
	// UpdateDepartment changes name, kind and sort of a department (admin
	// only); a stale version returns ECONFLICT with the current record.
	UpdateDepartment(ctx context.Context, id int64, upd DepartmentUpdate) (*Department, error)
}

// DepartmentUpdate holds the fields to change; nil leaves a field alone.
type DepartmentUpdate struct {
	Version int64     `json:"version"`
	Name    *string   `json:"name"`
	Kind    *DeptKind `json:"kind"`
	Sort    *int      `json:"sort"`
}
