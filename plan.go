package zhagen

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhagen/sla"
)

// TransitionFacts is what sqldb loads before a step is planned, as the
// action's Needs say; the rest stays zero.
type TransitionFacts struct {
	// Budget is the demand's stored resolution budget: the working time
	// of its resolution limit, extensions included.
	Budget time.Duration
	// Category is the demand's category (FactCategory), whose SLA rules
	// reset the due times.
	Category *Category
	// Departments names every department by id (FactDepartments).
	Departments map[int64]string
	// Target is the demand TargetID names, nil when there is no such
	// demand in the actor's scope (FactTarget).
	Target *Demand
	// OpenItem is the first open action item (earliest due) of the
	// demand's consultations, nil when none (FactActionItems).
	OpenItem *OpenItem
	// ItemsWaived reports that the dispatcher let the demand be resolved
	// with open items since it was last escalated (FactActionItems).
	ItemsWaived bool
	// HandlingFiles counts the demand's files uploaded since it was
	// accepted (all of them when it never was): the written reply or
	// approval a resolve may need (FactFiles, CheckAnswer).
	HandlingFiles int
}

// OpenItem is an action item not yet done.
type OpenItem struct {
	Title    string
	DeptName string
	Due      time.Time
}

// PlannedEvent is a step to put on a timeline.
type PlannedEvent struct {
	DemandID int64 // the demand planned, or another one (the target of a merge or link)
	From, To DemandStatus
	Action   Action
	Note     string
	Public   bool // the enterprise sees it
}

// Plan is everything one workflow step does to a demand, decided by the
// domain; sqldb applies it in one transaction without looking at the
// action.
type Plan struct {
	Action   Action
	From, To DemandStatus
	// Demand is the demand after the step: status, routing, priority,
	// due times, step times, rating, counts and the pending extension.
	// sqldb writes its mutable fields if the row still has Version.
	Demand *Demand
	// Budget is the resolution budget after the step.
	Budget time.Duration
	// Events go on the timelines in order; the demand's own comes first.
	Events []PlannedEvent
	// Notices are written to the outbox with the change.
	Notices []Notice
	// OpenConsultation, when not empty, is the topic of a joint
	// consultation to open for the demand; its id becomes the demand's
	// ConsultationID.
	OpenConsultation string
	// LinkTo, when not zero, links the demand with that one both ways.
	LinkTo int64
	// Reroute says the routing changed: the demand's department rows are
	// rebuilt rather than updated.
	Reroute bool
	// Touch names the tables whose cached lists and counts move on.
	Touch []string
	// FollowUp, when set, is the follow-up (回访 or 撤单核查) to create
	// with the change.
	FollowUp *PlannedFollowUp
}

// planner carries one step while it is planned.
type planner struct {
	d      *Demand // as loaded
	a      *Actor
	t      Transition
	now    time.Time
	cal    *sla.Calendar
	f      TransitionFacts
	p      *Plan
	after  *Demand
	note   string
	public bool
}

// PlanTransition checks t against the actor's role and relation to d
// (EFORBIDDEN), d's status (ECONFLICT), the fields the action needs and
// the facts sqldb loaded (EINVALID, ECONFLICT), and returns what the step
// does at now on the working calendar cal. d is not changed.
func PlanTransition(d *Demand, a *Actor, t Transition, now time.Time, cal *sla.Calendar, f TransitionFacts) (*Plan, error) {
	if err := CheckTransition(d, a, t.Action); err != nil {
		return nil, err
	}
	spec := actionSpecs[t.Action]
	t.Note = strings.TrimSpace(t.Note)
	after := *d
	after.CoopDeptIDs = slices.Clone(d.CoopDeptIDs)
	p := &planner{d: d, a: a, t: t, now: now, cal: cal, f: f, after: &after, note: t.Note, public: true,
		p: &Plan{Action: t.Action, From: d.Status, To: d.Status, Demand: &after, Budget: f.Budget, Touch: []string{"demands"}}}
	if err := spec.plan(p); err != nil {
		return nil, err
	}
	after.Status = p.p.To
	after.SLALevel = DemandLevelAt(cal, now, &after, p.p.Budget)
	if !after.Status.Open() {
		after.PausedAt = nil
	}
	own := PlannedEvent{DemandID: d.ID, From: d.Status, To: p.p.To, Action: t.Action, Note: p.note, Public: p.public}
	p.p.Events = append([]PlannedEvent{own}, p.p.Events...)
	return p.p, nil
}

