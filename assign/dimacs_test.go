package assign

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The two examples of shared/formats/dimacs.md.
const (
	asnExample = `c tiny assignment
p asn 4 4
n 1
n 2
a 1 3 2
a 1 4 7
a 2 3 4
a 2 4 3
`
	minExample = `p min 4 5
n 1 4
n 4 -4
a 1 2 0 4 2
a 1 3 0 2 2
a 2 3 0 2 1
a 2 4 0 3 3
a 3 4 0 5 1
`
)

func TestDIMACSExamples(t *testing.T) {
	for _, tc := range []struct {
		text string
		kind Kind
		cost int64
	}{{asnExample, KindAssignment, 5}, {minExample, KindMinCostFlow, 14}} {
		p, err := ReadDIMACS(strings.NewReader(tc.text))
		if err != nil {
			t.Fatal(err)
		}
		if p.Kind != tc.kind || p.Nodes != 4 {
			t.Fatalf("kind %v nodes %d", p.Kind, p.Nodes)
		}
		cost, err := p.Solve()
		if err != nil || cost != tc.cost {
			t.Fatalf("%v: cost %d, %v; want %d", tc.kind, cost, err, tc.cost)
		}
	}
	p, _ := ReadDIMACS(strings.NewReader(asnExample))
	s, err := p.Solver()
	if err != nil {
		t.Fatal(err)
	}
	a, ok := s.(*Assignment)
	if !ok {
		t.Fatalf("the complete example got %T, not the dense solver", s)
	}
	if _, err := a.Solve(); err != nil || a.Match(0) != 0 || a.Match(1) != 1 {
		t.Fatalf("match %d %d, %v", a.Match(0), a.Match(1), err)
	}
	q, _ := ReadDIMACS(strings.NewReader(minExample))
	g, _ := q.Solver()
	if _, err := g.Solve(); err != nil {
		t.Fatal(err)
	}
	// Bounds, conservation and the cost of the flows.
	checkFlow(t, g.(*MinCostFlow), 14)
}

func TestDIMACSAssignmentShapes(t *testing.T) {
	// Unbalanced and sparse assignments go through the flow model.
	for _, tc := range []struct {
		text string
		cost int64
		err  bool
	}{
		// 3 sources, 2 sinks, complete: dense, transposed.
		{"p asn 5 6\nn 1\nn 2\nn 3\na 1 4 5\na 1 5 1\na 2 4 2\na 2 5 8\na 3 4 3\na 3 5 3\n", 3, false},
		// Sparse, more sinks than sources.
		{"p asn 5 3\nn 1\nn 2\na 1 3 4\na 2 3 1\na 2 5 7\n", 11, false},
		// Sparse, more sources than sinks, with a parallel arc.
		{"p asn 4 4\nn 1\nn 2\nn 3\na 1 4 4\na 2 4 2\na 3 4 6\na 2 4 1\n", 1, false},
		// No two disjoint arcs exist.
		{"p asn 4 2\nn 1\nn 2\na 1 3 1\na 2 3 1\n", 0, true},
		// No sources: nothing to choose.
		{"p asn 2 0\n", 0, false},
	} {
		p, err := ReadDIMACS(strings.NewReader(tc.text))
		if err != nil {
			t.Fatal(err)
		}
		cost, err := p.Solve()
		if tc.err {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("%q: %d, %v; want infeasible", tc.text, cost, err)
			}
			continue
		}
		if err != nil || cost != tc.cost {
			t.Fatalf("%q: cost %d, %v; want %d", tc.text, cost, err, tc.cost)
		}
	}
}

