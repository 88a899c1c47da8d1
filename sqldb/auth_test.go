package sqldb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
	"zhagen/throttle"
)

// TestLoginBackoffIsPerAccountAndAddress: wrong passwords from one
// address slow that address down on that login only. The account does
// not lock: its owner logs in from elsewhere, the administrator too.
func TestLoginBackoffIsPerAccountAndAddress(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		f.user(t, "alice", zhagen.RoleStaff, f.child.ID, 0)
		f.user(t, "root", zhagen.RoleAdmin, 0, 0)
		try := func(login, pw, ip string) error {
			_, err := f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: login, Password: pw, IP: ip, UserAgent: "test"})
			return err
		}
		for _, login := range []string{"alice", "root"} {
			for i := 1; i <= 12; i++ {
				if err := try(login, "Wrong-pass1", "203.0.113.66"); err == nil {
					t.Fatalf("%s: wrong password accepted", login)
				}
			}
			// The attacker's address waits; the owner's does not.
			wantCode(t, try(login, f.password, "203.0.113.66"), zhagen.ETOOMANY)
			must(t, try(login, f.password, "10.0.0.9"))
		}

		// From the attacker's address the waits grow and end.
		err := try("alice", f.password, "203.0.113.66")
		wantCode(t, err, zhagen.ETOOMANY)
		after := zhagen.RetryAfter(err)
		if after <= 0 || after > zhagen.LoginBackoffMax {
			t.Fatalf("retry after %v", after)
		}
		f.clock.Advance(after - time.Second)
		wantCode(t, try("alice", f.password, "203.0.113.66"), zhagen.ETOOMANY)
		f.clock.Advance(time.Second)
		must(t, try("alice", f.password, "203.0.113.66"))
		// A success starts the count over for that address.
		for i := 1; i < zhagen.LoginFreeAttempts; i++ {
			wantCode(t, try("alice", "Wrong-pass1", "203.0.113.66"), zhagen.EUNAUTHORIZED)
		}
	})
}

// TestLoginBackoffGrows: the first attempts are free, then each further
// wrong one waits twice as long as the last, up to the cap.
func TestLoginBackoffGrows(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		f.user(t, "alice", zhagen.RoleStaff, f.child.ID, 0)
		try := func() error {
			_, err := f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "alice", Password: "Wrong-pass1", IP: "198.51.100.1"})
			return err
		}
		for i := 1; i <= zhagen.LoginFreeAttempts; i++ {
			wantCode(t, try(), zhagen.EUNAUTHORIZED)
		}
		want := zhagen.LoginBackoffBase
		for round := 0; round < 8; round++ {
			err := try()
			wantCode(t, err, zhagen.ETOOMANY)
			if got := zhagen.RetryAfter(err); got != want {
				t.Fatalf("round %d: wait %v, want %v", round, got, want)
			}
			f.clock.Advance(want)
			wantCode(t, try(), zhagen.EUNAUTHORIZED)
			want = min(2*want, zhagen.LoginBackoffMax)
		}
		// An hour without attempts starts the count over.
		f.clock.Advance(zhagen.LoginBackoffMax + zhagen.LoginAttemptWindow)
		for i := 1; i <= zhagen.LoginFreeAttempts; i++ {
			wantCode(t, try(), zhagen.EUNAUTHORIZED)
		}
	})
}

// TestLoginAnswersAlikeForUnknownLogins: at every step, an unknown login
// and a real one with a wrong password get the same code and message, and
// cost the same password hashing, so neither the answer nor its time
// tells whether the account exists.
func TestLoginAnswersAlikeForUnknownLogins(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		f.user(t, "alice", zhagen.RoleStaff, f.child.ID, 0)
		f.user(t, "gone", zhagen.RoleStaff, f.child.ID, 0)
		gone, _, err := f.users.FindUsers(f.admin, zhagen.UserFilter{Login: "gone"})
		must(t, err)
		archived := true
		_, err = f.users.UpdateUser(f.admin, gone[0].ID, zhagen.UserUpdate{Version: gone[0].Version, Archived: &archived})
		must(t, err)
		try := func(login string) (error, int64) {
			before := hashRuns()
			_, err := f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: login, Password: "Wrong-pass1", IP: "192.0.2.1"})
			return err, hashRuns() - before
		}
		for step := 1; step <= 9; step++ {
			errKnown, hashKnown := try("alice")
			for _, other := range []string{"nobody", "gone"} {
				errOther, hashOther := try(other)
				if zhagen.ErrorCode(errKnown) != zhagen.ErrorCode(errOther) || zhagen.ErrorMessage(errKnown) != zhagen.ErrorMessage(errOther) {
					t.Fatalf("step %d: alice gets %v, %s gets %v", step, errKnown, other, errOther)
				}
				if hashKnown != hashOther {
					t.Fatalf("step %d: alice costs %d hashes, %s %d", step, hashKnown, other, hashOther)
				}
				if zhagen.RetryAfter(errKnown) != zhagen.RetryAfter(errOther) {
					t.Fatalf("step %d: retry after %v and %v", step, zhagen.RetryAfter(errKnown), zhagen.RetryAfter(errOther))
				}
			}
			if zhagen.ErrorCode(errKnown) == zhagen.EUNAUTHORIZED && hashKnown != 1 {
				t.Fatalf("step %d: a checked password costs %d hashes", step, hashKnown)
			}
		}
		logs, _, err := f.logs.FindLoginLogs(f.admin, zhagen.LogFilter{Query: "alice"})
		must(t, err)
		for _, l := range logs {
			if l.Reason == "账号已锁定" {
				t.Fatal("the login log still says the account is locked")
			}
		}
	})
}

