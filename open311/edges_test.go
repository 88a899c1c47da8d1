package open311

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhagen"
)

// Boundary tests of the handler's own rules, on the fuzzer's fakes: the
// mutants of these lines lived before (scripts/mutation.sh open311).

// brokenDemands answers every read with a store failure.
type brokenDemands struct{ fuzzDemands }

func (brokenDemands) FindDemandByID(context.Context, int64) (*zhagen.Demand, error) {
	return nil, errors.New("store down")
}

func edgeHandler(cfg Config) *Handler {
	if cfg.Demands == nil {
		cfg.Demands = &fuzzDemands{}
	}
	cfg.Categories, cfg.Intake = fuzzCategories{}, fuzzIntake{}
	cfg.Clock = &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}
	return New(cfg)
}

func serve(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, Prefix+path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestConfigLoggerAndContact: the logger and contact a deployment gives
// are used (the defaults only fill what is missing); an internal error is
// logged, a client's error and a written answer are not.
func TestConfigLoggerAndContact(t *testing.T) {
	var log bytes.Buffer
	h := edgeHandler(Config{Logger: slog.New(slog.NewTextHandler(&log, nil)), Contact: "区数据局 0591-0000"})
	w := serve(h, http.MethodGet, "discovery.json", "")
	var disc struct{ Contact string }
	if err := json.Unmarshal(w.Body.Bytes(), &disc); err != nil || disc.Contact != "区数据局 0591-0000" {
		t.Errorf("discovery contact %q (%v)", disc.Contact, err)
	}
	if w := serve(h, http.MethodGet, "requests/5.json?api_key=k", ""); w.Code != http.StatusNotFound {
		t.Fatalf("unknown request: %d", w.Code)
	}
	if log.Len() != 0 {
		t.Errorf("a 404 and a discovery were logged:\n%s", log.String())
	}

	h = edgeHandler(Config{Demands: &brokenDemands{}, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	w = serve(h, http.MethodGet, "requests/5.json?api_key=k", "")
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "store down") {
		t.Errorf("store failure: %d %s", w.Code, w.Body)
	}
	if got := log.String(); !strings.Contains(got, "open311 internal error") || !strings.Contains(got, "store down") ||
		strings.Contains(got, "write error") || strings.Contains(got, "api_key") {
		t.Errorf("store failure log:\n%s", got)
	}

	// Without a logger the handler still answers an internal error.
	def := edgeHandler(Config{Demands: &brokenDemands{}})
	if w := serve(def, http.MethodGet, "requests/5.json?api_key=k", ""); w.Code != http.StatusInternalServerError {
		t.Errorf("store failure without a logger: %d", w.Code)
	}
	if w := serve(def, http.MethodGet, "discovery.json", ""); !strings.Contains(w.Body.String(), "zhagen administrators") {
		t.Errorf("default contact missing: %s", w.Body)
	}
}

// TestBodyExactlyAtLimit: a body of exactly 1 MiB is read; one byte more
// is 413, whether it says its length or not.
func TestBodyExactlyAtLimit(t *testing.T) {
	h := edgeHandler(Config{})
	head := "api_key=k&service_code=power&description=" + url.QueryEscape("需要双回路") + "&attribute[capacity]=800&pad="
	at := head + strings.Repeat("a", maxBody-len(head))
	w := serve(h, http.MethodPost, "requests.json", at)
	if w.Code == http.StatusRequestEntityTooLarge {
		t.Errorf("a body of exactly %d bytes: %d %s", maxBody, w.Code, w.Body)
	}
	over := at + "a"
	if w := serve(h, http.MethodPost, "requests.json", over); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body of %d bytes: %d", len(over), w.Code)
	}
	r := httptest.NewRequest(http.MethodPost, Prefix+"requests.json", io.MultiReader(strings.NewReader(over)))
	r.ContentLength = -1 // unknown length: read up to the limit
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body of unknown length over the limit: %d", rec.Code)
	}
}

// TestMethodNotAllowedSaysWhatIs: 405 lists the methods the resource has.
func TestMethodNotAllowedSaysWhatIs(t *testing.T) {
	h := edgeHandler(Config{})
	for path, allow := range map[string]string{"discovery.json": "GET, HEAD", "requests.json": "GET, HEAD, POST"} {
		w := serve(h, http.MethodPut, path, "")
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != allow {
			t.Errorf("PUT %s: %d Allow %q, want 405 %q", path, w.Code, w.Header().Get("Allow"), allow)
		}
	}
}
