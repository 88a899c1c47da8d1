package zhagen

import (
	"iter"
	"slices"
)

// This file is the one permission policy of zhagen (DESIGN.md §4): every
// "may this actor do this to this object" is answered here, by pure
// functions over the actor and the object's ownership facts. web, api,
// open311 and sqldb ask it; nothing else decides.
//
// Department-tree semantics, stated once:
//   - Seeing extends down the tree: staff of a department see what its
//     own units below own or take part in (RelDeptBelow, RelPartDeptBelow).
//   - Acting as owner does not: only staff of the owning department itself
//     act as owner (RelOwnDept, RelPartDept). Staff of a sub-unit do not act
//     on a parent department's objects, and a parent department's staff do
//     not act on a sub-unit's.
//
// Lists are scoped in SQL, but the predicate comes from the same rules:
// ScopeOf tells through which relations an actor reaches a kind of object
// and sqldb turns each relation into one SQL condition per resource.
// Filters are added on top of that predicate, so they only narrow it.

// Perm names one thing an actor may do to one kind of object, such as
// "demand.view". Each Perm is declared once, with its grants, in one of
// the policy_*.go files.
type Perm string

// Rel is a set of relations between an actor and an object.
type Rel uint32

// Relations an actor can have to an object, computed by Relations from
// the actor and the object's Facts.
const (
	RelOwnDept       Rel = 1 << iota // the actor's department owns the object (exactly, not a unit above or below)
	RelDeptBelow                     // the owning department is the actor's or one below it (seeing)
	RelPartDept                      // the actor's department takes part (cooperating, invited, approving, owner of an item)
	RelPartDeptBelow                 // a department taking part is the actor's or one below it (seeing)
	RelSelf                          // the actor is the object's person: submitter, author, convener, liaison, the graduate
	RelPart                          // the actor takes part in person: assignee, invitee, team member
	RelOwnEnterprise                 // the object belongs to the actor's enterprise
	RelLinked                        // the actor is a cadre linked to the object's enterprise
	RelChannel                       // the object came through the actor's intake channel
	RelStakeholder                   // the actor is a stakeholder of the key project the object is raised on (Facts.Stakeholder)
)

// RelAny in a grant means the grant holds for every object of the kind.
const RelAny Rel = 0

// Each yields the single relations of the set r, in the order declared.
func (r Rel) Each() iter.Seq[Rel] {
	return func(yield func(Rel) bool) {
		for rel := Rel(1); rel != 0 && rel <= r; rel <<= 1 {
			if r&rel != 0 && !yield(rel) {
				return
			}
		}
	}
}

// Facts are the ownership facts of one object that the policy reads. The
// caller fills what the kind of object has; zero values mean "none".
type Facts struct {
	DeptID       int64   // owning department: lead department, project owner, item owner…
	DeptIDs      []int64 // departments taking part: cooperating, invited, approving
	EnterpriseID int64   // the enterprise the object belongs to
	UserID       int64   // the object's person: submitter, author, convener, liaison, graduate
	UserIDs      []int64 // people taking part: assignee, invitees, members
	Linked       bool    // the actor is a cadre linked to EnterpriseID (loaded by the caller)
	ChannelID    int64   // the intake channel that filed it

	EnterpriseIDs []int64 // further enterprises the object concerns (RelOwnEnterprise too): a consultation's linked demands', the enterprises a consenting graduate applied to
	Stakeholder   bool    // the actor is a stakeholder of the object's key project (loaded by the caller: ProjectStakeholder)
}

// Grant gives a permission to the holders of any of Roles (no Roles: any
// authenticated caller, an intake channel included) who stand in any of
// the relations Via to the object (RelAny: to every object). If, when set,
// must also hold for the actor (e.g. "staff of the talent centre").
type Grant struct {
	Roles []Role
	Via   Rel
	If    func(*Actor) bool
}

// permRule is a permission's grants and the message a refusal shows.
type permRule struct {
	deny   string
	grants []Grant
}

// ruleSets are the policy's tables, one per area; a Perm is declared in
// exactly one (a test checks).
var ruleSets = []map[Perm]permRule{demandRules, peopleRules, linkageRules, projectRules, talentRules, supervisionRules, followupRules, channelRules, oversightRules, knowledgeRules, bizPolicyRules}

func lookup(p Perm) (permRule, bool) {
	for _, m := range ruleSets {
		if r, ok := m[p]; ok {
			return r, true
		}
	}
	return permRule{}, false
}

