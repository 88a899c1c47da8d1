package zhagen

import (
	"context"
	"strings"
)

// ImportKind is what a spreadsheet import brings in.
type ImportKind string

// Import kinds.
const (
	ImportEnterprises ImportKind = "enterprises" // 企业
	ImportLinkages    ImportKind = "linkages"    // 挂钩关系
	ImportCadres      ImportKind = "cadres"      // 干部账号
)

// ImportKinds lists the kinds in display order.
var ImportKinds = []ImportKind{ImportEnterprises, ImportLinkages, ImportCadres}

var importKindLabels = map[ImportKind]string{ImportEnterprises: "企业", ImportLinkages: "挂钩关系", ImportCadres: "干部"}

// Label returns the Chinese name of the kind.
func (k ImportKind) Label() string { return importKindLabels[k] }

// Perm is the permission an import of the kind needs: cadres are user
// accounts, created as the user form creates them (PermUserCreate).
func (k ImportKind) Perm() Perm {
	switch k {
	case ImportLinkages:
		return PermLinkageImport
	case ImportCadres:
		return PermUserCreate
	}
	return PermEnterpriseImport
}

// Columns are the kind's template columns, in order.
func (k ImportKind) Columns() []ImportColumn {
	switch k {
	case ImportLinkages:
		return LinkageImportColumns
	case ImportCadres:
		return CadreImportColumns
	}
	return EnterpriseImportColumns
}

// ImportColumn is one column of an import template: the field it fills
// (the name the domain's validation reports), its Chinese header and what
// the template says about it.
type ImportColumn struct {
	Field    string
	Header   string
	Required bool
	Hint     string   // what the cell takes, for the template's second row
	Width    float64  // in characters
	Also     []string // further validation fields reported in this column
}

// EnterpriseImportColumns are the columns of the enterprise template.
var EnterpriseImportColumns = []ImportColumn{
	{Field: "name", Header: "企业名称", Required: true, Hint: "不超过100字", Width: 32},
	{Field: "uscc", Header: "统一社会信用代码", Required: true, Hint: "18位，含校验位", Width: 22},
	{Field: "industry", Header: "所属行业", Required: true, Hint: "须在行业列表中", Width: 14},
	{Field: "park", Header: "所在园区", Width: 14},
	{Field: "address", Header: "地址", Width: 36},
	{Field: "legal_rep", Header: "法定代表人", Width: 12},
	{Field: "is_key", Header: "重点企业", Hint: "是 / 否", Width: 9},
	{Field: "status", Header: "企业状态", Hint: "在营 / 筹建 / 停产 / 注销", Width: 12},
	{Field: "contact_name", Header: "联系人", Width: 12, Also: []string{"contacts"}},
	{Field: "contact_phone", Header: "联系电话", Width: 16},
}

// LinkageImportColumns are the columns of the linkage template.
var LinkageImportColumns = []ImportColumn{
	{Field: "cadre_login", Header: "干部账号", Required: true, Hint: "联系干部的登录名", Width: 14, Also: []string{"cadre_id"}},
	{Field: "uscc", Header: "企业统一社会信用代码", Required: true, Hint: "已登记的企业", Width: 22, Also: []string{"enterprise_id"}},
	{Field: "role", Header: "挂钩角色", Hint: "联系干部 / 党建工作指导员 / 服务专员", Width: 18},
	{Field: "cadence_days", Header: "走访周期（天）", Hint: "1–366，默认30", Width: 14},
	{Field: "start_date", Header: "开始日期", Hint: "YYYY-MM-DD，默认今天", Width: 14},
}

// ImportColumnOf returns the column of cols that reports field.
func ImportColumnOf(cols []ImportColumn, field string) (ImportColumn, bool) {
	for _, c := range cols {
		if c.Field == field {
			return c, true
		}
		for _, f := range c.Also {
			if f == field {
				return c, true
			}
		}
	}
	return ImportColumn{}, false
}

// ImportProblem is one finding about one row of a file: its row number in
// the sheet (the header is row 1), the column (its header, and its letter
// once the file's layout is known) and the message, in Chinese.
type ImportProblem struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Column  string `json:"column"`
	Cell    string `json:"cell,omitempty"` // e.g. "B12"
	Message string `json:"message"`
}

// ImportMode is what a commit writes.
type ImportMode string

// Import modes.
const (
	ImportAllOrNothing ImportMode = "all"   // nothing unless every row is valid (default)
	ImportValidOnly    ImportMode = "valid" // the valid rows; the others are reported
)

