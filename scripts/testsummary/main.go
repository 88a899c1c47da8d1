// Command testsummary reads `go test -json` on standard input and prints
// what a person reads of a test run: the output of failing tests, and per
// package its result, its time and which stores its storage tests ran on
// (subtests named sqlite or postgres, by sqldbtest.Run) and which tests
// ran on SQLite only by design (they log sqldbtest.OneStoreNote: page
// rendering, browser layout, parsing). It exits 1 when
// any test or package failed, or when REQUIRE_STORES (e.g.
// "sqlite,postgres") names a store that no package ran on.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

// oneStoreNote is sqldbtest.OneStoreNote (not imported: the summary
// builds without the database drivers).
const oneStoreNote = "sqldbtest: one store (sqlite only)"

type pkg struct {
	stores   map[string]bool
	oneStore map[string]bool     // top-level tests that ran on SQLite only by design
	outputs  map[string][]string // per test, kept until it passes
}

func main() {
	pkgs := map[string]*pkg{}
	var order []string
	failed := false
	seen := map[string]bool{}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // build errors and the like come as text
			continue
		}
		p := pkgs[e.Package]
		if p == nil {
			p = &pkg{stores: map[string]bool{}, oneStore: map[string]bool{}, outputs: map[string][]string{}}
			pkgs[e.Package] = p
			order = append(order, e.Package)
		}
		switch e.Action {
		case "build-output":
			fmt.Print(e.Output)
		case "build-fail":
			failed = true
		case "run":
			for _, part := range strings.Split(e.Test, "/") {
				if part == "sqlite" || part == "postgres" {
					p.stores[part] = true
					seen[part] = true
				}
			}
		case "output":
			p.outputs[e.Test] = append(p.outputs[e.Test], e.Output)
			if e.Test != "" && strings.Contains(e.Output, oneStoreNote) {
				top, _, _ := strings.Cut(e.Test, "/")
				p.oneStore[top] = true
				p.stores["sqlite"] = true
				seen["sqlite"] = true
			}
		case "pass", "skip":
			if e.Test != "" {
				delete(p.outputs, e.Test)
				continue
			}
			stores := slices.Sorted(func(yield func(string) bool) {
				for s := range p.stores {
					if !yield(s) {
						return
					}
				}
			})
			where := ""
			if len(stores) > 0 {
				where = "  stores: " + strings.Join(stores, ", ")
			}
			if len(p.oneStore) > 0 && len(stores) > 1 {
				where += "; on sqlite only by design: " + strings.Join(slices.Sorted(maps.Keys(p.oneStore)), ", ")
			}
			if e.Action == "skip" {
				fmt.Printf("?   \t%s\t[no test files]\n", e.Package)
			} else {
				fmt.Printf("ok  \t%s\t%.1fs%s\n", e.Package, e.Elapsed, where)
			}
		case "fail":
			failed = true
			if e.Test != "" {
				fmt.Print(strings.Join(p.outputs[e.Test], ""))
				delete(p.outputs, e.Test)
				continue
			}
			// Tests that never finished (a timeout, a crash) and the
			// package's own output.
			for t, out := range p.outputs {
				if t != "" {
					fmt.Print(strings.Join(out, ""))
				}
			}
			fmt.Print(strings.Join(p.outputs[""], ""))
			fmt.Printf("FAIL\t%s\t%.1fs\n", e.Package, e.Elapsed)
		}
	}
	for _, s := range strings.Split(os.Getenv("REQUIRE_STORES"), ",") {
		if s != "" && !seen[s] {
			fmt.Printf("FAIL: no storage test ran on %s\n", s)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}
