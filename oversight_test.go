package zhagen_test

import (
	"errors"
	"math"
	"testing"

	"zhagen"
)

// TestCadreWeightsValidate: each weight is 0 to 100 and they sum to 100.
func TestCadreWeightsValidate(t *testing.T) {
	for _, c := range []struct {
		w     zhagen.CadreWeights
		field string
	}{
		{zhagen.CadreWeights{Cadence: 100}, ""},
		{zhagen.CadreWeights{Filing: 100}, ""},
		{zhagen.CadreWeights{Outcome: 100}, ""},
		{zhagen.CadreWeights{Cadence: 40, Filing: 30, Outcome: 30}, ""},
		{zhagen.CadreWeights{Cadence: 40, Filing: 30, Outcome: 29}, "cadence"},
		{zhagen.CadreWeights{Cadence: 40, Filing: 30, Outcome: 31}, "cadence"},
		{zhagen.CadreWeights{Cadence: 101, Filing: -1}, "cadence"},
		{zhagen.CadreWeights{Cadence: 50, Filing: 51, Outcome: -1}, "outcome"},
		{zhagen.CadreWeights{Cadence: -1, Filing: 101}, "cadence"},
		{zhagen.CadreWeights{Filing: 101, Outcome: -1}, "filing"},
	} {
		err := c.w.Validate()
		var ze *zhagen.Error
		if c.field == "" && err != nil || c.field != "" && (!errors.As(err, &ze) || ze.Field != c.field) {
			t.Errorf("%+v: %v, want an error on %q", c.w, err, c.field)
		}
	}
}

// TestCadreScored: the score weighs the parts that have a denominator
// and a weight; none, no score.
func TestCadreScored(t *testing.T) {
	w := zhagen.CadreWeights{Cadence: 50, Filing: 30, Outcome: 20}
	c := zhagen.CadreScore{Due: 4, Done: 3, Visits: 4, Filed: 1, Closed: 2, Solved: 1}
	got, ok := c.Scored(w)
	want := (75*50 + 25*30 + 50*20) / 100.0
	if !ok || math.Abs(got-want) > 1e-9 {
		t.Errorf("all parts: %v %v, want %v", got, ok, want)
	}
	// Without closed demands the outcome part drops out.
	c = zhagen.CadreScore{Due: 4, Done: 3, Visits: 4, Filed: 1}
	got, ok = c.Scored(w)
	want = (75*50 + 25*30) / 80.0
	if !ok || math.Abs(got-want) > 1e-9 {
		t.Errorf("without outcome: %v %v, want %v", got, ok, want)
	}
	// A part with weight 0 counts for nothing.
	got, ok = c.Scored(zhagen.CadreWeights{Cadence: 100})
	if !ok || math.Abs(got-75) > 1e-9 {
		t.Errorf("cadence only: %v %v", got, ok)
	}
	if got, ok := (zhagen.CadreScore{Closed: 2, Solved: 2}).Scored(zhagen.CadreWeights{Cadence: 100}); ok || got != 0 {
		t.Errorf("no weighted part: %v %v", got, ok)
	}
	// More filed than visits counts as 1.
	if r, ok := (zhagen.CadreScore{Visits: 2, Filed: 5}).FilingRate(); !ok || r != 1 {
		t.Errorf("filing rate %v %v", r, ok)
	}
}

// TestBulletinIssue: a draft has no number; an issued one reads
// 2026年第3期.
func TestBulletinIssue(t *testing.T) {
	b := &zhagen.Bulletin{Month: "2026-11", Year: 2026}
	if b.Issue() != "" || b.Title() != "2026年11月工作通报" {
		t.Errorf("draft: %q %q", b.Issue(), b.Title())
	}
	b.Number = 3
	if b.Issue() != "2026年第3期" {
		t.Errorf("issued: %q", b.Issue())
	}
}
