package web

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"zhagen/catalog"
)

// TestCatalogueCoversKeys checks that every key the templates and handlers
// use is in the catalogue in both languages, with the same fmt verbs.
func TestCatalogueCoversKeys(t *testing.T) {
	cat := catalog.MustLoad()
	used := map[string]string{}
	tmplKey := regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	err := fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goKey := regexp.MustCompile(`(?:h\.tr\(r, |tr\(|redirectFlash\(w, r, [^,]+, )"([a-z0-9_.]+)"`)
	entries, _ := os.ReadDir(".")
	for _, en := range entries {
		if !strings.HasSuffix(en.Name(), ".go") || strings.HasSuffix(en.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(en.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") {
				used[m[1]] = en.Name()
			}
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys; is the scan broken?", len(used))
	}
	for key, where := range used {
		if !cat.Has(key) {
			t.Errorf("%s uses %q, which is not in the catalogue", where, key)
		}
	}
	verbs := regexp.MustCompile(`%[dsvq]`)
	for _, key := range cat.Keys() {
		zh, en := cat.Sprintf(catalog.ZH, key), cat.Sprintf(catalog.EN, key)
		if zh == "" || en == "" {
			t.Errorf("%q lacks a translation: %q, %q", key, zh, en)
		}
		if a, b := verbs.FindAllString(zh, -1), verbs.FindAllString(en, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%q: verbs %v in Chinese, %v in English", key, a, b)
		}
	}
}

func TestTranslateFallback(t *testing.T) {
	cat := catalog.MustLoad()
	if got := cat.Sprintf(langEN, "nav.home"); got != "My workbench" {
		t.Errorf("en nav.home = %q", got)
	}
	if got := cat.Sprintf(langZH, "pager.range", 1, 25, 30); got != "第 1–25 条，共 30 条" {
		t.Errorf("zh pager.range = %q", got)
	}
	if got := cat.Sprintf(langEN, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
}

// TestTemplatesFailFast checks that New's parsing refuses a missing or a
// broken template.
func TestTemplatesFailFast(t *testing.T) {
	static, err := loadStatic(files)
	if err != nil {
		t.Fatal(err)
	}
	good := fstest.MapFS{}
	fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(files, p)
			good[p] = &fstest.MapFile{Data: b}
		}
		return err
	})
	if _, err := parseTemplates(good, static, catalog.MustLoad()); err != nil {
		t.Fatalf("embedded templates: %v", err)
	}

	missing := fstest.MapFS{}
	for k, v := range good {
		if k != "templates/pages/enterprise_form.html" {
			missing[k] = v
		}
	}
	if _, err := parseTemplates(missing, static, catalog.MustLoad()); err == nil || !strings.Contains(err.Error(), "enterprise_form") {
		t.Errorf("missing template: err = %v", err)
	}

	broken := fstest.MapFS{}
	for k, v := range good {
		broken[k] = v
	}
	broken["templates/pages/home.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{if .Data}}{{end}`)}
	if _, err := parseTemplates(broken, static, catalog.MustLoad()); err == nil {
		t.Error("broken template parsed")
	}

	if _, err := New(Config{}); err == nil {
		t.Error("New without services succeeded")
	}
}
