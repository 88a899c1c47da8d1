package open311_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"zhagen"
	"zhagen/open311"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
	"zhagen/throttle"
)

// TestPostLimitedPerAddress: past its limit a client address gets 429
// with Retry-After on POST; reading is not limited.
func TestPostLimitedPerAddress(t *testing.T) {
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}
	db := sqldbtest.OneStore(t, "the address limiter is in memory").Open(t, clock)
	cal, err := sla.NewCalendar(sla.Config{})
	must(t, err)
	h := open311.New(open311.Config{Demands: sqldb.NewDemandService(db, cal), Categories: sqldb.NewCategoryService(db), Intake: sqldb.NewIntakeService(db),
		Clock: clock, PostLimit: throttle.NewLimiter(throttle.Rate{N: 2, Per: time.Minute}, clock.Now)})
	srv := httptest.NewServer(h)
	defer srv.Close()
	post := func() *http.Response {
		res, err := http.PostForm(srv.URL+"/open311/v2/requests.json", url.Values{"api_key": {"wrong"}, "service_code": {"power"}, "description": {"x"}})
		must(t, err)
		res.Body.Close()
		return res
	}
	for i := 0; i < 2; i++ {
		if res := post(); res.StatusCode != http.StatusForbidden {
			t.Fatalf("post %d: %d", i+1, res.StatusCode)
		}
	}
	res := post()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "30" {
		t.Fatalf("third post: %d Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if res, err := http.Get(srv.URL + "/open311/v2/services.json"); err != nil || res.StatusCode != 200 {
		t.Fatalf("GET after the limit: %v %v", err, res.StatusCode)
	}
	clock.Advance(30 * time.Second)
	if res := post(); res.StatusCode != http.StatusForbidden {
		t.Fatalf("after the wait: %d", res.StatusCode)
	}
}
