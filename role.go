package zhagen

import (
	"context"
	"slices"
	"strings"
)

// Role is a user's role code (DESIGN.md §2).
type Role string

// The roles of zhagen.
const (
	RoleAdmin      Role = "admin"
	RoleDispatcher Role = "dispatcher"
	RoleStaff      Role = "staff"
	RoleCadre      Role = "cadre"
	RoleEnterprise Role = "enterprise"
	RoleGraduate   Role = "graduate"
	RoleLeader     Role = "leader"
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleDispatcher, RoleStaff, RoleCadre, RoleEnterprise, RoleGraduate, RoleLeader}

var roleLabels = map[Role]string{
	RoleAdmin: "管理员", RoleDispatcher: "指挥中心", RoleStaff: "部门人员", RoleCadre: "联系干部",
	RoleEnterprise: "企业用户", RoleGraduate: "毕业生", RoleLeader: "领导",
}

// Label returns the Chinese name of the role.
func (r Role) Label() string { return roleLabels[r] }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// ParseRoles splits a comma-separated list of role codes.
func ParseRoles(s string) []Role {
	var out []Role
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, Role(p)) {
			out = append(out, Role(p))
		}
	}
	return out
}

// JoinRoles is the inverse of ParseRoles.
func JoinRoles(rs []Role) string {
	ss := make([]string, len(rs))
	for i, r := range rs {
		ss[i] = string(r)
	}
	return strings.Join(ss, ",")
}

// Scope is the data scope (数据权限) a caller has over a kind of record.
type Scope int

// Data scopes from narrowest to widest.
const (
	ScopeNone     Scope = iota // nothing
	ScopeSelf                  // only their own record (or their own enterprise)
	ScopeDept                  // their own department
	ScopeDeptTree              // their own department and those below it
	ScopeAll                   // everything
)

// Actor is the authenticated caller of a service method.
type Actor struct {
	UserID       int64
	Login        string
	Name         string
	Roles        []Role
	DeptID       int64  // 0 when the user belongs to no department
	DeptPath     string // materialised path of the department, e.g. "/1/4/"
	DeptName     string
	SubDeptIDs   []int64 // DeptID and every department below it (see SubDepts)
	EnterpriseID int64   // 0 unless the user is an enterprise user

	// MustChangePassword: the user logged in with a password someone
	// else chose and must change it before anything else (User).
	MustChangePassword bool

	// IntakeChannelID is set instead of a user for an Open311 intake
	// channel identified by its api_key: it files demands and reads back
	// only the demands it filed.
	IntakeChannelID int64
}

// Has reports whether the actor holds any of the roles.
func (a *Actor) Has(roles ...Role) bool {
	if a == nil {
		return false
	}
	for _, r := range roles {
		if slices.Contains(a.Roles, r) {
			return true
		}
	}
	return false
}

// EnterpriseScope is the actor's scope over enterprises, as the policy's
// PermEnterpriseView grants it: all of them, only its own, or none.
func (a *Actor) EnterpriseScope() Scope {
	all, via := ScopeOf(a, PermEnterpriseView)
	switch {
	case all:
		return ScopeAll
	case via&RelOwnEnterprise != 0:
		return ScopeSelf
	}
	return ScopeNone
}

// UserScope is the actor's scope over user records, as the policy's
// PermUserView grants it: all, its department and below, or itself.
func (a *Actor) UserScope() Scope {
	all, via := ScopeOf(a, PermUserView)
	switch {
	case all:
		return ScopeAll
	case via&RelDeptBelow != 0:
		return ScopeDeptTree
	case a != nil:
		return ScopeSelf // every user reaches their own record
	}
	return ScopeNone
}

// CanAdmin reports whether the actor is an administrator. Permissions
// are the policy's (policy.go); this remains for the code not yet asking
// it.
func (a *Actor) CanAdmin() bool { return a.Has(RoleAdmin) }

type actorKey struct{}

// NewContextWithActor returns a context carrying the actor, and tells
// the request's trace (if ctx has one) who the request is from.
func NewContextWithActor(ctx context.Context, a *Actor) context.Context {
	if t, ok := ctx.Value(traceKey{}).(*RequestTrace); ok {
		t.Actor = a
	}
	return context.WithValue(ctx, actorKey{}, a)
}

// RequestTrace tells the outermost HTTP layer what the inner handlers
// learnt of a request: who it was from and their address, so that a
// refusal can be recorded whichever handler refused it, and the pattern
// of the route that answered, which labels the request's metrics.
type RequestTrace struct {
	Actor *Actor
	IP    string
	Route string // "GET /demands/{id}"; empty when no route matched
}

// TraceFrom returns the request's trace, nil when ctx has none.
func TraceFrom(ctx context.Context) *RequestTrace {
	t, _ := ctx.Value(traceKey{}).(*RequestTrace)
	return t
}

// TraceRoute tells the request's trace (if ctx has one) which route
// pattern answered it.
func TraceRoute(ctx context.Context, pattern string) {
	if t, ok := ctx.Value(traceKey{}).(*RequestTrace); ok {
		t.Route = pattern
	}
}

type traceKey struct{}

// NewContextWithTrace returns a context whose actor and address, once
// the handlers set them, are also written to the returned trace.
func NewContextWithTrace(ctx context.Context) (context.Context, *RequestTrace) {
	t := &RequestTrace{}
	return context.WithValue(ctx, traceKey{}, t), t
}

// ActorFromContext returns the actor of ctx, or nil when nobody is logged in.
func ActorFromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// SystemActor is used by command-line tools and the demo loader: an
// administrator with no department.
func SystemActor() *Actor {
	return &Actor{Login: "system", Name: "系统", Roles: []Role{RoleAdmin}}
}
