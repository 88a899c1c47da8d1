package zhagen

import "strings"

// Project permissions: key projects, their milestones and approvals, and
// consultations with their action items.
//
// Ownership. A key project is owned by its owner department (DeptID) or
// owner enterprise (EnterpriseID) and served by its point-to-point
// liaison (UserID); the departments with open action items on it take
// part (DeptIDs). Reporting progress — the stage, milestones, filing and
// withdrawing approvals — is acting as its owner: staff of the owner
// department itself (RelOwnDept), not of a unit below or above it. An
// approval is accepted and decided by its approving department (DeptIDs),
// again that department itself, and by nobody else: a statutory approval
// is that department's act, so the command centre sees and urges it
// (PermApprovalUrge) but does not decide it.
//
// A consultation is owned by its convener (UserID) and the convener's
// department (DeptID); invited departments, the departments owning its
// action items and those handling its linked demands take part
// (DeptIDs), invited people in person (UserIDs); it concerns its
// project's owner enterprise and its linked demands' enterprises.
// Managing it is for the convener, staff of the convener's department
// itself and the command centre. An action item is owned by its owner
// department (DeptID) and assigned to its assignee (UserID); its
// consultation's convener and convener's department see it too.
//
// A project's stakeholders see the problems (demands) raised on it
// (PermProjectDemands): the demand scope reaches them through
// RelStakeholder.
const (
	PermProjectView     Perm = "project.view"     // read a key project with its milestones
	PermProjectCreate   Perm = "project.create"   // register a key project
	PermProjectEdit     Perm = "project.edit"     // change every field of a project
	PermProjectStatus   Perm = "project.status"   // move a project's construction stage
	PermProjectOverview Perm = "project.overview" // the overview across projects
	PermProjectRaise    Perm = "project.raise"    // raise a problem (a demand) on a project
	PermProjectDemands  Perm = "project.demands"  // see the problems raised on a project: its stakeholders
	PermMilestoneSave   Perm = "milestone.save"   // add or change a milestone

	PermApprovalView     Perm = "approval.view"     // read an approval
	PermApprovalFile     Perm = "approval.file"     // file an approval for a project
	PermApprovalAccept   Perm = "approval.accept"   // accept a filed approval
	PermApprovalDecide   Perm = "approval.decide"   // approve or reject it
	PermApprovalWithdraw Perm = "approval.withdraw" // withdraw it
	PermApprovalUrge     Perm = "approval.urge"     // remind the approving department of a waiting approval (催办)

	PermConsultationView   Perm = "consultation.view"   // read a consultation with its invitees, demands and items
	PermConsultationCreate Perm = "consultation.create" // convene a consultation
	PermConsultationManage Perm = "consultation.manage" // change a consultation, link demands, invite
	PermConsultationAttend Perm = "consultation.attend" // answer an invitation

	PermItemView     Perm = "action_item.view"     // read an action item
	PermItemList     Perm = "action_item.list"     // the action items one answers for: lists and the workbench
	PermItemAdd      Perm = "action_item.add"      // assign an action item at a consultation
	PermItemComplete Perm = "action_item.complete" // mark an action item done with evidence
	PermItemUpload   Perm = "action_item.upload"   // add a file to an action item on its own: nobody, evidence comes with completion
	PermItemCancel   Perm = "action_item.cancel"   // cancel an action item
)

