package zhagen

// Oversight permissions: the cadres' ranking, the monthly bulletin (月度
// 工作通报) and the leaders' screen (数据大屏). None has an object's facts:
// they read the whole zone's figures.
const (
	PermCadreRanking  Perm = "ranking.cadres"   // the cadres' ranking (visits against cadence, demands from visits)
	PermCadreWeights  Perm = "ranking.cweights" // set the weights of the cadres' overall score
	PermBulletinView  Perm = "bulletin.view"    // read the monthly bulletins
	PermBulletinDraft Perm = "bulletin.draft"   // start a month's bulletin and choose its notable cases
	PermBulletinIssue Perm = "bulletin.issue"   // write the commentary and issue the bulletin
	PermScreenView    Perm = "screen.view"      // the leaders' screen
)

var oversightRules = map[Perm]permRule{
	PermCadreRanking:  {deny: "当前角色无权查看干部排名", grants: []Grant{{Roles: readAll}}},
	PermCadreWeights:  {deny: "仅管理员可以设置干部评分权重", grants: []Grant{{Roles: adminRole}}},
	PermBulletinView:  {deny: "当前角色无权查看工作通报", grants: []Grant{{Roles: readAll}}},
	PermBulletinDraft: {deny: "只有指挥中心可以编制工作通报", grants: []Grant{{Roles: centreRoles}}},
	PermBulletinIssue: {deny: "只有领导可以批注并签发工作通报", grants: []Grant{{Roles: leaderRole}}},
	PermScreenView:    {deny: "当前角色无权查看数据大屏", grants: []Grant{{Roles: readAll}}},
}
