package open311_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/open311"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

const (
	keyA  = "test-channel-a-0123456789"
	keyB  = "test-channel-b-0123456789"
	usccA = "91440300708461136T" // a real code, public in the national registry
)

// env is the Open311 endpoint over a real database: a power category
// routed to the economic development bureau, an enterprise, two intake
// channels and a staff member of the bureau.
type env struct {
	t       *testing.T
	srv     *httptest.Server
	clock   *zhagen.FixedClock
	demands *sqldb.DemandService
	cats    *sqldb.CategoryService
	admin   context.Context
	staff   context.Context
	ent     *zhagen.Enterprise
	power   *zhagen.Category
}

func newEnv(t *testing.T, e sqldbtest.Engine) *env {
	t.Helper()
	v := &env{t: t, clock: &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}}
	db := e.Open(t, v.clock)
	cal, err := sla.NewCalendar(sla.Config{})
	must(t, err)
	v.demands = sqldb.NewDemandService(db, cal)
	cats, intake, depts := sqldb.NewCategoryService(db), sqldb.NewIntakeService(db), sqldb.NewDepartmentService(db)
	users, auth, ents := sqldb.NewUserService(db), sqldb.NewAuthService(db), sqldb.NewEnterpriseService(db)
	v.admin = zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	v.cats = cats

	edb := &zhagen.Department{Name: "经济发展局", Kind: zhagen.DeptGov}
	must(t, depts.CreateDepartment(v.admin, edb))
	v.ent = &zhagen.Enterprise{Name: "甲集成电路公司", USCC: usccA, Industry: "集成电路"}
	must(t, ents.CreateEnterprise(v.admin, v.ent))
	v.power = &zhagen.Category{Code: "power", Name: "用电保障", Group: "水电气", Description: "用电报装、双回路供电等",
		Keywords: []string{"电力", "供电"}, LeadDeptID: edb.ID,
		Questions: []zhagen.Question{
			{Code: "load_kw", Label: "用电负荷（千瓦）", Type: zhagen.QNumber, Required: true},
			{Code: "circuits", Label: "供电方式", Type: zhagen.QMulti, Options: []zhagen.Option{{Key: "single", Name: "单回路"}, {Key: "dual", Name: "双回路"}}},
		}}
	must(t, cats.CreateCategory(v.admin, v.power))
	// Channel A (FixMyStreet) is publicly readable, as the demo's is;
	// channel B is not.
	for name, key := range map[string]string{"FixMyStreet": keyA, "12345 热线": keyB} {
		ch, err := intake.CreateIntakeChannel(v.admin, name, key)
		must(t, err)
		if key == keyA {
			_, err = intake.SetIntakeChannelPublic(v.admin, ch.ID, true)
			must(t, err)
		}
	}
	u := &zhagen.User{Login: "staff", Name: "李科长", Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: edb.ID, Password: "Zg-Test#4821"}
	must(t, users.CreateUser(v.admin, u))
	tok, err := auth.CreateToken(v.admin, u.ID, "test", 0)
	must(t, err)
	a, err := auth.ActorByToken(context.Background(), tok.Token)
	must(t, err)
	v.staff = zhagen.NewContextWithActor(context.Background(), a)

	h := open311.New(open311.Config{Demands: v.demands, Categories: cats, Intake: intake, Clock: v.clock})
	mux := http.NewServeMux()
	mux.Handle(open311.Prefix, h)
	v.srv = httptest.NewServer(mux)
	t.Cleanup(v.srv.Close)
	return v
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type response struct {
	status int
	ctype  string
	body   []byte
}

func (v *env) get(path string, q url.Values) response {
	v.t.Helper()
	u := v.srv.URL + "/open311/v2/" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	res, err := http.Get(u)
	must(v.t, err)
	return read(v.t, res)
}

func (v *env) post(path string, form url.Values) response {
	v.t.Helper()
	res, err := http.PostForm(v.srv.URL+"/open311/v2/"+path, form)
	must(v.t, err)
	return read(v.t, res)
}

func read(t *testing.T, res *http.Response) response {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	return response{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), body: b}
}

