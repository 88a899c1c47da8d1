package open311_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// TestControlCharactersRefused: a NUL or another control character, or
// bytes that are not UTF-8, in any parameter of a POST or a GET (the
// api_key included) is refused with 400 naming the parameter, before the
// key is looked up or anything is stored, on both stores; a body over
// 1 MiB is 413.
func TestControlCharactersRefused(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		good := func(k, val string) url.Values {
			form := url.Values{"api_key": {keyA}, "service_code": {"power"}, "description": {"需要双回路"}, "attribute[load_kw]": {"800"}}
			form.Set(k, val)
			return form
		}
		for _, f := range formats {
			wantErrors(t, v.post("requests."+f, good("description", "双回路\x00供电")), f, 400, "description")
			wantErrors(t, v.post("requests."+f, good("first_name", "张\xff")), f, 400, "first_name")
			wantErrors(t, v.post("requests."+f, good("attribute[load_kw]", "8\x0000")), f, 400, "attribute[load_kw]")
			wantErrors(t, v.post("requests."+f, good("api_key", keyA+"\x00")), f, 400, "api_key")
			wantErrors(t, v.get("requests."+f, url.Values{"api_key": {keyA}, "service_code": {"power\x00"}}), f, 400, "service_code")
			wantErrors(t, v.get("requests."+f, url.Values{"api_key": {"\x00"}}), f, 400, "api_key")
			wantErrors(t, v.get("services/power%00."+f, nil), f, 404, "")
			wantErrors(t, v.get("tokens/%00."+f, url.Values{"api_key": {keyA}}), f, 404, "")
			wantErrors(t, v.post("requests."+f, good("description", strings.Repeat("长", 400000))), f, 413, "1 MiB")
		}
		if got := v.requests("requests", url.Values{"api_key": {keyA}}, "json"); len(got) != 0 {
			t.Fatalf("%d requests filed by refused posts", len(got))
		}
		// Tab and line breaks are text.
		res := v.post("requests.json", good("description", "需要\t双回路\r\n供电"))
		if res.status != http.StatusOK {
			t.Fatalf("tab and line breaks: %d %s", res.status, res.body)
		}
	})
}
