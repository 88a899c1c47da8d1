package sla

import (
	"math"
	"testing"
	"time"
)

func TestTimerPauses(t *testing.T) {
	c := calendar(t, Config{})
	iv := func(a, b string) Interval {
		var end time.Time
		if b != "" {
			end = at(t, b)
		}
		return Interval{at(t, a), end}
	}
	// Monday 2026-11-23 09:00 with one working day: due Tuesday 09:00.
	tests := []struct {
		name   string
		pauses []Interval
		want   string // "" while the due time is unknown
	}{
		{"no pause", nil, "2026-11-24 09:00"},
		{"paused 10:00–15:00 (2 h 30 min of office time)",
			[]Interval{iv("2026-11-23 10:00", "2026-11-23 15:00")}, "2026-11-24 11:30"},
		{"still paused", []Interval{iv("2026-11-23 10:00", "")}, ""},
		{"resumed the next day at 10:00 (6 h 30 min)",
			[]Interval{iv("2026-11-23 10:00", "2026-11-24 10:00")}, "2026-11-25 09:00"},
		{"paused over lunch only", []Interval{iv("2026-11-23 12:10", "2026-11-23 14:00")}, "2026-11-24 09:00"},
		{"paused over the weekend only", []Interval{iv("2026-11-21 09:00", "2026-11-23 08:00")}, "2026-11-24 09:00"},
		{"paused before the start counts from the start",
			[]Interval{iv("2026-11-22 10:00", "2026-11-23 10:00")}, "2026-11-24 10:00"},
		{"overlapping pauses in any order",
			[]Interval{iv("2026-11-23 11:00", "2026-11-23 15:00"), iv("2026-11-23 10:00", "2026-11-23 11:30")}, "2026-11-24 11:30"},
		{"two pauses",
			[]Interval{iv("2026-11-23 10:00", "2026-11-23 11:00"), iv("2026-11-23 16:00", "2026-11-23 16:30")}, "2026-11-24 10:30"},
		{"paused after the due time changes nothing",
			[]Interval{iv("2026-11-24 10:00", "2026-11-25 10:00")}, "2026-11-24 09:00"},
		{"still paused after the due time", []Interval{iv("2026-11-24 10:00", "")}, "2026-11-24 09:00"},
		{"paused right at the due time", []Interval{iv("2026-11-24 09:00", "")}, "2026-11-24 09:00"},
		{"a reversed pause is ignored", []Interval{iv("2026-11-23 15:00", "2026-11-23 10:00")}, "2026-11-24 09:00"},
		{"a running pause covers later ones",
			[]Interval{iv("2026-11-23 10:00", ""), iv("2026-11-23 11:00", "2026-11-23 12:00")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := Timer{Calendar: c, Start: at(t, "2026-11-23 09:00"), Budget: days(1), Pauses: tt.pauses}
			due, ok := tm.Due()
			if tt.want == "" {
				if ok {
					t.Fatalf("Due = %s, want unknown while paused", due)
				}
				return
			}
			if !ok || !due.Equal(at(t, tt.want)) {
				t.Fatalf("Due = %s, %v; want %s", due.Format(time.DateTime), ok, tt.want)
			}
			// At the due time the whole budget is used, just before it not.
			if u := tm.Used(due); u != 1 {
				t.Errorf("Used(due) = %v, want 1", u)
			}
			if l := tm.Level(due.Add(-time.Second)); l == Red {
				t.Errorf("Level just before due = %v", l)
			}
		})
	}
}

func TestTimerPauseFreezesUse(t *testing.T) {
	c := calendar(t, Config{})
	start := at(t, "2026-11-23 09:00")
	tm := Timer{Calendar: c, Start: start, Budget: hours(4)}
	tm.Pauses = []Interval{{Start: at(t, "2026-11-23 11:00")}} // waiting for the enterprise
	for _, now := range []string{"2026-11-23 11:00", "2026-11-23 16:00", "2026-11-30 16:00"} {
		if u := tm.Used(at(t, now)); u != 0.5 {
			t.Errorf("Used(%s) = %v while paused, want 0.5", now, u)
		}
	}
	tm.Pauses[0].End = at(t, "2026-11-24 10:00") // resumed
	due, ok := tm.Due()
	if !ok || !due.Equal(at(t, "2026-11-24 12:00")) {
		t.Fatalf("Due after resuming = %s, %v; want 2026-11-24 12:00", due, ok)
	}
	if u := tm.Used(at(t, "2026-11-24 11:00")); u != 0.75 {
		t.Errorf("Used after resuming = %v, want 0.75", u)
	}
}

func TestLevel(t *testing.T) {
	c := calendar(t, Config{})
	// Four working hours from Monday 08:30: due 15:00 (08:30–12:00, 14:30–15:00).
	tm := Timer{Calendar: c, Start: at(t, "2026-11-23 08:30"), Budget: hours(4)}
	tests := []struct {
		now  string
		used float64
		want Level
	}{
		{"2026-11-23 08:00", 0, OK},
		{"2026-11-23 11:27:36", 0.74, OK},
		{"2026-11-23 11:29:59", 0.75 - 1.0/14400, OK},
		{"2026-11-23 11:30", 0.75, Yellow},
		{"2026-11-23 13:00", 0.875, Yellow},
		{"2026-11-23 14:59:59", 1 - 1.0/14400, Yellow},
		{"2026-11-23 15:00", 1, Red},
		{"2026-11-23 16:00", 1.25, Red},
	}
	for _, tt := range tests {
		now := at(t, tt.now)
		if u := tm.Used(now); math.Abs(u-tt.used) > 1e-12 {
			t.Errorf("Used(%s) = %v, want %v", tt.now, u, tt.used)
		}
		if l := tm.Level(now); l != tt.want {
			t.Errorf("Level(%s) = %v, want %v", tt.now, l, tt.want)
		}
	}
	if Red.String() != "red" || Yellow.Label() != "黄色预警" {
		t.Error("level names")
	}
}
