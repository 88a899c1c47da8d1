package zhagen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The actors and objects of the policy tables below. Every government
// actor belongs to department 10 (path /1/10/), which has the unit 11
// below it, the parent 1 above it and the sibling 12 beside it; every
// user is user 100; the enterprise user's enterprise is 7; the intake
// channel is channel 3.
var (
	policyRoles = []string{"admin", "dispatcher", "leader", "staff", "cadre", "enterprise", "graduate", "channel"}

	policyActors = map[string]*Actor{
		"admin":      {UserID: 100, Roles: []Role{RoleAdmin}, DeptID: 10, DeptPath: "/1/10/", SubDeptIDs: []int64{10, 11}},
		"dispatcher": {UserID: 100, Roles: []Role{RoleDispatcher}, DeptID: 10, DeptPath: "/1/10/", SubDeptIDs: []int64{10, 11}},
		"leader":     {UserID: 100, Roles: []Role{RoleLeader}, DeptID: 10, DeptPath: "/1/10/", SubDeptIDs: []int64{10, 11}},
		"staff":      {UserID: 100, Roles: []Role{RoleStaff}, DeptID: 10, DeptPath: "/1/10/", SubDeptIDs: []int64{10, 11}},
		"cadre":      {UserID: 100, Roles: []Role{RoleCadre}, DeptID: 10, DeptPath: "/1/10/", SubDeptIDs: []int64{10, 11}},
		"enterprise": {UserID: 100, Roles: []Role{RoleEnterprise}, EnterpriseID: 7},
		"graduate":   {UserID: 100, Roles: []Role{RoleGraduate}},
		"channel":    {IntakeChannelID: 3, Login: "open311"},
	}

	// Each object stands in one relation to the actors above.
	policyObjects = []struct {
		name  string
		facts Facts
	}{
		{"own", Facts{DeptID: 10}},               // owned by the actor's department
		{"sub", Facts{DeptID: 11}},               // owned by a unit below it
		{"parent", Facts{DeptID: 1}},             // owned by the department above it
		{"sibling", Facts{DeptID: 12}},           // owned by a department beside it
		{"partOwn", Facts{DeptIDs: []int64{10}}}, // the actor's department takes part (cooperating)
		{"partSub", Facts{DeptIDs: []int64{11}}}, // a unit below takes part
		{"partParent", Facts{DeptIDs: []int64{1}}},
		{"ownEnt", Facts{EnterpriseID: 7}},               // of the actor's enterprise
		{"otherEnt", Facts{EnterpriseID: 8}},             // of another enterprise, not linked
		{"linked", Facts{EnterpriseID: 8, Linked: true}}, // of an enterprise the (cadre) actor is linked to
		{"self", Facts{UserID: 100}},                     // the actor is its person (submitter…)
		{"otherUser", Facts{UserID: 200}},                // somebody else's
		{"inPerson", Facts{UserIDs: []int64{100}}},       // the actor takes part in person (a project's liaison)
		{"stakeholder", Facts{Stakeholder: true}},        // raised on a key project the actor is a stakeholder of
		{"channel", Facts{ChannelID: 3}},                 // filed through the actor's channel
		{"otherChannel", Facts{ChannelID: 4}},            // through another channel
		{"none", Facts{}},                                // no ownership facts at all
	}
)

