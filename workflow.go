package zhagen

import (
	"slices"
	"strconv"
	"strings"
)

// Action is a step of the demand workflow.
type Action string

// Workflow actions.
const (
	ActSubmit           Action = "submit"
	ActAssign           Action = "assign"
	ActAccept           Action = "accept"
	ActReturn           Action = "return"
	ActUpdate           Action = "update"
	ActPause            Action = "pause"
	ActResume           Action = "resume"
	ActExtend           Action = "extend"
	ActApproveExtension Action = "approve_extension"
	ActResolve          Action = "resolve"
	ActRate             Action = "rate"
	ActReopen           Action = "reopen"
	ActWithdraw         Action = "withdraw"
	ActEscalate         Action = "escalate"
	ActMerge            Action = "merge"
	ActLink             Action = "link"
	ActClose            Action = "close"
	ActWarn             Action = "sla_warning"
	ActAttach           Action = "attach"
	// ActWaive lets a demand with open consultation action items be
	// resolved: the dispatcher's override, with its reason on the timeline.
	ActWaive Action = "waive_items"
)

var actionLabels = map[Action]string{
	ActSubmit: "提交", ActAssign: "分派", ActAccept: "签收", ActReturn: "退回", ActUpdate: "办理进展", ActPause: "请企业补充材料",
	ActResume: "补充完毕", ActExtend: "申请延期", ActApproveExtension: "审批延期", ActResolve: "办结", ActRate: "评价",
	ActReopen: "重新办理", ActWithdraw: "撤回", ActEscalate: "提请会商", ActMerge: "合并", ActLink: "关联", ActClose: "关闭",
	ActWarn: "时限预警", ActAttach: "上传附件", ActWaive: "准予先行办结",
}

// Label returns the Chinese name of the action.
func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// Relation says how an actor stands to a demand.
type Relation struct {
	Dispatcher bool // dispatcher or administrator
	Lead       bool // staff of the lead department (or a unit below it)
	Coop       bool // staff of a cooperating department (or below)
	Owner      bool // an enterprise user of the demand's enterprise
	Submitter  bool // filed the demand
}

// InDept reports whether the actor belongs to dept or a unit below it.
func (a *Actor) InDept(dept int64) bool {
	if a == nil || dept == 0 || a.DeptID == 0 {
		return false
	}
	return a.DeptID == dept || strings.Contains(a.DeptPath, "/"+strconv.FormatInt(dept, 10)+"/")
}

// RelationTo computes the actor's relation to d.
func (a *Actor) RelationTo(d *Demand) Relation {
	r := Relation{Dispatcher: a.Has(RoleDispatcher, RoleAdmin)}
	if a.Has(RoleStaff) {
		r.Lead = a.InDept(d.LeadDeptID)
		r.Coop = slices.ContainsFunc(d.CoopDeptIDs, a.InDept)
	}
	r.Owner = a.Has(RoleEnterprise) && a.EnterpriseID != 0 && a.EnterpriseID == d.EnterpriseID
	r.Submitter = a != nil && a.UserID != 0 && a.UserID == d.SubmitterID
	return r
}

// FieldKind is the kind of an action's input field; a form picks its
// widget by it.
type FieldKind string

// Field kinds.
const (
	FieldText     FieldKind = "text"     // text of up to 4000 characters
	FieldLine     FieldKind = "line"     // one line of text
	FieldDept     FieldKind = "dept"     // a department
	FieldDepts    FieldKind = "depts"    // several departments
	FieldPriority FieldKind = "priority" // a Priority
	FieldDays     FieldKind = "days"     // a number of working days
	FieldYesNo    FieldKind = "yesno"    // yes or no
	FieldRating   FieldKind = "rating"   // a Rating
	FieldDemand   FieldKind = "demand"   // another demand's number
)

// ActionField is an input of an action: Name is the Transition's JSON
// name and the form field's, Label a message key of its label.
type ActionField struct {
	Name     string
	Kind     FieldKind
	Required bool
	Label    string
}

