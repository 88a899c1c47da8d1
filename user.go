package zhagen

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"zhagen/phone"
)

// Ranks of officials (职级), lowest first.
var Ranks = []string{"科员", "副科级", "正科级", "副处级", "正处级", "厅级"}

// RankLevel returns the position of rank in Ranks (1-based), 0 if unknown.
func RankLevel(rank string) int {
	for i, r := range Ranks {
		if r == rank {
			return i + 1
		}
	}
	return 0
}

// User is a person who logs in to zhagen.
type User struct {
	ID           int64      `json:"id"`
	Login        string     `json:"login"`
	Name         string     `json:"name"`
	Roles        []Role     `json:"roles"`
	DeptID       int64      `json:"dept_id,omitempty"`
	DeptName     string     `json:"dept_name,omitempty"`
	Rank         string     `json:"rank,omitempty"`
	Expertise    []string   `json:"expertise"`
	Phone        string     `json:"phone,omitempty"`
	EnterpriseID int64      `json:"enterprise_id,omitempty"`
	Archived     bool       `json:"archived"`
	LockedUntil  *time.Time `json:"locked_until,omitempty"`
	LastLoginAt  *time.Time `json:"last_login_at,omitempty"`
	// MustChangePassword is set while the account still has a password
	// someone else chose (an import's initial password, an
	// administrator's reset): until the user changes it, the web sends
	// them to the change-password page and the API refuses every other
	// route (EPASSWORDCHANGE).
	MustChangePassword bool      `json:"must_change_password"`
	Version            int64     `json:"version"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`

	Password string `json:"-"` // plain text, only on create and password change
}

var loginRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_.-]{1,31}$`)

// maxPhoneText is the longest phone number text kept, in characters.
const maxPhoneText = 40

// ParsePhone is the one validation of telephone numbers (users,
// enterprises' contacts, demands, Open311 reporters, graduates, university
// contacts): it reads text as people write it — "+86 138 0013 8000",
// "138-0013-8000", "(0591)87654321", "0591-87654321转8001", a number of
// another country with its country code — a number without a country
// code being Chinese, and returns the number (its E.164 form; the text
// itself is what callers keep), or a message when text cannot be read as
// a number that exists.
func ParsePhone(text string) (phone.Number, string) {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > maxPhoneText {
		return phone.Number{}, fmt.Sprintf("电话号码不能超过%d个字符", maxPhoneText)
	}
	n, ok := phone.Parse(text)
	if !ok {
		return n, "电话号码无法识别（如 138 0013 8000、+86 138 0013 8000、0591-87654321）"
	}
	return n, ""
}

// ValidatePhone returns ParsePhone's message for text, or "".
func ValidatePhone(text string) string {
	_, msg := ParsePhone(text)
	return msg
}

// NormalizePhone returns the E.164 form of a phone number text ("" when
// it is not one): "+86 138 0013 8000" and "138-0013-8000" are both
// "+8613800138000".
func NormalizePhone(text string) string {
	n, msg := ParsePhone(text)
	if msg != "" {
		return ""
	}
	return n.E164
}

// ValidatePassword applies the rules for a new password: at least 8
// characters, at least three of upper case, lower case, digits and
// symbols, and not a common or easily guessed password (CommonPassword).
func ValidatePassword(pw string) string {
	if utf8.RuneCountInString(pw) < 8 {
		return "密码至少8位"
	}
	if len(pw) > 128 {
		return "密码不能超过128位"
	}
	var up, low, dig, sym bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			up = true
		case unicode.IsLower(r):
			low = true
		case unicode.IsDigit(r):
			dig = true
		default:
			sym = true
		}
	}
	n := 0
	for _, b := range []bool{up, low, dig, sym} {
		if b {
			n++
		}
	}
	if n < 3 {
		return "密码须包含大写字母、小写字母、数字、符号中的至少三类"
	}
	if CommonPassword(pw) {
		return "密码过于常见或容易被猜到（如常用词、姓氏或系统名称加数字），请换一个"
	}
	return ""
}

// Validate checks the user's fields; the password only when set.
func (u *User) Validate() error {
	var v Validation
	u.Login = strings.TrimSpace(u.Login)
	u.Name = strings.TrimSpace(u.Name)
	u.Phone = strings.TrimSpace(u.Phone)
	if !loginRe.MatchString(u.Login) {
		v.Add("login", "登录名须以字母开头，2–32位字母、数字、点、下划线或连字符")
	}
	if u.Name == "" {
		v.Add("name", "请填写姓名")
	} else if utf8.RuneCountInString(u.Name) > 40 {
		v.Add("name", "姓名不能超过40个字")
	}
	if len(u.Roles) == 0 {
		v.Add("roles", "请至少选择一个角色")
	}
	for _, r := range u.Roles {
		if !r.Valid() {
			v.Add("roles", "未知角色："+string(r))
		}
	}
	if u.Rank != "" && RankLevel(u.Rank) == 0 {
		v.Add("rank", "职级无效")
	}
	if u.Phone != "" {
		if msg := ValidatePhone(u.Phone); msg != "" {
			v.Add("phone", msg)
		}
	}
	if u.hasRole(RoleEnterprise) && u.EnterpriseID == 0 {
		v.Add("enterprise_id", "企业用户须关联一家企业")
	}
	if u.hasRole(RoleStaff, RoleCadre) && u.DeptID == 0 {
		v.Add("dept_id", "部门人员和联系干部须选择所属部门")
	}
	if u.Password != "" {
		if msg := ValidatePassword(u.Password); msg != "" {
			v.Add("password", msg)
		}
	}
	u.Expertise = cleanTags(u.Expertise)
	return v.Err()
}

func (u *User) hasRole(roles ...Role) bool { return (&Actor{Roles: u.Roles}).Has(roles...) }

func cleanTags(tags []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// SplitTags splits tags typed into one field, separated by commas
// (Chinese or Latin), Chinese enumeration commas or spaces.
func SplitTags(s string) []string {
	return cleanTags(strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || unicode.IsSpace(r)
	}))
}

// UserFilter selects users; zero fields do not filter.
type UserFilter struct {
	Query  string // login or name contains
	Login  string // exactly this login
	DeptID int64
	Role   Role
	Limit  int
	Offset int
}

// UserUpdate holds the fields to change; nil leaves a field alone.
type UserUpdate struct {
	Version      int64     `json:"version"`
	Name         *string   `json:"name"`
	Roles        *[]Role   `json:"roles"`
	DeptID       *int64    `json:"dept_id"`
	Rank         *string   `json:"rank"`
	Expertise    *[]string `json:"expertise"`
	Phone        *string   `json:"phone"`
	EnterpriseID *int64    `json:"enterprise_id"`
	Archived     *bool     `json:"archived"`
}

// UserService manages users within the caller's scope.
type UserService interface {
	// FindUsers returns the users in the caller's scope and their total.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// FindUserByID returns ENOTFOUND outside the caller's scope.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// CreateUser stores u with u.Password hashed (admin only).
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser changes a user (admin only); stale versions give ECONFLICT.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
	// SetPassword replaces a password (admin, or the user themself) and
	// ends the user's sessions.
	SetPassword(ctx context.Context, id int64, password string) error
}

// Apply copies the set fields of upd onto u.
func (upd UserUpdate) Apply(u *User) {
	setIf(&u.Name, upd.Name)
	setIf(&u.Roles, upd.Roles)
	setIf(&u.DeptID, upd.DeptID)
	setIf(&u.Rank, upd.Rank)
	setIf(&u.Expertise, upd.Expertise)
	setIf(&u.Phone, upd.Phone)
	setIf(&u.EnterpriseID, upd.EnterpriseID)
	setIf(&u.Archived, upd.Archived)
}
