package api

import (
	"net/http"
	"strconv"
	"strings"

	"zhagen"
	"zhagen/throttle"
)

// tokenRoutes registers logging out, the caller's tokens and changing
// one's own password.
func (h *Handler) tokenRoutes() {
	h.handle("POST", "/api/v1/logout", h.logout)
	h.handle("GET", "/api/v1/tokens", h.listTokens)
	h.handle("DELETE", "/api/v1/tokens/{id}", h.deleteToken)
	h.handle("POST", "/api/v1/me/password", h.changePassword)
}

type loginInput struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

type loginOutput struct {
	Token     string       `json:"token"`
	ExpiresAt any          `json:"expires_at"`
	User      *zhagen.User `json:"user"`
}

// login exchanges a login and password for a token. Each client address
// may try Config.LoginLimit times per period (429 with Retry-After
// beyond); the service adds the per-login backoff.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) error {
	if ok, after := h.cfg.LoginLimit.Allow(throttle.AddrKey(clientIP(r))); !ok {
		return zhagen.TooMany(after, "请求过于频繁，请%s后再试", zhagen.WaitText(after))
	}
	var in loginInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Login == "" || in.Password == "" {
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "login", Message: "请提供 login 和 password"}
	}
	u, err := h.cfg.Auth.Authenticate(r.Context(), zhagen.LoginRequest{Login: in.Login, Password: in.Password, IP: clientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		return err
	}
	tok, err := h.cfg.Auth.CreateToken(r.Context(), u.ID, "api login", zhagen.LoginTokenTTL)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, loginOutput{Token: tok.Token, ExpiresAt: tok.ExpiresAt, User: u})
}

// bearer is the request's bearer token; handle has checked it.
func bearer(r *http.Request) string {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return strings.TrimSpace(token)
}

// logout revokes the token it is called with.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) error {
	if err := h.cfg.Auth.RevokeToken(r.Context(), bearer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listTokens lists the caller's tokens, or with ?user_id= another user's
// (administrators), without their secrets.
func (h *Handler) listTokens(w http.ResponseWriter, r *http.Request) error {
	userID, err := queryID(r, "user_id")
	if err != nil {
		return err
	}
	if userID == 0 {
		userID = zhagen.ActorFromContext(r.Context()).UserID
	}
	ts, err := h.cfg.Auth.FindTokens(r.Context(), userID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.APIToken]{Items: ts, Total: len(ts)})
}

func (h *Handler) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.cfg.Auth.DeleteToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type passwordInput struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword changes the caller's own password; the token it is
// called with stays valid, every other token and session of the caller
// ends.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in passwordInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.cfg.Auth.ChangePassword(r.Context(), zhagen.PasswordChange{Current: in.CurrentPassword, New: in.NewPassword, Keep: bearer(r)}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// setRetryAfter sets Retry-After on a 429 from the error's wait.
func setRetryAfter(w http.ResponseWriter, err error) {
	if zhagen.ErrorCode(err) == zhagen.ETOOMANY {
		w.Header().Set("Retry-After", strconv.Itoa(zhagen.RetrySeconds(err)))
	}
}
