package zhagen

import "strings"

// Talent permissions: positions, talent-need surveys, universities,
// graduates, matching programmes and talent service teams.
//
// Talent managers — administrators, dispatchers and department staff of
// a talent service department (its name contains "人才", in the demo the
// 人事人才公共服务中心) — review positions and keep universities,
// programmes and service teams. Government roles read everything.
//
// Ownership. Positions, surveys and programme positions belong to their
// enterprise (RelOwnEnterprise). A graduate's record is the graduate's
// (RelSelf); an enterprise sees a graduate who applied to one of its
// programme positions only with the graduate's consent, so GraduateFacts
// names those enterprises only when the graduate consents, and the same
// holds for match results. A service team's members take part in it
// (RelPart). Approved positions are public (the job board) and need no
// permission; PermPositionView governs the others.
const (
	PermPositionView   Perm = "position.view"   // read positions beyond the public job board
	PermPositionPost   Perm = "position.post"   // post a position for an enterprise
	PermPositionReview Perm = "position.review" // approve or reject a position

	PermSurveyView    Perm = "survey.view"    // read talent-need surveys
	PermSurveyFill    Perm = "survey.fill"    // fill in an enterprise's survey
	PermSurveySummary Perm = "survey.summary" // the zone's summary of a period

	PermUniversityView     Perm = "university.view"     // read universities, contacts and outreach
	PermUniversityContact  Perm = "university.contact"  // add and delete university contacts
	PermUniversityOutreach Perm = "university.outreach" // record outreach to a university

	PermGraduateView   Perm = "graduate.view"   // read a graduate's record
	PermGraduateCreate Perm = "graduate.create" // record a graduate on their behalf
	PermGraduateEdit   Perm = "graduate.edit"   // change a graduate's record

	PermProgrammeView        Perm = "programme.view"           // read programmes and the positions they offer
	PermProgrammeCreate      Perm = "programme.create"         // create a programme
	PermProgrammePositionAdd Perm = "programme.position"       // add an enterprise's offer to a programme
	PermProgrammeStats       Perm = "programme_position.stats" // applicant and placement counts of a programme position
	PermApplicationEdit      Perm = "application.edit"         // a graduate's choices in a programme: set, read, withdraw
	PermApplicantView        Perm = "applicant.view"           // the applicants to a programme position
	PermApplicantRank        Perm = "applicant.rank"           // the enterprise's order of those applicants
	PermMatchRun             Perm = "match.run"                // run the matching of a programme
	PermMatchPublish         Perm = "match.publish"            // publish a run's results
	PermMatchDraft           Perm = "match.draft"              // read runs before they are published
	PermMatchResultView      Perm = "match_result.view"        // read one graduate's result of a published run

	PermTeamView     Perm = "service_team.view"     // read service teams, batches and logs
	PermTeamCreate   Perm = "service_team.create"   // form a service team
	PermTeamDispatch Perm = "service_team.dispatch" // dispatch a team's next batch
	PermTeamResolve  Perm = "service_team.resolve"  // record what a batch resolved
	PermServiceLog   Perm = "service_team.log"      // record a batch's visit to an enterprise
)

// InTalentService reports whether the actor belongs to a talent service
// department (its name contains "人才").
func InTalentService(a *Actor) bool { return a != nil && strings.Contains(a.DeptName, "人才") }

// talentManagers are the grants of the talent managers.
var talentManagers = []Grant{
	{Roles: centreRoles},
	{Roles: []Role{RoleStaff}, If: InTalentService},
}

// orOwnEnterprise adds the enterprise users of the object's enterprise to gs.
func orOwnEnterprise(gs []Grant) []Grant {
	return append(append([]Grant{}, gs...), Grant{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise})
}

