package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// The policy's department-tree semantics on key projects, consultations
// and visits, and the defects they fixed, on every store.

// unit adds a department below parent and a staff user of it.
func (f *projectFixture) unit(t *testing.T, name string, parent int64, login string) (*zhagen.Department, context.Context) {
	t.Helper()
	d := &zhagen.Department{Name: name, Kind: zhagen.DeptGov, ParentID: parent}
	must(t, f.depts.CreateDepartment(f.admin, d))
	return d, f.user(t, login, zhagen.RoleStaff, d.ID, 0)
}

// TestProjectOwnerIsExactDepartment: acting as a key project's owner —
// moving its stage, adding milestones, filing and withdrawing approvals
// — is for staff of the owner department itself: not of a unit below it
// (which used to pass), not of the unit above it. Deciding an approval is
// likewise for the approving department itself.
func TestProjectOwnerIsExactDepartment(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		office, sub := f.unit(t, "投资控股项目部", f.holding.ID, "holdsub")
		day := func(m, d int) time.Time { return time.Date(2027, time.Month(m), d, 0, 0, 0, 0, zhagen.Shanghai) }

		// The sub-unit sees the parent's project but does not act on it.
		p, err := f.projects.FindProjectByID(sub, f.lab.ID)
		must(t, err)
		p.Status = zhagen.ProjectFitOut
		wantCode(t, f.projects.UpdateProject(sub, p), zhagen.EFORBIDDEN)
		wantCode(t, f.projects.SaveMilestone(sub, &zhagen.Milestone{ProjectID: f.lab.ID, Phase: "验收", Name: "竣工验收",
			PlannedStart: day(1, 5), PlannedEnd: day(2, 20)}), zhagen.EFORBIDDEN)
		wantCode(t, f.projects.FileApproval(sub, &zhagen.Approval{ProjectID: f.lab.ID, Kind: zhagen.ApprovalChange, Part: "D区3号楼", DeptID: f.planning.ID}),
			zhagen.EFORBIDDEN)
		got, err := f.projects.FindProjectByID(f.admin, f.lab.ID)
		must(t, err)
		ms, err := f.projects.FindMilestones(f.admin, f.lab.ID)
		must(t, err)
		xs, _, err := f.projects.FindApprovals(f.admin, zhagen.ApprovalFilter{ProjectID: f.lab.ID})
		must(t, err)
		if got.Status != zhagen.ProjectNearlyDone || len(ms) != 2 || len(xs) != 0 {
			t.Fatalf("refused steps left traces: status %s, %d milestones, %d approvals", got.Status, len(ms), len(xs))
		}

		// The owner department itself does.
		p.Version = got.Version
		must(t, f.projects.UpdateProject(f.holdStaff, p))
		x := &zhagen.Approval{ProjectID: f.lab.ID, Kind: zhagen.ApprovalChange, Part: "D区3号楼", DeptID: f.planning.ID}
		must(t, f.projects.FileApproval(f.holdStaff, x))
		_, err = f.projects.StepApproval(sub, x.ID, zhagen.ApprovalStep{Action: "withdraw"})
		wantCode(t, err, zhagen.ENOTFOUND) // neither the project's owner nor the approving department is at or below the sub-unit

		// The parent department does not act on its sub-unit's project.
		op := &zhagen.Project{Name: "项目部自用仓库", Level: zhagen.LevelDistrict, OwnerDeptID: office.ID, Status: zhagen.ProjectPrep}
		must(t, f.projects.CreateProject(f.dispatcher, op))
		op.Status = zhagen.ProjectBuilding
		wantCode(t, f.projects.UpdateProject(f.holdStaff, op), zhagen.EFORBIDDEN)
		must(t, f.projects.UpdateProject(sub, op))

		// The approving department decides: not its sub-unit (which does
		// not even see the approval), not the zone above it.
		_, planSub := f.unit(t, "规划科", f.planning.ID, "plansub")
		rootStaff := f.user(t, "rootstaff", zhagen.RoleStaff, f.root.ID, 0)
		_, err = f.projects.StepApproval(planSub, x.ID, zhagen.ApprovalStep{Action: "accept"})
		wantCode(t, err, zhagen.ENOTFOUND)
		_, err = f.projects.StepApproval(rootStaff, x.ID, zhagen.ApprovalStep{Action: "accept"})
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, err = f.projects.StepApproval(f.planStaff, x.ID, zhagen.ApprovalStep{Action: "accept"})
		must(t, err)
	})
}

