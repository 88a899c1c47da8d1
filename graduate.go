package zhagen

import (
	"strings"
	"time"
)

// Graduate is a graduate's or intern's record, owned by their user.
type Graduate struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Name       string    `json:"name"`
	University string    `json:"university"`
	Major      string    `json:"major"`
	Degree     Degree    `json:"degree"`
	GradYear   int       `json:"grad_year"`
	Skills     []string  `json:"skills"`
	Phone      string    `json:"phone"`
	Consent    bool      `json:"consent"` // may be shown to enterprises
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// ValidateMobile accepts only a mainland mobile number, however written
// ("13800138000", "+86 138 0013 8000", "138-0013-8000"); it reads it
// with ParsePhone, the one phone validation.
func ValidateMobile(text string) string {
	if n, msg := ParsePhone(text); msg == "" && n.China && n.Mobile {
		return ""
	}
	return "手机号须为11位中国大陆手机号（如 138 0013 8000 或 +86 138 0013 8000）"
}

// Validate normalises and checks the graduate's record.
func (g *Graduate) Validate() error {
	var v Validation
	g.Name, g.University, g.Major = strings.TrimSpace(g.Name), strings.TrimSpace(g.University), strings.TrimSpace(g.Major)
	g.Phone = strings.ReplaceAll(strings.TrimSpace(g.Phone), " ", "")
	g.Skills = cleanTags(g.Skills)
	if g.Name == "" {
		v.Add("name", "请填写姓名")
	}
	checkLen(&v, "name", "姓名", g.Name, 40)
	if g.University == "" {
		v.Add("university", "请填写毕业院校")
	}
	checkLen(&v, "university", "毕业院校", g.University, 60)
	if g.Major == "" {
		v.Add("major", "请填写专业")
	}
	checkLen(&v, "major", "专业", g.Major, 40)
	checkDegree(&v, "degree", g.Degree, true)
	if g.GradYear < 2000 || g.GradYear > 2100 {
		v.Add("grad_year", "毕业年份须为2000–2100")
	}
	if len(g.Skills) > 20 {
		v.Add("skills", "技能最多20项")
	}
	if msg := ValidateMobile(g.Phone); msg != "" {
		v.Add("phone", msg)
	}
	return v.Err()
}

// GraduateRegistration is a public self-registration: a login, a
// password and the graduate's record.
type GraduateRegistration struct {
	Login    string   `json:"login"`
	Password string   `json:"password"`
	Graduate Graduate `json:"graduate"`
}

// GraduateFilter selects graduates.
type GraduateFilter struct {
	Query      string // name, major or university contains
	Major      string
	University string
	Limit      int
	Offset     int
}

// GraduateUpdate holds the fields to change; nil leaves a field alone.
type GraduateUpdate struct {
	Version    int64     `json:"version"`
	Name       *string   `json:"name"`
	University *string   `json:"university"`
	Major      *string   `json:"major"`
	Degree     *Degree   `json:"degree"`
	GradYear   *int      `json:"grad_year"`
	Skills     *[]string `json:"skills"`
	Phone      *string   `json:"phone"`
	Consent    *bool     `json:"consent"`
}

// Apply copies the set fields of upd onto g.
func (upd GraduateUpdate) Apply(g *Graduate) {
	setIf(&g.Name, upd.Name)
	setIf(&g.University, upd.University)
	setIf(&g.Major, upd.Major)
	setIf(&g.Degree, upd.Degree)
	setIf(&g.GradYear, upd.GradYear)
	setIf(&g.Skills, upd.Skills)
	setIf(&g.Phone, upd.Phone)
	setIf(&g.Consent, upd.Consent)
}
