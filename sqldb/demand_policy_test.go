package sqldb_test

import (
	"context"
	"fmt"
	"testing"

	"zhagen"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestDemandScopeFollowsTheTree: seeing extends down the department tree,
// acting as owner does not, and a department filter narrows the caller's
// scope instead of replacing it. 管委会 (root) → 经济发展局 (edb) → 企业服务科
// (a unit of edb); 自然资源和规划局 is edb's sibling.
func TestDemandScopeFollowsTheTree(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		unit := &zhagen.Department{Name: "企业服务科", Kind: zhagen.DeptGov, ParentID: f.edb.ID}
		must(t, f.depts.CreateDepartment(f.admin, unit))
		rootStaff := f.user(t, "rootstaff", zhagen.RoleStaff, f.root.ID, 0)
		unitStaff := f.user(t, "unitstaff", zhagen.RoleStaff, unit.ID, 0)

		edbDemand := f.file(t, f.ent, "边界内") // routed to edb by its category
		rootDemand := f.file(t, f.ent, "管委会主办")
		rootDemand = f.act(t, f.dispatcher, rootDemand, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: f.root.ID})
		unitDemand := f.file(t, f.ent, "科室主办")
		unitDemand = f.act(t, f.dispatcher, unitDemand, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: unit.ID})

		ids := func(ds []*zhagen.Demand) map[int64]bool {
			m := map[int64]bool{}
			for _, d := range ds {
				m[d.ID] = true
			}
			return m
		}
		cases := []struct {
			who    string
			dept   int64 // the filter's department, 0 for none
			role   string
			want   []int64
			absent []int64
		}{
			// Seeing extends down: root staff see every demand below.
			{"rootstaff", 0, "", []int64{edbDemand.ID, rootDemand.ID, unitDemand.ID}, nil},
			// edb's staff see edb's and its unit's, not the root's.
			{"staff", 0, "", []int64{edbDemand.ID, unitDemand.ID}, []int64{rootDemand.ID}},
			// The unit's staff see only the unit's.
			{"unitstaff", 0, "", []int64{unitDemand.ID}, []int64{edbDemand.ID, rootDemand.ID}},
			// Naming a department above does not widen the scope (it did:
			// the routing join replaced the scope for one's "own"
			// department, which included those above).
			{"staff", f.root.ID, "", nil, []int64{rootDemand.ID, edbDemand.ID, unitDemand.ID}},
			{"staff", f.root.ID, "lead", nil, []int64{rootDemand.ID}},
			{"unitstaff", f.edb.ID, "", nil, []int64{edbDemand.ID}},
			{"unitstaff", f.edb.ID, "lead", nil, []int64{edbDemand.ID}},
			{"unitstaff", f.root.ID, "lead", nil, []int64{rootDemand.ID}},
			// Naming a department below narrows to it.
			{"staff", unit.ID, "lead", []int64{unitDemand.ID}, []int64{edbDemand.ID}},
			{"rootstaff", f.edb.ID, "lead", []int64{edbDemand.ID}, []int64{rootDemand.ID, unitDemand.ID}},
			// One's own department's inbox, as before.
			{"staff", f.edb.ID, "lead", []int64{edbDemand.ID}, []int64{unitDemand.ID, rootDemand.ID}},
		}
		ctxs := map[string]context.Context{"rootstaff": rootStaff, "staff": f.staff, "unitstaff": unitStaff}
		for _, c := range cases {
			filter := zhagen.DemandFilter{DeptID: c.dept, DeptRole: c.role}
			ds, total, err := f.demands.FindDemands(ctxs[c.who], filter)
			must(t, err)
			got := ids(ds)
			if total != len(ds) {
				t.Errorf("%s dept=%d role=%q: total %d for %d rows", c.who, c.dept, c.role, total, len(ds))
			}
			for _, id := range c.want {
				if !got[id] {
					t.Errorf("%s dept=%d role=%q: demand %d missing", c.who, c.dept, c.role, id)
				}
			}
			for _, id := range c.absent {
				if got[id] {
					t.Errorf("%s dept=%d role=%q: demand %d is outside the scope but listed", c.who, c.dept, c.role, id)
				}
			}
		}

		// Acting as owner is exact: root staff see edb's demand but do not
		// accept it; edb's staff do not accept their unit's.
		_, err := f.demands.Transition(rootStaff, edbDemand.ID, zhagen.Transition{Action: zhagen.ActAccept})
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, err = f.demands.Transition(f.staff, unitDemand.ID, zhagen.Transition{Action: zhagen.ActAccept})
		wantCode(t, err, zhagen.EFORBIDDEN)
		// The unit's staff neither see nor act on edb's demand.
		_, err = f.demands.Transition(unitStaff, edbDemand.ID, zhagen.Transition{Action: zhagen.ActAccept})
		wantCode(t, err, zhagen.ENOTFOUND)
		f.act(t, unitStaff, unitDemand, zhagen.Transition{Action: zhagen.ActAccept})
		f.act(t, f.staff, edbDemand, zhagen.Transition{Action: zhagen.ActAccept})

		// An actor loaded from a token knows its subtree, read again once
		// a department is added.
		if got := zhagen.ActorFromContext(rootStaff).SubDeptIDs; fmt.Sprint(got) != fmt.Sprint([]int64{f.root.ID, f.edb.ID, unit.ID, f.planning.ID}) {
			t.Errorf("root staff's sub-departments %v", got)
		}
		u := &zhagen.User{Login: "edb2", Name: "edb2", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: f.edb.ID, Password: f.password}
		must(t, f.users.CreateUser(f.admin, u))
		tok, err := f.auth.CreateToken(f.admin, u.ID, "test", 0)
		must(t, err)
		a, err := f.auth.ActorByToken(context.Background(), tok.Token)
		must(t, err)
		if fmt.Sprint(a.SubDeptIDs) != fmt.Sprint([]int64{f.edb.ID, unit.ID}) {
			t.Errorf("edb staff's sub-departments %v, want [%d %d]", a.SubDeptIDs, f.edb.ID, unit.ID)
		}
		unit2 := &zhagen.Department{Name: "项目服务科", Kind: zhagen.DeptGov, ParentID: f.edb.ID}
		must(t, f.depts.CreateDepartment(f.admin, unit2))
		a, err = f.auth.ActorByToken(context.Background(), tok.Token)
		must(t, err)
		if fmt.Sprint(a.SubDeptIDs) != fmt.Sprint([]int64{f.edb.ID, unit.ID, unit2.ID}) {
			t.Errorf("after a new unit, edb staff's sub-departments %v, want [%d %d %d]", a.SubDeptIDs, f.edb.ID, unit.ID, unit2.ID)
		}
		secret, err := f.auth.CreateSession(context.Background(), u.ID, "127.0.0.1", "test")
		must(t, err)
		a, err = f.auth.ActorBySession(context.Background(), secret)
		must(t, err)
		if fmt.Sprint(a.SubDeptIDs) != fmt.Sprint([]int64{f.edb.ID, unit.ID, unit2.ID}) {
			t.Errorf("session actor's sub-departments %v", a.SubDeptIDs)
		}
	})
}

