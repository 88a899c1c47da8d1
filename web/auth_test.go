package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
	"zhagen/throttle"
)

func TestLoginRedirectsAndSession(t *testing.T) {
	eachStore(t, testLoginRedirectsAndSession)
}

func testLoginRedirectsAndSession(t *testing.T, e *testEnv) {
	c := e.client()

	res := c.get("/").wantStatus(t, http.StatusSeeOther)
	if got := res.header.Get("Location"); got != "/login" {
		t.Errorf("GET / redirects to %q", got)
	}
	res = c.get("/enterprises?q=%E7%94%B2").wantStatus(t, http.StatusSeeOther)
	if got := res.header.Get("Location"); got != "/login?next="+url.QueryEscape("/enterprises?q=%E7%94%B2") {
		t.Errorf("GET /enterprises redirects to %q", got)
	}

	// htmx requests get HX-Redirect instead of a redirect they would swap in.
	c.hdr.Set("HX-Request", "true")
	res = c.get("/enterprises").wantStatus(t, http.StatusUnauthorized)
	if got := res.header.Get("HX-Redirect"); !strings.HasPrefix(got, "/login?next=") {
		t.Errorf("HX-Redirect = %q", got)
	}
	c.hdr.Del("HX-Request")

	c.get("/login").wantStatus(t, http.StatusOK).contains(t, "用户登录", `name="password"`)

	// Wrong password, in Chinese; the login stays typed.
	c.post("/login", url.Values{"login": {"admin1"}, "password": {"wrong-Pass1"}}).
		wantStatus(t, http.StatusUnauthorized).contains(t, "登录名或密码错误", attr("value", "admin1"))
	c.post("/login", url.Values{"login": {""}, "password": {""}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请输入登录名和密码")

	// Success goes to ?next= and sets the session cookie.
	res = c.post("/login", url.Values{"login": {"admin1"}, "password": {testPassword}, "next": {"/enterprises"}}).
		wantStatus(t, http.StatusSeeOther)
	if got := res.header.Get("Location"); got != "/enterprises" {
		t.Errorf("after login: Location %q", got)
	}
	var session *http.Cookie
	for _, ck := range (&http.Response{Header: res.header}).Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil || session.Value == "" {
		t.Fatal("no session cookie")
	}
	if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
		t.Errorf("session cookie flags: HttpOnly=%v SameSite=%v Secure=%v", session.HttpOnly, session.SameSite, session.Secure)
	}
	c.get("/").wantStatus(t, http.StatusOK).contains(t, "我的工作台", "管理员甲", "辖区企业")
	// A logged-in user who opens /login goes on.
	if res := c.get("/login"); res.status != http.StatusSeeOther {
		t.Errorf("GET /login when logged in: %d", res.status)
	}

	// An open redirect is refused.
	c2 := e.client()
	res = c2.post("/login", url.Values{"login": {"admin1"}, "password": {testPassword}, "next": {"//evil.example/x"}})
	if got := res.header.Get("Location"); got != "/" {
		t.Errorf("next=//evil: Location %q", got)
	}

	// Logout ends the session.
	c.post("/logout", nil).wantStatus(t, http.StatusSeeOther)
	if res := c.get("/"); res.status != http.StatusSeeOther {
		t.Errorf("after logout GET / = %d", res.status)
	}
	// The old secret is dead too, not only the cookie.
	c3 := e.client()
	u, _ := url.Parse(e.srv.URL)
	c3.hc.Jar.SetCookies(u, []*http.Cookie{session})
	if res := c3.get("/"); res.status != http.StatusSeeOther {
		t.Errorf("old session still works: %d", res.status)
	}
}

// TestLoginNoLockoutAndNoOracle: wrong passwords slow down the address
// they come from on that login, with 429 and Retry-After; the account
// does not lock, and an unknown login gets the same answers at every step
// as a real one.
func TestLoginNoLockoutAndNoOracle(t *testing.T) {
	eachStore(t, testLoginNoLockoutAndNoOracle)
}

func testLoginNoLockoutAndNoOracle(t *testing.T, e *testEnv) {
	c := e.client()
	strip := func(body, login string) string { return strings.ReplaceAll(body, attr("value", login), "") }
	for i := 1; i <= 8; i++ {
		known := c.post("/login", url.Values{"login": {"cadre1"}, "password": {"Wrong-pass1"}})
		unknown := c.post("/login", url.Values{"login": {"nobody9"}, "password": {"Wrong-pass1"}})
		if known.status != unknown.status || strip(known.body, "cadre1") != strip(unknown.body, "nobody9") {
			t.Fatalf("attempt %d: a real login gets %d, an unknown one %d; or the pages differ", i, known.status, unknown.status)
		}
		if known.header.Get("Retry-After") != unknown.header.Get("Retry-After") {
			t.Fatalf("attempt %d: Retry-After %q and %q", i, known.header.Get("Retry-After"), unknown.header.Get("Retry-After"))
		}
		if strings.Contains(known.body, "锁定") {
			t.Fatalf("attempt %d: the page says the account is locked", i)
		}
		want := http.StatusUnauthorized
		if i > zhagen.LoginFreeAttempts {
			want = http.StatusTooManyRequests
			if known.header.Get("Retry-After") == "" {
				t.Fatalf("attempt %d: 429 without Retry-After", i)
			}
		}
		if known.status != want {
			t.Fatalf("attempt %d: status %d, want %d", i, known.status, want)
		}
	}
	// The administrator sees the attempts in the login log.
	admin := e.login("admin1")
	admin.get("/logs/logins?q=cadre1").wantStatus(t, http.StatusOK).contains(t, "cadre1", "失败")
}

// TestRegisterDoesNotRevealLogins: registering a login that is taken
// answers exactly as registering a free one.
func TestRegisterDoesNotRevealLogins(t *testing.T) {
	eachStore(t, testRegisterDoesNotRevealLogins)
}

func testRegisterDoesNotRevealLogins(t *testing.T, e *testEnv) {
	form := func(login string) url.Values {
		return url.Values{"login": {login}, "password": {testPassword}, "password2": {testPassword}, "name": {"张三"},
			"university": {"福州大学"}, "major": {"微电子科学与工程"}, "degree": {"bachelor"}, "grad_year": {"2026"}, "phone": {"13912345678"}, "consent": {"1"}}
	}
	fresh := e.client().post("/register", form("zhangsan"))
	taken := e.client().post("/register", form("admin1"))
	again := e.client().post("/register", form("zhangsan"))
	for _, r := range []response{taken, again} {
		if r.status != fresh.status || r.body != fresh.body {
			t.Fatalf("registering a taken login: %d, a free one %d; or the pages differ\n%s", r.status, fresh.status, r.body)
		}
	}
	if fresh.status != http.StatusCreated || strings.Contains(taken.body, "已被使用") {
		t.Fatalf("registration: %d", fresh.status)
	}
	// The administrator's password is untouched, the new graduate can log in.
	e.login("admin1")
	e.client().post("/login", url.Values{"login": {"zhangsan"}, "password": {testPassword}}).wantStatus(t, http.StatusSeeOther)
}

func TestSecureCookies(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.SecureCookies = true })
	res := e.client().post("/login", url.Values{"login": {"admin1"}, "password": {testPassword}})
	for _, ck := range (&http.Response{Header: res.header}).Cookies() {
		if ck.Name == sessionCookie && !ck.Secure {
			t.Error("session cookie not Secure with SecureCookies")
		}
	}
}

