package open311

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"zhagen"
)

var testCategory = &zhagen.Category{ID: 7, Code: "power", Name: "用电报装", Questions: []zhagen.Question{
	{Code: "capacity", Label: "申请容量(kVA)", Type: zhagen.QNumber, Required: true},
	{Code: "supply", Label: "供电方式", Type: zhagen.QMulti, Options: []zhagen.Option{{Key: "single", Name: "单回路"}, {Key: "dual", Name: "双回路"}}},
}}

func TestParseAttributes(t *testing.T) {
	form := url.Values{
		"attribute[capacity]":   {"800"},
		"attribute[supply][]":   {"single", "dual"},
		"attribute[supply]":     {"dual"},
		"attribute[uscc]":       {"91440300708461136T"},
		"attribute[代码]":         {"x"},
		"service_code":          {"power"},
		"attributes_not_ours[]": {"ignored"},
	}
	got, err := parseAttributes(form)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"capacity": {"800"}, "supply": {"dual", "single", "dual"}, "uscc": {"91440300708461136T"}, "代码": {"x"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"attribute[", "attribute[]", "attribute[a]x", "attribute[a][b]", "attribute[a[b]", "attribute[" + strings.Repeat("a", 65) + "]"} {
		if _, err := parseAttributes(url.Values{bad: {"1"}}); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
			t.Errorf("%q: got %v, want bad_request", bad, err)
		}
	}
	// Exactly at the limits: a 64-byte code and maxValues values pass.
	long := strings.Repeat("a", 64)
	atLimit := url.Values{"attribute[" + long + "][]": make([]string, maxValues)}
	if got, err := parseAttributes(atLimit); err != nil || len(got[long]) != maxValues {
		t.Errorf("a 64-byte code with %d values: %d values, %v", maxValues, len(got[long]), err)
	}
	codes := url.Values{}
	for i := range maxAttributes {
		codes.Set("attribute[c"+strconv.Itoa(i)+"]", "1")
	}
	if got, err := parseAttributes(codes); err != nil || len(got) != maxAttributes {
		t.Errorf("%d codes: %d, %v", maxAttributes, len(got), err)
	}
	codes.Set("attribute[one-more]", "1")
	if _, err := parseAttributes(codes); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
		t.Errorf("%d codes accepted: %v", maxAttributes+1, err)
	}
	many := url.Values{}
	for i := 0; i < maxValues+1; i++ {
		many.Add("attribute[a][]", "v")
	}
	if _, err := parseAttributes(many); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
		t.Errorf("too many values accepted: %v", err)
	}
}

func TestParseLatLong(t *testing.T) {
	la, lo, err := parseLatLong(" 26.0745 ", "119.2965")
	if err != nil || *la != 26.0745 || *lo != 119.2965 {
		t.Fatalf("got %v %v %v", la, lo, err)
	}
	if la, lo, err := parseLatLong("", ""); la != nil || lo != nil || err != nil {
		t.Fatalf("empty: %v %v %v", la, lo, err)
	}
	for _, c := range [][2]string{{"26", ""}, {"", "119"}, {"abc", "119"}, {"26", "1e999"}, {"91", "0"}, {"0", "-180.5"}, {"NaN", "0"}, {"0", "Inf"}} {
		if _, _, err := parseLatLong(c[0], c[1]); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
			t.Errorf("%q: got %v", c, err)
		}
	}
}