var talentRules = map[Perm]permRule{
	PermPositionView: {deny: "当前角色无权查看岗位", grants: []Grant{
		{Roles: govRoles},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermPositionPost:   {deny: "当前角色无权办理企业人才事项", grants: orOwnEnterprise(talentManagers)},
	PermPositionReview: {deny: "仅管理员、指挥中心和人才服务部门人员可以审核岗位", grants: talentManagers},

	PermSurveyView: {deny: "当前角色无权查看人才需求摸底", grants: []Grant{
		{Roles: govRoles},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermSurveyFill:    {deny: "当前角色无权填报人才需求摸底", grants: orOwnEnterprise(talentManagers)},
	PermSurveySummary: {deny: "当前角色无权查看人才需求汇总", grants: []Grant{{Roles: govRoles}}},

	PermUniversityView:     {deny: "当前角色无权查看高校信息", grants: []Grant{{Roles: govRoles}}},
	PermUniversityContact:  {deny: "仅管理员、指挥中心和人才服务部门人员可以维护高校联系人", grants: talentManagers},
	PermUniversityOutreach: {deny: "仅管理员、指挥中心和人才服务部门人员可以登记高校对接", grants: talentManagers},

	PermGraduateView: {deny: "当前角色无权查看毕业生信息", grants: []Grant{
		{Roles: govRoles},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
		{Roles: []Role{RoleGraduate}, Via: RelSelf},
	}},
	PermGraduateCreate: {deny: "仅管理员、指挥中心和人才服务部门人员可以代录毕业生", grants: talentManagers},
	PermGraduateEdit: {deny: "毕业生信息只能由本人修改", grants: []Grant{
		{Roles: []Role{RoleAdmin}},
		{Roles: []Role{RoleGraduate}, Via: RelSelf},
	}},

	PermProgrammeView:        {deny: "当前用户无权查看人才项目", grants: []Grant{{}}},
	PermProgrammeCreate:      {deny: "仅管理员、指挥中心和人才服务部门人员可以新建人才项目", grants: talentManagers},
	PermProgrammePositionAdd: {deny: "仅管理员、指挥中心和人才服务部门人员可以添加项目岗位", grants: talentManagers},
	PermProgrammeStats: {deny: "当前角色无权查看岗位的报名和录取人数", grants: []Grant{
		{Roles: govRoles},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermApplicationEdit: {deny: "仅毕业生本人或人才服务人员可以办理报名",
		grants: append(append([]Grant{}, talentManagers...), Grant{Roles: []Role{RoleGraduate}, Via: RelSelf})},
	PermApplicantView: {deny: "当前角色无权查看申请人", grants: []Grant{
		{Roles: govRoles},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
	}},
	PermApplicantRank: {deny: "仅企业本身或人才服务人员可以排序", grants: orOwnEnterprise(talentManagers)},
	PermMatchRun:      {deny: "仅管理员、指挥中心和人才服务部门人员可以运行匹配", grants: talentManagers},
	PermMatchPublish:  {deny: "仅管理员、指挥中心和人才服务部门人员可以发布匹配结果", grants: talentManagers},
	PermMatchDraft:    {deny: "匹配结果尚未发布", grants: []Grant{{Roles: govRoles}}},
	PermMatchResultView: {deny: "当前角色无权查看该匹配结果", grants: []Grant{
		{Roles: govRoles},
		{Roles: []Role{RoleEnterprise}, Via: RelOwnEnterprise},
		{Roles: []Role{RoleGraduate}, Via: RelSelf},
	}},

	PermTeamView:     {deny: "当前角色无权查看人才服务队", grants: []Grant{{Roles: govRoles}}},
	PermTeamCreate:   {deny: "仅管理员、指挥中心和人才服务部门人员可以组建服务队", grants: talentManagers},
	PermTeamDispatch: {deny: "仅管理员、指挥中心和人才服务部门人员可以选派服务队", grants: talentManagers},
	PermTeamResolve:  {deny: "仅管理员、指挥中心和人才服务部门人员可以登记批次成效", grants: talentManagers},
	PermServiceLog: {deny: "仅服务队队员或人才服务人员可以记录走访",
		grants: append(append([]Grant{}, talentManagers...), Grant{Via: RelPart})},
}

// PositionFacts are the ownership facts of a position: its enterprise.
// The facts of a position to be posted are those of a new Position of
// the enterprise.
func PositionFacts(p *Position) Facts { return Facts{EnterpriseID: p.EnterpriseID} }

// SurveyFacts are the ownership facts of a survey: its enterprise.
func SurveyFacts(s *Survey) Facts { return Facts{EnterpriseID: s.EnterpriseID} }

// GraduateFacts are the ownership facts of g: the graduate's own user;
// appliedTo are the enterprises whose programme positions g applied to,
// which see g only when g consents.
func GraduateFacts(g *Graduate, appliedTo []int64) Facts {
	f := Facts{UserID: g.UserID}
	if g.Consent {
		f.EnterpriseIDs = appliedTo
	}
	return f
}

// ProgrammePositionFacts are the ownership facts of a programme position:
// its enterprise.
func ProgrammePositionFacts(pp *ProgrammePosition) Facts { return Facts{EnterpriseID: pp.EnterpriseID} }

// MatchResultFacts are the ownership facts of m, one graduate's result:
// the graduate's user (graduateUser) and, when the graduate consents, the
// enterprise of the position they were placed with.
func MatchResultFacts(m *MatchResult, graduateUser int64, consent bool) Facts {
	f := Facts{UserID: graduateUser}
	if consent {
		f.EnterpriseID = m.EnterpriseID
	}
	return f
}

// TeamFacts are the ownership facts of a service team: its members take
// part.
func TeamFacts(t *ServiceTeam) Facts {
	var f Facts
	for _, m := range t.Members {
		f.UserIDs = append(f.UserIDs, m.UserID)
	}
	return f
}
