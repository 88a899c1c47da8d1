package catalog

import (
	"regexp"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Sprintf(ZH, "app.name"); got != "扎根 · 政企服务平台" {
		t.Errorf("zh app.name = %q", got)
	}
	if got := c.Sprintf("en-US", "app.name"); !strings.HasPrefix(got, "Zhagen") {
		t.Errorf("en app.name = %q", got)
	}
	if got := c.Sprintf(ZH, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key shows %q", got)
	}
	// Every message has the same fmt verbs in both languages, in order.
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[dsvqf]`)
	for _, k := range c.Keys() {
		zh, en := c.msgs[ZH][k], c.msgs[EN][k]
		if zh == "" || en == "" {
			t.Errorf("%q is empty in a language", k)
		}
		if a, b := strings.Join(verbs.FindAllString(zh, -1), ""), strings.Join(verbs.FindAllString(en, -1), ""); a != b {
			t.Errorf("%q: verbs %q in zh, %q in en", k, a, b)
		}
	}
}
