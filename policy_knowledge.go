package zhagen

// Knowledge permissions: the knowledge base (知识库), the dispatch
// suggestion (智能派单), common problems (共性问题) and candidate
// duplicates. An entry's Facts: its department owns it (DeptID).
const (
	PermKnowledgeView     Perm = "knowledge.view"      // read the knowledge base (enterprises: reviewed entries valid today)
	PermKnowledgeDrafts   Perm = "knowledge.drafts"    // read entries not yet reviewed or out of date
	PermKnowledgeEdit     Perm = "knowledge.edit"      // write an entry (a department's staff: their department's)
	PermKnowledgeReview   Perm = "knowledge.review"    // review an entry
	PermDispatchSuggest   Perm = "dispatch.suggest"    // ask the dispatch model for a text
	PermDispatchEval      Perm = "dispatch.eval"       // see the dispatch model's accuracy
	PermDemandDuplicates  Perm = "demand.duplicates"   // see candidate duplicates across enterprises
	PermCommonProblemView Perm = "common_problem.view" // see the common problems (共性问题)
	PermTopicAdopt        Perm = "topic.adopt"         // adopt a common problem as a topic (每月一题)
	PermTopicView         Perm = "topic.view"          // see the topics (a department's staff: those it leads)
	PermTopicAnswer       Perm = "topic.answer"        // give a topic's answer (its lead department's staff)
)

var knowledgeRules = map[Perm]permRule{
	PermKnowledgeView: {deny: "当前用户无权查看知识库", grants: []Grant{
		{Roles: []Role{RoleAdmin, RoleDispatcher, RoleLeader, RoleStaff, RoleCadre, RoleEnterprise}},
	}},
	PermKnowledgeDrafts: {deny: "当前用户只能查看已审核的知识条目", grants: []Grant{
		{Roles: []Role{RoleAdmin, RoleDispatcher, RoleLeader, RoleStaff}},
	}},
	PermKnowledgeEdit: {deny: "只有条目所属部门人员、指挥中心或管理员可以编辑知识条目", grants: []Grant{
		centre,
		{Roles: staffRole, Via: RelOwnDept, If: withDept},
	}},
	PermKnowledgeReview: {deny: "只有指挥中心可以审核知识条目", grants: []Grant{centre}},
	PermDispatchSuggest: {deny: "当前用户无权使用智能派单建议", grants: []Grant{
		{Roles: []Role{RoleAdmin, RoleDispatcher, RoleStaff, RoleCadre, RoleEnterprise}},
	}},
	PermDispatchEval:      {deny: "只有管理员、指挥中心或领导可以查看派单模型评估", grants: []Grant{{Roles: readAll}}},
	PermDemandDuplicates:  {deny: "只有指挥中心可以查看疑似重复诉求", grants: []Grant{centre}},
	PermCommonProblemView: {deny: "只有领导、指挥中心或管理员可以查看共性问题", grants: []Grant{{Roles: readAll}}},
	PermTopicAdopt:        {deny: "只有指挥中心或领导可以把共性问题列为每月一题", grants: []Grant{{Roles: readAll}}},
	PermTopicView: {deny: "当前用户无权查看每月一题", grants: []Grant{
		{Roles: readAll},
		{Roles: staffRole, Via: RelOwnDept, If: withDept},
	}},
	PermTopicAnswer: {deny: "只有牵头部门人员可以答复每月一题", grants: []Grant{leadDept}},
}
