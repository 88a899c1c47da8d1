package open311_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zhagen"
	"zhagen/open311"
	"zhagen/sqldb/sqldbtest"
)

// callers of the Open311 matrix: each intake channel's api_key, an
// unknown key, and none.
var open311Callers = []struct{ name, key string }{
	{"channel A", sqldbtest.ZoneKeyA}, {"channel B", sqldbtest.ZoneKeyB}, {"unknown key", "no-such-key-0123456789"}, {"no key", ""},
}

// private are texts of the zone's channel demands no caller but their own
// channel may read: description, address, phone.
var private = []string{"渠道描述", "渠道地址", "137000000"}

// TestOpen311AuthorizationMatrix walks every resource the endpoint
// registers as every kind of caller, on the demands of both channels of
// a sqldbtest.Zone and one filed through the portal: a channel reads
// exactly the requests the policy lets it read (PermDemandView through
// its channel), in full; a caller without a valid key reads none of their
// private fields, and files nothing. A resource without a rule fails.
func TestOpen311AuthorizationMatrix(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		h := open311.New(open311.Config{Demands: z.Demands, Categories: z.Categories, Intake: z.Intake, Clock: z.Clock})
		do := func(method, path string, q url.Values) (int, string) {
			t.Helper()
			var req *http.Request
			if method == http.MethodPost {
				req = httptest.NewRequest(method, path, strings.NewReader(q.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			} else {
				req = httptest.NewRequest(method, path+"?"+q.Encode(), nil)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			return w.Code, w.Body.String()
		}
		channel := func(key string) *zhagen.Actor {
			a, err := z.Intake.ActorByAPIKey(context.Background(), key)
			if err != nil {
				return nil
			}
			return a
		}
		// reads reports whether the caller's channel may read demand key.
		reads := func(a *zhagen.Actor, key string) bool {
			return a != nil && zhagen.Can(a, zhagen.PermDemandView, z.Facts(a, "demand", z.ID(key)))
		}
		demands := []string{"demand:channelA", "demand:channelB", "demand:A"}
		token := func(key string) string {
			d, err := z.Demands.FindDemandByID(z.Sys, z.ID(key))
			if err != nil {
				t.Fatal(err)
			}
			return d.Token
		}
		// keyless checks an answer to a caller without a valid key about
		// demand key ("" for a list): a request of a publicly readable
		// channel (channel A's) may be read, public fields only; any other
		// is refused or unknown.
		keyless := func(path, caller, key string, st int, body string) {
			t.Helper()
			ok := []int{http.StatusForbidden, http.StatusNotFound}
			if key == "" || key == "demand:channelA" {
				ok = append(ok, http.StatusOK)
			}
			if !slices.Contains(ok, st) {
				t.Errorf("%s as %s: %d, want %v", path, caller, st, ok)
			}
			if key == "" && st == http.StatusOK {
				var list []struct {
					ID json.Number `json:"service_request_id"`
				}
				if err := json.Unmarshal([]byte(body), &list); err != nil {
					t.Errorf("%s as %s: %v", path, caller, err)
				}
				for _, r := range list {
					if id, _ := r.ID.Int64(); zoneDemandKey(z, id) != "demand:channelA" {
						t.Errorf("%s as %s lists request %d, not of a publicly readable channel", path, caller, id)
					}
				}
			}
			for _, p := range private {
				if strings.Contains(body, p) {
					t.Errorf("%s as %s shows %q", path, caller, p)
				}
			}
		}
		public := func(path string) {
			t.Helper()
			for _, c := range open311Callers {
				if st, _ := do(http.MethodGet, path, url.Values{"api_key": {c.key}}); st != http.StatusOK {
					t.Errorf("GET %s as %s: %d, want 200", path, c.name, st)
				}
			}
		}
		rules := map[string]func(){
			"GET " + open311.Prefix:                     func() { public(open311.Prefix) },
			"GET " + open311.Prefix + "discovery":       func() { public(open311.Prefix + "discovery.json") },
			"GET " + open311.Prefix + "services":        func() { public(open311.Prefix + "services.json") },
			"GET " + open311.Prefix + "services/{file}": func() { public(open311.Prefix + "services/power.json") },
			"GET " + open311.Prefix + "requests": func() {
				path := open311.Prefix + "requests.json"
				// The window of recent requests, and each request by id.
				queries := []url.Values{{}}
				for _, key := range demands {
					queries = append(queries, url.Values{"service_request_id": {strconv.FormatInt(z.ID(key), 10)}})
				}
				for _, c := range open311Callers {
					for _, q := range queries {
						q.Set("api_key", c.key)
						st, body := do(http.MethodGet, path, q)
						a := channel(c.key)
						if a == nil {
							keyless(path+"?"+q.Encode(), c.name, "", st, body)
							continue
						}
						var list []struct {
							ID json.Number `json:"service_request_id"`
						}
						if st != http.StatusOK || json.Unmarshal([]byte(body), &list) != nil {
							t.Errorf("GET %s as %s: %d %.200s", path, c.name, st, body)
							continue
						}
						got := map[string]bool{}
						for _, r := range list {
							id, _ := r.ID.Int64()
							key := zoneDemandKey(z, id)
							got[key] = true
							if key == "" || !reads(a, key) {
								t.Errorf("GET %s?%s as %s lists request %d, which it may not read", path, q.Encode(), c.name, id)
							}
						}
						for _, key := range demands {
							asked := q.Get("service_request_id")
							if reads(a, key) && !got[key] && (asked == "" || asked == strconv.FormatInt(z.ID(key), 10)) {
								t.Errorf("GET %s?%s as %s leaves out %s, which it reads", path, q.Encode(), c.name, key)
							}
						}
					}
				}
			},
			"GET " + open311.Prefix + "requests/{file}": func() {
				for _, key := range demands {
					path := fmt.Sprintf("%srequests/%d.json", open311.Prefix, z.ID(key))
					for _, c := range open311Callers {
						st, body := do(http.MethodGet, path, url.Values{"api_key": {c.key}})
						a := channel(c.key)
						switch {
						case a == nil:
							keyless(path, c.name, key, st, body)
						case reads(a, key) && (st != http.StatusOK || !strings.Contains(body, "渠道描述")):
							t.Errorf("GET %s as %s: %d, want the request in full", path, c.name, st)
						case !reads(a, key) && st != http.StatusNotFound:
							t.Errorf("GET %s as %s: %d, want 404", path, c.name, st)
						}
					}
				}
			},
			"GET " + open311.Prefix + "tokens/{file}": func() {
				for _, key := range demands {
					tok := token(key)
					if tok == "" {
						continue // only Open311 requests have tokens
					}
					path := open311.Prefix + "tokens/" + tok + ".json"
					for _, c := range open311Callers {
						st, body := do(http.MethodGet, path, url.Values{"api_key": {c.key}})
						a := channel(c.key)
						switch {
						case a == nil:
							keyless(path, c.name, key, st, body)
						case reads(a, key) && (st != http.StatusOK || !strings.Contains(body, strconv.FormatInt(z.ID(key), 10))):
							t.Errorf("GET %s as %s: %d, want its request id", path, c.name, st)
						case !reads(a, key) && st != http.StatusNotFound:
							t.Errorf("GET %s as %s: %d, want 404", path, c.name, st)
						}
					}
				}
			},
			"POST " + open311.Prefix + "requests": func() {
				before := countDemands(t, z)
				for _, c := range open311Callers {
					if channel(c.key) != nil {
						continue // filing: TestPostRequest and the rest
					}
					st, _ := do(http.MethodPost, open311.Prefix+"requests.json", url.Values{"api_key": {c.key}, "service_code": {"power"},
						"description": {"无钥匙提交"}, "attribute[load_kw]": {"10"}})
					if st != http.StatusForbidden {
						t.Errorf("POST requests as %s: %d, want 403", c.name, st)
					}
				}
				if after := countDemands(t, z); after != before {
					t.Errorf("refused posts stored %d demands", after-before)
				}
			},
		}
		for _, r := range h.Routes() {
			key := r.Method + " " + r.Path
			rule, ok := rules[key]
			if !ok {
				t.Errorf("resource %s has no rule in the Open311 matrix", key)
				continue
			}
			delete(rules, key)
			rule()
		}
		for key := range rules {
			t.Errorf("the Open311 matrix has a rule for %s, which is not served", key)
		}
	})
}

// zoneDemandKey is the zone key of demand id, "" for one the zone did
// not file.
func zoneDemandKey(z *sqldbtest.Zone, id int64) string {
	for k, v := range z.IDs {
		if v == id && strings.HasPrefix(k, "demand:") {
			return k
		}
	}
	return ""
}

func countDemands(t *testing.T, z *sqldbtest.Zone) int {
	t.Helper()
	_, n, err := z.Demands.FindDemands(z.Sys, zhagen.DemandFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
