package zhagen

import (
	"slices"
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
	ActSupervise        Action = "supervise" // a supervision order raised, replied, closed or escalated (timeline only)
	ActAttach           Action = "attach"
	// ActWaive lets a demand with open consultation action items be
	// resolved: the dispatcher's override, with its reason on the timeline.
	ActWaive Action = "waive_items"
	// ActFollowUpReopen sends a closed or withdrawn demand back to work
	// when its follow-up finds the problem unsolved (or the withdrawal
	// pressed); it is taken only through FollowUpService.RecordFollowUp.
	ActFollowUpReopen Action = "followup_reopen"
	// ActFollowUp is the timeline step of a recorded follow-up.
	ActFollowUp Action = "followup"
)

var actionLabels = map[Action]string{
	ActSubmit: "提交", ActAssign: "分派", ActAccept: "签收", ActReturn: "退回", ActUpdate: "办理进展", ActPause: "请企业补充材料",
	ActResume: "补充完毕", ActExtend: "申请延期", ActApproveExtension: "审批延期", ActResolve: "办结", ActRate: "评价",
	ActReopen: "重新办理", ActWithdraw: "撤回", ActEscalate: "提请会商", ActMerge: "合并", ActLink: "关联", ActClose: "关闭",
	ActWarn: "时限预警", ActAttach: "上传附件", ActWaive: "准予先行办结", ActSupervise: "督办", ActFollowUpReopen: "回访后重新办理",
	ActFollowUp: "回访", ActTopic: "每月一题答复",
}

// Label returns the Chinese name of the action.
func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
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
	FactFiles                        // the demand's files uploaded since it was accepted
)