// sameAsMissing checks that linking the hidden demand was refused exactly
// as linking the missing one: the same code, field and message.
func sameAsMissing(t *testing.T, hidden error, hiddenID int64, missing error, missingID int64) {
	t.Helper()
	h, ok1 := hidden.(*zhagen.Error)
	m, ok2 := missing.(*zhagen.Error)
	if !ok1 || !ok2 {
		t.Fatalf("linking a demand the caller does not see: %v; a missing one: %v", hidden, missing)
	}
	if h.Code != zhagen.EINVALID || h.Code != m.Code || h.Field != m.Field ||
		h.Message != fmt.Sprintf("诉求 #%d 不存在", hiddenID) || m.Message != fmt.Sprintf("诉求 #%d 不存在", missingID) {
		t.Fatalf("hidden demand answered %+v, missing one %+v", h, m)
	}
}

// TestConsultationLinksOnlyDemandsItSees: a consultation links only
// demands its convener sees; one of another department (which used to be
// linked, and then showed on that department's demand and to its
// enterprise) is answered exactly like a missing id, on creating and on
// changing the consultation.
func TestConsultationLinksOnlyDemandsItSees(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		hidden := &zhagen.Demand{EnterpriseID: f.entB.ID, CategoryID: f.building.ID, Title: "施工临时用电", Description: "厂房施工需要临时用电"}
		must(t, f.demands.CreateDemand(f.dispatcher, hidden, ""))
		if _, err := f.demands.FindDemandByID(f.staff, hidden.ID); zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			t.Fatalf("the economic development bureau sees the construction bureau's demand: %v", err)
		}
		mine := f.file(t, f.cadre, "双回路供电")
		const missing = 999999

		create := func(ids ...int64) error {
			return f.consults.CreateConsultation(f.staff, &zhagen.Consultation{Kind: zhagen.KindTopic, Title: "用电专题会", DemandIDs: ids})
		}
		sameAsMissing(t, create(mine.ID, hidden.ID), hidden.ID, create(mine.ID, missing), missing)
		if list, _, err := f.consults.FindConsultations(f.admin, zhagen.ConsultationFilter{}); err != nil || len(list) != 0 {
			t.Fatalf("refused consultations stored: %d %v", len(list), err)
		}

		c := &zhagen.Consultation{Kind: zhagen.KindTopic, Title: "用电专题会", DemandIDs: []int64{mine.ID}}
		must(t, f.consults.CreateConsultation(f.staff, c))
		_, errHidden := f.consults.UpdateConsultation(f.staff, c.ID, zhagen.ConsultationUpdate{AddDemandIDs: []int64{hidden.ID}})
		_, errMissing := f.consults.UpdateConsultation(f.staff, c.ID, zhagen.ConsultationUpdate{AddDemandIDs: []int64{missing}})
		sameAsMissing(t, errHidden, hidden.ID, errMissing, missing)
		got, err := f.consults.FindConsultationByID(f.staff, c.ID)
		must(t, err)
		if !slices.Equal(got.DemandIDs, []int64{mine.ID}) {
			t.Fatalf("linked demands %v", got.DemandIDs)
		}
		// Nothing shows on the other department's demand or to its enterprise.
		d, err := f.demands.FindDemandByID(f.buildStaff, hidden.ID)
		must(t, err)
		if d.ConsultationID != 0 {
			t.Fatalf("the hidden demand names consultation %d", d.ConsultationID)
		}
		_, err = f.consults.FindConsultationByID(f.ent2, c.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		_, err = f.consults.FindConsultationByID(f.buildStaff, c.ID)
		wantCode(t, err, zhagen.ENOTFOUND)

		// The dispatcher, who sees every demand, links it.
		got, err = f.consults.UpdateConsultation(f.dispatcher, c.ID, zhagen.ConsultationUpdate{AddDemandIDs: []int64{hidden.ID}})
		must(t, err)
		if want := []int64{hidden.ID, mine.ID}; !slices.Equal(got.DemandIDs, want) { // in id order
			t.Fatalf("linked demands %v", got.DemandIDs)
		}
	})
}

