package sla

import (
	"testing"
	"time"
)

// TestParseClockBoundaries: a clock time is HH:MM from 00:00 to 24:00;
// each bound is accepted exactly and refused one past.
func TestParseClockBoundaries(t *testing.T) {
	ok := map[string]time.Duration{
		"00:00": 0,
		"0:59":  59 * time.Minute,
		"08:30": 8*time.Hour + 30*time.Minute,
		"23:59": 23*time.Hour + 59*time.Minute,
		"24:00": 24 * time.Hour,
	}
	for s, want := range ok {
		got, err := parseClock(s)
		if err != nil || got != want {
			t.Errorf("parseClock(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"-1:00", "8:-1", "8:60", "24:01", "25:00", "8", ""} {
		if got, err := parseClock(s); err == nil {
			t.Errorf("parseClock(%q) = %v, want an error", s, got)
		}
	}
}

// TestClockString: periods print as HH:MM–HH:MM, minutes included.
func TestClockString(t *testing.T) {
	p := Period{Open: 8*time.Hour + 30*time.Minute, Close: 24 * time.Hour}
	if got := p.String(); got != "08:30–24:00" {
		t.Fatalf("period %q, want 08:30–24:00", got)
	}
	if got := clock(14*time.Hour + 5*time.Minute); got != "14:05" {
		t.Fatalf("clock %q, want 14:05", got)
	}
}

// TestOfficeHoursBoundaries: a period may end at 24:00 exactly, and the
// next may open exactly when the previous closes; one minute more is
// refused.
func TestOfficeHoursBoundaries(t *testing.T) {
	if _, err := NewCalendar(Config{OfficeHours: []Period{{Open: 8 * time.Hour, Close: 12 * time.Hour}, {Open: 12 * time.Hour, Close: 24 * time.Hour}}}); err != nil {
		t.Fatalf("periods touching, the last to 24:00: %v", err)
	}
	for _, hours := range [][]Period{
		{{Open: 8 * time.Hour, Close: 24*time.Hour + time.Minute}},
		{{Open: -time.Minute, Close: 12 * time.Hour}},
		{{Open: 8 * time.Hour, Close: 8 * time.Hour}},
		{{Open: 8 * time.Hour, Close: 12 * time.Hour}, {Open: 12*time.Hour - time.Minute, Close: 18 * time.Hour}},
	} {
		if _, err := NewCalendar(Config{OfficeHours: hours}); err == nil {
			t.Errorf("office hours %v accepted", hours)
		}
	}
}

// TestWorkingTimeBoundaries: no time for an amount of 0 or less, whatever
// the unit; MaxAmount itself is a valid amount.
func TestWorkingTimeBoundaries(t *testing.T) {
	c, err := NewCalendar(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.WorkingTime(Duration{Amount: 0, Unit: Unit(99)}); got != 0 {
		t.Fatalf("zero amount: %v", got)
	}
	if got, want := c.WorkingTime(Duration{Amount: MaxAmount, Unit: Hours}), MaxAmount*time.Hour; got != want {
		t.Fatalf("MaxAmount hours: %v, want %v", got, want)
	}
}

// TestSplitKeepsNanoseconds: an instant's clock time keeps its fraction
// of a second, and join gives the instant back.
func TestSplitKeepsNanoseconds(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 30, 15, 500_000_000, Location)
	d, clk := split(at)
	if want := 9*time.Hour + 30*time.Minute + 15*time.Second + 500*time.Millisecond; clk != want {
		t.Fatalf("clock %v, want %v", clk, want)
	}
	if back := join(d, clk); !back.Equal(at) {
		t.Fatalf("join %v, want %v", back, at)
	}
}

// TestLevelWithoutBudget: a limit without working time warns only when
// due (red), never yellow before — even when no office time is left
// until the due time (Saturday before a Monday 08:30 due time).
func TestLevelWithoutBudget(t *testing.T) {
	c, err := NewCalendar(Config{})
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 11, 9, 8, 30, 0, 0, Location) // Monday, office opens
	now := time.Date(2026, 11, 7, 10, 0, 0, 0, Location) // Saturday
	if w := c.WorkingBetween(now, due); w != 0 {
		t.Fatalf("fixture: %v of office time until due", w)
	}
	if l := c.LevelAt(now, due, 0); l != OK {
		t.Fatalf("level %s without a budget before due, want ok", l)
	}
	if l := c.LevelAt(due, due, 0); l != Red {
		t.Fatalf("level %s at due, want red", l)
	}
}

// TestHolidayFirstAndLastMinute: around 国庆节 2026 (October 1–7 off,
// Saturday October 10 a make-up workday) the last office minute before
// the holiday and the first after it count, every minute of the holiday
// does not, and a budget that ends at the close of September 30 is due
// then, one minute more on October 8.
func TestHolidayFirstAndLastMinute(t *testing.T) {
	c := calendar(t, Config{})
	between := []struct {
		from, to string
		want     time.Duration
	}{
		{"2026-09-30 17:29", "2026-09-30 17:30", time.Minute},     // the last office minute before
		{"2026-09-30 17:30", "2026-10-01 00:01", 0},               // into the holiday's first minute
		{"2026-10-01 08:30", "2026-10-01 08:31", 0},               // the holiday's first office minute
		{"2026-10-07 17:29", "2026-10-07 17:30", 0},               // its last office minute
		{"2026-10-07 23:59", "2026-10-08 08:30", 0},               // its last minute, up to the opening
		{"2026-10-08 08:30", "2026-10-08 08:31", time.Minute},     // the first office minute after
		{"2026-09-30 17:29", "2026-10-08 08:31", 2 * time.Minute}, // across it
		{"2026-10-10 08:30", "2026-10-10 08:31", time.Minute},     // the make-up Saturday
	}
	for _, b := range between {
		if got := c.WorkingBetween(at(t, b.from), at(t, b.to)); got != b.want {
			t.Errorf("WorkingBetween(%s, %s) = %v, want %v", b.from, b.to, got, b.want)
		}
	}
	start := at(t, "2026-09-30 17:29")
	if got := c.AddWorking(start, time.Minute); !got.Equal(at(t, "2026-09-30 17:30")) {
		t.Errorf("one minute from %s is due %s", start, got)
	}
	if got := c.AddWorking(start, 2*time.Minute); !got.Equal(at(t, "2026-10-08 08:31")) {
		t.Errorf("two minutes from %s are due %s", start, got)
	}
	for _, d := range []Date{{2026, 10, 1}, {2026, 10, 7}} {
		if c.IsWorkday(d) {
			t.Errorf("%v is a workday", d)
		}
	}
	for _, d := range []Date{{2026, 9, 30}, {2026, 10, 8}, {2026, 10, 10}} {
		if !c.IsWorkday(d) {
			t.Errorf("%v is not a workday", d)
		}
	}
}
