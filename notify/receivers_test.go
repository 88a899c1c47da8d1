package notify_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhagen"
	"zhagen/catalog"
	"zhagen/notify"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// receiver is a local stand-in for a robot, a webhook endpoint or a mail
// server: it refuses the first failFirst messages, checks each message's
// signature, and records the messages it accepted.
type receiver struct {
	mu        sync.Mutex
	failFirst int
	tries     int
	accepted  []string // titles (or subjects)
	bad       []string // why a message was refused other than by failFirst
}

func (r *receiver) try() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tries++
	return r.tries > r.failFirst
}

func (r *receiver) accept(title string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.accepted = append(r.accepted, title)
}

func (r *receiver) refuse(why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bad = append(r.bad, why)
}

func (r *receiver) snapshot() (tries int, accepted, bad []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tries, append([]string(nil), r.accepted...), append([]string(nil), r.bad...)
}

// robotServer serves a WeCom or DingTalk robot: the markdown message
// format, errcode 0 on success; a DingTalk robot with a secret checks
// the sign and timestamp of the query against the clock.
func robotServer(t *testing.T, r *receiver, kind zhagen.ChannelKind, secret string, clock zhagen.Clock) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var msg struct {
			MsgType  string            `json:"msgtype"`
			Markdown map[string]string `json:"markdown"`
		}
		if err := json.NewDecoder(req.Body).Decode(&msg); err != nil || msg.MsgType != "markdown" {
			r.refuse("not a markdown message")
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if kind == zhagen.ChannelDingTalk {
			ts, err := strconv.ParseInt(req.URL.Query().Get("timestamp"), 10, 64)
			if err != nil || req.URL.Query().Get("sign") != notify.DingTalkSign(secret, ts) {
				r.refuse("bad DingTalk sign")
				fmt.Fprint(w, `{"errcode":310000,"errmsg":"sign not match"}`)
				return
			}
			if d := clock.Now().Sub(time.UnixMilli(ts)); d > time.Hour || d < -time.Hour {
				r.refuse("stale DingTalk timestamp")
				fmt.Fprint(w, `{"errcode":310000,"errmsg":"timestamp"}`)
				return
			}
			if msg.Markdown["title"] == "" {
				r.refuse("DingTalk markdown without title")
			}
		}
		if !r.try() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		text := msg.Markdown["content"] + msg.Markdown["text"]
		r.accept(strings.TrimPrefix(strings.SplitN(text, "**", 3)[1], "**"))
		fmt.Fprint(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// webhookServer checks the HMAC signature and the timestamp as a
// receiver should (notify.VerifyWebhook), and drops a delivery id it
// already took.
func webhookServer(t *testing.T, r *receiver, secret string, clock zhagen.Clock) *httptest.Server {
	seen := map[string]bool{}
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		if err := notify.VerifyWebhook(secret, req.Header, body, clock.Now(), notify.WebhookTolerance); err != nil {
			r.refuse(err.Error())
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if !r.try() {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		mu.Lock()
		dup := seen[req.Header.Get(notify.HeaderDelivery)]
		seen[req.Header.Get(notify.HeaderDelivery)] = true
		mu.Unlock()
		if dup {
			r.refuse("delivery " + req.Header.Get(notify.HeaderDelivery) + " again")
			return
		}
		var msg struct{ Title string }
		json.Unmarshal(body, &msg)
		r.accept(msg.Title)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// smsServer is an SMS gateway: the phone and the token in the query, the
// phone and the text in a JSON body.
func smsServer(t *testing.T, r *receiver, token string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var msg struct{ To, Content string }
		if err := json.NewDecoder(req.Body).Decode(&msg); err != nil || req.URL.Query().Get("token") != token ||
			req.URL.Query().Get("mobile") != "13800138000" || msg.To != "13800138000" {
			r.refuse(fmt.Sprintf("bad request %s %+v %v", req.URL.Query().Get("mobile"), msg, err))
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if !r.try() {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		r.accept(strings.TrimSuffix(msg.Content, " /demands/1"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// smtpServer is a minimal SMTP listener: it answers the commands of one
// plain (no TLS) session at a time, refuses RCPT with 451 while the
// receiver fails, and records each message's subject.
func smtpServer(t *testing.T, r *receiver) (host string, port int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveSMTP(c, r)
		}
	}()
	a := ln.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port
}

func serveSMTP(c net.Conn, r *receiver) {
	defer c.Close()
	br := bufio.NewReader(c)
	say := func(s string) { fmt.Fprint(c, s+"\r\n") }
	say("220 localhost ESMTP test")
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-localhost")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM"), strings.HasPrefix(cmd, "NOOP"), strings.HasPrefix(cmd, "RSET"):
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO"):
			if !r.try() {
				say("451 4.3.0 try again later")
				continue
			}
			say("250 OK")
		case cmd == "DATA":
			say("354 go ahead")
			var data strings.Builder
			for {
				l, err := br.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			m, err := mail.ReadMessage(strings.NewReader(data.String()))
			if err != nil {
				r.refuse("not a message: " + err.Error())
				say("554 bad message")
				continue
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
			if err != nil {
				r.refuse("subject: " + err.Error())
			}
			r.accept(subject)
			say("250 OK queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// channelEnv is a migrated database with a user to tell things to, and
// the drainer and courier that deliver to the channels configured.
type channelEnv struct {
	dsn     string
	db      *sqldb.DB
	clock   *zhagen.FixedClock
	admin   context.Context
	user    int64
	userCtx context.Context
	chans   *sqldb.ChannelService
	outbox  *sqldb.Outbox
	drainer *notify.Drainer
	courier *notify.Courier
}

func newChannelEnv(t *testing.T, e sqldbtest.Engine) *channelEnv {
	t.Helper()
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}
	dsn := e.DSN(t)
	db := openDB(t, dsn, clock)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	sys := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	u := &zhagen.User{Login: "disp", Name: "调度员", Roles: []zhagen.Role{zhagen.RoleDispatcher}, Password: "Zg-Test#4821"}
	if err := sqldb.NewUserService(db).CreateUser(sys, u); err != nil {
		t.Fatal(err)
	}
	cat := catalog.MustLoad()
	env := &channelEnv{dsn: dsn, db: db, clock: clock, admin: sys, user: u.ID, chans: sqldb.NewChannelService(db), outbox: sqldb.NewOutbox(db),
		userCtx: zhagen.NewContextWithActor(context.Background(), &zhagen.Actor{UserID: u.ID, Login: u.Login, Name: u.Name, Roles: u.Roles})}
	env.drainer = notify.New(env.outbox, cat, clock, sqldb.NewInAppSender(db))
	env.courier = notify.NewCourier(env.outbox, env.chans, cat, clock)
	env.courier.Backoff = func(n int) time.Duration { return time.Duration(n) * time.Minute }
	env.courier.Timeout = 5 * time.Second
	return env
}

func openDB(t *testing.T, dsn string, clock zhagen.Clock) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dsn, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (env *channelEnv) notice(t *testing.T, kind, text string, sev zhagen.Severity) {
	t.Helper()
	n := zhagen.Notice{Kind: kind, Severity: sev, To: zhagen.Recipients{Users: []int64{env.user}},
		Title: zhagen.Msg(zhagen.NoticeText, text), Link: "/demands/1"}
	if err := env.outbox.Enqueue(context.Background(), n); err != nil {
		t.Fatal(err)
	}
}

func (env *channelEnv) drain(t *testing.T) {
	t.Helper()
	if _, err := env.drainer.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (env *channelEnv) deliver(t *testing.T) notify.Result {
	t.Helper()
	res, err := env.courier.Deliver(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (env *channelEnv) inApp(t *testing.T) int {
	t.Helper()
	ns, _, err := sqldb.NewNotificationService(env.db).FindNotifications(env.userCtx, false, 200)
	if err != nil {
		t.Fatal(err)
	}
	return len(ns)
}

// TestReceiversFailThenSucceed: for each outside channel — WeCom and
// DingTalk robots, the signed webhook and e-mail over SMTP — a receiver
// that fails three times then succeeds gets the message exactly once,
// after the failures, each try after its backoff on the injected clock,
// with a valid signature; the in-app message is written once, whatever
// the channel does.
func TestReceiversFailThenSucceed(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		for _, kind := range []zhagen.ChannelKind{zhagen.ChannelWeCom, zhagen.ChannelDingTalk, zhagen.ChannelWebhook, zhagen.ChannelEmail, zhagen.ChannelSMS} {
			t.Run(string(kind), func(t *testing.T) {
				env := newChannelEnv(t, e)
				r := &receiver{failFirst: 3}
				secret := "SEC-test-secret-0123456789"
				ch := &zhagen.PushChannel{Name: "测试" + string(kind), Kind: kind, Enabled: true, Secret: secret}
				switch kind {
				case zhagen.ChannelWeCom, zhagen.ChannelDingTalk:
					ch.URL = robotServer(t, r, kind, secret, env.clock).URL + "/robot/send?access_token=tok"
				case zhagen.ChannelWebhook:
					ch.URL = webhookServer(t, r, secret, env.clock).URL + "/hook"
				case zhagen.ChannelEmail:
					ch.SMTPHost, ch.SMTPPort = smtpServer(t, r)
					ch.SMTPTLS, ch.From, ch.Secret = "none", "notice@zhagen.test", ""
				case zhagen.ChannelSMS:
					ch.URL = smsServer(t, r, secret).URL + "/send?mobile={phone}&token={secret}"
					ch.Body = `{"to":"{phone}","content":"{text}"}`
				}
				if err := env.chans.CreateChannel(env.admin, ch); err != nil {
					t.Fatal(err)
				}
				if kind.Personal() {
					addr := "disp@zhagen.test"
					if kind == zhagen.ChannelSMS {
						addr = "13800138000"
					}
					if err := env.chans.SavePushPref(env.userCtx, &zhagen.PushPref{ChannelID: ch.ID, Enabled: true, Address: addr}); err != nil {
						t.Fatal(err)
					}
				}
				env.notice(t, "demand.assigned", "新诉求待签收：#1 用电", zhagen.SeverityInfo)
				env.drain(t)
				for try := 1; try <= 3; try++ {
					if res := env.deliver(t); res.Retried != 1 || res.Sent != 0 {
						t.Fatalf("try %d: %+v", try, res)
					}
					if res := env.deliver(t); res.Retried+res.Sent+res.Dead != 0 {
						t.Fatalf("tried again before the backoff ran out: %+v", res)
					}
					env.clock.Advance(time.Duration(try) * time.Minute)
				}
				if res := env.deliver(t); res.Sent != 1 {
					t.Fatalf("fourth try: %+v", res)
				}
				env.clock.Advance(24 * time.Hour)
				env.drain(t)
				if res := env.deliver(t); res.Sent+res.Retried+res.Dead != 0 {
					t.Fatalf("delivered again: %+v", res)
				}
				tries, accepted, bad := r.snapshot()
				if len(bad) > 0 {
					t.Fatalf("receiver refused: %q", bad)
				}
				if tries != 4 || len(accepted) != 1 || accepted[0] != "新诉求待签收：#1 用电" {
					t.Fatalf("%d tries, accepted %q", tries, accepted)
				}
				if n := env.inApp(t); n != 1 {
					t.Fatalf("%d in-app messages, want 1", n)
				}
				ds, err := env.chans.FindDeliveries(env.admin, zhagen.DeliveryFilter{})
				if err != nil || len(ds) != 1 || ds[0].Status != zhagen.DeliverySent || ds[0].Attempts != 4 {
					t.Fatalf("deliveries %+v %v", ds, err)
				}
			})
		}
	})
}

// TestDeadLetterRetry: a delivery that fails its last try lands on the
// dead-letter list; the administrator's retry sends it once more, a
// second retry of the same is refused.
func TestDeadLetterRetry(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		env := newChannelEnv(t, e)
		env.courier.MaxAttempts = 2
		r := &receiver{failFirst: 2}
		ch := &zhagen.PushChannel{Name: "部门群", Kind: zhagen.ChannelWeCom, Enabled: true,
			URL: robotServer(t, r, zhagen.ChannelWeCom, "", env.clock).URL + "/cgi-bin/webhook/send?key=abc"}
		if err := env.chans.CreateChannel(env.admin, ch); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ch.URL, "key=•••") {
			t.Fatalf("the robot's key shows: %s", ch.URL)
		}
		env.notice(t, "supervision.order", "督办单", zhagen.SeverityWarning)
		env.drain(t)
		env.deliver(t)
		env.clock.Advance(time.Minute)
		if res := env.deliver(t); res.Dead != 1 {
			t.Fatalf("second try %+v", res)
		}
		env.clock.Advance(48 * time.Hour)
		if res := env.deliver(t); res.Sent+res.Retried+res.Dead != 0 {
			t.Fatalf("a dead letter was tried: %+v", res)
		}
		dead, err := env.chans.FindDeliveries(env.admin, zhagen.DeliveryFilter{Status: zhagen.DeliveryDead})
		if err != nil || len(dead) != 1 || !strings.Contains(dead[0].LastError, "503") {
			t.Fatalf("dead letters %+v %v", dead, err)
		}
		if _, err := env.chans.RetryDelivery(env.userCtx, dead[0].ID); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("a dispatcher retried: %v", err)
		}
		if _, err := env.chans.RetryDelivery(env.admin, dead[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := env.chans.RetryDelivery(env.admin, dead[0].ID); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Fatalf("retried twice: %v", err)
		}
		if res := env.deliver(t); res.Sent != 1 {
			t.Fatalf("after the retry %+v", res)
		}
		if _, accepted, _ := r.snapshot(); len(accepted) != 1 || accepted[0] != "督办单" {
			t.Fatalf("accepted %q", accepted)
		}
	})
}

// TestQuietHoursAndDigest: a notice written at 23:00 Beijing time waits
// for 07:30, an urgent one goes at once; a user who prefers a digest gets
// the day's notices in one message at 08:00, urgent ones at once.
func TestQuietHoursAndDigest(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		env := newChannelEnv(t, e)
		hook := &receiver{}
		mail := &receiver{}
		wh := &zhagen.PushChannel{Name: "钩子", Kind: zhagen.ChannelWebhook, Enabled: true, Secret: "hook-secret-0123456789"}
		wh.URL = webhookServer(t, hook, wh.Secret, env.clock).URL
		em := &zhagen.PushChannel{Name: "邮件", Kind: zhagen.ChannelEmail, Enabled: true, SMTPTLS: "none", From: "n@zhagen.test"}
		em.SMTPHost, em.SMTPPort = smtpServer(t, mail)
		for _, c := range []*zhagen.PushChannel{wh, em} {
			if err := env.chans.CreateChannel(env.admin, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := env.chans.SavePushPref(env.userCtx, &zhagen.PushPref{ChannelID: em.ID, Enabled: true, Address: "d@zhagen.test", Digest: true,
			Groups: []zhagen.NoticeGroup{zhagen.GroupDemand, zhagen.GroupSupervision}}); err != nil {
			t.Fatal(err)
		}
		env.clock.T = time.Date(2026, 11, 2, 23, 0, 0, 0, zhagen.Shanghai)
		env.notice(t, "demand.assigned", "夜间普通", zhagen.SeverityInfo)
		env.notice(t, "ladder.red", "夜间红灯", zhagen.SeverityUrgent)
		env.notice(t, "visit.due", "走访提醒", zhagen.SeverityInfo) // not a group the user chose for e-mail
		env.drain(t)
		env.deliver(t)
		if _, acc, _ := hook.snapshot(); len(acc) != 1 || acc[0] != "夜间红灯" {
			t.Fatalf("at 23:00 the webhook got %q", acc)
		}
		if _, acc, _ := mail.snapshot(); len(acc) != 1 || acc[0] == "" {
			t.Fatalf("at 23:00 e-mail got %q, want the urgent one", acc)
		}
		env.clock.T = time.Date(2026, 11, 3, 7, 29, 0, 0, zhagen.Shanghai)
		env.deliver(t)
		if _, acc, _ := hook.snapshot(); len(acc) != 1 {
			t.Fatalf("sent in the quiet hours: %q", acc)
		}
		env.clock.T = time.Date(2026, 11, 3, 7, 30, 0, 0, zhagen.Shanghai)
		env.notice(t, "demand.resolved", "早间普通", zhagen.SeverityInfo)
		env.drain(t)
		env.deliver(t)
		if _, acc, _ := hook.snapshot(); len(acc) != 4 {
			t.Fatalf("after the quiet hours the webhook got %q", acc)
		}
		if _, acc, _ := mail.snapshot(); len(acc) != 1 {
			t.Fatalf("the digest went early: %q", acc)
		}
		env.clock.T = time.Date(2026, 11, 3, 8, 0, 0, 0, zhagen.Shanghai)
		if res := env.deliver(t); res.Sent != 2 {
			t.Fatalf("digest round %+v", res)
		}
		_, acc, _ := mail.snapshot()
		if len(acc) != 2 || !strings.Contains(acc[1], "2") {
			t.Fatalf("e-mails %q, want the urgent one and one digest of 2", acc)
		}
		if res := env.deliver(t); res.Sent != 0 {
			t.Fatalf("digest again: %+v", res)
		}
	})
}

// TestTwoDrainersTwoCouriers: two drainers and two couriers running at
// once on one database (two servers on one PostgreSQL) deliver each
// notice over the channel exactly once, and in-app once.
func TestTwoDrainersTwoCouriers(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		env := newChannelEnv(t, e)
		hook := &receiver{}
		wh := &zhagen.PushChannel{Name: "钩子", Kind: zhagen.ChannelWebhook, Enabled: true, Secret: "hook-secret-0123456789"}
		wh.URL = webhookServer(t, hook, wh.Secret, env.clock).URL
		if err := env.chans.CreateChannel(env.admin, wh); err != nil {
			t.Fatal(err)
		}
		// A second server: its own connections to the same database.
		db2 := openDB(t, env.dsn, env.clock)
		cat := catalog.MustLoad()
		const n = 60
		for i := range n {
			env.notice(t, "demand.assigned", fmt.Sprint("通知", i), zhagen.SeverityInfo)
		}
		drainers := []*notify.Drainer{env.drainer, notify.New(sqldb.NewOutbox(db2), cat, env.clock, sqldb.NewInAppSender(db2))}
		couriers := []*notify.Courier{env.courier, notify.NewCourier(sqldb.NewOutbox(db2), sqldb.NewChannelService(db2), cat, env.clock)}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 2 {
			drainers[i].Batch = 7
			couriers[i].Batch = 5
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					if _, err := drainers[i].Drain(context.Background()); err != nil {
						errs <- err
					}
					if _, err := couriers[i].Deliver(context.Background()); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		// Whatever is left (one courier may have stopped short) goes now.
		for _, c := range couriers {
			if _, err := c.Deliver(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		_, acc, bad := hook.snapshot()
		if len(bad) > 0 {
			t.Fatalf("refused: %q", bad)
		}
		seen := map[string]int{}
		for _, a := range acc {
			seen[a]++
		}
		if len(acc) != n || len(seen) != n {
			t.Fatalf("%d messages, %d distinct, want %d", len(acc), len(seen), n)
		}
		if got := env.inApp(t); got != n {
			t.Fatalf("%d in-app messages, want %d", got, n)
		}
	})
}
