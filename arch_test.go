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

// stillConverting lists files exempt from the check below while they are
// converted; empty now that every area asks the policy.
var stillConverting = []string{}

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

// TestNoNoticeTextInSqldb fails when sqldb composes a notice itself: a
// zhagen.Notice literal, or a message key of the notice catalogue. Notices
// are composed by the domain's constructors (notice.go) from the message
// catalogue; sqldb only writes them to the outbox.
func TestNoNoticeTextInSqldb(t *testing.T) {
	eachSqldbSource(t, func(path string, src []byte) {
		for _, p := range noticeProblems(path, src) {
			t.Error(p)
		}
	})
}

// eachSqldbSource calls f with each of sqldb's Go files but its tests.
func eachSqldbSource(t *testing.T, f func(path string, src []byte)) {
	files, err := filepath.Glob(filepath.Join("sqldb", "*.go"))
	if err != nil || len(files) < 10 {
		t.Fatalf("found %d files in sqldb: %v", len(files), err)
	}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f(path, src)
	}
}

// noticeProblems reports notice literals and notice keys in a file.
func noticeProblems(path string, src []byte) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CompositeLit:
			if sel, ok := x.Type.(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, "Notice") {
				out = append(out, fmt.Sprintf("%s: composes a zhagen.%s; use a constructor in notice.go", fset.Position(x.Pos()), sel.Sel.Name))
			}
		case *ast.BasicLit:
			if v, err := strconv.Unquote(x.Value); x.Kind == token.STRING && err == nil && strings.HasPrefix(v, "notice.") {
				out = append(out, fmt.Sprintf("%s: names the notice message %q; notices are composed in the domain", fset.Position(x.Pos()), v))
			}
		}
		return true
	})
	return out
}

func TestNoticeProblemsFinds(t *testing.T) {
	bad := `package sqldb
func f(tx *Tx) { tx.enqueue(ctx, zhagen.Notice{TitleKey: "notice.demand.new"}) }`
	if got := noticeProblems("bad.go", []byte(bad)); len(got) != 2 {
		t.Errorf("found %d problems in a hand-made notice, want 2: %v", len(got), got)
	}
	good := `package sqldb
func f(tx *Tx) { tx.enqueue(ctx, zhagen.NoticeDemandSubmitted(d)) }`
	if got := noticeProblems("good.go", []byte(good)); len(got) != 0 {
		t.Errorf("a constructor call is flagged: %v", got)
	}
}

// likeWholePattern is a LIKE whose pattern is one bound parameter.
var likeWholePattern = regexp.MustCompile(`(?i)\bLIKE \?`)

// TestNoBoundLikePatterns fails when sqldb binds a LIKE pattern whole
// outside a search: SQLite plans such a LIKE around the parameter's value
// and parses the statement again every time it is bound. Scope and role
// patterns are built in SQL from a bound value instead (deptsBelowSQL);
// only the user's search text, with its ESCAPE clause, is bound whole.
func TestNoBoundLikePatterns(t *testing.T) {
	eachSqldbSource(t, func(path string, src []byte) {
		for i, line := range strings.Split(string(src), "\n") {
			for _, m := range likeWholePattern.FindAllStringIndex(line, -1) {
				if !strings.HasPrefix(line[m[1]:], ` ESCAPE`) {
					t.Errorf("%s:%d: a LIKE pattern bound whole: %s", path, i+1, strings.TrimSpace(line))
				}
			}
		}
	})
}
