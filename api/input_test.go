package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestControlCharactersRefused: a NUL or another control character, or
// bytes that are not UTF-8, in any string of a JSON body (names and
// nested values included), a query value or a file name is refused with
// 422 naming the field before any query, on both stores; the login and
// the graduates' registration of anonymous callers included.
func TestControlCharactersRefused(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		body := "91350100MA0000003"
		c, _ := zhagen.USCCCheckChar(body)
		uscc := body + string(c)
		refused := func(login, method, path, body, field string) {
			t.Helper()
			st, b := v.do(login, method, path, body)
			if st != http.StatusUnprocessableEntity || errField(b, "field") != field || !strings.Contains(errField(b, "message"), field) {
				t.Errorf("%s %s %s: %d %v, want 422 naming %s", method, path, body, st, b, field)
			}
		}
		refused("", "POST", "/api/v1/login", `{"login":"admin\u0000","password":"`+password+`"}`, "login")
		refused("", "POST", "/api/v1/graduates/register", `{"login":"grad9","password":"`+password+`","graduate":{"name":"张\u0000三","university":"福州大学","major":"电子","degree":"bachelor","grad_year":2026}}`, "graduate.name")
		refused("admin", "POST", "/api/v1/enterprises", `{"name":"丙\u0000公司","uscc":"`+uscc+`","industry":"集成电路"}`, "name")
		refused("admin", "POST", "/api/v1/enterprises", "{\"name\":\"丙公司\xff\",\"uscc\":\""+uscc+"\",\"industry\":\"集成电路\"}", "name")
		refused("admin", "POST", "/api/v1/enterprises", `{"name":"丙公司","uscc":"`+uscc+`","industry":"集成电路","contacts":[{"name":"林工"},{"name":"王\u001b工"}]}`, "contacts.1.name")
		refused("enterprise", "POST", "/api/v1/demands", `{"category_id":1,"title":"t","description":"d","answers":{"load\u0000":1}}`, `"answers.load\x00"`)
		refused("admin", "GET", "/api/v1/enterprises?q=%00", "", "q")
		if st, b := v.do("admin", "GET", "/api/v1/enterprises?q="+url.QueryEscape("丙"), nil); st != 200 || b["total"].(float64) != 0 {
			t.Errorf("a refused enterprise was stored: %d %v", st, b)
		}
		// Tab and line breaks are text.
		if st, b := v.do("admin", "POST", "/api/v1/enterprises", `{"name":"丙公司","uscc":"`+uscc+`","industry":"集成电路","address":"福州\t高新区\r\n创新园"}`); st != 201 {
			t.Errorf("tab and line breaks: %d %v", st, b)
		}
		// A file name is text too (a NUL cannot pass a MIME header).
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "a\xff.pdf")
		fw.Write([]byte("%PDF-1.4\n"))
		mw.Close()
		req := httptest.NewRequest("POST", "/api/v1/demands/"+itoa(v.ids["demand"])+"/attachments", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+v.tokens["enterprise"])
		rec := httptest.NewRecorder()
		v.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"field":"file"`) {
			t.Errorf("file name with NUL: %d %s", rec.Code, rec.Body)
		}
	})
}

// TestSearchTextCapped: a search text over zhagen.MaxSearchLen is 400
// naming the parameter and the limit, on every list that searches.
func TestSearchTextCapped(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		long := url.QueryEscape(strings.Repeat("%", 50000))
		for _, path := range []string{"/api/v1/enterprises", "/api/v1/users", "/api/v1/demands", "/api/v1/categories", "/api/v1/positions",
			"/api/v1/graduates", "/api/v1/consultations", "/api/v1/projects"} {
			st, b := v.do("admin", "GET", path+"?q="+long, nil)
			if st != http.StatusBadRequest || errField(b, "field") != "q" || !strings.Contains(errField(b, "message"), "200") {
				t.Errorf("%s: %d %v", path, st, b)
			}
			if st, b := v.do("admin", "GET", path+"?q="+url.QueryEscape(strings.Repeat("查", zhagen.MaxSearchLen)), nil); st != http.StatusOK {
				t.Errorf("%s at the limit: %d %v", path, st, b)
			}
		}
	})
}

// TestBodyLimit: a JSON body over 1 MiB is 413, whether it says its
// length or not.
func TestBodyLimit(t *testing.T) {
	v := newEnv(t, sqldbtest.OneStore(t, "request decoding"))
	big := `{"name":"` + strings.Repeat("a", 2<<20) + `"}`
	for _, chunked := range []bool{false, true} {
		req := httptest.NewRequest("POST", "/api/v1/enterprises", strings.NewReader(big))
		if chunked {
			req.ContentLength = -1
		}
		req.Header.Set("Authorization", "Bearer "+v.tokens["admin"])
		rec := httptest.NewRecorder()
		v.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "1 MiB") {
			t.Errorf("chunked %v: %d %s", chunked, rec.Code, rec.Body)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestTrailingDataRefused: a body is one JSON value; data after it is
// refused, a stray ] or } included (the fuzzer found those accepted).
func TestTrailingDataRefused(t *testing.T) {
	v := newEnv(t, sqldbtest.OneStore(t, "request decoding"))
	for _, body := range []string{`{"login":"admin","password":"` + password + `"}]`, `{"login":"admin","password":"` + password + `"}}`,
		`{"login":"admin","password":"` + password + `"} {}`} {
		if st, b := v.do("", "POST", "/api/v1/login", body); st != http.StatusBadRequest {
			t.Errorf("%s: %d %v", body, st, b)
		}
	}
	if st, b := v.do("", "POST", "/api/v1/login", `{"login":"admin","password":"`+password+`"}`+" \n"); st != http.StatusOK {
		t.Errorf("trailing space: %d %v", st, b)
	}
}
