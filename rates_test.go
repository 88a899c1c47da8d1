package zhagen_test

import (
	"testing"
	"time"

	"zhagen"
)

func TestRatesFilterBounds(t *testing.T) {
	f := zhagen.RatesFilter{From: time.Date(2026, 1, 1, 0, 0, 0, 0, zhagen.Shanghai), To: time.Date(2026, 12, 31, 0, 0, 0, 0, zhagen.Shanghai)}
	from, to := f.Bounds()
	if !from.Equal(time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC)) || !to.Equal(time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("bounds %v %v", from, to)
	}
	if from, to := (zhagen.RatesFilter{}).Bounds(); from != nil || to != nil {
		t.Fatalf("zero filter bounds %v %v", from, to)
	}
	f.From, f.To = f.To, f.From
	if zhagen.ErrorCode(f.Validate()) != zhagen.EINVALID {
		t.Fatal("reversed period accepted")
	}
}

func TestDemandRatesRatios(t *testing.T) {
	r := zhagen.DemandRates{DueForResponse: 30, AcceptedInTime: 28, Closed: 4, Solved: 3}
	if v, ok := r.ResponseRate(); !ok || v != 28.0/30 {
		t.Fatalf("response %v %v", v, ok)
	}
	if v, ok := r.ResolutionRate(); !ok || v != 0.75 {
		t.Fatalf("resolution %v %v", v, ok)
	}
	if _, ok := r.SatisfactionRate(); ok {
		t.Fatal("satisfaction with nothing rated is ok")
	}
}

// TestFollowUpCountsAndAdd: a withdrawal check counts for nothing; a
// follow-up that reached the enterprise counts, solved or not; sums add
// every count.
func TestFollowUpCountsAndAdd(t *testing.T) {
	for _, c := range []struct {
		k               zhagen.FollowUpKind
		r               zhagen.FollowUpResult
		reached, solved int
	}{
		{zhagen.FollowUpRated, zhagen.FollowUpSolved, 1, 1},
		{zhagen.FollowUpRated, zhagen.FollowUpUnsolved, 1, 0},
		{zhagen.FollowUpRated, "unreachable", 0, 0},
		{zhagen.FollowUpWithdrawal, zhagen.FollowUpSolved, 0, 0},
	} {
		if re, so := zhagen.FollowUpCounts(c.k, c.r); re != c.reached || so != c.solved {
			t.Errorf("%s %s: %d %d", c.k, c.r, re, so)
		}
	}
	a := zhagen.DemandRates{DueForResponse: 1, AcceptedInTime: 2, Closed: 3, Solved: 4, Rated: 5, Satisfied: 6, FollowUpReached: 7, FollowUpSolved: 8}
	b := zhagen.DemandRates{DueForResponse: 10, AcceptedInTime: 20, Closed: 30, Solved: 40, Rated: 50, Satisfied: 60, FollowUpReached: 70, FollowUpSolved: 80}
	want := zhagen.DemandRates{DueForResponse: 11, AcceptedInTime: 22, Closed: 33, Solved: 44, Rated: 55, Satisfied: 66, FollowUpReached: 77, FollowUpSolved: 88}
	if got := a.Add(b); got != want {
		t.Errorf("Add = %+v", got)
	}
}