// TestCadreFilesForLinkedEnterprises: a cadre files demands only for the
// enterprises linked to it, directly or as a key project's problem, and
// on the key projects it is the liaison of; it then reads the demands it
// filed and those of its linked enterprises.
func TestCadreFilesForLinkedEnterprises(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		cal, err := sla.NewCalendar(sla.Config{})
		must(t, err)
		projects := sqldb.NewProjectService(f.db, cal)
		cadre := zhagen.ActorFromContext(f.cadre)
		demand := func(ent, project int64) *zhagen.Demand {
			return &zhagen.Demand{EnterpriseID: ent, ProjectID: project, CategoryID: f.power.ID, Title: "走访中企业提出", Description: "d",
				Answers: zhagen.Answers{"load_kw": {"10"}}}
		}
		ofA := &zhagen.Project{Name: "甲公司二期厂房", Level: zhagen.LevelDistrict, OwnerEnterpriseID: f.entA.ID}
		must(t, projects.CreateProject(f.dispatcher, ofA))
		ofB := &zhagen.Project{Name: "乙公司研发楼", Level: zhagen.LevelDistrict, OwnerEnterpriseID: f.entB.ID, LiaisonID: cadre.UserID}
		must(t, projects.CreateProject(f.dispatcher, ofB))

		// Not linked to entA: neither a demand nor a project problem.
		wantCode(t, f.demands.CreateDemand(f.cadre, demand(f.entA.ID, 0), ""), zhagen.EFORBIDDEN)
		wantCode(t, f.demands.CreateDemand(f.cadre, demand(0, ofA.ID), ""), zhagen.EFORBIDDEN)
		byEnt := f.file(t, f.ent, "企业自己提交")
		if _, err := f.demands.FindDemandByID(f.cadre, byEnt.ID); zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			t.Fatalf("unlinked cadre reads entA's demand: %v", err)
		}

		f.linkCadre(t) // to entA
		own := demand(f.entA.ID, 0)
		must(t, f.demands.CreateDemand(f.cadre, own, ""))
		problem := demand(0, ofA.ID)
		must(t, f.demands.CreateDemand(f.cadre, problem, ""))
		if problem.EnterpriseID != f.entA.ID || problem.Channel != zhagen.ChannelProject {
			t.Fatalf("project problem %+v", problem)
		}
		// Still not for entB, except on the project it is the liaison of.
		wantCode(t, f.demands.CreateDemand(f.cadre, demand(f.entB.ID, 0), ""), zhagen.EFORBIDDEN)
		liaison := demand(0, ofB.ID)
		must(t, f.demands.CreateDemand(f.cadre, liaison, ""))

		// It reads what it filed and what its linked enterprise filed.
		ds, total, err := f.demands.FindDemands(f.cadre, zhagen.DemandFilter{})
		must(t, err)
		want := map[int64]bool{byEnt.ID: true, own.ID: true, problem.ID: true, liaison.ID: true}
		if total != len(want) {
			t.Errorf("cadre sees %d demands, want %d", total, len(want))
		}
		for _, d := range ds {
			if !want[d.ID] {
				t.Errorf("cadre sees demand %d (%s)", d.ID, d.Title)
			}
		}
		// entB's own demand stays out of sight.
		byB := &zhagen.Demand{CategoryID: f.power.ID, Title: "乙公司", Description: "d", Answers: zhagen.Answers{"load_kw": {"1"}}}
		must(t, f.demands.CreateDemand(f.ent2, byB, ""))
		if _, err := f.demands.FindDemandByID(f.cadre, byB.ID); zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			t.Fatalf("cadre reads entB's demand: %v", err)
		}
		// A linked cadre that did not file it sees only the public steps.
		evs, err := f.demands.FindDemandEvents(f.cadre, byEnt.ID)
		must(t, err)
		for _, ev := range evs {
			if !ev.Public {
				t.Errorf("cadre sees an internal step of a demand it did not file: %+v", ev)
			}
		}
	})
}
