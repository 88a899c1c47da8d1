package zhagen

import (
	"fmt"
	"time"
)

// Notices of the escalation ladder and of supervision orders. Kinds are
// "ladder.<rung>", "ladder.coop_late" and "supervision.<event>"; red rungs
// are SeverityUrgent so that quiet hours let them through.

// headsOr selects the heads of a department, or its whole staff when it
// has no head (no ranked staff).
func headsOr(heads []int64, dept int64) Recipients {
	if len(heads) > 0 {
		return Recipients{Users: heads}
	}
	return Recipients{DeptStaff: []int64{dept}}
}

func dueText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return shanghaiMinute(*t)
}

// NoticeLadder tells who rung r of the ladder reaches on demand d: the
// lead department's heads (heads; its staff when nil) and the dispatchers
// when the response limit passed; the handling staff at the resolution
// warning; the heads when the resolution limit passed.
func NoticeLadder(d *Demand, r LadderRung, heads []int64) Notice {
	n := Notice{Kind: "ladder." + string(r), Severity: SeverityWarning, Link: demandLink(d.ID),
		Title: Msg("notice.ladder."+string(r), d.ID, d.Title)}
	switch r {
	case RungResponseOverdue:
		n.To = headsOr(heads, d.LeadDeptID)
		n.To.Roles = []Role{RoleDispatcher}
		n.Body = Msg("notice.ladder.response_overdue.body", d.LeadDeptName, dueText(d.ResponseDue))
	case RungResolutionWarn:
		n.To = leadStaff(d)
		n.Body = Msg("notice.ladder.resolution_warn.body", dueText(d.ResolutionDue))
	case RungOverdue:
		n.Severity = SeverityUrgent
		n.To = headsOr(heads, d.LeadDeptID)
		n.Body = Msg("notice.ladder.overdue.body", d.LeadDeptName, dueText(d.ResolutionDue))
	}
	return n
}

// NoticeCoopLate tells the cooperating departments of d that their part
// is late: the resolution limit passed.
func NoticeCoopLate(d *Demand) Notice {
	return Notice{Kind: "ladder.coop_late", Severity: SeverityWarning, To: Recipients{DeptStaff: d.CoopDeptIDs},
		Title: Msg("notice.ladder.coop_late", d.ID, d.Title), Body: Msg("notice.ladder.coop_late.body", d.LeadDeptName, dueText(d.ResolutionDue)),
		Link: demandLink(d.ID)}
}

// NoticeSupervisionRaised tells the addressee department's heads (its
// staff when it has none) of a new order; an order of the ladder puts
// the leaders in copy and is urgent.
func NoticeSupervisionRaised(o *SupervisionOrder, heads []int64) Notice {
	to := headsOr(heads, o.DeptID)
	sev := SeverityWarning
	if o.Auto {
		to.Roles, sev = []Role{RoleLeader}, SeverityUrgent
	}
	return Notice{Kind: "supervision.raised", Severity: sev, To: to,
		Title: Msg("notice.supervision.raised", o.Number(), o.SubjectTitle),
		Body:  Msg("notice.supervision.raised.body", o.Requirement, shanghaiMinute(o.ReplyDue)), Link: o.Link()}
}

// NoticeSupervisionReplied tells the issuer (the dispatchers for the
// ladder's orders) the addressee replied.
func NoticeSupervisionReplied(o *SupervisionOrder) Notice {
	to := Recipients{Users: []int64{o.IssuerID}}
	if o.IssuerID == 0 {
		to = dispatchers()
	}
	return Notice{Kind: "supervision.replied", Severity: SeverityInfo, To: to,
		Title: Msg("notice.supervision.replied", o.Number(), o.DeptName),
		Body:  Msg("notice.supervision.replied.body", o.ReplyProgress, o.PromisedDate), Link: o.Link()}
}

// NoticeSupervisionClosed tells the addressee department the order is closed.
func NoticeSupervisionClosed(o *SupervisionOrder) Notice {
	return Notice{Kind: "supervision.closed", Severity: SeverityInfo, To: Recipients{DeptStaff: []int64{o.DeptID}},
		Title: Msg("notice.supervision.closed", o.Number()), Body: text(o.CloseNote), Link: o.Link()}
}

// NoticeSupervisionEscalated tells one step up that an order went
// unanswered past its due time: the heads of the department above the
// addressee (parentHeads, or its staff), or, with no department above,
// the leaders; the issuer hears of it too.
func NoticeSupervisionEscalated(o *SupervisionOrder, parent int64, parentHeads []int64) Notice {
	to := Recipients{Roles: []Role{RoleLeader}}
	if parent != 0 {
		to = headsOr(parentHeads, parent)
	}
	if o.IssuerID != 0 {
		to.Users = append(to.Users, o.IssuerID)
	} else {
		to.Roles = append(to.Roles, RoleDispatcher)
	}
	return Notice{Kind: "supervision.escalated", Severity: SeverityUrgent, To: to,
		Title: Msg("notice.supervision.escalated", o.Number(), o.DeptName),
		Body:  Msg("notice.supervision.escalated.body", shanghaiMinute(o.ReplyDue), o.SubjectTitle), Link: o.Link()}
}

// SupervisionNote is the timeline note of an order raised on a demand.
func SupervisionNote(o *SupervisionOrder) string {
	return o.Number() + "：" + o.Requirement + "（请于 " + shanghaiMinute(o.ReplyDue) + " 前回复）"
}

// SupervisionReplyNote is the timeline note of an order's reply.
func SupervisionReplyNote(o *SupervisionOrder) string {
	return o.Number() + " 已回复：" + o.ReplyProgress + "（承诺 " + o.PromisedDate + " 前办结）"
}

// SupervisionCloseNote is the timeline note of an order closed.
func SupervisionCloseNote(o *SupervisionOrder) string {
	if o.CloseNote == "" {
		return o.Number() + " 已办结"
	}
	return o.Number() + " 已办结：" + o.CloseNote
}

// SupervisionEscalatedNote is the timeline note of an order escalated
// for want of a reply.
func SupervisionEscalatedNote(o *SupervisionOrder) string {
	return o.Number() + " 逾期未回复（时限 " + shanghaiMinute(o.ReplyDue) + "），已提级督办"
}

// AutoSupervisionRequirement is the requirement of the order the ladder
// raises on d, overdue by days working days.
func AutoSupervisionRequirement(d *Demand, days int) string {
	return fmt.Sprintf("诉求“%s”已超过办结时限 %d 个工作日仍未办结，请主办部门负责人督促办理，并书面回复办理进展和承诺办结日期。", d.Title, days)
}
