package zhagen

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultAnswerMinLen is the least characters of a resolve's answer when
// the category says nothing.
const DefaultAnswerMinLen = 15

// CheckAnswer is the one rule for the answer a lead department resolves a
// demand with (web, API and Open311 reach it through PlanTransition):
// at least the category's AnswerMinLen characters (spaces at either end
// not counted) and, where the category asks for one, a file uploaded
// since the demand was accepted (files). cat may be nil (the defaults).
func CheckAnswer(cat *Category, answer string, files int) error {
	minLen, needFile, name := DefaultAnswerMinLen, false, ""
	if cat != nil {
		if cat.AnswerMinLen > 0 {
			minLen = cat.AnswerMinLen
		}
		needFile, name = cat.AnswerFileRequired, cat.Name
	}
	var v Validation
	if n := utf8.RuneCountInString(strings.TrimSpace(answer)); n < minLen {
		v.Add("resolution", fmt.Sprintf("办理结果（答复企业的内容）不少于%d个字，当前%d个字", minLen, n))
	}
	if needFile && files == 0 {
		v.Add("file", fmt.Sprintf("类别“%s”办结前须上传书面答复或审批文件（签收后上传的附件）", name))
	}
	return v.Err()
}

// ReplyTemplate is a reply (常用回复) the handling staff start an answer or
// a progress note from. CategoryID 0 serves every category; DeptID 0 is
// shared by the zone (kept by administrators), else it is a department's
// own (kept by its staff).
type ReplyTemplate struct {
	ID           int64     `json:"id"`
	CategoryID   int64     `json:"category_id,omitempty"`
	CategoryName string    `json:"category_name,omitempty"`
	DeptID       int64     `json:"dept_id,omitempty"`
	DeptName     string    `json:"dept_name,omitempty"`
	Title        string    `json:"title"`
	Body         string    `json:"body"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// ReplyPlaceholders are the placeholders a template's body may hold, in
// the order the form lists them.
var ReplyPlaceholders = []string{"{企业名称}", "{诉求编号}", "{诉求标题}", "{主办部门}", "{日期}"}

// Validate normalises and checks the template.
func (t *ReplyTemplate) Validate() error {
	var v Validation
	t.Title, t.Body = strings.TrimSpace(t.Title), strings.TrimSpace(t.Body)
	if t.Title == "" || utf8.RuneCountInString(t.Title) > 40 {
		v.Add("title", "请填写模板名称（不超过40个字）")
	}
	if t.Body == "" || utf8.RuneCountInString(t.Body) > 2000 {
		v.Add("body", "请填写回复内容（不超过2000个字）")
	}
	for rest := t.Body; ; {
		i := strings.IndexRune(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexRune(rest[i:], '}')
		if j < 0 {
			break
		}
		if ph := rest[i : i+j+1]; !slices.Contains(ReplyPlaceholders, ph) {
			v.Add("body", fmt.Sprintf("未知的占位符%s，可用：%s", ph, strings.Join(ReplyPlaceholders, " ")))
			break
		}
		rest = rest[i+j+1:]
	}
	return v.Err()
}

// ReplyTemplateFacts are the ownership facts of a template: its
// department (0 for a shared one, which no department owns).
func ReplyTemplateFacts(t *ReplyTemplate) Facts { return Facts{DeptID: t.DeptID} }

// FillReply returns body with its placeholders replaced by d's values and
// the date of now (Asia/Shanghai).
func FillReply(body string, d *Demand, now time.Time) string {
	return strings.NewReplacer(
		"{企业名称}", d.EnterpriseName,
		"{诉求编号}", "#"+strconv.FormatInt(d.ID, 10),
		"{诉求标题}", d.Title,
		"{主办部门}", d.LeadDeptName,
		"{日期}", now.In(Shanghai).Format("2006年1月2日"),
	).Replace(body)
}

// ReplyTemplateFilter selects templates; zero fields do not filter.
type ReplyTemplateFilter struct {
	// ForDemand keeps the templates that serve the demand: of its
	// category or every category, shared or of its lead department or
	// the caller's.
	ForDemand *Demand
	DeptID    int64
}

// ReplyTemplateService keeps the reply templates.
type ReplyTemplateService interface {
	// FindReplyTemplates lists the templates the caller may read
	// (PermReplyTemplateView), shared ones first, then by department and
	// title.
	FindReplyTemplates(ctx context.Context, f ReplyTemplateFilter) ([]*ReplyTemplate, error)
	// FindReplyTemplateByID returns ENOTFOUND when there is none or the
	// caller may not read templates.
	FindReplyTemplateByID(ctx context.Context, id int64) (*ReplyTemplate, error)
	// CreateReplyTemplate validates t and stores it (PermReplyTemplateEdit
	// on t's department).
	CreateReplyTemplate(ctx context.Context, t *ReplyTemplate) error
	// UpdateReplyTemplate changes the template if it still has t.Version
	// (ECONFLICT otherwise); the caller must be allowed to edit it both as
	// it was and as it becomes.
	UpdateReplyTemplate(ctx context.Context, t *ReplyTemplate) error
	// DeleteReplyTemplate removes the template.
	DeleteReplyTemplate(ctx context.Context, id int64) error
}
