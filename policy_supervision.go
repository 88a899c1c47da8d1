package zhagen

// Supervision permissions: supervision orders (督办单) and the escalation
// ladder's rules. An order's Facts: the addressee department owns it
// (DeptID), the issuer is its person (UserID).
//
// Tree semantics (policy.go): seeing an order extends down the tree (a
// bureau sees the orders of its units); replying does not: only the staff
// of the addressee department itself reply.
const (
	PermSupervisionView  Perm = "supervision.view"  // read a supervision order and the ladder's counts
	PermSupervisionRaise Perm = "supervision.raise" // raise an order on a demand, an action item or an approval
	PermSupervisionReply Perm = "supervision.reply" // reply to an order addressed to one's department
	PermSupervisionClose Perm = "supervision.close" // close an order (its issuer; the command centre for the ladder's)
	PermLadderEdit       Perm = "ladder.edit"       // configure the escalation ladder
)

var leaderRole = []Role{RoleLeader}

var supervisionRules = map[Perm]permRule{
	PermSupervisionView: {deny: "当前用户无权查看该督办单", grants: []Grant{
		{Roles: readAll},
		{Roles: staffRole, Via: RelDeptBelow, If: withDept},
	}},
	PermSupervisionRaise: {deny: "只有指挥中心或领导可以发起督办", grants: []Grant{
		{Roles: []Role{RoleDispatcher, RoleLeader}},
	}},
	PermSupervisionReply: {deny: "只有承办单位的人员可以回复督办单", grants: []Grant{leadDept}},
	PermSupervisionClose: {deny: "只有督办单的发起人或指挥中心可以办结督办单", grants: []Grant{
		{Roles: []Role{RoleDispatcher}},
		{Roles: leaderRole, Via: RelSelf},
	}},
	PermLadderEdit: {deny: "仅管理员可以设置升级阶梯", grants: []Grant{{Roles: adminRole}}},
}
