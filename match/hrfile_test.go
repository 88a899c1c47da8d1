package match

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReadHRErrors(t *testing.T) {
	for _, c := range []struct {
		name, in string
		line     int
		want     string
	}{
		{"empty", "", 0, "missing header"},
		{"comments only", "c hi\n# x\n\n", 0, "missing header"},
		{"record before header", "r a X\nhr 1 1 1\n", 1, "missing header"},
		{"version", "hr 2 1 1\n", 1, "unsupported version"},
		{"short header", "hr 1 1\n", 1, "malformed header"},
		{"bad count", "hr 1 x 1\n", 1, "R \"x\""},
		{"negative count", "hr 1 1 -1\n", 1, "H \"-1\""},
		{"second header", "hr 1 0 0\nhr 1 0 0\n", 2, "second header"},
		{"unknown record", "hr 1 0 0\nx a\n", 2, "unknown record type \"x\""},
		{"resident without ID", "hr 1 1 0\nr\n", 2, "without an ID"},
		{"dash resident", "hr 1 1 0\nr -\n", 2, "\"-\""},
		{"dash in list", "hr 1 1 1\nr a -\nh X 1\n", 2, "\"-\""},
		{"duplicate resident", "hr 1 2 1\nr a X\n\nr a X\nh X 1 a\n", 4, "duplicate resident ID \"a\" (first defined on line 2)"},
		{"duplicate hospital", "hr 1 1 2\nr a X\nh X 1 a\nh X 2\n", 4, "duplicate hospital ID \"X\" (first defined on line 3)"},
		{"hospital twice in list", "hr 1 1 1\nr a X X\nh X 1 a\n", 2, "lists hospital \"X\" twice"},
		{"resident twice in list", "hr 1 1 1\nr a X\nh X 1 a a\n", 3, "lists resident \"a\" twice"},
		{"no capacity", "hr 1 1 1\nr a X\nh X\n", 3, "capacity"},
		{"bad capacity", "hr 1 1 1\nr a X\nh X -1 a\n", 3, "capacity \"-1\""},
		{"unknown hospital", "hr 1 1 1\nr a X\nr b Z X\nh X 1 a\n", 3, "unknown hospital ID \"Z\""},
		{"unknown resident", "hr 1 1 1\nr a X\nh X 1 a q\n", 3, "unknown resident ID \"q\""},
		{"count mismatch", "c x\nhr 1 2 1\nr a X\nh X 1 a\n", 2, "header says 2 residents and 1 hospitals, but the file has 1 r lines"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ReadHR(strings.NewReader(c.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a ParseError", err)
			}
			if pe.Line != c.line || !strings.Contains(pe.Msg, c.want) {
				t.Fatalf("error %q (line %d), want line %d and %q", err, pe.Line, c.line, c.want)
			}
		})
	}
}

func TestReadHRForms(t *testing.T) {
	// Hospitals before residents, forward references, comments, tabs,
	// CRLF, a huge capacity, a hospital ranking a resident who did not
	// rank it, and a resident ranking a hospital that did not rank it.
	src := "c comment\r\n# another\r\n\r\nhr 1 3 2\r\nh Y\t1 a c\r\n  h X 99999999999999999999 c a b\r\nr a X Y\r\nr b X\r\nr c X\r\n"
	in, names, err := ReadHR(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names.Residents, []string{"a", "b", "c"}) || !slices.Equal(names.Hospitals, []string{"Y", "X"}) {
		t.Fatalf("names %+v", names)
	}
	if in.Capacity(1) != 1<<31-1 || in.Capacity(0) != 1 {
		t.Fatalf("capacities %d %d", in.Capacity(0), in.Capacity(1))
	}
	// c ranked only X, so Y's entry for c is ignored.
	if got := in.Choices(2); !slices.Equal(got, []Choice{{Hospital: 1, Rank: 0}}) {
		t.Fatalf("c's choices %v", got)
	}
	res := Solve(in, nil)
	if !slices.Equal(res.Match, []int32{1, 1, 1}) {
		t.Fatalf("match %v", res.Match)
	}
}

func TestWriteHRRoundTrip(t *testing.T) {
	for _, in := range []*Instance{Generate(1, 500, 60, 6), Generate(2, 40, 5, 9)} {
		var buf bytes.Buffer
		if err := WriteHR(&buf, in, nil); err != nil {
			t.Fatal(err)
		}
		back, names, err := ReadHR(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if names.Residents[3] != "r3" || names.Hospitals[4] != "h4" {
			t.Fatalf("names %v %v", names.Residents[:5], names.Hospitals[:5])
		}
		if !slices.Equal(back.choices, in.choices) || !slices.Equal(back.capacity, in.capacity) || !slices.Equal(back.off, in.off) {
			t.Fatal("instance changed in a round trip")
		}
	}
}

func TestWriteHRRejectsBadIDs(t *testing.T) {
	in := Generate(1, 2, 1, 1)
	for _, bad := range []string{"", "-", "a b", "a\tb", "a\nb"} {
		names := &Names{Residents: []string{"ok", bad}, Hospitals: []string{"h"}}
		if err := WriteHR(&bytes.Buffer{}, in, names); err == nil {
			t.Errorf("ID %q accepted", bad)
		}
	}
	if err := WriteHR(&bytes.Buffer{}, in, &Names{Residents: []string{"甲", "乙"}, Hospitals: []string{"岗位1"}}); err != nil {
		t.Error(err)
	}
}

func FuzzReadHR(f *testing.F) {
	f.Add(example)
	f.Add("hr 1 2 2\nh Y 0 b a\nr a Y Z\nr b\nh Z 3 a\n")
	f.Add("hr 1 1 1\nr a X X\nh X 1 a\n")
	f.Add("c x\nhr 1 0 0\n")
	f.Add("hr 1 1 1\nr - X\nh X 1\n")
	f.Fuzz(func(t *testing.T, src string) {
		in, names, err := ReadHR(strings.NewReader(src))
		if err != nil {
			return
		}
		a := Audit(in, Solve(in, nil))
		if !a.OK() {
			t.Fatalf("audit failed: %+v", a)
		}
		var buf bytes.Buffer
		if err := WriteHR(&buf, in, names); err != nil {
			t.Fatal(err)
		}
		back, names2, err := ReadHR(&buf)
		if err != nil {
			t.Fatalf("re-reading the written instance: %v\n%s", err, buf.String())
		}
		if back.NumResidents() != in.NumResidents() || back.NumHospitals() != in.NumHospitals() {
			t.Fatalf("counts %d/%d became %d/%d", in.NumResidents(), in.NumHospitals(), back.NumResidents(), back.NumHospitals())
		}
		if !slices.Equal(names.Residents, names2.Residents) || !slices.Equal(names.Hospitals, names2.Hospitals) {
			t.Fatal("names changed in a round trip")
		}
		// Ranks are renumbered (only acceptable entries are written); their
		// order is what must survive.
		x, y := toRaw(in), toRaw(back)
		if !slices.Equal(x.capacity, y.capacity) || !slices.EqualFunc(x.residents, y.residents, slices.Equal) ||
			!slices.EqualFunc(x.hospitals, y.hospitals, slices.Equal) {
			t.Fatalf("instance changed in a round trip:\n%+v\n%+v", x, y)
		}
	})
}
