package open311

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"zhagen"
)

// listedDemands answers every FindDemands with the same demands, in the
// order given: the store's order, which the handler must not rely on.
type listedDemands struct {
	fuzzDemands
	ds []*zhagen.Demand
}

func (l *listedDemands) FindDemands(context.Context, zhagen.DemandFilter) ([]*zhagen.Demand, int, error) {
	return l.ds, len(l.ds), nil
}

func demandsAt(base time.Time, idMinutes ...int) []*zhagen.Demand {
	var ds []*zhagen.Demand
	for i := 0; i < len(idMinutes); i += 2 {
		ds = append(ds, &zhagen.Demand{ID: int64(idMinutes[i]), Title: "诉求", Status: zhagen.DemandInProgress, CategoryID: testCategory.ID,
			CreatedAt: base.Add(time.Duration(idMinutes[i+1]) * time.Minute)})
	}
	return ds
}

func ids(ds []*zhagen.Demand) []int64 {
	var out []int64
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

// TestWindowNewestFirstWhateverTheStoreOrder: a date window is answered
// newest first, and among requests filed at the same moment the higher
// id first, also when the store answers in another order.
func TestWindowNewestFirstWhateverTheStoreOrder(t *testing.T) {
	base := time.Date(2026, 10, 1, 9, 0, 0, 0, zhagen.Shanghai)
	// id, minutes after base
	store := &listedDemands{ds: demandsAt(base, 3, 1, 6, 0, 1, 5, 4, 3, 2, 5, 5, 3)}
	h := edgeHandler(Config{Demands: store})
	lq := listQuery{from: base.Add(-time.Hour), to: base.Add(time.Hour)}
	got, err := h.findWindow(context.Background(), lq)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{2, 1, 5, 4, 3, 6}; !slices.Equal(ids(got), want) {
		t.Errorf("window order %v, want %v", ids(got), want)
	}
}

// TestRequestsInTheOrderAsked: GET requests with service_request_id
// answers the requests in the order the ids were asked for.
func TestRequestsInTheOrderAsked(t *testing.T) {
	base := time.Date(2026, 10, 1, 9, 0, 0, 0, zhagen.Shanghai)
	store := &listedDemands{ds: demandsAt(base, 1, 0, 2, 1, 3, 2)}
	h := edgeHandler(Config{Demands: store})
	w := serve(h, http.MethodGet, "requests.json?api_key=k&service_request_id=3,1,2", "")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var got []struct {
		ID json.Number `json:"service_request_id"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var order []json.Number
	for _, r := range got {
		order = append(order, r.ID)
	}
	if want := []json.Number{"3", "1", "2"}; !slices.Equal(order, want) {
		t.Errorf("requests answered in the order %v, want %v", order, want)
	}
}

// TestClientIPWithoutPort: the client's address is the remote address
// without its port, and the remote address itself when it has none.
func TestClientIPWithoutPort(t *testing.T) {
	for addr, want := range map[string]string{"203.0.113.7:41000": "203.0.113.7", "[2001:db8::1]:443": "2001:db8::1", "203.0.113.7": "203.0.113.7"} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = addr
		if got := clientIP(r); got != want {
			t.Errorf("clientIP(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestNoMediaNoNote: without media links the description is kept as
// written, with no attachment line.
func TestNoMediaNoNote(t *testing.T) {
	d, err := demandFromForm(url.Values{"description": {"厂区需要双回路供电"}}, testCategory)
	if err != nil {
		t.Fatal(err)
	}
	if d.Description != "厂区需要双回路供电" {
		t.Errorf("description %q, want it as written", d.Description)
	}
}

// askedDemands counts the store's reads by id.
type askedDemands struct {
	fuzzDemands
	asked []int64
}

func (a *askedDemands) FindDemandByID(_ context.Context, id int64) (*zhagen.Demand, error) {
	a.asked = append(a.asked, id)
	return nil, zhagen.Errorf(zhagen.ENOTFOUND, "诉求不存在")
}

// TestRequestIDZeroIsNotLookedUp: ids of zero and below are not found
// without a read of the store; id 1 is read.
func TestRequestIDZeroIsNotLookedUp(t *testing.T) {
	store := &askedDemands{}
	h := edgeHandler(Config{Demands: store})
	for _, id := range []string{"0", "-1", "1"} {
		if w := serve(h, http.MethodGet, "requests/"+id+".json?api_key=k", ""); w.Code != http.StatusNotFound {
			t.Errorf("request %s: status %d, want 404", id, w.Code)
		}
	}
	if !slices.Equal(store.asked, []int64{1}) {
		t.Errorf("store asked for %v, want only 1", store.asked)
	}
}

// askedIntake records the public reads.
type askedIntake struct {
	fuzzIntake
	asked []zhagen.PublicRequestFilter
}

func (a *askedIntake) FindPublicRequests(_ context.Context, f zhagen.PublicRequestFilter) ([]*zhagen.PublicRequest, error) {
	a.asked = append(a.asked, f)
	return nil, nil
}

// tokenDemands records the tokens looked up.
type tokenDemands struct {
	fuzzDemands
	tokens []string
}

func (d *tokenDemands) FindDemands(_ context.Context, f zhagen.DemandFilter) ([]*zhagen.Demand, int, error) {
	d.tokens = append(d.tokens, f.Token)
	return nil, 0, nil
}

// TestLookupsStopAtImpossibleKeys: without an api_key, a request id of
// zero or below is not looked up; with or without one, a token is looked
// up up to 128 bytes and not beyond. All of them answer 404.
func TestLookupsStopAtImpossibleKeys(t *testing.T) {
	intake, demands := &askedIntake{}, &tokenDemands{}
	h := edgeHandler(Config{Demands: demands})
	h.cfg.Intake = intake
	long, longest := strings.Repeat("t", 129), strings.Repeat("t", 128)
	for _, path := range []string{"requests/0.json", "requests/2.json", "tokens/" + long + ".json", "tokens/" + longest + ".json",
		"tokens/" + long + ".json?api_key=k", "tokens/" + longest + ".json?api_key=k"} {
		if w := serve(h, http.MethodGet, path, ""); w.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path[:min(len(path), 40)], w.Code)
		}
	}
	var public []string
	for _, f := range intake.asked {
		public = append(public, fmt.Sprint(f.IDs, len(f.Token)))
	}
	if want := []string{"[2] 0", "[] 128"}; !slices.Equal(public, want) {
		t.Errorf("public reads %v, want %v", public, want)
	}
	if len(demands.tokens) != 1 || demands.tokens[0] != longest {
		t.Errorf("channel token reads of %d tokens, want only the one of 128 bytes", len(demands.tokens))
	}
}

// publicIntake answers public reads with requests 1, 2 and 3 in that order.
type publicIntake struct{ fuzzIntake }

func (publicIntake) FindPublicRequests(context.Context, zhagen.PublicRequestFilter) ([]*zhagen.PublicRequest, error) {
	var rs []*zhagen.PublicRequest
	for id := int64(1); id <= 3; id++ {
		rs = append(rs, &zhagen.PublicRequest{ID: id, Status: zhagen.DemandInProgress, CategoryCode: testCategory.Code})
	}
	return rs, nil
}

// TestPublicRequestsInTheOrderAsked: without an api_key too, requests
// asked by id come in the order asked.
func TestPublicRequestsInTheOrderAsked(t *testing.T) {
	h := edgeHandler(Config{})
	h.cfg.Intake = publicIntake{}
	w := serve(h, http.MethodGet, "requests.json?service_request_id=3,1,2", "")
	var got []struct {
		ID json.Number `json:"service_request_id"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("status %d: %v", w.Code, err)
	}
	var order []json.Number
	for _, r := range got {
		order = append(order, r.ID)
	}
	if want := []json.Number{"3", "1", "2"}; !slices.Equal(order, want) {
		t.Errorf("public requests answered in the order %v, want %v", order, want)
	}
}