// projectProgress reports a project's progress: the command centre, the
// liaison, the owner department itself and the owner enterprise.
var projectProgress = []Grant{
	{Roles: centreRoles},
	{Roles: govRoles, Via: RelSelf},
	{Roles: []Role{RoleStaff}, Via: RelOwnDept},
	{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
}

// approvalDeciders: the approving department itself, only.
var approvalDeciders = []Grant{
	{Roles: []Role{RoleStaff}, Via: RelPartDept},
}

// consultManagers: the command centre, the convener and the convener's
// department itself.
var consultManagers = []Grant{
	{Roles: centreRoles},
	{Roles: govRoles, Via: RelSelf},
	{Roles: []Role{RoleStaff}, Via: RelOwnDept},
}

// consultParties are the roles that take part in consultations in person.
var consultParties = []Role{RoleAdmin, RoleDispatcher, RoleLeader, RoleStaff, RoleCadre, RoleEnterprise}

var projectRules = map[Perm]permRule{
	PermProjectView: {deny: "当前用户无权查看重点项目", grants: []Grant{
		{Roles: govRoles},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermProjectCreate:   {deny: "仅管理员或指挥中心可以登记重点项目", grants: []Grant{{Roles: centreRoles}}},
	PermProjectEdit:     {deny: "仅管理员或指挥中心可以修改重点项目信息", grants: []Grant{{Roles: centreRoles}}},
	PermProjectStatus:   {deny: "当前用户无权修改该重点项目", grants: projectProgress},
	PermProjectOverview: {deny: "仅指挥中心和领导可以查看项目总览", grants: []Grant{{Roles: readAll}}},
	PermProjectRaise: {deny: "当前用户不能就该重点项目提出问题", grants: []Grant{
		{Roles: []Role{RoleAdmin, RoleDispatcher, RoleCadre}},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermProjectDemands: {deny: "当前用户无权查看该重点项目的问题", grants: []Grant{
		{Roles: readAll},
		{Roles: []Role{RoleStaff}, Via: RelDeptBelow | RelPartDeptBelow},
		{Roles: govRoles, Via: RelSelf},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermMilestoneSave: {deny: "仅指挥中心、点对点联系干部或业主单位可以更新项目节点", grants: projectProgress},

	PermApprovalView: {deny: "当前用户无权查看审批事项", grants: []Grant{
		{Roles: readAll},
		{Roles: []Role{RoleStaff}, Via: RelDeptBelow | RelPartDeptBelow},
		{Roles: []Role{RoleCadre}, Via: RelSelf},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermApprovalFile:     {deny: "仅业主单位、点对点联系干部或指挥中心可以申报审批", grants: projectProgress},
	PermApprovalAccept:   {deny: "仅审批部门可以受理", grants: approvalDeciders},
	PermApprovalDecide:   {deny: "仅审批部门可以作出审批决定", grants: approvalDeciders},
	PermApprovalWithdraw: {deny: "仅申报单位可以撤回审批", grants: projectProgress},
	PermApprovalUrge:     {deny: "仅指挥中心可以催办审批", grants: []Grant{{Roles: centreRoles}}},

	PermConsultationView: {deny: "当前用户无权查看会商", grants: []Grant{
		{Roles: readAll},
		{Roles: []Role{RoleStaff, RoleCadre, RoleEnterprise}, Via: RelSelf | RelPart},
		{Roles: []Role{RoleStaff}, Via: RelDeptBelow | RelPartDeptBelow},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermConsultationCreate: {deny: "当前角色不能召集会商", grants: []Grant{{Roles: []Role{RoleAdmin, RoleDispatcher, RoleStaff}}}},
	PermConsultationManage: {deny: "仅召集人或指挥中心可以修改会商记录", grants: consultManagers},
	PermConsultationAttend: {deny: "您或您的部门未受邀参加该会商", grants: []Grant{
		{Roles: consultParties, Via: RelPart},
		{Roles: []Role{RoleStaff}, Via: RelPartDept},
	}},

	PermItemView: {deny: "当前用户无权查看会商事项", grants: []Grant{
		{Roles: readAll},
		{Roles: []Role{RoleStaff}, Via: RelDeptBelow | RelPartDeptBelow},
		{Roles: []Role{RoleStaff, RoleCadre, RoleEnterprise}, Via: RelSelf | RelPart},
	}},
	PermItemList: {deny: "当前用户无权查看会商事项清单", grants: []Grant{
		{Roles: readAll},
		{Roles: []Role{RoleStaff}, Via: RelDeptBelow},
		{Roles: []Role{RoleStaff, RoleCadre, RoleEnterprise}, Via: RelSelf},
	}},
	PermItemAdd:    {deny: "仅召集人或指挥中心可以布置会商事项", grants: consultManagers},
	PermItemUpload: {deny: "佐证材料随办结会商事项一并上传"},
	PermItemComplete: {deny: "仅责任部门或经办人可以办结会商事项", grants: []Grant{
		{Roles: centreRoles},
		{Roles: []Role{RoleStaff}, Via: RelOwnDept},
		{Roles: consultParties, Via: RelSelf},
	}},
	PermItemCancel: {deny: "仅召集人或指挥中心可以取消会商事项", grants: consultManagers},
}

// ProjectFacts are the ownership facts of p: its owner department or
// enterprise, its liaison, and itemDepts, the departments with open
// action items on it (needed only for PermProjectDemands).
func ProjectFacts(p *Project, itemDepts []int64) Facts {
	return Facts{DeptID: p.OwnerDeptID, EnterpriseID: p.OwnerEnterpriseID, UserID: p.LiaisonID, DeptIDs: itemDepts}
}

// ProjectStakeholder reports whether the actor is a stakeholder of p and
// so sees the problems raised on it: the Stakeholder fact of those
// demands. itemDepts are the departments with open action items on p.
func ProjectStakeholder(a *Actor, p *Project, itemDepts []int64) bool {
	return Can(a, PermProjectDemands, ProjectFacts(p, itemDepts))
}

// ApprovalFacts are the ownership facts of x, an approval for project p:
// p's owners file and withdraw it, x's department decides it.
func ApprovalFacts(x *Approval, p *Project) Facts {
	f := ProjectFacts(p, nil)
	if x.DeptID != 0 {
		f.DeptIDs = []int64{x.DeptID}
	}
	return f
}

// ConsultationFacts are the ownership facts of c, loaded with its
// invitees and items: its convener and the convener's department, the
// departments and people taking part (invited, owning an item, or, in
// demandDepts, handling a linked demand), and the enterprises it
// concerns: projectEnt, the owner of its project, and demandEnts, those
// of its linked demands.
func ConsultationFacts(c *Consultation, projectEnt int64, demandEnts, demandDepts []int64) Facts {
	f := Facts{DeptID: c.ConvenerDept, UserID: c.ConvenerID, EnterpriseID: projectEnt, EnterpriseIDs: demandEnts}
	for _, v := range c.Invitees {
		if v.DeptID != 0 {
			f.DeptIDs = append(f.DeptIDs, v.DeptID)
		}
		if v.UserID != 0 {
			f.UserIDs = append(f.UserIDs, v.UserID)
		}
	}
	for _, it := range c.Items {
		f.DeptIDs = append(f.DeptIDs, it.OwnerDeptID)
	}
	f.DeptIDs = append(f.DeptIDs, demandDepts...)
	return f
}

// InvitationFacts are the facts of c's invitations: the departments and
// people invited take part; nothing else does (PermConsultationAttend).
func InvitationFacts(c *Consultation) Facts {
	var f Facts
	for _, v := range c.Invitees {
		if v.DeptID != 0 {
			f.DeptIDs = append(f.DeptIDs, v.DeptID)
		}
		if v.UserID != 0 {
			f.UserIDs = append(f.UserIDs, v.UserID)
		}
	}
	return f
}

// ItemFacts are the ownership facts of it, an action item of
// consultation c (nil when not loaded): its owner department and
// assignee; c's convener and the convener's department take part.
func ItemFacts(it *ActionItem, c *Consultation) Facts {
	f := Facts{DeptID: it.OwnerDeptID, UserID: it.AssigneeID}
	if c != nil {
		if c.ConvenerDept != 0 {
			f.DeptIDs = []int64{c.ConvenerDept}
		}
		if c.ConvenerID != 0 {
			f.UserIDs = []int64{c.ConvenerID}
		}
	}
	return f
}

// MyInvitation returns the invitation of c the actor answers
// (PermConsultationAttend): their own, else their department's; nil when
// there is none.
func MyInvitation(a *Actor, c *Consultation) *Invitee {
	answers := func(v *Invitee) bool {
		return Can(a, PermConsultationAttend, InvitationFacts(&Consultation{Invitees: []*Invitee{v}}))
	}
	for _, v := range c.Invitees {
		if v.UserID != 0 && answers(v) {
			return v
		}
	}
	for _, v := range c.Invitees {
		if v.DeptID != 0 && answers(v) {
			return v
		}
	}
	return nil
}

// projectInfo are the fields of a key project that PermProjectEdit
// changes, by the name the API and the form give them, with their label
// and their value as stored (Project.Validate trims the texts).
var projectInfo = []struct {
	field, label string
	value        func(*Project) any
}{
	{"name", "项目名称", func(p *Project) any { return strings.TrimSpace(p.Name) }},
	{"level", "项目级别", func(p *Project) any { return p.Level }},
	{"owner_enterprise_id", "业主企业", func(p *Project) any { return p.OwnerEnterpriseID }},
	{"owner_dept_id", "业主单位", func(p *Project) any { return p.OwnerDeptID }},
	{"industry", "行业", func(p *Project) any { return strings.TrimSpace(p.Industry) }},
	{"investment", "总投资", func(p *Project) any { return p.Investment }},
	{"area", "片区", func(p *Project) any { return strings.TrimSpace(p.Area) }},
	{"building", "楼栋", func(p *Project) any { return strings.TrimSpace(p.Building) }},
	{"liaison_id", "点对点联系干部", func(p *Project) any { return p.LiaisonID }},
	{"description", "项目简介", func(p *Project) any { return strings.TrimSpace(p.Description) }},
}

// AuthorizeProjectChange decides a change of the key project cur into
// next field by field: whoever may PermProjectEdit changes every field;
// whoever may only PermProjectStatus (the owner, the liaison) moves the
// status and changes nothing else. A field changed beyond what the actor
// may change is refused — EFORBIDDEN naming the field, with
// PermProjectEdit's message and the field's label — rather than dropped
// in silence; fields sent unchanged are no change.
func AuthorizeProjectChange(a *Actor, cur, next *Project) error {
	facts := ProjectFacts(cur, nil)
	if Can(a, PermProjectEdit, facts) {
		return nil
	}
	for _, f := range projectInfo {
		if f.value(cur) != f.value(next) {
			e := Forbidden(PermProjectEdit)
			e.Message += "（" + f.label + "）"
			e.Field, e.Fields = f.field, []FieldError{{Field: f.field, Message: e.Message}}
			return e
		}
	}
	return Authorize(a, PermProjectStatus, facts)
}
