package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"zhagen"
)

// RevokeToken ends the token whose secret is given: an API logout.
func (s *AuthService) RevokeToken(ctx context.Context, secret string) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id, userID int64
	err = tx.queryRow(ctx, `DELETE FROM api_tokens WHERE token_hash = ? RETURNING id, user_id`, hashSecret(secret)).Scan(&id, &userID)
	if errors.Is(err, sql.ErrNoRows) {
		return errBadToken
	} else if err != nil {
		return err
	}
	tx.bumpGeneration("auth") // drops the cached owner
	if err := tx.writeOpLog(ctx, "退出登录", "令牌", id, "令牌已吊销"); err != nil {
		return err
	}
	return tx.Commit()
}

// FindTokens lists a user's live tokens without their secrets.
func (s *AuthService) FindTokens(ctx context.Context, userID int64) ([]*zhagen.APIToken, error) {
	if _, err := permitted(ctx, zhagen.PermTokenRevoke, zhagen.Facts{UserID: userID}); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, user_id, name, created_at, expires_at FROM api_tokens WHERE user_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY id`, userID, s.db.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.APIToken{}
	for rows.Next() {
		t := &zhagen.APIToken{}
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &t.ExpiresAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

var errNoToken = zhagen.Errorf(zhagen.ENOTFOUND, "令牌不存在")

// DeleteToken revokes a token by id: its owner's or an administrator's;
// for anybody else it does not exist (ENOTFOUND).
func (s *AuthService) DeleteToken(ctx context.Context, id int64) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var owner int64
	if err := tx.queryRow(ctx, `SELECT user_id FROM api_tokens WHERE id = ?`, id).Scan(&owner); errors.Is(err, sql.ErrNoRows) {
		return errNoToken
	} else if err != nil {
		return err
	}
	// Another user's token answers as one that does not exist: a refusal
	// would tell which token ids exist.
	if !zhagen.Can(a, zhagen.PermTokenRevoke, zhagen.Facts{UserID: owner}) {
		return errNoToken
	}
	res, err := tx.exec(ctx, `DELETE FROM api_tokens WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errNoToken
	}
	tx.bumpGeneration("auth")
	if err := tx.writeOpLog(ctx, "吊销", "令牌", id, "用户 "+strconv.FormatInt(owner, 10)+" 的令牌已吊销"); err != nil {
		return err
	}
	return tx.Commit()
}

// ChangePassword changes the caller's own password. The current password
// is checked as a login attempt of the caller's login from the caller's
// address (zhagen.IPFromContext), with the same backoff; the new one must
// pass zhagen.ValidatePassword. The change ends every other session and
// token of the user, keeping the one whose secret is c.Keep.
func (s *AuthService) ChangePassword(ctx context.Context, c zhagen.PasswordChange) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermOwnPassword, zhagen.Facts{UserID: a.UserID}); err != nil {
		return err
	}
	var v zhagen.Validation
	if c.Current == "" {
		v.Add("current_password", "请输入当前密码")
	}
	switch {
	case c.New == "":
		v.Add("new_password", "请输入新密码")
	case c.New == c.Current:
		v.Add("new_password", "新密码不能与当前密码相同")
	default:
		if msg := zhagen.ValidatePassword(c.New); msg != "" {
			v.Add("new_password", msg)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	release, err := reserveHashing(ctx) // one slot for both hashes
	if err != nil {
		return err
	}
	defer release()
	ip := zhagen.IPFromContext(ctx)
	login := truncate(a.Login, 64)
	if _, err := s.claimAttempt(ctx, login, ip); err != nil {
		return err
	}
	var hash string
	if err := s.db.queryRow(ctx, `SELECT password_hash FROM users WHERE id = ? AND archived = FALSE`, a.UserID).Scan(&hash); errors.Is(err, sql.ErrNoRows) {
		return errNoSession
	} else if err != nil {
		return err
	}
	req := zhagen.LoginRequest{Login: a.Login, IP: ip}
	if !checkPasswordHeld(hash, c.Current) {
		release()
		msg := "当前密码不正确"
		return s.logAttempt(ctx, req, a.UserID, false, "修改密码时当前密码错误",
			&zhagen.Error{Code: zhagen.EINVALID, Field: "current_password", Message: msg, Fields: []zhagen.FieldError{{Field: "current_password", Message: msg}}})
	}
	newHash, err := hashPasswordHeld(c.New)
	release()
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The hash read above must still be the user's: a concurrent change
	// wins, this one is refused.
	res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = FALSE, updated_at = ? WHERE id = ? AND password_hash = ?`, newHash, tx.now, a.UserID, hash)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "密码刚被修改过，请重新登录后再试")
	}
	keep := hashSecret(c.Keep)
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, a.UserID, keep); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM api_tokens WHERE user_id = ? AND token_hash <> ?`, a.UserID, keep); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM login_attempts WHERE login = ? AND ip = ?`, login, ip); err != nil {
		return err
	}
	tx.bumpGeneration("auth")
	if err := tx.writeOpLog(ctx, "修改密码", "用户", a.UserID, "本人修改密码，其他会话和令牌已注销"); err != nil {
		return err
	}
	return tx.Commit()
}

// LockUser locks an account until a time, or unlocks it (until nil).
func (s *AuthService) LockUser(ctx context.Context, userID int64, until *time.Time) error {
	if _, err := permitted(ctx, zhagen.PermUserEdit, zhagen.Facts{UserID: userID}); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if until != nil {
		u := until.UTC().Truncate(time.Microsecond)
		until = &u
	}
	res, err := tx.exec(ctx, `UPDATE users SET locked_until = ?, version = version + 1, updated_at = ? WHERE id = ?`, until, tx.now, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "用户不存在")
	}
	tx.bumpGeneration("auth")
	action, summary := "解锁", "账号已解锁"
	if until != nil {
		action, summary = "锁定", "账号锁定至 "+until.In(zhagen.Shanghai).Format("2006-01-02 15:04")
	}
	if err := tx.writeOpLog(ctx, action, "用户", userID, summary); err != nil {
		return err
	}
	return tx.Commit()
}

// Purge deletes what has run out by the service's clock: sessions idle
// for SessionIdle or older than SessionLifetime, expired tokens, and the
// attempt counts of pairs neither blocked nor tried for an hour.
func (s *AuthService) Purge(ctx context.Context) (zhagen.PurgeResult, error) {
	var r zhagen.PurgeResult
	now := s.db.now()
	steps := []struct {
		n     *int64
		query string
		args  []any
	}{
		{&r.Sessions, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at <= ?`, []any{now.Add(-zhagen.SessionIdle), now.Add(-zhagen.SessionLifetime)}},
		{&r.Tokens, `DELETE FROM api_tokens WHERE expires_at IS NOT NULL AND expires_at <= ?`, []any{now}},
		{&r.Attempts, `DELETE FROM login_attempts WHERE last_at < ? AND (blocked_until IS NULL OR blocked_until <= ?)`, []any{now.Add(-zhagen.LoginAttemptWindow), now}},
	}
	for _, st := range steps {
		res, err := s.db.exec(ctx, st.query, st.args...)
		if err != nil {
			return r, err
		}
		*st.n, _ = res.RowsAffected()
	}
	return r, nil
}
