package zhagen

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
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

// InDept reports whether the actor belongs to dept or a unit below it.
func (a *Actor) InDept(dept int64) bool {
	if a == nil || dept == 0 || a.DeptID == 0 {
		return false
	}
	return a.DeptID == dept || strings.Contains(a.DeptPath, "/"+strconv.FormatInt(dept, 10)+"/")
}

// rule is where an action may start from and the permission (see
// policy_demand.go) it needs.
type rule struct {
	from []DemandStatus
	perm Perm
}

var openStatuses = []DemandStatus{DemandSubmitted, DemandAssigned, DemandReturned, DemandAccepted, DemandInProgress, DemandWaiting, DemandEscalated}
var workingStatuses = []DemandStatus{DemandAccepted, DemandInProgress, DemandWaiting, DemandEscalated}

var rules = map[Action]rule{
	ActAssign:           {openStatuses, PermDemandAssign},
	ActAccept:           {[]DemandStatus{DemandAssigned}, PermDemandAccept},
	ActReturn:           {[]DemandStatus{DemandAssigned, DemandAccepted}, PermDemandReturn},
	ActUpdate:           {workingStatuses, PermDemandUpdate},
	ActPause:            {[]DemandStatus{DemandAccepted, DemandInProgress}, PermDemandPause},
	ActResume:           {[]DemandStatus{DemandWaiting}, PermDemandResume},
	ActExtend:           {workingStatuses, PermDemandExtend},
	ActApproveExtension: {workingStatuses, PermDemandApproveExtension},
	ActResolve:          {[]DemandStatus{DemandAccepted, DemandInProgress, DemandEscalated}, PermDemandResolve},
	ActRate:             {[]DemandStatus{DemandResolved}, PermDemandRate},
	ActReopen:           {[]DemandStatus{DemandResolved, DemandClosed}, PermDemandReopen},
	ActWithdraw:         {[]DemandStatus{DemandSubmitted, DemandAssigned, DemandReturned, DemandAccepted, DemandInProgress, DemandWaiting}, PermDemandWithdraw},
	ActEscalate:         {[]DemandStatus{DemandAccepted, DemandInProgress}, PermDemandEscalate},
	ActMerge:            {openStatuses, PermDemandMerge},
	ActLink:             {DemandStatuses, PermDemandLink},
	ActClose:            {[]DemandStatus{DemandResolved}, PermDemandClose},
	ActWaive:            {workingStatuses, PermDemandWaive},
}

// ActionPerm is the permission a workflow action needs; "" for a step
// people do not take (submit, warnings, attach).
func ActionPerm(act Action) Perm { return rules[act].perm }

// WorkflowActions lists the actions people take, in the order a UI shows
// them.
var WorkflowActions = []Action{ActAccept, ActUpdate, ActResolve, ActPause, ActResume, ActExtend, ActApproveExtension, ActReturn,
	ActEscalate, ActWaive, ActAssign, ActRate, ActReopen, ActWithdraw, ActMerge, ActLink}