// CheckTransition returns the refusals PlanTransition gives before it
// looks at the input: EINVALID for an unknown action, EFORBIDDEN when the
// actor may not take act on d, ECONFLICT when d's status does not allow
// it; nil otherwise.
func CheckTransition(d *Demand, a *Actor, act Action) error {
	spec, ok := actionSpecs[act]
	if !ok || spec.plan == nil {
		return &Error{Code: EINVALID, Field: "action", Message: "未知操作：" + string(act)}
	}
	label := act.Label()
	if err := Authorize(a, spec.Perm, DemandFacts(d, false, 0)); err != nil {
		return err
	}
	if !slices.Contains(spec.From, d.Status) {
		return Errorf(ECONFLICT, "诉求当前状态为“%s”，不能执行“%s”", d.Status.Label(), label)
	}
	return nil
}

// DemandLevelAt is the warning level of d's clock at now with the given
// resolution budget; a demand that is finished, waiting for the
// enterprise or without a limit keeps its level.
func DemandLevelAt(cal *sla.Calendar, now time.Time, d *Demand, budget time.Duration) SLALevel {
	if d.ResolutionDue == nil || !d.Status.Open() || d.Status == DemandWaiting {
		return d.SLALevel
	}
	switch cal.LevelAt(now, *d.ResolutionDue, budget) {
	case sla.Red:
		return SLARed
	case sla.Yellow:
		return SLAYellow
	}
	return SLAOK
}

// Duration is the term as the working calendar counts it.
func (t SLATerm) Duration() sla.Duration {
	if t.Unit == "hours" {
		return sla.Duration{Amount: t.Amount, Unit: sla.Hours}
	}
	return sla.Duration{Amount: t.Amount, Unit: sla.Days}
}

// need checks a required text field.
func need(field, value, msg string) error {
	if strings.TrimSpace(value) == "" {
		return &Error{Code: EINVALID, Field: field, Message: msg, Fields: []FieldError{{Field: field, Message: msg}}}
	}
	if utf8.RuneCountInString(value) > 4000 {
		return &Error{Code: EINVALID, Field: field, Message: "内容不能超过4000个字"}
	}
	return nil
}

func (p *planner) to(s DemandStatus) { p.p.To = s }

// tell adds a notice; call it once the note is final.
func (p *planner) tell(n func(d *Demand, note string) Notice) {
	p.p.Notices = append(p.p.Notices, n(p.after, p.note))
}

// resetDues recomputes both due times and the budget from start with
// the demand's priority and its category's rule.
func (p *planner) resetDues(start time.Time) error {
	if p.f.Category == nil {
		return Errorf(EINTERNAL, "诉求类别未加载")
	}
	rule := p.f.Category.SLA[p.after.Priority]
	resp, res := p.cal.Due(start, rule.Response.Duration()), p.cal.Due(start, rule.Resolution.Duration())
	if p.after.AcceptedAt == nil {
		p.after.ResponseDue = &resp
	}
	p.after.ResolutionDue, p.p.Budget = &res, p.cal.WorkingTime(rule.Resolution.Duration())
	return nil
}

// reopen sends the demand back to work with a fresh resolution limit.
// A reopened demand is not solved, whatever was confirmed before (a
// 不满意 rating given with "solved" ticked included): 解决率 counts it
// only once it is closed and confirmed solved again. A 不满意 rating
// itself stays, so 满意率 keeps counting it until the enterprise rates
// the demand anew.
func (p *planner) reopen() error {
	p.after.ReopenCount++
	p.after.Solved = nil
	p.after.ResolvedAt, p.after.ClosedAt, p.after.PausedAt = nil, nil, nil
	return p.resetDues(p.now)
}

