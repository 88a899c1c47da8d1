package zhagen

// Demand permissions: reading and filing demands, each workflow action,
// files, the category catalogue and the three rates.
//
// Tree semantics (policy.go): reading a demand and the rates extends down
// the department tree (RelDeptBelow, RelPartDeptBelow); every workflow
// action a department takes as owner — accept, return, update, pause,
// resume, extend, resolve, escalate, link, attach — is granted only to
// the staff of the lead or cooperating department itself (RelOwnDept,
// RelPartDept). No workflow action is granted through RelLinked or
// RelChannel, so PlanTransition may check them with DemandFacts(d, false, 0)
// (a test keeps it so).
const (
	PermDemandView       Perm = "demand.view"       // read a demand, its public timeline, files and linked demands
	PermDemandInternal   Perm = "demand.internal"   // read a demand's internal timeline steps too
	PermDemandCreate     Perm = "demand.create"     // file a demand for an enterprise (Facts: the enterprise, Linked, the channel, a project's liaison in UserIDs)
	PermDemandPrioritize Perm = "demand.prioritize" // set the priority of a demand being filed
	PermDemandAttach     Perm = "demand.attach"     // upload a file to a demand
	PermDemandBulkLoad   Perm = "demand.bulk_load"  // store synthetic demands for load tests

	PermDemandAssign           Perm = "demand.assign"
	PermDemandAccept           Perm = "demand.accept"
	PermDemandReturn           Perm = "demand.return"
	PermDemandUpdate           Perm = "demand.update"
	PermDemandPause            Perm = "demand.pause"
	PermDemandResume           Perm = "demand.resume"
	PermDemandExtend           Perm = "demand.extend"
	PermDemandApproveExtension Perm = "demand.approve_extension"
	PermDemandResolve          Perm = "demand.resolve"
	PermDemandRate             Perm = "demand.rate"
	PermDemandReopen           Perm = "demand.reopen"
	PermDemandWithdraw         Perm = "demand.withdraw"
	PermDemandEscalate         Perm = "demand.escalate"
	PermDemandMerge            Perm = "demand.merge"
	PermDemandLink             Perm = "demand.link"
	PermDemandClose            Perm = "demand.close"
	PermDemandWaive            Perm = "demand.waive_items"

	PermCategoryView Perm = "category.view" // read the category catalogue
	PermCategoryEdit Perm = "category.edit" // create and change categories

	PermRatesView      Perm = "rates.view"    // the three rates (三率) of the demands led by a department
	PermRankingWeights Perm = "rates.weights" // set the weights of the departments' overall score
)

// Conditions on the actor used by grants.
func asChannel(a *Actor) bool      { return a.IntakeChannelID != 0 }
func asUser(a *Actor) bool         { return a.UserID != 0 }
func withDept(a *Actor) bool       { return a.DeptID != 0 }
func withEnterprise(a *Actor) bool { return a.EnterpriseID != 0 }

var (
	staffRole      = []Role{RoleStaff}
	cadreRole      = []Role{RoleCadre}
	enterpriseRole = []Role{RoleEnterprise}
	adminRole      = []Role{RoleAdmin}
)

// Grants shared by several demand permissions.
var (
	centre        = Grant{Roles: centreRoles}
	leadDept      = Grant{Roles: staffRole, Via: RelOwnDept, If: withDept}
	leadOrCoop    = Grant{Roles: staffRole, Via: RelOwnDept | RelPartDept, If: withDept}
	ownEnterprise = Grant{Roles: enterpriseRole, Via: RelOwnEnterprise, If: withEnterprise}
	ownPerson     = Grant{Via: RelSelf, If: asUser} // any user, as the object's person
)

