package sla

import (
	"fmt"
	"time"
)

// Location is Asia/Shanghai, the zone's time zone: UTC+8 all year, as it
// has been without daylight saving time since 1991. It is a fixed zone, so
// it needs no time zone database on the host. Every instant the package
// returns is in Location.
var Location = time.FixedZone("CST", offset)

// offset is the zone's distance from UTC in seconds. Asia/Shanghai has
// kept UTC+8 without daylight saving time since 1991, so civil days are
// computed with plain arithmetic rather than time.Date.
const offset = 8 * 3600

const secondsPerDay = 24 * 3600

// dayLength is the length of a civil day.
const dayLength = 24 * time.Hour

// dayNum counts civil days in Asia/Shanghai since 1970-01-01.
type dayNum int64

// Date is a civil date (a calendar day) in Asia/Shanghai. It is comparable
// and serves as a map key; build it with [DateOf] or [ParseDate] or as a
// literal of a real day such as Date{2026, time.October, 1}.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in Asia/Shanghai.
func DateOf(t time.Time) Date {
	d, _ := split(t)
	return d.date()
}

// ParseDate parses a date written as YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("日期格式无效：%q，应为 YYYY-MM-DD，如 2026-10-01", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// String returns the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.num().weekday() }

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date { return (d.num() + dayNum(n)).date() }

// Time returns the instant t of clock time after midnight on d, in
// Asia/Shanghai: d.Time(16 * time.Hour) is 16:00 on d.
func (d Date) Time(t time.Duration) time.Time { return join(d.num(), t) }

// valid reports whether d names a real day (not, say, February 30).
func (d Date) valid() bool { return d.num().date() == d }

func (d Date) num() dayNum {
	return dayNum(floorDiv(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix(), secondsPerDay))
}

func (n dayNum) date() Date {
	y, m, d := time.Unix(int64(n)*secondsPerDay, 0).UTC().Date()
	return Date{y, m, d}
}

// weekday uses 1970-01-01 having been a Thursday.
func (n dayNum) weekday() time.Weekday {
	return time.Weekday(floorMod(int64(n)+int64(time.Thursday), 7))
}

// split returns the civil day of t and the clock time into that day.
func split(t time.Time) (dayNum, time.Duration) {
	s := t.Unix() + offset
	d := floorDiv(s, secondsPerDay)
	return dayNum(d), time.Duration(s-d*secondsPerDay)*time.Second + time.Duration(t.Nanosecond())
}

// join is the inverse of split; it returns the instant in Asia/Shanghai.
func join(d dayNum, clock time.Duration) time.Time {
	return time.Unix(int64(d)*secondsPerDay-offset, int64(clock)).In(Location)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