// policyWant is, for each permission declared in policy_demand.go and
// policy_people.go, who may do it to which objects, written out by hand:
// "role,role=object,object; …" where "*" is every object and a role not
// named may do nothing.
var policyWant = map[Perm]string{
	PermDemandView:       "admin,dispatcher,leader=*; staff=own,sub,partOwn,partSub,stakeholder; cadre=self,linked,stakeholder; enterprise=ownEnt,stakeholder; channel=channel",
	PermDemandInternal:   "admin,dispatcher,leader=*; staff=own,sub,partOwn,partSub; cadre=self",
	PermDemandCreate:     "admin,dispatcher=*; cadre=linked,inPerson; enterprise=ownEnt; channel=channel",
	PermDemandPrioritize: "admin,dispatcher=*",
	PermDemandAttach:     "admin,dispatcher=*; staff=own,partOwn,self; enterprise=ownEnt,self; leader,cadre,graduate=self",
	PermDemandBulkLoad:   "admin=*",

	PermDemandAssign:           "admin,dispatcher=*",
	PermDemandAccept:           "staff=own",
	PermDemandReturn:           "staff=own",
	PermDemandUpdate:           "staff=own,partOwn",
	PermDemandPause:            "staff=own",
	PermDemandResume:           "staff=own; enterprise=ownEnt",
	PermDemandExtend:           "staff=own",
	PermDemandApproveExtension: "admin,dispatcher=*",
	PermDemandResolve:          "staff=own",
	PermDemandRate:             "enterprise=ownEnt",
	PermDemandReopen:           "admin,dispatcher=*",
	PermDemandWithdraw:         "enterprise=ownEnt,self; admin,dispatcher,leader,staff,cadre,graduate=self",
	PermDemandEscalate:         "admin,dispatcher=*; staff=own",
	PermDemandMerge:            "admin,dispatcher=*",
	PermDemandLink:             "admin,dispatcher=*; staff=own",
	PermDemandClose:            "admin,dispatcher=*",
	PermDemandWaive:            "admin,dispatcher=*",

	PermCategoryView:   "admin,dispatcher,leader,staff,cadre,enterprise,graduate,channel=*",
	PermCategoryEdit:   "admin=*",
	PermRatesView:      "admin,dispatcher,leader=*; staff=own,sub",
	PermRankingWeights: "admin=*",

	PermEnterpriseView:   "admin,dispatcher,leader,staff,cadre=*; enterprise=ownEnt",
	PermEnterpriseCreate: "admin,dispatcher=*",
	PermEnterpriseEdit:   "admin,dispatcher=*",
	PermEnterpriseImport: "admin=*",
	PermIndustryView:     "admin,dispatcher,leader,staff,cadre,enterprise,graduate,channel=*",
	PermIndustryEdit:     "admin=*",

	PermUserView:     "admin,dispatcher,leader=*; staff=own,sub,self; cadre,enterprise,graduate=self",
	PermUserCreate:   "admin=*",
	PermUserEdit:     "admin=*",
	PermUserPassword: "admin=*",
	PermOwnPassword:  "admin,dispatcher,leader,staff,cadre,enterprise,graduate=self",
	PermTokenCreate:  "admin=*; dispatcher,leader,staff,cadre,enterprise,graduate=self",
	PermTokenRevoke:  "admin=*; dispatcher,leader,staff,cadre,enterprise,graduate=self",

	PermDepartmentView:   "admin,dispatcher,leader,staff,cadre,enterprise,graduate,channel=*",
	PermDepartmentTree:   "admin,dispatcher,leader,staff,cadre=*",
	PermDepartmentCreate: "admin=*",
	PermDepartmentEdit:   "admin=*",

	PermCalendarView: "admin,dispatcher,leader,staff,cadre,enterprise,graduate,channel=*",
	PermCalendarPage: "admin,dispatcher,leader,staff,cadre=*",
	PermCalendarEdit: "admin=*",

	PermOpLogView:    "admin=*",
	PermLoginLogView: "admin=*",
	PermIntakeView:   "admin=*",
	PermIntakeCreate: "admin=*",
	PermIntakeEdit:   "admin=*",

	PermNotificationRead: "admin,dispatcher,leader,staff,cadre,enterprise,graduate=self",
}

// parsePolicyWant turns a policyWant line into role → allowed objects.
func parsePolicyWant(t *testing.T, p Perm, line string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, part := range strings.Split(line, ";") {
		roles, objs, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			t.Fatalf("%s: bad entry %q", p, part)
		}
		for _, role := range strings.Split(roles, ",") {
			if policyActors[role] == nil {
				t.Fatalf("%s: unknown role %q", p, role)
			}
			if out[role] == nil {
				out[role] = map[string]bool{}
			}
			for _, o := range strings.Split(objs, ",") {
				if o == "*" {
					for _, obj := range policyObjects {
						out[role][obj.name] = true
					}
					continue
				}
				if !slices.ContainsFunc(policyObjects, func(x struct {
					name  string
					facts Facts
				}) bool {
					return x.name == o
				}) {
					t.Fatalf("%s: unknown object %q", p, o)
				}
				out[role][o] = true
			}
		}
	}
	return out
}