// TestProjectStakeholdersSeeItsProblems: the problems raised on a key
// project are seen by its stakeholders — the owner department (and the
// units above it), the owner enterprise, the departments with open action
// items on it — who used to get ENOTFOUND; not by others.
func TestProjectStakeholdersSeeItsProblems(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		d := &zhagen.Demand{ProjectID: f.lab.ID, CategoryID: f.building.ID, Title: "D区3号楼层高变更", Description: "使用方临时提出调整部分楼层层高"}
		must(t, f.demands.CreateDemand(f.liaison, d, ""))
		sees := func(who context.Context, want bool) {
			t.Helper()
			_, err := f.demands.FindDemandByID(who, d.ID)
			if (err == nil) != want {
				t.Fatalf("%s sees the problem: %v, want %v", zhagen.ActorFromContext(who).Login, err, want)
			}
			list, total, err := f.demands.FindDemands(who, zhagen.DemandFilter{ProjectID: f.lab.ID})
			must(t, err)
			if (total == 1 && len(list) == 1) != want {
				t.Fatalf("%s lists %d problems of the project, want it %v", zhagen.ActorFromContext(who).Login, total, want)
			}
		}
		// The owner department.
		sees(f.holdStaff, true)
		// Not its sub-unit: seeing extends down the tree, not up.
		office, sub := f.unit(t, "投资控股项目部", f.holding.ID, "holdsub")
		sees(sub, false)
		// The owner department above a sub-unit's project.
		op := &zhagen.Project{Name: "项目部自用仓库", Level: zhagen.LevelDistrict, OwnerDeptID: office.ID, Status: zhagen.ProjectPrep}
		must(t, f.projects.CreateProject(f.dispatcher, op))
		od := &zhagen.Demand{ProjectID: op.ID, CategoryID: f.building.ID, EnterpriseID: f.entA.ID, Title: "仓库消防", Description: "仓库消防验收"}
		must(t, f.demands.CreateDemand(f.dispatcher, od, ""))
		if _, err := f.demands.FindDemandByID(f.holdStaff, od.ID); err != nil {
			t.Fatalf("the parent of the owner department: %v", err)
		}

		// A department with an open action item on the project, while it is open.
		sees(f.planStaff, false)
		c := &zhagen.Consultation{Kind: zhagen.KindProjectCoord, Title: "实验室项目推进会", ProjectID: f.lab.ID}
		must(t, f.consults.CreateConsultation(f.dispatcher, c))
		it := &zhagen.ActionItem{ConsultationID: c.ID, Title: "规划复核", OwnerDeptID: f.planning.ID, DueDays: 3}
		must(t, f.consults.AddActionItem(f.dispatcher, it))
		sees(f.planStaff, true)
		_, err := f.consults.CompleteActionItem(f.planStaff, it.ID, zhagen.ItemCompletion{Note: "已复核"})
		must(t, err)
		sees(f.planStaff, false)

		// The owner enterprise sees a problem filed for its contractor.
		ep := &zhagen.Project{Name: "甲公司二期厂房", Level: zhagen.LevelMunicipal, OwnerEnterpriseID: f.entA.ID, Status: zhagen.ProjectBuilding}
		must(t, f.projects.CreateProject(f.dispatcher, ep))
		ed := &zhagen.Demand{ProjectID: ep.ID, EnterpriseID: f.entB.ID, CategoryID: f.building.ID, Title: "施工单位进场", Description: "施工单位进场需协调"}
		must(t, f.demands.CreateDemand(f.dispatcher, ed, ""))
		for _, who := range []context.Context{f.ent, f.ent2} {
			if _, err := f.demands.FindDemandByID(who, ed.ID); err != nil {
				t.Fatalf("%s: %v", zhagen.ActorFromContext(who).Login, err)
			}
		}

		// Others do not.
		sees(f.supplyStaff, false)
		sees(f.ent, false)
		sees(f.ent2, false)
	})
}

