package notify_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"zhagen/notify"
)

// FuzzVerifyWebhook: whatever headers and body a receiver gets, the check
// never panics and accepts exactly a body signed with the secret at a
// timestamp within the tolerance.
func FuzzVerifyWebhook(f *testing.F) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f.Add("1793610000", "sha256=00", []byte(`{"id":1}`))
	f.Add(strconv.FormatInt(now.Unix(), 10), "", []byte(""))
	f.Add("-1", "sha256=", []byte("\x00"))
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set(notify.HeaderTimestamp, ts)
		h.Set(notify.HeaderSignature, sig)
		err := notify.VerifyWebhook("secret-0123456789", h, body, now, notify.WebhookTolerance)
		if err == nil && sig != notify.WebhookSignature("secret-0123456789", h.Get(notify.HeaderTimestamp), body) {
			t.Fatalf("accepted a wrong signature %q", sig)
		}
		h.Set(notify.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
		h.Set(notify.HeaderSignature, notify.WebhookSignature("secret-0123456789", h.Get(notify.HeaderTimestamp), body))
		if err := notify.VerifyWebhook("secret-0123456789", h, body, now, notify.WebhookTolerance); err != nil {
			t.Fatalf("refused a good signature: %v", err)
		}
		if err := notify.VerifyWebhook("secret-0123456789", h, body, now.Add(6*time.Minute), notify.WebhookTolerance); err == nil {
			t.Fatal("accepted a stale timestamp")
		}
	})
}
