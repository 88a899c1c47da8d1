package open311

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"zhagen"
)

// Limits on what a client may send.
const (
	maxAttributes = 100 // distinct attribute codes in one request
	maxValues     = 200 // attribute values in one request
	maxIDs        = 100 // service_request_id values in one query
	maxWindow     = 90 * 24 * time.Hour
	maxMediaURLs  = 10
	titleRunes    = 30 // a derived title's length
)

func badRequest(field, msg string) error {
	return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: field, Message: msg}
}

// parseAttributes collects the values of attribute[code] and
// attribute[code][] (the form a multivaluelist uses) by code, in the
// order the form lists them. Any other key is not an attribute and is
// left alone; a malformed attribute key is EBADREQUEST.
func parseAttributes(form url.Values) (map[string][]string, error) {
	keys := make([]string, 0, len(form))
	for k := range form {
		if strings.HasPrefix(k, "attribute[") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // attribute[x] before attribute[x][]: a stable order of values
	out := map[string][]string{}
	n := 0
	for _, k := range keys {
		rest := k[len("attribute["):]
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, badRequest(k, "attribute 参数格式不正确，应为 attribute[code] 或 attribute[code][] (malformed attribute key): "+k)
		}
		code, suffix := rest[:end], rest[end+1:]
		if code == "" || len(code) > 64 || strings.ContainsAny(code, "[") || !utf8.ValidString(code) || (suffix != "" && suffix != "[]") {
			return nil, badRequest(k, "attribute 参数格式不正确，应为 attribute[code] 或 attribute[code][] (malformed attribute key): "+k)
		}
		if _, seen := out[code]; !seen && len(out) == maxAttributes {
			return nil, badRequest("attribute", "attribute 参数过多 (too many attributes)")
		}
		n += len(form[k])
		if n > maxValues {
			return nil, badRequest("attribute", "attribute 取值过多 (too many attribute values)")
		}
		out[code] = append(out[code], form[k]...)
	}
	return out, nil
}

// parseLatLong reads lat and long: both or neither, decimal WGS84 degrees
// in range by the domain's rule (zhagen.ValidLat, zhagen.ValidLong), named
// here per parameter as the specification's errors list wants.
func parseLatLong(lat, long string) (*float64, *float64, error) {
	lat, long = strings.TrimSpace(lat), strings.TrimSpace(long)
	if lat == "" && long == "" {
		return nil, nil, nil
	}
	if lat == "" || long == "" {
		return nil, nil, badRequest("lat", "lat 与 long 须同时提供 (lat and long go together)")
	}
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(long, 64)
	if err1 != nil || !zhagen.ValidLat(la) {
		return nil, nil, badRequest("lat", "lat 须为 -90 到 90 之间的十进制度数 (lat must be decimal degrees within ±90)")
	}
	if err2 != nil || !zhagen.ValidLong(lo) {
		return nil, nil, badRequest("long", "long 须为 -180 到 180 之间的十进制度数 (long must be decimal degrees within ±180)")
	}
	return &la, &lo, nil
}

// fullName joins first_name and last_name: family name first and no
// space for Chinese names ("张" + "三" from last_name 张, first_name 三),
// "first last" otherwise.
func fullName(first, last string) string {
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" || last == "" {
		return first + last
	}
	if isHan(first) && isHan(last) {
		return last + first
	}
	return first + " " + last
}

func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) && r != '·' {
			return false
		}
	}
	return true
}

// deriveTitle makes a demand title from the reporter's title, else the
// first line of the description (FixMyStreet's "title: …" line included),
// else the category name.
func deriveTitle(title, description, category string) string {
	t := strings.TrimSpace(title)
	if t == "" {
		line, _, _ := strings.Cut(strings.TrimSpace(description), "\n")
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "title:"); ok {
			line = strings.TrimSpace(rest)
		}
		t = line
	}
	if t == "" {
		return category
	}
	if r := []rune(t); len(r) > titleRunes {
		t = strings.TrimSpace(string(r[:titleRunes])) + "…"
	}
	return t
}

// checkMediaURL accepts an absolute http(s) URL of reasonable length.
func checkMediaURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > 1000 {
		return badRequest("media_url", "media_url 须为 http 或 https 网址 (media_url must be an http(s) URL)")
	}
	return nil
}

