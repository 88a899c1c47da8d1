package zhagen

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

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
