package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhagen"
)

// AuthService checks passwords and keeps sessions and bearer tokens. Only
// hashes of session and token secrets are stored.
type AuthService struct {
	db *DB
	// tree maps each department to itself and the departments below it,
	// kept until the departments generation moves.
	tree genCache[struct{}, map[int64][]int64]
}

// NewAuthService returns the authentication service of db.
func NewAuthService(db *DB) *AuthService { return &AuthService{db: db} }

var _ zhagen.AuthService = (*AuthService)(nil)

func newSecret(prefix string) (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret), nil
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

var errBadLogin = zhagen.Errorf(zhagen.EUNAUTHORIZED, "登录名或密码错误")

// Authenticate checks a login attempt and records it in the login log.
// Every attempt first takes a slot of the password hashing gate (when
// the gate and its queue are full it is refused with ETOOMANY before it
// touches the database), then claims a turn of its (login, address) pair
// (claimAttempt), then hashes the password: against the user's hash, or
// against dummyHash when the login is unknown or disabled, so that the
// answer and its time are the same whether or not the account exists.
func (s *AuthService) Authenticate(ctx context.Context, req zhagen.LoginRequest) (*zhagen.User, error) {
	ctx = PrimaryOnly(ctx) // a session or token made a moment ago must be found
	release, err := reserveHashing(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	login := truncate(req.Login, 64)
	n, err := s.claimAttempt(ctx, login, req.IP)
	if err != nil {
		if zhagen.ErrorCode(err) == zhagen.ETOOMANY {
			return nil, s.logAttempt(ctx, req, 0, false, "尝试过于频繁，须等待"+zhagen.WaitText(zhagen.RetryAfter(err)), err)
		}
		return nil, err
	}
	var (
		id          int64
		hash        = dummyHash
		lockedUntil *time.Time
	)
	err = s.db.queryRow(ctx, `SELECT id, password_hash, locked_until FROM users WHERE login = ? AND archived = FALSE`, req.Login).
		Scan(&id, &hash, &lockedUntil)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	ok := checkPasswordHeld(hash, req.Password)
	release()
	now := s.db.now()
	switch {
	case id == 0:
		return nil, s.logAttempt(ctx, req, 0, false, "用户不存在或已停用", errBadLogin)
	case !ok:
		return nil, s.logAttempt(ctx, req, id, false, fmt.Sprintf("密码错误（该地址第%d次）", n), errBadLogin)
	case lockedUntil != nil && lockedUntil.After(now):
		return nil, s.logAttempt(ctx, req, id, false, "账号已被管理员锁定", errBadLogin)
	}
	if _, err := s.db.exec(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, now, id); err != nil {
		return nil, err
	}
	if _, err := s.db.exec(ctx, `DELETE FROM login_attempts WHERE login = ? AND ip = ?`, login, req.IP); err != nil {
		return nil, err
	}
	if err := s.logAttempt(ctx, req, id, true, "登录成功", nil); err != nil {
		return nil, err
	}
	return scanUser(s.db.queryRow(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = ?`, id))
}

// claimAttempt counts one attempt of the (login, address) pair, in one
// transaction that the pair's row serialises: the count starts over after
// LoginAttemptWindow without attempts, and from the LoginFreeAttempts-th
// attempt on the pair is blocked for LoginBackoff(n) at once, before the
// password is checked, so that concurrent attempts cannot slip past. A
// blocked pair gets an ETOOMANY RetryError; the same for every login,
// known or not.
func (s *AuthService) claimAttempt(ctx context.Context, login, ip string) (int, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var n int
	err = tx.queryRow(ctx, `INSERT INTO login_attempts (login, ip, attempts, last_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (login, ip) DO UPDATE SET
			attempts = CASE WHEN login_attempts.last_at < ? THEN 1 ELSE login_attempts.attempts + 1 END,
			last_at = excluded.last_at
		WHERE login_attempts.blocked_until IS NULL OR login_attempts.blocked_until <= excluded.last_at
		RETURNING attempts`, login, ip, tx.now, tx.now.Add(-zhagen.LoginAttemptWindow)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		var until time.Time
		if err := tx.queryRow(ctx, `SELECT blocked_until FROM login_attempts WHERE login = ? AND ip = ?`, login, ip).Scan(&until); err != nil {
			return 0, err
		}
		wait := until.Sub(tx.now)
		return 0, zhagen.TooMany(wait, "登录尝试过于频繁，请%s后再试", zhagen.WaitText(wait))
	} else if err != nil {
		return 0, err
	}
	if wait := zhagen.LoginBackoff(n); wait > 0 {
		if _, err := tx.exec(ctx, `UPDATE login_attempts SET blocked_until = ? WHERE login = ? AND ip = ?`, tx.now.Add(wait), login, ip); err != nil {
			return 0, err
		}
	}
	return n, tx.Commit()
}

// logAttempt writes the login log and returns result (or the write error).
func (s *AuthService) logAttempt(ctx context.Context, req zhagen.LoginRequest, userID int64, ok bool, reason string, result error) error {
	_, err := s.db.exec(ctx, `INSERT INTO login_logs (login, user_id, success, reason, ip, user_agent, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		truncate(req.Login, 64), userID, ok, reason, req.IP, truncate(req.UserAgent, 300), s.db.now())
	if err != nil {
		return err
	}
	return result
}

// CreateSession starts a web session.
func (s *AuthService) CreateSession(ctx context.Context, userID int64, ip, userAgent string) (string, error) {
	secret, hash, err := newSecret("")
	if err != nil {
		return "", err
	}
	now := s.db.now()
	_, err = s.db.exec(ctx, `INSERT INTO sessions (id, user_id, ip, user_agent, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
		hash, userID, ip, truncate(userAgent, 300), now, now)
	return secret, err
}

const actorColumns = `u.id, u.login, u.name, u.roles, COALESCE(u.dept_id, 0), COALESCE(d.path, ''), COALESCE(d.name, ''), COALESCE(u.enterprise_id, 0), u.must_change_password`

func scanActor(sc interface{ Scan(...any) error }, extra ...any) (*zhagen.Actor, error) {
	a := &zhagen.Actor{}
	var roles string
	if err := sc.Scan(append([]any{&a.UserID, &a.Login, &a.Name, &roles, &a.DeptID, &a.DeptPath, &a.DeptName, &a.EnterpriseID, &a.MustChangePassword}, extra...)...); err != nil {
		return nil, err
	}
	a.Roles = zhagen.ParseRoles(roles)
	return a, nil
}

var (
	errNoSession = zhagen.Errorf(zhagen.EUNAUTHORIZED, "登录已过期，请重新登录")
	errLocked    = zhagen.Errorf(zhagen.EUNAUTHORIZED, "账号已被锁定，请联系管理员")
)

// ActorBySession returns the actor of a live session and refreshes it. A
// session ends SessionIdle after its last use and SessionLifetime after
// it began; while the user is locked it is refused but kept.
func (s *AuthService) ActorBySession(ctx context.Context, secret string) (*zhagen.Actor, error) {
	ctx = PrimaryOnly(ctx) // a session or token made a moment ago must be found
	if secret == "" {
		return nil, errNoSession
	}
	hash := hashSecret(secret)
	var (
		created, lastSeen time.Time
		lockedUntil       *time.Time
	)
	a, err := scanActor(s.db.queryRow(ctx, `SELECT `+actorColumns+`, s.created_at, s.last_seen_at, u.locked_until FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN departments d ON d.id = u.dept_id WHERE s.id = ? AND u.archived = FALSE`, hash),
		&created, &lastSeen, &lockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoSession
	} else if err != nil {
		return nil, err
	}
	now := s.db.now()
	if now.Sub(lastSeen) > zhagen.SessionIdle || now.Sub(created) >= zhagen.SessionLifetime {
		_ = s.DeleteSession(ctx, secret)
		return nil, errNoSession
	}
	if lockedUntil != nil && lockedUntil.After(now) {
		return nil, errLocked
	}
	if err := s.fillSubDepts(ctx, a); err != nil {
		return nil, err
	}
	if now.Sub(lastSeen) > time.Minute {
		if _, err := s.db.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, hash); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// DeleteSession ends a session.
func (s *AuthService) DeleteSession(ctx context.Context, secret string) error {
	_, err := s.db.exec(ctx, `DELETE FROM sessions WHERE id = ?`, hashSecret(secret))
	return err
}

// CreateToken issues a bearer token. Callers other than the system (the
// command line) may issue tokens only for themselves unless admin.
func (s *AuthService) CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (*zhagen.APIToken, error) {
	if a := zhagen.ActorFromContext(ctx); a != nil {
		if err := zhagen.Authorize(a, zhagen.PermTokenCreate, zhagen.Facts{UserID: userID}); err != nil {
			return nil, err
		}
	}
	secret, hash, err := newSecret("zg_")
	if err != nil {
		return nil, err
	}
	t := &zhagen.APIToken{UserID: userID, Name: name, Token: secret, CreatedAt: s.db.now()}
	if ttl > 0 {
		exp := t.CreatedAt.Add(ttl)
		t.ExpiresAt = &exp
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t.ID, err = tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`, userID, name, hash, t.CreatedAt, t.ExpiresAt)
	if err != nil {
		return nil, err
	}
	return t, tx.Commit()
}

var errBadToken = zhagen.Errorf(zhagen.EUNAUTHORIZED, "令牌无效或已过期")

// tokenEntry is a cached token owner.
type tokenEntry struct {
	actor  zhagen.Actor
	exp    *time.Time
	locked *time.Time // the owner is locked until then
}

// ActorByToken returns the actor of a bearer token. Owners are cached
// until anything that changes who a token stands for bumps the "auth"
// generation (a password change or a revocation, which delete tokens; a
// user's roles, department, archiving or lock) or the "departments" one
// (a department's name or path, which the actor carries). Expiry and a
// lock that runs out are checked on the clock at every call.
func (s *AuthService) ActorByToken(ctx context.Context, secret string) (*zhagen.Actor, error) {
	ctx = PrimaryOnly(ctx) // a session or token made a moment ago must be found
	hash := hashSecret(secret)
	gen, err := s.db.generation(ctx, "auth", "departments")
	if err != nil {
		return nil, err
	}
	e, ok := s.db.tokenCache.get(gen, hash)
	if !ok {
		var exp, locked *time.Time
		a, err := scanActor(s.db.queryRow(ctx, `SELECT `+actorColumns+`, t.expires_at, u.locked_until FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN departments d ON d.id = u.dept_id WHERE t.token_hash = ? AND u.archived = FALSE`, hash), &exp, &locked)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errBadToken
		} else if err != nil {
			return nil, err
		}
		if err := s.fillSubDepts(ctx, a); err != nil {
			return nil, err
		}
		e = tokenEntry{actor: *a, exp: exp, locked: locked}
		s.db.tokenCache.put(gen, hash, e)
	}
	now := s.db.now()
	if e.exp != nil && !e.exp.After(now) {
		return nil, errBadToken
	}
	if e.locked != nil && e.locked.After(now) {
		return nil, errLocked
	}
	a := e.actor
	return &a, nil
}

// fillSubDepts sets a.SubDeptIDs: the actor's department and every one
// below it, from the department tree cached until a department changes.
func (s *AuthService) fillSubDepts(ctx context.Context, a *zhagen.Actor) error {
	if a.DeptID == 0 {
		return nil
	}
	gen, err := s.db.generation(ctx, "departments")
	if err != nil {
		return err
	}
	tree, ok := s.tree.get(gen, struct{}{})
	if !ok {
		if tree, err = s.db.departmentTree(ctx); err != nil {
			return err
		}
		s.tree.put(gen, struct{}{}, tree)
	}
	a.SubDeptIDs = tree[a.DeptID]
	return nil
}

// departmentTree maps every department to itself and the departments
// below it, in path order. The slices are shared: callers must not
// change them (their capacity is their length, so an append copies).
func (db *DB) departmentTree(ctx context.Context) (map[int64][]int64, error) {
	rows, err := db.query(ctx, `SELECT id, path FROM departments WHERE path <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type dept struct {
		id   int64
		path string
	}
	var all []dept
	for rows.Next() {
		var d dept
		if err := rows.Scan(&d.id, &d.path); err != nil {
			return nil, err
		}
		all = append(all, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Sorted by path (bytewise here, as a database collation may not
	// be), a department's subtree is the run of paths that start with its
	// own.
	slices.SortFunc(all, func(x, y dept) int { return strings.Compare(x.path, y.path) })
	tree := make(map[int64][]int64, len(all))
	for i, d := range all {
		ids := []int64{d.id}
		for _, below := range all[i+1:] {
			if !strings.HasPrefix(below.path, d.path) {
				break
			}
			ids = append(ids, below.id)
		}
		tree[d.id] = ids[:len(ids):len(ids)]
	}
	return tree, nil
}

// permitted returns the caller when the policy lets it do p to an object
// with facts f: EUNAUTHORIZED without a caller, the permission's
// EFORBIDDEN otherwise.
func permitted(ctx context.Context, p zhagen.Perm, f zhagen.Facts) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return a, zhagen.Authorize(a, p, f)
}

// permittedSome returns the caller when the policy lets it do p to at
// least some objects (zhagen.CanAny): the check before an object is
// loaded, which permitted then makes on the object's facts.
func permittedSome(ctx context.Context, p zhagen.Perm) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !zhagen.CanAny(a, p) {
		return nil, zhagen.Forbidden(p)
	}
	return a, nil
}