// Fact names something sqldb loads before the domain plans a step; an
// action declares the facts it needs (see TransitionFacts).
type Fact uint8

// Facts.
const (
	FactCategory    Fact = 1 << iota // the demand's category, for its SLA rules
	FactDepartments                  // the names of the departments
	FactTarget                       // the demand TargetID names
	FactActionItems                  // the open action items of the demand's consultations
)

// ActionSpec declares one workflow action: who may take it, from which
// statuses, what it asks for and what it needs loaded; plan turns it into
// a Plan.
type ActionSpec struct {
	Action Action
	// Who reports whether the actor may take the action on d. It is the
	// one place the action's permission is decided.
	Who  func(a *Actor, d *Demand) bool
	From []DemandStatus
	// Ready, when set, is a further condition on d under which the
	// action is offered (e.g. a pending extension request to approve).
	Ready  func(d *Demand) bool
	Fields []ActionField
	Needs  Fact
	plan   func(p *planner) error
}

var openStatuses = []DemandStatus{DemandSubmitted, DemandAssigned, DemandReturned, DemandAccepted, DemandInProgress, DemandWaiting, DemandEscalated}
var workingStatuses = []DemandStatus{DemandAccepted, DemandInProgress, DemandWaiting, DemandEscalated}

// rel lifts a predicate on the actor's relation to a demand.
func rel(f func(r Relation) bool) func(a *Actor, d *Demand) bool {
	return func(a *Actor, d *Demand) bool { return f(a.RelationTo(d)) }
}

func note(label string, required bool) ActionField {
	return ActionField{Name: "note", Kind: FieldText, Required: required, Label: label}
}

