package zhagen

import (
	"regexp"
	"strings"
	"time"
)

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
