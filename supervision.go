package zhagen

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"zhagen/sla"
)

// SupervisionStatus is where a supervision order (督办单) stands.
type SupervisionStatus string

// Supervision order statuses.
const (
	SupervisionOpen    SupervisionStatus = "open"    // waiting for the addressee's reply
	SupervisionReplied SupervisionStatus = "replied" // replied, waiting for the issuer to close it
	SupervisionClosed  SupervisionStatus = "closed"  // closed by the issuer
)

// SupervisionStatuses lists the statuses in display order.
var SupervisionStatuses = []SupervisionStatus{SupervisionOpen, SupervisionReplied, SupervisionClosed}

var supervisionStatusLabels = map[SupervisionStatus]string{SupervisionOpen: "待回复", SupervisionReplied: "已回复", SupervisionClosed: "已办结"}

// Label returns the Chinese name of the status.
func (s SupervisionStatus) Label() string { return supervisionStatusLabels[s] }

// SubjectKind is what a supervision order is about.
type SubjectKind string

// Subjects of a supervision order.
const (
	SubjectDemand     SubjectKind = "demand"      // a demand (诉求)
	SubjectActionItem SubjectKind = "action_item" // a consultation's action item (会商事项)
	SubjectApproval   SubjectKind = "approval"    // a key project's approval (审批事项)
)

// SubjectKinds lists the subjects.
var SubjectKinds = []SubjectKind{SubjectDemand, SubjectActionItem, SubjectApproval}

var subjectLabels = map[SubjectKind]string{SubjectDemand: "诉求", SubjectActionItem: "会商事项", SubjectApproval: "审批事项"}

// Label returns the Chinese name of the subject kind.
func (k SubjectKind) Label() string { return subjectLabels[k] }

// Valid reports whether k is a known subject kind.
func (k SubjectKind) Valid() bool { _, ok := subjectLabels[k]; return ok }