// decode parses a response of either format into v, checking the
// content type, the XML declaration and the status.
func (r response) decode(t *testing.T, f string, status int, v any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if f == "json" {
		if r.ctype != "application/json; charset=utf-8" {
			t.Fatalf("content type %q", r.ctype)
		}
		must(t, json.Unmarshal(r.body, v))
		return
	}
	if r.ctype != "text/xml; charset=utf-8" || !strings.HasPrefix(string(r.body), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Fatalf("content type %q, body %s", r.ctype, r.body)
	}
	must(t, xml.Unmarshal(r.body, v))
}

// xmlRequests is a <service_requests> list with each request's fields by
// element name.
type xmlRequests struct {
	XMLName  xml.Name `xml:"service_requests"`
	Requests []struct {
		Fields []struct {
			XMLName xml.Name
			Text    string `xml:",chardata"`
		} `xml:",any"`
	} `xml:"request"`
}

func (x xmlRequests) maps() []map[string]any {
	var out []map[string]any
	for _, r := range x.Requests {
		m := map[string]any{}
		for _, f := range r.Fields {
			m[f.XMLName.Local] = f.Text
		}
		out = append(out, m)
	}
	return out
}

// requests fetches a list of service requests in the format as maps,
// with every value as text.
func (v *env) requests(path string, q url.Values, f string) []map[string]any {
	v.t.Helper()
	r := v.get(path+"."+f, q)
	if f == "xml" {
		var x xmlRequests
		r.decode(v.t, f, 200, &x)
		return x.maps()
	}
	var j []map[string]any
	r.decode(v.t, f, 200, &j)
	for _, m := range j {
		for k, val := range m {
			switch val := val.(type) {
			case float64:
				m[k] = strconv.FormatFloat(val, 'f', -1, 64)
			case nil:
				m[k] = ""
			}
		}
	}
	return j
}

// wantErrors checks the status and the errors body of a failure in the
// format, and that the description mentions want.
func wantErrors(t *testing.T, r response, f string, status int, want string) {
	t.Helper()
	var list []errEntry
	if f == "xml" {
		var x struct {
			XMLName xml.Name   `xml:"errors"`
			List    []errEntry `xml:"error"`
		}
		r.decode(t, f, status, &x)
		list = x.List
	} else {
		r.decode(t, f, status, &list)
	}
	if len(list) == 0 || list[0].Code != status || !strings.Contains(list[0].Description, want) {
		t.Fatalf("errors %+v, want %d mentioning %q: %s", list, status, want, r.body)
	}
}

type errEntry struct {
	Code        int    `xml:"code" json:"code"`
	Description string `xml:"description" json:"description"`
}

type svc struct {
	Code     string `xml:"service_code" json:"service_code"`
	Name     string `xml:"service_name" json:"service_name"`
	Desc     string `xml:"description" json:"description"`
	Metadata bool   `xml:"metadata" json:"metadata"`
	Type     string `xml:"type" json:"type"`
	Keywords string `xml:"keywords" json:"keywords"`
	Group    string `xml:"group" json:"group"`
}

var formats = []string{"xml", "json"}

