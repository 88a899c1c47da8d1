package web

import (
	"net/http"

	"zhagen"
)

type passwordData struct {
	Errors map[string]string
	Error  string
}

// passwordForm is GET /account/password: changing one's own password.
func (h *Handler) passwordForm(w http.ResponseWriter, r *http.Request) {
	h.renderPassword(w, r, http.StatusOK, &passwordData{})
}

func (h *Handler) renderPassword(w http.ResponseWriter, r *http.Request, status int, d *passwordData) {
	h.render(w, r, status, "account_password", &page{Title: h.tr(r, "account.password.title"), Data: d})
}

// passwordChange is POST /account/password. The current session stays;
// every other session and token of the user ends.
func (h *Handler) passwordChange(w http.ResponseWriter, r *http.Request) {
	d := &passwordData{}
	next := r.PostFormValue("new_password")
	if next != r.PostFormValue("new_password2") {
		d.Errors = map[string]string{"new_password2": h.tr(r, "account.err.password2")}
		h.renderPassword(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	var keep string
	if c, err := r.Cookie(sessionCookie); err == nil {
		keep = c.Value
	}
	err := h.cfg.Auth.ChangePassword(ctx(r), zhagen.PasswordChange{Current: r.PostFormValue("current_password"), New: next, Keep: keep})
	if err == nil && actor(r).MustChangePassword {
		h.redirectFlash(w, r, "/", "account.flash.changed_first")
		return
	}
	if err == nil {
		h.redirectFlash(w, r, "/account/password", "account.flash.changed")
		return
	}
	if zhagen.ErrorCode(err) == zhagen.ETOOMANY {
		d.Error = zhagen.ErrorMessage(err)
		setRetryAfter(w, err)
		h.renderPassword(w, r, http.StatusTooManyRequests, d)
		return
	}
	if status, ok := formFailure(err, &d.Errors, &d.Error); ok {
		h.renderPassword(w, r, status, d)
		return
	}
	h.fail(w, r, err)
}
