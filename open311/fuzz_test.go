package open311

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"zhagen"
)

// Fakes of the services, enough for every resource: one channel (api_key
// "k"), the test category, no stored requests, no public ones. A
// resource that calls a method they lack panics, and the fuzzer says so.
type fuzzDemands struct {
	zhagen.DemandService
	created *zhagen.Demand
}

func (f *fuzzDemands) CreateDemand(_ context.Context, d *zhagen.Demand, _ string) error {
	d.ID, f.created = 1, d
	return nil
}

func (f *fuzzDemands) FindDemands(context.Context, zhagen.DemandFilter) ([]*zhagen.Demand, int, error) {
	return nil, 0, nil
}

func (f *fuzzDemands) FindDemandByID(context.Context, int64) (*zhagen.Demand, error) {
	return nil, zhagen.Errorf(zhagen.ENOTFOUND, "诉求不存在")
}

func (f *fuzzDemands) LatestPublicNotes(context.Context, []int64) (map[int64]string, error) {
	return nil, nil
}

type fuzzCategories struct{ zhagen.CategoryService }

func (fuzzCategories) FindCategories(context.Context, zhagen.CategoryFilter) ([]*zhagen.Category, error) {
	return []*zhagen.Category{testCategory}, nil
}

func (fuzzCategories) FindCategoryByCode(_ context.Context, code string) (*zhagen.Category, error) {
	if code == testCategory.Code {
		return testCategory, nil
	}
	return nil, zhagen.Errorf(zhagen.ENOTFOUND, "类别不存在")
}

type fuzzIntake struct{ zhagen.IntakeService }

func (fuzzIntake) FindPublicRequests(context.Context, zhagen.PublicRequestFilter) ([]*zhagen.PublicRequest, error) {
	return nil, nil
}

func (fuzzIntake) ActorByAPIKey(_ context.Context, key string) (*zhagen.Actor, error) {
	if key == "k" {
		return &zhagen.Actor{Name: "渠道", IntakeChannelID: 1}, nil
	}
	return nil, zhagen.Errorf(zhagen.EUNAUTHORIZED, "api_key 无效")
}

// FuzzOpen311Request sends the endpoint any form body and query on any
// of its resources, as a client would: it never answers 5xx, and a
// service request it files carries only text (no NUL, no other control
// character, no bytes that are not UTF-8) within the domain's limits.
func FuzzOpen311Request(f *testing.F) {
	for _, s := range [][3]string{
		{"requests.json", "", "api_key=k&service_code=power&description=%E9%9C%80%E8%A6%81&attribute[capacity]=800&lat=26.1&long=119.3"},
		{"requests.xml", "", "api_key=k&service_code=power&description=a%00b"},
		{"requests.json", "", "api_key=k&service_code=power&description=%FF&first_name=%E5%BC%A0&last_name=%E4%B8%89"},
		{"requests.json", "api_key=k&status=open,closed&start_date=2026-10-01&end_date=2026-11-01", ""},
		{"requests.json", "api_key=k&service_request_id=1,2,x", ""},
		{"services/power.json", "", ""}, {"services/%00.xml", "", ""}, {"tokens/abc.json", "api_key=k", ""},
		{"requests/1.json", "api_key=k%00", ""}, {"discovery.json", "", ""},
	} {
		f.Add(s[0], s[1], s[2], true)
	}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)
	f.Fuzz(func(t *testing.T, path, query, body string, post bool) {
		demands := &fuzzDemands{}
		h := New(Config{Demands: demands, Categories: fuzzCategories{}, Intake: fuzzIntake{}, Clock: &zhagen.FixedClock{T: now}})
		method := http.MethodGet
		if post {
			method = http.MethodPost
		}
		r := httptest.NewRequest(method, Prefix, strings.NewReader(body))
		r.URL.Path, r.URL.RawQuery = Prefix+path, query
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s?%s: %d %s", method, path, query, w.Code, w.Body)
		}
		d := demands.created
		if d == nil {
			return
		}
		texts := []string{d.Title, d.Description, d.Address, d.SubmitterName, d.ContactPhone, d.USCC}
		for code, vals := range d.Answers {
			texts = append(texts, code)
			texts = append(texts, vals...)
		}
		for _, s := range texts {
			if p := zhagen.TextProblem(s); p != "" {
				t.Fatalf("filed %q: %s", s, p)
			}
		}
		if len([]rune(d.Description)) > zhagen.MaxDemandDescription || d.CategoryID != testCategory.ID {
			t.Fatalf("filed %+v", d)
		}
	})
}
