package zhagen

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Talent (人才): positions and the public job board, talent-need surveys
// (摸底), universities with their contacts, graduates, matching
// programmes and talent service teams.
//
// Who does what. Talent managers — administrators, dispatchers and
// department staff of a department whose name contains "人才" (in the demo
// the 人事人才公共服务中心) — review positions, keep universities,
// programmes and service teams. Government roles read everything; an
// enterprise user reads and writes only its own enterprise's positions and
// surveys and sees only consenting applicants to its own programme
// positions; a graduate sees and edits only their own record.

// CanManageTalent reports whether the actor is a talent manager.
func (a *Actor) CanManageTalent() bool {
	if a.Has(RoleAdmin, RoleDispatcher) {
		return true
	}
	return a.Has(RoleStaff) && strings.Contains(a.DeptName, "人才")
}

// IsGovernment reports whether the actor holds a government role.
func (a *Actor) IsGovernment() bool {
	return a.Has(RoleAdmin, RoleDispatcher, RoleLeader, RoleStaff, RoleCadre)
}

// Degree is an academic degree, ordered by level.
type Degree string

// Degrees.
const (
	DegreeCollege  Degree = "college"  // 大专
	DegreeBachelor Degree = "bachelor" // 本科
	DegreeMaster   Degree = "master"   // 硕士
	DegreeDoctor   Degree = "doctor"   // 博士
)

// Degrees lists the degrees lowest first.
var Degrees = []Degree{DegreeCollege, DegreeBachelor, DegreeMaster, DegreeDoctor}

var degreeLabels = map[Degree]string{DegreeCollege: "大专", DegreeBachelor: "本科", DegreeMaster: "硕士", DegreeDoctor: "博士"}

// Label returns the Chinese name of the degree ("不限" for none).
func (d Degree) Label() string {
	if d == "" {
		return "不限"
	}
	return degreeLabels[d]
}

// Level returns 1..4 for a known degree, 0 otherwise.
func (d Degree) Level() int { return slices.Index(Degrees, d) + 1 }

// PositionKind is full-time or internship.
type PositionKind string

// Position kinds.
const (
	PositionFullTime   PositionKind = "fulltime"   // 全职
	PositionInternship PositionKind = "internship" // 实习
)

// Label returns the Chinese name of the kind.
func (k PositionKind) Label() string {
	switch k {
	case PositionFullTime:
		return "全职"
	case PositionInternship:
		return "实习"
	}
	return ""
}

// PositionStatus is the review state of a position.
type PositionStatus string

// Position statuses.
const (
	PositionPending  PositionStatus = "pending"  // 待审核
	PositionApproved PositionStatus = "approved" // 已发布
	PositionRejected PositionStatus = "rejected" // 已退回
)

// Label returns the Chinese name of the status.
func (s PositionStatus) Label() string {
	switch s {
	case PositionPending:
		return "待审核"
	case PositionApproved:
		return "已发布"
	case PositionRejected:
		return "已退回"
	}
	return ""
}

