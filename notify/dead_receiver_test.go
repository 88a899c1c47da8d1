package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
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

// hangingServer never answers: each request signals contacted (when
// nobody waits, it is dropped) and holds until the test ends.
func hangingServer(tb testing.TB) (*httptest.Server, <-chan struct{}) {
	contacted := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case contacted <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	tb.Cleanup(srv.Close)
	tb.Cleanup(func() { close(release) }) // runs first
	return srv, contacted
}

// background runs a drainer and a courier as the server does (woken by
// commits and by fan-outs) until the test ends.
func background(tb testing.TB, db *sqldb.DB, clock zhagen.Clock) {
	cat := catalog.MustLoad()
	d := notify.New(sqldb.NewOutbox(db), cat, clock, sqldb.NewInAppSender(db))
	d.Settle = time.Millisecond
	d.Fanned = make(chan struct{}, 1)
	c := notify.NewCourier(sqldb.NewOutbox(db), sqldb.NewChannelService(db), cat, clock)
	c.Timeout = time.Minute // a receiver that hangs holds the courier long
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); d.Run(ctx, db.OutboxWake(), time.Hour) }()
	go func() { defer wg.Done(); c.Run(ctx, d.Fanned, time.Hour) }()
	tb.Cleanup(func() { cancel(); wg.Wait() })
}

func publicUpdate(z *sqldbtest.Zone, note string) error {
	pub := true
	_, err := z.Demands.Transition(z.As("staff"), z.IDs["demand:A"], zhagen.Transition{Action: zhagen.ActUpdate, Note: note, Public: &pub})
	return err
}

// TestDeadReceiverDoesNotHoldTransitions: with a webhook that never
// answers, a demand's transition returns while the courier's request to
// the receiver hangs, and its in-app message is delivered meanwhile.
func TestDeadReceiverDoesNotHoldTransitions(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		srv, contacted := hangingServer(t)
		ch := &zhagen.PushChannel{Name: "不应答的钩子", Kind: zhagen.ChannelWebhook, Enabled: true, URL: srv.URL, Secret: "dead-secret-0123456789"}
		if err := sqldb.NewChannelService(z.DB).CreateChannel(z.Sys, ch); err != nil {
			t.Fatal(err)
		}
		background(t, z.DB, z.Clock)
		if err := publicUpdate(z, "第一次进展"); err != nil {
			t.Fatal(err)
		}
		select {
		case <-contacted: // the courier's request now hangs
		case <-time.After(time.Minute):
			t.Fatal("the courier never contacted the receiver")
		}
		// The receiver holds the courier's request: a transition now
		// returns all the same, and its in-app message is delivered.
		if err := publicUpdate(z, "第二次进展"); err != nil {
			t.Fatal(err)
		}
		select {
		case <-contacted:
			t.Fatal("the receiver was contacted again while it hung")
		default:
		}
		sqldbtest.Drain(t, z.DB, z.Clock)
		ns, _, err := z.Notifications.FindNotifications(z.As("ent"), false, 50)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range ns {
			if strings.Contains(n.Body, "进展") {
				got = append(got, n.Body)
			}
		}
		if len(got) != 2 {
			t.Fatalf("in-app progress messages %q, want both", got)
		}
	})
}

// BenchmarkTransitionReceiver measures a demand transition that tells the
// enterprise (a public progress note), with the drainer and the courier
// running beside it, without outside channels ("none") and with a webhook
// that never answers ("dead"). The two should be equal within noise:
//
//	go test ./notify -run '^$' -bench TransitionReceiver -benchtime 200x
func BenchmarkTransitionReceiver(b *testing.B) {
	for _, dead := range []bool{false, true} {
		name := "none"
		if dead {
			name = "dead"
		}
		b.Run(name, func(b *testing.B) {
			z := sqldbtest.NewZone(b, sqldbtest.Engines()[0])
			if dead {
				srv, _ := hangingServer(b)
				ch := &zhagen.PushChannel{Name: "不应答的钩子", Kind: zhagen.ChannelWebhook, Enabled: true, URL: srv.URL, Secret: "dead-secret-0123456789"}
				if err := sqldb.NewChannelService(z.DB).CreateChannel(z.Sys, ch); err != nil {
					b.Fatal(err)
				}
			}
			background(b, z.DB, z.Clock)
			b.ResetTimer()
			for i := range b.N {
				if err := publicUpdate(z, fmt.Sprint("进展", i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
