package sla

import (
	"fmt"
	"testing"
	"time"
)

// fuzzCalendars are the calendars FuzzDue picks from: the default one,
// one with continuous office hours and one with overrides.
func fuzzCalendars(t testing.TB) []*Calendar {
	ps, err := ParseOfficeHours("09:00-17:00")
	if err != nil {
		t.Fatal(err)
	}
	return []*Calendar{
		calendar(t, Config{}),
		calendar(t, Config{OfficeHours: ps}),
		calendar(t, Config{OfficeHours: []Period{{0, 2 * time.Hour}, {22 * time.Hour, 24 * time.Hour}},
			Overrides: map[Date]Override{
				{2026, 10, 1}: {true, "值守"}, {2026, 10, 12}: {false, "停工"}, {2027, 2, 6}: {true, ""},
			}}),
	}
}

// FuzzDue checks, for any start and amount, that the due time is after
// the start, within office hours of a working day, the earliest instant
// at which the budget is used, and that WorkingBetween agrees.
func FuzzDue(f *testing.F) {
	start := time.Date(2026, 9, 30, 8, 0, 0, 0, time.UTC).Unix()
	f.Add(start, int64(0), uint16(3), true, uint8(0))
	f.Add(start+3*86400, int64(12345), uint16(4), false, uint8(1))
	f.Add(start-200*86400, int64(999), uint16(40), true, uint8(2))
	cals := fuzzCalendars(f)
	lo := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	f.Fuzz(func(t *testing.T, sec, nsec int64, amount uint16, inDays bool, which uint8) {
		c := cals[int(which)%len(cals)]
		startAt := time.Unix(lo+floorMod(sec, hi-lo), floorMod(nsec, 1e9))
		d := Duration{1 + int(amount)%MaxAmount, Hours}
		if inDays {
			d = Duration{1 + int(amount)%100, Days}
		}
		due := c.Due(startAt, d)
		if !due.After(startAt) {
			t.Fatalf("Due(%s, %v) = %s, not after the start", startAt, d, due)
		}
		day, clockTime := split(due)
		if clockTime == 0 && c.hours[len(c.hours)-1].Close == dayLength {
			day, clockTime = day-1, dayLength // the close at midnight of the day before
		}
		if !c.working(day) {
			t.Fatalf("Due(%s, %v) = %s, not a working day", startAt, d, due)
		}
		if !inOffice(c, clockTime) {
			t.Fatalf("Due(%s, %v) = %s, outside office hours", startAt, d, due)
		}
		budget := c.WorkingTime(d)
		if w := c.WorkingBetween(startAt, due); w != budget {
			t.Fatalf("WorkingBetween(%s, Due) = %v, want %v", startAt, w, budget)
		}
		if w := c.WorkingBetween(startAt, due.Add(-time.Nanosecond)); w >= budget {
			t.Fatalf("Due(%s, %v) = %s is not the earliest: %v used a nanosecond before", startAt, d, due, w)
		}
		if a := c.AddWorking(startAt, budget); !a.Equal(due) {
			t.Fatalf("AddWorking = %s; Due = %s", a, due)
		}
	})
}

func inOffice(c *Calendar, clockTime time.Duration) bool {
	for _, p := range c.hours {
		if clockTime >= p.Open && clockTime <= p.Close {
			return true
		}
	}
	return false
}

func BenchmarkDue(b *testing.B) {
	c := calendar(b, Config{})
	start := time.Date(2026, 9, 30, 16, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, d := range []Duration{hours(4), days(3), days(20), days(250)} {
		b.Run(fmt.Sprintf("%d%s", d.Amount, d.Unit), func(b *testing.B) {
			for b.Loop() {
				c.Due(start, d)
			}
		})
	}
}

func BenchmarkNewCalendar(b *testing.B) {
	for b.Loop() {
		if _, err := NewCalendar(Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
