package zhagen

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// University is a department of kind university with its contacts and
// outreach log.
type University struct {
	ID        int64                `json:"id"`
	Name      string               `json:"name"`
	Contacts  []*UniversityContact `json:"contacts"`
	Outreach  []*Outreach          `json:"outreach,omitempty"`
	Graduates int                  `json:"graduates"`
}

// ContactKind says whom a university contact represents.
type ContactKind string

// Contact kinds.
const (
	ContactCareer ContactKind = "career" // 就业处
	ContactUnion  ContactKind = "union"  // 学生会
)

// Label returns the Chinese name of the kind.
func (k ContactKind) Label() string {
	switch k {
	case ContactCareer:
		return "就业指导中心（就业处）"
	case ContactUnion:
		return "学生会"
	}
	return ""
}

// UniversityContact is a person at a university.
type UniversityContact struct {
	ID           int64       `json:"id"`
	UniversityID int64       `json:"university_id"`
	Kind         ContactKind `json:"kind"`
	Name         string      `json:"name"`
	Title        string      `json:"title"`
	Phone        string      `json:"phone"`
	Email        string      `json:"email"`
	CreatedAt    time.Time   `json:"created_at"`
}

var emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// Validate checks the contact.
func (c *UniversityContact) Validate() error {
	var v Validation
	c.Name, c.Title, c.Phone, c.Email = strings.TrimSpace(c.Name), strings.TrimSpace(c.Title), strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email)
	if c.Kind.Label() == "" {
		v.Add("kind", "请选择联系人类别（就业处或学生会）")
	}
	if c.Name == "" {
		v.Add("name", "请填写联系人姓名")
	}
	checkLen(&v, "name", "姓名", c.Name, 40)
	checkLen(&v, "title", "职务", c.Title, 40)
	if c.Phone == "" {
		v.Add("phone", "请填写联系电话")
	} else if msg := ValidatePhone(c.Phone); msg != "" {
		v.Add("phone", msg)
	}
	if c.Email != "" && !emailRe.MatchString(c.Email) {
		v.Add("email", "电子邮箱格式不正确")
	}
	return v.Err()
}

// Outreach is one contact made with a university (宣讲、座谈、招聘会…).
type Outreach struct {
	ID           int64     `json:"id"`
	UniversityID int64     `json:"university_id"`
	Date         string    `json:"date"` // YYYY-MM-DD
	Kind         string    `json:"kind"` // 宣讲会、座谈、招聘会、走访
	Summary      string    `json:"summary"`
	ByName       string    `json:"by_name"`
	CreatedAt    time.Time `json:"created_at"`
}

// OutreachKinds are the suggested kinds of outreach.
var OutreachKinds = []string{"走访", "座谈", "宣讲会", "招聘会", "实践基地签约"}

// Validate checks the outreach record.
func (o *Outreach) Validate() error {
	var v Validation
	o.Kind, o.Summary = strings.TrimSpace(o.Kind), strings.TrimSpace(o.Summary)
	if _, err := time.Parse(time.DateOnly, o.Date); err != nil {
		v.Add("date", "日期格式须为 YYYY-MM-DD")
	}
	if !slices.Contains(OutreachKinds, o.Kind) {
		v.Add("kind", "请选择对接方式")
	}
	if o.Summary == "" {
		v.Add("summary", "请填写对接情况")
	}
	checkLen(&v, "summary", "对接情况", o.Summary, 1000)
	return v.Err()
}
