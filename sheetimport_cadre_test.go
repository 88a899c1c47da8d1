package zhagen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"zhagen"
)

// TestNewInitialPassword: drawn passwords are 12 characters with every
// kind, pass ValidatePassword, hold no easily misread character nor a
// formula-starting symbol, and do not repeat.
func TestNewInitialPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 500 {
		pw, err := zhagen.NewInitialPassword()
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != zhagen.InitialPasswordLength {
			t.Fatalf("%q: length %d", pw, len(pw))
		}
		if msg := zhagen.ValidatePassword(pw); msg != "" {
			t.Fatalf("%q: %s", pw, msg)
		}
		if strings.ContainsAny(pw, "0Oo1lIi=+-@") {
			t.Fatalf("%q holds an ambiguous or formula character", pw)
		}
		for _, set := range []string{"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghjkmnpqrstuvwxyz", "23456789", "#$%&*?!"} {
			if !strings.ContainsAny(pw, set) {
				t.Fatalf("%q lacks one of %s", pw, set)
			}
		}
		if seen[pw] {
			t.Fatalf("%q drawn twice", pw)
		}
		seen[pw] = true
	}
}

// TestInitialPasswordHidden: printing, logging or encoding an initial
// password does not show it.
func TestInitialPasswordHidden(t *testing.T) {
	p := zhagen.InitialPassword{Login: "zhangsan", Name: "张三", Password: "Secret#Pw42x"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("import", "cred", p, "creds", []zhagen.InitialPassword{p})
	js, _ := json.Marshal(p)
	for what, out := range map[string]string{"%v": fmt.Sprintf("%v", p), "%s": fmt.Sprintf("%s", p), "%+v": fmt.Sprintf("%+v", []zhagen.InitialPassword{p}),
		"slog": logged.String(), "json": string(js)} {
		if strings.Contains(out, p.Password) {
			t.Errorf("%s shows the password: %s", what, out)
		}
	}
}

// TestDeptNames: a unique name resolves alone; a name two departments
// share needs its parent; an unknown one says so.
func TestDeptNames(t *testing.T) {
	n := zhagen.NewDeptNames(map[int64][]string{
		1: {"管委会"}, 2: {"管委会", "经济发展局"}, 3: {"管委会", "经济发展局", "综合科"}, 4: {"管委会", "城乡建设局", "综合科"},
	})
	for text, want := range map[string]int64{"经济发展局": 2, "经济发展局/综合科": 3, " 城乡建设局 ／ 综合科 ": 4, "管委会/城乡建设局/综合科": 4} {
		if id, msg := n.Resolve(text); id != want || msg != "" {
			t.Errorf("%q: %d %q, want %d", text, id, msg, want)
		}
	}
	if id, msg := n.Resolve("综合科"); id != 0 || !strings.Contains(msg, "有2个部门名为“综合科”") || !strings.Contains(msg, "上级部门/综合科") {
		t.Errorf("ambiguous: %d %q", id, msg)
	}
	if id, msg := n.Resolve("财政局"); id != 0 || msg != "所属部门不存在：财政局" {
		t.Errorf("unknown: %d %q", id, msg)
	}
}