func TestDeriveTitleAndName(t *testing.T) {
	cases := []struct{ title, desc, want string }{
		{"变压器容量不足", "长描述", "变压器容量不足"},
		{"", "厂区需要双回路供电\n第二行", "厂区需要双回路供电"},
		{"", "title:  Pothole on A road\n\ndetail: deep", "Pothole on A road"},
		{"", "", "用电报装"},
		{"", strings.Repeat("电", 40), strings.Repeat("电", 30) + "…"},
	}
	for _, c := range cases {
		if got := deriveTitle(c.title, c.desc, "用电报装"); got != c.want {
			t.Errorf("deriveTitle(%q, %q) = %q, want %q", c.title, c.desc, got, c.want)
		}
	}
	for _, c := range [][3]string{{"三", "张", "张三"}, {"Bob", "Mould", "Bob Mould"}, {"", "王", "王"}, {" Ann ", "", "Ann"}} {
		if got := fullName(c[0], c[1]); got != c[2] {
			t.Errorf("fullName(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestDemandFromForm(t *testing.T) {
	form := url.Values{
		"description": {"厂区需要双回路供电"}, "lat": {"26.07"}, "long": {"119.29"}, "address_string": {"高新区创新园"},
		"first_name": {"三"}, "last_name": {"张"}, "phone": {"13800138000"}, "email": {"z@example.com"},
		"attribute[capacity]": {"800"}, "attribute[supply][]": {"single", "dual"},
		"attribute[fixmystreet_id]": {"1001"}, "attribute[title]": {"双回路供电"},
		"media_url": {"https://example.org/1.jpg"},
	}
	d, err := demandFromForm(form, testCategory)
	if err != nil {
		t.Fatal(err)
	}
	if d.Channel != zhagen.ChannelOpen311 || d.CategoryID != 7 || d.Title != "双回路供电" || d.SubmitterName != "张三" ||
		d.ContactPhone != "13800138000" || d.Address != "高新区创新园" || *d.Lat != 26.07 || *d.Long != 119.29 {
		t.Fatalf("demand: %+v", d)
	}
	if !reflect.DeepEqual(d.Answers, zhagen.Answers{"capacity": {"800"}, "supply": {"single", "dual"}}) {
		t.Fatalf("answers: %v", d.Answers)
	}
	if !strings.HasPrefix(d.Description, "厂区需要双回路供电") || !strings.Contains(d.Description, "https://example.org/1.jpg") {
		t.Fatalf("description: %q", d.Description)
	}
	bad := map[string]url.Values{
		"description": {"description": {strings.Repeat("长", 4001)}},
		"lat":         {"lat": {"north"}, "long": {"1"}},
		"long":        {"lat": {"1"}},
		"uscc":        {"attribute[uscc]": {"91440300708461136A"}},
		"media_url":   {"media_url": {"javascript:alert(1)"}},
	}
	for name, f := range bad {
		if _, err := demandFromForm(f, testCategory); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
			t.Errorf("%s: got %v, want bad_request", name, err)
		}
	}
	if d, err := demandFromForm(url.Values{"description": {strings.Repeat("长", 4000)}}, testCategory); err != nil || d.Title != strings.Repeat("长", 30)+"…" {
		t.Errorf("4000 characters refused: %v", err)
	}
}

// TestMediaNoteFitsExactly: the media links are added to the
// description when the whole fits the domain's limit, also when it fits
// exactly, and left out when it would be one character over.
func TestMediaNoteFitsExactly(t *testing.T) {
	link := "https://example.org/1.jpg"
	note := "\n\n附件 (media_url)：" + link
	room := zhagen.MaxDemandDescription - utf8.RuneCountInString(note)
	for _, c := range []struct {
		desc     int
		withNote bool
	}{{room, true}, {room + 1, false}} {
		form := url.Values{"description": {strings.Repeat("长", c.desc)}, "media_url": {link}}
		d, err := demandFromForm(form, testCategory)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.HasSuffix(d.Description, note); got != c.withNote {
			t.Errorf("description of %d characters: note added %v, want %v", c.desc, got, c.withNote)
		}
		if n := utf8.RuneCountInString(d.Description); n > zhagen.MaxDemandDescription {
			t.Errorf("description of %d characters grew to %d", c.desc, n)
		}
	}
}

func TestParseListQuery(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)
	q, err := parseListQuery(url.Values{"service_request_id": {"3, 1,3", "2"}, "status": {"bogus"}, "start_date": {"bad"}}, now)
	if err != nil || !reflect.DeepEqual(q.ids, []int64{3, 1, 2}) {
		t.Fatalf("ids override: %v %v", q, err)
	}
	q, err = parseListQuery(url.Values{"status": {"OPEN"}, "service_code": {"a,b"}}, now)
	if err != nil || q.open == nil || !*q.open || !reflect.DeepEqual(q.codes, []string{"a", "b"}) || !q.to.Equal(now) || q.to.Sub(q.from) != maxWindow {
		t.Fatalf("defaults: %+v %v", q, err)
	}
	q, err = parseListQuery(url.Values{"status": {"open,closed"}, "start_date": {"2026-09-01T00:00:00+08:00"}}, now)
	if err != nil || q.open != nil || q.to.Sub(q.from) != maxWindow {
		t.Fatalf("both statuses, start only: %+v %v", q, err)
	}
	q, err = parseListQuery(url.Values{"start_date": {"2026-09-01T00:00:00Z"}, "end_date": {"2026-11-30T00:00:00Z"}}, now)
	if err != nil || q.to.Sub(q.from) != 90*24*time.Hour {
		t.Fatalf("exactly 90 days: %+v %v", q, err)
	}
	for name, v := range map[string]url.Values{
		"91 days":   {"start_date": {"2026-09-01T00:00:00Z"}, "end_date": {"2026-12-01T00:00:00Z"}},
		"reversed":  {"start_date": {"2026-09-02T00:00:00Z"}, "end_date": {"2026-09-01T00:00:00Z"}},
		"bad date":  {"start_date": {"yesterday"}},
		"status":    {"status": {"pending"}},
		"bad id":    {"service_request_id": {"1,x"}},
		"zero id":   {"service_request_id": {"0"}},
		"too many":  {"service_request_id": {strings.Repeat("1,", 101)}},
		"neg id":    {"service_request_id": {"-4"}},
		"bad end":   {"end_date": {"2026-13-01"}},
		"overflow":  {"service_request_id": {"99999999999999999999"}},
		"bad start": {"start_date": {"2026-02-30T00:00:00Z"}},
	} {
		if _, err := parseListQuery(v, now); zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
			t.Errorf("%s: got %v, want bad_request", name, err)
		}
	}
}

