package zhagen

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
)

// CadreImportColumns are the columns of the cadre template. Each row
// becomes a user with the cadre role, checked by User.Validate as the
// user form and the API check one; the department is named, not
// numbered. There is no password column: the import draws each
// account's initial password (NewInitialPassword).
var CadreImportColumns = []ImportColumn{
	{Field: "login", Header: "登录名", Required: true, Hint: "字母开头，2–32位字母、数字、点、下划线或连字符；不能与已有账号重复", Width: 16},
	{Field: "name", Header: "姓名", Required: true, Hint: "不超过40个字", Width: 12},
	{Field: "dept", Header: "所属部门", Required: true, Hint: "系统中已有的部门名称；有同名部门时连同上级写，如 经济发展局/综合科", Width: 26, Also: []string{"dept_id"}},
	{Field: "rank", Header: "职级", Hint: "科员 / 副科级 / 正科级 / 副处级 / 正处级 / 厅级", Width: 10},
	{Field: "phone", Header: "手机号", Hint: "如 138 0013 8000", Width: 16},
	{Field: "expertise", Header: "专长", Hint: "可填多项，以“、”或“，”分隔", Width: 26},
}

// CadreImportRow is one data row of a cadre file as read: the user
// (without its department, which Dept names and the store resolves), or
// the problems that kept it from being read.
type CadreImportRow struct {
	Row      int
	Dept     string
	User     *User
	Problems []ImportProblem
}

// DeptNames resolves a department named in a spreadsheet: by its own
// name when that is unique, else by its name with its parents' before
// it, separated by "/" ("经济发展局/综合科"), as far up as it takes.
type DeptNames struct {
	byKey map[string][]int64
}

// NewDeptNames indexes departments given by id and the names along their
// path from the top (the department's own last).
func NewDeptNames(chains map[int64][]string) *DeptNames {
	n := &DeptNames{byKey: map[string][]int64{}}
	for id, chain := range chains {
		for k := 1; k <= len(chain); k++ {
			key := strings.Join(chain[len(chain)-k:], "/")
			n.byKey[key] = append(n.byKey[key], id)
		}
	}
	return n
}

// Resolve returns the department named by text, or a message saying
// why there is none: no department of that name, or several.
func (n *DeptNames) Resolve(text string) (int64, string) {
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == '/' || r == '／' })
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	key := strings.Join(parts, "/")
	switch ids := n.byKey[key]; len(ids) {
	case 0:
		return 0, "所属部门不存在：" + text
	case 1:
		return ids[0], ""
	default:
		return 0, fmt.Sprintf("有%d个部门名为“%s”，请连同上级部门填写，如“上级部门/%s”", len(ids), text, parts[len(parts)-1])
	}
}

// InitialPassword is the initial password drawn for an imported
// account. It is shown once, in the password sheet (初始密码单) of the
// administrator who ran the import; only its hash is stored. It prints
// and logs without the password, and has no JSON form.
type InitialPassword struct {
	Login    string `json:"-"`
	Name     string `json:"-"`
	Password string `json:"-"`
}

// String hides the password.
func (p InitialPassword) String() string { return p.Login + " [初始密码已隐藏]" }

// LogValue hides the password from log/slog.
func (p InitialPassword) LogValue() slog.Value { return slog.StringValue(p.String()) }

// The characters of initial passwords: none that is easily misread (0 O o,
// 1 l I i) and no symbol that a spreadsheet takes for the start of a
// formula (= + - @).
const (
	initialUpper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	initialLower   = "abcdefghjkmnpqrstuvwxyz"
	initialDigits  = "23456789"
	initialSymbols = "#$%&*?!"
	// InitialPasswordLength is the length of an initial password: 12 of
	// the 62 characters, about 71 bits.
	InitialPasswordLength = 12
)

// NewInitialPassword draws a password of InitialPasswordLength
// characters from crypto/rand, with at least one of each kind (upper
// and lower case, digit, symbol), that passes ValidatePassword.
func NewInitialPassword() (string, error) {
	all := initialUpper + initialLower + initialDigits + initialSymbols
	max := big.NewInt(int64(len(all)))
	for {
		b := make([]byte, InitialPasswordLength)
		for i := range b {
			n, err := rand.Int(rand.Reader, max)
			if err != nil {
				return "", err
			}
			b[i] = all[n.Int64()]
		}
		pw := string(b)
		if strings.ContainsAny(pw, initialUpper) && strings.ContainsAny(pw, initialLower) &&
			strings.ContainsAny(pw, initialDigits) && strings.ContainsAny(pw, initialSymbols) && ValidatePassword(pw) == "" {
			return pw, nil
		}
	}
}
