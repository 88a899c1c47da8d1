package zhagen

import (
	"strings"
	"testing"
)

// The permission grids of linkage, project and talent: every role ×
// every Perm × every ownership relation, the expected answer written out.
//
// The department tree of the grid: 1 the zone ⊃ 2 a bureau ⊃ 3 the
// actor's department ⊃ 4 its sub-unit; 5 is a sibling of 3 under 2. Every
// actor is user 100; government actors belong to department 3; the
// enterprise user belongs to enterprise 10.

// gridRoles are the rows of a grid, in order.
var gridRoles = []string{"admin", "dispatcher", "leader", "staff", "staff人才", "cadre", "enterprise", "graduate"}

func gridActor(role string) *Actor {
	gov := func(r Role, deptName string) *Actor {
		return &Actor{UserID: 100, Roles: []Role{r}, DeptID: 3, DeptPath: "/1/2/3/", DeptName: deptName, SubDeptIDs: []int64{3, 4}}
	}
	switch role {
	case "staff人才":
		return gov(RoleStaff, "人事人才公共服务中心")
	case "enterprise":
		return &Actor{UserID: 100, Roles: []Role{RoleEnterprise}, EnterpriseID: 10}
	case "graduate":
		return &Actor{UserID: 100, Roles: []Role{RoleGraduate}}
	}
	return gov(Role(role), "经济发展局")
}

// gridFacts are the columns of a grid, in groups: the owning department
// (own, sub-unit, parent, sibling); a department taking part (own,
// sub-unit, sibling); the enterprise (own, other, own among several);
// a linked cadre; the object's person (self, other); a person taking part
// (invited); no relation at all.
var gridFacts = []struct {
	name string
	f    Facts
}{
	{"own dept", Facts{DeptID: 3}},
	{"sub-unit's", Facts{DeptID: 4}},
	{"parent dept's", Facts{DeptID: 2}},
	{"sibling dept's", Facts{DeptID: 5}},
	{"own dept takes part", Facts{DeptIDs: []int64{3}}},
	{"sub-unit takes part", Facts{DeptIDs: []int64{4}}},
	{"sibling takes part", Facts{DeptIDs: []int64{5}}},
	{"own enterprise", Facts{EnterpriseID: 10}},
	{"other enterprise, not linked", Facts{EnterpriseID: 11}},
	{"own enterprise among several", Facts{EnterpriseIDs: []int64{11, 10}}},
	{"linked cadre", Facts{EnterpriseID: 11, Linked: true}},
	{"self", Facts{UserID: 100}},
	{"other person", Facts{UserID: 200}},
	{"invited", Facts{UserIDs: []int64{200, 100}}},
	{"no relation", Facts{UserIDs: []int64{200}, DeptIDs: []int64{1}}},
}

// Row patterns, grouped as the columns: dept(4) part(3) ent(3) linked(1)
// person(2) invited(1) none(1). Y allowed, . refused.
const (
	gAll  = "YYYY YYY YYY Y YY Y Y"
	gNone = ".... ... ... . .. . ."
	gOwnE = ".... ... Y.Y . .. . ." // own enterprise
	gSelf = ".... ... ... . Y. . ." // self
	gInv  = ".... ... ... . .. Y ." // invited in person
	gLnk  = ".... ... ... Y .. . ." // linked cadre
	gLnkS = ".... ... ... Y Y. . ." // linked cadre or self
)

type permGrid map[Perm][8]string

