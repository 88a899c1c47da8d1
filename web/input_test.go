package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestControlCharactersRefused: a NUL or another control character, or
// bytes that are not UTF-8, in any form or query value is refused with
// 422 naming the field, before any query, on both stores — the login and
// the registration of anonymous callers included. Tab and line breaks
// pass.
func TestControlCharactersRefused(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, eng sqldbtest.Engine) {
		e := newTestEnvOn(t, eng)
		e.client().post("/login", url.Values{"login": {"admin1\x00"}, "password": {testPassword}}).
			wantStatus(t, http.StatusUnprocessableEntity).contains(t, "login", "控制字符")
		e.client().post("/register", url.Values{"login": {"grad9"}, "password": {testPassword}, "password2": {testPassword},
			"name": {"张\x00三"}, "university": {"福州大学"}, "major": {"电子"}, "degree": {"bachelor"}, "grad_year": {"2026"}}).
			wantStatus(t, http.StatusUnprocessableEntity).contains(t, "name")

		admin := e.login("admin1")
		ent := func(name, address string) url.Values {
			return url.Values{"name": {name}, "uscc": {validUSCC(t, "0000003")}, "industry": {e.indName}, "park": {"创新园"}, "address": {address}}
		}
		admin.post("/enterprises", ent("丙\x00公司", "")).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "name")
		admin.post("/enterprises", ent("丙公司", "福州\x1b")).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "address")
		admin.post("/enterprises", ent("丙公司\xff", "")).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "name", "UTF-8")
		admin.post("/enterprises", ent("丙公司\u0085", "")).wantStatus(t, http.StatusUnprocessableEntity).contains(t, "name")
		if _, n, err := e.ents.FindEnterprises(e.sys, zhagen.EnterpriseFilter{Query: "丙", Limit: 10}); err != nil || n != 0 {
			t.Fatalf("refused enterprises stored: %d, %v", n, err)
		}
		admin.get("/demands?q=%00").wantStatus(t, http.StatusUnprocessableEntity).contains(t, "q")
		admin.get("/jobs?major=%E4%B8%AD%7F").wantStatus(t, http.StatusUnprocessableEntity).contains(t, "major")
		// Tab and line breaks (a textarea sends CR LF) are text.
		admin.post("/enterprises", ent("丙公司", "福州\t高新区\r\n创新园")).wantStatus(t, http.StatusSeeOther)
	})
}

// TestSearchTextCapped: a search text longer than 200 is
// refused with 400 naming the limit on every list, the anonymous job
// board included; SQLite failed on 50,000 characters with "LIKE or GLOB
// pattern too complex".
func TestSearchTextCapped(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, eng sqldbtest.Engine) {
		e := newTestEnvOn(t, eng)
		long := url.QueryEscape(strings.Repeat("%", 50000))
		e.client().get("/jobs?q="+long).wantStatus(t, http.StatusBadRequest).contains(t, "200")
		admin := e.login("admin1")
		for _, path := range []string{"/demands", "/enterprises", "/users", "/logs/ops", "/projects", "/consultations", "/graduates", "/positions"} {
			admin.get(path+"?q="+long).wantStatus(t, http.StatusBadRequest).contains(t, "200")
			admin.get(path+"?q="+url.QueryEscape(strings.Repeat("查", 200))).wantStatus(t, http.StatusOK)
		}
	})
}