func TestLanguageSwitch(t *testing.T) {
	e := newTestEnv(t)
	c := e.login("admin1")
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/lang?l=en", nil)
	req.Header.Set("Referer", e.srv.URL+"/enterprises?q=x")
	res := c.do(req).wantStatus(t, http.StatusSeeOther)
	if got := res.header.Get("Location"); got != "/enterprises?q=x" {
		t.Errorf("lang redirect to %q", got)
	}
	c.get("/enterprises").wantStatus(t, http.StatusOK).contains(t, `lang="en"`, "Enterprises", "Credit code (USCC)", "Log out")
	// Domain messages stay Chinese; the UI around them is English.
	c.post("/enterprises", url.Values{"name": {""}, "uscc": {"1"}}).
		wantStatus(t, http.StatusUnprocessableEntity).contains(t, "请填写企业名称", "fields need attention")

	c.get("/lang?l=zh").wantStatus(t, http.StatusSeeOther)
	c.get("/enterprises").contains(t, `lang="zh-CN"`, "企业管理")
}

func TestStaticAssets(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	res := c.get("/static/app.css").wantStatus(t, http.StatusOK)
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type %q", ct)
	}
	etag := res.header.Get("ETag")
	hash := strings.TrimSuffix(strings.Trim(etag, `"`), "-gz")
	res = c.get("/static/app.css?v="+hash).wantStatus(t, http.StatusOK)
	if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned Cache-Control %q", cc)
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/static/app.css", nil)
	req.Header.Set("If-None-Match", etag)
	c.do(req).wantStatus(t, http.StatusNotModified)
	c.get("/static/nope.js").wantStatus(t, http.StatusNotFound)
	// The login page links the versioned stylesheet.
	c.get("/login").contains(t, "/static/app.css?v="+hash)
}

