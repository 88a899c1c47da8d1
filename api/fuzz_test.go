package api

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"zhagen"
)

// FuzzDemandFilter feeds any query to the list filters of the demands
// (the richest of the lists) as a request meets them: the query check of
// ServeHTTP, then demandFilter. Neither panics; they refuse with 400 or
// 422 only; a filter they accept holds only text, a search within
// zhagen.MaxSearchLen, a page within its limits, known statuses and the
// dates given.
func FuzzDemandFilter(f *testing.F) {
	for _, s := range []string{
		"q=%E7%94%A8%E7%94%B5&status=submitted,assigned&dept_id=3&open=true&from=2026-10-01&to=2026-10-31T23:59:59%2B08:00",
		"limit=200&offset=0&sort=-created&level=red&channel=web", "limit=0", "limit=201&offset=-1", "q=%00", "q=%FF%FE",
		"dept_id=9223372036854775808", "from=2026-02-30", "status=,,", "pending_extension=maybe", "q=" + strings.Repeat("%25", 300),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return // net/http hands a handler what it parses; the rest is dropped
		}
		if err := zhagen.CheckQuery(q); err != nil {
			if c := zhagen.ErrorCode(err); c != zhagen.EINVALID && c != zhagen.EBADREQUEST {
				t.Fatalf("query check: %v", err)
			}
			return
		}
		r := httptest.NewRequest("GET", "/api/v1/demands", nil)
		r.URL.RawQuery = q.Encode()
		fl, err := demandFilter(r)
		if err != nil {
			if zhagen.ErrorCode(err) != zhagen.EBADREQUEST || zhagen.FieldErrors(err) == nil {
				t.Fatalf("filter: %v", err)
			}
			return
		}
		for _, s := range []string{fl.Query, fl.DeptRole, string(fl.Level), string(fl.Channel), fl.Sort} {
			if zhagen.TextProblem(s) != "" {
				t.Fatalf("filter holds %q", s)
			}
		}
		if utf8.RuneCountInString(fl.Query) > zhagen.MaxSearchLen || fl.Limit < 1 || fl.Limit > 200 || fl.Offset < 0 {
			t.Fatalf("filter %+v", fl)
		}
		for _, s := range fl.Statuses {
			if s.Label() == "" {
				t.Fatalf("status %q", s)
			}
		}
		if (fl.From != nil) != (q.Get("from") != "") || (fl.To != nil) != (q.Get("to") != "") {
			t.Fatalf("dates %v %v from %q %q", fl.From, fl.To, q.Get("from"), q.Get("to"))
		}
	})
}

// FuzzDecode feeds any body to decode, the API's one JSON reader: it
// never panics, refuses with 400, 413 or 422 only, and whatever it
// accepts holds only text (no NUL, no other control character, no bytes
// that are not UTF-8), names included, at any depth.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"name":"甲公司","contacts":[{"name":"林工","phone":"13800000001"}]}`, `{"name":"\u0000"}`, "{\"name\":\"\xff\"}",
		`{"a":{"b":[1,"x",{"c\u001b":"d"}]}}`, `{"name":"a\tb\r\nc"}`, `[1,2,`, `{"name":"x"} {"name":"y"}`, `"\ud800"`, `{"\u0085":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(string(body)))
		var v any
		err := decode(r, &v)
		if err != nil {
			if c := zhagen.ErrorCode(err); !slices.Contains([]string{zhagen.EBADREQUEST, zhagen.EINVALID, zhagen.ETOOLARGE}, c) {
				t.Fatalf("refused with %v", err)
			}
			return
		}
		if !utf8.Valid(body) {
			// encoding/json reads bytes that are not UTF-8 outside strings
			// as a syntax error and inside them as U+FFFD: a body it
			// accepted with such bytes had them in a string.
			t.Fatalf("accepted a body that is not UTF-8: %q", body)
		}
		var walk func(any)
		walk = func(x any) {
			switch x := x.(type) {
			case string:
				if p := zhagen.TextProblem(x); p != "" {
					t.Fatalf("accepted %q: %s", x, p)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for k, e := range x {
					walk(k)
					walk(e)
				}
			}
		}
		walk(v)
		if _, err := json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	})
}