// followUp plans the follow-up of a demand that ends here, due within
// its category's follow-up days.
func (p *planner) followUp(k FollowUpKind) {
	days := 0
	if p.f.Category != nil {
		days = p.f.Category.FollowUpDays
	}
	p.p.FollowUp = &PlannedFollowUp{Kind: k, DueAt: followUpDue(p.cal, p.now, days)}
	p.p.Notices = append(p.p.Notices, NoticeFollowUpDue(p.after, k, p.p.FollowUp.DueAt))
}

func shanghaiMinute(t time.Time) string { return t.In(Shanghai).Format("2006-01-02 15:04") }

// AssignNote is the timeline note of routing to the lead and cooperating
// departments named in names, with the dispatcher's note.
func AssignNote(names map[int64]string, lead int64, coop []int64, note string) string {
	out := "主办 " + names[lead]
	if len(coop) > 0 {
		var cs []string
		for _, c := range coop {
			cs = append(cs, names[c])
		}
		out += "，协办 " + strings.Join(cs, "、")
	}
	return strings.TrimSpace("分派：" + out + "。" + note)
}

func planAssign(p *planner) error {
	t := p.t
	if t.LeadDeptID == 0 {
		return &Error{Code: EINVALID, Field: "lead_dept_id", Message: "请选择主办部门"}
	}
	if slices.Contains(t.CoopDeptIDs, t.LeadDeptID) {
		return &Error{Code: EINVALID, Field: "coop_dept_ids", Message: "协办部门不能与主办部门相同"}
	}
	if t.Priority != "" && !t.Priority.Valid() {
		return &Error{Code: EINVALID, Field: "priority", Message: "优先级无效"}
	}
	for i, id := range append([]int64{t.LeadDeptID}, t.CoopDeptIDs...) {
		if _, ok := p.f.Departments[id]; !ok && id != 0 {
			field := "coop_dept_ids"
			if i == 0 {
				field = "lead_dept_id"
			}
			return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf("部门不存在：%d", id)}
		}
	}
	p.to(DemandAssigned)
	d := p.after
	now := p.now
	d.LeadDeptID, d.CoopDeptIDs, d.AssignedAt, p.p.Reroute = t.LeadDeptID, append([]int64{}, t.CoopDeptIDs...), &now, true
	// A demand routed anew waits for its new department's acceptance, not
	// for the enterprise: a pause of the old routing ends with it.
	d.PausedAt = nil
	if t.Priority != "" && t.Priority != d.Priority {
		d.Priority = t.Priority
		if err := p.resetDues(d.CreatedAt); err != nil {
			return err
		}
	}
	p.note = AssignNote(p.f.Departments, d.LeadDeptID, d.CoopDeptIDs, t.Note)
	p.tell(NoticeDemandAssigned)
	return nil
}

func planAccept(p *planner) error {
	p.to(DemandAccepted)
	if p.after.AcceptedAt == nil {
		now := p.now
		p.after.AcceptedAt = &now
	}
	return nil
}

func planReturn(p *planner) error {
	if err := need("note", p.t.Note, "请填写退回理由"); err != nil {
		return err
	}
	p.to(DemandReturned)
	p.after.ReturnCount++
	p.public = false
	p.tell(NoticeDemandReturned)
	return nil
}

func planUpdate(p *planner) error {
	if err := need("note", p.t.Note, "请填写办理进展"); err != nil {
		return err
	}
	if p.d.Status == DemandAccepted {
		p.to(DemandInProgress)
	}
	p.public = p.t.Public == nil || *p.t.Public
	if p.public {
		p.tell(NoticeDemandProgress)
	}
	return nil
}

func planPause(p *planner) error {
	if err := need("note", p.t.Note, "请说明需要企业补充的内容"); err != nil {
		return err
	}
	p.to(DemandWaiting)
	now := p.now
	p.after.PausedAt = &now
	p.tell(NoticeDemandPaused)
	return nil
}

