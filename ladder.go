package zhagen

import (
	"fmt"
	"slices"
	"time"

	"zhagen/sla"
)

// The escalation ladder (升级阶梯): as a demand's clock runs out, the
// people told climb one rung at a time. Each rung is reached once per
// demand (sqldb records it with a unique key), goes on the timeline and is
// counted for the lead department.

// LadderRung is one step of the escalation ladder.
type LadderRung string

// The rungs, in the order a late demand climbs them.
const (
	// RungResponseOverdue: the response (sign-for) deadline passed and the
	// lead department has not accepted: its head and the dispatchers are told.
	RungResponseOverdue LadderRung = "response_overdue"
	// RungResolutionWarn: the share WarnPct of the resolution limit's
	// working time is used: the handling staff (the lead department's
	// staff) are told.
	RungResolutionWarn LadderRung = "resolution_warn"
	// RungOverdue: the resolution limit passed: the lead department's head
	// is told, and each cooperating department that its part is late.
	RungOverdue LadderRung = "overdue"
	// RungSupervise: overdue by SuperviseDays working days: a supervision
	// order goes to the lead department's head with the leaders in copy.
	RungSupervise LadderRung = "supervise"
)

// LadderRungs lists the rungs from the lowest.
var LadderRungs = []LadderRung{RungResponseOverdue, RungResolutionWarn, RungOverdue, RungSupervise}

var rungLabels = map[LadderRung]string{
	RungResponseOverdue: "签收超时", RungResolutionWarn: "办结时限预警", RungOverdue: "办结超期", RungSupervise: "超期督办",
}

// Label returns the Chinese name of the rung.
func (r LadderRung) Label() string { return rungLabels[r] }

// Valid reports whether r is a known rung.
func (r LadderRung) Valid() bool { _, ok := rungLabels[r]; return ok }

