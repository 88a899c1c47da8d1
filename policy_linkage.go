package zhagen

// Linkage permissions: linkages (挂钩关系), visits, red flags, visit
// coverage and linkage suggestions.
//
// Ownership. A linkage and a visit belong to their cadre (RelSelf) and,
// through the cadre, to the cadre's department (Facts.DeptID): staff of
// that department and of the departments above it see them (RelDeptBelow).
// They concern their enterprise: its linked cadres (RelLinked) and, for
// a logged visit, its enterprise users (RelOwnEnterprise) — a planned
// visit is not yet the enterprise's business. An enterprise user reads
// only the public part of a visit (PermVisitInternal is not theirs).
const (
	PermLinkageView      Perm = "linkage.view"              // read linkages
	PermLinkageEdit      Perm = "linkage.edit"              // link a cadre to an enterprise, end a linkage
	PermLinkageImport    Perm = "linkage.import"            // import linkages from a spreadsheet
	PermVisitView        Perm = "visit.view"                // read a visit (its public part)
	PermVisitInternal    Perm = "visit.internal"            // read a visit's internal part: findings, situation, notes, files, flags
	PermVisitLog         Perm = "visit.log"                 // plan or log a visit of an enterprise
	PermVisitEdit        Perm = "visit.edit"                // change a visit
	PermVisitDemand      Perm = "visit.demand"              // file a visit's finding as a demand
	PermVisitUpload      Perm = "visit.upload"              // add a photo or file to a visit
	PermCoverageView     Perm = "coverage.view"             // visit coverage over the linkages one reads
	PermRedFlagView      Perm = "red_flag.view"             // read red flags
	PermRedFlagClear     Perm = "red_flag.clear"            // clear a red flag by hand
	PermRedFlagRuleView  Perm = "red_flag_rule.view"        // read the red-flag rules
	PermRedFlagRuleEdit  Perm = "red_flag_rule.edit"        // add, enable and disable red-flag rules
	PermSuggestionView   Perm = "linkage_suggestion.view"   // read linkage suggestions
	PermSuggestionRun    Perm = "linkage_suggestion.run"    // compute a linkage suggestion
	PermSuggestionAccept Perm = "linkage_suggestion.accept" // accept pairs of a suggestion as linkages
)

// linkageOverseers read every linkage, visit coverage and red flag.
var linkageOverseers = []Role{RoleAdmin, RoleDispatcher, RoleLeader, RoleStaff}

var linkageRules = map[Perm]permRule{
	PermLinkageView: {deny: "当前角色无权查看挂钩关系", grants: []Grant{
		{Roles: linkageOverseers},
		{Roles: []Role{RoleCadre}, Via: RelSelf | RelLinked},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermLinkageEdit:   {deny: "只有管理员或指挥中心可以调整挂钩关系", grants: []Grant{{Roles: centreRoles}}},
	PermLinkageImport: {deny: "只有管理员或指挥中心可以批量导入挂钩关系", grants: []Grant{{Roles: centreRoles}}},
	PermVisitView: {deny: "当前角色无权查看走访记录", grants: []Grant{
		{Roles: readAll},
		{Roles: []Role{RoleStaff}, Via: RelDeptBelow},
		{Roles: []Role{RoleCadre}, Via: RelSelf | RelLinked},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermVisitInternal: {deny: "当前角色无权查看走访的内部记录", grants: []Grant{
		{Roles: readAll},
		{Roles: []Role{RoleStaff}, Via: RelDeptBelow},
		{Roles: []Role{RoleCadre}, Via: RelSelf | RelLinked},
	}},
	PermVisitLog: {deny: "只有挂钩干部可以记录走访", grants: []Grant{
		{Roles: centreRoles},
		{Roles: []Role{RoleCadre}, Via: RelLinked},
	}},
	PermVisitEdit: {deny: "只能修改自己的走访记录", grants: []Grant{
		{Roles: centreRoles},
		{Roles: []Role{RoleCadre}, Via: RelSelf},
	}},
	PermVisitDemand: {deny: "只有走访干部可以将发现转为诉求", grants: []Grant{
		{Roles: centreRoles},
		{Roles: govRoles, Via: RelSelf},
	}},
	PermVisitUpload: {deny: "只有走访干部可以上传走访照片和文件", grants: []Grant{
		{Roles: centreRoles},
		{Roles: govRoles, Via: RelSelf},
	}},
	PermCoverageView: {deny: "当前角色无权查看走访覆盖率", grants: []Grant{
		{Roles: linkageOverseers},
		{Roles: []Role{RoleCadre}, Via: RelSelf | RelLinked},
	}},
	PermRedFlagView: {deny: "当前角色无权查看风险预警", grants: []Grant{
		{Roles: linkageOverseers},
		{Roles: []Role{RoleCadre}, Via: RelLinked},
	}},
	PermRedFlagClear:     {deny: "只有管理员或指挥中心可以解除风险预警", grants: []Grant{{Roles: centreRoles}}},
	PermRedFlagRuleView:  {deny: "当前角色无权查看风险预警规则", grants: []Grant{{Roles: govRoles}}},
	PermRedFlagRuleEdit:  {deny: "只有管理员可以配置风险预警规则", grants: []Grant{{Roles: []Role{RoleAdmin}}}},
	PermSuggestionView:   {deny: "当前角色无权查看挂钩建议", grants: []Grant{{Roles: readAll}}},
	PermSuggestionRun:    {deny: "只有管理员或指挥中心可以生成挂钩建议", grants: []Grant{{Roles: centreRoles}}},
	PermSuggestionAccept: {deny: "只有管理员或指挥中心可以采纳挂钩建议", grants: []Grant{{Roles: centreRoles}}},
}

// LinkageFacts are the ownership facts of l: its cadre and the cadre's
// department, its enterprise. linked says whether the actor asking is a
// cadre linked to that enterprise.
func LinkageFacts(l *Linkage, linked bool) Facts {
	return Facts{DeptID: l.DeptID, EnterpriseID: l.EnterpriseID, UserID: l.CadreID, Linked: linked}
}

// VisitFacts are the ownership facts of v: its cadre and the cadre's
// department (cadreDept), and, once the visit is logged, its enterprise.
// linked says whether the actor asking is a cadre linked to v's
// enterprise. The facts of a visit to be logged are those of a new Visit
// of the enterprise.
func VisitFacts(v *Visit, cadreDept int64, linked bool) Facts {
	f := Facts{DeptID: cadreDept, UserID: v.CadreID, Linked: linked}
	if v.Status == VisitLogged {
		f.EnterpriseID = v.EnterpriseID
	}
	return f
}

// RedFlagFacts are the ownership facts of a red flag: its enterprise;
// linked says whether the actor asking is a cadre linked to it.
func RedFlagFacts(f *RedFlag, linked bool) Facts {
	return Facts{EnterpriseID: f.EnterpriseID, Linked: linked}
}
