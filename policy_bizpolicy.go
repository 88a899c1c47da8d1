package zhagen

// Permissions of the policy catalogue (惠企政策), enterprise tags and
// attributes, redemption (政策兑现) and the enterprise profile (一企一档).
//
// A policy is a public document: every government user and every
// enterprise user reads the published ones. An application's Facts: the
// handling department owns it (DeptID), the enterprise is its enterprise
// (EnterpriseID; Linked for its cadres). Seeing extends down the tree;
// handling does not: only the handling department's own staff step.
const (
	PermPolicyView     Perm = "policy.view"        // read the policy catalogue
	PermPolicyEdit     Perm = "policy.edit"        // write and publish policies
	PermPolicyEligible Perm = "policy.eligible"    // see which enterprises qualify for a policy, and why
	PermTagView        Perm = "tag.view"           // read enterprise tags (internal: never enterprises)
	PermTagEdit        Perm = "tag.edit"           // define tags
	PermEnterpriseTag  Perm = "enterprise.tag"     // set an enterprise's tags
	PermEnterpriseAttr Perm = "enterprise.attrs"   // set an enterprise's attributes (headcount, revenue…)
	PermProfileView    Perm = "enterprise.profile" // read an enterprise's full record (一企一档)
	PermAppView        Perm = "policyapp.view"     // read a policy application
	PermAppApply       Perm = "policyapp.apply"    // file an application for an enterprise
	PermAppHandle      Perm = "policyapp.handle"   // accept, review, publicise, pay or reject an application
)

var bizPolicyRules = map[Perm]permRule{
	PermPolicyView: {deny: "当前角色无权查看政策库", grants: []Grant{
		{Roles: govRoles},
		{Roles: enterpriseRole, If: withEnterprise},
	}},
	PermPolicyEdit:     {deny: "只有管理员或指挥中心可以编辑和发布政策", grants: []Grant{{Roles: centreRoles}}},
	PermPolicyEligible: {deny: "当前角色无权查看政策匹配结果", grants: []Grant{{Roles: govRoles}}},
	PermTagView:        {deny: "当前角色无权查看企业标签", grants: []Grant{{Roles: govRoles}}},
	PermTagEdit:        {deny: "仅管理员可以定义企业标签", grants: []Grant{{Roles: adminRole}}},
	PermEnterpriseTag:  {deny: "只有管理员或指挥中心可以设置企业标签", grants: []Grant{{Roles: centreRoles}}},
	PermEnterpriseAttr: {deny: "只有管理员、指挥中心或挂钩干部可以维护企业画像", grants: []Grant{
		{Roles: centreRoles},
		{Roles: cadreRole, Via: RelLinked},
	}},
	PermProfileView: {deny: "一企一档仅供政府工作人员查看", grants: []Grant{{Roles: govRoles}}},
	PermAppView: {deny: "当前用户无权查看该兑现申请", grants: []Grant{
		{Roles: readAll},
		{Roles: staffRole, Via: RelDeptBelow, If: withDept},
		{Roles: cadreRole, Via: RelLinked},
		ownEnterprise,
	}},
	PermAppApply: {deny: "只有本企业、挂钩干部或指挥中心可以申报政策", grants: []Grant{
		{Roles: centreRoles},
		{Roles: cadreRole, Via: RelLinked},
		ownEnterprise,
	}},
	PermAppHandle: {deny: "只有兑现受理部门可以办理该申请", grants: []Grant{
		{Roles: centreRoles},
		leadDept,
	}},
}
