package sqldb

import (
	"fmt"
	"slices"
	"strings"

	"zhagen"
)

// scopeSQL maps each relation of the policy (zhagen.Rel) to the SQL
// condition that selects, for one kind of record, the rows the actor
// reaches through that relation. One scopeSQL per resource, next to its
// queries; the grants themselves live in the domain's policy.
type scopeSQL map[zhagen.Rel]func(a *zhagen.Actor) (cond string, args []any)

// scope adds to w the actor's scope over the records that permission p
// governs: nothing for a grant over every record, otherwise one condition
// per relation the actor's grants name, OR-ed together. EFORBIDDEN when
// the actor reaches no record at all. Filters are added to w as further
// AND-ed conditions, so they can only narrow the scope. walk, when
// given, holds other forms of some relations' conditions, with the same
// arguments, for a query that walks an index and stops at a page
// (where.walkString).
func scope(a *zhagen.Actor, p zhagen.Perm, w *where, sql scopeSQL, walk ...scopeSQL) error {
	all, via := zhagen.ScopeOf(a, p)
	if all {
		return nil
	}
	if via == 0 {
		return zhagen.Forbidden(p)
	}
	var ors, walks []string
	var args []any
	for rel := range via.Each() {
		f, ok := sql[rel]
		if !ok {
			return fmt.Errorf("sqldb: %s grants relation %b, which its scope has no SQL for", p, rel)
		}
		cond, as := f(a)
		if cond == "" {
			continue
		}
		wcond := cond
		for _, alt := range walk {
			if g, ok := alt[rel]; ok {
				var was []any
				if wcond, was = g(a); !slices.Equal(was, as) {
					return fmt.Errorf("sqldb: %s: the walk form of relation %b takes other arguments", p, rel)
				}
			}
		}
		ors, walks = append(ors, cond), append(walks, wcond)
		args = append(args, as...)
	}
	if len(ors) == 0 {
		return zhagen.Forbidden(p)
	}
	w.addWalk("("+strings.Join(ors, " OR ")+")", "("+strings.Join(walks, " OR ")+")", args...)
	return nil
}

// deptsBelowSQL selects the ids of a department and of those below it;
// its one argument is the department's path. The pattern is built in SQL
// from it, never bound as a whole: SQLite plans a LIKE whose pattern is a
// bound parameter around that parameter's value, so it would parse the
// whole statement again each time the argument is bound, which is every
// query (a fifth of a demand list's time under load).
const deptsBelowSQL = "(SELECT id FROM departments WHERE " + deptsBelowWhere + ")"

const deptsBelowWhere = "path LIKE (? || '%')"

// hasRoleSQL is "the comma-separated roles in col include the bound
// role", the pattern built in SQL as in deptsBelowSQL.
func hasRoleSQL(col string) string {
	return "(',' || " + col + " || ',') LIKE ('%,' || ? || ',%')"
}

// subDeptsSQL is "col IN (the actor's department and those below it)".
func subDeptsSQL(col string) func(a *zhagen.Actor) (string, []any) {
	return func(a *zhagen.Actor) (string, []any) {
		if a.DeptID == 0 {
			return "", nil
		}
		return col + " IN " + deptsBelowSQL, []any{a.DeptPath}
	}
}

// eqSQL is "col = value", the value taken from the actor; no condition
// when the value is 0.
func eqSQL(col string, value func(a *zhagen.Actor) int64) func(a *zhagen.Actor) (string, []any) {
	return func(a *zhagen.Actor) (string, []any) {
		if v := value(a); v != 0 {
			return col + " = ?", []any{v}
		}
		return "", nil
	}
}

func actorUser(a *zhagen.Actor) int64       { return a.UserID }
func actorDept(a *zhagen.Actor) int64       { return a.DeptID }
func actorEnterprise(a *zhagen.Actor) int64 { return a.EnterpriseID }
func actorChannel(a *zhagen.Actor) int64    { return a.IntakeChannelID }

// linkedSQL is "col is an enterprise the actor is linked to as a cadre".
func linkedSQL(col string) func(a *zhagen.Actor) (string, []any) {
	return func(a *zhagen.Actor) (string, []any) {
		return col + " IN (SELECT enterprise_id FROM linkages WHERE cadre_id = ? AND active)", []any{a.UserID}
	}
}