// TestChangeOwnPassword: the page asks for the current password, refuses
// a common one, and a change ends the user's other sessions but keeps the
// one it was made in.
func TestChangeOwnPassword(t *testing.T) {
	eachStore(t, testChangeOwnPassword)
}

func testChangeOwnPassword(t *testing.T, e *testEnv) {
	c := e.login("staff1")
	other := e.login("staff1")
	c.get("/").contains(t, `href="/account/password"`)
	c.get("/account/password").wantStatus(t, http.StatusOK).contains(t, `name="current_password"`, `name="new_password"`, `name="new_password2"`)
	form := func(cur, next, again string) url.Values {
		return url.Values{"current_password": {cur}, "new_password": {next}, "new_password2": {again}}
	}
	c.post("/account/password", form("Wrong-pass1", "Kq7!tmR2vz", "Kq7!tmR2vz")).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "当前密码不正确")
	c.post("/account/password", form(testPassword, "Woaini@1314", "Woaini@1314")).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "常见")
	c.post("/account/password", form(testPassword, "Kq7!tmR2vz", "Kq7!tmR2vy")).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "两次输入的新密码不一致")
	res := c.post("/account/password", form(testPassword, "Kq7!tmR2vz", "Kq7!tmR2vz")).wantStatus(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/account/password" {
		t.Fatalf("after change: Location %q", loc)
	}
	c.get("/account/password").wantStatus(t, http.StatusOK).contains(t, "密码已修改")
	if res := other.get("/"); res.status != http.StatusSeeOther {
		t.Fatalf("another session survives the change: %d", res.status)
	}
	e.client().post("/login", url.Values{"login": {"staff1"}, "password": {testPassword}}).wantStatus(t, http.StatusUnauthorized)
	e.client().post("/login", url.Values{"login": {"staff1"}, "password": {"Kq7!tmR2vz"}}).wantStatus(t, http.StatusSeeOther)
}

// proxied serves a second copy of e's handler, built from e's final
// Config changed by mod, behind a throttle.Proxies that trusts the test
// client's address, so that X-Forwarded-For and X-Forwarded-Proto name
// the client.
func proxiedEnv(t *testing.T, mod func(*Config)) (*testEnv, func(clientIP, proto string) *client) {
	return proxiedEnvOn(t, sqldbtest.OneStore(t, "proxy headers"), mod)
}

// proxiedEnvOn is proxiedEnv on the store eng.
func proxiedEnvOn(t *testing.T, eng sqldbtest.Engine, mod func(*Config)) (*testEnv, func(clientIP, proto string) *client) {
	var cfg Config
	e := newTestEnvOn(t, eng, func(c *Config) { mod(c); cfg = *c })
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	proxies, err := throttle.ParseProxies("127.0.0.1/32, ::1")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(proxies.Middleware(h))
	t.Cleanup(srv.Close)
	return e, func(clientIP, proto string) *client {
		c := e.client()
		c.base = srv.URL
		c.hdr.Set("X-Forwarded-For", clientIP)
		if proto != "" {
			c.hdr.Set("X-Forwarded-Proto", proto)
		}
		return c
	}
}

// TestLoginBackoffSparesOtherAddresses: an address that tried wrong
// passwords waits; the account's owner, elsewhere, logs in.
func TestLoginBackoffSparesOtherAddresses(t *testing.T) {
	sqldbtest.Run(t, testLoginBackoffSparesOtherAddresses)
}