// ResumeNote is the timeline line of a resumed clock: how long it was
// paused and the resolution limit it moves to.
func ResumeNote(paused time.Duration, due time.Time) string {
	return fmt.Sprintf("暂停计时 %s，办结时限顺延至 %s", paused.Round(time.Minute), shanghaiMinute(due))
}

func planResume(p *planner) error {
	p.to(DemandInProgress)
	d, t, cal := p.after, p.t, p.cal
	if t.Supplement != "" {
		p.note = strings.TrimSpace(t.Supplement + "\n" + t.Note)
	}
	if d.PausedAt != nil && d.ResolutionDue != nil {
		left := cal.WorkingBetween(*d.PausedAt, *d.ResolutionDue)
		due := cal.AddWorking(p.now, left)
		p.note = strings.TrimSpace(p.note + "\n" + ResumeNote(cal.WorkingBetween(*d.PausedAt, p.now), due))
		d.ResolutionDue = &due
	}
	d.PausedAt = nil
	p.tell(NoticeDemandResumed)
	return nil
}

func planExtend(p *planner) error {
	t := p.t
	if p.d.ExtensionDays > 0 {
		return Errorf(ECONFLICT, "已有待审批的延期申请（%d个工作日）", p.d.ExtensionDays)
	}
	if t.Days < 1 || t.Days > 30 {
		return &Error{Code: EINVALID, Field: "days", Message: "延期天数须为1–30个工作日"}
	}
	if err := need("note", t.Note, "请填写延期理由"); err != nil {
		return err
	}
	p.after.ExtensionDays, p.after.ExtensionReason, p.public = t.Days, t.Note, false
	p.note = fmt.Sprintf("申请延期 %d 个工作日：%s", t.Days, t.Note)
	p.tell(NoticeExtensionRequested)
	return nil
}

func planApproveExtension(p *planner) error {
	d, t := p.after, p.t
	if p.d.ExtensionDays == 0 {
		return Errorf(ECONFLICT, "诉求没有待审批的延期申请")
	}
	if t.Approve == nil {
		return &Error{Code: EINVALID, Field: "approve", Message: "请选择同意或不同意"}
	}
	p.public = false
	if *t.Approve {
		ext, from := sla.Duration{Amount: d.ExtensionDays, Unit: sla.Days}, p.now
		if d.ResolutionDue != nil {
			from = *d.ResolutionDue
		}
		due := p.cal.Due(from, ext)
		d.ResolutionDue, p.p.Budget = &due, p.p.Budget+p.cal.WorkingTime(ext)
		p.note = strings.TrimSpace(fmt.Sprintf("同意延期 %d 个工作日，办结时限改为 %s。%s", d.ExtensionDays, shanghaiMinute(due), t.Note))
	} else {
		p.note = strings.TrimSpace(fmt.Sprintf("不同意延期 %d 个工作日。%s", d.ExtensionDays, t.Note))
	}
	d.ExtensionDays, d.ExtensionReason = 0, ""
	p.tell(NoticeExtensionDecided)
	return nil
}

func planResolve(p *planner) error {
	t := p.t
	if t.Resolution == "" {
		t.Resolution = t.Note
	}
	if err := need("resolution", t.Resolution, "请填写办理结果（答复企业的内容）"); err != nil {
		return err
	}
	if err := CheckAnswer(p.f.Category, t.Resolution, p.f.HandlingFiles); err != nil {
		return err
	}
	if it := p.f.OpenItem; it != nil && !p.f.ItemsWaived {
		return &Error{Code: ECONFLICT, Field: "action_items",
			Message: fmt.Sprintf("会商事项“%s”（%s，%s 到期）尚未完成，诉求不能办结；如需先行办结，请指挥中心准予并说明理由", it.Title, it.DeptName, it.Due.In(Shanghai).Format("2006-01-02"))}
	}
	p.to(DemandResolved)
	now := p.now
	p.after.Resolution, p.after.ResolvedAt, p.after.PausedAt, p.note = t.Resolution, &now, nil, t.Resolution
	p.tell(NoticeDemandResolved)
	return nil
}

