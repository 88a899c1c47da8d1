package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hrExample is the example of shared/formats/hr.md.
const hrExample = `hr 1 3 2
r a X Y
r b X
r c X Y
h X 1 c a b
h Y 1 a c
`

func TestMatchCommand(t *testing.T) {
	dir := t.TempDir()
	inst := filepath.Join(dir, "example.hr")
	if err := os.WriteFile(inst, []byte(hrExample), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "result.txt")
	var stdout bytes.Buffer
	if err := matchCmd([]string{"--instance", inst, "--out", out, "--audit"}, &stdout); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "hr-result 1\na Y\nb -\nc X\n"; string(got) != want {
		t.Fatalf("result file:\n%s\nwant:\n%s", got, want)
	}
	line := stdout.String()
	if strings.Count(line, "\n") != 1 || !strings.HasPrefix(line, `{"residents":3,"hospitals":2,"matched":2,"proposals":`) {
		t.Fatalf("stdout %q", line)
	}
	var stats map[string]float64
	if err := json.Unmarshal([]byte(line), &stats); err != nil {
		t.Fatal(err)
	}
	// a: X (rejected later) then Y; b: X; c: X. Four proposals.
	if stats["proposals"] != 4 || stats["seconds"] < 0 || len(stats) != 5 {
		t.Fatalf("stats %v", stats)
	}

	// Without --out only the JSON line is produced.
	stdout.Reset()
	if err := matchCmd([]string{"--instance", inst}, &stdout); err != nil || !strings.Contains(stdout.String(), `"matched":2`) {
		t.Fatalf("%v %q", err, stdout.String())
	}
}

func TestMatchCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.hr")
	os.WriteFile(bad, []byte("hr 1 1 1\nr a X\nr a X\nh X 1 a\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "--instance"},
		{[]string{"--nope"}, "参数错误"},
		{[]string{"--instance", filepath.Join(dir, "missing.hr")}, "无法打开"},
		{[]string{"--instance", bad}, "line 3: duplicate resident ID \"a\""},
		{[]string{"--instance", bad, "extra"}, "unexpected arguments"},
	} {
		var stdout bytes.Buffer
		err := matchCmd(c.args, &stdout)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: printed %q on error", c.args, stdout.String())
		}
	}
	var stdout bytes.Buffer
	if err := matchCmd([]string{"-h"}, &stdout); err != nil || !strings.Contains(stdout.String(), "--instance") {
		t.Errorf("-h: %v %q", err, stdout.String())
	}
}