// Allowed reports whether the actor may take the action on d now.
func (a *Actor) Allowed(d *Demand, act Action) bool {
	r, ok := rules[act]
	if !ok || !Can(a, r.perm, DemandFacts(d, false, 0)) || !slices.Contains(r.from, d.Status) {
		return false
	}
	switch act {
	case ActApproveExtension:
		return d.ExtensionDays > 0
	case ActExtend:
		return d.ExtensionDays == 0
	case ActWaive:
		return d.ConsultationID != 0
	}
	return true
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

// PlanTransition checks t against the actor's role and relation to d
// (EFORBIDDEN), d's status (ECONFLICT) and the fields the action needs
// (EINVALID), and returns the status d moves to.
func PlanTransition(d *Demand, a *Actor, t *Transition) (DemandStatus, error) {
	r, ok := rules[t.Action]
	if !ok {
		return "", &Error{Code: EINVALID, Field: "action", Message: "未知操作：" + string(t.Action)}
	}
	label := t.Action.Label()
	if err := Authorize(a, r.perm, DemandFacts(d, false, 0)); err != nil {
		return "", err
	}
	if !slices.Contains(r.from, d.Status) {
		return "", Errorf(ECONFLICT, "诉求当前状态为“%s”，不能执行“%s”", d.Status.Label(), label)
	}
	t.Note = strings.TrimSpace(t.Note)
	need := func(field, value, msg string) error {
		if strings.TrimSpace(value) == "" {
			return &Error{Code: EINVALID, Field: field, Message: msg, Fields: []FieldError{{Field: field, Message: msg}}}
		}
		if utf8.RuneCountInString(value) > 4000 {
			return &Error{Code: EINVALID, Field: field, Message: "内容不能超过4000个字"}
		}
		return nil
	}
	to := d.Status
	switch t.Action {
	case ActAssign:
		if t.LeadDeptID == 0 {
			return "", &Error{Code: EINVALID, Field: "lead_dept_id", Message: "请选择主办部门"}
		}
		if slices.Contains(t.CoopDeptIDs, t.LeadDeptID) {
			return "", &Error{Code: EINVALID, Field: "coop_dept_ids", Message: "协办部门不能与主办部门相同"}
		}
		if t.Priority != "" && !t.Priority.Valid() {
			return "", &Error{Code: EINVALID, Field: "priority", Message: "优先级无效"}
		}
		to = DemandAssigned
	case ActAccept:
		to = DemandAccepted
	case ActReturn:
		if err := need("note", t.Note, "请填写退回理由"); err != nil {
			return "", err
		}
		to = DemandReturned
	case ActUpdate:
		if err := need("note", t.Note, "请填写办理进展"); err != nil {
			return "", err
		}
		if d.Status == DemandAccepted {
			to = DemandInProgress
		}
	case ActPause:
		if err := need("note", t.Note, "请说明需要企业补充的内容"); err != nil {
			return "", err
		}
		to = DemandWaiting
	case ActResume:
		to = DemandInProgress
	case ActExtend:
		if d.ExtensionDays > 0 {
			return "", Errorf(ECONFLICT, "已有待审批的延期申请（%d个工作日）", d.ExtensionDays)
		}
		if t.Days < 1 || t.Days > 30 {
			return "", &Error{Code: EINVALID, Field: "days", Message: "延期天数须为1–30个工作日"}
		}
		if err := need("note", t.Note, "请填写延期理由"); err != nil {
			return "", err
		}
	case ActApproveExtension:
		if d.ExtensionDays == 0 {
			return "", Errorf(ECONFLICT, "诉求没有待审批的延期申请")
		}
		if t.Approve == nil {
			return "", &Error{Code: EINVALID, Field: "approve", Message: "请选择同意或不同意"}
		}
	case ActResolve:
		if t.Resolution == "" {
			t.Resolution = t.Note
		}
		if err := need("resolution", t.Resolution, "请填写办理结果（答复企业的内容）"); err != nil {
			return "", err
		}
		to = DemandResolved
	case ActRate:
		if ratingLabels[t.Rating] == "" {
			return "", &Error{Code: EINVALID, Field: "rating", Message: "请选择满意、基本满意或不满意"}
		}
		if t.Solved == nil {
			return "", &Error{Code: EINVALID, Field: "solved", Message: "请说明问题是否已解决"}
		}
		to = DemandClosed
		if t.Rating == RatingUnsatisfied {
			to = DemandInProgress // reopened
		}
	case ActReopen:
		if err := need("note", t.Note, "请填写重新办理的理由"); err != nil {
			return "", err
		}
		to = DemandInProgress
	case ActWithdraw:
		to = DemandWithdrawn
	case ActEscalate:
		if t.Consultation == "" {
			t.Consultation = t.Note
		}
		if err := need("consultation", t.Consultation, "请填写会商议题"); err != nil {
			return "", err
		}
		to = DemandEscalated
	case ActMerge:
		if t.TargetID == 0 || t.TargetID == d.ID {
			return "", &Error{Code: EINVALID, Field: "target_id", Message: "请指定要并入的主诉求（不能是自身）"}
		}
		to = DemandMerged
	case ActLink:
		if t.TargetID == 0 || t.TargetID == d.ID {
			return "", &Error{Code: EINVALID, Field: "target_id", Message: "请指定要关联的诉求（不能是自身）"}
		}
	case ActClose:
		to = DemandClosed
	case ActWaive:
		if d.ConsultationID == 0 {
			return "", Errorf(ECONFLICT, "诉求未提请会商，没有需要豁免的会商事项")
		}
		if err := need("note", t.Note, "请填写准予先行办结的理由"); err != nil {
			return "", err
		}
	}
	return to, nil
}