func TestDiscoveryAndServices(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		for _, f := range formats {
			var d struct {
				Changeset  string `xml:"changeset" json:"changeset"`
				Contact    string `xml:"contact" json:"contact"`
				KeyService string `xml:"key_service" json:"key_service"`
				Endpoints  []struct {
					Specification string   `xml:"specification" json:"specification"`
					URL           string   `xml:"url" json:"url"`
					Type          string   `xml:"type" json:"type"`
					Formats       []string `xml:"formats>format" json:"formats"`
				} `xml:"endpoints>endpoint" json:"endpoints"`
			}
			v.get("discovery."+f, nil).decode(t, f, 200, &d)
			if len(d.Endpoints) != 1 || d.Endpoints[0].Specification != "http://wiki.open311.org/GeoReport_v2" ||
				d.Endpoints[0].URL != v.srv.URL+"/open311/v2" || len(d.Endpoints[0].Formats) != 2 || !strings.HasSuffix(d.Changeset, "+08:00") || d.KeyService == "" {
				t.Errorf("%s discovery: %+v", f, d)
			}

			var services []svc
			if f == "xml" {
				var xs struct {
					XMLName xml.Name `xml:"services"`
					List    []svc    `xml:"service"`
				}
				v.get("services.xml", url.Values{"jurisdiction_id": {"nowhere.gov"}}).decode(t, f, 200, &xs)
				services = xs.List
			} else {
				v.get("services.json", nil).decode(t, f, 200, &services)
			}
			if len(services) != 1 || services[0].Code != "power" || services[0].Name != "用电保障" || !services[0].Metadata ||
				services[0].Type != "realtime" || services[0].Keywords != "电力,供电" || services[0].Group != "水电气" {
				t.Errorf("%s services: %+v", f, services)
			}

			var def struct {
				Code       string `xml:"service_code" json:"service_code"`
				Attributes []struct {
					Variable bool   `xml:"variable" json:"variable"`
					Code     string `xml:"code" json:"code"`
					Datatype string `xml:"datatype" json:"datatype"`
					Required bool   `xml:"required" json:"required"`
					Order    int    `xml:"order" json:"order"`
					Desc     string `xml:"description" json:"description"`
					Values   []struct {
						Key  string `xml:"key" json:"key"`
						Name string `xml:"name" json:"name"`
					} `xml:"values>value" json:"values"`
				} `xml:"attributes>attribute" json:"attributes"`
			}
			v.get("services/power."+f, nil).decode(t, f, 200, &def)
			if def.Code != "power" || len(def.Attributes) != 3 {
				t.Fatalf("%s definition: %+v", f, def)
			}
			a0, a1, a2 := def.Attributes[0], def.Attributes[1], def.Attributes[2]
			if !a0.Variable || a0.Code != "load_kw" || a0.Datatype != "number" || !a0.Required || a0.Order != 1 || a0.Desc != "用电负荷（千瓦）" ||
				a1.Code != "circuits" || a1.Datatype != "multivaluelist" || len(a1.Values) != 2 || a1.Values[1].Key != "dual" || a1.Values[1].Name != "双回路" ||
				a2.Code != "uscc" || a2.Required || a2.Order != 3 {
				t.Errorf("%s attributes: %+v", f, def.Attributes)
			}

			wantErrors(t, v.get("services/nope."+f, nil), f, 404, "service_code")
		}
		wantErrors(t, v.get("services.csv", nil), "xml", 400, "xml")
		wantErrors(t, v.get("nothing.json", nil), "json", 404, "不存在")
		wantErrors(t, v.post("services.json", url.Values{}), "json", 405, "POST")
		wantErrors(t, v.post("requests/1.xml", url.Values{}), "xml", 405, "POST")
		wantErrors(t, v.get("requests/.json", nil), "json", 404, "不存在")
		var root struct {
			XMLName xml.Name `xml:"discovery"`
		}
		v.get("", nil).decode(t, "xml", 200, &root) // the endpoint's root is its discovery
	})
}

// file files a demand through channel key and returns its id and its
// token (which a realtime service's answer does not carry: it is read
// from the store).
func (v *env) file(key, f string, extra url.Values) (int64, string) {
	v.t.Helper()
	form := url.Values{"api_key": {key}, "jurisdiction_id": {"anything"}, "service_code": {"power"},
		"description": {"明年投产，集成电路生产需要双回路电力保障"}, "attribute[load_kw]": {"8000"}}
	for k, vals := range extra {
		form[k] = vals
	}
	var got []map[string]any
	r := v.post("requests."+f, form)
	if f == "xml" {
		var x xmlRequests
		r.decode(v.t, f, 200, &x)
		got = x.maps()
	} else {
		r.decode(v.t, f, 200, &got)
	}
	if len(got) != 1 {
		v.t.Fatalf("POST answer %s", r.body)
	}
	id, _ := strconv.ParseInt(strings.TrimSpace(toString(got[0]["service_request_id"])), 10, 64)
	if id == 0 || toString(got[0]["service_notice"]) == "" {
		v.t.Fatalf("POST answer %s", r.body)
	}
	if _, ok := got[0]["token"]; ok {
		v.t.Fatalf("a realtime service's POST answer carries a token: %s", r.body)
	}
	if _, ok := got[0]["account_id"]; !ok {
		v.t.Fatalf("POST answer lacks account_id: %s", r.body)
	}
	d, err := v.demands.FindDemandByID(v.admin, id)
	must(v.t, err)
	return id, d.Token
}

