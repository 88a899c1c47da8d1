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
