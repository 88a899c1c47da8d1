package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLoginRedirectsAndSession(t *testing.T) {
	e := newTestEnv(t)
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

func TestLoginLockout(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	for i := 0; i < 4; i++ {
		c.post("/login", url.Values{"login": {"cadre1"}, "password": {"Wrong-pass1"}}).wantStatus(t, http.StatusUnauthorized)
	}
	// The fifth failure locks the account, and then even the right
	// password is refused, with the reason in Chinese.
	c.post("/login", url.Values{"login": {"cadre1"}, "password": {"Wrong-pass1"}}).
		wantStatus(t, http.StatusTooManyRequests).contains(t, "锁定")
	c.post("/login", url.Values{"login": {"cadre1"}, "password": {testPassword}}).
		wantStatus(t, http.StatusTooManyRequests).contains(t, "锁定")

	// The administrator sees the attempts in the login log.
	admin := e.login("admin1")
	admin.get("/logs/logins?q=cadre1").wantStatus(t, http.StatusOK).contains(t, "cadre1", "失败")
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