// TestSessionAbsoluteLifetime: a session kept busy still ends
// SessionLifetime after it began.
func TestSessionAbsoluteLifetime(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		f.user(t, "bob", zhagen.RoleStaff, f.child.ID, 0)
		u, err := f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "bob", Password: f.password})
		must(t, err)
		sid, err := f.auth.CreateSession(ctx, u.ID, "", "")
		must(t, err)
		begun := f.clock.Now()
		for f.clock.Now().Sub(begun) < zhagen.SessionLifetime-10*time.Minute {
			f.clock.Advance(10 * time.Minute)
			_, err := f.auth.ActorBySession(ctx, sid)
			must(t, err)
		}
		f.clock.T = begun.Add(zhagen.SessionLifetime)
		_, err = f.auth.ActorBySession(ctx, sid)
		wantCode(t, err, zhagen.EUNAUTHORIZED)
	})
}

// TestLockedUsersCredentialsRefused: while an account is locked its
// existing sessions and tokens are refused (cached tokens too), and they
// work again once it is unlocked; a disabled account's are gone.
func TestLockedUsersCredentialsRefused(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		f.user(t, "carol", zhagen.RoleStaff, f.child.ID, 0)
		u, err := f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "carol", Password: f.password})
		must(t, err)
		sid, err := f.auth.CreateSession(ctx, u.ID, "", "")
		must(t, err)
		tok, err := f.auth.CreateToken(f.admin, u.ID, "cli", 0)
		must(t, err)
		_, err = f.auth.ActorByToken(ctx, tok.Token) // cached now
		must(t, err)

		until := f.clock.Now().Add(2 * time.Hour)
		must(t, f.auth.LockUser(f.admin, u.ID, &until))
		_, err = f.auth.ActorByToken(ctx, tok.Token)
		wantCode(t, err, zhagen.EUNAUTHORIZED)
		_, err = f.auth.ActorBySession(ctx, sid)
		wantCode(t, err, zhagen.EUNAUTHORIZED)
		// Locked, even the right password does not log in; a wrong one
		// gets the answer an unknown login gets.
		_, err = f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "carol", Password: f.password, IP: "192.0.2.9"})
		wantCode(t, err, zhagen.EUNAUTHORIZED)
		// The lock runs out by itself.
		f.clock.Advance(2 * time.Hour)
		_, err = f.auth.ActorByToken(ctx, tok.Token)
		must(t, err)
		// Only an administrator locks.
		staff := f.user(t, "dave", zhagen.RoleStaff, f.child.ID, 0)
		wantCode(t, f.auth.LockUser(staff, u.ID, &until), zhagen.EFORBIDDEN)

		// A disabled account's token and session are refused.
		cur, err := f.users.FindUserByID(f.admin, u.ID)
		must(t, err)
		archived := true
		_, err = f.users.UpdateUser(f.admin, u.ID, zhagen.UserUpdate{Version: cur.Version, Archived: &archived})
		must(t, err)
		_, err = f.auth.ActorByToken(ctx, tok.Token)
		wantCode(t, err, zhagen.EUNAUTHORIZED)
	})
}

func hashRuns() int64 { return sqldb.HashRuns() }

// TestConcurrentAttemptsCannotSlipPastTheBackoff: many attempts of one
// (login, address) pair at once hash at most LoginFreeAttempts passwords;
// the rest are refused before hashing.
func TestConcurrentAttemptsCannotSlipPastTheBackoff(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		f.user(t, "alice", zhagen.RoleStaff, f.child.ID, 0)
		restore := sqldb.SetArgonGate(throttle.NewGate(4, 64, time.Minute))
		defer restore()
		const n = 24
		before := hashRuns()
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.auth.Authenticate(context.Background(), zhagen.LoginRequest{Login: "alice", Password: "Wrong-pass1", IP: "203.0.113.9"})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		counts := map[string]int{}
		for err := range errs {
			counts[zhagen.ErrorCode(err)]++
		}
		if hashed := hashRuns() - before; hashed > zhagen.LoginFreeAttempts {
			t.Fatalf("%d concurrent attempts hashed %d passwords, want at most %d (%v)", n, hashed, zhagen.LoginFreeAttempts, counts)
		}
		if counts[zhagen.EUNAUTHORIZED] != zhagen.LoginFreeAttempts || counts[zhagen.ETOOMANY] != n-zhagen.LoginFreeAttempts {
			t.Fatalf("answers %v", counts)
		}
	})
}