func planRate(p *planner) error {
	d, t := p.after, p.t
	if ratingLabels[t.Rating] == "" {
		return &Error{Code: EINVALID, Field: "rating", Message: "请选择满意、基本满意或不满意"}
	}
	if t.Solved == nil {
		return &Error{Code: EINVALID, Field: "solved", Message: "请说明问题是否已解决"}
	}
	d.Rating, d.Solved, d.RatingComment = t.Rating, t.Solved, strings.TrimSpace(t.Note)
	solved := "问题已解决"
	if !*t.Solved {
		solved = "问题未解决"
	}
	p.note = strings.TrimSpace(t.Rating.Label() + "，" + solved + "。" + t.Note)
	if t.Rating != RatingUnsatisfied {
		p.to(DemandClosed)
		now := p.now
		d.ClosedAt = &now
		p.followUp(FollowUpRated)
		return nil
	}
	p.to(DemandInProgress) // reopened
	if err := p.reopen(); err != nil {
		return err
	}
	p.tell(NoticeDemandUnsatisfied)
	return nil
}

func planReopen(p *planner) error {
	if err := need("note", p.t.Note, "请填写重新办理的理由"); err != nil {
		return err
	}
	p.to(DemandInProgress)
	p.after.Rating, p.after.RatingComment = "", ""
	if err := p.reopen(); err != nil {
		return err
	}
	p.tell(NoticeDemandReopened)
	return nil
}

func planWithdraw(p *planner) error {
	p.to(DemandWithdrawn)
	now := p.now
	p.after.ClosedAt = &now
	p.followUp(FollowUpWithdrawal)
	if p.after.LeadDeptID != 0 {
		p.tell(NoticeDemandWithdrawn)
	}
	return nil
}

func planEscalate(p *planner) error {
	topic := p.t.Consultation
	if topic == "" {
		topic = p.t.Note
	}
	if err := need("consultation", topic, "请填写会商议题"); err != nil {
		return err
	}
	p.to(DemandEscalated)
	p.p.OpenConsultation, p.note = topic, "提请联合会诊："+topic
	p.tell(NoticeDemandEscalated)
	return nil
}

// target checks the demand a merge or link names.
func (p *planner) target(msg string) (*Demand, error) {
	if p.t.TargetID == 0 || p.t.TargetID == p.d.ID {
		return nil, &Error{Code: EINVALID, Field: "target_id", Message: msg}
	}
	if p.f.Target == nil || p.f.Target.ID != p.t.TargetID {
		return nil, &Error{Code: EINVALID, Field: "target_id", Message: "目标诉求不存在"}
	}
	return p.f.Target, nil
}

// link links the demand with target and notes it on target's timeline.
func (p *planner) link(target *Demand, what string) {
	p.p.LinkTo = target.ID
	p.p.Events = append(p.p.Events, PlannedEvent{DemandID: target.ID, From: target.Status, To: target.Status, Action: p.t.Action,
		Note: fmt.Sprintf("诉求 #%d %s本诉求", p.d.ID, what), Public: false})
}

func planMerge(p *planner) error {
	target, err := p.target("请指定要并入的主诉求（不能是自身）")
	if err != nil {
		return err
	}
	if !target.Status.Open() && target.Status != DemandResolved {
		return &Error{Code: EINVALID, Field: "target_id", Message: "主诉求已结束，不能并入"}
	}
	// A merged demand is followed and rated through its master: one of
	// another enterprise (or of none) would leave its own enterprise
	// unable to follow or rate its request.
	if target.EnterpriseID != p.d.EnterpriseID {
		return &Error{Code: EINVALID, Field: "target_id", Message: "只能并入同一企业的诉求"}
	}
	p.to(DemandMerged)
	now := p.now
	p.after.MasterID, p.after.ClosedAt = target.ID, &now
	p.note = strings.TrimSpace(fmt.Sprintf("作为重复诉求并入 #%d。%s", target.ID, p.t.Note))
	p.link(target, "已并入")
	return nil
}