func TestDIMACSErrors(t *testing.T) {
	for _, tc := range []struct {
		text string
		line int
		msg  string
	}{
		{"", 0, "missing problem line"},
		{"c only\n", 0, "missing problem line"},
		{"n 1\n", 1, "before the problem line"},
		{"a 1 2 3\n", 1, "before the problem line"},
		{"p asn 2 1\np asn 2 1\n", 2, "second problem line"},
		{"p max 2 1\n", 1, "unsupported problem"},
		{"p asn 2\n", 1, "malformed problem line"},
		{"p asn -2 1\n", 1, "node count"},
		{"p asn 2 x\n", 1, "arc count"},
		{"p asn 2 1\nn 3\n", 2, "node ID"},
		{"p asn 2 1\nn 1 5\n", 2, "want n ID"},
		{"p min 2 1\nn 1\n", 2, "want n ID SUPPLY"},
		{"p min 2 1\nn 1 x\n", 2, "supply"},
		{"p asn 3 1\nn 1\n\nc x\nn 1\n", 5, "node 1 listed twice (first on line 2)"},
		{"p asn 3 2\nn 1\na 1 2 1\nn 2\n", 4, "node line after arc lines"},
		{"p asn 3 1\nn 1\na 1 2\n", 3, "want a U V COST"},
		{"p asn 3 1\nn 1\na 2 3 1\n", 3, "not a source"},
		{"p asn 3 1\nn 1\nn 2\na 1 2 1\n", 4, "is a source"},
		{"p asn 3 1\nn 1\na 1 4 1\n", 3, "arc head"},
		{"p asn 3 1\nn 1\na 0 2 1\n", 3, "arc tail"},
		{"p asn 3 1\nn 1\na 1 2 99999999999999999999\n", 3, "arc cost"},
		{"p asn 3 1\nn 1\na 1 2 1\na 1 3 1\n", 4, "more arcs than the 1"},
		{"p asn 3 2\nn 1\na 1 2 1\n", 0, "announces 2 arcs, the file has 1"},
		{"p min 3 1\na 1 2 0 1\n", 2, "want a U V LOW CAP COST"},
		{"p min 3 1\na 1 2 2 1 5\n", 2, "0 ≤ LOW ≤ CAP"},
		{"p min 3 1\na 1 2 -1 1 5\n", 2, "0 ≤ LOW ≤ CAP"},
		{"p min 3 1\nx 1\n", 2, "unknown line type"},
		{"p min 3 1\nab 1\n", 2, "unknown line type"},
		{"p min 3 1\na 1 2 0 1 5 6\n", 2, "want a U V LOW CAP COST"},
		{"p min 2000000 0\n", 0, "announces 2000000 nodes"},
	} {
		_, err := ReadDIMACS(strings.NewReader(tc.text))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tc.line || !strings.Contains(pe.Msg, tc.msg) {
			t.Errorf("%q: %v; want line %d %q", tc.text, err, tc.line, tc.msg)
		}
	}
}

func TestDIMACSRoundTrip(t *testing.T) {
	for _, p := range []*Problem{
		GenerateLinkage(3, 20, 60, 10, 4),
		DenseProblem(GenerateDense(4, 7)),
	} {
		var buf bytes.Buffer
		if err := WriteDIMACS(&buf, p); err != nil {
			t.Fatal(err)
		}
		q, err := ReadDIMACS(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip changed the %v problem", p.Kind)
		}
		c1, err1 := p.Solve()
		c2, err2 := q.Solve()
		if err1 != nil || err2 != nil || c1 != c2 {
			t.Fatal(c1, c2, err1, err2)
		}
	}
	// A long comment line and CRLF line ends are fine.
	text := "c " + strings.Repeat("x", 3<<20) + "\r\np min 2 1\r\nn 1 1\r\nn 2 -1\r\na 1 2 0 1 7\r\n"
	p, err := ReadDIMACS(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if c, err := p.Solve(); c != 7 || err != nil {
		t.Fatal(c, err)
	}
}

func FuzzReadDIMACS(f *testing.F) {
	f.Add(asnExample)
	f.Add(minExample)
	f.Add("p asn 5 3\nn 1\nn 2\na 1 3 4\na 2 3 1\na 2 5 7\n")
	f.Add("p min 3 2\nn 1 2\nn 3 -2\na 1 2 1 3 -4\na 2 3 0 5 9223372036854775807\n")
	f.Add("p min 2 1\na 2 2 0 3 -1\n")
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ReadDIMACS(strings.NewReader(text))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteDIMACS(&buf, p); err != nil {
			t.Fatal(err)
		}
		q, err := ReadDIMACS(&buf)
		if err != nil {
			t.Fatalf("rereading: %v", err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatal("round trip changed the problem")
		}
		if p.Nodes <= 64 && p.NumArcs() <= 64 {
			if _, err := p.Solve(); err != nil && !errors.Is(err, ErrInfeasible) && !errors.Is(err, ErrTooLarge) {
				t.Fatal(err)
			}
		}
	})
}
