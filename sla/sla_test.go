package sla

import (
	"errors"
	"testing"
	"time"
)

// at parses a clock time in Asia/Shanghai, written 2006-01-02 15:04[:05].
func at(t testing.TB, s string) time.Time {
	t.Helper()
	for _, layout := range []string{"2006-01-02 15:04", time.DateTime} {
		if v, err := time.ParseInLocation(layout, s, Location); err == nil {
			return v
		}
	}
	t.Fatalf("bad time %q", s)
	return time.Time{}
}

func date(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func calendar(t testing.TB, cfg Config) *Calendar {
	t.Helper()
	c, err := NewCalendar(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func hours(n int) Duration { return Duration{n, Hours} }
func days(n int) Duration  { return Duration{n, Days} }

// The expectations below come from the State Council's notice on the
// holidays of 2026 (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04):
//
//	元旦 1月1日（周四）至3日（周六）放假调休，1月4日（周日）上班。
//	春节 2月15日（周日）至23日（周一）放假调休，2月14日（周六）、2月28日（周六）上班。
//	清明节 4月4日（周六）至6日（周一）放假。
//	劳动节 5月1日（周五）至5日（周二）放假调休，5月9日（周六）上班。
//	端午节 6月19日（周五）至21日（周日）放假。
//	中秋节 9月25日（周五）至27日（周日）放假。
//	国庆节 10月1日（周四）至7日（周三）放假调休，9月20日（周日）、10月10日（周六）上班。
//
// The 2027 cases follow the schedule in lunar-go v1.4.7 (its changelog:
// 2027 holidays added 2026-11-06): 春节 2月5日（周五）至13日（周六）,
// with 1月31日（周日）and 2月14日（周日）as make-up workdays; 元旦
// 1月1日至3日 with none.
func TestDue(t *testing.T) {
	c := calendar(t, Config{})
	tests := []struct {
		name  string
		start string
		d     Duration
		want  string
	}{
		// An ordinary week: Friday 2026-11-20, Monday 2026-11-23.
		{"Friday 17:00 + 4 hours", "2026-11-20 17:00", hours(4), "2026-11-23 12:00"},
		{"Friday 17:00 + 1 hour", "2026-11-20 17:00", hours(1), "2026-11-23 09:00"},
		{"Friday 17:00 + 1 day", "2026-11-20 17:00", days(1), "2026-11-23 17:00"},
		{"Friday 17:00 + 2 days", "2026-11-20 17:00", days(2), "2026-11-24 17:00"},
		{"Friday 18:00 + 1 day counts from Monday's opening", "2026-11-20 18:00", days(1), "2026-11-23 17:30"},
		{"Saturday + 4 hours counts from Monday's opening", "2026-11-21 10:00", hours(4), "2026-11-23 15:00"},
		{"before opening + 1 day ends the same day", "2026-11-25 07:00", days(1), "2026-11-25 17:30"},
		{"lunch break + 1 day ends at noon", "2026-11-23 12:30", days(1), "2026-11-24 12:00"},
		{"at noon + 1 hour", "2026-11-23 12:00", hours(1), "2026-11-23 15:30"},
		{"at 17:30 + 1 day", "2026-11-23 17:30", days(1), "2026-11-24 17:30"},
		{"seconds are kept", "2026-11-23 09:15:07", hours(2), "2026-11-23 11:15:07"},
		{"10 days over two weekends", "2026-11-23 10:00", days(10), "2026-12-07 10:00"},

		// Make-up workdays (调休) count as working days.
		{"make-up Saturday 10-10 + 4 hours", "2026-10-09 17:00", hours(4), "2026-10-10 12:00"},
		{"make-up Saturday 10-10 + 1 day", "2026-10-09 17:00", days(1), "2026-10-10 17:00"},
		{"after make-up Saturday + 2 days", "2026-10-09 17:00", days(2), "2026-10-12 17:00"},
		{"make-up Sunday 09-20 + 4 hours", "2026-09-18 17:00", hours(4), "2026-09-20 12:00"},
		{"make-up Sunday 2026-01-04", "2025-12-31 16:00", days(1), "2026-01-04 16:00"},

		// Mid-Autumn Festival 2026: September 25–27.
		{"Mid-Autumn 2026", "2026-09-24 17:00", days(1), "2026-09-28 17:00"},

		// National Day 2026: October 1–7, make-up workday Saturday October 10.
		{"National Day + 4 hours", "2026-09-30 16:00", hours(4), "2026-10-08 11:00"},
		{"National Day + 1 day", "2026-09-30 16:00", days(1), "2026-10-08 16:00"},
		{"National Day + 2 days", "2026-09-30 16:00", days(2), "2026-10-09 16:00"},
		{"National Day + 3 days (the issue's example)", "2026-09-30 16:00", days(3), "2026-10-10 16:00"},
		{"National Day + 4 days", "2026-09-30 16:00", days(4), "2026-10-12 16:00"},
		{"submitted during National Day", "2026-10-03 11:00", days(1), "2026-10-08 17:30"},

		// Spring Festival 2026: February 15–23, make-up Saturdays February 14 and 28.
		{"Friday before Spring Festival 2026 + 1 day", "2026-02-13 16:00", days(1), "2026-02-14 16:00"},
		{"the day before Spring Festival 2026 + 8 hours", "2026-02-14 10:00", hours(8), "2026-02-24 11:30"},
		{"the day before Spring Festival 2026 + 1 day", "2026-02-14 10:00", days(1), "2026-02-24 10:00"},
		{"the day before Spring Festival 2026 + 3 days", "2026-02-14 10:00", days(3), "2026-02-26 10:00"},
		{"the day before Spring Festival 2026 + 5 days", "2026-02-14 10:00", days(5), "2026-02-28 10:00"},
		{"the day before Spring Festival 2026 + 6 days", "2026-02-14 10:00", days(6), "2026-03-02 10:00"},

		// New Year 2027: January 1–3, no make-up workday.
		{"New Year 2027", "2026-12-31 16:00", days(1), "2027-01-04 16:00"},
		// Spring Festival 2027: February 5–13, make-up Sundays January 31 and February 14.
		{"make-up Sunday 2027-01-31", "2027-01-29 17:00", hours(4), "2027-01-31 12:00"},
		{"the day before Spring Festival 2027 + 1 day", "2027-02-04 16:00", days(1), "2027-02-14 16:00"},
		{"the day before Spring Festival 2027 + 2 days", "2027-02-04 16:00", days(2), "2027-02-15 16:00"},

		{"zero amount is the start", "2026-11-21 10:00", days(0), "2026-11-21 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, want := at(t, tt.start), at(t, tt.want)
			got := c.Due(start, tt.d)
			if !got.Equal(want) {
				t.Fatalf("Due(%s, %v) = %s, want %s", tt.start, tt.d, got.Format(time.DateTime), tt.want)
			}
			if got.Location() != Location {
				t.Errorf("Due returned a time in %v", got.Location())
			}
			if w := c.WorkingBetween(start, got); w != c.WorkingTime(tt.d) {
				t.Errorf("WorkingBetween(start, due) = %v, want %v", w, c.WorkingTime(tt.d))
			}
		})
	}
}

func TestDueKeepsInstantAcrossZones(t *testing.T) {
	c := calendar(t, Config{})
	utc := time.Date(2026, 9, 30, 8, 0, 0, 0, time.UTC) // 16:00 in Shanghai
	got := c.Due(utc, days(3))
	if want := "2026-10-10T16:00:00+08:00"; got.Format(time.RFC3339) != want {
		t.Fatalf("Due = %s, want %s", got.Format(time.RFC3339), want)
	}
}

func TestDayInfo(t *testing.T) {
	c := calendar(t, Config{})
	tests := []struct {
		date    string
		working bool
		name    string
	}{
		{"2026-01-01", false, "元旦节"},
		{"2026-01-04", true, "元旦节调休"},
		{"2026-02-14", true, "春节调休"},
		{"2026-02-17", false, "春节"},
		{"2026-02-28", true, "春节调休"},
		{"2026-05-09", true, "劳动节调休"},
		{"2026-09-20", true, "国庆节调休"},
		{"2026-09-25", false, "中秋节"},
		{"2026-10-01", false, "国庆节"},
		{"2026-10-07", false, "国庆节"},
		{"2026-10-08", true, ""},
		{"2026-10-10", true, "国庆节调休"},
		{"2026-10-11", false, "周末"},
		{"2027-01-31", true, "春节调休"},
		{"2027-02-14", true, "春节调休"},
		{"2030-06-03", true, ""},
		{"2030-06-01", false, "周末"},
	}
	for _, tt := range tests {
		d := date(t, tt.date)
		working, name := c.DayInfo(d)
		if working != tt.working || name != tt.name {
			t.Errorf("DayInfo(%s) = %v, %q; want %v, %q", tt.date, working, name, tt.working, tt.name)
		}
		if c.IsWorkday(d) != tt.working {
			t.Errorf("IsWorkday(%s) = %v", tt.date, !tt.working)
		}
	}
}

// TestStatutory2026 checks every day of 2026 against the notice quoted
// above TestDue.
func TestStatutory2026(t *testing.T) {
	c := calendar(t, Config{})
	off := map[string]bool{}
	for _, r := range [][2]string{
		{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
		{"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
		{"2026-10-01", "2026-10-07"},
	} {
		for d := date(t, r[0]); d != date(t, r[1]).AddDays(1); d = d.AddDays(1) {
			off[d.String()] = true
		}
	}
	makeUp := map[string]bool{"2026-01-04": true, "2026-02-14": true, "2026-02-28": true,
		"2026-05-09": true, "2026-09-20": true, "2026-10-10": true}
	working := 0
	for d := date(t, "2026-01-01"); d.Year == 2026; d = d.AddDays(1) {
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		want := makeUp[d.String()] || !weekend && !off[d.String()]
		if got := c.IsWorkday(d); got != want {
			t.Errorf("IsWorkday(%s) = %v, want %v", d, got, want)
		}
		if want {
			working++
		}
	}
	if working != 248 {
		t.Errorf("2026 has %d working days, want 248", working)
	}
	for y, want := range map[int]bool{2001: false, 2002: true, 2026: true, 2027: true, 2028: false} {
		if c.Covers(y) != want {
			t.Errorf("Covers(%d) = %v, want %v", y, !want, want)
		}
	}
}

func TestOverrides(t *testing.T) {
	tests := []struct {
		name      string
		overrides map[Date]Override
		start     string
		d         Duration
		want      string
	}{
		{"a Monday made a day off", map[Date]Override{{2026, 11, 23}: {false, "台风停工"}},
			"2026-11-20 17:00", days(1), "2026-11-24 17:00"},
		{"a Saturday made a working day", map[Date]Override{{2026, 11, 21}: {true, "集中办公"}},
			"2026-11-20 17:00", days(1), "2026-11-21 17:00"},
		{"a statutory holiday made a working day", map[Date]Override{{2026, 10, 1}: {true, "应急值守"}},
			"2026-09-30 16:00", days(3), "2026-10-09 16:00"},
		{"a make-up workday made a day off", map[Date]Override{{2026, 10, 10}: {false, ""}},
			"2026-09-30 16:00", days(3), "2026-10-12 16:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := calendar(t, Config{Overrides: tt.overrides})
			if got := c.Due(at(t, tt.start), tt.d); !got.Equal(at(t, tt.want)) {
				t.Fatalf("Due = %s, want %s", got.Format(time.DateTime), tt.want)
			}
			for d, o := range tt.overrides {
				working, name := c.DayInfo(d)
				wantName := o.Name
				if wantName == "" {
					wantName = "管理员调整"
				}
				if working != o.Working || name != wantName {
					t.Errorf("DayInfo(%s) = %v, %q; want %v, %q", d, working, name, o.Working, wantName)
				}
			}
		})
	}
}

func TestNewCalendarErrors(t *testing.T) {
	h := func(a, b time.Duration) Period { return Period{a * time.Hour, b * time.Hour} }
	tests := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"no office hours", Config{OfficeHours: []Period{}}, "office_hours"},
		{"empty period", Config{OfficeHours: []Period{h(9, 9)}}, "office_hours"},
		{"past midnight", Config{OfficeHours: []Period{h(20, 25)}}, "office_hours"},
		{"out of order", Config{OfficeHours: []Period{h(14, 17), h(9, 12)}}, "office_hours"},
		{"overlapping", Config{OfficeHours: []Period{h(9, 12), h(11, 17)}}, "office_hours"},
		{"no such day", Config{Overrides: map[Date]Override{{2026, 2, 30}: {}}}, "overrides"},
	}
	for _, tt := range tests {
		_, err := NewCalendar(tt.cfg)
		// The domain turns an *Error into EINVALID: see TestSLAErrorsAreInvalid in package zhagen.
		var e *Error
		if !errors.As(err, &e) || e.Field != tt.field || e.Message == "" {
			t.Errorf("%s: err = %v, want an *Error on %s", tt.name, err, tt.field)
		}
	}
}

func TestOfficeHours(t *testing.T) {
	ps, err := ParseOfficeHours("09:00-12:00, 13:00–17:00")
	if err != nil {
		t.Fatal(err)
	}
	c := calendar(t, Config{OfficeHours: ps})
	if got := c.WorkingTime(days(1)); got != 7*time.Hour {
		t.Errorf("a working day is %v, want 7h", got)
	}
	if got := c.Due(at(t, "2026-11-20 16:00"), days(1)); !got.Equal(at(t, "2026-11-23 16:00")) {
		t.Errorf("Due = %s", got)
	}
	if got := c.OfficeHours()[1].String(); got != "13:00–17:00" {
		t.Errorf("period = %s", got)
	}
	def := calendar(t, Config{})
	if got := def.WorkingTime(days(3)); got != 19*time.Hour+30*time.Minute {
		t.Errorf("3 default working days are %v", got)
	}
	for _, bad := range []string{"", "9-12", "09:00", "08:00-24:30", "25:00-26:00", "a:b-c:d"} {
		if _, err := ParseOfficeHours(bad); err == nil {
			t.Errorf("ParseOfficeHours(%q) accepted", bad)
		}
	}
}

func TestWorkingBetween(t *testing.T) {
	c := calendar(t, Config{})
	tests := []struct {
		a, b string
		want time.Duration
	}{
		{"2026-11-20 17:00", "2026-11-23 12:00", 4 * time.Hour},
		{"2026-11-23 11:00", "2026-11-23 15:00", 90 * time.Minute},
		{"2026-11-23 12:10", "2026-11-23 14:00", 0},
		{"2026-11-23 15:00", "2026-11-23 11:00", 0},
		{"2026-09-30 00:00", "2026-10-11 00:00", 26 * time.Hour},
		{"2026-11-21 00:00", "2026-11-23 00:00", 0},
	}
	for _, tt := range tests {
		if got := c.WorkingBetween(at(t, tt.a), at(t, tt.b)); got != tt.want {
			t.Errorf("WorkingBetween(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDurationValidate(t *testing.T) {
	for _, d := range []Duration{days(1), hours(MaxAmount)} {
		if err := d.Validate(); err != nil {
			t.Errorf("%v: %v", d, err)
		}
	}
	for _, d := range []Duration{days(0), hours(-1), days(MaxAmount + 1), {3, 0}, {3, 9}} {
		if e := (*Error)(nil); !errors.As(d.Validate(), &e) || e.Message == "" {
			t.Errorf("%v accepted", d)
		}
	}
	if s := days(3).String(); s != "3个工作日" {
		t.Errorf("String = %q", s)
	}
}

func TestDate(t *testing.T) {
	d := DateOf(time.Date(2026, 9, 30, 16, 30, 0, 0, time.UTC)) // 00:30 the next day in Shanghai
	if d != (Date{2026, 10, 1}) || d.String() != "2026-10-01" || d.Weekday() != time.Thursday {
		t.Errorf("DateOf = %v (%v)", d, d.Weekday())
	}
	if got := d.AddDays(-1); got != (Date{2026, 9, 30}) {
		t.Errorf("AddDays(-1) = %v", got)
	}
	if got := d.Time(16 * time.Hour); got.Format(time.RFC3339) != "2026-10-01T16:00:00+08:00" {
		t.Errorf("Time = %s", got.Format(time.RFC3339))
	}
	if DateOf(time.Date(1960, 1, 1, 0, 0, 0, 0, Location)) != (Date{1960, 1, 1}) {
		t.Error("DateOf before 1970")
	}
	for _, bad := range []string{"2026-02-30", "2026-1-1", "20261001", ""} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}
