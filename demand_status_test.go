package zhagen_test

import (
	"testing"

	"zhagen"
)

// TestDemandStatusOpenAndFiles: a demand is open (a department still has
// work on it) until it is resolved, closed, withdrawn or merged; it takes
// files until it is closed, withdrawn or merged (a resolved demand still
// does, for the enterprise's rating). Every status is listed.
func TestDemandStatusOpenAndFiles(t *testing.T) {
	type rule struct{ open, files bool }
	want := map[zhagen.DemandStatus]rule{
		zhagen.DemandSubmitted:  {true, true},
		zhagen.DemandAssigned:   {true, true},
		zhagen.DemandReturned:   {true, true},
		zhagen.DemandAccepted:   {true, true},
		zhagen.DemandInProgress: {true, true},
		zhagen.DemandWaiting:    {true, true},
		zhagen.DemandEscalated:  {true, true},
		zhagen.DemandResolved:   {false, true},
		zhagen.DemandClosed:     {false, false},
		zhagen.DemandWithdrawn:  {false, false},
		zhagen.DemandMerged:     {false, false},
	}
	if len(want) != len(zhagen.DemandStatuses) {
		t.Fatalf("the table names %d statuses, the domain %d: add the new status here", len(want), len(zhagen.DemandStatuses))
	}
	for _, s := range zhagen.DemandStatuses {
		w, ok := want[s]
		if !ok {
			t.Fatalf("status %s missing from the table", s)
		}
		if s.Open() != w.open {
			t.Errorf("%s.Open() = %v, want %v", s, s.Open(), w.open)
		}
		if s.TakesFiles() != w.files {
			t.Errorf("%s.TakesFiles() = %v, want %v", s, s.TakesFiles(), w.files)
		}
		if s.Label() == "" {
			t.Errorf("%s has no label", s)
		}
	}
}
