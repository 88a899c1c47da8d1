package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// perPage is the page size of every list.
const perPage = 25

// pager describes the page links below a table.
type pager struct {
	Page, Pages, Total int
	From, To           int // 1-based range of rows shown
	Prev, Next         string
	Links              []pageLink
	XLSX, CSV          string // the list's export links, "" when it has none
}

type pageLink struct {
	Num     int
	Href    string
	Current bool
	Gap     bool // an ellipsis between page numbers
}

// pageParam returns ?page= as a number of at least 1.
func pageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// offset is the row offset of a page.
func offset(page int) int { return (page - 1) * perPage }

// withParam returns the path and query of u with key set to value
// (removed when value is ""), keeping every other parameter.
func withParam(u *url.URL, key, value string) string {
	q := u.Query()
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	if s := q.Encode(); s != "" {
		return u.Path + "?" + s
	}
	return u.Path
}

// withoutPage is u's path and query without ?page=, as a URL: a link
// that changes what a list shows starts it on its first page.
func withoutPage(u *url.URL) *url.URL {
	c := *u
	q := c.Query()
	q.Del("page")
	c.RawQuery = q.Encode()
	return &c
}

// newPager builds the links for total rows, on page page, at URL u.
func newPager(u *url.URL, total, page int) pager {
	p := pager{Page: page, Total: total, Pages: (total + perPage - 1) / perPage}
	if p.Pages < 1 {
		p.Pages = 1
	}
	if total > 0 {
		p.From = offset(page) + 1
		p.To = min(offset(page)+perPage, total)
		if p.From > total {
			p.From, p.To = 0, 0
		}
	}
	href := func(n int) string {
		if n == 1 {
			return withParam(u, "page", "")
		}
		return withParam(u, "page", strconv.Itoa(n))
	}
	if page > 1 {
		p.Prev = href(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.Next = href(page + 1)
	}
	// First, last and two on either side of the current page.
	last := 0
	for n := 1; n <= p.Pages; n++ {
		if n != 1 && n != p.Pages && (n < page-2 || n > page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			p.Links = append(p.Links, pageLink{Gap: true})
		}
		p.Links = append(p.Links, pageLink{Num: n, Href: href(n), Current: n == page})
		last = n
	}
	return p
}

// sortCol is a sortable column header.
type sortCol struct {
	Label string
	Href  string
	Dir   string // "asc", "desc" or "" when the table is not sorted by it
}

// sortHeader returns the header of a column sorted by key: a click sorts
// ascending, a second click descending. The page number is reset.
func sortHeader(u *url.URL, current, key, label string) sortCol {
	c := sortCol{Label: label}
	next := key
	switch current {
	case key:
		c.Dir, next = "asc", "-"+key
	case "-" + key:
		c.Dir = "desc"
	}
	c.Href = withParam(withoutPage(u), "sort", next)
	return c
}

// validSort returns s when its key (without a leading "-") is in allowed,
// else "".
func validSort(s string, allowed map[string]string) string {
	if _, ok := allowed[strings.TrimPrefix(s, "-")]; ok {
		return s
	}
	return ""
}