// TestBusyHashingRefusesAndGivesTheAttemptBack: with the hashing gate
// full, a login is refused with ETOOMANY and Retry-After before any hash,
// and the refused attempt does not count towards the backoff.
func TestBusyHashingRefusesAndGivesTheAttemptBack(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		f.user(t, "alice", zhagen.RoleStaff, f.child.ID, 0)
		g := throttle.NewGate(1, 0, 0)
		restore := sqldb.SetArgonGate(g)
		defer restore()
		release, err := g.Acquire(context.Background())
		must(t, err)
		try := func(pw string) error {
			_, err := f.auth.Authenticate(context.Background(), zhagen.LoginRequest{Login: "alice", Password: pw, IP: "203.0.113.9"})
			return err
		}
		for i := 0; i < 2*zhagen.LoginFreeAttempts; i++ {
			before := hashRuns()
			err := try("Wrong-pass1")
			wantCode(t, err, zhagen.ETOOMANY)
			if zhagen.RetryAfter(err) != time.Second || hashRuns() != before {
				t.Fatalf("busy: retry after %v, %d hashes", zhagen.RetryAfter(err), hashRuns()-before)
			}
		}
		_, _, err = f.users.FindUsers(f.admin, zhagen.UserFilter{}) // no hashing: still served
		must(t, err)
		release()
		for i := 1; i < zhagen.LoginFreeAttempts; i++ {
			wantCode(t, try("Wrong-pass1"), zhagen.EUNAUTHORIZED)
		}
		must(t, try(f.password))
	})
}

// TestPurgeExpired: the purge deletes sessions past their idle time or
// lifetime, expired tokens and stale attempt counts, by the service's
// clock, and keeps the rest.
func TestPurgeExpired(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		f.user(t, "erin", zhagen.RoleStaff, f.child.ID, 0)
		users, _, err := f.users.FindUsers(f.admin, zhagen.UserFilter{Login: "erin"})
		must(t, err)
		id := users[0].ID
		count := func(table string) int {
			var n int
			must(t, f.db.SQL().QueryRow(`SELECT COUNT(*) FROM `+table).Scan(&n))
			return n
		}
		idle, err := f.auth.CreateSession(ctx, id, "", "")
		must(t, err)
		busy, err := f.auth.CreateSession(ctx, id, "", "")
		must(t, err)
		_, err = f.auth.CreateToken(f.admin, id, "short", 30*time.Minute)
		must(t, err)
		_, err = f.auth.CreateToken(f.admin, id, "long", 48*time.Hour)
		must(t, err)
		_, _ = f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "nobody", Password: "x", IP: "192.0.2.7"})
		baseTokens := count("api_tokens") - 2 // f.user's own token never expires

		f.clock.Advance(25 * time.Minute)
		_, err = f.auth.ActorBySession(ctx, busy) // keeps busy alive
		must(t, err)
		f.clock.Advance(10 * time.Minute) // idle is past its idle time; the short token expired
		r, err := f.auth.Purge(ctx)
		must(t, err)
		if r.Sessions != 1 || r.Tokens != 1 || r.Attempts != 0 {
			t.Fatalf("first purge %+v", r)
		}
		if _, err := f.auth.ActorBySession(ctx, busy); err != nil {
			t.Fatalf("a live session was purged: %v", err)
		}
		_ = idle
		f.clock.Advance(time.Hour)
		r, err = f.auth.Purge(ctx)
		must(t, err)
		if r.Attempts != 1 || r.Sessions != 1 {
			t.Fatalf("second purge %+v", r)
		}
		if count("sessions") != 0 || count("login_attempts") != 0 || count("api_tokens") != baseTokens+1 {
			t.Fatalf("left sessions %d, attempts %d, tokens %d", count("sessions"), count("login_attempts"), count("api_tokens"))
		}
		f.clock.Advance(48 * time.Hour)
		r, err = f.auth.Purge(ctx)
		must(t, err)
		if r.Tokens != 1 || count("api_tokens") != baseTokens {
			t.Fatalf("third purge %+v", r)
		}
	})
}

