// Package handlerscan reads a package's Go source to tell, for the
// authorization tests, which handler serves each registered route and
// which query and form parameters a handler reads. Tests use it so that
// a new route or a new filter parameter without a row in their tables
// fails.
package handlerscan

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Package is the parsed non-test source of one directory.
type Package struct {
	files []*ast.File
	funcs map[string]*ast.FuncDecl // by name; methods too, receivers ignored
	dyn   map[string]bool          // the function reads a parameter whose name it is given
}

// Parse parses the non-test Go files of dir.
func Parse(dir string) (*Package, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	p := &Package{funcs: map[string]*ast.FuncDecl{}, dyn: map[string]bool{}}
	fset := token.NewFileSet()
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			return nil, err
		}
		p.files = append(p.files, f)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				p.funcs[fd.Name.Name] = fd
			}
		}
	}
	for name, fd := range p.funcs {
		p.dyn[name] = readsDynamic(fd.Body)
	}
	// A function that passes a variable name to one that reads the
	// parameter it is given reads by name too: queryID(r, name).
	for changed := true; changed; {
		changed = false
		for name, fd := range p.funcs {
			if !p.dyn[name] && p.passesName(fd.Body) {
				p.dyn[name], changed = true, true
			}
		}
	}
	return p, nil
}

// Registration is one route registration found in the source.
type Registration struct {
	Pattern string // the leading string arguments joined by a space: "GET /demands", "GET /api/v1/demands"
	Handler string // the function named by the last argument: h.demandList, or h.ownerFileDownload(…)
}

// Registrations finds the calls to functions or methods named one of
// registrars whose leading arguments are string literals and whose last
// argument names a handler.
func (p *Package) Registrations(registrars ...string) []Registration {
	var out []Registration
	for _, f := range p.files {
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || len(c.Args) < 2 || !contains(registrars, calleeName(c)) {
				return true
			}
			var parts []string
			for _, a := range c.Args[:len(c.Args)-1] {
				s, ok := stringLit(a)
				if !ok {
					return true
				}
				parts = append(parts, s)
			}
			handler := ""
			switch last := c.Args[len(c.Args)-1].(type) {
			case *ast.SelectorExpr:
				handler = last.Sel.Name
			case *ast.Ident:
				handler = last.Name
			case *ast.CallExpr:
				handler = calleeName(last)
			}
			if handler != "" {
				out = append(out, Registration{Pattern: strings.Join(parts, " "), Handler: handler})
			}
			return true
		})
	}
	return out
}

var word = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Params returns the names of the query and form parameters the function
// handler reads, following the calls it makes to the package's functions
// and methods: the literal names given to Get, FormValue, PostFormValue
// (headers left out), and the literal arguments of calls to functions
// that read a parameter named by their argument (queryID(r, "dept_id"),
// a local id("dept")), and, in a function that reads parameters by a
// variable name, the names in its composite literals (a map of names
// ranged over).
func (p *Package) Params(handler string) []string {
	params := map[string]bool{}
	seen := map[string]bool{}
	var walk func(name string)
	walk = func(name string) {
		fd := p.funcs[name]
		if fd == nil || seen[name] {
			return
		}
		seen[name] = true
		dynamic := p.dyn[name]
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				callee := calleeName(x)
				if s, ok := paramGet(x); ok {
					params[s] = true
				}
				_, local := x.Fun.(*ast.Ident)
				if p.dyn[callee] || dynamic && local && p.funcs[callee] == nil {
					for _, a := range x.Args {
						if s, ok := stringLit(a); ok && word.MatchString(s) {
							params[s] = true
						}
					}
				}
				walk(callee)
			case *ast.CompositeLit:
				if !dynamic {
					break
				}
				for _, e := range x.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						e = kv.Key
					}
					if s, ok := stringLit(e); ok && word.MatchString(s) {
						params[s] = true
					}
				}
			}
			return true
		})
	}
	walk(handler)
	out := make([]string, 0, len(params))
	for s := range params {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// paramGet returns the literal name of a parameter read: x.Get("name"),
// r.FormValue("name"), r.PostFormValue("name"); not r.Header.Get.
func paramGet(c *ast.CallExpr) (string, bool) {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || len(c.Args) != 1 {
		return "", false
	}
	switch sel.Sel.Name {
	case "Get":
		if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "Header" {
			return "", false
		}
	case "FormValue", "PostFormValue":
	default:
		return "", false
	}
	return stringLit(c.Args[0])
}

// readsDynamic reports whether body reads a parameter by a name that is
// not a literal: q.Get(name).
func readsDynamic(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok || len(c.Args) != 1 || (sel.Sel.Name != "Get" && sel.Sel.Name != "FormValue" && sel.Sel.Name != "PostFormValue") {
			return true
		}
		if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "Header" {
			return true
		}
		if _, ok := c.Args[0].(*ast.Ident); ok {
			found = true
		}
		return true
	})
	return found
}

// passesName reports whether body calls a function that reads the
// parameter it is given with a variable argument.
func (p *Package) passesName(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || !p.dyn[calleeName(c)] {
			return true
		}
		for _, a := range c.Args[1:] {
			if _, ok := a.(*ast.Ident); ok {
				found = true
			}
		}
		return true
	})
	return found
}

func calleeName(c *ast.CallExpr) string {
	switch fn := c.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		return fn.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
