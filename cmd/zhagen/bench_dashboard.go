package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"zhagen"
	"zhagen/sqldb"
)

// benchDashboard fills a scratch database with N demands of realistic
// shape over 24 months (bulk insert, rollups consistent) and measures the
// dashboard's queries many times: the 12-month trend of the three rates
// for all departments (leader), the same for one department's staff, and
// the departments' ranking. It prints one JSON line per query with p50
// and p99 in milliseconds.
func benchDashboard(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	n := fs.Int("demands", 1000000, "诉求数 (demands stored)")
	runs := fs.Int("runs", 200, "每项查询次数 (runs of each query)")
	pg := fs.String("postgres", "", "PostgreSQL DSN; a throw-away schema is created in it (default: a temporary SQLite file)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// --database-url (the common flag) names the PostgreSQL database too.
	if f := fs.Lookup("database-url"); *pg == "" && f != nil && strings.HasPrefix(f.Value.String(), "postgres") {
		*pg = f.Value.String()
	}
	dsn, cleanup, err := benchDSN(*pg)
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := sqldb.Open(ctx, dsn, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	app, err := newApp(db, zhagen.SystemClock{}, "")
	if err != nil {
		return err
	}
	sys := systemCtx(ctx)
	root := &zhagen.Department{Name: "管委会", Kind: zhagen.DeptGov}
	if err := app.Departments.CreateDepartment(sys, root); err != nil {
		return err
	}
	var depts []*zhagen.Department
	for i := 0; i < 20; i++ {
		d := &zhagen.Department{Name: fmt.Sprintf("部门%02d", i), Kind: zhagen.DeptGov, ParentID: root.ID}
		if err := app.Departments.CreateDepartment(sys, d); err != nil {
			return err
		}
		depts = append(depts, d)
	}
	if err := app.Enterprises.ImportEnterprises(sys, syntheticEnterprises(1000)); err != nil {
		return err
	}
	list, _, err := app.Enterprises.FindEnterprises(sys, zhagen.EnterpriseFilter{Limit: 200})
	if err != nil {
		return err
	}
	var ents []int64
	for _, e := range list {
		ents = append(ents, e.ID)
	}
	var cats []*zhagen.Category
	for i := 0; i < 12; i++ {
		c := &zhagen.Category{Code: fmt.Sprintf("c%02d", i), Name: fmt.Sprintf("类别%02d", i), LeadDeptID: depts[i%len(depts)].ID}
		if err := app.Categories.CreateCategory(sys, c); err != nil {
			return err
		}
		cats = append(cats, c)
	}
	t0 := time.Now()
	if err := app.Demands.BulkLoadDashboard(sys, *n, cats, ents, time.Now(), 20261206); err != nil {
		return err
	}
	engine := "sqlite"
	if db.IsPostgres() {
		engine = "postgres"
	}
	fmt.Fprintf(os.Stderr, "bench: %s: stored %d demands with their rollups in %s\n", engine, *n, time.Since(t0).Round(time.Second))
	leader := zhagen.NewContextWithActor(ctx, &zhagen.Actor{UserID: 1, Name: "领导", Roles: []zhagen.Role{zhagen.RoleLeader}, DeptID: root.ID, DeptPath: root.Path})
	d0 := depts[0]
	staff := zhagen.NewContextWithActor(ctx, &zhagen.Actor{UserID: 2, Name: "部门人员", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: d0.ID, DeptPath: d0.Path, DeptName: d0.Name})
	queries := []struct {
		name string
		run  func() error
	}{
		{"trend 12 months, all departments (leader)", func() error {
			t, err := app.Rates.DemandTrend(leader, zhagen.TrendFilter{})
			if err == nil && t.Total.Submitted == 0 {
				err = fmt.Errorf("empty trend")
			}
			return err
		}},
		{"trend 12 months, own department (staff)", func() error { _, err := app.Rates.DemandTrend(staff, zhagen.TrendFilter{}); return err }},
		{"ranking 12 months (leader)", func() error { _, err := app.Rates.DeptRanking(leader, zhagen.TrendFilter{}); return err }},
		{"three rates of a date range, per department (leader, /rates)", func() error {
			now := time.Now()
			_, _, err := app.Rates.DemandRates(leader, zhagen.RatesFilter{From: now.AddDate(-1, 0, 0), To: now})
			return err
		}},
	}
	for _, q := range queries {
		if err := q.run(); err != nil { // warm the caches once
			return fmt.Errorf("%s: %w", q.name, err)
		}
		lat := make([]time.Duration, 0, *runs)
		for range *runs {
			s := time.Now()
			if err := q.run(); err != nil {
				return fmt.Errorf("%s: %w", q.name, err)
			}
			lat = append(lat, time.Since(s))
		}
		slices.Sort(lat)
		ms := func(p float64) float64 {
			return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
		}
		if err := json.NewEncoder(stdout).Encode(map[string]any{"engine": engine, "query": q.name, "demands": *n, "runs": *runs,
			"p50_ms": ms(0.50), "p99_ms": ms(0.99), "max_ms": ms(1)}); err != nil {
			return err
		}
	}
	return nil
}
