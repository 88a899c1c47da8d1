package handlerscan

import (
	"slices"
	"testing"
)

// TestParams finds every way the sample handler reads a parameter: a
// literal name, a local helper given the name, names ranged over, a
// package helper given the name, a method it calls; and no header.
func TestParams(t *testing.T) {
	p, err := Parse("testdata/pkg")
	if err != nil {
		t.Fatal(err)
	}
	regs := p.Registrations("auth")
	if len(regs) != 2 || regs[0] != (Registration{"GET /things", "list"}) || regs[1] != (Registration{"GET /things/{id}", "show"}) {
		t.Fatalf("registrations %v", regs)
	}
	if got, want := p.Params("list"), []string{"dept", "from", "owner_id", "page", "q", "to"}; !slices.Equal(got, want) {
		t.Errorf("params of list %v, want %v", got, want)
	}
	if got := p.Params("show"); len(got) != 0 {
		t.Errorf("params of show %v, want none", got)
	}
}
