package main

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/throttle"
)

// promMetrics holds one server's Prometheus registry: requests and their
// latency by route, the Go runtime and process, and the store's figures
// (demands by status, SLA breaches, outbox depth) read at scrape time.
type promMetrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	token    string
}

func newMetrics(db *sqldb.DB, token string) *promMetrics {
	m := &promMetrics{reg: prometheus.NewRegistry(), token: token}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhagen_http_requests_total", Help: "HTTP requests by route, method and status code.",
	}, []string{"route", "method", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "zhagen_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{db: db, ttl: 10 * time.Second})
	return m
}

// instrument counts and times every request under its route label.
func (m *promMetrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := routeLabel(r)
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
		m.latency.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
	})
}

// serve answers GET /metrics ahead of everything else (before the
// trusted-proxy rewrite, so the peer is the real one) and passes every
// other request to next. It serves the machine itself (a Prometheus agent
// on the host) or a caller with the bearer token; a request that came
// through a proxy needs the token.
func (m *promMetrics) serve(next http.Handler) http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			next.ServeHTTP(w, r)
			return
		}
		switch {
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		case !m.allowed(r):
			http.Error(w, "forbidden", http.StatusForbidden)
		default:
			h.ServeHTTP(w, r)
		}
	})
}

func (m *promMetrics) allowed(r *http.Request) bool {
	if m.token != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(got), []byte(m.token)) == 1 {
			return true
		}
	}
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
		return false
	}
	ip := net.ParseIP(throttle.ClientIP(r))
	return ip != nil && ip.IsLoopback()
}

// routeLabel is the pattern of the route that answered ("/demands/{id}"),
// as web, api and open311 tell the request's trace, or the top-level
// route (/healthz). A path no route matched is "unmatched", so random
// paths cannot grow the series.
func routeLabel(r *http.Request) string {
	p := r.Pattern
	if t := zhagen.TraceFrom(r.Context()); t != nil && t.Route != "" {
		p = t.Route
	}
	if _, path, ok := strings.Cut(p, " "); ok {
		p = path
	}
	if p == "" || p == "/" && r.URL.Path != "/" {
		return "unmatched"
	}
	return p
}

// storeCollector reports the store's figures, read at most once per ttl
// so that frequent scrapes cost the database little.
type storeCollector struct {
	db  *sqldb.DB
	ttl time.Duration

	mu   sync.Mutex
	at   time.Time
	last sqldb.OpsStats
	err  error
}

var (
	descDemands    = prometheus.NewDesc("zhagen_demands", "Demands by status.", []string{"status"}, nil)
	descOverdue    = prometheus.NewDesc("zhagen_demands_overdue", "Open demands past their resolution due time (SLA breaches).", nil, nil)
	descOutbox     = prometheus.NewDesc("zhagen_outbox_entries", "Notice outbox entries by state (pending is the depth).", []string{"state"}, nil)
	descDeliveries = prometheus.NewDesc("zhagen_deliveries", "Outside-channel deliveries by state.", []string{"state"}, nil)
	descSchema     = prometheus.NewDesc("zhagen_schema_version", "Schema version recorded in the database.", nil, nil)
	descLag        = prometheus.NewDesc("zhagen_replica_lag_seconds", "Age of the last transaction the read replica replayed (only with a replica).", nil, nil)
	descStoreUp    = prometheus.NewDesc("zhagen_store_up", "1 when the store's figures could be read.", nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descDemands, descOverdue, descOutbox, descDeliveries, descSchema, descLag, descStoreUp} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	s, err := c.read()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, 1)
	for st, n := range s.DemandsByStatus {
		ch <- prometheus.MustNewConstMetric(descDemands, prometheus.GaugeValue, float64(n), st)
	}
	ch <- prometheus.MustNewConstMetric(descOverdue, prometheus.GaugeValue, float64(s.Overdue))
	ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(s.OutboxPending), "pending")
	ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(s.OutboxDead), "dead")
	ch <- prometheus.MustNewConstMetric(descDeliveries, prometheus.GaugeValue, float64(s.DeliveriesPending), "pending")
	ch <- prometheus.MustNewConstMetric(descDeliveries, prometheus.GaugeValue, float64(s.DeliveriesDead), "dead")
	ch <- prometheus.MustNewConstMetric(descSchema, prometheus.GaugeValue, float64(s.SchemaVersion))
	if c.db.HasReplica() {
		ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, s.ReplicaLag)
	}
}

func (c *storeCollector) read() (sqldb.OpsStats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < c.ttl {
		return c.last, c.err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.last, c.err = c.db.OpsStats(ctx)
	c.at = time.Now()
	return c.last, c.err
}
