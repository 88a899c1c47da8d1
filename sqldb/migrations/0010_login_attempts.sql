-- Login protection (README "登录保护与会话"). Wrong passwords no longer
-- lock an account: attempts are counted per login and client address,
-- and past the free attempts each further one of the pair waits until
-- blocked_until (zhagen.LoginBackoff). An attempt is claimed here, in one
-- conditional statement, before its password is hashed; a success
-- deletes the pair's row; a pair quiet for an hour starts over. Rows for
-- unknown logins are kept exactly as for known ones.
CREATE TABLE login_attempts (
	login         TEXT NOT NULL,
	ip            TEXT NOT NULL,
	attempts      {{BIGINT}} NOT NULL DEFAULT 0,
	blocked_until {{TIMESTAMP}},
	last_at       {{TIMESTAMP}} NOT NULL,
	PRIMARY KEY (login, ip)
);
CREATE INDEX login_attempts_last ON login_attempts(last_at);

-- The purge job deletes sessions past their idle time or lifetime and
-- expired tokens.
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);
CREATE INDEX sessions_created ON sessions(created_at);
CREATE INDEX api_tokens_expires ON api_tokens(expires_at);

-- users.locked_until now means a lock an administrator set (zhagen user
-- lock); the automatic locks of the old lockout, and its failure count
-- (users.failed_logins, no longer used), are cleared.
UPDATE users SET locked_until = NULL, failed_logins = 0;
