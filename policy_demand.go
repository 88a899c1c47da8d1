package zhagen

// Demand permissions. (Being filled in: see the architecture issue.)
const (
	PermDemandView Perm = "demand.view"
)

var demandRules = map[Perm]permRule{
	PermDemandView: {deny: "当前角色无权查看诉求", grants: []Grant{
		{Roles: readAll},
		{Roles: []Role{RoleStaff}, Via: RelDeptBelow | RelPartDeptBelow},
		{Roles: []Role{RoleCadre}, Via: RelSelf | RelLinked},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
		{Via: RelChannel},
		{Via: RelStakeholder}, // the stakeholders of the key project it is raised on (PermProjectDemands)
	}},
}

// DemandFacts are the ownership facts of d. linked says whether the actor
// asking is a cadre linked to d's enterprise; channel is the intake
// channel that filed it.
func DemandFacts(d *Demand, linked bool, channel int64) Facts {
	return Facts{DeptID: d.LeadDeptID, DeptIDs: d.CoopDeptIDs, EnterpriseID: d.EnterpriseID,
		UserID: d.SubmitterID, Linked: linked, ChannelID: channel}
}
