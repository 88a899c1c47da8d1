package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestVisitReminderJob: the scheduler tells a cadre of an overdue visit
// once a day, however often the job runs.
func TestVisitReminderJob(t *testing.T) {
	sqldbtest.Run(t, testVisitReminderJob)
}

func testVisitReminderJob(t *testing.T, eng sqldbtest.Engine) {
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}
	db := eng.Open(t, clock)
	app, err := newApp(db, clock, "")
	if err != nil {
		t.Fatal(err)
	}
	sys := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	dept := &zhagen.Department{Name: "经济发展局", Kind: zhagen.DeptGov}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(app.Departments.CreateDepartment(sys, dept))
	c, _ := zhagen.USCCCheckChar("91350100MA0000001")
	ent := &zhagen.Enterprise{Name: "甲公司", USCC: "91350100MA0000001" + string(c), Industry: "集成电路"}
	must(app.Enterprises.CreateEnterprise(sys, ent))
	cadre := &zhagen.User{Login: "cadre", Name: "干部", Roles: []zhagen.Role{zhagen.RoleCadre}, DeptID: dept.ID, Password: "Zg-Test#4821"}
	must(app.Users.CreateUser(sys, cadre))
	must(app.Linkages.CreateLinkage(sys, &zhagen.Linkage{CadreID: cadre.ID, EnterpriseID: ent.ID, StartDate: "2026-09-01"}))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	count := func() int {
		var n int
		q := `SELECT COUNT(*) FROM notifications WHERE user_id = ?`
		if db.IsPostgres() {
			q = `SELECT COUNT(*) FROM notifications WHERE user_id = $1`
		}
		must(db.SQL().QueryRow(q, cadre.ID).Scan(&n))
		return n
	}
	for i := range 5 { // five minutes, then two hours later
		runJobsOnce(context.Background(), app, log, clock.T.Add(time.Duration(i)*time.Minute))
	}
	runJobsOnce(context.Background(), app, log, clock.T.Add(2*time.Hour))
	if n := count(); n != 1 {
		t.Fatalf("%d reminders on the first day, want 1", n)
	}
	clock.T = clock.T.Add(24 * time.Hour)
	runJobsOnce(context.Background(), app, log, clock.T)
	if n := count(); n != 2 {
		t.Fatalf("%d reminders after the second day, want 2", n)
	}
}
