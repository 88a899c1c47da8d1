package zhagen

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// ActTopic is the timeline step of a demand answered by a topic's single
// answer (每月一题).
const ActTopic Action = "topic"

// TopicStatus is where a topic stands.
type TopicStatus string

const (
	TopicOpen     TopicStatus = "open"     // adopted, the lead department prepares the answer
	TopicAnswered TopicStatus = "answered" // answered; the answer is on every demand and sent to every enterprise
)

// Topic is a common problem (共性问题) adopted as a topic (每月一题): one
// lead department gives one answer (a policy, a notice), recorded on
// each of its demands and sent to every enterprise in it.
type Topic struct {
	ID           int64       `json:"id"`
	Title        string      `json:"title"`
	Month        string      `json:"month"` // YYYY-MM the cluster was found in
	LeadDeptID   int64       `json:"lead_dept_id"`
	LeadDeptName string      `json:"lead_dept_name"`
	DemandIDs    []int64     `json:"demand_ids"`
	Enterprises  int         `json:"enterprises"` // how many enterprises its demands are of
	Status       TopicStatus `json:"status"`
	Answer       string      `json:"answer,omitempty"`
	AnsweredAt   *time.Time  `json:"answered_at,omitempty"`
	Version      int64       `json:"version"`
	CreatedAt    time.Time   `json:"created_at"`
}

// Validate checks a topic as adopted.
func (t *Topic) Validate() error {
	var v Validation
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" {
		v.Add("title", "请填写专题名称")
	} else if utf8.RuneCountInString(t.Title) > 100 {
		v.Add("title", "专题名称不能超过100个字")
	}
	if _, err := time.Parse("2006-01", t.Month); err != nil {
		v.Add("month", "月份格式应为 YYYY-MM")
	}
	if t.LeadDeptID == 0 {
		v.Add("lead_dept_id", "请选择牵头部门")
	}
	if len(t.DemandIDs) < 2 {
		v.Add("demand_ids", "专题至少包含两件诉求")
	} else if len(t.DemandIDs) > 500 {
		v.Add("demand_ids", "专题最多包含500件诉求")
	}
	return v.Err()
}

// CheckTopicAnswer checks the lead department's answer.
func CheckTopicAnswer(answer string) (string, error) {
	answer = strings.TrimSpace(answer)
	var v Validation
	if utf8.RuneCountInString(answer) < 10 {
		v.Add("answer", "答复不能少于10个字")
	} else if utf8.RuneCountInString(answer) > 4000 {
		v.Add("answer", "答复不能超过4000个字")
	}
	return answer, v.Err()
}

// TopicService keeps the topics (每月一题).
type TopicService interface {
	// AdoptTopic stores a common problem as a topic of a lead
	// department, which is told.
	AdoptTopic(ctx context.Context, t *Topic) error
	FindTopics(ctx context.Context) ([]*Topic, error)
	// AnswerTopic records the answer once (version checked): a public
	// step on each demand and a notice to each enterprise, in one
	// transaction.
	AnswerTopic(ctx context.Context, id, version int64, answer string) (*Topic, error)
}

// NoticeTopicAdopted tells the lead department's staff of a topic.
func NoticeTopicAdopted(t *Topic) Notice {
	return Notice{Kind: "topic.adopted", Severity: SeverityWarning, To: Recipients{DeptStaff: []int64{t.LeadDeptID}},
		Title: Msg("notice.topic.adopted", t.Title), Body: Msg("notice.topic.adopted.body", len(t.DemandIDs), t.Enterprises), Link: "/topics"}
}

// NoticeTopicAnswered sends a topic's answer to the enterprises of its
// demands.
func NoticeTopicAnswered(t *Topic, enterprises []int64) Notice {
	return Notice{Kind: "topic.answered", Severity: SeverityInfo, To: Recipients{Enterprises: enterprises},
		Title: Msg("notice.topic.answered", t.Title), Body: text(t.Answer), Link: "/demands"}
}
