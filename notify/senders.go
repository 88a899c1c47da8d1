package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"zhagen"
)

// message is what a courier sends over a channel: one notice, or a
// day's digest of several, to the channel's group or to one address.
type message struct {
	ID       int64 // the delivery (the first of a digest): the receiver's idempotency key
	Kind     string
	Severity zhagen.Severity
	Title    string
	Body     string
	Link     string // absolute when the courier knows the site's address
	To       string // the address of a personal channel
	At       time.Time
	Test     bool
}

// Webhook headers. A receiver checks a delivery like this (VerifyWebhook
// does it): read the raw body; take X-Zhagen-Timestamp (Unix seconds) and
// refuse it when it is more than five minutes from the receiver's clock
// (a replayed request is stale); compute HMAC-SHA256 over the timestamp,
// a ".", and the raw body, keyed with the channel's secret; compare its
// hex digest, in constant time, with X-Zhagen-Signature after "sha256=";
// and keep X-Zhagen-Delivery (the delivery's id) for a while to drop a
// retried delivery it already took.
const (
	HeaderTimestamp = "X-Zhagen-Timestamp"
	HeaderSignature = "X-Zhagen-Signature"
	HeaderDelivery  = "X-Zhagen-Delivery"
	// WebhookTolerance is how far a timestamp may be from the
	// receiver's clock.
	WebhookTolerance = 5 * time.Minute
)

// WebhookSignature is the value of X-Zhagen-Signature for a body sent at
// timestamp (Unix seconds, as in X-Zhagen-Timestamp).
func WebhookSignature(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook is the receiver's check of a webhook delivery: the
// signature over timestamp and body, and a timestamp within tolerance of
// now (replay-safe).
func VerifyWebhook(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	ts := h.Get(HeaderTimestamp)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("webhook: missing or bad timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhook: stale timestamp")
	}
	if !hmac.Equal([]byte(h.Get(HeaderSignature)), []byte(WebhookSignature(secret, ts, body))) {
		return errors.New("webhook: bad signature")
	}
	return nil
}

