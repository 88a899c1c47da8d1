package zhagen

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"zhagen/sla"
)

// FollowUpKind says why a demand is followed up (回访).
type FollowUpKind string

// Follow-up kinds: a demand ends in one of three ways that the command
// centre checks by telephone or visit.
const (
	FollowUpRated      FollowUpKind = "rated"      // the enterprise rated it and it closed
	FollowUpUnrated    FollowUpKind = "unrated"    // closed by the scheduler without a rating
	FollowUpWithdrawal FollowUpKind = "withdrawal" // the submitter withdrew it: 撤单核查
)

// FollowUpKinds lists the kinds in display order.
var FollowUpKinds = []FollowUpKind{FollowUpRated, FollowUpUnrated, FollowUpWithdrawal}

var followUpKindLabels = map[FollowUpKind]string{FollowUpRated: "评价后回访", FollowUpUnrated: "未评价回访", FollowUpWithdrawal: "撤单核查"}

// Label returns the Chinese name of the kind.
func (k FollowUpKind) Label() string { return followUpKindLabels[k] }

// Valid reports whether k is a known kind.
func (k FollowUpKind) Valid() bool { return followUpKindLabels[k] != "" }

// FollowUpResult is what a follow-up found.
type FollowUpResult string

// Follow-up results.
const (
	FollowUpSolved    FollowUpResult = "solved"    // the enterprise confirms the problem solved
	FollowUpUnsolved  FollowUpResult = "unsolved"  // it says the problem is not solved
	FollowUpUnreached FollowUpResult = "unreached" // nobody could be reached
)

// FollowUpResults lists the results in form order.
var FollowUpResults = []FollowUpResult{FollowUpSolved, FollowUpUnsolved, FollowUpUnreached}

var followUpResultLabels = map[FollowUpResult]string{FollowUpSolved: "确认已解决", FollowUpUnsolved: "未解决", FollowUpUnreached: "未能联系上"}

// Label returns the Chinese name of the result.
func (r FollowUpResult) Label() string { return followUpResultLabels[r] }

// FollowUpMethod is how the enterprise was reached.
type FollowUpMethod string

// Follow-up methods.
const (
	FollowUpPhone FollowUpMethod = "phone"
	FollowUpVisit FollowUpMethod = "visit"
)

// FollowUpMethods lists the methods in form order.
var FollowUpMethods = []FollowUpMethod{FollowUpPhone, FollowUpVisit}

var followUpMethodLabels = map[FollowUpMethod]string{FollowUpPhone: "电话回访", FollowUpVisit: "上门回访"}

// Label returns the Chinese name of the method.
func (m FollowUpMethod) Label() string { return followUpMethodLabels[m] }

// DefaultFollowUpDays is the working days a follow-up is due within when
// the demand's category says nothing.
const DefaultFollowUpDays = 3

// FollowUp is one follow-up (回访) of a demand that ended: made by the
// command centre within FollowUpDays working days, its result recorded
// once.
type FollowUp struct {
	ID             int64        `json:"id"`
	DemandID       int64        `json:"demand_id"`
	DemandTitle    string       `json:"demand_title"`
	EnterpriseID   int64        `json:"enterprise_id,omitempty"`
	EnterpriseName string       `json:"enterprise_name,omitempty"`
	LeadDeptID     int64        `json:"lead_dept_id,omitempty"`
	LeadDeptName   string       `json:"lead_dept_name,omitempty"`
	Kind           FollowUpKind `json:"kind"`
	DueAt          time.Time    `json:"due_at"`
	CreatedAt      time.Time    `json:"created_at"`

	// The result, empty until recorded.
	Result       FollowUpResult `json:"result,omitempty"`
	Method       FollowUpMethod `json:"method,omitempty"`
	Satisfaction Rating         `json:"satisfaction,omitempty"` // what the enterprise said, when reached
	Note         string         `json:"note,omitempty"`
	// Pressed is the withdrawal check's answer: was the enterprise
	// pressed to withdraw? A yes flags the follow-up.
	Pressed    *bool      `json:"pressed,omitempty"`
	Reopened   bool       `json:"reopened"` // the demand was sent back to work
	DoneByID   int64      `json:"done_by_id,omitempty"`
	DoneByName string     `json:"done_by_name,omitempty"`
	DoneAt     *time.Time `json:"done_at,omitempty"`
	Version    int64      `json:"version"`
}

