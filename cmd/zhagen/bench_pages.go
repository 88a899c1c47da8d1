package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"

	"regexp"
	"slices"
	"strings"
	"time"

	"zhagen"
	"zhagen/demo"
)

// bulkDemoDemands adds n synthetic demands to the demo zone: in its
// first category, spread over its enterprises and the departments that
// lead categories, one in twenty open (zhagen demo --bulk-demands N).
func bulkDemoDemands(ctx context.Context, app *App, n int, stdout io.Writer) error {
	sys := systemCtx(ctx)
	cats, err := app.Categories.FindCategories(sys, zhagen.CategoryFilter{})
	if err != nil {
		return err
	}
	if len(cats) == 0 {
		return errors.New("demo: no category to file bulk demands in")
	}
	var depts []int64
	for _, c := range cats {
		if c.LeadDeptID != 0 && !slices.Contains(depts, c.LeadDeptID) {
			depts = append(depts, c.LeadDeptID)
		}
	}
	ents, _, err := app.Enterprises.FindEnterprises(sys, zhagen.EnterpriseFilter{Limit: 1000})
	if err != nil {
		return err
	}
	var ids []int64
	for _, e := range ents {
		ids = append(ids, e.ID)
	}
	t0 := time.Now()
	if err := app.Demands.BulkLoadDemands(sys, n, cats[0].ID, ids, depts, app.Clock.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "批量诉求 %d 条，用时 %s (bulk demands stored)\n", n, time.Since(t0).Round(time.Second))
	return nil
}

// benchPages is a client, run as its own process against a running
// server with the demo zone (zhagen demo [--bulk-demands N]; zhagen
// serve): it logs in as each demo account, reads the links of its menu,
// and opens every page runs times one after another, printing one JSON
// line per page (p50, p99 in ms, bytes) and then the five slowest.
func benchPages(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	base := fs.String("url", "http://127.0.0.1:8080", "运行中的服务器地址 (the running server)")
	runs := fs.Int("runs", 20, "每页请求次数 (requests per page)")
	password := fs.String("password", demo.DefaultPassword, "演示账号密码 (demo password)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	type result struct {
		Role, Login, Page string
		P50, P99          float64
		Bytes             int
	}
	var all []result
	seen := map[zhagen.Role]bool{}
	for _, acc := range demo.Accounts() {
		if seen[acc.Role] {
			continue // one account per role
		}
		seen[acc.Role] = true
		c, err := loginClient(ctx, *base, acc.Login, *password)
		if err != nil {
			return fmt.Errorf("bench pages: %s: %w", acc.Login, err)
		}
		_, home, err := fetch(ctx, c, *base+"/")
		if err != nil {
			return err
		}
		for _, page := range menuLinks(home) {
			lat := make([]time.Duration, 0, *runs)
			size := 0
			for range *runs {
				t0 := time.Now()
				st, body, err := fetch(ctx, c, *base+page)
				if err != nil {
					return err
				}
				if st != http.StatusOK {
					return fmt.Errorf("bench pages: %s %s: HTTP %d", acc.Login, page, st)
				}
				lat = append(lat, time.Since(t0))
				size = len(body)
			}
			slices.Sort(lat)
			r := result{Role: string(acc.Role), Login: acc.Login, Page: page, Bytes: size,
				P50: ms(lat[len(lat)/2]), P99: ms(lat[(len(lat)-1)*99/100])}
			all = append(all, r)
			if err := json.NewEncoder(stdout).Encode(map[string]any{"role": r.Role, "login": r.Login, "page": r.Page,
				"runs": *runs, "p50_ms": r.P50, "p99_ms": r.P99, "bytes": r.Bytes}); err != nil {
				return err
			}
		}
	}
	slices.SortFunc(all, func(a, b result) int { return int((b.P99 - a.P99) * 1000) })
	fmt.Fprintln(stdout, "# 最慢的五个页面 (slowest five by p99):")
	for _, r := range all[:min(5, len(all))] {
		fmt.Fprintf(stdout, "#   %-10s %-40s p50 %6.1f ms  p99 %6.1f ms\n", r.Login, r.Page, r.P50, r.P99)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// loginClient logs in through the web form and returns a client holding
// the session cookie.
func loginClient(ctx context.Context, base, login, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second}
	form := url.Values{"login": {login}, "password": {password}}
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "zhagen_session" {
			return c, nil
		}
	}
	return nil, fmt.Errorf("login refused (HTTP %d)", resp.StatusCode)
}

func fetch(ctx context.Context, c *http.Client, u string) (int, string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

var hrefRe = regexp.MustCompile(`href="(/[^"#]*)"`)

// menuLinks returns the distinct page links of the sidebar menu, without
// the language switch and logout.
func menuLinks(html string) []string {
	start := strings.Index(html, `<nav class="sidebar"`)
	if start < 0 {
		return nil
	}
	end := strings.Index(html[start:], "</nav>")
	if end < 0 {
		end = len(html) - start
	}
	var out []string
	for _, m := range hrefRe.FindAllStringSubmatch(html[start:start+end], -1) {
		p := strings.ReplaceAll(m[1], "&amp;", "&")
		if strings.HasPrefix(p, "/lang") || strings.HasPrefix(p, "/logout") || slices.Contains(out, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}