// SupervisionOrder is a supervision order (督办单 / 催办): the command
// centre or a leader (or the escalation ladder) requires a department to
// act on a demand, an action item or an approval and to reply in writing
// by ReplyDue (working hours on the calendar); the issuer closes it. An
// order left unanswered past ReplyDue escalates once, to the head of the
// department above (or the leaders).
type SupervisionOrder struct {
	ID           int64             `json:"id"`
	Year         int               `json:"year"`
	Seq          int               `json:"seq"`
	SubjectKind  SubjectKind       `json:"subject_kind"`
	SubjectID    int64             `json:"subject_id"`
	SubjectTitle string            `json:"subject_title"`
	DemandID     int64             `json:"demand_id,omitempty"` // the demand, when the subject is one
	DeptID       int64             `json:"dept_id"`             // the addressee department (承办单位)
	DeptName     string            `json:"dept_name"`
	Requirement  string            `json:"requirement"` // 督办要求
	IssuerID     int64             `json:"issuer_id,omitempty"`
	IssuerName   string            `json:"issuer_name"`
	Auto         bool              `json:"auto"` // raised by the escalation ladder
	Status       SupervisionStatus `json:"status"`
	ReplyHours   int               `json:"reply_hours"`
	ReplyDue     time.Time         `json:"reply_due"`

	ReplyProgress string     `json:"reply_progress,omitempty"` // 办理进展
	PromisedDate  string     `json:"promised_date,omitempty"`  // 承诺办结日期, YYYY-MM-DD
	RepliedBy     string     `json:"replied_by,omitempty"`
	RepliedAt     *time.Time `json:"replied_at,omitempty"`
	CloseNote     string     `json:"close_note,omitempty"`
	ClosedBy      string     `json:"closed_by,omitempty"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
	EscalatedTo   int64      `json:"escalated_to,omitempty"` // the department above told, 0 for the leaders
	EscalatedAt   *time.Time `json:"escalated_at,omitempty"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Number is the order's printed number, e.g. 督办〔2026〕第12号.
func (o *SupervisionOrder) Number() string { return SupervisionNumber(o.Year, o.Seq) }

// SupervisionNumber formats the number of the seq-th order of year.
func SupervisionNumber(year, seq int) string { return fmt.Sprintf("督办〔%d〕第%d号", year, seq) }

// Overdue reports whether the order waits for its reply past ReplyDue at now.
func (o *SupervisionOrder) Overdue(now time.Time) bool {
	return o.Status == SupervisionOpen && !now.Before(o.ReplyDue)
}

// Facts are the order's facts for the policy: the addressee department
// owns it, the issuer is its person.
func (o *SupervisionOrder) Facts() Facts { return Facts{DeptID: o.DeptID, UserID: o.IssuerID} }

// Link is where the order is shown.
func (o *SupervisionOrder) Link() string { return fmt.Sprintf("/supervision/%d", o.ID) }

// MaxRequirement is the longest requirement, reply or close note, in characters.
const MaxRequirement = 2000

// Validate checks what the issuer typed.
func (o *SupervisionOrder) Validate() error {
	var v Validation
	o.Requirement = strings.TrimSpace(o.Requirement)
	if !o.SubjectKind.Valid() {
		v.Add("subject_kind", "请选择督办对象")
	}
	if o.SubjectID <= 0 {
		v.Add("subject_id", "请选择督办事项")
	}
	if o.DeptID <= 0 {
		v.Add("dept_id", "请选择承办单位")
	}
	if o.Requirement == "" {
		v.Add("requirement", "请填写督办要求")
	} else if utf8.RuneCountInString(o.Requirement) > MaxRequirement {
		v.Add("requirement", fmt.Sprintf("督办要求不能超过%d个字", MaxRequirement))
	}
	if o.ReplyHours < 1 || o.ReplyHours > 200 {
		v.Add("reply_hours", "回复时限须在 1 到 200 个工作小时之间")
	}
	return v.Err()
}

// ReplyDueAt is the reply due time of an order raised at now with hours
// working hours to reply.
func ReplyDueAt(cal *sla.Calendar, now time.Time, hours int) time.Time {
	return cal.Due(now, sla.Duration{Amount: hours, Unit: sla.Hours})
}

// SupervisionReply is the addressee's reply: progress and the date it
// promises to finish by.
type SupervisionReply struct {
	Progress     string `json:"progress"`
	PromisedDate string `json:"promised_date"` // YYYY-MM-DD
	Version      int64  `json:"version"`
}

// Validate checks the reply; the promised date may not be before today.
func (r *SupervisionReply) Validate(now time.Time) error {
	var v Validation
	r.Progress, r.PromisedDate = strings.TrimSpace(r.Progress), strings.TrimSpace(r.PromisedDate)
	if r.Progress == "" {
		v.Add("progress", "请填写办理进展")
	} else if utf8.RuneCountInString(r.Progress) > MaxRequirement {
		v.Add("progress", fmt.Sprintf("办理进展不能超过%d个字", MaxRequirement))
	}
	if d, err := time.ParseInLocation("2006-01-02", r.PromisedDate, Shanghai); err != nil {
		v.Add("promised_date", "请填写承诺办结日期，格式如 2026-10-12")
	} else if y, m, dd := now.In(Shanghai).Date(); d.Before(time.Date(y, m, dd, 0, 0, 0, 0, Shanghai)) {
		v.Add("promised_date", "承诺办结日期不能早于今天")
	}
	return v.Err()
}

// SupervisionClose is the issuer's closing of an order.
type SupervisionClose struct {
	Note    string `json:"note"`
	Version int64  `json:"version"`
}

// Validate checks the note.
func (c *SupervisionClose) Validate() error {
	c.Note = strings.TrimSpace(c.Note)
	if utf8.RuneCountInString(c.Note) > MaxRequirement {
		return &Error{Code: EINVALID, Field: "note", Message: fmt.Sprintf("办结意见不能超过%d个字", MaxRequirement)}
	}
	return nil
}

// SupervisionFilter narrows a list of orders.
type SupervisionFilter struct {
	Status  SupervisionStatus // "" any; "open" also matches nothing else
	Open    bool              // open or replied: not closed
	Overdue bool              // open, and its reply due time has come by the current minute
	DeptID  int64
	Mine    bool // addressed to the actor's department or issued by the actor
	Latest  bool // the latest reply due time first (else the earliest)
	Limit   int
	Offset  int // orders skipped before the first returned
}

// SupervisionTally counts one addressee department's orders by state,
// within the actor's view: the supervision page's summary.
type SupervisionTally struct {
	DeptID    int64  `json:"dept_id"`
	DeptName  string `json:"dept_name"`
	Open      int    `json:"open"`      // not replied yet
	Overdue   int    `json:"overdue"`   // of Open, past the reply due time
	Escalated int    `json:"escalated"` // not closed, escalated to the department above
	Replied   int    `json:"replied"`   // replied, waiting to be closed
	Closed    int    `json:"closed"`
}

// Pending is the orders not closed yet.
func (t *SupervisionTally) Pending() int { return t.Open + t.Replied }

// TallyCount is how many orders of tallies f selects (its status, overdue
// and department; f.Mine is not counted): a paged list's total.
func TallyCount(tallies []*SupervisionTally, f SupervisionFilter) int {
	n := 0
	for _, t := range tallies {
		if f.DeptID != 0 && t.DeptID != f.DeptID {
			continue
		}
		switch {
		case f.Overdue:
			n += t.Overdue
		case f.Status == SupervisionOpen:
			n += t.Open
		case f.Status == SupervisionReplied:
			n += t.Replied
		case f.Status == SupervisionClosed:
			n += t.Closed
		case f.Open:
			n += t.Pending()
		default:
			n += t.Pending() + t.Closed
		}
	}
	return n
}

// LadderCount is how often one department's demands reached one rung.
type LadderCount struct {
	DeptID   int64      `json:"dept_id"`
	DeptName string     `json:"dept_name"`
	Rung     LadderRung `json:"rung"`
	Count    int        `json:"count"`
}

// SupervisionService keeps supervision orders and the ladder's rules.
type SupervisionService interface {
	// RaiseSupervision files an order (dispatcher or leader): fills its
	// subject's title, number, reply due time and issuer.
	RaiseSupervision(ctx context.Context, o *SupervisionOrder) error
	FindSupervision(ctx context.Context, id int64) (*SupervisionOrder, error)
	FindSupervisions(ctx context.Context, f SupervisionFilter) ([]*SupervisionOrder, error)
	// SupervisionTallies counts the orders within the actor's view per
	// addressee department, the overdue ones as of the current minute.
	SupervisionTallies(ctx context.Context) ([]*SupervisionTally, error)
	// ReplySupervision records the addressee's reply, once.
	ReplySupervision(ctx context.Context, id int64, r SupervisionReply) (*SupervisionOrder, error)
	// CloseSupervision closes a replied (or open) order, once.
	CloseSupervision(ctx context.Context, id int64, c SupervisionClose) (*SupervisionOrder, error)

	// LadderRules lists the configured rules (admin).
	LadderRules(ctx context.Context) ([]*LadderRule, error)
	// SetLadderRule adds or replaces the rule of a category and priority (admin).
	SetLadderRule(ctx context.Context, r *LadderRule) error
	// DeleteLadderRule removes a rule (admin).
	DeleteLadderRule(ctx context.Context, categoryID int64, p Priority) error
	// LadderCounts counts the rungs reached per lead department, within
	// the actor's view.
	LadderCounts(ctx context.Context) ([]*LadderCount, error)
}
