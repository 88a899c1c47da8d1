package zhagen

// Follow-up and answer-quality permissions: the follow-ups (回访, 撤单核查)
// the command centre makes after a demand ends, and the reply templates
// (常用回复) handling staff answer from.
const (
	PermFollowUpView   Perm = "followup.view"   // read follow-ups (Facts: the demand's lead department)
	PermFollowUpRecord Perm = "followup.record" // record a follow-up's result, once

	PermReplyTemplateView Perm = "reply_template.view" // read reply templates and choose one in a form
	PermReplyTemplateEdit Perm = "reply_template.edit" // create, change and delete a template (Facts.DeptID: its department, 0 shared)
)

var followupRules = map[Perm]permRule{
	PermFollowUpView: {deny: "当前角色无权查看回访记录", grants: []Grant{
		{Roles: readAll},
		{Roles: staffRole, Via: RelDeptBelow, If: withDept},
	}},
	PermFollowUpRecord: {deny: "只有指挥中心可以记录回访结果", grants: []Grant{centre}},
	PermReplyTemplateView: {deny: "当前角色无权使用常用回复", grants: []Grant{
		{Roles: readAll},
		{Roles: staffRole, If: withDept},
	}},
	PermReplyTemplateEdit: {deny: "管理员维护全部常用回复，部门人员只能维护本部门的常用回复", grants: []Grant{
		{Roles: adminRole},
		{Roles: staffRole, Via: RelOwnDept, If: withDept},
	}},
}
