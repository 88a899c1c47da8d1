package main

import (
	"crypto/sha256"
	"net/http"
	"sync"
	"time"

	"zhagen/sqldb"
)

// freshWindow is how long after a write its author's reads stay on the
// primary, well above the lag of a streaming replica on a healthy
// network (milliseconds).
const freshWindow = 10 * time.Second

// readRouting sends the reads of GET and HEAD requests to the read
// replica, when there is one, unless the caller (its session cookie or
// bearer token) wrote within freshWindow: a user who has just written
// reads their own write from the primary. The proxy keeps each caller on
// one server (deploy/nginx.conf hashes the same cookie and header), so
// the memory of recent writers can stay in the process.
func (a *App) readRouting(next http.Handler) http.Handler {
	if !a.DB.HasReplica() {
		return next
	}
	if a.fresh == nil {
		a.fresh = &freshWriters{last: map[[32]byte]time.Time{}, now: time.Now}
	}
	f := a.fresh
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, known := callerKey(r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if !known { // an anonymous post (a login) has nothing to read back under this key
				next.ServeHTTP(w, r)
				return
			}
			f.wrote(key)
			next.ServeHTTP(w, r)
			f.wrote(key) // the window runs from the end of the write
			return
		}
		if !f.recent(key) {
			r = r.WithContext(sqldb.ReadFromReplica(r.Context()))
		}
		next.ServeHTTP(w, r)
	})
}

// callerKey identifies who sends a request, by a digest of its session
// cookie and Authorization header (never kept in the clear); known is
// false for a caller with neither.
func callerKey(r *http.Request) (k [32]byte, known bool) {
	h := sha256.New()
	if c, err := r.Cookie("zhagen_session"); err == nil {
		h.Write([]byte(c.Value))
		known = true
	}
	h.Write([]byte{0})
	if a := r.Header.Get("Authorization"); a != "" {
		h.Write([]byte(a))
		known = true
	}
	h.Sum(k[:0])
	return k, known
}

// freshWriters remembers when each caller last wrote.
type freshWriters struct {
	mu   sync.Mutex
	last map[[32]byte]time.Time
	now  func() time.Time
}

func (f *freshWriters) wrote(k [32]byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if len(f.last) > 10000 { // forget the callers whose window has passed
		for key, t := range f.last {
			if now.Sub(t) > freshWindow {
				delete(f.last, key)
			}
		}
	}
	f.last[k] = now
}

func (f *freshWriters) recent(k [32]byte) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.last[k]
	return ok && f.now().Sub(t) <= freshWindow
}
