package zhagen

import (
	"strings"
	"time"
)

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