func testLoginBackoffSparesOtherAddresses(t *testing.T, eng sqldbtest.Engine) {
	_, from := proxiedEnvOn(t, eng, func(*Config) {})
	attacker := from("203.0.113.66", "")
	for i := 0; i < 8; i++ {
		attacker.post("/login", url.Values{"login": {"admin1"}, "password": {"Wrong-pass1"}})
	}
	attacker.post("/login", url.Values{"login": {"admin1"}, "password": {testPassword}}).wantStatus(t, http.StatusTooManyRequests)
	from("198.51.100.20", "").post("/login", url.Values{"login": {"admin1"}, "password": {testPassword}}).wantStatus(t, http.StatusSeeOther)
}

// TestLoginAndRegisterLimitedPerAddress: past its limit an address gets
// 429 with Retry-After, on the clock; another address does not.
func TestLoginAndRegisterLimitedPerAddress(t *testing.T) {
	sqldbtest.Run(t, testLoginAndRegisterLimitedPerAddress)
}

func testLoginAndRegisterLimitedPerAddress(t *testing.T, eng sqldbtest.Engine) {
	var clock *zhagen.FixedClock
	e, from := proxiedEnvOn(t, eng, func(c *Config) {
		clock = c.Clock.(*zhagen.FixedClock)
		c.LoginLimit = throttle.NewLimiter(throttle.Rate{N: 3, Per: time.Minute}, clock.Now)
		c.RegisterLimit = throttle.NewLimiter(throttle.Rate{N: 1, Per: 10 * time.Minute}, clock.Now)
	})
	_ = e
	a := from("203.0.113.7", "")
	for i := 0; i < 3; i++ {
		a.post("/login", url.Values{"login": {"nobody"}, "password": {"Wrong-pass1"}}).wantStatus(t, http.StatusUnauthorized)
	}
	res := a.post("/login", url.Values{"login": {"admin1"}, "password": {testPassword}}).wantStatus(t, http.StatusTooManyRequests)
	if res.header.Get("Retry-After") != "20" || !strings.Contains(res.body, "请求过于频繁") {
		t.Fatalf("limited login: Retry-After %q", res.header.Get("Retry-After"))
	}
	from("203.0.113.8", "").post("/login", url.Values{"login": {"admin1"}, "password": {testPassword}}).wantStatus(t, http.StatusSeeOther)
	clock.Advance(20 * time.Second)
	a.post("/login", url.Values{"login": {"admin1"}, "password": {testPassword}}).wantStatus(t, http.StatusSeeOther)

	reg := url.Values{"login": {"lisi"}, "password": {testPassword}, "password2": {testPassword}, "name": {"李四"},
		"university": {"福州大学"}, "major": {"软件工程"}, "degree": {"bachelor"}, "grad_year": {"2026"}, "phone": {"13912345679"}, "consent": {"1"}}
	a.post("/register", reg).wantStatus(t, http.StatusCreated)
	reg.Set("login", "lisi2")
	res = a.post("/register", reg).wantStatus(t, http.StatusTooManyRequests)
	if res.header.Get("Retry-After") != "600" {
		t.Fatalf("limited register: Retry-After %q", res.header.Get("Retry-After"))
	}
}

// TestSecureCookieBehindTrustedProxy: the session cookie is Secure when a
// trusted proxy says the client came over HTTPS, and not when an
// untrusted client claims it.
func TestSecureCookieBehindTrustedProxy(t *testing.T) {
	e, from := proxiedEnv(t, func(*Config) {})
	sessionOf := func(res response) *http.Cookie {
		for _, ck := range (&http.Response{Header: res.header}).Cookies() {
			if ck.Name == sessionCookie {
				return ck
			}
		}
		t.Fatal("no session cookie")
		return nil
	}
	creds := url.Values{"login": {"admin1"}, "password": {testPassword}}
	if ck := sessionOf(from("198.51.100.1", "https").post("/login", creds)); !ck.Secure {
		t.Error("through a trusted proxy over HTTPS: cookie not Secure")
	}
	if ck := sessionOf(from("198.51.100.1", "http").post("/login", creds)); ck.Secure {
		t.Error("through a trusted proxy over HTTP: cookie Secure")
	}
	// The plain test server trusts no proxy: a client's claim is ignored.
	c := e.client()
	c.hdr.Set("X-Forwarded-Proto", "https")
	if ck := sessionOf(c.post("/login", creds)); ck.Secure {
		t.Error("an untrusted client's X-Forwarded-Proto made the cookie Secure")
	}
}
