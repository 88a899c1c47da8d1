// Package catalog holds the words users read, in Simplified Chinese and
// English, as message files embedded in the binary (locales/*.toml, one
// file per area and language, e.g. web.zh.toml and web.en.toml).
//
// Files are loaded with github.com/nicksnyder/go-i18n/v2: it parses TOML
// message files, knows each file's language from its name and carries the
// CLDR plural rules should a message need them. Messages keep the fmt
// verbs (%s, %d) that the code fills, so a key and its arguments read the
// same in Go, in templates and in stored notices. golang.org/x/text's
// printer was not chosen because it reformats numbers by locale (a year
// 2026 would print as "2,026" in English).
//
// The package is a leaf: it imports nothing of zhagen's.
package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages. Chinese is the default and the fallback.
const (
	ZH = "zh"
	EN = "en"
)

// Languages lists the supported languages, the default first.
var Languages = []string{ZH, EN}

//go:embed locales/*.toml
var files embed.FS

// Catalog looks messages up by key and language. It is read-only after
// Load and safe for concurrent use.
type Catalog struct {
	msgs map[string]map[string]string // lang → key → message
}

// Load parses every embedded message file. It fails when a file is
// malformed, a key is defined twice, or a key exists in one language and
// not in the other.
func Load() (*Catalog, error) {
	b := i18n.NewBundle(language.Chinese)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, l := range Languages {
		c.msgs[l] = map[string]string{}
	}
	entries, err := fs.ReadDir(files, "locales")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		p := path.Join("locales", e.Name())
		buf, err := files.ReadFile(p)
		if err != nil {
			return nil, err
		}
		mf, err := b.ParseMessageFileBytes(buf, p)
		if err != nil {
			return nil, fmt.Errorf("catalog: %s: %w", p, err)
		}
		base, _ := mf.Tag.Base()
		lang := base.String()
		m, ok := c.msgs[lang]
		if !ok {
			return nil, fmt.Errorf("catalog: %s: unsupported language %q", p, lang)
		}
		for _, msg := range mf.Messages {
			if _, dup := m[msg.ID]; dup {
				return nil, fmt.Errorf("catalog: %s: key %q is defined twice", p, msg.ID)
			}
			m[msg.ID] = msg.Other
		}
	}
	for _, l := range Languages[1:] {
		for k := range c.msgs[ZH] {
			if _, ok := c.msgs[l][k]; !ok {
				return nil, fmt.Errorf("catalog: key %q has no %s translation", k, l)
			}
		}
		for k := range c.msgs[l] {
			if _, ok := c.msgs[ZH][k]; !ok {
				return nil, fmt.Errorf("catalog: key %q is in %s but not in %s", k, l, ZH)
			}
		}
	}
	return c, nil
}

// MustLoad is Load for programs and tests whose embedded files are known
// good (a test of this package loads them); it panics on an error.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Lang returns the supported language closest to s ("en-US" → EN); any
// other value gives ZH.
func Lang(s string) string {
	if strings.HasPrefix(strings.ToLower(s), EN) {
		return EN
	}
	return ZH
}

// Sprintf returns the message key in lang with args filled in as by
// fmt.Sprintf. A missing key shows as itself, so it is easy to spot.
func (c *Catalog) Sprintf(lang, key string, args ...any) string {
	s, ok := c.msgs[Lang(lang)][key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key exists.
func (c *Catalog) Has(key string) bool { _, ok := c.msgs[ZH][key]; return ok }

// Keys lists every key, sorted.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.msgs[ZH]))
	for k := range c.msgs[ZH] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