// Done reports whether the result is recorded.
func (f *FollowUp) Done() bool { return f.DoneAt != nil }

// Flagged reports whether the withdrawal check found the enterprise was
// pressed to withdraw.
func (f *FollowUp) Flagged() bool { return f.Pressed != nil && *f.Pressed }

// Light is the follow-up's due colour at now (亮灯): red once overdue,
// yellow on its last day (less than 24 hours left), green before; a
// recorded follow-up keeps no colour (SLAOK).
func (f *FollowUp) Light(now time.Time) SLALevel {
	switch {
	case f.Done():
		return SLAOK
	case !now.Before(f.DueAt):
		return SLARed
	case f.DueAt.Sub(now) < 24*time.Hour:
		return SLAYellow
	}
	return SLAOK
}

// FollowUpFacts are the ownership facts of a follow-up: its demand's
// lead department.
func FollowUpFacts(f *FollowUp) Facts { return Facts{DeptID: f.LeadDeptID} }

// PlannedFollowUp is a follow-up a step creates with the demand's change.
type PlannedFollowUp struct {
	Kind  FollowUpKind
	DueAt time.Time
}

// followUpDue is when a follow-up created at now is due: days working
// days on cal (DefaultFollowUpDays when days is 0).
func followUpDue(cal *sla.Calendar, now time.Time, days int) time.Time {
	if days <= 0 {
		days = DefaultFollowUpDays
	}
	return cal.Due(now, sla.Duration{Amount: days, Unit: sla.Days})
}

// FollowUpRecord is the result of a follow-up as the caller gives it.
type FollowUpRecord struct {
	Version      int64          `json:"version,omitempty"` // optional optimistic check
	Result       FollowUpResult `json:"result"`
	Method       FollowUpMethod `json:"method"`
	Satisfaction Rating         `json:"satisfaction,omitempty"`
	Note         string         `json:"note,omitempty"`
	Pressed      *bool          `json:"pressed,omitempty"`
	// Reopen asks, on a withdrawal check, to send the demand back to
	// work; an unsolved rated or unrated demand is always reopened.
	Reopen bool `json:"reopen,omitempty"`
}

// Validate normalises and checks rec for a follow-up of kind k: a result
// and a method; when the enterprise was reached, the satisfaction heard
// and, on a withdrawal check, whether it was pressed; a note on an
// unsolved result or a yes to pressed.
func (rec *FollowUpRecord) Validate(k FollowUpKind) error {
	var v Validation
	rec.Note = strings.TrimSpace(rec.Note)
	if followUpResultLabels[rec.Result] == "" {
		v.Add("result", "请选择回访结果")
	}
	if followUpMethodLabels[rec.Method] == "" {
		v.Add("method", "请选择回访方式（电话或上门）")
	}
	reached := rec.Result == FollowUpSolved || rec.Result == FollowUpUnsolved
	switch {
	case reached && ratingLabels[rec.Satisfaction] == "":
		v.Add("satisfaction", "请记录企业表达的满意程度")
	case !reached && rec.Satisfaction != "":
		v.Add("satisfaction", "未联系上企业时不能记录满意程度")
	}
	if k == FollowUpWithdrawal {
		if reached && rec.Pressed == nil {
			v.Add("pressed", "请说明企业是否被要求撤单")
		}
	} else {
		if rec.Pressed != nil {
			v.Add("pressed", "只有撤单核查记录是否被要求撤单")
		}
		if rec.Reopen {
			v.Add("reopen", "回访未解决时诉求自动重新办理，无需另选")
		}
	}
	if !reached && rec.Reopen {
		v.Add("reopen", "未联系上企业时不能重新办理")
	}
	if (rec.Result == FollowUpUnsolved || rec.Pressed != nil && *rec.Pressed) && rec.Note == "" {
		v.Add("note", "回访未解决或企业被要求撤单时，请填写情况说明")
	}
	if utf8.RuneCountInString(rec.Note) > 2000 {
		v.Add("note", "情况说明不能超过2000个字")
	}
	return v.Err()
}

// Reopens reports whether recording rec on a follow-up of kind k sends
// the demand back to work: an unsolved rated or unrated demand always,
// a withdrawal check when asked.
func (rec *FollowUpRecord) Reopens(k FollowUpKind) bool {
	if k == FollowUpWithdrawal {
		return rec.Reopen
	}
	return rec.Result == FollowUpUnsolved
}