// TestChangePasswordEndsOtherCredentials: changing one's own password
// needs the current one, refuses a common one, and ends every other
// session and token of the user while keeping the one it came through.
func TestChangePasswordEndsOtherCredentials(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		f.user(t, "fay", zhagen.RoleStaff, f.child.ID, 0)
		u, err := f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "fay", Password: f.password})
		must(t, err)
		keep, err := f.auth.CreateSession(ctx, u.ID, "", "")
		must(t, err)
		other, err := f.auth.CreateSession(ctx, u.ID, "", "")
		must(t, err)
		tok, err := f.auth.CreateToken(f.admin, u.ID, "cli", 0)
		must(t, err)
		a, err := f.auth.ActorBySession(ctx, keep)
		must(t, err)
		_, err = f.auth.ActorByToken(ctx, tok.Token) // cached
		must(t, err)
		fay := zhagen.NewContextWithIP(zhagen.NewContextWithActor(ctx, a), "10.0.0.5")

		err = f.auth.ChangePassword(fay, zhagen.PasswordChange{Current: "Wrong-pass1", New: "Kq7!tmR2vz", Keep: keep})
		if zhagen.ErrorCode(err) != zhagen.EINVALID || zhagen.FieldErrors(err)["current_password"] == "" {
			t.Fatalf("wrong current password: %v", err)
		}
		err = f.auth.ChangePassword(fay, zhagen.PasswordChange{Current: f.password, New: "Woaini@1314", Keep: keep})
		if zhagen.ErrorCode(err) != zhagen.EINVALID || zhagen.FieldErrors(err)["new_password"] == "" {
			t.Fatalf("common password: %v", err)
		}
		must(t, f.auth.ChangePassword(fay, zhagen.PasswordChange{Current: f.password, New: "Kq7!tmR2vz", Keep: keep}))
		if _, err := f.auth.ActorBySession(ctx, keep); err != nil {
			t.Fatalf("the session the change came through ended: %v", err)
		}
		_, err = f.auth.ActorBySession(ctx, other)
		wantCode(t, err, zhagen.EUNAUTHORIZED)
		_, err = f.auth.ActorByToken(ctx, tok.Token)
		wantCode(t, err, zhagen.EUNAUTHORIZED)
		_, err = f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "fay", Password: f.password})
		wantCode(t, err, zhagen.EUNAUTHORIZED)
		_, err = f.auth.Authenticate(ctx, zhagen.LoginRequest{Login: "fay", Password: "Kq7!tmR2vz"})
		must(t, err)

		// Guessing the current password runs into the login backoff.
		for i := 0; i < zhagen.LoginFreeAttempts; i++ {
			err = f.auth.ChangePassword(fay, zhagen.PasswordChange{Current: "Wrong-pass1", New: "Tea4Two&Cups", Keep: keep})
			wantCode(t, err, zhagen.EINVALID)
		}
		err = f.auth.ChangePassword(fay, zhagen.PasswordChange{Current: "Kq7!tmR2vz", New: "Tea4Two&Cups", Keep: keep})
		wantCode(t, err, zhagen.ETOOMANY)
	})
}

// TestTokensListAndRevoke: a user lists their tokens without secrets and
// revokes them; revoking by secret is an API logout; another user's
// tokens are refused through the policy.
func TestTokensListAndRevoke(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFixture(t, e)
		ctx := context.Background()
		gus := f.user(t, "gus", zhagen.RoleStaff, f.child.ID, 0)
		hal := f.user(t, "hal", zhagen.RoleStaff, f.child.ID, 0)
		gusID := zhagen.ActorFromContext(gus).UserID
		tok, err := f.auth.CreateToken(gus, gusID, "phone", time.Hour)
		must(t, err)
		list, err := f.auth.FindTokens(gus, gusID)
		must(t, err)
		if len(list) != 2 || list[1].Name != "phone" || list[1].Token != "" {
			t.Fatalf("tokens %+v", list)
		}
		_, err = f.auth.FindTokens(hal, gusID)
		wantCode(t, err, zhagen.EFORBIDDEN)
		wantCode(t, f.auth.DeleteToken(hal, tok.ID), zhagen.ENOTFOUND) // another user's token answers as a missing one
		_, err = f.auth.ActorByToken(ctx, tok.Token)                   // cached
		must(t, err)
		must(t, f.auth.RevokeToken(ctx, tok.Token))
		_, err = f.auth.ActorByToken(ctx, tok.Token)
		wantCode(t, err, zhagen.EUNAUTHORIZED)
		wantCode(t, f.auth.RevokeToken(ctx, tok.Token), zhagen.EUNAUTHORIZED)
		wantCode(t, f.auth.DeleteToken(gus, tok.ID), zhagen.ENOTFOUND)
		must(t, f.auth.DeleteToken(f.admin, list[0].ID))
		list, err = f.auth.FindTokens(f.admin, gusID)
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("after revoking both: %+v", list)
		}
	})
}
