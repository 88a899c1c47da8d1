package zhagen

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// Login policy. Wrong passwords slow down the client address they come
// from, on the login they were tried on: the first LoginFreeAttempts
// attempts of a (login, address) pair are free, each further one waits
// LoginBackoff. No account locks by itself, so that nobody can lock
// another person out, and an unknown login is answered exactly as a
// known one with a wrong password.
const (
	LoginFreeAttempts  = 5                // attempts of one login from one address before waits begin
	LoginBackoffBase   = 30 * time.Second // the first wait; each further attempt doubles it
	LoginBackoffMax    = 15 * time.Minute // the longest wait
	LoginAttemptWindow = time.Hour        // a pair's count starts over after this long without attempts
	SessionIdle        = 30 * time.Minute // a web session ends after this long unused
	SessionLifetime    = 12 * time.Hour   // and this long after it began, used or not
	LoginTokenTTL      = 24 * time.Hour   // lifetime of a token from POST /api/v1/login
)

// LoginBackoff is how long a (login, address) pair waits after its
// attempts-th attempt: nothing before LoginFreeAttempts, then
// LoginBackoffBase doubling up to LoginBackoffMax.
func LoginBackoff(attempts int) time.Duration {
	if attempts < LoginFreeAttempts {
		return 0
	}
	d := LoginBackoffBase
	for i := LoginFreeAttempts; i < attempts && d < LoginBackoffMax; i++ {
		d *= 2
	}
	return min(d, LoginBackoffMax)
}

// RetryError is an ETOOMANY error that says when to try again; the HTTP
// layers send it as Retry-After.
type RetryError struct {
	Err   *Error
	After time.Duration
}

func (e *RetryError) Error() string { return e.Err.Error() }
func (e *RetryError) Unwrap() error { return e.Err }

// TooMany returns an ETOOMANY error with the message and the time to wait.
func TooMany(after time.Duration, format string, args ...any) error {
	return &RetryError{Err: Errorf(ETOOMANY, format, args...), After: after}
}

// RetryAfter returns how long err says to wait: the After of the
// RetryError it is or wraps, else 0.
func RetryAfter(err error) time.Duration {
	var re *RetryError
	if errors.As(err, &re) {
		return re.After
	}
	return 0
}

// RetrySeconds is RetryAfter in whole seconds for a Retry-After header,
// at least 1.
func RetrySeconds(err error) int {
	return max(1, int((RetryAfter(err)+time.Second-1)/time.Second))
}

// WaitText says how long to wait, in Chinese: "30秒", "2分钟".
func WaitText(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second))) + "秒"
	}
	return strconv.Itoa(int((d+time.Minute-1)/time.Minute)) + "分钟"
}

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

// PasswordChange is a user's change of their own password. Keep is the
// secret of the session or token the change is made through: it stays
// valid, while every other session and token of the user ends.
type PasswordChange struct {
	Current string
	New     string
	Keep    string
}

// PurgeResult counts what a purge removed.
type PurgeResult struct {
	Sessions int64
	Tokens   int64
	Attempts int64
}

// AuthService checks credentials and keeps sessions and tokens.
type AuthService interface {
	// Authenticate checks a password and writes the login log. It
	// returns EUNAUTHORIZED for bad credentials (an unknown, disabled or
	// locked login alike, after the same password hashing), and an
	// ETOOMANY RetryError while the (login, address) pair waits out its
	// backoff, or while the server is too busy hashing passwords.
	Authenticate(ctx context.Context, req LoginRequest) (*User, error)
	// CreateSession starts a web session and returns its secret.
	CreateSession(ctx context.Context, userID int64, ip, userAgent string) (string, error)
	// ActorBySession returns the actor of a live session and refreshes its
	// idle timer; EUNAUTHORIZED when the session is unknown, idle, older
	// than SessionLifetime, or its user is disabled or locked.
	ActorBySession(ctx context.Context, secret string) (*Actor, error)
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, secret string) error
	// CreateToken issues a bearer token for a user; ttl 0 never expires.
	CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (*APIToken, error)
	// ActorByToken returns the actor of a bearer token; EUNAUTHORIZED
	// when the token is unknown or expired, or its user is disabled or
	// locked.
	ActorByToken(ctx context.Context, secret string) (*Actor, error)
	// RevokeToken ends the token whose secret is given (logging out).
	RevokeToken(ctx context.Context, secret string) error
	// FindTokens lists a user's tokens, without their secrets.
	FindTokens(ctx context.Context, userID int64) ([]*APIToken, error)
	// DeleteToken revokes a token by id: the owner's or an
	// administrator's (PermTokenRevoke).
	DeleteToken(ctx context.Context, id int64) error
	// ChangePassword changes the caller's own password after checking
	// the current one (which counts as a login attempt for the backoff),
	// and ends the caller's other sessions and tokens.
	ChangePassword(ctx context.Context, c PasswordChange) error
	// LockUser locks an account until a time (nil unlocks it): while
	// locked it cannot log in and its sessions and tokens are refused.
	// Administrators only (PermUserEdit).
	LockUser(ctx context.Context, userID int64, until *time.Time) error
	// Purge deletes the sessions, tokens and login attempt counts that
	// have run out by the service's clock.
	Purge(ctx context.Context) (PurgeResult, error)
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

// LogFilter pages through a log, newest first; Query matches user,
// action or object. Before and After page by key instead of by offset:
// the entries older than the entry Before, or the Limit entries just
// newer than After (still listed newest first). A page read by key costs
// the same however deep it is.
type LogFilter struct {
	Query  string
	Limit  int
	Offset int
	Before int64
	After  int64
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
