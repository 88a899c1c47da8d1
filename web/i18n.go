package web

import (
	"net/http"
	"net/url"

	"zhagen/catalog"
)

// Languages of the UI, as the catalogue names them. Simplified Chinese is
// the default.
const (
	langZH = catalog.ZH
	langEN = catalog.EN
)

const langCookie = "lang"

// langOf returns the language chosen with the lang cookie.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == langEN {
		return langEN
	}
	return langZH
}

// tr translates key into the request's language, filling the message's
// fmt verbs with args. The words live in the catalogue's files
// (catalog/locales/*.toml); a missing key shows as itself.
func (h *Handler) tr(r *http.Request, key string, args ...any) string {
	return h.cat.Sprintf(langOf(r), key, args...)
}

// setLang is GET /lang?l=en|zh: it stores the choice in a cookie for a
// year and goes back to the page the link was on.
func (h *Handler) setLang(w http.ResponseWriter, r *http.Request) {
	l := r.URL.Query().Get("l")
	if l != langEN {
		l = langZH
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
	back := "/"
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "/lang" {
		back = localPath(ref.RequestURI())
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
