package zhagen

import (
	"math/rand/v2"
	"testing"
	"time"

	"zhagen/sla"
)

// TestNextWatchAgainstMinuteWalk: for demands of every running status
// with limits around the 2026 National Day holiday, the watch time is the
// step the jobs would see walking the calendar minute by minute: nothing
// new in the minute before it, something new at it.
func TestNextWatchAgainstMinuteWalk(t *testing.T) {
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2026, 9, 28, 9, 0, 0, 0, Shanghai)
	statuses := []DemandStatus{DemandAssigned, DemandAccepted, DemandInProgress, DemandSubmitted, DemandWaiting, DemandEscalated}
	for i := range 300 {
		assigned := base.Add(time.Duration(rng.IntN(6*24*60)) * time.Minute)
		terms := []int{1, 2, 3, 5}
		budget := cal.WorkingTime(sla.Duration{Amount: terms[rng.IntN(len(terms))], Unit: sla.Days})
		resp := cal.Due(assigned, sla.Duration{Amount: 4, Unit: sla.Hours})
		due := cal.AddWorking(assigned, budget)
		d := &Demand{Status: statuses[rng.IntN(len(statuses))], ResponseDue: &resp, ResolutionDue: &due, AssignedAt: &assigned, SLALevel: SLAOK}
		if d.Status != DemandAssigned && d.Status != DemandSubmitted {
			d.AcceptedAt = &assigned
		}
		if rng.IntN(4) == 0 {
			d.SLALevel = SLAYellow
		}
		r := LadderRule{WarnPct: 10 + rng.IntN(90), SuperviseDays: rng.IntN(4), ReplyHours: 8}
		now := assigned.Add(time.Duration(rng.IntN(8*24*60)) * time.Minute)
		got := NextWatch(r, cal, now, d, budget)
		from := watchStage(r, cal, now, d, budget)
		// Walk minute by minute to the first change, for up to 30 days.
		var want time.Time
		for m := now.Truncate(time.Minute).Add(time.Minute); m.Before(now.AddDate(0, 0, 30)); m = m.Add(time.Minute) {
			if watchStage(r, cal, m, d, budget) != from {
				want = m
				break
			}
		}
		switch {
		case want.IsZero() && !got.IsZero():
			t.Fatalf("case %d (%s, %+v): watch %v, but nothing changes after %v", i, d.Status, r, got, now)
		case want.IsZero():
			continue
		case got.IsZero():
			t.Fatalf("case %d (%s): no watch, but the stage changes at %v (after %v)", i, d.Status, want, now)
		case !got.After(now.Add(-time.Second)) || got.After(want):
			t.Fatalf("case %d (%s): watch %v, want after %v and by %v", i, d.Status, got, now, want)
		case watchStage(r, cal, got.Add(time.Second), d, budget) == from:
			t.Fatalf("case %d (%s): nothing new a second after the watch %v", i, d.Status, got)
		case want.Sub(got) >= time.Minute:
			t.Fatalf("case %d (%s): watch %v more than a minute before the change at %v", i, d.Status, got, want)
		}
	}
}

// TestFirstWatch: a demand written when something is already due is
// watched at once; a closed one never; otherwise at its next step.
func TestFirstWatch(t *testing.T) {
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		t.Fatal(err)
	}
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, Shanghai) }
	resp, due := at(12, 8, 9, 0), at(12, 11, 17, 0)
	budget := cal.WorkingTime(sla.Duration{Amount: 5, Unit: sla.Days})
	d := &Demand{Status: DemandAssigned, ResponseDue: &resp, ResolutionDue: &due, SLALevel: SLAOK}
	now := at(12, 7, 10, 0)
	if got := FirstWatch(DefaultLadderRule, cal, now, d, budget); !got.Equal(resp) {
		t.Errorf("assigned: watch %v, want the response limit %v", got, resp)
	}
	late := at(12, 8, 10, 0)
	if got := FirstWatch(DefaultLadderRule, cal, late.Add(1500*time.Millisecond), d, budget); !got.Equal(late.Add(time.Second)) {
		t.Errorf("past its response limit: watch %v, want now", got)
	}
	stale := *d
	stale.Status, stale.AcceptedAt, stale.SLALevel = DemandInProgress, &now, SLARed // an extension moved the limit
	if got := FirstWatch(DefaultLadderRule, cal, now, &stale, budget); !got.Equal(now) {
		t.Errorf("stored level no longer right: watch %v, want now", got)
	}
	closed := *d
	closed.Status = DemandClosed
	if got := FirstWatch(DefaultLadderRule, cal, late, &closed, budget); !got.IsZero() {
		t.Errorf("closed: watch %v", got)
	}
}
