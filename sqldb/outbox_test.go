package sqldb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"zhagen"
	"zhagen/catalog"
	"zhagen/notify"
)

// outboxEngines opens a migrated SQLite database, and a PostgreSQL one
// when ZHAGEN_TEST_POSTGRES is set, and runs f on each. (sqldbtest, which
// the other tests use, imports this package, so these tests open their
// databases themselves.)
func outboxEngines(t *testing.T, f func(t *testing.T, db *DB, clock *zhagen.FixedClock)) {
	dsns := map[string]string{"sqlite": ""}
	if pg := os.Getenv("ZHAGEN_TEST_POSTGRES"); pg != "" {
		dsns["postgres"] = pg
	}
	for _, name := range []string{"sqlite", "postgres"} {
		pg, ok := dsns[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "zhagen.db")
			if pg != "" {
				var drop func()
				var err error
				if dsn, drop, err = TempSchema(pg, "t_"); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(drop)
			}
			clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}
			db, err := Open(context.Background(), dsn, clock)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			f(t, db, clock)
		})
	}
}

// outboxUser creates a user to tell things to.
func outboxUser(t *testing.T, db *DB, login string) int64 {
	t.Helper()
	sys := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	u := &zhagen.User{Login: login, Name: login, Roles: []zhagen.Role{zhagen.RoleDispatcher}, Password: "Zg-Test#4821"}
	if err := NewUserService(db).CreateUser(sys, u); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func testNotice(user int64, text string) zhagen.Notice {
	return zhagen.Notice{Kind: "test", Severity: zhagen.SeverityInfo, To: zhagen.Recipients{Users: []int64{user}},
		Title: zhagen.Msg("notice.match", text), Body: zhagen.Msg(zhagen.NoticeText, text), Link: "/"}
}

// enqueueCommitted writes notices in a transaction of their own.
func enqueueCommitted(t *testing.T, db *DB, ns ...zhagen.Notice) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := tx.enqueue(ctx, ns...); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// recorder is a sender that records what it is handed and fails while
// fail says so.
type recorder struct {
	mu    sync.Mutex
	got   map[int64]int // deliveries per outbox entry
	texts []string
	fail  func(d zhagen.Delivery) error
}

func (r *recorder) Send(ctx context.Context, d zhagen.Delivery) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(d); err != nil {
			return err
		}
	}
	if r.got == nil {
		r.got = map[int64]int{}
	}
	r.got[d.NoticeID]++
	r.texts = append(r.texts, d.Title+"|"+d.Body)
	return nil
}

