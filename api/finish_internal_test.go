package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFinish: a handler's error is answered with the error body and
// logged at ERROR; not when the client has hung up (DEBUG, nothing
// written), and never after the response began (no second header, no
// error body inside the answer).
func TestFinish(t *testing.T) {
	failure := errors.New("connection reset by peer")
	for _, c := range []struct {
		name      string
		cancelled bool
		started   bool
		status    int
		logged    string // the level logged, "" for nothing at INFO and above
		body      string // in the response
	}{
		{"plain error", false, false, http.StatusInternalServerError, "ERROR", "内部错误"},
		{"client gone", true, false, http.StatusOK, "", ""}, // recorder default: nothing written
		{"client gone mid-answer", true, true, http.StatusOK, "", "partial"},
		{"failed mid-answer", false, true, http.StatusOK, "ERROR", "partial"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := httptest.NewRequest(http.MethodGet, "/api/v1/demands?format=csv", nil).WithContext(ctx)
			rec := httptest.NewRecorder()
			w := &startedWriter{ResponseWriter: rec}
			if c.started {
				w.WriteHeader(http.StatusOK)
				w.Write([]byte("partial"))
			}
			if c.cancelled {
				cancel()
			}
			finish(w, r, log, failure)
			if rec.Code != c.status {
				t.Errorf("status %d, want %d", rec.Code, c.status)
			}
			if c.body == "" && rec.Body.Len() > 0 || !strings.Contains(rec.Body.String(), c.body) {
				t.Errorf("body %q, want %q", rec.Body.String(), c.body)
			}
			if c.started && strings.Contains(rec.Body.String(), "error") {
				t.Errorf("an error body inside the begun answer: %q", rec.Body.String())
			}
			got := ""
			if strings.Contains(logs.String(), "level=ERROR") {
				got = "ERROR"
			}
			if got != c.logged {
				t.Errorf("logged %q, want %q", logs.String(), c.logged)
			}
		})
	}
}
