package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The examples of shared/formats/dimacs.md.
const (
	asnExampleFile = `c tiny assignment
p asn 4 4
n 1
n 2
a 1 3 2
a 1 4 7
a 2 3 4
a 2 4 3
`
	minExampleFile = `p min 4 5
n 1 4
n 4 -4
a 1 2 0 4 2
a 1 3 0 2 2
a 2 3 0 2 1
a 2 4 0 3 3
a 3 4 0 5 1
`
)

func TestAssignCommand(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, text, problem string
		arcs                int
		cost                int64
	}{
		{"asn.txt", asnExampleFile, "asn", 4, 5},
		{"min.txt", minExampleFile, "min", 5, 14},
	} {
		file := filepath.Join(dir, c.name)
		if err := os.WriteFile(file, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout bytes.Buffer
		if err := assignCmd([]string{"--dimacs", file}, &stdout); err != nil {
			t.Fatal(err)
		}
		line := stdout.String()
		if strings.Count(line, "\n") != 1 || !strings.HasPrefix(line, `{"problem":"`+c.problem+`","nodes":4,`) {
			t.Fatalf("stdout %q", line)
		}
		var stats struct {
			Problem string
			Nodes   int
			Arcs    int
			Cost    int64
			Seconds float64
		}
		if err := json.Unmarshal([]byte(line), &stats); err != nil {
			t.Fatal(err)
		}
		if stats.Problem != c.problem || stats.Nodes != 4 || stats.Arcs != c.arcs || stats.Cost != c.cost || stats.Seconds < 0 {
			t.Fatalf("%s: stats %+v", c.name, stats)
		}
	}
}

func TestAssignCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("p min 2 1\nn 1 1\nn 2 -1\na 1 2 3 1 5\n"), 0o644)
	infeasible := filepath.Join(dir, "infeasible.txt")
	os.WriteFile(infeasible, []byte("p min 3 1\nn 1 2\nn 3 -2\na 1 2 0 5 1\n"), 0o644)
	noMatching := filepath.Join(dir, "nomatching.txt")
	os.WriteFile(noMatching, []byte("p asn 4 2\nn 1\nn 2\na 1 3 1\na 2 3 1\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "--dimacs"},
		{[]string{"--nope"}, "参数错误"},
		{[]string{"--dimacs", filepath.Join(dir, "missing.txt")}, "无法打开"},
		{[]string{"--dimacs", bad}, "line 4: arc bounds"},
		{[]string{"--dimacs", bad, "extra"}, "unexpected arguments"},
		{[]string{"--dimacs", infeasible}, "无可行解 (infeasible)"},
		{[]string{"--dimacs", noMatching}, "min(#sources, #sinks)"},
	} {
		var stdout bytes.Buffer
		err := assignCmd(c.args, &stdout)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: printed %q on error", c.args, stdout.String())
		}
	}
	var stdout bytes.Buffer
	if err := assignCmd([]string{"-h"}, &stdout); err != nil || !strings.Contains(stdout.String(), "--dimacs") {
		t.Errorf("-h: %v %q", err, stdout.String())
	}
}
