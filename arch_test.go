package zhagen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"zhagen"
)

// stillConverting lists the files of the linkage, project, consultation
// and talent areas (branch pol2) that still fail the check below: thin
// can* wrappers over the policy in web (canConvene, canSeeConsultations,
// canSeeAllLinkages, canSeeProjects, canProgress, canDecide, canOverview,
// canLogVisits) and the action-item upload refusal in sqldb/files.go.
// pol2 was merged before this branch; its other files pass. (Before that
// merge this list held every file pol2 was converting: sqldb/linkage*.go,
// visit*.go, redflag.go, coverage.go, project.go, milestone.go,
// approval.go, consultation.go, action_item.go, position.go, survey.go,
// graduate.go, programme*.go, talent.go, teams.go, university.go and the
// matching web files.)
// TODO(lead): remove this list once those are inlined or declared.
var stillConverting = []string{
	"web/consultations.go", "web/linkage.go", "web/projects.go", "web/visit_form.go",
	"sqldb/files.go", // its action-item upload; demand uploads ask PermDemandAttach
}

var canFunc = regexp.MustCompile(`^can[A-Z]`)

// TestPermissionsGoThroughThePolicy fails when web, api, open311 or sqldb
// refuse with EFORBIDDEN other than through the policy
// (zhagen.Authorize, zhagen.Forbidden, sqldb's scope), or when web, api or
// open311 define can* permission functions of their own: who may do what
// is decided in the domain's policy only (DESIGN.md §4).
func TestPermissionsGoThroughThePolicy(t *testing.T) {
	for _, dir := range []string{"web", "api", "open311", "sqldb"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no Go files in %s", dir)
		}
		for _, path := range files {
			path = filepath.ToSlash(path)
			if strings.HasSuffix(path, "_test.go") || converting(path) {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, problem := range permissionProblems(path, src, dir != "sqldb") {
				t.Error(problem)
			}
		}
	}
}

func converting(path string) bool {
	for _, pat := range stillConverting {
		if ok, _ := filepath.Match(pat, path); ok {
			return true
		}
	}
	return false
}

// permissionProblems reports where the file raises EFORBIDDEN itself
// (zhagen.EFORBIDDEN, or its value "forbidden" as an error's Code, used
// anywhere but in a comparison, a case or a map key), and, when noCan,
// the can* functions it declares.
func permissionProblems(path string, src []byte, noCan bool) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	report := func(n ast.Node, format string, args ...any) {
		out = append(out, fset.Position(n.Pos()).String()+": "+fmt.Sprintf(format, args...))
	}
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		var parent ast.Node
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		stack = append(stack, n)
		switch x := n.(type) {
		case *ast.FuncDecl:
			if noCan && canFunc.MatchString(x.Name.Name) {
				report(x, "%s decides a permission itself; ask zhagen.Can/CanAny with a Perm", x.Name.Name)
			}
		case *ast.ValueSpec:
			for _, name := range x.Names {
				if noCan && canFunc.MatchString(name.Name) {
					report(name, "%s decides a permission itself; ask zhagen.Can/CanAny with a Perm", name.Name)
				}
			}
		case *ast.SelectorExpr:
			if x.Sel.Name == "EFORBIDDEN" && raises(x, parent) {
				report(x, "raises EFORBIDDEN itself; use zhagen.Authorize or zhagen.Forbidden with a Perm")
			}
		case *ast.KeyValueExpr:
			if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Code" {
				if lit, ok := x.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if v, _ := strconv.Unquote(lit.Value); v == zhagen.EFORBIDDEN {
						report(x, "raises %q itself; use zhagen.Authorize or zhagen.Forbidden with a Perm", v)
					}
				}
			}
		}
		return true
	})
	return out
}

// raises reports whether the use of EFORBIDDEN in parent makes an error
// rather than reads one: comparisons, case lists and map keys read.
func raises(sel *ast.SelectorExpr, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.BinaryExpr:
		return false
	case *ast.CaseClause:
		return false
	case *ast.KeyValueExpr:
		if p.Key == ast.Expr(sel) {
			return false // a map from codes, e.g. to HTTP statuses
		}
	}
	return true
}

// TestPermissionProblemsFinds keeps the check above honest: it finds each
// kind of home-made refusal and lets reading the code alone.
func TestPermissionProblemsFinds(t *testing.T) {
	src := `package web
import "zhagen"
func canEdit(a *zhagen.Actor) bool { return true }
var canSee = func(a *zhagen.Actor) bool { return true }
func f(err error) error {
	if zhagen.ErrorCode(err) == zhagen.EFORBIDDEN {
		return nil
	}
	switch zhagen.ErrorCode(err) {
	case zhagen.EFORBIDDEN:
	}
	_ = map[string]int{zhagen.EFORBIDDEN: 403}
	_ = &zhagen.Error{Code: zhagen.EFORBIDDEN}
	_ = &zhagen.Error{Code: "forbidden"}
	return zhagen.Errorf(zhagen.EFORBIDDEN, "no")
}
func canonical() {}
`
	got := permissionProblems("web/x.go", []byte(src), true)
	if len(got) != 5 {
		t.Fatalf("found %d problems, want 5 (canEdit, canSee, two composite literals, Errorf):\n%s", len(got), strings.Join(got, "\n"))
	}
	if got := permissionProblems("sqldb/x.go", []byte(src), false); len(got) != 3 {
		t.Fatalf("sqldb may name functions can*; found %d problems, want 3:\n%s", len(got), strings.Join(got, "\n"))
	}
}