func TestSplitFormat(t *testing.T) {
	for in, want := range map[string][3]string{
		"services.xml": {"services", "xml", "true"}, "services.JSON": {"services", "json", "true"}, "services": {"services", "xml", "true"},
		"12.json": {"12", "json", "true"}, "x.csv": {"x.csv", "xml", "false"}, "/open311/v2/a.json": {"a", "json", "true"},
		"/requests.json": {"requests", "json", "true"}, "/": {"", "xml", "true"}, // a slash at the very start counts too
	} {
		name, f, ok := splitFormat(in)
		if name != want[0] || string(f) != want[1] || (ok != (want[2] == "true")) {
			t.Errorf("splitFormat(%q) = %q %q %v", in, name, f, ok)
		}
	}
}

func TestErrorList(t *testing.T) {
	cases := []struct {
		err    error
		status int
		want   string
	}{
		{zhagen.Errorf(zhagen.EFORBIDDEN, "api_key 无效"), 403, "api_key 无效"},
		{zhagen.Errorf(zhagen.EUNAUTHORIZED, "x"), 403, "x"},
		{zhagen.Errorf(zhagen.ENOTFOUND, "y"), 404, "y"},
		{&zhagen.Error{Code: zhagen.EINVALID, Field: "contact_phone", Message: "电话号码格式不正确"}, 400, "电话号码格式不正确 (phone)"},
		{zhagen.Errorf(zhagen.ECONFLICT, "z"), 409, "z"},
		{errTest("db down"), 500, "内部错误 (internal error)"},
	}
	for _, c := range cases {
		status, list := errorList(c.err)
		if status != c.status || len(list) != 1 || list[0].Code != c.status || list[0].Description != c.want {
			t.Errorf("%v: %d %+v", c.err, status, list)
		}
	}
	v := &zhagen.Validation{}
	v.Add("answers.capacity", "请回答：“申请容量”")
	v.Add("title", "请填写诉求标题")
	status, list := errorList(v.Err())
	if status != 400 || len(list) != 2 || list[0].Description != "请回答：“申请容量” (attribute[capacity])" || list[1].Description != "请填写诉求标题 (description)" {
		t.Errorf("fields: %d %+v", status, list)
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }

// TestEncoding checks the element names and JSON shapes of each resource
// against the specification's examples.
func TestEncoding(t *testing.T) {
	lat, long := 26.0745, 119.2965
	due := time.Date(2026, 11, 9, 9, 0, 0, 0, time.UTC)
	d := &zhagen.Demand{ID: 42, Status: zhagen.DemandInProgress, CategoryName: "用电报装", CategoryCode: "power", Description: "双回路 <供电> & 容量",
		LeadDeptName: "经济发展局", CreatedAt: time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC), ResolutionDue: &due, Lat: &lat, Long: &long}
	r := requestOf(d, "已联系供电公司")

	b, err := encode(formatXML, xmlList[request]{root: "service_requests", items: []request{r}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Fatalf("no XML declaration: %s", b)
	}
	var x struct {
		XMLName  xml.Name `xml:"service_requests"`
		Requests []map1   `xml:"request"`
	}
	if err := xml.Unmarshal(b, &x); err != nil || len(x.Requests) != 1 {
		t.Fatalf("%v: %s", err, b)
	}
	got := x.Requests[0].m()
	for k, v := range map[string]string{"service_request_id": "42", "status": "open", "status_notes": "已联系供电公司", "service_name": "用电报装",
		"service_code": "power", "description": "双回路 <供电> & 容量", "agency_responsible": "经济发展局", "service_notice": "办理中",
		"requested_datetime": "2026-11-02T09:00:00+08:00", "updated_datetime": "2026-11-02T09:00:00+08:00",
		"expected_datetime": "2026-11-09T17:00:00+08:00", "address": "", "address_id": "", "zipcode": "", "lat": "26.0745", "long": "119.2965", "media_url": ""} {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("<%s> = %q (present %v), want %q", k, g, ok, v)
		}
	}

	b, err = encode(formatJSON, []request{r})
	if err != nil {
		t.Fatal(err)
	}
	var j []map[string]any
	if err := json.Unmarshal(b, &j); err != nil || len(j) != 1 {
		t.Fatalf("%v: %s", err, b)
	}
	if j[0]["service_request_id"] != 42.0 || j[0]["lat"] != 26.0745 || j[0]["address"] != nil || j[0]["expected_datetime"] != "2026-11-09T17:00:00+08:00" {
		t.Errorf("json: %s", b)
	}
	if _, ok := j[0]["media_url"]; !ok {
		t.Errorf("json lacks media_url: %s", b)
	}

	def := definitionOf(testCategory)
	b, _ = encode(formatXML, def)
	var sd struct {
		XMLName     xml.Name `xml:"service_definition"`
		ServiceCode string   `xml:"service_code"`
		Attributes  []struct {
			Variable            bool   `xml:"variable"`
			Code                string `xml:"code"`
			Datatype            string `xml:"datatype"`
			Required            bool   `xml:"required"`
			DatatypeDescription string `xml:"datatype_description"`
			Order               int    `xml:"order"`
			Description         string `xml:"description"`
			Values              []struct {
				Key  string `xml:"key"`
				Name string `xml:"name"`
			} `xml:"values>value"`
		} `xml:"attributes>attribute"`
	}
	if err := xml.Unmarshal(b, &sd); err != nil || sd.ServiceCode != "power" || len(sd.Attributes) != 3 {
		t.Fatalf("%v: %s", err, b)
	}
	if a := sd.Attributes[1]; a.Code != "supply" || a.Datatype != "multivaluelist" || a.Order != 2 || len(a.Values) != 2 || a.Values[1].Key != "dual" || a.Values[1].Name != "双回路" {
		t.Errorf("supply attribute: %+v\n%s", a, b)
	}
	if a := sd.Attributes[2]; a.Code != USCCAttribute || a.Datatype != "string" || a.Order != 3 {
		t.Errorf("uscc attribute: %+v", a)
	}
	if n := strings.Count(string(b), "<values>"); n != 1 {
		t.Errorf("%d <values> elements, want 1 (only list attributes have values):\n%s", n, b)
	}
	for _, want := range []string{"<variable>true</variable>", "<required>true</required>", "<datatype_description>", "<description>申请容量(kVA)</description>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("definition lacks %s:\n%s", want, b)
		}
	}

	rec := newRecorder()
	writeList(rec, formatJSON, http.StatusForbidden, "errors", []apiError{{Code: 403, Description: "api_key 无效"}})
	if rec.body.String() != `[{"code":403,"description":"api_key 无效"}]`+"\n" || rec.status != 403 || !strings.HasPrefix(rec.h.Get("Content-Type"), "application/json; charset=utf-8") {
		t.Errorf("json errors: %d %q %v", rec.status, rec.body.String(), rec.h)
	}
	rec = newRecorder()
	writeList(rec, formatXML, http.StatusNotFound, "errors", []apiError{{Code: 404, Description: "不存在"}})
	if !strings.HasSuffix(rec.body.String(), "<errors><error><code>404</code><description>不存在</description></error></errors>\n") || rec.h.Get("Content-Type") != "text/xml; charset=utf-8" {
		t.Errorf("xml errors: %q %v", rec.body.String(), rec.h)
	}
}

