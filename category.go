package zhagen

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Priority is a demand's urgency.
type Priority string

// Priorities, lowest first.
const (
	PriorityLow    Priority = "low"    // 一般
	PriorityNormal Priority = "normal" // 较急
	PriorityHigh   Priority = "high"   // 紧急
	PriorityUrgent Priority = "urgent" // 特急
)

// Priorities lists the priorities, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

var priorityLabels = map[Priority]string{PriorityLow: "一般", PriorityNormal: "较急", PriorityHigh: "紧急", PriorityUrgent: "特急"}

// Label returns the Chinese name of the priority.
func (p Priority) Label() string { return priorityLabels[p] }

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { _, ok := priorityLabels[p]; return ok }

// SLATerm is a time limit in working hours or working days (see package
// sla for how working time is counted).
type SLATerm struct {
	Amount int    `json:"amount"`
	Unit   string `json:"unit"` // "hours" or "days"
}

// String returns e.g. "3个工作日" or "4个工作小时".
func (t SLATerm) String() string {
	if t.Unit == "hours" {
		return strconv.Itoa(t.Amount) + "个工作小时"
	}
	return strconv.Itoa(t.Amount) + "个工作日"
}

func (t SLATerm) valid() bool {
	return (t.Unit == "hours" || t.Unit == "days") && t.Amount >= 1 && t.Amount <= 1000
}

// SLARule holds the response and resolution limits of one priority.
type SLARule struct {
	Response   SLATerm `json:"response"`
	Resolution SLATerm `json:"resolution"`
}

// QuestionType is the datatype of a category's extra question; the names
// are those of Open311 GeoReport v2 attributes.
type QuestionType string

// Question types.
const (
	QString   QuestionType = "string"
	QNumber   QuestionType = "number"
	QDatetime QuestionType = "datetime"
	QText     QuestionType = "text"
	QSingle   QuestionType = "singlevaluelist"
	QMulti    QuestionType = "multivaluelist"
)

var questionTypeLabels = map[QuestionType]string{QString: "单行文本", QNumber: "数字", QDatetime: "日期时间", QText: "多行文本", QSingle: "单选", QMulti: "多选"}

// QuestionTypes lists the types in display order.
var QuestionTypes = []QuestionType{QString, QNumber, QDatetime, QText, QSingle, QMulti}

// Label returns the Chinese name of the type.
func (t QuestionType) Label() string { return questionTypeLabels[t] }

// Option is one choice of a list question.
type Option struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Question is an extra question a category asks when a demand is filed.
type Question struct {
	Code        string       `json:"code"`
	Label       string       `json:"label"`
	Description string       `json:"description,omitempty"`
	Type        QuestionType `json:"type"`
	Required    bool         `json:"required"`
	Options     []Option     `json:"options,omitempty"`
}

