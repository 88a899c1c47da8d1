package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"zhagen"
	"zhagen/throttle"
)

// Protection is what guards the anonymous entry points: which proxies'
// forwarding headers are believed, and how many logins (web and API
// together), registrations and Open311 posts one client address may make;
// and how many reads run at once (ReadSlots, readgate.go; 0: no bound).
type Protection struct {
	Proxies      *throttle.Proxies
	LoginRate    throttle.Rate
	RegisterRate throttle.Rate
	Open311Rate  throttle.Rate
	ReadSlots    int
}

// Default rates per client address, and the default soft memory limit
// (README "登录保护与会话"): password hashes take 19 MiB each, and under a
// flood of logins the collector's pacing alone lets the heap reach twice
// what is live; the limit makes it collect sooner.
//
// The collector runs once the heap has grown by defaultGCPercent of what
// was live after the last collection (GOGC's default is 100). What is
// live in a server is mostly the demand index, long-lived and without
// pointers, so marking it costs little and collecting four times as often
// keeps the resident memory near the live heap: at 1.5 million demands
// on PostgreSQL, 192–194 MB resident under wrk's list load against
// 208–209 MB at 100, and 205–207 against 209–210 MB under mixed load, for
// the same throughput.
const (
	defaultMemoryLimit  = "192MiB"
	defaultGCPercent    = "25"
	defaultLoginRate    = "20/1m"
	defaultRegisterRate = "5/10m"
	defaultOpen311Rate  = "60/1m"
)

// DefaultProtection trusts no proxy and applies the default rates.
func DefaultProtection() Protection {
	p, _ := protectionOf("", defaultLoginRate, defaultRegisterRate, defaultOpen311Rate, "auto")
	return p
}

func protectionOf(proxies, login, register, open311, readSlots string) (Protection, error) {
	var p Protection
	var err error
	if p.ReadSlots, err = parseReadSlots(readSlots); err != nil {
		return p, err
	}
	if p.Proxies, err = throttle.ParseProxies(proxies); err != nil {
		return p, fmt.Errorf("--trusted-proxy: %w", err)
	}
	for _, r := range []struct {
		flag, v string
		dst     *throttle.Rate
	}{{"login-rate", login, &p.LoginRate}, {"register-rate", register, &p.RegisterRate}, {"open311-rate", open311, &p.Open311Rate}} {
		if *r.dst, err = throttle.ParseRate(r.v); err != nil {
			return p, fmt.Errorf("--%s: %w", r.flag, err)
		}
	}
	return p, nil
}

// Protection returns the configured protection.
func (c *Config) Protection() (Protection, error) {
	return protectionOf(c.TrustedProxy, c.LoginRate, c.RegisterRate, c.Open311Rate, c.ReadSlots)
}

// limiters are the per-address limiters of one handler.
type limiters struct{ login, register, open311 *throttle.Limiter }

func (p Protection) limiters(clock zhagen.Clock) limiters {
	return limiters{
		login:    throttle.NewLimiter(p.LoginRate, clock.Now),
		register: throttle.NewLimiter(p.RegisterRate, clock.Now),
		open311:  throttle.NewLimiter(p.Open311Rate, clock.Now),
	}
}

// hsts tells browsers to come back over HTTPS only, on responses that
// went out over HTTPS (directly or through a trusted proxy).
func hsts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if throttle.HTTPS(r) {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// runPurge deletes expired sessions, tokens and login attempt counts, by
// the app's clock, once per minute across servers.
func runPurge(ctx context.Context, app *App, log *slog.Logger, now time.Time) {
	ok, err := app.DB.ClaimTick(ctx, "auth-purge", now.Unix()/60)
	if err != nil || !ok {
		if err != nil && ctx.Err() == nil {
			log.Error("job claim", "job", "auth-purge", "err", err)
		}
		return
	}
	r, err := app.Auth.Purge(ctx)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("auth purge", "err", err)
		}
		return
	}
	if r.Sessions+r.Tokens+r.Attempts > 0 {
		log.Info("auth purge", "sessions", r.Sessions, "tokens", r.Tokens, "attempts", r.Attempts)
	}
}

// userLock locks (or with unlock, unlocks) an account: while locked it
// cannot log in and its sessions and tokens are refused.
func userLock(ctx context.Context, cfg *Config, fs *flag.FlagSet, args []string, stdout io.Writer, unlock bool) error {
	login := fs.String("login", "", "登录名 (login)")
	var dur *time.Duration
	if !unlock {
		dur = fs.Duration("for", 100*365*24*time.Hour, "锁定时长，如 24h；默认直到解锁 (how long; default until unlocked)")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withApp(ctx, cfg, func(app *App) error {
		u, err := findLogin(systemCtx(ctx), app, *login)
		if err != nil {
			return err
		}
		var until *time.Time
		if !unlock {
			t := app.Clock.Now().Add(*dur)
			until = &t
		}
		if err := app.Auth.LockUser(systemCtx(ctx), u.ID, until); err != nil {
			return cliError(err)
		}
		if unlock {
			fmt.Fprintf(stdout, "已解锁 %s\n", u.Login)
		} else {
			fmt.Fprintf(stdout, "已锁定 %s 至 %s，其会话与令牌暂停使用\n", u.Login, until.In(zhagen.Shanghai).Format("2006-01-02 15:04"))
		}
		return nil
	})
}

// setMemoryLimit applies --memory-limit unless GOMEMLIMIT is set, which
// the runtime has applied already. It returns the limit in bytes (0: none).
func setMemoryLimit(s string, getenv func(string) string) (int64, error) {
	if getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1), nil
	}
	n, err := parseBytes(s)
	if err != nil {
		return 0, fmt.Errorf("--memory-limit: %w", err)
	}
	if n > 0 {
		debug.SetMemoryLimit(n)
	}
	return n, nil
}

// setGCPercent applies --gc-percent unless GOGC is set, which the runtime
// has applied already. It returns the percentage in effect.
func setGCPercent(s string, getenv func(string) string) (int, error) {
	if getenv("GOGC") != "" {
		old := debug.SetGCPercent(100)
		debug.SetGCPercent(old)
		return old, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 1000 {
		return 0, fmt.Errorf("--gc-percent: %q 不是 1 到 1000 之间的整数", s)
	}
	debug.SetGCPercent(n)
	return n, nil
}

// parseBytes reads "192MiB", "1GiB", "500MB" or a number of bytes; "" and
// "0" are 0.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" || s == "off" {
		return 0, nil
	}
	units := []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(v), u.n
			break
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 || v > math.MaxInt64/mult {
		return 0, errors.New("not a size such as 192MiB")
	}
	return v * mult, nil
}