// map1 collects the child elements of an element by name.
type map1 struct {
	Fields []struct {
		XMLName xml.Name
		Text    string `xml:",chardata"`
	} `xml:",any"`
}

func (m map1) m() map[string]string {
	out := map[string]string{}
	for _, f := range m.Fields {
		out[f.XMLName.Local] = f.Text
	}
	return out
}

type recorder struct {
	h      http.Header
	status int
	body   strings.Builder
}

func newRecorder() *recorder                    { return &recorder{h: http.Header{}} }
func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) WriteHeader(s int)           { r.status = s }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// FuzzParseAttributes feeds arbitrary form bodies and query strings to
// the parsers: they must not panic, and what they accept must be sane.
func FuzzParseAttributes(f *testing.F) {
	for _, s := range []string{
		"attribute[capacity]=800&attribute[supply][]=single&attribute[supply][]=dual",
		"attribute[=1&attribute[]]=2&attribute[a][b]=3",
		"description=%E4%B8%AD&lat=26.1&long=119.2&attribute[uscc]=91350100MA2Y0B2X1Q",
		"lat=1e400&long=-0&media_url=http://%zz",
		"service_request_id=1,2,,3&status=open,closed&start_date=2026-01-01&end_date=2026-02-01",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)
	f.Fuzz(func(t *testing.T, body string) {
		form, _ := url.ParseQuery(body)
		attrs, err := parseAttributes(form)
		if err == nil {
			for code := range attrs {
				if code == "" || strings.ContainsAny(code, "[]") {
					t.Fatalf("accepted code %q", code)
				}
			}
		} else if zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
			t.Fatalf("error code %v", err)
		}
		if d, err := demandFromForm(form, testCategory); err == nil {
			if d.Lat != nil && (*d.Lat < -90 || *d.Lat > 90 || *d.Long < -180 || *d.Long > 180) {
				t.Fatalf("lat/long out of range: %v %v", *d.Lat, *d.Long)
			}
			for code := range d.Answers {
				if code != "capacity" && code != "supply" {
					t.Fatalf("unknown answer %q", code)
				}
			}
		} else if zhagen.ErrorCode(err) != zhagen.EBADREQUEST {
			t.Fatalf("error code %v", err)
		}
		if q, err := parseListQuery(form, now); err == nil && q.ids == nil && (q.to.Before(q.from) || q.to.Sub(q.from) > maxWindow) {
			t.Fatalf("window %v–%v", q.from, q.to)
		}
	})
}