// TestPolicyDemandPeopleTable checks every role against every permission
// of the demand and people tables and every ownership relation.
func TestPolicyDemandPeopleTable(t *testing.T) {
	for _, rules := range []map[Perm]permRule{demandRules, peopleRules} {
		for p := range rules {
			if _, ok := policyWant[p]; !ok {
				t.Errorf("%s has no row in policyWant", p)
			}
		}
	}
	for p, line := range policyWant {
		if _, ok := demandRules[p]; !ok {
			if _, ok := peopleRules[p]; !ok {
				t.Errorf("policyWant names %s, which neither table declares", p)
				continue
			}
		}
		want := parsePolicyWant(t, p, line)
		for _, role := range policyRoles {
			a := policyActors[role]
			some := false
			for _, obj := range policyObjects {
				got := Can(a, p, obj.facts)
				some = some || got
				if w := want[role][obj.name]; got != w {
					t.Errorf("Can(%s, %s, %s) = %v, want %v", role, p, obj.name, got, w)
				}
			}
			if got := CanAny(a, p); got != some {
				t.Errorf("CanAny(%s, %s) = %v, want %v", role, p, got, some)
			}
			if all, _ := ScopeOf(a, p); all && len(want[role]) != len(policyObjects) {
				t.Errorf("ScopeOf(%s, %s) covers every object, the table does not", role, p)
			}
			err := Authorize(a, p, Facts{DeptID: 99, EnterpriseID: 99, UserID: 999, ChannelID: 99})
			if err != nil && (ErrorCode(err) != EFORBIDDEN || ErrorMessage(err) != demandOrPeopleDeny(p)) {
				t.Errorf("Authorize(%s, %s) = %v, want the permission's own refusal", role, p, err)
			}
		}
	}
}

func demandOrPeopleDeny(p Perm) string {
	if r, ok := demandRules[p]; ok {
		return r.deny
	}
	return peopleRules[p].deny
}

// TestPolicyConditions: a grant's condition on the actor holds or the
// grant does not, for the "some objects" question too.
func TestPolicyConditions(t *testing.T) {
	noDept := &Actor{UserID: 5, Roles: []Role{RoleStaff}}
	noEnt := &Actor{UserID: 6, Roles: []Role{RoleEnterprise}}
	grad := &Actor{UserID: 7, Roles: []Role{RoleGraduate}}
	cases := []struct {
		name string
		a    *Actor
		p    Perm
		want bool
	}{
		{"staff without department: no inbox", noDept, PermDemandUpdate, false},
		{"staff without department: no rates", noDept, PermRatesView, false},
		{"staff without department: only themself among users", noDept, PermUserView, true},
		{"enterprise user without enterprise: no demands", noEnt, PermDemandView, false},
		{"enterprise user without enterprise: files nothing", noEnt, PermDemandCreate, false},
		{"enterprise user without enterprise: no enterprise", noEnt, PermEnterpriseView, false},
		{"graduate: no demands (the channel grant is the channel's)", grad, PermDemandView, false},
		{"graduate: files nothing", grad, PermDemandCreate, false},
		{"nobody: nothing", nil, PermCategoryView, false},
		{"unknown permission", policyActors["admin"], Perm("no.such"), false},
	}
	for _, c := range cases {
		if got := CanAny(c.a, c.p); got != c.want {
			t.Errorf("%s: CanAny = %v, want %v", c.name, got, c.want)
		}
	}
	if SeesOthers(noDept, PermUserView) || !SeesOthers(policyActors["staff"], PermUserView) || SeesOthers(policyActors["cadre"], PermUserView) {
		t.Error("SeesOthers(PermUserView): staff with a department see others; cadres and staff without one do not")
	}
	if SeesOthers(policyActors["enterprise"], PermEnterpriseView) || !SeesOthers(policyActors["cadre"], PermEnterpriseView) ||
		SeesOthers(policyActors["enterprise"], PermUserView) || !SeesOthers(policyActors["cadre"], PermDemandView) {
		t.Error("SeesOthers: an enterprise user sees only its own enterprise and itself; a cadre sees others' demands")
	}
	if !OwnEnterpriseOnly(policyActors["enterprise"]) || OwnEnterpriseOnly(policyActors["cadre"]) || OwnEnterpriseOnly(policyActors["dispatcher"]) {
		t.Error("OwnEnterpriseOnly: only the enterprise user files for its own enterprise whatever it names")
	}
	both := &Actor{UserID: 8, Roles: []Role{RoleEnterprise, RoleCadre}, EnterpriseID: 7}
	if OwnEnterpriseOnly(both) {
		t.Error("an enterprise user who is also a cadre names the enterprise")
	}
	if s := (&Actor{Roles: []Role{RoleStaff}, DeptID: 3}).UserScope(); s != ScopeDeptTree {
		t.Errorf("staff user scope %d", s)
	}
}

