package zhagen

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextProblem(t *testing.T) {
	ok := []string{"", "福州高新区", "a\tb\nc\r\nd", "\uFFFD中", "emoji 😀", "全角　空格", "\u200b零宽", "<script>alert(1)</script>", "' OR 1=1 --"}
	for _, s := range ok {
		if p := TextProblem(s); p != "" {
			t.Errorf("%q refused: %s", s, p)
		}
	}
	bad := map[string]string{
		"a\x00b": "U+0000", "\x01": "U+0001", "x\x1b[31m": "U+001B", "\x7f": "U+007F", "\u0085": "U+0085", "\u009f": "U+009F",
		"\xff": "UTF-8", "中\xe4\xb8": "UTF-8", "\xed\xa0\x80": "UTF-8", // a lone surrogate
		"\xc0\x80": "UTF-8", // an overlong NUL
	}
	for s, want := range bad {
		if p := TextProblem(s); !strings.Contains(p, want) {
			t.Errorf("%q: %q, want it to mention %s", s, p, want)
		}
	}
}

func TestCheckValuesNamesEachField(t *testing.T) {
	v := url.Values{"title": {"ok", "b\x00d"}, "name": {"fine"}, "note\x00": {"x"}, "desc": {"\xff"}}
	err := CheckValues(v)
	if ErrorCode(err) != EINVALID {
		t.Fatalf("code %q", ErrorCode(err))
	}
	fields := FieldErrors(err)
	for _, f := range []string{"title", "desc", `"note\x00"`} {
		if !strings.Contains(fields[f], f) {
			t.Errorf("field %s: %q", f, fields[f])
		}
	}
	if _, bad := fields["name"]; bad || len(fields) != 3 {
		t.Errorf("fields %v", fields)
	}
	if CheckValues(url.Values{"a": {"b\r\n\tc"}}) != nil {
		t.Error("line breaks refused")
	}
}

func TestCheckQueryLimits(t *testing.T) {
	at := func(n int) string { return strings.Repeat("查", n) }
	for _, tt := range []struct {
		q    url.Values
		code string
	}{
		{url.Values{"q": {at(MaxSearchLen)}}, ""},
		{url.Values{"q": {at(MaxSearchLen + 1)}}, EBADREQUEST},
		{url.Values{"q": {strings.Repeat("%", 50000)}}, EBADREQUEST},
		{url.Values{"next": {at(MaxSearchLen + 1)}}, ""},
		{url.Values{"next": {at(MaxQueryValue + 1)}}, EBADREQUEST},
		{url.Values{"q": {"\x00"}}, EINVALID},
	} {
		err := CheckQuery(tt.q)
		if ErrorCode(err) != tt.code {
			t.Errorf("%d characters: %v", utf8.RuneCountInString(tt.q.Get("q")+tt.q.Get("next")), err)
		}
	}
	err := CheckQuery(url.Values{"q": {at(MaxSearchLen + 1)}})
	if e, _ := AsError(err); e == nil || e.Field != "q" || !strings.Contains(e.Message, "200") {
		t.Errorf("the refusal does not name the field and limit: %v", err)
	}
}

// FuzzTextProblem: TextProblem never panics, accepts exactly valid UTF-8
// without control characters other than tab and line breaks, and what it
// accepts is stored unchanged by both stores (no NUL).
func FuzzTextProblem(f *testing.F) {
	for _, s := range []string{"", "福州", "a\x00", "\xff", "\r\n\t", "\u0085", "\uFFFD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := TextProblem(s)
		want := utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f
		})
		if (p == "") != want {
			t.Fatalf("%q: %q, want accepted %v", s, p, want)
		}
	})
}

func TestCutText(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"厂房租约到期", 30, "厂房租约到期"},
		{"厂房租约明年六月到期，业主拟收回自用，企业正在寻找新厂房，考虑外迁至邻市工业园区", 30, "厂房租约明年六月到期，业主拟收回自用，企业正在寻找新厂房…"},
		{"订单下降：主要客户转单至东南亚，二季度订单同比下降35%，用工减少", 30, "订单下降：主要客户转单至东南亚，二季度订单同比下降35%…"},
		{"Orders fell sharply because the main customer moved production", 30, "Orders fell sharply because…"},
		{"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三", 30, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十…"},
	} {
		if got := CutText(c.in, c.n); got != c.want {
			t.Errorf("CutText(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

// TestCutTextExactLength: a text of exactly n characters is kept whole.
func TestCutTextExactLength(t *testing.T) {
	s := strings.Repeat("字", 30)
	if got := CutText(s, 30); got != s {
		t.Errorf("CutText of 30 characters = %q", got)
	}
	if got := CutText(" "+s+" ", 30); got != s {
		t.Errorf("CutText trims before measuring: %q", got)
	}
}

// TestFieldNameLength: a name of up to 64 characters is shown whole, a
// longer one cut with "…"; a bad one quoted and cut at 40.
func TestFieldNameLength(t *testing.T) {
	n64 := strings.Repeat("名", 64)
	if got := FieldName(n64); got != n64 {
		t.Errorf("64 characters: %q", got)
	}
	if got := FieldName(n64 + "x"); got != n64+"…" {
		t.Errorf("65 characters: %q", got)
	}
	bad := strings.Repeat("a", 40) + "\x00"
	if got := FieldName(bad); got != `"`+strings.Repeat("a", 40)+`\u2026"` {
		t.Errorf("bad name: %q", got)
	}
	if got := FieldName(""); got != `""` {
		t.Errorf("empty name: %q", got)
	}
}

// TestCheckQueryMessages: a search text too long says 搜索内容, any other
// parameter names the parameter.
func TestCheckQueryMessages(t *testing.T) {
	err := CheckQuery(url.Values{"q": {strings.Repeat("查", MaxSearchLen+1)}})
	if want := "搜索内容（q）不能超过" + strconv.Itoa(MaxSearchLen) + "个字符"; ErrorMessage(err) != want {
		t.Errorf("search: %q, want %q", ErrorMessage(err), want)
	}
	err = CheckQuery(url.Values{"next": {strings.Repeat("x", MaxQueryValue+1)}})
	if want := "查询参数 next 不能超过" + strconv.Itoa(MaxQueryValue) + "个字符"; ErrorMessage(err) != want {
		t.Errorf("other: %q, want %q", ErrorMessage(err), want)
	}
}

// TestCutTextWords: a cut before an opening bracket keeps what precedes
// it; a Latin word running across the limit is cut before it, judged by
// the characters on both sides of the limit; Chinese characters are not
// words.
func TestCutTextWords(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"一二三四五六七八（附件）说明", 10, "一二三四五六七八…"},
		{"abcdefg(hijklmn", 10, "abcdefg…"},
		{"中文中文中文abcde中", 10, "中文中文中文…"},
		{"中文中文中文abcd中文", 10, "中文中文中文abcd…"},
		{"中文中文中文中文中文中文", 10, "中文中文中文中文中文…"},
		// A cut would keep no more than half: cut at the limit.
		{"一二三四，六七八九十一二", 10, "一二三四，六七八九十…"},
		{"中文中文中abcdefghijk", 10, "中文中文中abcde…"},
	} {
		if got := CutText(c.in, c.n); got != c.want {
			t.Errorf("CutText(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