// FollowUpReopenNote is the timeline note of a demand reopened by a
// follow-up.
func FollowUpReopenNote(k FollowUpKind, rec *FollowUpRecord) string {
	head := "回访核实问题未解决，重新办理"
	if k == FollowUpWithdrawal {
		head = "撤单核查后重新办理"
		if rec.Pressed != nil && *rec.Pressed {
			head = "撤单核查：企业反映被要求撤单，重新办理"
		}
	}
	return strings.TrimSpace(head + "。" + rec.Note)
}

// FollowUpNote is the internal timeline note of a recorded follow-up.
func FollowUpNote(k FollowUpKind, rec *FollowUpRecord) string {
	s := fmt.Sprintf("%s（%s）：%s", k.Label(), rec.Method.Label(), rec.Result.Label())
	if rec.Satisfaction != "" {
		s += "，企业表示" + rec.Satisfaction.Label()
	}
	if rec.Pressed != nil {
		if *rec.Pressed {
			s += "，企业反映曾被要求撤单"
		} else {
			s += "，企业确认系自愿撤单"
		}
	}
	return strings.TrimSpace(s + "。" + rec.Note)
}

// FollowUpFilter selects follow-ups; zero fields do not filter.
type FollowUpFilter struct {
	// Status is "open" (not recorded), "overdue" (open and past due),
	// "done" (recorded), "flagged" (a withdrawal check that found the
	// enterprise pressed) or "" (all).
	Status string
	Kind   FollowUpKind
	// DueBefore keeps open follow-ups due before it (the workbench's
	// "due today").
	DueBefore *time.Time
	DemandID  int64
	// Sort is "due" (default: earliest due first), "-due", "created" or
	// "-created".
	Sort          string
	Limit, Offset int
}

// Validate checks the filter's words.
func (f *FollowUpFilter) Validate() error {
	switch f.Status {
	case "", "open", "overdue", "done", "flagged":
	default:
		return &Error{Code: EINVALID, Field: "status", Message: "状态须为 open、overdue、done 或 flagged"}
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return &Error{Code: EINVALID, Field: "kind", Message: "回访类型须为 rated、unrated 或 withdrawal"}
	}
	switch f.Sort {
	case "", "due", "-due", "created", "-created":
	default:
		return &Error{Code: EINVALID, Field: "sort", Message: "排序须为 due、-due、created 或 -created"}
	}
	return nil
}

// FollowUpService keeps the follow-ups. Follow-ups are created by the
// demand workflow (Plan.FollowUp), never by hand.
type FollowUpService interface {
	// FindFollowUps returns a page of follow-ups in the caller's scope
	// (PermFollowUpView) and their total.
	FindFollowUps(ctx context.Context, f FollowUpFilter) ([]*FollowUp, int, error)
	// FindFollowUpByID returns ENOTFOUND outside the caller's scope.
	FindFollowUpByID(ctx context.Context, id int64) (*FollowUp, error)
	// RecordFollowUp records the result once (PermFollowUpRecord):
	// ECONFLICT when it was recorded already or Version is stale,
	// EINVALID naming the field. An unsolved result (or a withdrawal
	// check asked to) reopens the demand through the workflow in the same
	// transaction; a yes to pressed tells the dispatchers and leaders.
	RecordFollowUp(ctx context.Context, id int64, rec FollowUpRecord) (*FollowUp, error)
}

func followUpLink(id int64) string { return fmt.Sprintf("/follow-ups/%d", id) }

// NoticeFollowUpDue tells the dispatchers a follow-up of d is to be made
// by due (its kind names what to check).
func NoticeFollowUpDue(d *Demand, k FollowUpKind, due time.Time) Notice {
	return Notice{Kind: "followup.due", Severity: SeverityInfo, To: dispatchers(),
		Title: Msg("notice.followup.due", d.ID, d.Title), Body: Msg("notice.followup.due."+string(k), due.In(Shanghai).Format("2006-01-02 15:04")),
		Link: "/follow-ups"}
}

// NoticeWithdrawalPressed tells the dispatchers and the leaders that a
// withdrawal check found the enterprise was pressed to withdraw; the
// body is the note.
func NoticeWithdrawalPressed(f *FollowUp, note string) Notice {
	return Notice{Kind: "followup.pressed", Severity: SeverityUrgent, To: Recipients{Roles: []Role{RoleDispatcher, RoleLeader}},
		Title: Msg("notice.followup.pressed", f.DemandID, f.DemandTitle), Body: text(note), Link: followUpLink(f.ID)}
}