var linkageGrid = permGrid{
	//                    admin dispatcher leader staff staff人才 cadre enterprise graduate
	PermLinkageView:      {gAll, gAll, gAll, gAll, gAll, gLnkS, gOwnE, gNone},
	PermLinkageEdit:      {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermLinkageImport:    {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermVisitView:        {gAll, gAll, gAll, "YY.. ... ... . .. . .", "YY.. ... ... . .. . .", gLnkS, gOwnE, gNone},
	PermVisitInternal:    {gAll, gAll, gAll, "YY.. ... ... . .. . .", "YY.. ... ... . .. . .", gLnkS, gNone, gNone},
	PermVisitLog:         {gAll, gAll, gNone, gNone, gNone, gLnk, gNone, gNone},
	PermVisitEdit:        {gAll, gAll, gNone, gNone, gNone, gSelf, gNone, gNone},
	PermVisitDemand:      {gAll, gAll, gSelf, gSelf, gSelf, gSelf, gNone, gNone},
	PermVisitUpload:      {gAll, gAll, gSelf, gSelf, gSelf, gSelf, gNone, gNone},
	PermCoverageView:     {gAll, gAll, gAll, gAll, gAll, gLnkS, gNone, gNone},
	PermRedFlagView:      {gAll, gAll, gAll, gAll, gAll, gLnk, gNone, gNone},
	PermRedFlagClear:     {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermRedFlagRuleView:  {gAll, gAll, gAll, gAll, gAll, gAll, gNone, gNone},
	PermRedFlagRuleEdit:  {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
	PermSuggestionView:   {gAll, gAll, gAll, gNone, gNone, gNone, gNone, gNone},
	PermSuggestionRun:    {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermSuggestionAccept: {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
}

// progress: the command centre, the liaison (self), the owner department
// itself (not its sub-unit, not its parent) and the owner enterprise.
var (
	gProgressStaff = "Y... ... ... . Y. . ."
	gManagerStaff  = "Y... ... ... . Y. . ."
)

var projectGrid = permGrid{
	//                      admin dispatcher leader staff staff人才 cadre enterprise graduate
	PermProjectView:        {gAll, gAll, gAll, gAll, gAll, gAll, gOwnE, gNone},
	PermProjectCreate:      {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermProjectEdit:        {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermProjectStatus:      {gAll, gAll, gSelf, gProgressStaff, gProgressStaff, gSelf, gOwnE, gNone},
	PermProjectOverview:    {gAll, gAll, gAll, gNone, gNone, gNone, gNone, gNone},
	PermProjectRaise:       {gAll, gAll, gNone, gNone, gNone, gAll, gOwnE, gNone},
	PermProjectDemands:     {gAll, gAll, gAll, "YY.. YY. ... . Y. . .", "YY.. YY. ... . Y. . .", gSelf, gOwnE, gNone},
	PermMilestoneSave:      {gAll, gAll, gSelf, gProgressStaff, gProgressStaff, gSelf, gOwnE, gNone},
	PermApprovalView:       {gAll, gAll, gAll, "YY.. YY. ... . .. . .", "YY.. YY. ... . .. . .", gSelf, gOwnE, gNone},
	PermApprovalFile:       {gAll, gAll, gSelf, gProgressStaff, gProgressStaff, gSelf, gOwnE, gNone},
	PermApprovalAccept:     {gNone, gNone, gNone, ".... Y.. ... . .. . .", ".... Y.. ... . .. . .", gNone, gNone, gNone},
	PermApprovalDecide:     {gNone, gNone, gNone, ".... Y.. ... . .. . .", ".... Y.. ... . .. . .", gNone, gNone, gNone},
	PermApprovalWithdraw:   {gAll, gAll, gSelf, gProgressStaff, gProgressStaff, gSelf, gOwnE, gNone},
	PermApprovalUrge:       {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermConsultationView:   {gAll, gAll, gAll, "YY.. YY. ... . Y. Y .", "YY.. YY. ... . Y. Y .", ".... ... ... . Y. Y .", ".... ... Y.Y . Y. Y .", gNone},
	PermConsultationCreate: {gAll, gAll, gNone, gAll, gAll, gNone, gNone, gNone},
	PermConsultationManage: {gAll, gAll, gSelf, gManagerStaff, gManagerStaff, gSelf, gNone, gNone},
	PermConsultationAttend: {gInv, gInv, gInv, ".... Y.. ... . .. Y .", ".... Y.. ... . .. Y .", gInv, gInv, gNone},
	PermItemView:           {gAll, gAll, gAll, "YY.. YY. ... . Y. Y .", "YY.. YY. ... . Y. Y .", ".... ... ... . Y. Y .", ".... ... ... . Y. Y .", gNone},
	PermItemList:           {gAll, gAll, gAll, "YY.. ... ... . Y. . .", "YY.. ... ... . Y. . .", gSelf, gSelf, gNone},
	PermItemAdd:            {gAll, gAll, gSelf, gManagerStaff, gManagerStaff, gSelf, gNone, gNone},
	PermItemUpload:         {gNone, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
	PermItemComplete:       {gAll, gAll, gSelf, "Y... ... ... . Y. . .", "Y... ... ... . Y. . .", gSelf, gSelf, gNone},
	PermItemCancel:         {gAll, gAll, gSelf, gManagerStaff, gManagerStaff, gSelf, gNone, gNone},
}

var talentGrid = permGrid{
	//                        admin dispatcher leader staff staff人才 cadre enterprise graduate
	PermPositionView:         {gAll, gAll, gAll, gAll, gAll, gAll, gOwnE, gNone},
	PermPositionPost:         {gAll, gAll, gNone, gNone, gAll, gNone, gOwnE, gNone},
	PermPositionReview:       {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermSurveyView:           {gAll, gAll, gAll, gAll, gAll, gAll, gOwnE, gNone},
	PermSurveyFill:           {gAll, gAll, gNone, gNone, gAll, gNone, gOwnE, gNone},
	PermSurveySummary:        {gAll, gAll, gAll, gAll, gAll, gAll, gNone, gNone},
	PermUniversityView:       {gAll, gAll, gAll, gAll, gAll, gAll, gNone, gNone},
	PermUniversityContact:    {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermUniversityOutreach:   {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermGraduateView:         {gAll, gAll, gAll, gAll, gAll, gAll, gOwnE, gSelf},
	PermGraduateCreate:       {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermGraduateEdit:         {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gSelf},
	PermProgrammeView:        {gAll, gAll, gAll, gAll, gAll, gAll, gAll, gAll},
	PermProgrammeCreate:      {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermProgrammePositionAdd: {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermProgrammeStats:       {gAll, gAll, gAll, gAll, gAll, gAll, gOwnE, gNone},
	PermApplicationEdit:      {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gSelf},
	PermApplicantView:        {gAll, gAll, gAll, gAll, gAll, gAll, gOwnE, gNone},
	PermApplicantRank:        {gAll, gAll, gNone, gNone, gAll, gNone, gOwnE, gNone},
	PermMatchRun:             {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermMatchPublish:         {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermMatchDraft:           {gAll, gAll, gAll, gAll, gAll, gAll, gNone, gNone},
	PermMatchResultView:      {gAll, gAll, gAll, gAll, gAll, gAll, gOwnE, gSelf},
	PermTeamView:             {gAll, gAll, gAll, gAll, gAll, gAll, gNone, gNone},
	PermTeamCreate:           {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermTeamDispatch:         {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermTeamResolve:          {gAll, gAll, gNone, gNone, gAll, gNone, gNone, gNone},
	PermServiceLog:           {gAll, gAll, gInv, gInv, gAll, gInv, gInv, gInv},
}

var supervisionGrid = permGrid{
	//                    admin dispatcher leader staff staff人才 cadre enterprise graduate
	PermSupervisionView:  {gAll, gAll, gAll, "YY.. ... ... . .. . .", "YY.. ... ... . .. . .", gNone, gNone, gNone},
	PermSupervisionRaise: {gNone, gAll, gAll, gNone, gNone, gNone, gNone, gNone},
	PermSupervisionReply: {gNone, gNone, gNone, "Y... ... ... . .. . .", "Y... ... ... . .. . .", gNone, gNone, gNone},
	PermSupervisionClose: {gNone, gAll, gSelf, gNone, gNone, gNone, gNone, gNone},
	PermLadderEdit:       {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
}

var oversightGrid = permGrid{
	//                 admin dispatcher leader staff staff人才 cadre enterprise graduate
	PermCadreRanking:  {gAll, gAll, gAll, gNone, gNone, gNone, gNone, gNone},
	PermCadreWeights:  {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
	PermBulletinView:  {gAll, gAll, gAll, gNone, gNone, gNone, gNone, gNone},
	PermBulletinDraft: {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermBulletinIssue: {gNone, gNone, gAll, gNone, gNone, gNone, gNone, gNone},
	PermScreenView:    {gAll, gAll, gAll, gNone, gNone, gNone, gNone, gNone},
}

// bizPolicyGrid: policies are public to government and enterprise users;
// an application is the handling department's (staff act on their own
// department's, see their units'), the enterprise's and its cadres'.
var bizPolicyGrid = permGrid{
	//                    admin dispatcher leader staff staff人才 cadre enterprise graduate
	PermPolicyView:     {gAll, gAll, gAll, gAll, gAll, gAll, gAll, gNone},
	PermPolicyEdit:     {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermPolicyEligible: {gAll, gAll, gAll, gAll, gAll, gAll, gNone, gNone},
	PermTagView:        {gAll, gAll, gAll, gAll, gAll, gAll, gNone, gNone},
	PermTagEdit:        {gAll, gNone, gNone, gNone, gNone, gNone, gNone, gNone},
	PermEnterpriseTag:  {gAll, gAll, gNone, gNone, gNone, gNone, gNone, gNone},
	PermEnterpriseAttr: {gAll, gAll, gNone, gNone, gNone, gLnk, gNone, gNone},
	PermProfileView:    {gAll, gAll, gAll, gAll, gAll, gAll, gNone, gNone},
	PermAppView:        {gAll, gAll, gAll, "YY.. ... ... . .. . .", "YY.. ... ... . .. . .", gLnk, gOwnE, gNone},
	PermAppApply:       {gAll, gAll, gNone, gNone, gNone, gLnk, gOwnE, gNone},
	PermAppHandle:      {gAll, gAll, gNone, "Y... ... ... . .. . .", "Y... ... ... . .. . .", gNone, gNone, gNone},
}

func TestPolicyGrids(t *testing.T) {
	for _, g := range []struct {
		name  string
		rules map[Perm]permRule
		grid  permGrid
	}{{"linkage", linkageRules, linkageGrid}, {"project", projectRules, projectGrid}, {"talent", talentRules, talentGrid},
		{"supervision", supervisionRules, supervisionGrid}, {"oversight", oversightRules, oversightGrid}, {"bizpolicy", bizPolicyRules, bizPolicyGrid}} {
		for p := range g.rules {
			if _, ok := g.grid[p]; !ok {
				t.Errorf("%s: %s has no row in the grid", g.name, p)
			}
		}
		for p, rows := range g.grid {
			if _, ok := g.rules[p]; !ok {
				t.Errorf("%s grid: %s is not declared there", g.name, p)
				continue
			}
			for i, role := range gridRoles {
				want := strings.ReplaceAll(rows[i], " ", "")
				if len(want) != len(gridFacts) {
					t.Fatalf("%s %s: row %q has %d columns", p, role, rows[i], len(want))
				}
				a := gridActor(role)
				anyYes := false
				for j, c := range gridFacts {
					got := Can(a, p, c.f)
					anyYes = anyYes || got
					if got != (want[j] == 'Y') {
						t.Errorf("%s: %s on %s: Can = %v, want %v", p, role, c.name, got, !got)
					}
					if err := Authorize(a, p, c.f); (err == nil) != got {
						t.Errorf("%s: %s on %s: Authorize = %v, Can = %v", p, role, c.name, err, got)
					}
				}
				// ScopeOf agrees: a list reaches objects exactly when some are allowed.
				if CanAny(a, p) != anyYes {
					t.Errorf("%s: %s: CanAny = %v, but the row is %q", p, role, !anyYes, rows[i])
				}
				if every, _ := ScopeOf(a, p); every && strings.Contains(want, ".") {
					t.Errorf("%s: %s: ScopeOf says all, but the row is %q", p, role, rows[i])
				}
			}
		}
	}
}

// TestPolicyDeclaredOnce: each Perm is declared in exactly one table, and
// each of this area's refusals has its own message.
func TestPolicyDeclaredOnce(t *testing.T) {
	seen := map[Perm]int{}
	for _, m := range ruleSets {
		for p := range m {
			seen[p]++
		}
	}
	for p, n := range seen {
		if n != 1 {
			t.Errorf("%s is declared in %d tables", p, n)
		}
	}
	msgs := map[string]Perm{}
	for _, m := range []map[Perm]permRule{linkageRules, projectRules, talentRules} {
		for p, r := range m {
			if r.deny == "" {
				t.Errorf("%s has no refusal message", p)
			}
			if q, dup := msgs[r.deny]; dup {
				t.Errorf("%s and %s share the refusal %q", p, q, r.deny)
			}
			msgs[r.deny] = p
			if got := Forbidden(p); got.Code != EFORBIDDEN || got.Message != r.deny {
				t.Errorf("Forbidden(%s) = %v", p, got)
			}
		}
	}
}

// TestProjectStakeholder: a project's stakeholders — the owner
// department and the units below it, the owner enterprise, the liaison,
// the departments (and below) with open action items on it — see the
// problems raised on it through the demand scope's RelStakeholder;
// others do not.
func TestProjectStakeholder(t *testing.T) {
	p := &Project{OwnerDeptID: 3, LiaisonID: 300}
	ep := &Project{OwnerEnterpriseID: 10, LiaisonID: 300}
	cases := []struct {
		who       *Actor
		p         *Project
		itemDepts []int64
		want      bool
	}{
		{gridActor("staff"), p, nil, true},                        // the owner department itself
		{gridActor("staff"), &Project{OwnerDeptID: 4}, nil, true}, // a unit below it (seeing extends down)
		{gridActor("staff"), &Project{OwnerDeptID: 2}, nil, false},
		{gridActor("staff"), &Project{OwnerDeptID: 5}, nil, false},
		{gridActor("staff"), &Project{OwnerDeptID: 5}, []int64{3}, true}, // an open action item
		{gridActor("staff"), &Project{OwnerDeptID: 5}, []int64{4}, true},
		{gridActor("staff"), &Project{OwnerDeptID: 5}, []int64{2}, false},
		{gridActor("enterprise"), ep, nil, true},
		{gridActor("enterprise"), &Project{OwnerEnterpriseID: 11}, nil, false},
		{gridActor("cadre"), p, nil, false},
		{gridActor("cadre"), &Project{OwnerDeptID: 5, LiaisonID: 100}, nil, true},
		{gridActor("leader"), ep, nil, true},
		{gridActor("graduate"), ep, nil, false},
	}
	for i, c := range cases {
		if got := ProjectStakeholder(c.who, c.p, c.itemDepts); got != c.want {
			t.Errorf("case %d (%v): stakeholder = %v, want %v", i, c.who.Roles, got, c.want)
		}
		f := Facts{Stakeholder: ProjectStakeholder(c.who, c.p, c.itemDepts)}
		if got := Can(c.who, PermDemandView, f); got != c.want && !(c.who.Has(readAll...)) {
			t.Errorf("case %d (%v): demand.view of a problem on the project = %v, want %v", i, c.who.Roles, got, c.want)
		}
	}
}