// actionSpecs is the workflow: one entry per action.
var actionSpecs = map[Action]*ActionSpec{
	ActAssign: {Who: rel(func(r Relation) bool { return r.Dispatcher }), From: openStatuses,
		Fields: []ActionField{{"lead_dept_id", FieldDept, true, "dm.f.lead_dept"}, {"coop_dept_ids", FieldDepts, false, "dm.f.coop_depts"},
			{"priority", FieldPriority, false, "dm.f.priority"}},
		Needs: FactDepartments | FactCategory, plan: planAssign},
	ActAccept: {Who: rel(func(r Relation) bool { return r.Lead }), From: []DemandStatus{DemandAssigned}, plan: planAccept},
	ActReturn: {Who: rel(func(r Relation) bool { return r.Lead }), From: []DemandStatus{DemandAssigned, DemandAccepted},
		Fields: []ActionField{note("dm.act.return.reason", true)}, plan: planReturn},
	ActUpdate: {Who: rel(func(r Relation) bool { return r.Lead || r.Coop }), From: workingStatuses,
		Fields: []ActionField{note("dm.act.update.note", true), {"public", FieldYesNo, false, "dm.act.public"}}, plan: planUpdate},
	ActPause: {Who: rel(func(r Relation) bool { return r.Lead }), From: []DemandStatus{DemandAccepted, DemandInProgress},
		Fields: []ActionField{note("dm.act.pause.note", true)}, plan: planPause},
	ActResume: {Who: rel(func(r Relation) bool { return r.Lead || r.Owner }), From: []DemandStatus{DemandWaiting},
		Fields: []ActionField{{"supplement", FieldText, false, "dm.act.resume.text"}}, plan: planResume},
	ActExtend: {Who: rel(func(r Relation) bool { return r.Lead }), From: workingStatuses, Ready: func(d *Demand) bool { return d.ExtensionDays == 0 },
		Fields: []ActionField{{"days", FieldDays, true, "dm.act.extend.days"}, note("dm.act.extend.reason", true)}, plan: planExtend},
	ActApproveExtension: {Who: rel(func(r Relation) bool { return r.Dispatcher }), From: workingStatuses, Ready: func(d *Demand) bool { return d.ExtensionDays > 0 },
		Fields: []ActionField{{"approve", FieldYesNo, true, "dm.action.approve_extension"}, note("dm.act.note", false)}, plan: planApproveExtension},
	ActResolve: {Who: rel(func(r Relation) bool { return r.Lead }), From: []DemandStatus{DemandAccepted, DemandInProgress, DemandEscalated},
		Fields: []ActionField{{"resolution", FieldText, true, "dm.act.resolve.text"}}, Needs: FactActionItems, plan: planResolve},
	ActRate: {Who: rel(func(r Relation) bool { return r.Owner }), From: []DemandStatus{DemandResolved},
		Fields: []ActionField{{"rating", FieldRating, true, "dm.f.rating"}, {"solved", FieldYesNo, true, "dm.f.solved"}, note("dm.f.comment", false)},
		Needs:  FactCategory, plan: planRate},
	ActReopen: {Who: rel(func(r Relation) bool { return r.Dispatcher }), From: []DemandStatus{DemandResolved, DemandClosed},
		Fields: []ActionField{note("dm.act.reopen.reason", true)}, Needs: FactCategory, plan: planReopen},
	ActWithdraw: {Who: rel(func(r Relation) bool { return r.Owner || r.Submitter }),
		From: []DemandStatus{DemandSubmitted, DemandAssigned, DemandReturned, DemandAccepted, DemandInProgress, DemandWaiting}, plan: planWithdraw},
	ActEscalate: {Who: rel(func(r Relation) bool { return r.Dispatcher || r.Lead }), From: []DemandStatus{DemandAccepted, DemandInProgress},
		Fields: []ActionField{{"consultation", FieldLine, true, "dm.act.escalate.topic"}}, plan: planEscalate},
	ActMerge: {Who: rel(func(r Relation) bool { return r.Dispatcher }), From: openStatuses,
		Fields: []ActionField{{"target_id", FieldDemand, true, "dm.act.merge.target"}}, Needs: FactTarget, plan: planMerge},
	ActLink: {Who: rel(func(r Relation) bool { return r.Dispatcher || r.Lead }), From: DemandStatuses,
		Fields: []ActionField{{"target_id", FieldDemand, true, "dm.act.link.target"}}, Needs: FactTarget, plan: planLink},
	ActClose: {Who: rel(func(r Relation) bool { return r.Dispatcher }), From: []DemandStatus{DemandResolved}, plan: planClose},
	ActWaive: {Who: rel(func(r Relation) bool { return r.Dispatcher }), From: workingStatuses, Ready: func(d *Demand) bool { return d.ConsultationID != 0 },
		Fields: []ActionField{note("dm.act.waive.reason", true)}, plan: planWaive},
}

// WorkflowActions lists the actions people take, in the order a UI shows
// them.
var WorkflowActions = []Action{ActAccept, ActUpdate, ActResolve, ActPause, ActResume, ActExtend, ActApproveExtension, ActReturn,
	ActEscalate, ActWaive, ActAssign, ActRate, ActReopen, ActWithdraw, ActMerge, ActLink}

// ActionFields returns the input fields of the action, in form order.
func ActionFields(act Action) []ActionField {
	if s, ok := actionSpecs[act]; ok {
		return slices.Clone(s.Fields)
	}
	return nil
}

// TransitionNeeds returns the facts sqldb loads before planning act.
func TransitionNeeds(act Action) Fact {
	if s, ok := actionSpecs[act]; ok {
		return s.Needs
	}
	return 0
}

// Allowed reports whether the actor may take the action on d now.
func (a *Actor) Allowed(d *Demand, act Action) bool {
	s, ok := actionSpecs[act]
	return ok && s.Who(a, d) && slices.Contains(s.From, d.Status) && (s.Ready == nil || s.Ready(d))
}

// AvailableActions lists what the actor may do with d now.
func (a *Actor) AvailableActions(d *Demand) []Action {
	var out []Action
	for _, act := range WorkflowActions {
		if a.Allowed(d, act) {
			out = append(out, act)
		}
	}
	return out
}
