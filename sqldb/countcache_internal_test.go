package sqldb

import (
	"strings"
	"testing"
)

// TestCountTables: a count depends on every table its SQL reads, in
// FROM, JOIN and subqueries; an unknown table is refused.
func TestCountTables(t *testing.T) {
	got, err := countTables(`SELECT COUNT(*) FROM demands d LEFT JOIN enterprises e ON e.id = d.enterprise_id WHERE (d.enterprise_id IN (SELECT enterprise_id FROM linkages WHERE cadre_id = ? AND active))`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "demands,enterprises,linkages" {
		t.Fatalf("tables %v, want demands, enterprises, linkages", got)
	}
	got, err = countTables(`SELECT COUNT(*) FROM demands d JOIN demand_depts fd ON fd.demand_id = d.id WHERE EXISTS (SELECT 1 FROM demand_depts sd WHERE sd.dept_id IN (SELECT id FROM departments WHERE path LIKE ?))`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "demands,departments" {
		t.Fatalf("tables %v, want demands, departments", got)
	}
	if _, err := countTables(`SELECT COUNT(*) FROM demands d JOIN mystery m ON m.id = d.id`); err == nil || !strings.Contains(err.Error(), "mystery") {
		t.Fatalf("unknown table: %v", err)
	}
}
