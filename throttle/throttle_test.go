package throttle

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestGateBoundsHoldersAndQueue(t *testing.T) {
	g := NewGate(2, 1, time.Hour)
	r1, err := g.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r2, err := g.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if g.Running() != 2 {
		t.Fatalf("running %d", g.Running())
	}
	// The third waits in the queue; the fourth finds the queue full.
	got := make(chan error, 1)
	go func() {
		rel, err := g.Acquire(context.Background())
		if err == nil {
			rel()
		}
		got <- err
	}()
	waitFor(t, func() bool { return len(g.queue) == 1 })
	if _, err := g.Acquire(context.Background()); !errors.Is(err, ErrBusy) {
		t.Fatalf("fourth acquire = %v, want ErrBusy", err)
	}
	r1()
	if err := <-got; err != nil {
		t.Fatalf("queued acquire = %v", err)
	}
	r2()
	if g.Running() != 0 {
		t.Fatalf("running %d after release", g.Running())
	}
	// A waiter whose context ends leaves the queue.
	r1, _ = g.Acquire(context.Background())
	r2, _ = g.Acquire(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled acquire = %v", err)
	}
	if len(g.queue) != 0 {
		t.Fatal("the cancelled waiter stayed in the queue")
	}
	// A waiter whose wait runs out is refused.
	short := NewGate(1, 1, time.Millisecond)
	rel, _ := short.Acquire(context.Background())
	if _, err := short.Acquire(context.Background()); !errors.Is(err, ErrBusy) {
		t.Fatalf("timed-out acquire = %v", err)
	}
	rel()
	r1()
	r2()
}

func TestGateUnderLoad(t *testing.T) {
	// 64 arrive at a gate of 3 with a queue of 5: 3 run, 5 wait, 56 are
	// refused at once. The holders keep their slots until every refusal
	// is in, so the count is exact.
	g := NewGate(3, 5, time.Hour)
	var running, peak, refused, done atomic.Int32
	hold := make(chan struct{})
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rel, err := g.Acquire(context.Background())
			if err != nil {
				if refused.Add(1) == 64-3-5 {
					close(hold)
				}
				return
			}
			n := running.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			<-hold
			running.Add(-1)
			done.Add(1)
			rel()
		}()
	}
	wg.Wait()
	if peak.Load() > 3 {
		t.Fatalf("%d ran at once through a gate of 3", peak.Load())
	}
	if refused.Load() != 56 || done.Load() != 8 {
		t.Fatalf("refused %d, ran %d; want 56 and 8", refused.Load(), done.Load())
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 1_000_000; i++ {
		if cond() {
			return
		}
		runtime.Gosched()
	}
	t.Fatal("condition never held")
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l := NewLimiter(Rate{N: 3, Per: time.Minute}, func() time.Time { return now })
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("10.0.0.1"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, after := l.Allow("10.0.0.1")
	if ok || after != 20*time.Second {
		t.Fatalf("fourth: ok=%v retry after %v, want refused for 20s", ok, after)
	}
	if ok, _ := l.Allow("10.0.0.2"); !ok {
		t.Fatal("another address shares the bucket")
	}
	now = now.Add(19 * time.Second)
	if ok, after := l.Allow("10.0.0.1"); ok || after != time.Second {
		t.Fatalf("after 19s: ok=%v after=%v", ok, after)
	}
	now = now.Add(time.Second)
	if ok, _ := l.Allow("10.0.0.1"); !ok {
		t.Fatal("a token refilled after 20s was refused")
	}
	// Off: everything passes.
	if ok, _ := NewLimiter(Rate{}, nil).Allow("x"); !ok {
		t.Fatal("a limiter without a rate refused")
	}
	var nilLimiter *Limiter
	if ok, _ := nilLimiter.Allow("x"); !ok {
		t.Fatal("a nil limiter refused")
	}
}

func TestLimiterRemembersBoundedKeys(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l := NewLimiter(Rate{N: 1, Per: time.Hour}, func() time.Time { return now })
	l.maxKeys = 100
	for i := 0; i < 1000; i++ {
		l.Allow("10.1." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256))
	}
	if n := l.Len(); n > 100 {
		t.Fatalf("limiter remembers %d keys, bound 100", n)
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]Rate{
		"20/1m": {20, time.Minute}, "5/10m": {5, 10 * time.Minute}, "60/m": {60, time.Minute}, "3/1h": {3, time.Hour},
		"": {}, "0": {}, "off": {},
	} {
		got, err := ParseRate(in)
		if err != nil || got != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"20", "x/1m", "20/x", "-1/1m", "20/-1m"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) accepted", bad)
		}
	}
	if s := (Rate{20, time.Minute}).String(); s != "20/1m" {
		t.Errorf("String = %q", s)
	}
}

func TestAddrKey(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.1": "10.0.0.1", "::ffff:10.0.0.1": "10.0.0.1",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64", "2001:db8:1:2::9": "2001:db8:1:2::/64",
		"garbage": "garbage",
	} {
		if got := AddrKey(in); got != want {
			t.Errorf("AddrKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProxiesMiddleware(t *testing.T) {
	p, err := ParseProxies("10.0.0.0/8, 192.168.1.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseProxies("10.0.0.0/8,nonsense"); err == nil {
		t.Fatal("a bad proxy list was accepted")
	}
	var gotIP string
	var gotHTTPS bool
	var gotXFF string
	h := p.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotIP, gotHTTPS, gotXFF = ClientIP(r), HTTPS(r), r.Header.Get("X-Forwarded-For")
	}))
	cases := []struct {
		name, peer, xff, proto string
		tls                    bool
		ip                     string
		https                  bool
	}{
		{"direct client", "203.0.113.5:4000", "", "", false, "203.0.113.5", false},
		{"direct client lies", "203.0.113.5:4000", "1.2.3.4", "https", false, "203.0.113.5", false},
		{"direct TLS", "203.0.113.5:4000", "", "", true, "203.0.113.5", true},
		{"through proxy", "10.1.2.3:5000", "198.51.100.7", "https", false, "198.51.100.7", true},
		{"through proxy, plain", "10.1.2.3:5000", "198.51.100.7", "http", false, "198.51.100.7", false},
		{"client spoofs a hop", "10.1.2.3:5000", "1.2.3.4, 198.51.100.7", "", false, "198.51.100.7", false},
		{"two proxies", "192.168.1.1:5000", "198.51.100.7, 10.9.9.9", "https", false, "198.51.100.7", true},
		{"garbage hop", "10.1.2.3:5000", "198.51.100.7, unknown", "", false, "198.51.100.7", false},
		{"proxy without header", "10.1.2.3:5000", "", "", false, "10.1.2.3", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if gotIP != c.ip || gotHTTPS != c.https {
			t.Errorf("%s: client %s https %v, want %s %v", c.name, gotIP, gotHTTPS, c.ip, c.https)
		}
		if !p.Trusted(hostOf(c.peer)) && gotXFF != "" {
			t.Errorf("%s: an untrusted peer's X-Forwarded-For reached the handler", c.name)
		}
	}
	// Trusting nobody: the headers are ignored.
	none, _ := ParseProxies("")
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.2.3:5000"
	r.Header.Set("X-Forwarded-For", "1.2.3.4")
	r.Header.Set("X-Forwarded-Proto", "https")
	none.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotIP, gotHTTPS = ClientIP(r), HTTPS(r)
	})).ServeHTTP(httptest.NewRecorder(), r)
	if gotIP != "10.1.2.3" || gotHTTPS {
		t.Errorf("no trusted proxy: client %s https %v", gotIP, gotHTTPS)
	}
}