// TestWorkflowOwnerIsExactDepartment: staff of a unit below the lead
// department do not act as owner on its demand (InDept let them), nor do
// the lead department's parent's staff; the lead department's own do.
func TestWorkflowOwnerIsExactDepartment(t *testing.T) {
	d := &Demand{ID: 1, Status: DemandAssigned, LeadDeptID: 10, CoopDeptIDs: []int64{20}, EnterpriseID: 7, SubmitterID: 300}
	unit := &Actor{UserID: 1, Roles: []Role{RoleStaff}, DeptID: 11, DeptPath: "/1/10/11/", SubDeptIDs: []int64{11}}
	parent := &Actor{UserID: 2, Roles: []Role{RoleStaff}, DeptID: 1, DeptPath: "/1/", SubDeptIDs: []int64{1, 10, 11, 20}}
	lead := &Actor{UserID: 3, Roles: []Role{RoleStaff}, DeptID: 10, DeptPath: "/1/10/", SubDeptIDs: []int64{10, 11}}
	coopUnit := &Actor{UserID: 4, Roles: []Role{RoleStaff}, DeptID: 21, DeptPath: "/1/20/21/", SubDeptIDs: []int64{21}}
	for _, a := range []*Actor{unit, parent} {
		tr := &Transition{Action: ActAccept}
		if err := CheckTransition(d, a, tr.Action); ErrorCode(err) != EFORBIDDEN {
			t.Errorf("staff of department %d accepts department 10's demand: %v", a.DeptID, err)
		}
		if acts := a.AvailableActions(d); len(acts) != 0 {
			t.Errorf("staff of department %d is offered %v", a.DeptID, acts)
		}
	}
	if err := CheckTransition(d, lead, ActAccept); err != nil {
		t.Errorf("lead department: %v", err)
	}
	working := *d
	working.Status = DemandInProgress
	if err := CheckTransition(&working, coopUnit, ActUpdate); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("a cooperating department's unit updates: %v", err)
	}
	if err := CheckTransition(&working, &Actor{Roles: []Role{RoleStaff}, DeptID: 20, SubDeptIDs: []int64{20, 21}}, ActUpdate); err != nil {
		t.Errorf("the cooperating department: %v", err)
	}
	// Each refusal names what was refused.
	err := CheckTransition(&working, unit, ActResolve)
	if msg := ErrorMessage(err); !strings.Contains(msg, "办结") {
		t.Errorf("resolve refusal %q does not name the action", msg)
	}
}

// TestWorkflowPermsNeedNoLoadedFacts: PlanTransition and the upload check
// build facts without the linkage or the channel (DemandFacts(d, false,
// 0)), so no grant of theirs may go through those relations; every
// action people take names a permission.
func TestWorkflowPermsNeedNoLoadedFacts(t *testing.T) {
	perms := []Perm{PermDemandAttach}
	for _, act := range WorkflowActions {
		p := ActionPerm(act)
		if p == "" {
			t.Errorf("action %s has no permission", act)
		}
		perms = append(perms, p)
	}
	perms = append(perms, ActionPerm(ActClose))
	for _, p := range perms {
		r, ok := lookup(p)
		if !ok {
			t.Errorf("%s is not declared", p)
			continue
		}
		for _, g := range r.grants {
			if g.Via&(RelLinked|RelChannel) != 0 {
				t.Errorf("%s grants through the linkage or the channel, which PlanTransition does not load", p)
			}
		}
	}
}

// TestPolicyEveryPermDeclaredOnce: every Perm constant of the package is
// declared in exactly one of the policy's tables, with grants and a
// refusal message of its own; no table declares a permission that is not
// a constant.
func TestPolicyEveryPermDeclaredOnce(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[Perm]string{} // value → constant name
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Perm" {
					continue
				}
				for i, n := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Errorf("%s: Perm %s is not a string literal", name, n.Name)
						continue
					}
					v, _ := strconv.Unquote(lit.Value)
					if prev, dup := consts[Perm(v)]; dup {
						t.Errorf("%s and %s are both %q", prev, n.Name, v)
					}
					consts[Perm(v)] = n.Name
				}
			}
		}
	}
	if len(consts) == 0 {
		t.Fatal("no Perm constants found")
	}
	denies := map[string]Perm{}
	for p, name := range consts {
		n := 0
		for _, rules := range ruleSets {
			if r, ok := rules[p]; ok {
				n++
				if strings.TrimSpace(r.deny) == "" {
					t.Errorf("%s (%s) has no refusal message", name, p)
				}
				// action_item.upload is refused to all on purpose: evidence
				// is attached only when an item is completed.
				if len(r.grants) == 0 && p != PermItemUpload {
					t.Errorf("%s (%s) grants nobody anything", name, p)
				}
				if other, dup := denies[r.deny]; dup {
					t.Errorf("%s and %s refuse with the same message %q", p, other, r.deny)
				}
				denies[r.deny] = p
			}
		}
		if n != 1 {
			t.Errorf("%s (%s) is declared in %d tables, want exactly 1", name, p, n)
		}
	}
	for _, rules := range ruleSets {
		for p := range rules {
			if _, ok := consts[p]; !ok {
				t.Errorf("a table declares %q, which is no Perm constant", p)
			}
		}
	}
}