// DingTalkSign is DingTalk's robot signature of a timestamp (Unix
// milliseconds): base64 of HMAC-SHA256 over timestamp + "\n" + secret,
// keyed with the secret. The request carries it URL-escaped as sign,
// beside timestamp, in the query.
func DingTalkSign(secret string, timestampMillis int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d\n%s", timestampMillis, secret)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// markdown is the notice as the robots' markdown.
func (m message) markdown() string {
	var b strings.Builder
	b.WriteString("**" + m.Title + "**")
	if m.Body != "" {
		b.WriteString("\n\n" + m.Body)
	}
	if m.Link != "" {
		b.WriteString("\n\n[查看详情](" + m.Link + ")")
	}
	return b.String()
}

// plain is the notice as plain text (e-mail, SMS).
func (m message) plain() string {
	s := m.Title
	if m.Body != "" {
		s += "\n" + m.Body
	}
	if m.Link != "" {
		s += "\n" + m.Link
	}
	return s
}

// send sends m over ch; the error says what went wrong without the
// channel's secret.
func (c *Courier) send(ctx context.Context, ch *zhagen.PushChannel, m message) error {
	switch ch.Kind {
	case zhagen.ChannelWeCom:
		// https://developer.work.weixin.qq.com/document/path/91770
		body, _ := json.Marshal(map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": m.markdown()}})
		return c.robot(ctx, ch.URL, body)
	case zhagen.ChannelDingTalk:
		// https://open.dingtalk.com/document/robots/custom-robot-access
		body, _ := json.Marshal(map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": m.Title, "text": m.markdown()}})
		u := ch.URL
		if ch.Secret != "" {
			ts := c.now().UnixMilli()
			sep := "?"
			if strings.Contains(u, "?") {
				sep = "&"
			}
			u += sep + "timestamp=" + strconv.FormatInt(ts, 10) + "&sign=" + url.QueryEscape(DingTalkSign(ch.Secret, ts))
		}
		return c.robot(ctx, u, body)
	case zhagen.ChannelWebhook:
		body, _ := json.Marshal(map[string]any{"id": m.ID, "kind": m.Kind, "severity": m.Severity, "title": m.Title, "body": m.Body,
			"link": m.Link, "created_at": m.At.UTC().Format(time.RFC3339), "test": m.Test})
		ts := strconv.FormatInt(c.now().Unix(), 10)
		return c.post(ctx, ch.URL, "application/json", body, map[string]string{
			HeaderTimestamp: ts, HeaderSignature: WebhookSignature(ch.Secret, ts, body), HeaderDelivery: strconv.FormatInt(m.ID, 10)}, nil)
	case zhagen.ChannelSMS:
		return c.sms(ctx, ch, m)
	case zhagen.ChannelEmail:
		return c.email(ctx, ch, m)
	}
	return fmt.Errorf("unknown channel kind %q", ch.Kind)
}

// robot posts to a WeCom or DingTalk robot, which answer 200 with an
// errcode that is 0 on success.
func (c *Courier) robot(ctx context.Context, u string, body []byte) error {
	var ans struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := c.post(ctx, u, "application/json", body, nil, &ans); err != nil {
		return err
	}
	if ans.ErrCode != 0 {
		return fmt.Errorf("robot refused: errcode %d %s", ans.ErrCode, ans.ErrMsg)
	}
	return nil
}

// post sends body and wants a 2xx answer, decoded into ans when not nil.
// Errors name the host, not the address (a robot's key is in its query).
func (c *Courier) post(ctx context.Context, u, contentType string, body []byte, headers map[string]string, ans any) error {
	method := http.MethodPost
	if body == nil {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return errors.New("bad channel address")
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("User-Agent", "zhagen-notify/1")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.client().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the address
		}
		return fmt.Errorf("%s: %w", req.URL.Host, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %s", req.URL.Host, resp.Status)
	}
	if ans != nil {
		if err := json.Unmarshal(b, ans); err != nil {
			return fmt.Errorf("%s answered no JSON", req.URL.Host)
		}
	}
	return nil
}

// sms sends m through the gateway: URL and body templates with {phone}
// and {text} (URL-escaped in the address, JSON-escaped in the body);
// {secret} stands for the gateway's token.
func (c *Courier) sms(ctx context.Context, ch *zhagen.PushChannel, m message) error {
	text := m.Title
	if m.Link != "" {
		text += " " + m.Link
	}
	jsonStr := func(s string) string { b, _ := json.Marshal(s); return string(b[1 : len(b)-1]) }
	u := strings.NewReplacer("{phone}", url.QueryEscape(m.To), "{text}", url.QueryEscape(text), "{secret}", url.QueryEscape(ch.Secret)).Replace(ch.URL)
	var body []byte
	if ch.Body != "" {
		body = []byte(strings.NewReplacer("{phone}", jsonStr(m.To), "{text}", jsonStr(text), "{secret}", jsonStr(ch.Secret)).Replace(ch.Body))
	}
	return c.post(ctx, u, "application/json", body, nil, nil)
}

// email sends m over SMTP with go-mail.
func (c *Courier) email(ctx context.Context, ch *zhagen.PushChannel, m message) error {
	msg := mail.NewMsg()
	if err := msg.From(ch.From); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(m.Title)
	msg.SetBodyString(mail.TypeTextPlain, m.plain())
	msg.SetGenHeader("X-Zhagen-Delivery", strconv.FormatInt(m.ID, 10))
	opts := []mail.Option{mail.WithPort(ch.SMTPPort), mail.WithTimeout(c.timeout())}
	switch ch.SMTPTLS {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if ch.SMTPUser != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(ch.SMTPUser), mail.WithPassword(ch.Secret))
	}
	cl, err := mail.NewClient(ch.SMTPHost, opts...)
	if err != nil {
		return err
	}
	return cl.DialAndSendWithContext(ctx, msg)
}