// demandFromForm maps a POST requests form to a demand of the category:
// the category's questions from the attributes (other attributes, such as
// FixMyStreet's fixmystreet_id or report_url, are ignored), the built-in
// uscc attribute to Demand.USCC, and the reporter's fields.
func demandFromForm(form url.Values, cat *zhagen.Category) (*zhagen.Demand, error) {
	desc := strings.TrimSpace(form.Get("description"))
	if utf8.RuneCountInString(desc) > zhagen.MaxDemandDescription {
		return nil, badRequest("description", "description 不能超过4000个字 (description is limited to 4,000 characters)")
	}
	lat, long, err := parseLatLong(form.Get("lat"), form.Get("long"))
	if err != nil {
		return nil, err
	}
	attrs, err := parseAttributes(form)
	if err != nil {
		return nil, err
	}
	answers := zhagen.Answers{}
	asked := map[string]bool{}
	for _, q := range cat.Questions {
		asked[q.Code] = true
		if vals := attrs[q.Code]; len(vals) > 0 {
			answers[q.Code] = vals
		}
	}
	var uscc string
	for _, v := range attrs[USCCAttribute] {
		if v = zhagen.NormalizeUSCC(v); v != "" {
			uscc = v
			break
		}
	}
	if uscc != "" {
		if msg := zhagen.ValidateUSCC(uscc); msg != "" {
			return nil, badRequest("attribute["+USCCAttribute+"]", msg)
		}
	}
	var title string
	if !asked["title"] && len(attrs["title"]) > 0 {
		title = attrs["title"][0]
	}
	media := form["media_url"]
	if len(media) > maxMediaURLs {
		return nil, badRequest("media_url", "media_url 过多 (too many media_url values)")
	}
	var links []string
	for _, m := range media {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		if err := checkMediaURL(m); err != nil {
			return nil, err
		}
		links = append(links, m)
	}
	d := &zhagen.Demand{
		Channel:       zhagen.ChannelOpen311,
		CategoryID:    cat.ID,
		Title:         deriveTitle(title, desc, cat.Name),
		Description:   desc,
		Answers:       answers,
		Address:       strings.TrimSpace(form.Get("address_string")),
		Lat:           lat,
		Long:          long,
		SubmitterName: truncate(fullName(form.Get("first_name"), form.Get("last_name")), 50),
		ContactPhone:  strings.TrimSpace(form.Get("phone")),
		USCC:          uscc,
	}
	if note := "\n\n附件 (media_url)：" + strings.Join(links, " "); len(links) > 0 && d.Description != "" &&
		utf8.RuneCountInString(d.Description)+utf8.RuneCountInString(note) <= zhagen.MaxDemandDescription {
		d.Description += note
	}
	return d, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// listQuery is what GET requests asks for.
type listQuery struct {
	ids      []int64  // when set, the other fields are ignored
	codes    []string // service_code values
	open     *bool    // nil for both statuses
	from, to time.Time
}

// splitList splits a comma-separated parameter (which may also repeat).
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// parseListQuery reads the GET requests filters. A service_request_id
// list overrides the rest. Without dates the last 90 days are searched; a
// lone start_date or end_date spans 90 days from or to it.
func parseListQuery(q url.Values, now time.Time) (listQuery, error) {
	var lq listQuery
	if ids := splitList(q["service_request_id"]); len(ids) > 0 {
		if len(ids) > maxIDs {
			return lq, badRequest("service_request_id", "service_request_id 一次最多100个 (at most 100 service_request_id values)")
		}
		seen := map[int64]bool{}
		for _, s := range ids {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				return lq, badRequest("service_request_id", "service_request_id 须为正整数，多个用逗号分隔 (comma-separated positive integers): "+s)
			}
			if !seen[id] {
				seen[id] = true
				lq.ids = append(lq.ids, id)
			}
		}
		return lq, nil
	}
	lq.codes = splitList(q["service_code"])
	var open, closed bool
	for _, s := range splitList(q["status"]) {
		switch strings.ToLower(s) {
		case "open":
			open = true
		case "closed":
			closed = true
		default:
			return lq, badRequest("status", "status 只能是 open 或 closed (status is open or closed): "+s)
		}
	}
	if open != closed {
		lq.open = &open
	}
	start, err := parseDate(q.Get("start_date"), "start_date")
	if err != nil {
		return lq, err
	}
	end, err := parseDate(q.Get("end_date"), "end_date")
	if err != nil {
		return lq, err
	}
	switch {
	case start.IsZero() && end.IsZero():
		lq.from, lq.to = now.Add(-maxWindow), now
	case end.IsZero():
		lq.from, lq.to = start, start.Add(maxWindow)
	case start.IsZero():
		lq.from, lq.to = end.Add(-maxWindow), end
	default:
		lq.from, lq.to = start, end
	}
	if lq.to.Before(lq.from) {
		return lq, badRequest("end_date", "end_date 不能早于 start_date (end_date is before start_date)")
	}
	if lq.to.Sub(lq.from) > maxWindow {
		return lq, badRequest("end_date", "start_date 与 end_date 相隔不能超过90天 (the range may not exceed 90 days)")
	}
	return lq, nil
}

// parseDate reads a W3C date-time; one without an offset is Beijing time.
func parseDate(s, field string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	t, err := zhagen.ParseDateTime(s)
	if err != nil {
		return time.Time{}, badRequest(field, field+" 须为 W3C 日期时间，如 2026-10-08T09:30:00+08:00 (a W3C date-time): "+s)
	}
	return t, nil
}

// statusOf maps a demand status to open or closed.
func statusOf(s zhagen.DemandStatus) string {
	if s.Open() {
		return "open"
	}
	return "closed"
}

// requestOf renders a demand as a service request.
func requestOf(d *zhagen.Demand, note string) request {
	updated := d.UpdatedAt
	if updated.IsZero() {
		updated = d.CreatedAt
	}
	return request{
		ServiceRequestID:  idNumber(d.ID),
		Status:            statusOf(d.Status),
		StatusNotes:       nullString(note),
		ServiceName:       d.CategoryName,
		ServiceCode:       d.CategoryCode,
		Description:       d.Description,
		AgencyResponsible: nullString(d.LeadDeptName),
		ServiceNotice:     nullString(d.Status.Label()),
		RequestedDatetime: datetime(d.CreatedAt),
		UpdatedDatetime:   nullString(datetime(updated)),
		ExpectedDatetime:  optDatetime(d.ResolutionDue),
		Address:           nullString(d.Address),
		Lat:               floatNumber(d.Lat),
		Long:              floatNumber(d.Long),
	}
}
