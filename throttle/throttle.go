// Package throttle bounds the work anonymous clients can make the server
// do: a Gate caps how many expensive computations (password hashing) run
// at once and how many wait, a Limiter caps the requests one client
// address may make per period, and Proxies finds a request's real client
// address and scheme behind trusted reverse proxies.
//
// It is a leaf package: the standard library only.
package throttle

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrBusy is returned by Gate.Acquire when every slot is taken and the
// queue is full, or the wait ran out.
var ErrBusy = errors.New("throttle: busy")

// Gate is a semaphore with a short queue. At most Slots holders run at
// once; at most Queue more wait, each for at most MaxWait; the rest are
// refused at once. The zero value is not usable: use NewGate.
type Gate struct {
	slots   chan struct{}
	queue   chan struct{}
	maxWait time.Duration
}

// NewGate returns a gate of n slots (at least 1) and a queue of q waiters
// who wait at most maxWait each.
func NewGate(n, q int, maxWait time.Duration) *Gate {
	n = max(n, 1)
	q = max(q, 0)
	return &Gate{slots: make(chan struct{}, n), queue: make(chan struct{}, q), maxWait: maxWait}
}

// Acquire takes a slot, waiting in the queue when all are taken. It
// returns ErrBusy when the queue is full or the wait ran out, ctx.Err()
// when ctx ends first. Call release exactly once when done.
func (g *Gate) Acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	select {
	case g.queue <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	defer func() { <-g.queue }()
	t := time.NewTimer(g.maxWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Running returns how many holders run now.
func (g *Gate) Running() int { return len(g.slots) }

// Rate is N events per Per: a bucket of N tokens, refilled evenly over Per.
type Rate struct {
	N   int
	Per time.Duration
}

// ParseRate reads "N/DURATION", e.g. "20/1m" or "5/10m". "0" or "" turns
// the limit off (N = 0).
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" || s == "off" {
		return Rate{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	if !ok {
		return Rate{}, errors.New("rate must look like N/DURATION, e.g. 20/1m")
	}
	var r Rate
	var err error
	if r.N, err = strconv.Atoi(strings.TrimSpace(n)); err != nil || r.N < 0 || r.N > 1_000_000 {
		return Rate{}, errors.New("rate: N must be a whole number up to 1000000")
	}
	per = strings.TrimSpace(per)
	if per == "" || per[0] < '0' || per[0] > '9' {
		per = "1" + per // "20/m" means 20 per 1m
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return Rate{}, errors.New("rate: bad duration " + per)
	}
	r.Per = d
	return r, nil
}

func (r Rate) String() string {
	if r.N <= 0 || r.Per <= 0 {
		return "off"
	}
	per := r.Per.String()
	switch {
	case r.Per%time.Hour == 0:
		per = strconv.FormatInt(int64(r.Per/time.Hour), 10) + "h"
	case r.Per%time.Minute == 0:
		per = strconv.FormatInt(int64(r.Per/time.Minute), 10) + "m"
	}
	return strconv.Itoa(r.N) + "/" + per
}

// Limiter is a token bucket per key (a client address), with a bound on
// the number of keys it remembers. It is safe for concurrent use.
type Limiter struct {
	rate    Rate
	now     func() time.Time
	maxKeys int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// DefaultMaxKeys bounds the addresses a Limiter remembers.
const DefaultMaxKeys = 65536

// NewLimiter returns a limiter of rate per key. now tells the time (nil:
// time.Now); a rate with N = 0 allows everything.
func NewLimiter(rate Rate, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{rate: rate, now: now, maxKeys: DefaultMaxKeys, buckets: map[string]*bucket{}}
}

// Rate returns the limiter's rate.
func (l *Limiter) Rate() Rate { return l.rate }

// Allow takes a token of key's bucket. When the bucket is empty it
// returns false and how long until the next token.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	if l == nil || l.rate.N <= 0 || l.rate.Per <= 0 {
		return true, 0
	}
	now := l.now()
	perToken := l.rate.Per / time.Duration(l.rate.N)
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.maxKeys {
			l.evict(now)
		}
		b = &bucket{tokens: float64(l.rate.N), at: now}
		l.buckets[key] = b
	} else if el := now.Sub(b.at); el > 0 {
		b.tokens = min(float64(l.rate.N), b.tokens+float64(el)/float64(perToken))
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(perToken))
	return false, max(wait, time.Millisecond)
}

// evict drops the buckets that have refilled (they hold nothing a new
// bucket would not), and when that frees nothing, an arbitrary half.
func (l *Limiter) evict(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.at) >= l.rate.Per {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < l.maxKeys {
		return
	}
	n := len(l.buckets) / 2
	for k := range l.buckets {
		if n == 0 {
			break
		}
		delete(l.buckets, k)
		n--
	}
}

// Len returns how many keys the limiter remembers.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// AddrKey is the key of a client address: the address itself for IPv4,
// its /64 network for IPv6 (one host usually holds a whole /64), the
// text as given when it is not an address.
func AddrKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
