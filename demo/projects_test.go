package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"zhagen"
	"zhagen/demo"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestLoadProject: the laboratory project loads with its milestones and
// approvals, the D3 floor-height change closed after its joint
// consultation, the re-fit escalated with open action items and a
// coordination meeting coming; a second load creates nothing.
func TestLoadProject(t *testing.T) {
	sqldbtest.Run(t, testLoadProject)
}

func testLoadProject(t *testing.T, eng sqldbtest.Engine) {
	db := eng.Open(t, testClock)
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s := services(db)
	s.Categories, s.Demands = sqldb.NewCategoryService(db), sqldb.NewDemandService(db, cal)
	s.Projects, s.Consultations, s.Clock = sqldb.NewProjectService(db, cal), sqldb.NewConsultationService(db, cal), testClock
	ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	if err := demo.Load(ctx, s, demo.DefaultPassword, nil); err != nil {
		t.Fatal(err)
	}
	ps, _, err := s.Projects.FindProjects(ctx, zhagen.ProjectFilter{Query: "闽都创新实验室"})
	if err != nil || len(ps) != 1 {
		t.Fatalf("projects %v %v", ps, err)
	}
	p := ps[0]
	if p.Level != zhagen.LevelProvincial || p.Status != zhagen.ProjectFitOut || p.OwnerDeptName != "福州高新区投资控股有限公司" || p.LiaisonName != "郑朝贤" || p.Behind != 1 {
		t.Errorf("project %+v", p)
	}
	xs, _, err := s.Projects.FindApprovals(ctx, zhagen.ApprovalFilter{ProjectID: p.ID})
	if err != nil || len(xs) != 8 {
		t.Fatalf("approvals %d %v", len(xs), err)
	}
	staged, waiting := 0, 0
	for _, x := range xs {
		if x.Kind == zhagen.ApprovalStaged {
			staged++
		}
		if x.Status.Waiting() {
			waiting++
		}
	}
	if staged != 4 || waiting != 2 {
		t.Errorf("staged %d, waiting %d", staged, waiting)
	}
	demands, _, err := s.Demands.FindDemands(ctx, zhagen.DemandFilter{ProjectID: p.ID})
	if err != nil || len(demands) != 2 {
		t.Fatalf("demands %v %v", demands, err)
	}
	for _, d := range demands {
		if d.Channel != zhagen.ChannelProject {
			t.Errorf("demand %s channel %s", d.Title, d.Channel)
		}
		switch {
		case strings.Contains(d.Title, "层高"):
			if d.Status != zhagen.DemandClosed {
				t.Errorf("D3 demand %s", d.Status)
			}
		default:
			if d.Status != zhagen.DemandEscalated {
				t.Errorf("re-fit demand %s", d.Status)
			}
			items, _, err := s.Consultations.FindActionItems(ctx, zhagen.ActionItemFilter{DemandID: d.ID, Pending: true})
			if err != nil || len(items) != 3 {
				t.Errorf("re-fit items %d %v", len(items), err)
			}
		}
	}
	o, err := s.Projects.Overview(ctx)
	if err != nil || len(o.Upcoming) != 1 || len(o.Behind) != 1 {
		t.Fatalf("overview %+v %v", o, err)
	}
	var out bytes.Buffer
	if err := demo.Load(ctx, s, demo.DefaultPassword, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "重点项目  1（新建 0，已存在 1）") {
		t.Errorf("second load:\n%s", out.String())
	}
}