// ActionSpec declares one workflow action: who may take it, from which
// statuses, what it asks for and what it needs loaded; plan turns it into
// a Plan.
type ActionSpec struct {
	Action Action
	// Perm is the permission the action needs (policy_demand.go).
	Perm Perm
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

func note(label string, required bool) ActionField {
	return ActionField{Name: "note", Kind: FieldText, Required: required, Label: label}
}

// actionSpecs is the workflow: one entry per action.
var actionSpecs = map[Action]*ActionSpec{
	ActAssign: {Perm: PermDemandAssign, From: openStatuses,
		Fields: []ActionField{{"lead_dept_id", FieldDept, true, "dm.f.lead_dept"}, {"coop_dept_ids", FieldDepts, false, "dm.f.coop_depts"},
			{"priority", FieldPriority, false, "dm.f.priority"}},
		Needs: FactDepartments | FactCategory, plan: planAssign},
	ActAccept: {Perm: PermDemandAccept, From: []DemandStatus{DemandAssigned}, plan: planAccept},
	ActReturn: {Perm: PermDemandReturn, From: []DemandStatus{DemandAssigned, DemandAccepted},
		Fields: []ActionField{note("dm.act.return.reason", true)}, plan: planReturn},
	ActUpdate: {Perm: PermDemandUpdate, From: workingStatuses,
		Fields: []ActionField{note("dm.act.update.note", true), {"public", FieldYesNo, false, "dm.act.public"}}, plan: planUpdate},
	ActPause: {Perm: PermDemandPause, From: []DemandStatus{DemandAccepted, DemandInProgress},
		Fields: []ActionField{note("dm.act.pause.note", true)}, plan: planPause},
	ActResume: {Perm: PermDemandResume, From: []DemandStatus{DemandWaiting},
		Fields: []ActionField{{"supplement", FieldText, false, "dm.act.resume.text"}}, plan: planResume},
	ActExtend: {Perm: PermDemandExtend, From: workingStatuses, Ready: func(d *Demand) bool { return d.ExtensionDays == 0 },
		Fields: []ActionField{{"days", FieldDays, true, "dm.act.extend.days"}, note("dm.act.extend.reason", true)}, plan: planExtend},
	ActApproveExtension: {Perm: PermDemandApproveExtension, From: workingStatuses, Ready: func(d *Demand) bool { return d.ExtensionDays > 0 },
		Fields: []ActionField{{"approve", FieldYesNo, true, "dm.action.approve_extension"}, note("dm.act.note", false)}, plan: planApproveExtension},
	ActResolve: {Perm: PermDemandResolve, From: []DemandStatus{DemandAccepted, DemandInProgress, DemandEscalated},
		Fields: []ActionField{{"resolution", FieldText, true, "dm.act.resolve.text"}}, Needs: FactActionItems | FactCategory | FactFiles, plan: planResolve},
	ActRate: {Perm: PermDemandRate, From: []DemandStatus{DemandResolved},
		Fields: []ActionField{{"rating", FieldRating, true, "dm.f.rating"}, {"solved", FieldYesNo, true, "dm.f.solved"}, note("dm.f.comment", false)},
		Needs:  FactCategory, plan: planRate},
	ActReopen: {Perm: PermDemandReopen, From: []DemandStatus{DemandResolved, DemandClosed},
		Fields: []ActionField{note("dm.act.reopen.reason", true)}, Needs: FactCategory, plan: planReopen},
	ActWithdraw: {Perm: PermDemandWithdraw,
		From:  []DemandStatus{DemandSubmitted, DemandAssigned, DemandReturned, DemandAccepted, DemandInProgress, DemandWaiting},
		Needs: FactCategory, plan: planWithdraw},
	ActEscalate: {Perm: PermDemandEscalate, From: []DemandStatus{DemandAccepted, DemandInProgress},
		Fields: []ActionField{{"consultation", FieldLine, true, "dm.act.escalate.topic"}}, plan: planEscalate},
	ActMerge: {Perm: PermDemandMerge, From: openStatuses,
		Fields: []ActionField{{"target_id", FieldDemand, true, "dm.act.merge.target"}}, Needs: FactTarget, plan: planMerge},
	ActLink: {Perm: PermDemandLink, From: DemandStatuses,
		Fields: []ActionField{{"target_id", FieldDemand, true, "dm.act.link.target"}}, Needs: FactTarget, plan: planLink},
	// Closing is offered in place of a rating only for a demand that no
	// enterprise rates; the scheduled close of unrated demands takes it
	// too (planClose).
	ActClose: {Perm: PermDemandClose, From: []DemandStatus{DemandResolved}, Ready: func(d *Demand) bool { return d.EnterpriseID == 0 },
		Fields: []ActionField{{"solved", FieldYesNo, true, "dm.f.solved"}, note("dm.act.close.note", false)}, Needs: FactCategory, plan: planClose},
	ActWaive: {Perm: PermDemandWaive, From: workingStatuses, Ready: func(d *Demand) bool { return d.ConsultationID != 0 },
		Fields: []ActionField{note("dm.act.waive.reason", true)}, plan: planWaive},
	// Never offered as a step of its own (Ready): a follow-up's result
	// takes it.
	ActFollowUpReopen: {Perm: PermDemandReopen, From: []DemandStatus{DemandClosed, DemandWithdrawn}, Ready: func(*Demand) bool { return false },
		Fields: []ActionField{note("dm.act.reopen.reason", true)}, Needs: FactCategory, plan: planFollowUpReopen},
}

// ActionPerm is the permission a workflow action needs; "" for a step
// people do not take (submit, warnings, attach).
func ActionPerm(act Action) Perm {
	if s, ok := actionSpecs[act]; ok {
		return s.Perm
	}
	return ""
}

// WorkflowActions lists the actions people take, in the order a UI shows
// them.
var WorkflowActions = []Action{ActAccept, ActUpdate, ActResolve, ActPause, ActResume, ActExtend, ActApproveExtension, ActReturn,
	ActEscalate, ActWaive, ActAssign, ActRate, ActReopen, ActWithdraw, ActMerge, ActLink, ActClose}

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
	return ok && Can(a, s.Perm, DemandFacts(d, false, 0)) && slices.Contains(s.From, d.Status) && (s.Ready == nil || s.Ready(d))
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
