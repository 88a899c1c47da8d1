package demo_test

import (
	"context"
	"io"
	"testing"

	"zhagen"
	"zhagen/demo"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// TestLoadDemands loads the catalogue, the demo demands and the Open311
// channel, twice.
func TestLoadDemands(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, nil)
		cal, err := sla.NewCalendar(sla.Config{})
		if err != nil {
			t.Fatal(err)
		}
		s := services(db)
		s.Categories, s.Demands, s.Intake = sqldb.NewCategoryService(db), sqldb.NewDemandService(db, cal), sqldb.NewIntakeService(db)
		ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		for run := 0; run < 2; run++ {
			if err := demo.Load(ctx, s, demo.DefaultPassword, io.Discard); err != nil {
				t.Fatal(err)
			}
			cats, err := s.Categories.FindCategories(ctx, zhagen.CategoryFilter{})
			if err != nil || len(cats) < 10 {
				t.Fatalf("run %d: %d categories, %v", run, len(cats), err)
			}
			demands, total, err := s.Demands.FindDemands(ctx, zhagen.DemandFilter{Limit: 100})
			if err != nil || total != 5 {
				t.Fatalf("run %d: %d demands, %v", run, total, err)
			}
			statuses := map[zhagen.DemandStatus]int{}
			for _, d := range demands {
				statuses[d.Status]++
			}
			if statuses[zhagen.DemandClosed] != 1 || statuses[zhagen.DemandInProgress] != 1 || statuses[zhagen.DemandWaiting] != 1 || statuses[zhagen.DemandSubmitted] != 1 {
				t.Fatalf("run %d: statuses %v", run, statuses)
			}
		}
		power, err := s.Categories.FindCategoryByCode(ctx, "power")
		if err != nil || power.LeadDeptName != "经济发展局" || len(power.CoopDeptIDs) != 1 {
			t.Fatalf("power category %+v %v", power, err)
		}
		a, err := s.Intake.ActorByAPIKey(context.Background(), demo.DefaultOpen311Key)
		if err != nil || a.IntakeChannelID == 0 {
			t.Fatalf("demo Open311 key: %v", err)
		}
	})
}