// SubDepts returns the actor's department and every department below it
// (filled when the actor is loaded); just the department itself when the
// list was not loaded.
func (a *Actor) SubDepts() []int64 {
	if a == nil || a.DeptID == 0 {
		return nil
	}
	if len(a.SubDeptIDs) > 0 {
		return a.SubDeptIDs
	}
	return []int64{a.DeptID}
}

// Relations computes how the actor stands to an object with facts f.
func (a *Actor) Relations(f Facts) Rel {
	if a == nil {
		return 0
	}
	var r Rel
	if a.DeptID != 0 {
		sub := a.SubDepts()
		if f.DeptID != 0 {
			if f.DeptID == a.DeptID {
				r |= RelOwnDept
			}
			if slices.Contains(sub, f.DeptID) {
				r |= RelDeptBelow
			}
		}
		for _, d := range f.DeptIDs {
			if d == a.DeptID {
				r |= RelPartDept
			}
			if slices.Contains(sub, d) {
				r |= RelPartDeptBelow
			}
		}
	}
	if a.UserID != 0 {
		if f.UserID == a.UserID {
			r |= RelSelf
		}
		if slices.Contains(f.UserIDs, a.UserID) {
			r |= RelPart
		}
	}
	if a.EnterpriseID != 0 && (f.EnterpriseID == a.EnterpriseID || slices.Contains(f.EnterpriseIDs, a.EnterpriseID)) && a.Has(RoleEnterprise) {
		r |= RelOwnEnterprise
	}
	if f.Linked && a.Has(RoleCadre) {
		r |= RelLinked
	}
	if a.IntakeChannelID != 0 && f.ChannelID == a.IntakeChannelID {
		r |= RelChannel
	}
	if f.Stakeholder {
		r |= RelStakeholder
	}
	return r
}

// holds reports whether g applies to the actor (its roles and condition),
// regardless of the object.
func (g Grant) holds(a *Actor) bool {
	return (len(g.Roles) == 0 || a.Has(g.Roles...)) && (g.If == nil || g.If(a))
}

// Can reports whether the actor may do p to an object with facts f.
// An unknown permission is refused.
func Can(a *Actor, p Perm, f Facts) bool {
	r, ok := lookup(p)
	if !ok || a == nil {
		return false
	}
	var rels Rel
	computed := false
	for _, g := range r.grants {
		if !g.holds(a) {
			continue
		}
		if g.Via == RelAny {
			return true
		}
		if !computed {
			rels, computed = a.Relations(f), true
		}
		if rels&g.Via != 0 {
			return true
		}
	}
	return false
}

// CanAny reports whether the actor may do p to at least some objects of
// the kind: whether a menu entry, a list or a "new" button makes sense.
func CanAny(a *Actor, p Perm) bool {
	all, via := ScopeOf(a, p)
	return all || via != 0
}

// Authorize is Can as an error: nil when allowed, otherwise EFORBIDDEN
// with the permission's own message.
func Authorize(a *Actor, p Perm, f Facts) error {
	if Can(a, p, f) {
		return nil
	}
	return Forbidden(p)
}

// Forbidden is the refusal of p: EFORBIDDEN with the permission's message.
func Forbidden(p Perm) *Error {
	r, ok := lookup(p)
	if !ok || r.deny == "" {
		return Errorf(EFORBIDDEN, "当前用户无权执行该操作")
	}
	return Errorf(EFORBIDDEN, "%s", r.deny)
}

// ScopeOf tells through which relations the actor reaches objects for p:
// all is true when some grant covers every object; otherwise via is the
// union of the relations of the grants the actor holds (0: none, refuse).
// sqldb turns via into its scope predicate, one SQL condition per
// relation, so a list shows exactly the objects Can allows.
func ScopeOf(a *Actor, p Perm) (all bool, via Rel) {
	r, ok := lookup(p)
	if !ok || a == nil {
		return false, 0
	}
	for _, g := range r.grants {
		if !g.holds(a) {
			continue
		}
		if g.Via == RelAny {
			return true, 0
		}
		via |= g.Via
	}
	return false, via
}

// Role sets used by grants.
var (
	govRoles    = []Role{RoleAdmin, RoleDispatcher, RoleLeader, RoleStaff, RoleCadre}
	centreRoles = []Role{RoleAdmin, RoleDispatcher} // the command centre and administrators
	readAll     = []Role{RoleAdmin, RoleDispatcher, RoleLeader}
)
