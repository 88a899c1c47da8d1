package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

func TestOpen311KeyCommand(t *testing.T) {
	sqldbtest.Run(t, testOpen311KeyCommand)
}

func testOpen311KeyCommand(t *testing.T, eng sqldbtest.Engine) {
	ctx := context.Background()
	env := map[string]string{"ZHAGEN_DATABASE_URL": eng.DSN(t)}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg := loadConfig(fs, func(k string) string { return env[k] })
	cmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := open311KeyCmd(ctx, cfg, args, &out)
		return out.String(), err
	}

	out, err := cmd("create", "FixMyStreet", "福州")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^api_key: (\S+)$`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "FixMyStreet 福州") || !strings.Contains(out, "只显示") {
		t.Fatalf("create printed:\n%s", out)
	}
	if _, err := cmd("create", "--key", "chosen-key-0123456789", "热线"); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd("create", "--key", "short", "x"); err == nil || !strings.Contains(err.Error(), "16") {
		t.Fatalf("short key: %v", err)
	}
	if _, err := cmd("create", "--key", "chosen-key-0123456789", "again"); err == nil {
		t.Fatal("a used key was issued again")
	}
	for _, bad := range [][]string{nil, {"create"}, {"delete", "x"}, {"create", "--nope", "x"}, {"list", "x"}} {
		if _, err := cmd(bad...); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}

	out, err = cmd("list")
	if err != nil || !strings.Contains(out, "FixMyStreet 福州") || !strings.Contains(out, "热线") || strings.Contains(out, m[1]) {
		t.Fatalf("list: %v\n%s", err, out)
	}

	// Publicly readable: at creation, or set and unset later.
	if out, err := cmd("create", "--public", "公开渠道"); err != nil || !strings.Contains(out, "公开查询：是") {
		t.Fatalf("create --public: %v\n%s", err, out)
	}
	if out, err := cmd("public", "1", "yes"); err != nil || !strings.Contains(out, "FixMyStreet 福州") || !strings.Contains(out, "公开查询：是") {
		t.Fatalf("public 1 yes: %v\n%s", err, out)
	}
	if out, err := cmd("public", "2", "no"); err != nil || !strings.Contains(out, "公开查询：否") {
		t.Fatalf("public 2 no: %v\n%s", err, out)
	}
	for _, bad := range [][]string{{"public", "1"}, {"public", "x", "yes"}, {"public", "1", "maybe"}, {"public", "999", "yes"}} {
		if _, err := cmd(bad...); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	out, err = cmd("list")
	if err != nil || !regexp.MustCompile(`(?m)^1\s+FixMyStreet 福州\s+是`).MatchString(out) || !regexp.MustCompile(`(?m)^2\s+热线\s+否`).MatchString(out) {
		t.Fatalf("list with the public column: %v\n%s", err, out)
	}

	app, err := openApp(ctx, cfg, zhagen.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer app.DB.Close()
	for key, name := range map[string]string{m[1]: "FixMyStreet 福州", "chosen-key-0123456789": "热线"} {
		a, err := app.Intake.ActorByAPIKey(ctx, key)
		if err != nil || a.IntakeChannelID == 0 || a.Name != name {
			t.Errorf("key %q: %+v %v", key, a, err)
		}
	}

	// The whole handler serves Open311 under /open311/v2/ and lets a
	// server-to-server form POST through its cross-origin protection.
	h, err := app.Handler(slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/open311/v2/services.json")
	if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("services.json: %v %+v", err, res)
	}
	res.Body.Close()
	res, err = http.PostForm(srv.URL+"/open311/v2/requests.xml", url.Values{"api_key": {m[1]}, "service_code": {"nope"}, "description": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 404 || !strings.Contains(string(body), "<errors><error><code>404</code>") {
		t.Fatalf("POST requests.xml: %d %s", res.StatusCode, body)
	}
}