func planLink(p *planner) error {
	target, err := p.target("请指定要关联的诉求（不能是自身）")
	if err != nil {
		return err
	}
	p.public = false
	p.note = strings.TrimSpace(fmt.Sprintf("关联诉求 #%d。%s", target.ID, p.t.Note))
	p.link(target, "关联了")
	return nil
}

// planClose closes a resolved demand. A demand with an enterprise is
// closed this way only when it was left unrated: it confirms nothing, and
// Solved may not be given in the enterprise's place. A demand without an
// enterprise (a problem raised on a key project owned by a department, an
// Open311 request) has nobody to rate it: a person's close — the command
// centre's, after the owner or the reporter confirmed — is that
// confirmation and must say whether the problem is solved, which the
// resolution rate counts. The scheduled close (the system, no user)
// confirms nothing.
func planClose(p *planner) error {
	d, t := p.after, p.t
	if t.Solved != nil && d.EnterpriseID != 0 {
		return &Error{Code: EINVALID, Field: "solved", Message: "该诉求由企业评价时确认是否解决，不能代为确认"}
	}
	if t.Solved == nil && d.EnterpriseID == 0 && p.a.UserID != 0 {
		return &Error{Code: EINVALID, Field: "solved", Message: "请确认问题是否已解决"}
	}
	p.to(DemandClosed)
	now := p.now
	d.ClosedAt = &now
	switch {
	case t.Solved == nil:
		p.note = strings.TrimSpace("已办结且逾期未评价，自动关闭。" + t.Note)
		p.followUp(FollowUpUnrated)
	case *t.Solved:
		d.Solved = t.Solved
		p.note = strings.TrimSpace("经确认问题已解决，关闭。" + t.Note)
	default:
		d.Solved = t.Solved
		p.note = strings.TrimSpace("经确认问题未解决，关闭。" + t.Note)
	}
	return nil
}

// planFollowUpReopen sends a demand that ended back to work after its
// follow-up: closed but not solved, or withdrawn under pressure. It
// clears the rating and the confirmation as reopen does; a demand never
// routed goes back to the dispatcher, one never accepted to its lead
// department's acceptance.
func planFollowUpReopen(p *planner) error {
	if err := need("note", p.t.Note, "请填写重新办理的理由"); err != nil {
		return err
	}
	switch {
	case p.after.LeadDeptID == 0:
		p.to(DemandSubmitted)
	case p.after.AcceptedAt == nil:
		p.to(DemandAssigned)
	default:
		p.to(DemandInProgress)
	}
	p.after.Rating, p.after.RatingComment = "", ""
	if err := p.reopen(); err != nil {
		return err
	}
	if p.after.LeadDeptID != 0 {
		p.tell(NoticeDemandReopened)
	}
	return nil
}

func planWaive(p *planner) error {
	if p.d.ConsultationID == 0 {
		return Errorf(ECONFLICT, "诉求未提请会商，没有需要豁免的会商事项")
	}
	if err := need("note", p.t.Note, "请填写准予先行办结的理由"); err != nil {
		return err
	}
	p.note, p.public = "准予在会商事项完成前办结："+p.t.Note, false
	p.tell(NoticeItemsWaived)
	return nil
}

// SubmittedNote is the timeline note of a demand filed through channel c.
func SubmittedNote(c Channel) string { return "经“" + c.Label() + "”提交" }

// RoutedNote is the timeline note of a demand routed on filing by its
// category's rule.
func RoutedNote(c *Category) string {
	return "按类别“" + c.Name + "”的分派规则：主办 " + c.LeadDeptName
}

// SLAWarningNote is the timeline note of a demand whose clock turned
// yellow or red with the resolution limit due.
func SLAWarningNote(level SLALevel, due time.Time) string {
	if level == SLARed {
		return "已超过办结时限 " + shanghaiMinute(due)
	}
	return "办结时限已用去75%，将于 " + shanghaiMinute(due) + " 到期"
}

// ItemsDoneNote is the timeline note of a demand whose consultation's
// action items are all done.
func ItemsDoneNote(consultationTitle string) string {
	return "会商事项已全部完成：" + consultationTitle
}
