package zhagen

import (
	"context"
	"time"
)

// Login policy.
const (
	MaxFailedLogins = 5                // failures before the account locks
	LockDuration    = 15 * time.Minute // how long a locked account stays locked
	SessionIdle     = 30 * time.Minute // a web session ends after this long unused
	LoginTokenTTL   = 24 * time.Hour   // lifetime of a token from POST /api/v1/login
)

// LoginRequest is one login attempt with where it came from.
type LoginRequest struct {
	Login     string
	Password  string
	IP        string
	UserAgent string
}

// APIToken is a bearer token; Token holds the secret only when created.
type APIToken struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Name      string     `json:"name"`
	Token     string     `json:"token,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// AuthService checks credentials and keeps sessions and tokens.
type AuthService interface {
	// Authenticate checks a password, counts failures, locks the account
	// after MaxFailedLogins failures for LockDuration, and writes the
	// login log. It returns EUNAUTHORIZED for bad credentials and
	// ETOOMANY while the account is locked.
	Authenticate(ctx context.Context, req LoginRequest) (*User, error)
	// CreateSession starts a web session and returns its secret.
	CreateSession(ctx context.Context, userID int64, ip, userAgent string) (string, error)
	// ActorBySession returns the actor of a live session and refreshes its
	// idle timer; EUNAUTHORIZED when the session is unknown or idle.
	ActorBySession(ctx context.Context, secret string) (*Actor, error)
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, secret string) error
	// CreateToken issues a bearer token for a user; ttl 0 never expires.
	CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (*APIToken, error)
	// ActorByToken returns the actor of a bearer token.
	ActorByToken(ctx context.Context, secret string) (*Actor, error)
}

// OpLog is one line of the operation log.
type OpLog struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	UserName   string    `json:"user_name"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   int64     `json:"object_id"`
	Summary    string    `json:"summary"`
	IP         string    `json:"ip"`
	At         time.Time `json:"at"`
}

// LoginLog is one login attempt.
type LoginLog struct {
	ID        int64     `json:"id"`
	Login     string    `json:"login"`
	UserID    int64     `json:"user_id,omitempty"`
	Success   bool      `json:"success"`
	Reason    string    `json:"reason"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"user_agent"`
	At        time.Time `json:"at"`
}

// LogFilter pages through a log; Query matches user, action or object.
type LogFilter struct {
	Query  string
	Limit  int
	Offset int
}

// LogService reads the operation and login logs (admin only). The stores
// write them as part of each change.
type LogService interface {
	FindOpLogs(ctx context.Context, f LogFilter) ([]*OpLog, int, error)
	FindLoginLogs(ctx context.Context, f LogFilter) ([]*LoginLog, int, error)
	// RecordDenied writes a refused request to the operation log.
	RecordDenied(ctx context.Context, d DeniedRequest) error
}

// DeniedRequest is a request the server refused (HTTP 403): who sent it
// (nil: nobody logged in), from where, and what it asked for.
type DeniedRequest struct {
	Actor        *Actor
	IP           string
	Method, Path string
}

type ipKey struct{}

// NewContextWithIP records the client address for the operation log.
func NewContextWithIP(ctx context.Context, ip string) context.Context {
	if t, ok := ctx.Value(traceKey{}).(*RequestTrace); ok {
		t.IP = ip
	}
	return context.WithValue(ctx, ipKey{}, ip)
}

// IPFromContext returns the client address recorded in ctx.
func IPFromContext(ctx context.Context) string { s, _ := ctx.Value(ipKey{}).(string); return s }

// ClampLimit bounds a page size to 1..max, defaulting to def.
func ClampLimit(limit, def, max int) int {
	if limit <= 0 {
		return def
	}
	if limit > max {
		return max
	}
	return limit
}