func toString(x any) string {
	switch x := x.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// TestArchivedServiceHidden: an archived category leaves the service
// list and its definition is not found.
func TestArchivedServiceHidden(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		water := &zhagen.Category{Code: "water", Name: "用水保障", Group: "水电气", LeadDeptID: v.power.LeadDeptID}
		must(t, v.cats.CreateCategory(v.admin, water))
		codes := func() string {
			var services []svc
			v.get("services.json", nil).decode(t, "json", 200, &services)
			var out []string
			for _, s := range services {
				out = append(out, s.Code)
			}
			slices.Sort(out)
			return strings.Join(out, ",")
		}
		if got := codes(); got != "power,water" {
			t.Fatalf("services %s", got)
		}
		water.Archived = true
		_, err := v.cats.UpdateCategory(v.admin, water.ID, water.Version, water)
		must(t, err)
		if got := codes(); got != "power" {
			t.Fatalf("services after archiving water: %s", got)
		}
		wantErrors(t, v.get("services/water.json", nil), "json", 404, "service_code")
	})
}

func TestPostAndReadBack(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		for _, f := range formats {
			id, tok := v.file(keyA, f, url.Values{"attribute[circuits][]": {"single", "dual"}, "attribute[uscc]": {strings.ToLower(usccA)},
				"lat": {"26.0745"}, "long": {"119.2965"}, "address_string": {"福州高新区创新园二期"}, "first_name": {"三"}, "last_name": {"张"},
				"phone": {"13800138000"}, "email": {"zhang@example.com"}, "device_id": {"d1"}, "attribute[fixmystreet_id]": {"1001"}})
			d, err := v.demands.FindDemandByID(v.admin, id)
			must(t, err)
			if d.Channel != zhagen.ChannelOpen311 || d.Token != tok || d.EnterpriseID != v.ent.ID || d.SubmitterName != "张三" ||
				d.ContactPhone != "13800138000" || d.Address != "福州高新区创新园二期" || d.Lat == nil || *d.Lat != 26.0745 ||
				strings.Join(d.Answers["circuits"], ",") != "single,dual" || strings.Join(d.Answers["load_kw"], ",") != "8000" ||
				d.Title != "明年投产，集成电路生产需要双回路电力保障" {
				t.Fatalf("%s demand: %+v", f, d)
			}
			for _, path := range []string{"requests/" + strconv.FormatInt(id, 10), "requests"} {
				q := url.Values{"api_key": {keyA}}
				if path == "requests" {
					q.Set("service_request_id", strconv.FormatInt(id, 10))
				}
				got := v.requests(path, q, f)
				if len(got) != 1 {
					t.Fatalf("%s %s: %v", f, path, got)
				}
				r := got[0]
				want := map[string]string{"service_request_id": strconv.FormatInt(id, 10), "status": "open", "service_name": "用电保障",
					"service_code": "power", "agency_responsible": "经济发展局", "requested_datetime": "2026-11-02T09:00:00+08:00",
					"expected_datetime": "2026-11-09T09:00:00+08:00", "address": "福州高新区创新园二期", "lat": "26.0745", "long": "119.2965",
					"description": d.Description, "zipcode": "", "address_id": "", "media_url": ""}
				for k, w := range want {
					if g, ok := r[k]; !ok || toString(g) != w {
						t.Errorf("%s %s: %s = %q (present %v), want %q", f, path, k, g, ok, w)
					}
				}
				if notes := toString(r["status_notes"]); !strings.Contains(notes, "经济发展局") { // routed by the category's rule
					t.Errorf("%s %s: status_notes %q", f, path, notes)
				}
				for _, k := range []string{"service_notice", "updated_datetime"} {
					if _, ok := r[k]; !ok {
						t.Errorf("%s %s lacks %s", f, path, k)
					}
				}
			}
			var tk []map[string]any
			if f == "xml" {
				var x xmlRequests
				v.get("tokens/"+tok+".xml", url.Values{"api_key": {keyA}}).decode(t, f, 200, &x)
				tk = x.maps()
			} else {
				v.get("tokens/"+tok+".json", url.Values{"api_key": {keyA}}).decode(t, f, 200, &tk)
			}
			if len(tk) != 1 || toString(tk[0]["service_request_id"]) != strconv.FormatInt(id, 10) || tk[0]["token"] != tok {
				t.Fatalf("%s token: %v", f, tk)
			}
		}
	})
}