func messages(t *testing.T, db *DB, user int64) []string {
	t.Helper()
	rows, err := db.sql.Query(db.dialect.rebind(`SELECT title FROM notifications WHERE user_id = ? ORDER BY id`), user)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestOutboxRollback: a notice written in a transaction that rolls back
// is never delivered; a committed one is, once, rendered from the
// catalogue, and its commit wakes the drainers.
func TestOutboxRollback(t *testing.T) {
	outboxEngines(t, func(t *testing.T, db *DB, clock *zhagen.FixedClock) {
		ctx := context.Background()
		u := outboxUser(t, db, "disp")
		select { // creating the user told nobody
		case <-db.OutboxWake():
			t.Fatal("woken without notices")
		default:
		}
		tx, err := db.begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.enqueue(ctx, testNotice(u, "回滚")); err != nil {
			t.Fatal(err)
		}
		tx.Rollback()
		select {
		case <-db.OutboxWake():
			t.Fatal("a rolled back transaction woke the drainers")
		default:
		}
		enqueueCommitted(t, db, testNotice(u, "提交"))
		select {
		case <-db.OutboxWake():
		default:
			t.Fatal("the commit did not wake the drainers")
		}
		rec := &recorder{}
		d := notify.New(NewOutbox(db), catalog.MustLoad(), clock, rec, NewInAppSender(db))
		res, err := d.Drain(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != 1 || len(rec.texts) != 1 || rec.texts[0] != "提交匹配结果|提交" {
			t.Fatalf("drain %+v delivered %q", res, rec.texts)
		}
		if got := messages(t, db, u); len(got) != 1 || got[0] != "提交匹配结果" {
			t.Fatalf("in-app messages %q", got)
		}
		if res, _ := d.Drain(ctx); res.Sent != 0 {
			t.Fatalf("delivered again: %+v", res)
		}
	})
}

// TestOutboxRetryDeadLetter: a failing sender's notice is retried after a
// growing backoff (by the injected clock) and moves to the dead-letter
// list after MaxAttempts failures; a notice whose sender recovers is
// delivered, and the in-app sender, which succeeded every time, still
// wrote its message once.
func TestOutboxRetryDeadLetter(t *testing.T) {
	outboxEngines(t, func(t *testing.T, db *DB, clock *zhagen.FixedClock) {
		ctx := context.Background()
		u := outboxUser(t, db, "disp")
		enqueueCommitted(t, db, testNotice(u, "总失败"), testNotice(u, "后恢复"))
		attempts := map[string]int{}
		rec := &recorder{fail: func(d zhagen.Delivery) error {
			attempts[d.Body]++
			if d.Body == "总失败" || attempts[d.Body] <= 2 {
				return errors.New("robot unreachable")
			}
			return nil
		}}
		d := notify.New(NewOutbox(db), catalog.MustLoad(), clock, NewInAppSender(db), rec)
		d.MaxAttempts = 4
		d.Backoff = func(n int) time.Duration { return time.Duration(n) * time.Minute }
		drain := func() notify.Result {
			t.Helper()
			res, err := d.Drain(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		if res := drain(); res.Retried != 2 || res.Sent != 0 {
			t.Fatalf("first round %+v", res)
		}
		if res := drain(); res.Retried+res.Sent+res.Dead != 0 {
			t.Fatalf("retried before the backoff ran out: %+v", res)
		}
		clock.Advance(59 * time.Second)
		if res := drain(); res.Retried+res.Sent+res.Dead != 0 {
			t.Fatalf("retried before the backoff ran out: %+v", res)
		}
		clock.Advance(time.Second) // 1 minute after the first failure
		if res := drain(); res.Retried != 2 {
			t.Fatalf("second round %+v", res)
		}
		clock.Advance(2 * time.Minute)
		if res := drain(); res.Retried != 1 || res.Sent != 1 {
			t.Fatalf("third round %+v", res)
		}
		clock.Advance(3 * time.Minute)
		if res := drain(); res.Dead != 1 {
			t.Fatalf("fourth round %+v", res)
		}
		clock.Advance(24 * time.Hour)
		if res := drain(); res.Retried+res.Sent+res.Dead != 0 {
			t.Fatalf("a dead notice was tried again: %+v", res)
		}
		if attempts["总失败"] != 4 || attempts["后恢复"] != 3 {
			t.Fatalf("attempts %v", attempts)
		}
		counts, err := NewOutbox(db).OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[zhagen.OutboxDead] != 1 || counts[zhagen.OutboxSent] != 1 || counts[zhagen.OutboxPending] != 0 {
			t.Fatalf("outbox %v", counts)
		}
		var lastErr string
		var tries int
		if err := db.sql.QueryRow(`SELECT last_error, attempts FROM outbox WHERE status = 'dead'`).Scan(&lastErr, &tries); err != nil || lastErr != "robot unreachable" || tries != 4 {
			t.Fatalf("dead letter: %q after %d attempts (%v)", lastErr, tries, err)
		}
		if got := messages(t, db, u); len(got) != 2 {
			t.Fatalf("in-app messages %q, want one per notice", got)
		}
	})
}

// TestOutboxConcurrentDrainers: drainers running at once (as several
// servers on one PostgreSQL do) never hand one notice to a sender twice.
func TestOutboxConcurrentDrainers(t *testing.T) {
	outboxEngines(t, func(t *testing.T, db *DB, clock *zhagen.FixedClock) {
		ctx := context.Background()
		u := outboxUser(t, db, "disp")
		const n = 300
		var ns []zhagen.Notice
		for i := range n {
			ns = append(ns, testNotice(u, fmt.Sprint(i)))
		}
		enqueueCommitted(t, db, ns...)
		rec := &recorder{}
		cat := catalog.MustLoad()
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := notify.New(NewOutbox(db), cat, clock, rec, NewInAppSender(db))
				d.Batch = 7
				if _, err := d.Drain(ctx); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(rec.got) != n {
			t.Fatalf("%d of %d notices delivered", len(rec.got), n)
		}
		for id, k := range rec.got {
			if k != 1 {
				t.Fatalf("notice %d delivered %d times", id, k)
			}
		}
		if got := messages(t, db, u); len(got) != n {
			t.Fatalf("%d in-app messages, want %d", len(got), n)
		}
	})
}

// TestOutboxInStoreDrainers: drainers whose only sender is the in-app
// one claim nothing; running at once, with a claiming drainer beside
// them, they still leave exactly one message per notice and every entry
// sent.
func TestOutboxInStoreDrainers(t *testing.T) {
	outboxEngines(t, func(t *testing.T, db *DB, clock *zhagen.FixedClock) {
		ctx := context.Background()
		u := outboxUser(t, db, "disp")
		const n = 300
		var ns []zhagen.Notice
		for i := range n {
			ns = append(ns, testNotice(u, fmt.Sprint(i)))
		}
		enqueueCommitted(t, db, ns...)
		cat := catalog.MustLoad()
		rec := &recorder{}
		var wg sync.WaitGroup
		errs := make(chan error, 5)
		for i := range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := notify.New(NewOutbox(db), cat, clock, NewInAppSender(db))
				if i == 4 {
					d = notify.New(NewOutbox(db), cat, clock, rec, NewInAppSender(db)) // claims
				}
				d.Batch = 7
				if _, err := d.Drain(ctx); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		got := messages(t, db, u)
		seen := map[string]bool{}
		for _, m := range got {
			if seen[m] {
				t.Fatalf("message %q twice", m)
			}
			seen[m] = true
		}
		if len(got) != n {
			t.Fatalf("%d in-app messages, want %d", len(got), n)
		}
		counts, err := NewOutbox(db).OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[zhagen.OutboxSent] != n || counts[zhagen.OutboxPending] != 0 {
			t.Fatalf("outbox after the drains: %v", counts)
		}
		if res, err := notify.New(NewOutbox(db), cat, clock, NewInAppSender(db)).Drain(ctx); err != nil || res.Sent != 0 {
			t.Fatalf("a drain after everything was sent: %+v %v", res, err)
		}
	})
}
