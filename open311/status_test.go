package open311

import (
	"testing"

	"zhagen"
)

// TestStatusOfEveryDemandStatus: Open311 reports a demand open while a
// department still has work on it — waiting for the enterprise and in
// consultation included — and closed from resolution on.
func TestStatusOfEveryDemandStatus(t *testing.T) {
	want := map[zhagen.DemandStatus]string{
		zhagen.DemandSubmitted:  "open",
		zhagen.DemandAssigned:   "open",
		zhagen.DemandReturned:   "open",
		zhagen.DemandAccepted:   "open",
		zhagen.DemandInProgress: "open",
		zhagen.DemandWaiting:    "open",
		zhagen.DemandEscalated:  "open",
		zhagen.DemandResolved:   "closed",
		zhagen.DemandClosed:     "closed",
		zhagen.DemandWithdrawn:  "closed",
		zhagen.DemandMerged:     "closed",
	}
	if len(want) != len(zhagen.DemandStatuses) {
		t.Fatalf("the table names %d statuses, the domain %d: add the new status here", len(want), len(zhagen.DemandStatuses))
	}
	for _, s := range zhagen.DemandStatuses {
		w, ok := want[s]
		if !ok {
			t.Fatalf("status %s missing from the table", s)
		}
		if got := statusOf(s); got != w {
			t.Errorf("statusOf(%s) = %q, want %q", s, got, w)
		}
		d := &zhagen.Demand{ID: 1, Status: s, Title: "t"}
		if got := requestOf(d, "").Status; got != w {
			t.Errorf("request of a %s demand: status %q, want %q", s, got, w)
		}
	}
}
