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
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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

// TestDecodeBoundaries: every limit of the decoding, exactly at it and
// one past it.
func TestDecodeBoundaries(t *testing.T) {
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	maxDesc := strings.Repeat("诉", zhagen.MaxDemandDescription)
	if d, err := demandFromForm(form("description", maxDesc), testCategory); err != nil || d.Description != maxDesc {
		t.Errorf("a description of exactly %d characters: %v", zhagen.MaxDemandDescription, err)
	}
	if _, err := demandFromForm(form("description", maxDesc+"诉"), testCategory); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
		t.Errorf("a description one character too long: %v", err)
	}

	// Only the questions answered are in the answers.
	if d, err := demandFromForm(form("description", "用电", "attribute[capacity]", "800"), testCategory); err != nil ||
		len(d.Answers) != 1 || len(d.Answers["capacity"]) != 1 {
		t.Errorf("answers %v (%v), want capacity only", d.Answers, err)
	}

	// media_url: up to 10 links of up to 1,000 bytes each; they are noted
	// under the description while it stays within its limit.
	link := "https://example.org/" + strings.Repeat("p", 1000-len("https://example.org/"))
	links := form("description", "照片见附件")
	for range maxMediaURLs {
		links.Add("media_url", link)
	}
	if _, err := demandFromForm(links, testCategory); err != nil {
		t.Errorf("%d media_url of 1,000 bytes: %v", maxMediaURLs, err)
	}
	links.Add("media_url", link)
	if _, err := demandFromForm(links, testCategory); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
		t.Errorf("%d media_url accepted: %v", maxMediaURLs+1, err)
	}
	if err := checkMediaURL(link + "p"); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
		t.Errorf("a media_url of 1,001 bytes accepted: %v", err)
	}
	note := "\n\n附件 (media_url)：" + link
	fits := strings.Repeat("诉", zhagen.MaxDemandDescription-utf8.RuneCountInString(note))
	if d, err := demandFromForm(form("description", fits, "media_url", link), testCategory); err != nil || d.Description != fits+note {
		t.Errorf("the media note that exactly fits is not added: %v", err)
	}
	if d, err := demandFromForm(form("description", fits+"诉", "media_url", link), testCategory); err != nil || d.Description != fits+"诉" {
		t.Errorf("the media note that does not fit is added: %v", err)
	}

	// A derived title keeps 30 characters; a name 50.
	if got := deriveTitle(strings.Repeat("题", titleRunes), "", ""); got != strings.Repeat("题", titleRunes) {
		t.Errorf("a title of exactly %d characters became %q", titleRunes, got)
	}
	if got := deriveTitle(strings.Repeat("题", titleRunes+1), "", ""); got != strings.Repeat("题", titleRunes)+"…" {
		t.Errorf("a title of %d characters became %q", titleRunes+1, got)
	}
	name := strings.Repeat("名", 50)
	if got := truncate(name, 50); got != name {
		t.Errorf("a name of exactly 50 characters became %q", got)
	}
	if got := truncate(name+"名", 50); got != name {
		t.Errorf("a name of 51 characters became %q", got)
	}

	// service_request_id: at most 100 positive ids.
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)
	ids := make([]string, maxIDs)
	for i := range ids {
		ids[i] = strconv.Itoa(i + 1)
	}
	if lq, err := parseListQuery(url.Values{"service_request_id": {strings.Join(ids, ",")}}, now); err != nil || len(lq.ids) != maxIDs {
		t.Errorf("%d ids: %d, %v", maxIDs, len(lq.ids), err)
	}
	if _, err := parseListQuery(url.Values{"service_request_id": {strings.Join(ids, ",") + ",101"}}, now); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
		t.Errorf("%d ids accepted: %v", maxIDs+1, err)
	}
	if lq, err := parseListQuery(url.Values{"service_request_id": {"1"}}, now); err != nil || len(lq.ids) != 1 || lq.ids[0] != 1 {
		t.Errorf("id 1: %v %v", lq.ids, err)
	}
	if _, err := parseListQuery(url.Values{"service_request_id": {"0"}}, now); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
		t.Errorf("id 0 accepted: %v", err)
	}

	// The date window: exactly 90 days and an empty one pass, a second
	// more or an end before the start does not.
	start := "2026-08-01T00:00:00+08:00"
	at := time.Date(2026, 8, 1, 0, 0, 0, 0, zhagen.Shanghai).Add(maxWindow)
	for end, ok := range map[string]bool{
		at.Format(time.RFC3339): true, start: true,
		at.Add(time.Second).Format(time.RFC3339): false, "2026-07-31T23:59:59+08:00": false,
	} {
		lq, err := parseListQuery(url.Values{"start_date": {start}, "end_date": {end}}, now)
		if ok && (err != nil || !lq.to.Equal(mustTime(t, end))) {
			t.Errorf("start %s end %s refused: %v", start, end, err)
		}
		if !ok && zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
			t.Errorf("start %s end %s accepted", start, end)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// pagedDemands serves n demands page by page as the store does (Offset,
// Limit, total), the newest first, and counts the calls. Demands 2k-1
// and 2k share their creation time.
type pagedDemands struct {
	fuzzDemands
	all   []*zhagen.Demand
	calls int
}

func newPagedDemands(n int) *pagedDemands {
	p := &pagedDemands{}
	base := time.Date(2026, 10, 1, 9, 0, 0, 0, zhagen.Shanghai)
	for id := n; id >= 1; id-- {
		p.all = append(p.all, &zhagen.Demand{ID: int64(id), Title: "诉求", Status: zhagen.DemandInProgress,
			CreatedAt: base.Add(time.Duration((id+1)/2) * time.Minute)})
	}
	return p
}

func (p *pagedDemands) FindDemands(_ context.Context, f zhagen.DemandFilter) ([]*zhagen.Demand, int, error) {
	p.calls++
	lo, hi := min(f.Offset, len(p.all)), min(f.Offset+f.Limit, len(p.all))
	return p.all[lo:hi], len(p.all), nil
}

// TestFindWindowPages: a window is read in pages of pageSize until the
// store has no more, never past maxResults, and answered newest first
// (by id when two were filed at the same moment).
func TestFindWindowPages(t *testing.T) {
	lq := listQuery{from: time.Date(2026, 9, 1, 0, 0, 0, 0, zhagen.Shanghai), to: time.Date(2026, 11, 1, 0, 0, 0, 0, zhagen.Shanghai)}
	for _, c := range []struct{ n, want, calls int }{
		{pageSize - 1, pageSize - 1, 1},
		{pageSize, pageSize, 1}, // a full last page: the total says it was the last
		{2*pageSize + 1, 2*pageSize + 1, 3},
		{maxResults, maxResults, maxResults / pageSize},
		{maxResults + pageSize, maxResults, maxResults / pageSize}, // no page past maxResults
	} {
		store := newPagedDemands(c.n)
		h := edgeHandler(Config{Demands: store})
		got, err := h.findWindow(context.Background(), lq)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != c.want || store.calls != c.calls {
			t.Errorf("%d demands: %d answered in %d calls, want %d in %d", c.n, len(got), store.calls, c.want, c.calls)
			continue
		}
		for i, d := range got {
			if want := int64(c.n - i); d.ID != want {
				t.Fatalf("%d demands: #%d is %d, want %d (newest first, then the higher id)", c.n, i, d.ID, want)
			}
		}
	}
}
