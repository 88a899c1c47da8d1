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
