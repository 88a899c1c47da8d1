package zhagen

import (
	"fmt"
	"strings"
	"time"
)

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
