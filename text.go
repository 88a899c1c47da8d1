package zhagen

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The one rule for text that comes from outside. web, api and open311
// apply it to every value they decode (form and query values, every
// string of a JSON body, file names, path values) before a handler sees
// the request, so no store ever gets a NUL byte (PostgreSQL refuses it
// with an error, SQLite keeps it) or bytes that are not UTF-8.

// Limits on query parameters. A search text is matched with LIKE, and
// SQLite refuses a pattern of more than 50,000 bytes.
const (
	MaxSearchLen  = 200  // characters of a search text (the "q" parameter)
	MaxQueryValue = 4000 // characters of any other query parameter
)

// SearchParams are the query parameters that carry a search text.
var SearchParams = []string{"q"}

// TextProblem says why s is not acceptable text, or "" when it is: s
// must be UTF-8 and hold no control character other than tab, line feed
// and carriage return (a browser sends a textarea's line breaks as CR LF).
func TextProblem(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return "不是有效的 UTF-8 文本"
		case r == '\t' || r == '\n' || r == '\r':
		case unicode.IsControl(r):
			return fmt.Sprintf("含有不允许的控制字符 U+%04X", r)
		}
		i += size
	}
	return ""
}

// FieldName is how a field of input is named in a message: as sent, or
// quoted when the name itself is not acceptable text.
func FieldName(name string) string {
	if TextProblem(name) != "" || name == "" {
		return strconv.QuoteToASCII(truncateRunes(name, 40))
	}
	return truncateRunes(name, 64)
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// TextChecker collects the fields of one input whose text fails
// TextProblem; a field is named once.
type TextChecker struct{ v Validation }

// Check records field when s is not acceptable text.
func (c *TextChecker) Check(field, s string) {
	if p := TextProblem(s); p != "" {
		name := FieldName(field)
		c.v.Add(name, "字段 "+name+" "+p)
	}
}

// Err returns nil when every text passed, else EINVALID naming each field
// (422).
func (c *TextChecker) Err() error { return c.v.Err() }

// CheckText checks one text field: nil, or EINVALID naming the field.
func CheckText(field, s string) error {
	var c TextChecker
	c.Check(field, s)
	return c.Err()
}

// CheckValues checks every name and value of a form or query: nil, or
// EINVALID naming each field that fails TextProblem (a bad name is named
// quoted).
func CheckValues(v url.Values) error {
	var c TextChecker
	for _, k := range sortedKeys(v) {
		c.Check(k, k)
		for _, s := range v[k] {
			c.Check(k, s)
		}
	}
	return c.Err()
}

// CheckQuery checks the query of a request: every name and value by
// CheckValues (EINVALID, 422), then the length of each value: a search
// text (SearchParams) of at most MaxSearchLen characters, any other value
// of at most MaxQueryValue (EBADREQUEST, 400, naming the parameter and the
// limit).
func CheckQuery(v url.Values) error {
	if err := CheckValues(v); err != nil {
		return err
	}
	for _, k := range sortedKeys(v) {
		limit := MaxQueryValue
		if slices.Contains(SearchParams, k) {
			limit = MaxSearchLen
		}
		for _, s := range v[k] {
			if utf8.RuneCountInString(s) > limit {
				msg := fmt.Sprintf("查询参数 %s 不能超过%d个字符", FieldName(k), limit)
				if limit == MaxSearchLen {
					msg = fmt.Sprintf("搜索内容（%s）不能超过%d个字符", FieldName(k), limit)
				}
				return &Error{Code: EBADREQUEST, Field: FieldName(k), Message: msg}
			}
		}
	}
	return nil
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// CutText shortens s to at most n characters for a title: at the last
// punctuation mark or space within the limit when that keeps more than
// half of it (never in the middle of a word), else at n, and marks the cut
// with "…". A text that fits is returned whole.
func CutText(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	cut := n
	for i := n; i > n/2; i-- {
		if strings.ContainsRune(" \t，。、；：！？,.;:!?）)》」", r[i-1]) {
			cut = i
			break
		}
		if i < len(r) && (r[i] == ' ' || strings.ContainsRune("，。、；：！？,.;:!?（(《「", r[i])) {
			cut = i
			break
		}
	}
	if cut == n && isWordRune(r[n-1]) && isWordRune(r[n]) {
		// A Latin word or number runs across the limit: end before it.
		for cut > n/2 && isWordRune(r[cut-1]) {
			cut--
		}
		if cut <= n/2 {
			cut = n
		}
	}
	return strings.TrimRight(strings.TrimRight(string(r[:cut]), " \t"), "，、；：,;:") + "…"
}

// isWordRune: a letter or digit of a Latin word or a number, which a cut
// must not split (Chinese characters may be cut between).
func isWordRune(c rune) bool {
	return c < 0x2E80 && (unicode.IsLetter(c) || unicode.IsDigit(c))
}