// ParseImportMode reads a mode; "" is the default, all or nothing.
func ParseImportMode(s string) (ImportMode, bool) {
	switch ImportMode(s) {
	case "", ImportAllOrNothing:
		return ImportAllOrNothing, true
	case ImportValidOnly:
		return ImportValidOnly, true
	}
	return "", false
}

// MaxImportProblems is how many problems a report lists; ProblemCount
// counts them all.
const MaxImportProblems = 1000

// ImportReport is the outcome of validating, and maybe writing, a file.
type ImportReport struct {
	Kind         ImportKind      `json:"kind"`
	Rows         int             `json:"rows"`    // data rows read
	Valid        int             `json:"valid"`   // rows without a problem
	Written      int             `json:"written"` // rows stored (0 before a commit)
	Committed    bool            `json:"committed"`
	Mode         ImportMode      `json:"mode,omitempty"`
	ProblemCount int             `json:"problem_count"`
	Problems     []ImportProblem `json:"problems"`
}

// Add records a problem of row in field, with the column of cols.
func (r *ImportReport) Add(cols []ImportColumn, row int, field, msg string) {
	r.ProblemCount++
	if len(r.Problems) >= MaxImportProblems {
		return
	}
	c, _ := ImportColumnOf(cols, field)
	r.Problems = append(r.Problems, ImportProblem{Row: row, Field: field, Column: c.Header, Message: msg})
}

// AddErr records every field error of err (a validation error) for row;
// any other error is one problem without a column.
func (r *ImportReport) AddErr(cols []ImportColumn, row int, err error) {
	e, ok := AsError(err)
	if !ok || (len(e.Fields) == 0 && e.Field == "") {
		r.Add(cols, row, "", ErrorMessage(err))
		return
	}
	if len(e.Fields) == 0 {
		r.Add(cols, row, e.Field, e.Message)
		return
	}
	for _, f := range e.Fields {
		r.Add(cols, row, f.Field, f.Message)
	}
}

// EnterpriseImportRow is one data row of an enterprise file as read:
// the enterprise, or the problems that kept it from being read.
type EnterpriseImportRow struct {
	Row        int
	Enterprise *Enterprise
	Problems   []ImportProblem
}

// LinkageImportRow is one data row of a linkage file as read; the cadre
// and the enterprise are named by login and USCC and resolved by the
// store.
type LinkageImportRow struct {
	Row        int
	CadreLogin string
	USCC       string
	Linkage    *Linkage
	Problems   []ImportProblem
}

// ImportProgress is told how far a validation or a write has come.
type ImportProgress func(done, total int)

// ImportService validates rows read from a file with the same rules as
// the create paths (Validate, the references, the duplicates within the
// file and against the store) and, when write is set, stores them in
// one transaction: every row, or in ImportValidOnly the valid ones;
// ImportAllOrNothing writes nothing when a row has a problem.
type ImportService interface {
	ImportEnterpriseRows(ctx context.Context, rows []*EnterpriseImportRow, write bool, mode ImportMode, progress ImportProgress) (*ImportReport, error)
	ImportLinkageRows(ctx context.Context, rows []*LinkageImportRow, write bool, mode ImportMode, progress ImportProgress) (*ImportReport, error)
	// ImportCadreRows creates cadre accounts. A write gives every
	// account it stores a random initial password (NewInitialPassword),
	// stores only its hash with the account marked to change it at the
	// first login, and returns the passwords: to the caller only, this
	// once.
	ImportCadreRows(ctx context.Context, rows []*CadreImportRow, write bool, mode ImportMode, progress ImportProgress) (*ImportReport, []InitialPassword, error)
}

// ParseYesNo reads 是/否 (or 1/0, true/false, Y/N) as a spreadsheet
// holds them; ok is false for anything else.
func ParseYesNo(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "否", "0", "false", "n", "no":
		return false, true
	case "是", "1", "true", "y", "yes":
		return true, true
	}
	return false, false
}

// EnterpriseStatusByLabel returns the status whose Chinese name is s.
func EnterpriseStatusByLabel(s string) (EnterpriseStatus, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return EntOperating, true
	}
	for k, v := range entStatusLabels {
		if v == s || string(k) == s {
			return k, true
		}
	}
	return "", false
}

// LinkRoleByLabel returns the role whose Chinese name is s.
func LinkRoleByLabel(s string) (LinkRole, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return LinkContact, true
	}
	for k, v := range linkRoleLabels {
		if v == s || string(k) == s {
			return k, true
		}
	}
	return "", false
}