// TestSeeingExtendsDown: staff see the visits of their department's
// cadres and of its units' cadres, not of the department above; an
// invitation is answered by the invited department itself.
func TestSeeingExtendsDown(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		rootStaff := f.user(t, "rootstaff", zhagen.RoleStaff, f.root.ID, 0)
		rootCadre := f.user(t, "rootcadre", zhagen.RoleCadre, f.root.ID, 0)
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID}))
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(rootCadre), EnterpriseID: f.entB.ID}))
		below := &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-01", Topics: "经发局干部走访"}
		must(t, f.links.CreateVisit(f.cadre, below))
		above := &zhagen.Visit{EnterpriseID: f.entB.ID, Date: "2026-11-01", Topics: "管委会干部走访"}
		must(t, f.links.CreateVisit(rootCadre, above))
		for _, c := range []struct {
			who   context.Context
			visit *zhagen.Visit
			want  bool
		}{{rootStaff, below, true}, {rootStaff, above, true}, {f.staff, below, true}, {f.staff, above, false}} {
			_, err := f.links.FindVisitByID(c.who, c.visit.ID)
			if (err == nil) != c.want {
				t.Errorf("%s reads %q: %v, want %v", zhagen.ActorFromContext(c.who).Login, c.visit.Topics, err, c.want)
			}
		}
		if _, n, err := f.links.FindVisits(rootStaff, zhagen.VisitFilter{}); err != nil || n != 2 {
			t.Fatalf("the zone's staff list %d visits (%v), want 2", n, err)
		}
	})
}

// TestInvitationAnsweredByInvitedDepartment: a department's invitation is
// answered by its own staff, not by a unit below it; the department
// above sees the meeting but has no invitation to answer.
func TestInvitationAnsweredByInvitedDepartment(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		_, sub := f.unit(t, "规划科", f.planning.ID, "plansub")
		rootStaff := f.user(t, "rootstaff", zhagen.RoleStaff, f.root.ID, 0)
		c := &zhagen.Consultation{Kind: zhagen.KindTopic, Title: "规划专题会", InviteDeptIDs: []int64{f.planning.ID}}
		must(t, f.consults.CreateConsultation(f.dispatcher, c))
		_, err := f.consults.FindConsultationByID(sub, c.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		wantCode(t, f.consults.ConfirmAttendance(rootStaff, c.ID, zhagen.AttendYes), zhagen.EFORBIDDEN)
		must(t, f.consults.ConfirmAttendance(f.planStaff, c.ID, zhagen.AttendYes))

		// The convener's department manages the meeting; its sub-unit,
		// invited, takes part but does not manage it.
		mine := &zhagen.Consultation{Kind: zhagen.KindTopic, Title: "规划局内部会"}
		must(t, f.consults.CreateConsultation(f.planStaff, mine))
		_, err = f.consults.UpdateConsultation(f.planStaff, mine.ID, zhagen.ConsultationUpdate{AddDeptIDs: []int64{zhagen.ActorFromContext(sub).DeptID}})
		must(t, err)
		must(t, f.consults.ConfirmAttendance(sub, mine.ID, zhagen.AttendYes))
		_, err = f.consults.UpdateConsultation(sub, mine.ID, zhagen.ConsultationUpdate{Place: ptr("三楼")})
		wantCode(t, err, zhagen.EFORBIDDEN)
		wantCode(t, f.consults.AddActionItem(sub, &zhagen.ActionItem{ConsultationID: mine.ID, Title: "整理资料", OwnerDeptID: f.planning.ID, DueDays: 2}),
			zhagen.EFORBIDDEN)
	})
}