// LadderRule configures the ladder for the demands of one category and
// priority; CategoryID 0 and Priority "" mean "any".
type LadderRule struct {
	CategoryID    int64     `json:"category_id"`
	CategoryName  string    `json:"category_name,omitempty"`
	Priority      Priority  `json:"priority"`
	WarnPct       int       `json:"warn_pct"`       // resolution warning once this share (%) of the limit is used
	SuperviseDays int       `json:"supervise_days"` // a supervision order this many working days past the limit
	ReplyHours    int       `json:"reply_hours"`    // working hours the addressee has to reply to the order
	UpdatedBy     string    `json:"updated_by,omitempty"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// DefaultLadderRule is the ladder when no rule is configured: warn at
// 75 %, supervise 2 working days past the limit, reply within 16 working
// hours (two working days).
var DefaultLadderRule = LadderRule{WarnPct: 75, SuperviseDays: 2, ReplyHours: 16}

// Validate checks the rule's numbers.
func (r *LadderRule) Validate() error {
	var v Validation
	if r.Priority != "" && !r.Priority.Valid() {
		v.Add("priority", "请选择优先级")
	}
	if r.WarnPct < 10 || r.WarnPct > 99 {
		v.Add("warn_pct", "预警比例须在 10% 到 99% 之间")
	}
	if r.SuperviseDays < 0 || r.SuperviseDays > 30 {
		v.Add("supervise_days", "超期督办天数须在 0 到 30 个工作日之间")
	}
	if r.ReplyHours < 1 || r.ReplyHours > 200 {
		v.Add("reply_hours", "督办回复时限须在 1 到 200 个工作小时之间")
	}
	return v.Err()
}

// PickLadderRule returns the rule for a demand of the category and
// priority: the most specific configured one (category and priority, then
// category, then priority, then any), else DefaultLadderRule.
func PickLadderRule(rules []*LadderRule, categoryID int64, p Priority) LadderRule {
	best, score := DefaultLadderRule, -1
	for _, r := range rules {
		if (r.CategoryID != 0 && r.CategoryID != categoryID) || (r.Priority != "" && r.Priority != p) {
			continue
		}
		s := 0
		if r.CategoryID != 0 {
			s += 2
		}
		if r.Priority != "" {
			s++
		}
		if s > score {
			best, score = *r, s
		}
	}
	return best
}

// LadderRungsDue returns the rungs demand d has reached at now under rule
// r, lowest first, whether or not they were recorded before; budget is the
// working time of its resolution limit. Rungs on the resolution clock
// count only while the clock runs (open, not waiting for the enterprise).
func LadderRungsDue(r LadderRule, cal *sla.Calendar, now time.Time, d *Demand, budget time.Duration) []LadderRung {
	var out []LadderRung
	if d.Status == DemandAssigned && d.AcceptedAt == nil && d.ResponseDue != nil && !now.Before(*d.ResponseDue) {
		out = append(out, RungResponseOverdue)
	}
	if d.ResolutionDue == nil || !d.Status.Open() || d.Status == DemandWaiting || d.Status == DemandSubmitted || d.Status == DemandResolved {
		return out
	}
	due := *d.ResolutionDue
	if now.Before(due) {
		if budget > 0 && UsedPct(cal, now, due, budget) >= r.WarnPct {
			out = append(out, RungResolutionWarn)
		}
		return out
	}
	out = append(out, RungResolutionWarn, RungOverdue)
	if !now.Before(SuperviseAt(r, cal, due)) {
		out = append(out, RungSupervise)
	}
	return out
}

// SuperviseAt is when a demand due at due gets its supervision order:
// r.SuperviseDays working days later.
func SuperviseAt(r LadderRule, cal *sla.Calendar, due time.Time) time.Time {
	return cal.AddWorking(due, cal.WorkingTime(sla.Duration{Amount: r.SuperviseDays, Unit: sla.Days}))
}

// UsedPct is the share (0–100, more once past) of a limit with the given
// working-time budget, due at due, that is used at now.
func UsedPct(cal *sla.Calendar, now, due time.Time, budget time.Duration) int {
	if budget <= 0 {
		return 0
	}
	if !now.Before(due) {
		return 100 + int(100*cal.WorkingBetween(due, now)/budget)
	}
	left := cal.WorkingBetween(now, due)
	return int(100 * (budget - left) / budget)
}

// LadderNote is the timeline note of a rung reached, with the limit's due
// time.
func LadderNote(r LadderRung, due time.Time, days int) string {
	switch r {
	case RungResponseOverdue:
		return "已超过签收时限 " + shanghaiMinute(due) + "，已提醒主办部门负责人和指挥中心"
	case RungResolutionWarn:
		return "办结时限将于 " + shanghaiMinute(due) + " 到期，已提醒承办人员"
	case RungOverdue:
		return "已超过办结时限 " + shanghaiMinute(due) + "，已提醒主办部门负责人和协办部门"
	case RungSupervise:
		return fmt.Sprintf("超过办结时限 %d 个工作日，已自动生成督办单", days)
	}
	return string(r)
}

// DeptHeadIDs picks the heads of a department among its staff: those of
// the highest rank (职级); nil when no staff member has a rank, so that the
// caller tells the whole department instead.
func DeptHeadIDs(staff []*User) []int64 {
	top := 0
	for _, u := range staff {
		top = max(top, RankLevel(u.Rank))
	}
	if top == 0 {
		return nil
	}
	var out []int64
	for _, u := range staff {
		if RankLevel(u.Rank) == top {
			out = append(out, u.ID)
		}
	}
	slices.Sort(out)
	return out
}

// Light is a demand's 亮灯 state: green, yellow or red, with the reason.
type Light struct {
	Tone string    `json:"tone,omitempty"` // green, yellow, red ("" when the demand runs no clock)
	Kind string    `json:"kind,omitempty"` // "response" or "resolution": which limit
	Pct  int       `json:"pct,omitempty"`  // share of the limit's working time used
	Due  time.Time `json:"due,omitzero"`
}

// DemandLight is d's light at now: red once a limit passed, yellow from
// warnPct of the resolution limit, else green. budget is the resolution
// limit's working time; the response limit's is taken from the
// assignment.
func DemandLight(cal *sla.Calendar, now time.Time, d *Demand, budget time.Duration, warnPct int) Light {
	if !d.Status.Open() || d.Status == DemandSubmitted || d.Status == DemandWaiting {
		return Light{}
	}
	if d.AcceptedAt == nil && d.ResponseDue != nil && d.Status == DemandAssigned {
		l := Light{Tone: "green", Kind: "response", Due: *d.ResponseDue}
		if d.AssignedAt != nil {
			l.Pct = UsedPct(cal, now, *d.ResponseDue, cal.WorkingBetween(*d.AssignedAt, *d.ResponseDue))
		}
		if !now.Before(*d.ResponseDue) {
			l.Tone = "red"
		}
		return l
	}
	if d.ResolutionDue == nil {
		return Light{}
	}
	l := Light{Tone: "green", Kind: "resolution", Due: *d.ResolutionDue, Pct: UsedPct(cal, now, *d.ResolutionDue, budget)}
	switch {
	case !now.Before(*d.ResolutionDue):
		l.Tone = "red"
	case l.Pct >= warnPct:
		l.Tone = "yellow"
	}
	return l
}