// TestStatusNotes follows a demand through the workflow: status open or
// closed, the newest public note, the lead department.
func TestStatusNotes(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		id, _ := v.file(keyA, "json", nil)
		q := url.Values{"api_key": {keyA}}
		path := "requests/" + strconv.FormatInt(id, 10)
		act := func(tr zhagen.Transition) {
			t.Helper()
			v.clock.Advance(time.Hour)
			_, err := v.demands.Transition(v.staff, id, tr)
			must(t, err)
		}
		act(zhagen.Transition{Action: zhagen.ActAccept})
		act(zhagen.Transition{Action: zhagen.ActUpdate, Note: "已会同供电公司现场踏勘"})
		act(zhagen.Transition{Action: zhagen.ActUpdate, Note: "内部：线路走廊待协调", Public: new(false)})
		for _, f := range formats {
			r := v.requests(path, q, f)[0]
			if r["status"] != "open" || r["status_notes"] != "已会同供电公司现场踏勘" || r["updated_datetime"] != "2026-11-02T12:00:00+08:00" {
				t.Fatalf("%s in progress: %v", f, r)
			}
		}
		act(zhagen.Transition{Action: zhagen.ActResolve, Resolution: "双回路供电已接通，已答复企业并告知办理依据"})
		for _, f := range formats {
			if r := v.requests(path, q, f)[0]; r["status"] != "closed" || r["status_notes"] != "双回路供电已接通，已答复企业并告知办理依据" {
				t.Fatalf("%s resolved: %v", f, r)
			}
			open := v.requests("requests", url.Values{"api_key": {keyA}, "status": {"open"}}, f)
			closed := v.requests("requests", url.Values{"api_key": {keyA}, "status": {"closed"}, "service_code": {"power"}}, f)
			if len(open) != 0 || len(closed) != 1 {
				t.Fatalf("%s status filter: open %v closed %v", f, open, closed)
			}
		}
	})
}

func TestErrors(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		id, tok := v.file(keyA, "xml", nil)
		ids := strconv.FormatInt(id, 10)
		good := func(extra url.Values) url.Values {
			form := url.Values{"api_key": {keyA}, "service_code": {"power"}, "description": {"需要双回路"}, "attribute[load_kw]": {"800"}}
			for k, vals := range extra {
				form[k] = vals
			}
			return form
		}
		for _, f := range formats {
			wantErrors(t, v.post("requests."+f, url.Values{"service_code": {"power"}, "description": {"x"}}), f, 403, "api_key")
			wantErrors(t, v.post("requests."+f, good(url.Values{"api_key": {"wrong-key-0123456789"}})), f, 403, "api_key")
			wantErrors(t, v.get("requests."+f, url.Values{"api_key": {"wrong"}}), f, 403, "api_key")
			wantErrors(t, v.get("requests/"+ids+"."+f, url.Values{"api_key": {"wrong"}}), f, 403, "api_key")
			wantErrors(t, v.get("tokens/"+tok+"."+f, url.Values{"api_key": {"wrong"}}), f, 403, "api_key")
			wantErrors(t, v.get("requests/999999."+f, nil), f, 404, "999999")
			wantErrors(t, v.get("tokens/nosuchtoken."+f, nil), f, 404, "token")
			wantErrors(t, v.get("requests."+f, url.Values{"status": {"pending"}}), f, 400, "status")

			wantErrors(t, v.post("requests."+f, good(url.Values{"service_code": {"nope"}})), f, 404, "service_code")
			wantErrors(t, v.get("requests/999999."+f, url.Values{"api_key": {keyA}}), f, 404, "999999")
			wantErrors(t, v.get("requests/abc."+f, url.Values{"api_key": {keyA}}), f, 404, "abc")
			wantErrors(t, v.get("tokens/nosuchtoken."+f, url.Values{"api_key": {keyA}}), f, 404, "token")
			wantErrors(t, v.get("requests."+f, url.Values{"api_key": {keyA}, "service_code": {"nope"}}), f, 404, "service_code")

			wantErrors(t, v.post("requests."+f, good(url.Values{"description": {strings.Repeat("电", 4001)}})), f, 400, "4000")
			wantErrors(t, v.post("requests."+f, good(url.Values{"lat": {"26.1north"}, "long": {"119"}})), f, 400, "lat")
			wantErrors(t, v.post("requests."+f, good(url.Values{"lat": {"26.1"}})), f, 400, "long")
			wantErrors(t, v.post("requests."+f, good(url.Values{"long": {"200"}, "lat": {"26"}})), f, 400, "long")
			wantErrors(t, v.post("requests."+f, good(url.Values{"service_code": nil})), f, 400, "service_code")
			wantErrors(t, v.post("requests."+f, good(url.Values{"attribute[load_kw]": nil})), f, 400, "attribute[load_kw]")
			wantErrors(t, v.post("requests."+f, good(url.Values{"attribute[load_kw]": {"many"}})), f, 400, "attribute[load_kw]")
			wantErrors(t, v.post("requests."+f, good(url.Values{"attribute[circuits][]": {"triple"}})), f, 400, "attribute[circuits]")
			wantErrors(t, v.post("requests."+f, good(url.Values{"attribute[load_kw": {"1"}})), f, 400, "attribute")
			wantErrors(t, v.post("requests."+f, good(url.Values{"attribute[uscc]": {"91440300708461136A"}})), f, 400, "校验位")
			wantErrors(t, v.post("requests."+f, good(url.Values{"description": {""}})), f, 400, "description")
			wantErrors(t, v.post("requests."+f, good(url.Values{"phone": {"12"}})), f, 400, "phone")

			q := url.Values{"api_key": {keyA}, "start_date": {"2026-08-01T00:00:00+08:00"}, "end_date": {"2026-11-01T00:00:00+08:00"}}
			wantErrors(t, v.get("requests."+f, q), f, 400, "90")
			wantErrors(t, v.get("requests."+f, url.Values{"api_key": {keyA}, "status": {"pending"}}), f, 400, "status")
			wantErrors(t, v.get("requests."+f, url.Values{"api_key": {keyA}, "start_date": {"soon"}}), f, 400, "start_date")
			wantErrors(t, v.get("requests."+f, url.Values{"api_key": {keyA}, "service_request_id": {"1,two"}}), f, 400, "service_request_id")
		}
		// None of the refused requests was filed.
		got := v.requests("requests", url.Values{"api_key": {keyA}}, "json")
		if len(got) != 1 {
			t.Fatalf("%d requests after the refused ones", len(got))
		}
	})
}

