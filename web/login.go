package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhagen"
	"zhagen/throttle"
)

const sessionCookie = "zhagen_session"

type loginData struct {
	Login string
	Next  string
	Error string
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	if h.currentActor(r) != nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.renderLogin(w, r, http.StatusOK, loginData{Next: r.URL.Query().Get("next")})
}

func (h *Handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	if d.Next != "" && localPath(d.Next) != d.Next {
		d.Next = ""
	}
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, status, "login", &page{Title: h.tr(r, "login.title"), Data: d})
}

// login checks the credentials, starts a session and goes to ?next= or /.
// Each client address may try Config.LoginLimit times per period; the
// service adds the per-login backoff. Both answer 429 with Retry-After.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	ip, ua := clientIP(r), r.UserAgent()
	d := loginData{Login: strings.TrimSpace(r.PostFormValue("login")), Next: r.PostFormValue("next")}
	if ok, after := h.cfg.LoginLimit.Allow(throttle.AddrKey(ip)); !ok {
		err := zhagen.TooMany(after, "请求过于频繁，请%s后再试", zhagen.WaitText(after))
		d.Error = h.loginMessage(r, err, "login.err.locked")
		setRetryAfter(w, err)
		h.renderLogin(w, r, http.StatusTooManyRequests, d)
		return
	}
	password := r.PostFormValue("password")
	if d.Login == "" || password == "" {
		d.Error = h.tr(r, "login.err.empty")
		h.renderLogin(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	c := zhagen.NewContextWithIP(r.Context(), ip)
	u, err := h.cfg.Auth.Authenticate(c, zhagen.LoginRequest{Login: d.Login, Password: password, IP: ip, UserAgent: ua})
	switch zhagen.ErrorCode(err) {
	case "":
	case zhagen.EUNAUTHORIZED, zhagen.ENOTFOUND:
		d.Error = h.loginMessage(r, err, "login.err.bad")
		h.renderLogin(w, r, http.StatusUnauthorized, d)
		return
	case zhagen.ETOOMANY:
		d.Error = h.loginMessage(r, err, "login.err.locked")
		setRetryAfter(w, err)
		h.renderLogin(w, r, http.StatusTooManyRequests, d)
		return
	default:
		h.serverError(w, r, err)
		return
	}
	secret, err := h.cfg.Auth.CreateSession(c, u.ID, ip, ua)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r),
	})
	if u.MustChangePassword {
		http.Redirect(w, r, "/account/password", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, localPath(d.Next), http.StatusSeeOther)
}

// loginMessage is the service's Chinese message (it may say how long to
// wait), or the catalogue's message in English.
func (h *Handler) loginMessage(r *http.Request, err error, key string) string {
	if msg := zhagen.ErrorMessage(err); langOf(r) == langZH && msg != "" {
		return msg
	}
	return h.tr(r, key)
}

// logout ends the session and clears its cookie.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := h.cfg.Auth.DeleteSession(r.Context(), c.Value); err != nil && zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			h.log.Warn("web: delete session", "err", err)
		}
	}
	h.clearSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (h *Handler) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
}

// currentActor returns the actor of the session cookie, or nil; it is for
// pages outside requireLogin.
func (h *Handler) currentActor(r *http.Request) *zhagen.Actor {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	a, err := h.cfg.Auth.ActorBySession(r.Context(), c.Value)
	if err != nil {
		return nil
	}
	return a
}

// setRetryAfter sets Retry-After on a 429 from the error's wait.
func setRetryAfter(w http.ResponseWriter, err error) {
	if zhagen.ErrorCode(err) == zhagen.ETOOMANY {
		w.Header().Set("Retry-After", strconv.Itoa(zhagen.RetrySeconds(err)))
	}
}
