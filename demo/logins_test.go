package demo

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestREADMELoginsPrinted: the demo prints the logins the README's table
// of demo accounts lists, no more and no fewer.
func TestREADMELoginsPrinted(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "### 演示账号")
	if !ok {
		t.Fatal("README has no 演示账号 section")
	}
	section, _, _ = strings.Cut(section, "\n\n\n")
	var readme []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z0-9]+)` \\|").FindAllStringSubmatch(section, -1) {
		readme = append(readme, m[1])
	}
	var printed []string
	for _, a := range append(slices.Clip(newPlan().Accounts), projectStaff...) {
		printed = append(printed, a.Login)
	}
	slices.Sort(readme)
	slices.Sort(printed)
	if len(readme) == 0 || !slices.Equal(readme, printed) {
		t.Errorf("README lists %v, the demo prints %v", readme, printed)
	}
}
