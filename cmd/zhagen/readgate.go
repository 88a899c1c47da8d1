package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"zhagen/throttle"
)

// Reads (GET and HEAD) go through a gate of a few slots, first come
// first served, and hold their slot until the response starts: the
// handler's work (session, queries, rendering) runs at most slots at a
// time, and a slow client receiving its response holds none.
//
// Without it, under more concurrent readers than cores, every request
// runs at once: the Go scheduler, the database's backends and the
// kernel share the cores among all of them, and database/sql hands a
// freed connection to a random waiter. Each request then takes as long
// on average, but the unlucky ones much longer. The staff's list under
// wrk (16 connections, a million demands, two cores): on PostgreSQL a
// p99 of 43–52 ms ungated, 18–28 ms with three or four slots; on SQLite
// 52 ms ungated, 17 ms with four slots and 14 ms with three, at 2,700–
// 2,800 requests a second. One slot more than cores keeps them busy
// while a request waits on the database.
// Writes are not gated: demand filings wait for a group commit, which
// needs many of them in flight to batch (gated to four, creates halved).
const (
	readQueue   = 4096             // readers waiting beyond it are refused
	readMaxWait = 30 * time.Second // and so is one waiting longer
)

// defaultReadSlots is "auto": one more than the cores Go runs on.
func defaultReadSlots() int { return runtime.GOMAXPROCS(0) + 1 }

// parseReadSlots reads --read-slots: "auto", 0 (no gate) or 1–1024.
func parseReadSlots(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "auto" {
		return defaultReadSlots(), nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1024 {
		return 0, fmt.Errorf("--read-slots: %q 不是 auto 或 0 到 1024 之间的整数", s)
	}
	return n, nil
}

// readGate is the gate of slots reads (nil when slots is 0: no bound).
func readGate(slots int) *throttle.Gate {
	if slots <= 0 {
		return nil
	}
	return throttle.NewGate(slots, readQueue, readMaxWait)
}

// gateReads passes GET and HEAD requests to next through g (all of them
// at once when g is nil), except the paths in open (health checks answer
// however busy the server is). A reader refused by the gate gets 503.
func gateReads(g *throttle.Gate, open []string, next http.Handler) http.Handler {
	if g == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || slices.Contains(open, r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		release, err := g.Acquire(r.Context())
		if err != nil {
			if errors.Is(err, throttle.ErrBusy) {
				w.Header().Set("Retry-After", "1")
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, "服务器繁忙，请稍后重试 (server busy, retry shortly)\n")
			}
			return // the client went away while waiting
		}
		gw := &gatedWriter{ResponseWriter: w, release: release}
		defer gw.done()
		next.ServeHTTP(gw, r)
	})
}

// gatedWriter gives its slot back when the response starts, or when the
// handler returns without writing.
type gatedWriter struct {
	http.ResponseWriter
	release func()
	once    sync.Once
}

func (w *gatedWriter) done() { w.once.Do(w.release) }

func (w *gatedWriter) WriteHeader(status int) {
	w.done()
	w.ResponseWriter.WriteHeader(status)
}

func (w *gatedWriter) Write(b []byte) (int, error) {
	w.done()
	return w.ResponseWriter.Write(b)
}

func (w *gatedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