// Position is a job an enterprise posts.
type Position struct {
	ID             int64          `json:"id"`
	EnterpriseID   int64          `json:"enterprise_id"`
	EnterpriseName string         `json:"enterprise_name"`
	Industry       string         `json:"industry"`
	Kind           PositionKind   `json:"kind"`
	Title          string         `json:"title"`
	Majors         []string       `json:"majors"`
	Degree         Degree         `json:"degree"`
	Number         int            `json:"number"`
	Place          string         `json:"place"`
	SalaryMin      int            `json:"salary_min"` // yuan per month, 0 = negotiable
	SalaryMax      int            `json:"salary_max"`
	Period         string         `json:"period"` // e.g. 2026-07 至 2026-08 for an internship
	Description    string         `json:"description"`
	Status         PositionStatus `json:"status"`
	ReviewNote     string         `json:"review_note"`
	Version        int64          `json:"version"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

func checkLen(v *Validation, field, label, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		v.Add(field, fmt.Sprintf("%s不能超过%d个字", label, max))
	}
}

func checkDegree(v *Validation, field string, d Degree, required bool) {
	if d == "" && !required {
		return
	}
	if d.Level() == 0 {
		v.Add(field, "请选择学历")
	}
}

// Validate normalises and checks the position.
func (p *Position) Validate() error {
	var v Validation
	p.Title = strings.TrimSpace(p.Title)
	p.Place = strings.TrimSpace(p.Place)
	p.Period = strings.TrimSpace(p.Period)
	p.Description = strings.TrimSpace(p.Description)
	p.Majors = cleanTags(p.Majors)
	if p.EnterpriseID == 0 {
		v.Add("enterprise_id", "请选择发布岗位的企业")
	}
	if p.Kind.Label() == "" {
		v.Add("kind", "请选择岗位类型（全职或实习）")
	}
	if p.Title == "" {
		v.Add("title", "请填写岗位名称")
	}
	checkLen(&v, "title", "岗位名称", p.Title, 60)
	if len(p.Majors) > 10 {
		v.Add("majors", "所需专业最多10个")
	}
	checkDegree(&v, "degree", p.Degree, false)
	if p.Number < 1 || p.Number > 999 {
		v.Add("number", "招聘人数须为1–999")
	}
	if p.Place == "" {
		v.Add("place", "请填写工作地点")
	}
	checkLen(&v, "place", "工作地点", p.Place, 60)
	if p.SalaryMin < 0 || p.SalaryMax < 0 || p.SalaryMin > 1000000 || p.SalaryMax > 1000000 {
		v.Add("salary_min", "薪资须为0–1000000元")
	} else if p.SalaryMax != 0 && p.SalaryMax < p.SalaryMin {
		v.Add("salary_max", "薪资上限不能低于下限")
	}
	if p.Kind == PositionInternship && p.Period == "" {
		v.Add("period", "实习岗位请填写实习期")
	}
	checkLen(&v, "period", "期限", p.Period, 40)
	checkLen(&v, "description", "岗位描述", p.Description, 2000)
	return v.Err()
}

// SalaryText shows the salary range.
func (p *Position) SalaryText() string {
	switch {
	case p.SalaryMin == 0 && p.SalaryMax == 0:
		return "面议"
	case p.SalaryMax == 0 || p.SalaryMax == p.SalaryMin:
		return fmt.Sprintf("%d元/月", p.SalaryMin)
	}
	return fmt.Sprintf("%d–%d元/月", p.SalaryMin, p.SalaryMax)
}

// PositionFilter selects positions.
type PositionFilter struct {
	Query        string // title, description or enterprise name contains
	Major        string
	Industry     string
	Kind         PositionKind
	Status       PositionStatus
	EnterpriseID int64
	Limit        int
	Offset       int
}

// Survey is one enterprise's talent-need survey (摸底) for a period.
type Survey struct {
	ID             int64        `json:"id"`
	EnterpriseID   int64        `json:"enterprise_id"`
	EnterpriseName string       `json:"enterprise_name"`
	Industry       string       `json:"industry"`
	Period         string       `json:"period"` // e.g. 2026 or 2026H2
	Lines          []SurveyLine `json:"lines"`
	Remarks        string       `json:"remarks"`
	Version        int64        `json:"version"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
}

// SurveyLine is how many people of a major and degree an enterprise wants
// and how hard they are to find (1 easy … 3 hard).
type SurveyLine struct {
	Major      string `json:"major"`
	Degree     Degree `json:"degree"`
	Count      int    `json:"count"`
	Difficulty int    `json:"difficulty"`
}

// DifficultyLabel names a difficulty.
func DifficultyLabel(d int) string {
	switch d {
	case 1:
		return "容易"
	case 2:
		return "一般"
	case 3:
		return "困难"
	}
	return ""
}

var periodRe = regexp.MustCompile(`^\d{4}(H[12]|Q[1-4])?$`)

