package zhagen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Severity says how pressing a notice is; senders may use it to pick a
// channel or a colour.
type Severity string

// Severities.
const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityUrgent  Severity = "urgent"
)

// Recipients selects who is told: the union of the listed users, the
// staff of the listed departments, every user with one of the roles and
// the users of the listed enterprises. Archived users are never told.
type Recipients struct {
	Users       []int64 `json:"users,omitempty"`
	DeptStaff   []int64 `json:"dept_staff,omitempty"` // users with role staff in exactly these departments
	Roles       []Role  `json:"roles,omitempty"`
	Enterprises []int64 `json:"enterprises,omitempty"`
}

// Empty reports whether r selects nobody.
func (r Recipients) Empty() bool {
	for _, ids := range [][]int64{r.Users, r.DeptStaff, r.Enterprises} {
		for _, id := range ids {
			if id != 0 {
				return false
			}
		}
	}
	return len(r.Roles) == 0
}

// Message is a key of the message catalogue (catalog/locales/notice.*.toml)
// with the arguments of its fmt verbs: strings and numbers only, so that
// it survives a round trip through JSON.
type Message struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// Msg returns the message key with args.
func Msg(key string, args ...any) Message { return Message{Key: key, Args: args} }

// UnmarshalJSON reads a message, turning integral numbers back into
// int64 (and others into float64) so that %d still formats them.
func (m *Message) UnmarshalJSON(b []byte) error {
	var raw struct {
		Key  string            `json:"key"`
		Args []json.RawMessage `json:"args"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	m.Key, m.Args = raw.Key, nil
	for _, a := range raw.Args {
		v, err := messageArg(a)
		if err != nil {
			return err
		}
		m.Args = append(m.Args, v)
	}
	return nil
}

// messageArg decodes one argument: a string, an integer (int64), another
// number (float64), or whatever else JSON holds. Strings and integers,
// nearly all arguments, skip the generic decoder: drainers read every
// notice's arguments.
func messageArg(a json.RawMessage) (any, error) {
	if len(a) > 0 && (a[0] == '-' || a[0] >= '0' && a[0] <= '9') {
		if i, err := strconv.ParseInt(string(a), 10, 64); err == nil {
			return i, nil
		}
		if f, err := strconv.ParseFloat(string(a), 64); err == nil {
			return f, nil
		}
	}
	if len(a) > 0 && a[0] == '"' {
		var s string
		err := json.Unmarshal(a, &s)
		return s, err
	}
	dec := json.NewDecoder(bytes.NewReader(a))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if n, ok := v.(json.Number); ok {
		if f, err := n.Float64(); err == nil {
			return f, nil
		}
	}
	return v, nil
}

// Notice is something the system tells people: who, how pressing, what
// (a title and a body as catalogue messages) and where to look. Notices
// are composed by the constructors below, written to the outbox in the
// transaction of the change they report, and rendered in the reader's
// language when they are delivered.
type Notice struct {
	Kind     string     `json:"kind"` // a short code, e.g. "demand.assigned"
	Severity Severity   `json:"severity"`
	To       Recipients `json:"to"`
	Title    Message    `json:"title"`
	Body     Message    `json:"body"` // an empty key gives an empty body
	Link     string     `json:"link"`
}

// Recipient is a user a notice is delivered to.
type Recipient struct {
	UserID int64
	Name   string
	Lang   string // the language to render in ("zh" until users choose one)
}

// Delivery is one notice rendered in one language for the recipients
// reading that language: what a sender sends.
type Delivery struct {
	NoticeID  int64 // the outbox row; with a recipient it makes a delivery idempotent
	Kind      string
	Severity  Severity
	Lang      string
	Title     string
	Body      string
	Link      string
	To        []Recipient
	CreatedAt time.Time // when the change happened
}

// NoticeSender delivers notices over one channel (in-app, WeCom,
// DingTalk, webhook, e-mail, SMS). Send may be called again with the same
// delivery after a failure, so a sender should not repeat a message to a
// recipient it already reached for that NoticeID where it can tell.
type NoticeSender interface {
	Send(ctx context.Context, d Delivery) error
}

// NoticeBatchSender is a sender that takes many deliveries at once (the
// in-app sender writes them in one transaction); drainers hand it a whole
// claim's deliveries. An error fails them all.
type NoticeBatchSender interface {
	NoticeSender
	SendBatch(ctx context.Context, ds []Delivery) error
}

// NoticeStoreSender is a sender whose deliveries are rows in the outbox's
// own store: the in-app sender. When every sender of a drainer is one,
// the drainer claims nothing: it reads the due entries, and the outbox
// writes their deliveries and marks them sent in one transaction
// (NoticeOutbox.DeliverInStore). Two drainers delivering the same entry
// at once then write it once, and a notice costs the store one row write
// beside its messages instead of three.
type NoticeStoreSender interface {
	NoticeSender
	InStore()
}

// OutboxEntry is a notice claimed from the outbox for delivery.
type OutboxEntry struct {
	ID        int64
	Notice    Notice
	Attempts  int // failed attempts so far
	CreatedAt time.Time
	Claim     string // the claim token; marking the entry needs it ("" when read unclaimed by DueNotices)
}

// OutboxStatus is where an outbox entry stands.
type OutboxStatus string

// Outbox statuses.
const (
	OutboxPending OutboxStatus = "pending" // waiting for (another) attempt
	OutboxSent    OutboxStatus = "sent"
	OutboxDead    OutboxStatus = "dead" // gave up after too many failures: the dead-letter list
)

// NoticeOutbox is the store side of delivering notices: drainers claim due
// entries outside any business transaction, resolve their recipients and
// record each attempt's outcome.
type NoticeOutbox interface {
	// ClaimNotices leases up to limit due, pending entries, oldest first,
	// to the caller until now+lease; no other claimer gets them meanwhile.
	ClaimNotices(ctx context.Context, limit int, lease time.Duration) ([]*OutboxEntry, error)
	// ResolveRecipients returns the active users r selects, by id.
	ResolveRecipients(ctx context.Context, r Recipients) ([]Recipient, error)
	// MarkNoticesSent records delivered entries of one claim and writes
	// their outside deliveries out (see DeliverInStore); an entry whose
	// claim was lost (the lease ran out and another claimer took it) is
	// left to that claimer.
	MarkNoticesSent(ctx context.Context, es []*OutboxEntry, out []*ChannelDelivery) error
	// MarkNoticeFailed records a failed attempt with its error: the entry
	// is tried again from retryAt, or, when dead, moved to the dead-letter
	// list.
	MarkNoticeFailed(ctx context.Context, e *OutboxEntry, msg string, retryAt time.Time, dead bool) error
	// DueNotices returns up to limit due, pending entries that nobody has
	// claimed, oldest first, without claiming them.
	DueNotices(ctx context.Context, limit int) ([]*OutboxEntry, error)
	// DeliverInStore writes ds, the deliveries of es, through the store's
	// own senders (NoticeStoreSender), writes out, their deliveries over
	// outside channels (each once per entry, channel and user), and marks
	// es sent, in one transaction; entries another drainer delivered
	// meanwhile are left as they are.
	DeliverInStore(ctx context.Context, es []*OutboxEntry, ds []Delivery, out []*ChannelDelivery) error
	// NoticeRouting returns the enabled outside channels and the choices
	// of users among the personal ones (nil when no channel is enabled).
	NoticeRouting(ctx context.Context, users []int64) (*ChannelRouting, error)
}

// DeliveryQueue is the store side of the outside deliveries: couriers
// claim due ones with their channels, outside any business transaction,
// and record each attempt's outcome.
type DeliveryQueue interface {
	// ClaimDeliveries leases up to limit due, pending deliveries over
	// enabled channels, oldest first, and every due digest delivery of the
	// users and channels among them, to the caller until now+lease.
	ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]*ChannelDelivery, error)
	// MarkDeliveriesSent records sent deliveries of a claim.
	MarkDeliveriesSent(ctx context.Context, ds []*ChannelDelivery) error
	// MarkDeliveryFailed records a failed attempt: tried again from
	// retryAt, or, when dead, left on the dead-letter list. With count
	// false the delivery was not tried (its channel failed before it): it
	// is put back for retryAt without counting a try. ECONFLICT when the
	// claim was lost.
	MarkDeliveryFailed(ctx context.Context, d *ChannelDelivery, msg string, retryAt time.Time, dead, count bool) error
}

// NoticeText is the body key whose one argument is the whole text: a
// note the user typed or the system composed.
const NoticeText = "notice.text"

func text(s string) Message {
	if s == "" {
		return Message{}
	}
	return Msg(NoticeText, s)
}

func demandLink(id int64) string { return fmt.Sprintf("/demands/%d", id) }

// demandNotice is a notice on a demand: the title key, whose kind is the
// part after the first dot, takes the demand's number and title; the body
// is the note.
func demandNotice(key string, sev Severity, to Recipients, d *Demand, note string) Notice {
	kind := key[strings.IndexByte(key, '.')+1:]
	return Notice{Kind: kind, Severity: sev, To: to, Title: Msg(key, d.ID, d.Title), Body: text(note), Link: demandLink(d.ID)}
}

func dispatchers() Recipients { return Recipients{Roles: []Role{RoleDispatcher}} }

func leadStaff(d *Demand) Recipients { return Recipients{DeptStaff: []int64{d.LeadDeptID}} }

// owners are the enterprise's users and the submitter.
func owners(d *Demand) Recipients {
	return Recipients{Enterprises: []int64{d.EnterpriseID}, Users: []int64{d.SubmitterID}}
}

// NoticeDemandSubmitted tells the dispatchers of a demand that waits to
// be routed.
func NoticeDemandSubmitted(d *Demand) Notice {
	return demandNotice("notice.demand.submitted", SeverityInfo, dispatchers(), d, d.EnterpriseName)
}

// NoticeDemandAssigned tells the lead and cooperating departments of a
// demand routed to them; the body is note.
func NoticeDemandAssigned(d *Demand, note string) Notice {
	to := Recipients{DeptStaff: append([]int64{d.LeadDeptID}, d.CoopDeptIDs...)}
	return demandNotice("notice.demand.assigned", SeverityInfo, to, d, note)
}

// NoticeDemandReturned tells the dispatchers that a department returned d.
func NoticeDemandReturned(d *Demand, note string) Notice {
	return demandNotice("notice.demand.returned", SeverityWarning, dispatchers(), d, note)
}

// NoticeDemandProgress tells the enterprise of public progress on d.
func NoticeDemandProgress(d *Demand, note string) Notice {
	return demandNotice("notice.demand.progress", SeverityInfo, owners(d), d, note)
}

// NoticeDemandPaused asks the enterprise to supply what note says.
func NoticeDemandPaused(d *Demand, note string) Notice {
	return demandNotice("notice.demand.paused", SeverityWarning, owners(d), d, note)
}

// NoticeDemandResumed tells the lead department the enterprise supplied
// what was asked.
func NoticeDemandResumed(d *Demand, note string) Notice {
	return demandNotice("notice.demand.resumed", SeverityInfo, leadStaff(d), d, note)
}

// NoticeExtensionRequested asks the dispatchers to decide an extension.
func NoticeExtensionRequested(d *Demand, note string) Notice {
	return demandNotice("notice.demand.extension_requested", SeverityInfo, dispatchers(), d, note)
}

// NoticeExtensionDecided tells the lead department the dispatcher decided
// its extension request.
func NoticeExtensionDecided(d *Demand, note string) Notice {
	return demandNotice("notice.demand.extension_decided", SeverityInfo, leadStaff(d), d, note)
}

// NoticeDemandResolved asks the enterprise to rate the answer.
func NoticeDemandResolved(d *Demand, note string) Notice {
	return demandNotice("notice.demand.resolved", SeverityInfo, owners(d), d, note)
}

// NoticeDemandUnsatisfied tells the lead department and the dispatchers
// the enterprise was not satisfied, so d is handled again.
func NoticeDemandUnsatisfied(d *Demand, note string) Notice {
	to := Recipients{DeptStaff: []int64{d.LeadDeptID}, Roles: []Role{RoleDispatcher}}
	return demandNotice("notice.demand.unsatisfied", SeverityWarning, to, d, note)
}

// NoticeDemandReopened tells the lead department d is to be handled again.
func NoticeDemandReopened(d *Demand, note string) Notice {
	return demandNotice("notice.demand.reopened", SeverityWarning, leadStaff(d), d, note)
}

// NoticeDemandWithdrawn tells the lead department the submitter withdrew d.
func NoticeDemandWithdrawn(d *Demand, note string) Notice {
	return demandNotice("notice.demand.withdrawn", SeverityInfo, leadStaff(d), d, note)
}

// NoticeDemandEscalated tells the dispatchers d was escalated to a
// consultation.
func NoticeDemandEscalated(d *Demand, note string) Notice {
	return demandNotice("notice.demand.escalated", SeverityInfo, dispatchers(), d, note)
}

// NoticeItemsWaived tells the lead department it may resolve d before
// the consultation's action items are done.
func NoticeItemsWaived(d *Demand, note string) Notice {
	return demandNotice("notice.demand.items_waived", SeverityInfo, leadStaff(d), d, note)
}

// NoticeSLA tells the lead department and the dispatchers that d's
// resolution limit is nearly used up (yellow) or passed (red).
func NoticeSLA(d *Demand, level SLALevel) Notice {
	kind, sev, title, body := "demand.sla_yellow", SeverityWarning, "notice.demand.sla_yellow", "notice.demand.sla_yellow.body"
	if level == SLARed {
		kind, sev, title, body = "demand.sla_red", SeverityUrgent, "notice.demand.sla_red", "notice.demand.sla_red.body"
	}
	var due string
	if d.ResolutionDue != nil {
		due = d.ResolutionDue.In(Shanghai).Format("2006-01-02 15:04")
	}
	to := Recipients{DeptStaff: []int64{d.LeadDeptID}, Roles: []Role{RoleDispatcher}}
	return Notice{Kind: kind, Severity: sev, To: to, Title: Msg(title, d.ID, d.Title), Body: Msg(body, due), Link: demandLink(d.ID)}
}

// NoticeItemsDone tells a demand's lead department that the last action
// item of its consultation is done, so the demand may be resolved.
func NoticeItemsDone(demandID, leadDeptID int64, consultationTitle string) Notice {
	return Notice{Kind: "demand.items_done", Severity: SeverityInfo, To: Recipients{DeptStaff: []int64{leadDeptID}},
		Title: Msg("notice.demand.items_done", demandID), Body: text(consultationTitle), Link: demandLink(demandID)}
}

// NoticeRedFlag tells the dispatchers a visit raised a risk flag.
func NoticeRedFlag(enterpriseName, reason, visitDate string) Notice {
	return Notice{Kind: "visit.red_flag", Severity: SeverityWarning, To: dispatchers(),
		Title: Msg("notice.visit.red_flag", enterpriseName), Body: Msg("notice.visit.red_flag.body", reason, visitDate), Link: "/red-flags"}
}

// NoticeVisitDue reminds a linkage's cadre of the visit due on
// l.NextDue, or overdue since then (l.Overdue).
func NoticeVisitDue(l *Linkage) Notice {
	n := Notice{Kind: "visit.due", Severity: SeverityInfo, To: Recipients{Users: []int64{l.CadreID}},
		Title: Msg("notice.visit.due", l.EnterpriseName), Body: Msg("notice.visit.due.body", l.NextDue, l.CadenceDays),
		Link: fmt.Sprintf("/visits/new?enterprise_id=%d", l.EnterpriseID)}
	if l.Overdue {
		n.Kind, n.Severity = "visit.overdue", SeverityWarning
		n.Title, n.Body = Msg("notice.visit.overdue", l.EnterpriseName), Msg("notice.visit.overdue.body", l.NextDue)
	}
	return n
}

// NoticeApprovalSubmitted asks the department of x to accept an approval
// filed on the project named projectName.
func NoticeApprovalSubmitted(x *Approval, projectName string) Notice {
	title := Msg("notice.approval.submitted", projectName, x.Kind.Label())
	if x.Part != "" {
		title = Msg("notice.approval.submitted.part", projectName, x.Kind.Label(), x.Part)
	}
	return Notice{Kind: "approval.submitted", Severity: SeverityInfo, To: Recipients{DeptStaff: []int64{x.DeptID}},
		Title: title, Body: text(x.Note), Link: fmt.Sprintf("/projects/%d", x.ProjectID)}
}

// NoticeApprovalStepped tells a project's owners (its liaison, owner
// department and owner enterprise) that approval x moved to status to.
func NoticeApprovalStepped(x *Approval, to ApprovalStatus, note string, liaison, ownerDept, ownerEnterprise int64) Notice {
	sev := SeverityInfo
	if to == ApprovalRejected {
		sev = SeverityWarning
	}
	return Notice{Kind: "approval.stepped", Severity: sev,
		To:    Recipients{Users: []int64{liaison}, DeptStaff: []int64{ownerDept}, Enterprises: []int64{ownerEnterprise}},
		Title: Msg("notice.approval.stepped", to.Label(), x.ProjectName, x.Kind.Label(), x.Part), Body: text(strings.TrimSpace(note)),
		Link: fmt.Sprintf("/projects/%d", x.ProjectID)}
}

// NoticeApprovalDecided tells a project's owners the approving
// department's decision on x (approved or rejected), with its opinion
// and document number.
func NoticeApprovalDecided(x *Approval, to ApprovalStatus, opinion, docNo string, liaison, ownerDept, ownerEnterprise int64) Notice {
	n := NoticeApprovalStepped(x, to, "", liaison, ownerDept, ownerEnterprise)
	n.Body = Msg("notice.approval.decided.body", opinion, docNo)
	if docNo == "" {
		n.Body = Msg("notice.approval.decided.body_no_doc", opinion)
	}
	return n
}

// NoticeApprovalUrged tells the approving department of x that the
// command centre urges it, with how long x has waited (x.WaitDays).
func NoticeApprovalUrged(x *Approval, note string) Notice {
	return Notice{Kind: "approval.urged", Severity: SeverityWarning, To: Recipients{DeptStaff: []int64{x.DeptID}},
		Title: Msg("notice.approval.urged", x.ProjectName, x.Kind.Label(), x.Part),
		Body:  Msg("notice.approval.urged.body", x.Wait.Label(), strings.TrimSpace(note)),
		Link:  fmt.Sprintf("/projects/%d#approvals", x.ProjectID)}
}

// NoticeConsultationInvite invites departments' staff and users to
// consultation c.
func NoticeConsultationInvite(c *Consultation, depts, users []int64) Notice {
	body := Msg("notice.consultation.invite.body")
	if c.StartsAt != nil {
		body = Msg("notice.consultation.invite.body_at", c.StartsAt.In(Shanghai).Format("2006-01-02 15:04"), c.Place)
	}
	return Notice{Kind: "consultation.invite", Severity: SeverityInfo, To: Recipients{DeptStaff: depts, Users: users},
		Title: Msg("notice.consultation.invite", c.Kind.Label(), c.Title), Body: body, Link: fmt.Sprintf("/consultations/%d", c.ID)}
}

// NoticeAttendance tells the convener of c how an invitee answered.
func NoticeAttendance(c *Consultation, att Attendance, who, dept string) Notice {
	return Notice{Kind: "consultation.attendance", Severity: SeverityInfo, To: Recipients{Users: []int64{c.ConvenerID}},
		Title: Msg("notice.consultation.attendance", att.Label(), c.Title), Body: Msg("notice.consultation.attendance.body", who, dept),
		Link: fmt.Sprintf("/consultations/%d", c.ID)}
}

// NoticeActionItem tells the owner department and the assignee of a new
// action item.
func NoticeActionItem(it *ActionItem) Notice {
	return Notice{Kind: "consultation.item", Severity: SeverityInfo, To: Recipients{DeptStaff: []int64{it.OwnerDeptID}, Users: []int64{it.AssigneeID}},
		Title: Msg("notice.consultation.item", it.Title), Body: Msg("notice.consultation.item.body", it.DueAt.In(Shanghai).Format("2006-01-02 15:04")),
		Link: fmt.Sprintf("/consultations/%d", it.ConsultationID)}
}

// NoticeMatchGraduate tells a graduate (user userID) the result of a
// programme's matching.
func NoticeMatchGraduate(p *Programme, m *MatchResult, userID int64) Notice {
	body := Msg("notice.match.unmatched", m.Reason)
	if m.PositionID != 0 {
		body = Msg("notice.match.matched", m.EnterpriseName, m.PositionTitle, m.Choice)
	}
	return Notice{Kind: "match.graduate", Severity: SeverityInfo, To: Recipients{Users: []int64{userID}},
		Title: Msg("notice.match", p.Name), Body: body, Link: fmt.Sprintf("/programmes/%d", p.ID)}
}

// NoticeMatchEnterprise tells an enterprise how many interns it took in a
// programme's matching, naming those who consented (names) and counting
// those who did not (withheld).
func NoticeMatchEnterprise(p *Programme, enterpriseID int64, total int, names []string, withheld int) Notice {
	var body Message
	list := strings.Join(names, "、")
	switch {
	case len(names) > 0 && withheld > 0:
		body = Msg("notice.match.enterprise.names_withheld", total, list, withheld)
	case len(names) > 0:
		body = Msg("notice.match.enterprise.names", total, list)
	case withheld > 0:
		body = Msg("notice.match.enterprise.withheld", total, withheld)
	default:
		body = Msg("notice.match.enterprise", total)
	}
	return Notice{Kind: "match.enterprise", Severity: SeverityInfo, To: Recipients{Enterprises: []int64{enterpriseID}},
		Title: Msg("notice.match", p.Name), Body: body, Link: fmt.Sprintf("/programmes/%d", p.ID)}
}

// NoticePositionCreated asks the talent managers (dispatchers) to review
// a new position.
func NoticePositionCreated(p *Position) Notice {
	return Notice{Kind: "position.created", Severity: SeverityInfo, To: dispatchers(),
		Title: Msg("notice.position.created", p.Title), Body: Msg("notice.position.created.body", p.EnterpriseName, p.Title),
		Link: "/positions?status=pending"}
}

// NoticePositionReviewed tells the enterprise how its position was
// reviewed.
func NoticePositionReviewed(p *Position) Notice {
	body, sev := Msg("notice.position.approved.body", p.Title), SeverityInfo
	if p.Status != PositionApproved {
		body, sev = Msg("notice.position.rejected.body", p.Title, p.ReviewNote), SeverityWarning
	}
	return Notice{Kind: "position.reviewed", Severity: sev, To: Recipients{Enterprises: []int64{p.EnterpriseID}},
		Title: Msg("notice.position.reviewed", p.Status.Label()), Body: body, Link: "/positions"}
}