// TestFixMyStreetSequence replays what FixMyStreet's Open311 client does
// against a publicly readable channel (the demo's): the service list, a
// service definition, a form-encoded POST with jurisdiction_id and the
// definition's attributes, whose answer names the service_request_id
// (a realtime service gives no token), then reads the request back
// without an api_key — by id, as its report page does, and by date
// window, as its fetch of updates does — all in XML.
func TestFixMyStreetSequence(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		jur := url.Values{"jurisdiction_id": {"fixmystreet.example"}}
		var services struct {
			XMLName xml.Name `xml:"services"`
			List    []struct {
				Code     string `xml:"service_code"`
				Metadata string `xml:"metadata"`
				Type     string `xml:"type"`
			} `xml:"service"`
		}
		v.get("services.xml", jur).decode(t, "xml", 200, &services)
		if len(services.List) != 1 || services.List[0].Metadata != "true" || services.List[0].Type != "realtime" {
			t.Fatalf("services %+v", services)
		}
		code := services.List[0].Code
		var def struct {
			XMLName    xml.Name `xml:"service_definition"`
			Attributes []struct {
				Code     string `xml:"code"`
				Required string `xml:"required"`
			} `xml:"attributes>attribute"`
		}
		v.get("services/"+code+".xml", jur).decode(t, "xml", 200, &def)
		form := url.Values{"jurisdiction_id": {"fixmystreet.example"}, "api_key": {keyA}, "service_code": {code},
			"lat": {"26.0745"}, "long": {"119.2965"}, "email": {"bob@example.org"}, "first_name": {"Bob"}, "last_name": {"Mould"},
			"phone":                     {"+86 138 0013 8000"},
			"description":               {"title:  Power cut at the fab\n\ndetail: Second circuit needed\n\nurl: http://fms.example/report/1\n\nSubmitted via FixMyStreet\n"},
			"media_url":                 {"http://fms.example/photo/1.jpeg"},
			"attribute[title]":          {"Power cut at the fab"},
			"attribute[report_url]":     {"http://fms.example/report/1"},
			"attribute[fixmystreet_id]": {"1"},
		}
		for _, a := range def.Attributes {
			if a.Required == "true" {
				form.Set("attribute["+a.Code+"]", "500")
			}
		}
		var posted xmlRequests
		r := v.post("requests.xml", form)
		r.decode(t, "xml", 200, &posted)
		p := posted.maps()
		if len(p) != 1 || p[0]["service_request_id"] == "" {
			t.Fatalf("posted %s", r.body)
		}
		if _, ok := p[0]["token"]; ok {
			t.Fatalf("the POST answer of a realtime service carries a token: %s", r.body)
		}
		id := p[0]["service_request_id"].(string)

		// Read back with no api_key, as FixMyStreet does.
		got := v.requests("requests/"+id, jur, "xml")
		if len(got) != 1 || got[0]["service_request_id"] != id || got[0]["status"] != "open" || got[0]["service_code"] != code ||
			got[0]["agency_responsible"] != "经济发展局" || got[0]["requested_datetime"] != "2026-11-02T09:00:00+08:00" {
			t.Fatalf("keyless requests/%s: %+v", id, got)
		}
		window := url.Values{"jurisdiction_id": jur["jurisdiction_id"], "start_date": {"2026-11-01T00:00:00+08:00"}, "end_date": {"2026-11-03T00:00:00+08:00"}}
		if got := v.requests("requests", window, "xml"); len(got) != 1 || got[0]["service_request_id"] != id {
			t.Fatalf("keyless requests in a window: %+v", got)
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		d, err := v.demands.FindDemandByID(v.admin, n)
		must(t, err)
		if d.Title != "Power cut at the fab" || d.SubmitterName != "Bob Mould" || d.ContactPhone != "+86 138 0013 8000" ||
			!strings.Contains(d.Description, "http://fms.example/photo/1.jpeg") {
			t.Fatalf("demand %+v", d)
		}
	})
}

