package sla

import (
	"testing"
	"time"
)

func TestAddWorkingAndLevelAt(t *testing.T) {
	cal, err := NewCalendar(Config{})
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, cst) // Monday
	budget := cal.WorkingTime(Duration{Amount: 2, Unit: Days})
	due := cal.AddWorking(start, budget)
	if want := time.Date(2026, 11, 4, 9, 0, 0, 0, cst); !due.Equal(want) {
		t.Fatalf("AddWorking = %v, want %v", due, want)
	}
	if !cal.AddWorking(start, 0).Equal(start) {
		t.Fatal("zero budget moved the time")
	}
	cases := []struct {
		now  time.Time
		want Level
	}{
		{start, OK},
		{time.Date(2026, 11, 3, 9, 0, 0, 0, cst), OK},       // half used
		{time.Date(2026, 11, 3, 14, 44, 0, 0, cst), OK},     // 9 h 44 min of 13 h
		{time.Date(2026, 11, 3, 14, 45, 0, 0, cst), Yellow}, // 9 h 45 min: 75 %
		{due.Add(-time.Minute), Yellow},
		{due, Red},
		{due.Add(24 * time.Hour), Red},
	}
	for _, c := range cases {
		if got := cal.LevelAt(c.now, due, budget); got != c.want {
			t.Errorf("LevelAt(%v) = %v, want %v", c.now, got, c.want)
		}
	}
}

func TestLevelNames(t *testing.T) {
	if Red.String() != "red" || Yellow.Label() != "黄色预警" {
		t.Error("level names")
	}
	for _, l := range []Level{OK, Yellow, Red} {
		if l.Label() == "" || Level(l.String()) != l {
			t.Errorf("level %q: label %q", l, l.Label())
		}
	}
	if Level("").Label() != "" || Level("green").Label() != "" {
		t.Error("an unknown level has a label")
	}
}

// TestLevelAtFourHours: four working hours from Monday 08:30 are due at
// 15:00 (08:30–12:00, 14:30–15:00); 75 % are used at 11:30.
func TestLevelAtFourHours(t *testing.T) {
	c := calendar(t, Config{})
	start := at(t, "2026-11-23 08:30")
	budget := c.WorkingTime(hours(4))
	due := c.AddWorking(start, budget)
	if !due.Equal(at(t, "2026-11-23 15:00")) {
		t.Fatalf("due %s", due)
	}
	tests := []struct {
		now  string
		want Level
	}{
		{"2026-11-23 08:00", OK},
		{"2026-11-23 11:27:36", OK},
		{"2026-11-23 11:29:59", OK},
		{"2026-11-23 11:30", Yellow},
		{"2026-11-23 13:00", Yellow},
		{"2026-11-23 14:59:59", Yellow},
		{"2026-11-23 15:00", Red},
		{"2026-11-23 16:00", Red},
	}
	for _, tt := range tests {
		if l := c.LevelAt(at(t, tt.now), due, budget); l != tt.want {
			t.Errorf("LevelAt(%s) = %v, want %v", tt.now, l, tt.want)
		}
	}
}

// TestPauseMovesDue: callers stop the clock while a demand waits for the
// enterprise by carrying the office time left at the pause over to the
// resumption. Monday 2026-11-23 09:00 with one working day is due on
// Tuesday at 09:00 without a pause.
func TestPauseMovesDue(t *testing.T) {
	c := calendar(t, Config{})
	start := at(t, "2026-11-23 09:00")
	budget := c.WorkingTime(days(1))
	tests := []struct {
		name   string
		pauses [][2]string // in order, each from a pause to its resumption
		want   string
	}{
		{"no pause", nil, "2026-11-24 09:00"},
		{"paused 10:00–15:00 (2 h 30 min of office time)", [][2]string{{"2026-11-23 10:00", "2026-11-23 15:00"}}, "2026-11-24 11:30"},
		{"resumed the next day at 10:00 (6 h 30 min)", [][2]string{{"2026-11-23 10:00", "2026-11-24 10:00"}}, "2026-11-25 09:00"},
		{"paused over lunch only", [][2]string{{"2026-11-23 12:10", "2026-11-23 14:00"}}, "2026-11-24 09:00"},
		{"two pauses", [][2]string{{"2026-11-23 10:00", "2026-11-23 11:00"}, {"2026-11-23 16:00", "2026-11-23 16:30"}}, "2026-11-24 10:30"},
		{"paused after the due time changes nothing", [][2]string{{"2026-11-24 10:00", "2026-11-25 10:00"}}, "2026-11-24 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due := c.AddWorking(start, budget)
			for _, p := range tt.pauses {
				paused, resumed := at(t, p[0]), at(t, p[1])
				if !paused.Before(due) {
					continue // paused after the due time: nothing to carry over
				}
				due = c.AddWorking(resumed, c.WorkingBetween(paused, due))
			}
			if !due.Equal(at(t, tt.want)) {
				t.Fatalf("due %s, want %s", due.Format(time.DateTime), tt.want)
			}
			// At the due time the whole budget is used, just before it not.
			if l := c.LevelAt(due, due, budget); l != Red {
				t.Errorf("LevelAt(due) = %v", l)
			}
			if l := c.LevelAt(due.Add(-time.Second), due, budget); l == Red {
				t.Errorf("LevelAt just before due = %v", l)
			}
		})
	}
}

// TestPauseKeepsLevel: four working hours from Monday 09:00 (due 15:30),
// paused at 11:00 with half used and resumed on Tuesday at 10:00, are due
// on Tuesday at 12:00, and three quarters are used at 11:00.
func TestPauseKeepsLevel(t *testing.T) {
	c := calendar(t, Config{})
	budget := c.WorkingTime(hours(4))
	due := c.AddWorking(at(t, "2026-11-23 09:00"), budget)
	paused := at(t, "2026-11-23 11:00")
	if left := c.WorkingBetween(paused, due); left != budget/2 {
		t.Fatalf("left at the pause %v, want half of %v", left, budget)
	}
	due = c.AddWorking(at(t, "2026-11-24 10:00"), c.WorkingBetween(paused, due))
	if !due.Equal(at(t, "2026-11-24 12:00")) {
		t.Fatalf("due after resuming %s, want 2026-11-24 12:00", due)
	}
	if l := c.LevelAt(at(t, "2026-11-24 10:59"), due, budget); l != OK {
		t.Errorf("level at 10:59 %v, want ok", l)
	}
	if l := c.LevelAt(at(t, "2026-11-24 11:00"), due, budget); l != Yellow {
		t.Errorf("level at 11:00 %v, want yellow", l)
	}
}