// TestLimitsAgreeWithDomain: what Open311 refuses early with a named
// parameter is exactly what Demand.Validate would refuse.
func TestLimitsAgreeWithDomain(t *testing.T) {
	for _, c := range [][2]string{{"26", "119"}, {"-90", "-180"}, {"90", "180"}, {"90.000001", "0"}, {"0", "180.000001"},
		{"-90.5", "0"}, {"0", "-181"}, {"NaN", "0"}, {"0", "NaN"}, {"Inf", "0"}, {"0", "-Inf"}} {
		la, lo, err := parseLatLong(c[0], c[1])
		laf, _ := strconv.ParseFloat(c[0], 64)
		lof, _ := strconv.ParseFloat(c[1], 64)
		d := &zhagen.Demand{Title: "t", Description: "d", CategoryID: 7, Channel: zhagen.ChannelOpen311, Lat: &laf, Long: &lof}
		domainOK := zhagen.FieldErrors(d.Validate())["lat"] == ""
		if (err == nil) != domainOK || (err == nil && (*la != laf || *lo != lof)) {
			t.Errorf("%q: open311 %v, domain accepts %v", c, err, domainOK)
		}
	}
	for _, n := range []int{zhagen.MaxDemandDescription, zhagen.MaxDemandDescription + 1} {
		desc := strings.Repeat("长", n)
		_, err := demandFromForm(url.Values{"description": {desc}}, testCategory)
		d := &zhagen.Demand{Title: "t", Description: desc, CategoryID: 7, Channel: zhagen.ChannelOpen311}
		domainOK := zhagen.FieldErrors(d.Validate())["description"] == ""
		if (err == nil) != domainOK {
			t.Errorf("%d characters: open311 %v, domain accepts %v", n, err, domainOK)
		}
	}
}