var demandRules = map[Perm]permRule{
	PermDemandView: {deny: "当前角色无权查看诉求", grants: []Grant{
		{Roles: readAll},
		{Roles: staffRole, Via: RelDeptBelow | RelPartDeptBelow, If: withDept},
		{Roles: cadreRole, Via: RelSelf | RelLinked},
		ownEnterprise,
		{Via: RelChannel, If: asChannel},
		// The stakeholders of the key project it is raised on
		// (PermProjectDemands): its owner department's staff, its
		// liaison cadre, its owner enterprise's users.
		{Roles: staffRole, Via: RelStakeholder, If: withDept},
		{Roles: cadreRole, Via: RelStakeholder},
		{Roles: enterpriseRole, Via: RelStakeholder, If: withEnterprise},
	}},
	PermDemandInternal: {deny: "当前用户只能查看诉求的公开办理记录", grants: []Grant{
		{Roles: readAll},
		{Roles: staffRole, Via: RelDeptBelow | RelPartDeptBelow, If: withDept},
		{Roles: cadreRole, Via: RelSelf},
	}},
	PermDemandCreate: {deny: "当前用户无权为该企业提交诉求（企业用户只能为本企业提交，联系干部只能为挂钩企业或所联系的重点项目提交）", grants: []Grant{
		centre,
		ownEnterprise,
		{Roles: cadreRole, Via: RelLinked | RelPart},
		{Via: RelChannel, If: asChannel},
	}},
	PermDemandPrioritize: {deny: "只有指挥中心可以设定诉求优先级", grants: []Grant{centre}},
	PermDemandAttach: {deny: "当前用户不能为该诉求上传附件", grants: []Grant{
		centre, leadOrCoop, ownEnterprise,
		ownPerson,
	}},
	PermDemandBulkLoad: {deny: "仅管理员可以批量生成诉求数据", grants: []Grant{{Roles: adminRole}}},

	PermDemandAssign:           {deny: "只有指挥中心可以分派诉求", grants: []Grant{centre}},
	PermDemandAccept:           {deny: "只有主办部门人员可以签收该诉求", grants: []Grant{leadDept}},
	PermDemandReturn:           {deny: "只有主办部门人员可以退回该诉求", grants: []Grant{leadDept}},
	PermDemandUpdate:           {deny: "只有主办或协办部门人员可以填写该诉求的办理进展", grants: []Grant{leadOrCoop}},
	PermDemandPause:            {deny: "只有主办部门人员可以请企业补充材料", grants: []Grant{leadDept}},
	PermDemandResume:           {deny: "只有主办部门人员或诉求企业可以确认补充完毕", grants: []Grant{leadDept, ownEnterprise}},
	PermDemandExtend:           {deny: "只有主办部门人员可以申请延期", grants: []Grant{leadDept}},
	PermDemandApproveExtension: {deny: "只有指挥中心可以审批延期申请", grants: []Grant{centre}},
	PermDemandResolve:          {deny: "只有主办部门人员可以办结该诉求", grants: []Grant{leadDept}},
	PermDemandRate:             {deny: "只有诉求企业的用户可以评价办理结果", grants: []Grant{ownEnterprise}},
	PermDemandReopen:           {deny: "只有指挥中心可以决定重新办理", grants: []Grant{centre}},
	PermDemandWithdraw:         {deny: "只有诉求企业或提交人可以撤回诉求", grants: []Grant{ownEnterprise, ownPerson}},
	PermDemandEscalate:         {deny: "只有指挥中心或主办部门人员可以提请会商", grants: []Grant{centre, leadDept}},
	PermDemandMerge:            {deny: "只有指挥中心可以合并重复诉求", grants: []Grant{centre}},
	PermDemandLink:             {deny: "只有指挥中心或主办部门人员可以关联诉求", grants: []Grant{centre, leadDept}},
	PermDemandClose:            {deny: "只有指挥中心可以关闭诉求", grants: []Grant{centre}},
	PermDemandWaive:            {deny: "只有指挥中心可以准予先行办结", grants: []Grant{centre}},

	PermCategoryView: {deny: "请先登录后查看诉求类别", grants: []Grant{{}}},
	PermCategoryEdit: {deny: "仅管理员可以维护诉求类别", grants: []Grant{{Roles: adminRole}}},

	PermRatesView: {deny: "当前角色无权查看三率统计", grants: []Grant{
		{Roles: readAll},
		{Roles: staffRole, Via: RelDeptBelow, If: withDept},
	}},
	PermRankingWeights: {deny: "仅管理员可以设置综合评分权重", grants: []Grant{{Roles: adminRole}}},
}

// DemandFacts are the ownership facts of d. linked says whether the actor
// asking is a cadre linked to d's enterprise; channel is the intake
// channel that filed it.
func DemandFacts(d *Demand, linked bool, channel int64) Facts {
	return Facts{DeptID: d.LeadDeptID, DeptIDs: d.CoopDeptIDs, EnterpriseID: d.EnterpriseID,
		UserID: d.SubmitterID, Linked: linked, ChannelID: channel}
}

// FilingFacts are the facts PermDemandCreate is checked against for a
// demand about to be filed by a: its enterprise, whether a is a cadre
// linked to it, the intake channel filing it, and the liaison of the key
// project it is raised on (0 when none).
func FilingFacts(a *Actor, enterpriseID int64, linked bool, liaisonID int64) Facts {
	f := Facts{EnterpriseID: enterpriseID, Linked: linked, ChannelID: a.IntakeChannelID}
	if liaisonID != 0 {
		f.UserIDs = []int64{liaisonID}
	}
	return f
}

// OwnEnterpriseOnly reports whether a files demands only for its own
// enterprise, whatever enterprise a request names: an enterprise user
// who holds no wider grant of PermDemandCreate.
func OwnEnterpriseOnly(a *Actor) bool {
	all, via := ScopeOf(a, PermDemandCreate)
	return !all && via == RelOwnEnterprise
}
