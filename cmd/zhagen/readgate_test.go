package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhagen/throttle"
)

// TestGateReads holds a gate of one slot with a read that has not
// started its response: a write and a health check pass by it, a second
// read waits, and gets in as soon as the first response starts, while
// its handler still runs.
func TestGateReads(t *testing.T) {
	started, finishA := make(chan struct{}), make(chan struct{})
	writeA := make(chan struct{})
	var bIn atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("GET /a", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-writeA
		w.WriteHeader(http.StatusOK)
		http.NewResponseController(w).Flush()
		<-finishA // still running, its slot given back
	})
	mux.HandleFunc("GET /b", func(w http.ResponseWriter, r *http.Request) { bIn.Store(true); io.WriteString(w, "b") })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.HandleFunc("POST /w", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "w") })
	srv := httptest.NewServer(gateReads(readGate(1), []string{"/healthz"}, mux))
	var finish, write sync.Once
	defer srv.Close()
	defer write.Do(func() { close(writeA) }) // before Close waits for the handlers
	defer finish.Do(func() { close(finishA) })

	aDone := make(chan error, 1)
	go func() {
		resp, err := http.Get(srv.URL + "/a")
		if err == nil {
			resp.Body.Close()
		}
		aDone <- err
	}()
	<-started
	bDone := make(chan string, 1)
	go func() {
		resp, err := http.Get(srv.URL + "/b")
		if err != nil {
			bDone <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		bDone <- string(body)
	}()
	for _, c := range []struct{ method, path, want string }{{"POST", "/w", "w"}, {"GET", "/healthz", "ok"}} {
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(must(http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(""))))
		if err != nil {
			t.Fatalf("%s %s while the slot is held: %v", c.method, c.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != c.want {
			t.Errorf("%s %s while the slot is held = %q, want %q", c.method, c.path, body, c.want)
		}
	}
	if bIn.Load() {
		t.Fatal("a second read ran while the only slot was held")
	}
	write.Do(func() { close(writeA) })
	select {
	case got := <-bDone:
		if got != "b" {
			t.Errorf("second read = %q", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second read still waits after the first response started")
	}
	finish.Do(func() { close(finishA) })
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestGateReadsBusy: a read that finds the slot taken and no room to
// wait gets 503 with Retry-After, at once; with no gate, it runs.
func TestGateReadsBusy(t *testing.T) {
	hold, in := make(chan struct{}), make(chan struct{}, 1)
	defer close(hold)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hold" {
			in <- struct{}{}
			<-hold
		}
		io.WriteString(w, "ran")
	})
	g := gateReads(throttle.NewGate(1, 0, time.Second), nil, h)
	go g.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/hold", nil))
	<-in
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, httptest.NewRequest("GET", "/y", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" || !strings.Contains(rec.Body.String(), "服务器繁忙") {
		t.Errorf("read past a full gate = %d %q %q, want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
	}
	rec = httptest.NewRecorder()
	gateReads(readGate(0), nil, h).ServeHTTP(rec, httptest.NewRequest("GET", "/y", nil))
	if rec.Body.String() != "ran" {
		t.Errorf("read with no gate = %q", rec.Body.String())
	}
}

func TestParseReadSlots(t *testing.T) {
	if n, err := parseReadSlots("auto"); err != nil || n != defaultReadSlots() || n < 2 {
		t.Errorf("auto = %d, %v", n, err)
	}
	if n, err := parseReadSlots("0"); err != nil || n != 0 {
		t.Errorf("0 = %d, %v", n, err)
	}
	for _, bad := range []string{"-1", "x", "2000", "1.5"} {
		if _, err := parseReadSlots(bad); err == nil || !strings.Contains(err.Error(), "--read-slots") {
			t.Errorf("parseReadSlots(%q) = %v, want an error naming --read-slots", bad, err)
		}
	}
}
