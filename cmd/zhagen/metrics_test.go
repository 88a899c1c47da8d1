package main

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestMetricsAndReadiness serves /metrics only to this host or the token
// holder, reports the store's demands by status and its SLA breaches as
// the demand list counts them, labels routes with bounded cardinality,
// and /readyz turns 503 once the server drains.
func TestMetricsAndReadiness(t *testing.T) { sqldbtest.Run(t, testMetricsAndReadiness) }

func testMetricsAndReadiness(t *testing.T, eng sqldbtest.Engine) {
	z := sqldbtest.NewZone(t, eng)
	app, err := newApp(z.DB, z.Clock, "")
	if err != nil {
		t.Fatal(err)
	}
	app.MetricsToken = "metrics-secret-token"
	h, err := app.Handler(quietLog(), false)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, remote string, hdr map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.RemoteAddr = remote
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	// Traffic to count: two demand pages with different ids, one unknown path.
	get("/api/v1/demands/1", "192.0.2.7:4000", nil)
	get("/api/v1/demands/2", "192.0.2.7:4000", nil)
	get("/no/such/page/x1", "192.0.2.7:4000", nil)

	if w := get("/metrics", "192.0.2.7:4000", nil); w.Code != http.StatusForbidden {
		t.Fatalf("/metrics from elsewhere: %d", w.Code)
	}
	if w := get("/metrics", "127.0.0.1:4000", map[string]string{"X-Forwarded-For": "198.51.100.1"}); w.Code != http.StatusForbidden {
		t.Fatalf("/metrics through a proxy without the token: %d", w.Code)
	}
	if w := get("/metrics", "192.0.2.7:4000", map[string]string{"Authorization": "Bearer wrong"}); w.Code != http.StatusForbidden {
		t.Fatalf("/metrics with a wrong token: %d", w.Code)
	}
	w := get("/metrics", "192.0.2.7:4000", map[string]string{"Authorization": "Bearer metrics-secret-token"})
	if w.Code != http.StatusOK {
		t.Fatalf("/metrics with the token: %d", w.Code)
	}
	series := parseMetrics(t, w.Body.String())

	all, total, err := z.Demands.FindDemands(z.Sys, zhagen.DemandFilter{Limit: 10000})
	if err != nil || total == 0 {
		t.Fatalf("demands: %d %v", total, err)
	}
	byStatus, overdue := map[string]float64{}, 0.0
	now := z.Clock.Now()
	for _, d := range all {
		byStatus[string(d.Status)]++
		if d.Status.Open() && d.ResolutionDue != nil && d.ResolutionDue.Before(now) {
			overdue++
		}
	}
	for st, n := range byStatus {
		if got := series[`zhagen_demands{status="`+st+`"}`]; got != n {
			t.Errorf("zhagen_demands{status=%q} = %v, want %v", st, got, n)
		}
	}
	if got := series["zhagen_demands_overdue"]; got != overdue {
		t.Errorf("overdue = %v, want %v", got, overdue)
	}
	if series["zhagen_store_up"] != 1 || series["zhagen_schema_version"] != float64(z.DB.LatestVersion()) {
		t.Errorf("store_up %v schema %v", series["zhagen_store_up"], series["zhagen_schema_version"])
	}
	if _, ok := series[`zhagen_outbox_entries{state="pending"}`]; !ok {
		t.Error("no outbox depth")
	}
	if got := series[`zhagen_http_requests_total{code="401",method="GET",route="/api/v1/demands/{id}"}`]; got != 2 {
		t.Errorf("requests to /api/v1/demands/{id}: %v\n%s", got, w.Body.String())
	}
	for k := range series {
		if strings.Contains(k, "/no/such") || strings.Contains(k, "demands/1") {
			t.Errorf("a raw path became a label: %s", k)
		}
	}
	if w := get("/metrics", "127.0.0.1:4000", nil); w.Code != http.StatusOK {
		t.Fatalf("/metrics from this host: %d", w.Code)
	}

	if w := get("/readyz", "192.0.2.7:4000", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "ready") {
		t.Fatalf("/readyz: %d %s", w.Code, w.Body.String())
	}
	app.draining.Store(true)
	if w := get("/readyz", "192.0.2.7:4000", nil); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz while draining: %d", w.Code)
	}
	if w := get("/healthz", "192.0.2.7:4000", nil); w.Code != http.StatusOK {
		t.Fatalf("/healthz while draining: %d (the process is alive)", w.Code)
	}
}

// parseMetrics reads the text exposition format into series → value.
func parseMetrics(t *testing.T, body string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}