// TestKeylessRead: without an api_key, requests, requests/{id} and
// tokens/{token} answer the public fields — status, service, agency,
// dates, the public note — of requests filed through publicly readable
// channels, never the enterprise, the reporter, their contact, the
// description, the address or the location; a request of another channel
// is as unknown as a missing one (404). With an api_key a channel reads
// its own requests in full.
func TestKeylessRead(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		secret := url.Values{"attribute[uscc]": {usccA}, "address_string": {"福州高新区创新园二期7号楼"}, "lat": {"26.0745"}, "long": {"119.2965"},
			"first_name": {"三"}, "last_name": {"张"}, "phone": {"13800138000"}, "email": {"zhang@example.com"},
			"description": {"明年投产，需要双回路电力保障，联系张三"}}
		pub, pubTok := v.file(keyA, "json", secret)
		priv, privTok := v.file(keyB, "json", secret)
		v.clock.Advance(time.Hour)
		_, err := v.demands.Transition(v.staff, pub, zhagen.Transition{Action: zhagen.ActAccept})
		must(t, err)
		_, err = v.demands.Transition(v.staff, pub, zhagen.Transition{Action: zhagen.ActUpdate, Note: "已会同供电公司现场踏勘"})
		must(t, err)
		_, err = v.demands.Transition(v.staff, pub, zhagen.Transition{Action: zhagen.ActUpdate, Note: "内部：线路走廊待协调", Public: new(false)})
		must(t, err)
		pubID, privID := strconv.FormatInt(pub, 10), strconv.FormatInt(priv, 10)
		leaks := []string{"张三", "13800138000", "zhang@example.com", "创新园二期", "26.0745", "119.2965", "双回路电力保障", usccA, v.ent.Name, "线路走廊", pubTok}
		for _, f := range formats {
			for _, path := range []string{"requests/" + pubID, "requests"} {
				r := v.get(path+"."+f, nil)
				for _, s := range leaks {
					if strings.Contains(string(r.body), s) {
						t.Errorf("%s keyless %s shows %q: %s", f, path, s, r.body)
					}
				}
				got := v.requests(path, nil, f)
				if len(got) != 1 {
					t.Fatalf("%s keyless %s: %v", f, path, got)
				}
				want := map[string]string{"service_request_id": pubID, "status": "open", "service_code": "power", "service_name": "用电保障",
					"agency_responsible": "经济发展局", "status_notes": "已会同供电公司现场踏勘", "requested_datetime": "2026-11-02T09:00:00+08:00",
					"updated_datetime": "2026-11-02T10:00:00+08:00", "expected_datetime": "2026-11-09T09:00:00+08:00",
					"description": "", "address": "", "lat": "", "long": ""}
				for k, w := range want {
					if g := toString(got[0][k]); g != w {
						t.Errorf("%s keyless %s: %s = %q, want %q", f, path, k, g, w)
					}
				}
			}
			// Not publicly readable, or missing: not found, alike.
			wantErrors(t, v.get("requests/"+privID+"."+f, nil), f, 404, privID)
			wantErrors(t, v.get("tokens/"+privTok+"."+f, nil), f, 404, "token")
			if got := v.requests("requests", url.Values{"service_request_id": {privID + "," + pubID}}, f); len(got) != 1 || got[0]["service_request_id"] != pubID {
				t.Fatalf("%s keyless by ids: %v", f, got)
			}
			if got := v.requests("requests", url.Values{"status": {"closed"}}, f); len(got) != 0 {
				t.Fatalf("%s keyless closed: %v", f, got)
			}
			var tk []map[string]any
			if f == "xml" {
				var x xmlRequests
				v.get("tokens/"+pubTok+".xml", nil).decode(t, f, 200, &x)
				tk = x.maps()
			} else {
				v.get("tokens/"+pubTok+".json", nil).decode(t, f, 200, &tk)
			}
			if len(tk) != 1 || toString(tk[0]["service_request_id"]) != pubID {
				t.Fatalf("%s keyless token: %v", f, tk)
			}
			// With its key, channel B reads its own request in full.
			full := v.requests("requests/"+privID, url.Values{"api_key": {keyB}}, f)
			if len(full) != 1 || full[0]["address"] != "福州高新区创新园二期7号楼" || !strings.Contains(toString(full[0]["description"]), "双回路") {
				t.Fatalf("%s channel B's own request: %v", f, full)
			}
		}
	})
}

