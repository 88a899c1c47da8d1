package web

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"zhagen"
)

// FuzzParseDemandFilter feeds any query to the demand list's filters as a
// request meets them: the query check of the web's input gate, then
// parseDemandFilter. Neither panics; the check refuses with 400 or 422
// only; a filter parsed holds only text, a search within
// zhagen.MaxSearchLen, known values, ids that are not negative and a
// date range that ends after it starts.
func FuzzParseDemandFilter(f *testing.F) {
	for _, s := range []string{
		"q=%E7%94%A8%E7%94%B5&status=submitted&open=1&level=red&channel=web&dept=3&category=2&enterprise=5&from=2026-10-01&to=2026-10-31&sort=-created",
		"q=%00", "q=%FF", "dept=-1", "dept=9223372036854775808", "from=2026-02-30&to=2026-01-01", "sort=drop", "pending_extension=1&open=0",
		"q=" + strings.Repeat("%25", 300),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		if err := zhagen.CheckQuery(q); err != nil {
			if c := zhagen.ErrorCode(err); c != zhagen.EINVALID && c != zhagen.EBADREQUEST {
				t.Fatalf("query check: %v", err)
			}
			return
		}
		fl, df := parseDemandFilter(q)
		for _, s := range []string{fl.Q, fl.Status, fl.Open, fl.Level, fl.Channel, fl.From, fl.To, fl.Sort} {
			if zhagen.TextProblem(s) != "" {
				t.Fatalf("filter holds %q", s)
			}
		}
		if utf8.RuneCountInString(df.Query) > zhagen.MaxSearchLen || df.Query != strings.TrimSpace(q.Get("q")) {
			t.Fatalf("search %q", df.Query)
		}
		if df.CategoryID < 0 || df.DeptID < 0 || df.EnterpriseID < 0 || df.Limit != perPage {
			t.Fatalf("filter %+v", df)
		}
		if err := df.CheckFilter(); err != nil { // the web drops what the API refuses
			t.Fatalf("filter %+v: %v", df, err)
		}
		if df.From != nil && df.To != nil && q.Get("from") == q.Get("to") && !df.To.After(*df.From) {
			t.Fatalf("one day from %v to %v", df.From, df.To)
		}
	})
}