// Category is an entry of the demand catalogue: what a demand is about,
// which departments handle it and how fast.
type Category struct {
	ID              int64                `json:"id"`
	Code            string               `json:"code"`
	Name            string               `json:"name"`
	Description     string               `json:"description"`
	Group           string               `json:"group"`
	Keywords        []string             `json:"keywords"`
	Questions       []Question           `json:"questions"`
	LeadDeptID      int64                `json:"lead_dept_id,omitempty"`
	LeadDeptName    string               `json:"lead_dept_name,omitempty"`
	CoopDeptIDs     []int64              `json:"coop_dept_ids"`
	DefaultPriority Priority             `json:"default_priority"`
	SLA             map[Priority]SLARule `json:"sla"`
	AutoCloseDays   int                  `json:"auto_close_days"`
	// AnswerMinLen is the least characters of a resolve's answer
	// (DefaultAnswerMinLen when 0 is given); AnswerFileRequired asks for a
	// file (the written reply or the approval) before a resolve;
	// FollowUpDays is the working days within which a follow-up (回访) of
	// its demands is due (DefaultFollowUpDays when 0 is given). See
	// answer.go and followup.go.
	AnswerMinLen       int       `json:"answer_min_len"`
	AnswerFileRequired bool      `json:"answer_file_required"`
	FollowUpDays       int       `json:"followup_days"`
	Archived           bool      `json:"archived"`
	Version            int64     `json:"version"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

var codeRe = regexp.MustCompile(`^[a-z][a-z0-9_.-]{1,31}$`)

// DefaultSLA is the rule set of a new category.
func DefaultSLA() map[Priority]SLARule {
	return map[Priority]SLARule{
		PriorityLow:    {SLATerm{1, "days"}, SLATerm{10, "days"}},
		PriorityNormal: {SLATerm{1, "days"}, SLATerm{5, "days"}},
		PriorityHigh:   {SLATerm{4, "hours"}, SLATerm{3, "days"}},
		PriorityUrgent: {SLATerm{2, "hours"}, SLATerm{1, "days"}},
	}
}

// Validate normalises and checks the category.
func (c *Category) Validate() error {
	var v Validation
	c.Code = strings.TrimSpace(c.Code)
	c.Name = strings.TrimSpace(c.Name)
	c.Group = strings.TrimSpace(c.Group)
	c.Keywords = cleanTags(c.Keywords)
	if c.CoopDeptIDs == nil {
		c.CoopDeptIDs = []int64{}
	}
	if c.DefaultPriority == "" {
		c.DefaultPriority = PriorityNormal
	}
	if c.AutoCloseDays == 0 {
		c.AutoCloseDays = 7
	}
	if c.SLA == nil {
		c.SLA = DefaultSLA()
	}
	if c.AnswerMinLen == 0 {
		c.AnswerMinLen = DefaultAnswerMinLen
	}
	if c.FollowUpDays == 0 {
		c.FollowUpDays = DefaultFollowUpDays
	}
	if !codeRe.MatchString(c.Code) {
		v.Add("code", "编码须以小写字母开头，2–32位小写字母、数字、点、下划线或连字符")
	}
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 40 {
		v.Add("name", "请填写类别名称（不超过40个字）")
	}
	if utf8.RuneCountInString(c.Description) > 500 {
		v.Add("description", "说明不能超过500个字")
	}
	if !c.DefaultPriority.Valid() {
		v.Add("default_priority", "默认优先级无效")
	}
	for _, p := range Priorities {
		r, ok := c.SLA[p]
		if !ok || !r.Response.valid() || !r.Resolution.valid() {
			v.Add("sla", "请为每个优先级填写有效的响应时限和办结时限（1–1000个工作小时或工作日）")
		}
	}
	if c.AutoCloseDays < 1 || c.AutoCloseDays > 60 {
		v.Add("auto_close_days", "自动关闭天数须为1–60")
	}
	if c.AnswerMinLen < 1 || c.AnswerMinLen > 500 {
		v.Add("answer_min_len", "办结答复最少字数须为1–500")
	}
	if c.FollowUpDays < 1 || c.FollowUpDays > 30 {
		v.Add("followup_days", "回访期限须为1–30个工作日")
	}
	if slices.Contains(c.CoopDeptIDs, c.LeadDeptID) && c.LeadDeptID != 0 {
		v.Add("coop_dept_ids", "协办部门不能与主办部门相同")
	}
	seen := map[string]bool{}
	for i := range c.Questions {
		q := &c.Questions[i]
		q.Code, q.Label = strings.TrimSpace(q.Code), strings.TrimSpace(q.Label)
		switch {
		case !codeRe.MatchString(q.Code) || seen[q.Code]:
			v.Add("questions", fmt.Sprintf("第%d个问题的编码无效或重复", i+1))
		case q.Label == "":
			v.Add("questions", fmt.Sprintf("第%d个问题缺少题目", i+1))
		case questionTypeLabels[q.Type] == "":
			v.Add("questions", fmt.Sprintf("问题“%s”的类型无效", q.Label))
		case (q.Type == QSingle || q.Type == QMulti) && len(q.Options) < 2:
			v.Add("questions", fmt.Sprintf("选择题“%s”至少需要两个选项", q.Label))
		}
		seen[q.Code] = true
	}
	if c.Questions == nil {
		c.Questions = []Question{}
	}
	return v.Err()
}

// Answers maps a question code to its values: one value for most types,
// any number for a multiple-choice question. In JSON a value may be a
// string, a number or an array of them.
type Answers map[string][]string

// UnmarshalJSON accepts {"code": "v"}, {"code": 3} and {"code": ["a","b"]}.
func (a *Answers) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := Answers{}
	for k, v := range raw {
		var list []any
		var one any
		if err := json.Unmarshal(v, &list); err != nil {
			if err := json.Unmarshal(v, &one); err != nil {
				return err
			}
			list = []any{one}
		}
		for _, x := range list {
			switch x := x.(type) {
			case string:
				out[k] = append(out[k], x)
			case float64:
				out[k] = append(out[k], strconv.FormatFloat(x, 'f', -1, 64))
			case bool:
				out[k] = append(out[k], strconv.FormatBool(x))
			case nil:
			default:
				return fmt.Errorf("answer %s: unsupported value", k)
			}
		}
	}
	*a = out
	return nil
}

// ValidateAnswers checks answers against the category's questions and
// drops empty values. Unknown codes are refused.
func (c *Category) ValidateAnswers(a Answers) (Answers, error) {
	var v Validation
	out := Answers{}
	known := map[string]bool{}
	for _, q := range c.Questions {
		known[q.Code] = true
		var vals []string
		for _, s := range a[q.Code] {
			if s = strings.TrimSpace(s); s != "" {
				vals = append(vals, s)
			}
		}
		field := "answers." + q.Code
		if len(vals) == 0 {
			if q.Required {
				v.Add(field, "请回答：“"+q.Label+"”")
			}
			continue
		}
		if q.Type != QMulti && len(vals) > 1 {
			v.Add(field, "“"+q.Label+"”只能填写一个值")
			continue
		}
		if msg := checkAnswer(q, vals); msg != "" {
			v.Add(field, "“"+q.Label+"”"+msg)
			continue
		}
		out[q.Code] = vals
	}
	for code := range a {
		if !known[code] {
			v.Add("answers."+code, "该类别没有问题 "+code)
		}
	}
	return out, v.Err()
}

func checkAnswer(q Question, vals []string) string {
	switch q.Type {
	case QNumber:
		if _, err := strconv.ParseFloat(vals[0], 64); err != nil {
			return "须为数字"
		}
	case QDatetime:
		if _, err := ParseDateTime(vals[0]); err != nil {
			return "须为日期时间，如 2026-10-08 09:30"
		}
	case QString:
		if utf8.RuneCountInString(vals[0]) > 200 {
			return "不能超过200个字"
		}
	case QText:
		if utf8.RuneCountInString(vals[0]) > 4000 {
			return "不能超过4000个字"
		}
	case QSingle, QMulti:
		for _, s := range vals {
			if !slices.ContainsFunc(q.Options, func(o Option) bool { return o.Key == s }) {
				return "的选项无效：" + s
			}
		}
	}
	return ""
}

// ParseDateTime accepts RFC 3339 and the forms people type
// ("2026-10-08 09:30", "2026-10-08T09:30", "2026-10-08"), in Beijing time
// when no offset is given.
func ParseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, Shanghai); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad datetime %q", s)
}

// CategoryFilter selects categories.
type CategoryFilter struct {
	Query           string
	Group           string
	IncludeArchived bool
}

// CategoryService keeps the demand catalogue. Everyone logged in reads
// it; administrators change it.
type CategoryService interface {
	FindCategories(ctx context.Context, f CategoryFilter) ([]*Category, error)
	// FindCategoryByID returns ENOTFOUND for an unknown id.
	FindCategoryByID(ctx context.Context, id int64) (*Category, error)
	// FindCategoryByCode returns ENOTFOUND for an unknown code.
	FindCategoryByCode(ctx context.Context, code string) (*Category, error)
	// CreateCategory stores c (admin only); a used code is ECONFLICT.
	CreateCategory(ctx context.Context, c *Category) error
	// UpdateCategory replaces c's fields (admin only) if version is current.
	UpdateCategory(ctx context.Context, id int64, version int64, c *Category) (*Category, error)
}
