package zhagen_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestPackageGraph reads the package graph with `go list` and fails when
// an import breaks the architecture (ARCHITECTURE.md): the domain imports
// only the standard library and leaf packages; sla, catalog, assign and
// match are leaves, which import no package of the module; web, api and open311 import neither sqldb nor
// each other; sqldb imports no HTTP package; only cmd imports web, api
// and open311. Test files are not part of the graph.
func TestPackageGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports,Standard", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	graph := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		graph[p.ImportPath] = p.Imports
	}
	for _, want := range []string{"zhagen", "zhagen/sqldb", "zhagen/web", "zhagen/api", "zhagen/open311", "zhagen/sla", "zhagen/cmd/zhagen"} {
		if _, ok := graph[want]; !ok {
			t.Fatalf("go list did not report %s; is the scan broken?", want)
		}
	}
	if errs := checkGraph(graph); len(errs) > 0 {
		t.Error(strings.Join(errs, "\n"))
	}
}

// TestCheckGraphCatches feeds checkGraph graphs that break each rule.
func TestCheckGraphCatches(t *testing.T) {
	ok := map[string][]string{
		"zhagen":            {"context", "zhagen/sla"},
		"zhagen/sla":        {"time", "github.com/6tail/lunar-go/HolidayUtil"},
		"zhagen/sqldb":      {"zhagen", "zhagen/sla", "database/sql"},
		"zhagen/web":        {"zhagen", "net/http", "zhagen/catalog"},
		"zhagen/catalog":    {"embed"},
		"zhagen/cmd/zhagen": {"zhagen/web", "zhagen/api", "zhagen/sqldb"},
	}
	if errs := checkGraph(ok); len(errs) != 0 {
		t.Fatalf("a good graph fails: %v", errs)
	}
	bad := map[string][2]string{
		"domain imports sqldb":         {"zhagen", "zhagen/sqldb"},
		"domain imports a third party": {"zhagen", "github.com/jackc/pgx/v5"},
		"domain imports http":          {"zhagen", "net/http"},
		"leaf imports the domain":      {"zhagen/sla", "zhagen"},
		"web imports sqldb":            {"zhagen/web", "zhagen/sqldb"},
		"api imports web":              {"zhagen/api", "zhagen/web"},
		"sqldb imports net/http":       {"zhagen/sqldb", "net/http"},
		"sqldb imports httptest":       {"zhagen/sqldb", "net/http/httptest"},
		"demo imports api":             {"zhagen/demo", "zhagen/api"},
	}
	for name, edge := range bad {
		g := map[string][]string{}
		for k, v := range ok {
			g[k] = slices.Clone(v)
		}
		g[edge[0]] = append(g[edge[0]], edge[1])
		if errs := checkGraph(g); len(errs) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}

// checkGraph returns one line per import that breaks a rule.
func checkGraph(graph map[string][]string) []string {
	const mod = "zhagen"
	inModule := func(p string) bool { return p == mod || strings.HasPrefix(p, mod+"/") }
	std := func(p string) bool { return !strings.Contains(strings.Split(p, "/")[0], ".") && !inModule(p) }
	// A leaf is a package of the module that imports no other.
	leaf := func(p string) bool {
		if p == mod {
			return false
		}
		for _, imp := range graph[p] {
			if inModule(imp) {
				return false
			}
		}
		return true
	}
	// These must stay leaves: the pure packages the domain may import.
	leaves := []string{mod + "/sla", mod + "/catalog", mod + "/assign", mod + "/match", mod + "/phone", mod + "/throttle", mod + "/textindex"}
	http := func(p string) bool { return p == "net/http" || strings.HasPrefix(p, "net/http/") }
	handlers := []string{mod + "/web", mod + "/api", mod + "/open311"}
	var errs []string
	for p, imps := range graph {
		for _, imp := range imps {
			bad := ""
			switch {
			case p == mod && !std(imp) && !(inModule(imp) && leaf(imp)):
				bad = "the domain imports only the standard library and leaf packages"
			case p == mod && http(imp):
				bad = "the domain imports no HTTP code"
			case slices.Contains(leaves, p) && inModule(imp):
				bad = p + " is a leaf package: it imports nothing of the module"
			case p != mod && inModule(p) && leaf(p) && inModule(imp):
				bad = "a leaf package imports nothing of the module"
			case slices.Contains(handlers, p) && (imp == mod+"/sqldb" || strings.HasPrefix(imp, mod+"/sqldb/")):
				bad = "web, api and open311 do not import sqldb"
			case slices.Contains(handlers, p) && slices.Contains(handlers, imp):
				bad = "web, api and open311 do not import each other"
			case (p == mod+"/sqldb" || strings.HasPrefix(p, mod+"/sqldb/")) && (http(imp) || slices.Contains(handlers, imp)):
				bad = "sqldb imports no HTTP package"
			case slices.Contains(handlers, imp) && !strings.HasPrefix(p, mod+"/cmd/"):
				bad = "only cmd imports web, api and open311"
			}
			if bad != "" {
				errs = append(errs, p+" imports "+imp+": "+bad)
			}
		}
	}
	slices.Sort(errs)
	return errs
}