// TestChannelIsolation: a second channel cannot read the first one's
// requests by id, token or list, and the date window applies.
func TestChannelIsolation(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		old, _ := v.file(keyA, "json", nil)
		v.clock.Advance(100 * 24 * time.Hour)
		id, tok := v.file(keyA, "json", nil)
		ids := strconv.FormatInt(id, 10)
		for _, f := range formats {
			wantErrors(t, v.get("requests/"+ids+"."+f, url.Values{"api_key": {keyB}}), f, 404, ids)
			wantErrors(t, v.get("tokens/"+tok+"."+f, url.Values{"api_key": {keyB}}), f, 404, "token")
			if got := v.requests("requests", url.Values{"api_key": {keyB}, "service_request_id": {ids}}, f); len(got) != 0 {
				t.Fatalf("%s: channel B lists %v", f, got)
			}
			if got := v.requests("requests", url.Values{"api_key": {keyB}}, f); len(got) != 0 {
				t.Fatalf("%s: channel B lists %v", f, got)
			}
			// The default window is the last 90 days; the old one is found by
			// its dates or id.
			if got := v.requests("requests", url.Values{"api_key": {keyA}}, f); len(got) != 1 || got[0]["service_request_id"] != ids {
				t.Fatalf("%s: default window %v", f, got)
			}
			q := url.Values{"api_key": {keyA}, "start_date": {"2026-11-01T00:00:00+08:00"}, "end_date": {"2026-11-02T09:00:00+08:00"}}
			if got := v.requests("requests", q, f); len(got) != 1 || got[0]["service_request_id"] != strconv.FormatInt(old, 10) {
				t.Fatalf("%s: window with the old one %v", f, got)
			}
			if got := v.requests("requests", url.Values{"api_key": {keyA}, "service_request_id": {strconv.FormatInt(old, 10) + "," + ids}}, f); len(got) != 2 {
				t.Fatalf("%s: by ids %v", f, got)
			}
		}
	})
}

// TestPhoneFormats: a reporter's phone is accepted as FixMyStreet and
// people send it — with the country code, spaces, dashes, brackets — and
// kept as written; what is not a number is refused naming phone.
func TestPhoneFormats(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		for _, p := range []string{"+86 138 0013 8000", "+8613800138000", "138-0013-8000", "(0591)87654321"} {
			id, _ := v.file(keyA, "json", url.Values{"phone": {p}})
			d, err := v.demands.FindDemandByID(v.admin, id)
			must(t, err)
			if d.ContactPhone != p {
				t.Errorf("phone %q stored as %q", p, d.ContactPhone)
			}
		}
		wantErrors(t, v.post("requests.json", url.Values{"api_key": {keyA}, "service_code": {"power"}, "description": {"需要双回路"},
			"attribute[load_kw]": {"800"}, "phone": {"call me"}}), "json", 400, "phone")
	})
}
