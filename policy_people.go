package zhagen

// People and organisation permissions: enterprises and industries,
// users and their passwords and tokens, departments, the working
// calendar, the logs, Open311 intake channels and in-app notifications.
//
// Tree semantics (policy.go): department staff read the users of their
// department and of the units below it (RelDeptBelow); nothing here lets
// a department act on another's records — administration is the
// administrators' (RoleAdmin) alone.
//
// The user and log permissions are named "users.…" and "logs.…": "user."
// and "log." name message-catalogue keys, which a catalogue test looks for
// in every string literal.
const (
	PermEnterpriseView   Perm = "enterprise.view"   // read an enterprise record (Facts.EnterpriseID: the enterprise)
	PermEnterpriseCreate Perm = "enterprise.create" // create enterprise records
	PermEnterpriseEdit   Perm = "enterprise.edit"   // change and archive enterprise records
	PermEnterpriseImport Perm = "enterprise.import" // import enterprises in bulk
	PermIndustryView     Perm = "industry.view"     // read the industry list
	PermIndustryEdit     Perm = "industry.edit"     // add and remove industries

	PermUserView     Perm = "users.view"         // read a user record (Facts: DeptID the user's department, UserID the user)
	PermUserCreate   Perm = "users.create"       // create users
	PermUserEdit     Perm = "users.edit"         // change users: roles, department, archiving
	PermUserPassword Perm = "users.password"     // set a user's password (Facts.UserID: the user)
	PermOwnPassword  Perm = "users.own_password" // change one's own password, knowing the current one (Facts.UserID: the user)
	PermTokenCreate  Perm = "token.create"       // issue an API token for a user (Facts.UserID: the token's owner)
	PermTokenRevoke  Perm = "token.revoke"       // list and revoke a user's API tokens (Facts.UserID: the tokens' owner)

	PermDepartmentView   Perm = "department.view"   // read departments (names in pickers and on records)
	PermDepartmentTree   Perm = "department.tree"   // the organisation pages: the department tree, one's department on the workbench
	PermDepartmentCreate Perm = "department.create" // create departments
	PermDepartmentEdit   Perm = "department.edit"   // change departments

	PermCalendarView Perm = "calendar.view" // read the working calendar's overrides
	PermCalendarPage Perm = "calendar.page" // the working-calendar page of the organisation section
	PermCalendarEdit Perm = "calendar.edit" // add and remove overrides

	PermOpLogView    Perm = "logs.ops"    // read the operation log
	PermLoginLogView Perm = "logs.logins" // read the login log

	PermIntakeView   Perm = "intake.view"   // list Open311 intake channels
	PermIntakeCreate Perm = "intake.create" // issue an intake channel and its api_key
	PermIntakeEdit   Perm = "intake.edit"   // change an intake channel's settings: publicly readable or not

	PermNotificationRead Perm = "notification.read" // read and mark one's own messages (Facts.UserID: the recipient)
)

var peopleRules = map[Perm]permRule{
	PermEnterpriseView: {deny: "当前角色无权查看企业信息", grants: []Grant{
		{Roles: govRoles},
		{Roles: enterpriseRole, Via: RelOwnEnterprise, If: withEnterprise},
	}},
	PermEnterpriseCreate: {deny: "当前角色无权新建企业", grants: []Grant{centre}},
	PermEnterpriseEdit:   {deny: "当前角色无权修改或归档企业信息", grants: []Grant{centre}},
	PermEnterpriseImport: {deny: "仅管理员可以批量导入企业", grants: []Grant{{Roles: adminRole}}},
	PermIndustryView:     {deny: "请先登录后查看行业列表", grants: []Grant{{}}},
	PermIndustryEdit:     {deny: "仅管理员可以维护行业列表", grants: []Grant{{Roles: adminRole}}},

	PermUserView: {deny: "当前用户无权查看该用户", grants: []Grant{
		{Roles: readAll},
		{Roles: staffRole, Via: RelDeptBelow, If: withDept},
		ownPerson,
	}},
	PermUserCreate: {deny: "仅管理员可以新建用户", grants: []Grant{{Roles: adminRole}}},
	PermUserEdit:   {deny: "仅管理员可以修改用户的角色、部门和状态", grants: []Grant{{Roles: adminRole}}},
	// Setting a password without knowing the current one is an
	// administrator's reset; people change their own at /account/password,
	// with the current password (PermOwnPassword).
	PermUserPassword: {deny: "只有管理员可以直接设置密码；修改本人密码请在“修改密码”页输入当前密码", grants: []Grant{{Roles: adminRole}}},
	PermOwnPassword:  {deny: "只能修改自己的密码", grants: []Grant{ownPerson}},
	PermTokenCreate:  {deny: "只能为自己创建令牌", grants: []Grant{{Roles: adminRole}, ownPerson}},
	PermTokenRevoke:  {deny: "只能查看和吊销自己的令牌", grants: []Grant{{Roles: adminRole}, ownPerson}},

	PermDepartmentView:   {deny: "请先登录后查看部门", grants: []Grant{{}}},
	PermDepartmentTree:   {deny: "当前角色无权查看组织架构", grants: []Grant{{Roles: govRoles}}},
	PermDepartmentCreate: {deny: "仅管理员可以新建部门", grants: []Grant{{Roles: adminRole}}},
	PermDepartmentEdit:   {deny: "仅管理员可以修改部门", grants: []Grant{{Roles: adminRole}}},

	PermCalendarView: {deny: "请先登录后查看工作日历", grants: []Grant{{}}},
	PermCalendarPage: {deny: "当前角色无权查看工作日历页面", grants: []Grant{{Roles: govRoles}}},
	PermCalendarEdit: {deny: "仅管理员可以调整工作日历", grants: []Grant{{Roles: adminRole}}},

	PermOpLogView:    {deny: "仅管理员可以查看操作日志", grants: []Grant{{Roles: adminRole}}},
	PermLoginLogView: {deny: "仅管理员可以查看登录日志", grants: []Grant{{Roles: adminRole}}},

	PermIntakeView:   {deny: "仅管理员可以查看Open311接入渠道", grants: []Grant{{Roles: adminRole}}},
	PermIntakeCreate: {deny: "仅管理员可以签发Open311接入渠道", grants: []Grant{{Roles: adminRole}}},
	PermIntakeEdit:   {deny: "仅管理员可以修改Open311接入渠道的设置", grants: []Grant{{Roles: adminRole}}},

	PermNotificationRead: {deny: "只能查看和处理自己的消息", grants: []Grant{ownPerson}},
}

// SeesOthers reports whether the actor reaches, through p, records other
// than its own: its own person's (RelSelf) or its own enterprise's
// (RelOwnEnterprise). A directory page such as the user list, or a
// column naming the enterprise, is worth showing only then.
func SeesOthers(a *Actor, p Perm) bool {
	all, via := ScopeOf(a, p)
	return all || via&^(RelSelf|RelOwnEnterprise) != 0
}
