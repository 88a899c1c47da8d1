package main

import (
	"io"
	"log/slog"
	"testing"
)

// TestPprofLoopbackOnly: the profiles are offered on a loopback address
// only.
func TestPprofLoopbackOnly(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	stop := make(chan struct{})
	defer close(stop)
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:6060", "example.com:6060"} {
		if err := servePprof(addr, log, stop); err == nil {
			t.Errorf("pprof on %s accepted, want refused", addr)
		}
	}
	if err := servePprof("127.0.0.1:0", log, stop); err != nil {
		t.Errorf("pprof on 127.0.0.1: %v", err)
	}
}