// Validate normalises and checks the survey.
func (s *Survey) Validate() error {
	var v Validation
	s.Period = strings.ToUpper(strings.TrimSpace(s.Period))
	s.Remarks = strings.TrimSpace(s.Remarks)
	if s.EnterpriseID == 0 {
		v.Add("enterprise_id", "请选择企业")
	}
	if !periodRe.MatchString(s.Period) {
		v.Add("period", "摸底期间格式如 2026、2026H2 或 2026Q3")
	}
	var lines []SurveyLine
	for _, l := range s.Lines {
		l.Major = strings.TrimSpace(l.Major)
		if l.Major == "" && l.Count == 0 {
			continue
		}
		if l.Major == "" {
			v.Add("lines", "每行须填写专业")
		}
		checkDegree(&v, "lines", l.Degree, false)
		if l.Count < 1 || l.Count > 9999 {
			v.Add("lines", "需求人数须为1–9999")
		}
		if DifficultyLabel(l.Difficulty) == "" {
			v.Add("lines", "招聘难度须为 1（容易）、2（一般）或 3（困难）")
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		v.Add("lines", "请至少填写一行专业需求")
	}
	if len(lines) > 30 {
		v.Add("lines", "专业需求最多30行")
	}
	s.Lines = lines
	checkLen(&v, "remarks", "备注", s.Remarks, 1000)
	return v.Err()
}

// SurveySummary adds up the surveys of a period across the zone.
type SurveySummary struct {
	Period     string           `json:"period"`
	Surveys    int              `json:"surveys"`
	ByMajor    []MajorDemand    `json:"by_major"`
	ByIndustry []IndustryDemand `json:"by_industry"`
}

// MajorDemand is the demand for one major against the supply: graduates
// registered with that major.
type MajorDemand struct {
	Major      string  `json:"major"`
	Demand     int     `json:"demand"`
	Supply     int     `json:"supply"`
	Gap        int     `json:"gap"` // demand − supply when positive, else 0
	Difficulty float64 `json:"difficulty"`
}

// IndustryDemand is the demand of one industry.
type IndustryDemand struct {
	Industry    string `json:"industry"`
	Demand      int    `json:"demand"`
	Enterprises int    `json:"enterprises"`
	Hard        int    `json:"hard"` // people in lines marked hard to fill
}

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

// ValidateMobile accepts only a mainland mobile number 1[3-9]xxxxxxxxx.
func ValidateMobile(phone string) string {
	if mobileRe.MatchString(phone) {
		return ""
	}
	return "手机号须为11位中国大陆手机号（1[3-9]开头）"
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

// Programme is a placement programme such as a summer practice
// (暑期实践): enterprises offer positions with capacities, graduates rank
// them during the registration window, then a matching run places them.
type Programme struct {
	ID          int64                `json:"id"`
	Name        string               `json:"name"`
	Description string               `json:"description"`
	RegOpen     string               `json:"reg_open"`  // YYYY-MM-DD, first day of registration
	RegClose    string               `json:"reg_close"` // YYYY-MM-DD, last day
	MaxChoices  int                  `json:"max_choices"`
	Positions   []*ProgrammePosition `json:"positions,omitempty"`
	Applicants  int                  `json:"applicants"`
	Capacity    int                  `json:"capacity"`
	Enterprises int                  `json:"enterprises"`
	LatestRun   *MatchRun            `json:"latest_run,omitempty"`
	Version     int64                `json:"version"`
	CreatedAt   time.Time            `json:"created_at"`
}

// Validate checks the programme.
func (p *Programme) Validate() error {
	var v Validation
	p.Name, p.Description = strings.TrimSpace(p.Name), strings.TrimSpace(p.Description)
	if p.Name == "" {
		v.Add("name", "请填写项目名称")
	}
	checkLen(&v, "name", "项目名称", p.Name, 60)
	checkLen(&v, "description", "项目说明", p.Description, 2000)
	o, err1 := time.Parse(time.DateOnly, p.RegOpen)
	c, err2 := time.Parse(time.DateOnly, p.RegClose)
	if err1 != nil {
		v.Add("reg_open", "报名开始日期格式须为 YYYY-MM-DD")
	}
	if err2 != nil {
		v.Add("reg_close", "报名截止日期格式须为 YYYY-MM-DD")
	} else if err1 == nil && c.Before(o) {
		v.Add("reg_close", "报名截止日期不能早于开始日期")
	}
	if p.MaxChoices < 1 || p.MaxChoices > 20 {
		v.Add("max_choices", "志愿数须为1–20")
	}
	return v.Err()
}

// RegistrationOpen reports whether day (YYYY-MM-DD) is in the window.
func (p *Programme) RegistrationOpen(day string) bool {
	return day >= p.RegOpen && day <= p.RegClose
}

// ProgrammePosition is an enterprise's offer in a programme.
type ProgrammePosition struct {
	ID             int64    `json:"id"`
	ProgrammeID    int64    `json:"programme_id"`
	EnterpriseID   int64    `json:"enterprise_id"`
	EnterpriseName string   `json:"enterprise_name"`
	Title          string   `json:"title"`
	Majors         []string `json:"majors"` // accepted majors; empty accepts every major
	Degree         Degree   `json:"degree"` // minimum degree for full score
	Skills         []string `json:"skills"` // skills that add to the score
	Capacity       int      `json:"capacity"`
	Applicants     int      `json:"applicants"`
	Matched        int      `json:"matched"`
}

// Validate checks the programme position.
func (pp *ProgrammePosition) Validate() error {
	var v Validation
	pp.Title = strings.TrimSpace(pp.Title)
	pp.Majors, pp.Skills = cleanTags(pp.Majors), cleanTags(pp.Skills)
	if pp.EnterpriseID == 0 {
		v.Add("enterprise_id", "请选择企业")
	}
	if pp.Title == "" {
		v.Add("title", "请填写岗位名称")
	}
	checkLen(&v, "title", "岗位名称", pp.Title, 60)
	checkDegree(&v, "degree", pp.Degree, false)
	if pp.Capacity < 0 || pp.Capacity > 999 {
		v.Add("capacity", "名额须为0–999")
	}
	return v.Err()
}

// Score is how well a graduate fits a programme position, with the
// derivation shown to people: major fit 50 (a position that names majors
// accepts no other major), degree 20 when it meets the minimum (10 one
// level below, else 0), 10 per matching skill up to 30.
type Score struct {
	Acceptable bool   `json:"acceptable"`
	Major      int    `json:"major"`
	Degree     int    `json:"degree"`
	Skills     int    `json:"skills"`
	Total      int    `json:"total"`
	Derivation string `json:"derivation"`
}

// ScoreApplicant computes the score of g for pp.
func ScoreApplicant(pp *ProgrammePosition, g *Graduate) Score {
	var s Score
	var parts []string
	switch {
	case len(pp.Majors) == 0:
		s.Major, s.Acceptable = 25, true
		parts = append(parts, "专业不限 25")
	case slices.Contains(pp.Majors, g.Major):
		s.Major, s.Acceptable = 50, true
		parts = append(parts, "专业对口（"+g.Major+"）50")
	default:
		return Score{Derivation: "专业“" + g.Major + "”不在岗位所需专业（" + strings.Join(pp.Majors, "、") + "）内，不予录取"}
	}
	switch need, have := pp.Degree.Level(), g.Degree.Level(); {
	case need == 0 || have >= need:
		s.Degree = 20
	case have == need-1:
		s.Degree = 10
	}
	parts = append(parts, fmt.Sprintf("学历（%s）%d", g.Degree.Label(), s.Degree))
	var hit []string
	for _, k := range g.Skills {
		if slices.Contains(pp.Skills, k) {
			hit = append(hit, k)
		}
	}
	s.Skills = min(30, 10*len(hit))
	if len(hit) > 0 {
		parts = append(parts, fmt.Sprintf("技能（%s）%d", strings.Join(hit, "、"), s.Skills))
	} else {
		parts = append(parts, "技能 0")
	}
	s.Total = s.Major + s.Degree + s.Skills
	s.Derivation = strings.Join(parts, " + ") + fmt.Sprintf(" = %d", s.Total)
	return s
}

// Applicant is a graduate's application to a programme position as the
// enterprise sees it: the graduate's ranked choice, the score and the
// rank the enterprise gives (entered, or derived from the score).
type Applicant struct {
	PositionID  int64     `json:"position_id"`
	GraduateID  int64     `json:"graduate_id"`
	Graduate    *Graduate `json:"graduate"`
	Choice      int       `json:"choice"`       // 1 = first choice
	EnteredRank int       `json:"entered_rank"` // 0 when not entered
	Rank        int       `json:"rank"`         // 1 = the enterprise's favourite; 0 when unacceptable
	Score       Score     `json:"score"`
	Withdrawn   bool      `json:"withdrawn"`
}

// Application is a graduate's ranked choices in a programme.
type Application struct {
	ProgrammeID int64   `json:"programme_id"`
	GraduateID  int64   `json:"graduate_id"`
	PositionIDs []int64 `json:"position_ids"` // best first
	Withdrawn   bool    `json:"withdrawn"`
}

// MatchRun is one matching run of a programme.
type MatchRun struct {
	ID            int64          `json:"id"`
	ProgrammeID   int64          `json:"programme_id"`
	Status        string         `json:"status"` // running, done
	Done          int            `json:"done"`
	Total         int            `json:"total"`
	Proposals     int64          `json:"proposals"`
	Matched       int            `json:"matched"`
	Unmatched     int            `json:"unmatched"`
	BlockingPairs int            `json:"blocking_pairs"`
	ByName        string         `json:"by_name"`
	StartedAt     time.Time      `json:"started_at"`
	FinishedAt    *time.Time     `json:"finished_at,omitempty"`
	PublishedAt   *time.Time     `json:"published_at,omitempty"`
	Results       []*MatchResult `json:"results,omitempty"`
}

// Percent is the progress of the run in per cent.
func (r *MatchRun) Percent() int {
	if r.Total == 0 {
		if r.Status == "done" {
			return 100
		}
		return 0
	}
	return 100 * r.Done / r.Total
}

// MatchResult is one graduate's outcome in a run.
type MatchResult struct {
	GraduateID     int64  `json:"graduate_id"`
	GraduateName   string `json:"graduate_name"`
	Major          string `json:"major"`
	PositionID     int64  `json:"position_id,omitempty"`
	PositionTitle  string `json:"position_title,omitempty"`
	EnterpriseID   int64  `json:"enterprise_id,omitempty"`
	EnterpriseName string `json:"enterprise_name,omitempty"`
	Choice         int    `json:"choice,omitempty"` // which choice was met
	Reason         string `json:"reason,omitempty"` // why unmatched
}

// ServiceTeam is a talent and technology service team (人才科创服务队).
type ServiceTeam struct {
	ID          int64        `json:"id"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Members     []TeamMember `json:"members"`
	Batches     []*TeamBatch `json:"batches,omitempty"`
	Version     int64        `json:"version"`
	CreatedAt   time.Time    `json:"created_at"`
}

// TeamMember is a member of a team; DeptName is filled by the store.
type TeamMember struct {
	UserID   int64  `json:"user_id"`
	Name     string `json:"name"`
	DeptName string `json:"dept_name"`
	Role     string `json:"role"` // 队长、队员
}

// Validate checks the team.
func (t *ServiceTeam) Validate() error {
	var v Validation
	t.Name, t.Description = strings.TrimSpace(t.Name), strings.TrimSpace(t.Description)
	if t.Name == "" {
		v.Add("name", "请填写服务队名称")
	}
	checkLen(&v, "name", "服务队名称", t.Name, 60)
	checkLen(&v, "description", "说明", t.Description, 1000)
	if len(t.Members) == 0 {
		v.Add("members", "请至少选择一名队员")
	}
	seen := map[int64]bool{}
	for _, m := range t.Members {
		if m.UserID == 0 || seen[m.UserID] {
			v.Add("members", "队员重复或无效")
		}
		seen[m.UserID] = true
	}
	return v.Err()
}

// TeamBatch is one dispatch (分批选派) of a team to key enterprises.
type TeamBatch struct {
	ID              int64         `json:"id"`
	TeamID          int64         `json:"team_id"`
	No              int           `json:"no"`
	StartDate       string        `json:"start_date"`
	EndDate         string        `json:"end_date"`
	EnterpriseIDs   []int64       `json:"enterprise_ids"`
	EnterpriseNames []string      `json:"enterprise_names"`
	Resolved        string        `json:"resolved"` // what the batch resolved
	Logs            []*ServiceLog `json:"logs,omitempty"`
}

// Validate checks the batch.
func (b *TeamBatch) Validate() error {
	var v Validation
	b.Resolved = strings.TrimSpace(b.Resolved)
	s, err1 := time.Parse(time.DateOnly, b.StartDate)
	e, err2 := time.Parse(time.DateOnly, b.EndDate)
	if err1 != nil {
		v.Add("start_date", "开始日期格式须为 YYYY-MM-DD")
	}
	if err2 != nil {
		v.Add("end_date", "结束日期格式须为 YYYY-MM-DD")
	} else if err1 == nil && e.Before(s) {
		v.Add("end_date", "结束日期不能早于开始日期")
	}
	if len(b.EnterpriseIDs) == 0 {
		v.Add("enterprise_ids", "请至少选择一家服务企业")
	}
	checkLen(&v, "resolved", "解决事项", b.Resolved, 2000)
	return v.Err()
}

// ServiceLog is one visit of a batch to an enterprise.
type ServiceLog struct {
	ID             int64     `json:"id"`
	BatchID        int64     `json:"batch_id"`
	EnterpriseID   int64     `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name"`
	Date           string    `json:"date"`
	Summary        string    `json:"summary"`
	Resolved       string    `json:"resolved"` // problems solved on this visit
	ByName         string    `json:"by_name"`
	CreatedAt      time.Time `json:"created_at"`
}

// Validate checks the log.
func (l *ServiceLog) Validate() error {
	var v Validation
	l.Summary, l.Resolved = strings.TrimSpace(l.Summary), strings.TrimSpace(l.Resolved)
	if _, err := time.Parse(time.DateOnly, l.Date); err != nil {
		v.Add("date", "日期格式须为 YYYY-MM-DD")
	}
	if l.EnterpriseID == 0 {
		v.Add("enterprise_id", "请选择走访企业")
	}
	if l.Summary == "" {
		v.Add("summary", "请填写服务情况")
	}
	checkLen(&v, "summary", "服务情况", l.Summary, 2000)
	checkLen(&v, "resolved", "解决问题", l.Resolved, 1000)
	return v.Err()
}

// TalentService keeps positions, surveys, universities, graduates,
// programmes and service teams. Every method applies the caller's role and
// data scope; a record outside the scope is ENOTFOUND.
type TalentService interface {
	// FindPublicPositions returns approved positions; no login needed.
	FindPublicPositions(ctx context.Context, f PositionFilter) ([]*Position, int, error)
	// FindPublicPosition returns one approved position, else ENOTFOUND.
	FindPublicPosition(ctx context.Context, id int64) (*Position, error)
	// FindPositions returns positions in scope (an enterprise: its own).
	FindPositions(ctx context.Context, f PositionFilter) ([]*Position, int, error)
	FindPositionByID(ctx context.Context, id int64) (*Position, error)
	// CreatePosition stores a pending position (enterprise for itself, or
	// a talent manager).
	CreatePosition(ctx context.Context, p *Position) error
	// ReviewPosition approves or rejects a position (talent managers).
	ReviewPosition(ctx context.Context, id int64, approve bool, note string) (*Position, error)

	FindSurveys(ctx context.Context, period string) ([]*Survey, error)
	FindSurveyByID(ctx context.Context, id int64) (*Survey, error)
	// SaveSurvey creates or replaces the survey of s.EnterpriseID and
	// s.Period.
	SaveSurvey(ctx context.Context, s *Survey) error
	// SurveySummary adds up a period across the zone (government roles).
	SurveySummary(ctx context.Context, period string) (*SurveySummary, error)

	FindUniversities(ctx context.Context) ([]*University, error)
	FindUniversityByID(ctx context.Context, id int64) (*University, error)
	AddUniversityContact(ctx context.Context, c *UniversityContact) error
	DeleteUniversityContact(ctx context.Context, universityID, id int64) error
	AddOutreach(ctx context.Context, o *Outreach) error

	// RegisterGraduate creates a user with the graduate role and the
	// graduate's record; no login needed.
	RegisterGraduate(ctx context.Context, reg *GraduateRegistration) (*Graduate, error)
	// CreateGraduate records a graduate on their behalf (talent
	// managers): login names an existing user with the graduate role and
	// no record yet, or a new user that cannot log in until an
	// administrator sets a password.
	CreateGraduate(ctx context.Context, g *Graduate, login string) error
	FindGraduates(ctx context.Context, f GraduateFilter) ([]*Graduate, int, error)
	FindGraduateByID(ctx context.Context, id int64) (*Graduate, error)
	// MyGraduate returns the caller's own record.
	MyGraduate(ctx context.Context) (*Graduate, error)
	UpdateGraduate(ctx context.Context, id int64, upd GraduateUpdate) (*Graduate, error)

	FindProgrammes(ctx context.Context) ([]*Programme, error)
	// FindProgrammeByID returns the programme with its positions (an
	// enterprise sees only its own positions) and latest run.
	FindProgrammeByID(ctx context.Context, id int64) (*Programme, error)
	CreateProgramme(ctx context.Context, p *Programme) error
	AddProgrammePosition(ctx context.Context, pp *ProgrammePosition) error
	// SetChoices replaces a graduate's ranked choices (the graduate within
	// the registration window, or a talent manager).
	SetChoices(ctx context.Context, app *Application) error
	// FindApplication returns the graduate's choices in a programme.
	FindApplication(ctx context.Context, programmeID, graduateID int64) (*Application, error)
	// WithdrawApplication takes a graduate out of the programme.
	WithdrawApplication(ctx context.Context, programmeID, graduateID int64) error
	// FindApplicants returns the applicants to a programme position in the
	// enterprise's order (an enterprise: only its own positions and only
	// consenting graduates).
	FindApplicants(ctx context.Context, positionID int64) ([]*Applicant, error)
	// SetRanking stores the enterprise's own order of applicants to a
	// position (graduate ids, best first); the rest follow by score.
	SetRanking(ctx context.Context, positionID int64, graduateIDs []int64) error
	// RunMatch runs graduate-proposing deferred acceptance, records the
	// progress, results and audit, and returns the finished run.
	RunMatch(ctx context.Context, programmeID int64) (*MatchRun, error)
	// FindMatchRun returns a run with its results in the caller's scope.
	FindMatchRun(ctx context.Context, runID int64) (*MatchRun, error)
	// PublishMatch notifies graduates and enterprises of a finished run.
	PublishMatch(ctx context.Context, runID int64) (*MatchRun, error)

	FindServiceTeams(ctx context.Context) ([]*ServiceTeam, error)
	FindServiceTeamByID(ctx context.Context, id int64) (*ServiceTeam, error)
	CreateServiceTeam(ctx context.Context, t *ServiceTeam) error
	AddTeamBatch(ctx context.Context, b *TeamBatch) error
	SetBatchResolved(ctx context.Context, batchID int64, resolved string) error
	AddServiceLog(ctx context.Context, l *ServiceLog) error
}
