package sla

import (
	"fmt"
	"strings"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Period is one span of office hours in a working day, as clock times
// after midnight: Period{Open: 8*time.Hour + 30*time.Minute, Close: 12 * time.Hour}
// is 08:30–12:00.
type Period struct {
	Open, Close time.Duration
}

// String returns the period as 08:30–12:00.
func (p Period) String() string { return clock(p.Open) + "–" + clock(p.Close) }

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// DefaultOfficeHours returns the default office hours of the zone's
// administration: 08:30–12:00 and 14:30–17:30, six and a half hours a day.
func DefaultOfficeHours() []Period {
	return []Period{
		{8*time.Hour + 30*time.Minute, 12 * time.Hour},
		{14*time.Hour + 30*time.Minute, 17*time.Hour + 30*time.Minute},
	}
}

// ParseOfficeHours parses office hours written as comma-separated
// periods, such as "08:30-12:00,14:30-17:30" (an en dash also separates
// the two ends). [NewCalendar] checks that the periods are ordered.
func ParseOfficeHours(s string) ([]Period, error) {
	var ps []Period
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(strings.ReplaceAll(part, "–", "-"))
		open, close, ok := strings.Cut(part, "-")
		o, err1 := parseClock(open)
		c, err2 := parseClock(close)
		if !ok || err1 != nil || err2 != nil {
			return nil, invalid("office_hours", fmt.Sprintf("办公时间段格式无效：%q，应为 08:30-12:00", part))
		}
		ps = append(ps, Period{o, c})
	}
	return ps, nil
}

func parseClock(s string) (time.Duration, error) {
	var h, m int
	if n, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &h, &m); n != 2 || err != nil {
		return 0, fmt.Errorf("bad clock time %q", s)
	}
	if h < 0 || h > 24 || m < 0 || m > 59 || h == 24 && m != 0 {
		return 0, fmt.Errorf("bad clock time %q", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

// Override is an administrator's ruling on one date; it wins over the
// statutory schedule and over the weekend rule. Name says why, for
// example 台风停工; an empty Name is shown as 管理员调整.
type Override struct {
	Working bool
	Name    string
}

// Config configures a [Calendar].
type Config struct {
	// OfficeHours are the periods of office time in every working day,
	// in order and not overlapping. Nil means [DefaultOfficeHours].
	OfficeHours []Period
	// Overrides rule on single dates and win over the statutory
	// schedule and the weekend rule.
	Overrides map[Date]Override
}

// Calendar is the working-day calendar of the zone in Asia/Shanghai:
// Monday to Friday are working days and Saturday and Sunday are not,
// except where the statutory schedule of the State Council (holidays and
// the make-up workdays 调休 that go with them, from the holiday data of
// github.com/6tail/lunar-go) or an administrator's [Override] says
// otherwise. Every working day has the same office hours.
//
// A Calendar is immutable and safe for concurrent use. Build it with
// [NewCalendar]; the zero value is not usable.
type Calendar struct {
	hours   []Period
	perDay  time.Duration // office time of one working day
	days    map[dayNum]dayEntry
	covered map[int]bool
}

type dayEntry struct {
	working bool
	name    string
}

// The years in which the statutory schedule is looked up. lunar-go
// v1.4.7 holds the schedules of 2002 to 2027.
const firstYear, lastYear = 2000, 2100

// NewCalendar builds a calendar from the statutory schedule known to
// lunar-go and cfg. It returns an [*Error] naming the field
// when the office hours are empty, out of order or outside 00:00–24:00,
// or when an override names a day that does not exist.
func NewCalendar(cfg Config) (*Calendar, error) {
	hours := cfg.OfficeHours
	if hours == nil {
		hours = DefaultOfficeHours()
	}
	c := &Calendar{hours: append([]Period(nil), hours...), days: map[dayNum]dayEntry{}, covered: map[int]bool{}}
	if len(c.hours) == 0 {
		return nil, invalid("office_hours", "至少需要一个办公时间段")
	}
	for i, p := range c.hours {
		if p.Open < 0 || p.Close > dayLength || p.Open >= p.Close {
			return nil, invalid("office_hours", fmt.Sprintf("办公时间段 %s 无效：开始须早于结束，且在 00:00–24:00 之内", p))
		}
		if i > 0 && p.Open < c.hours[i-1].Close {
			return nil, invalid("office_hours", fmt.Sprintf("办公时间段 %s 与 %s 须按先后排列且不重叠", c.hours[i-1], p))
		}
		c.perDay += p.Close - p.Open
	}
	c.loadStatutory()
	for d, o := range cfg.Overrides {
		if !d.valid() {
			return nil, invalid("overrides", fmt.Sprintf("调整日期 %s 不存在", d))
		}
		name := o.Name
		if name == "" {
			name = "管理员调整"
		}
		c.days[d.num()] = dayEntry{o.Working, name}
	}
	return c, nil
}

// loadStatutory copies lunar-go's holiday table. A make-up workday is
// named after its holiday with 调休 appended, such as 国庆节调休. A year
// counts as covered when the library holds the schedule of one of its
// holidays (the days of a New Year holiday may start in December).
func (c *Calendar) loadStatutory() {
	for y := firstYear; y <= lastYear; y++ {
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h, ok := e.Value.(*HolidayUtil.Holiday)
			if !ok {
				continue
			}
			d, err := ParseDate(h.GetDay())
			if err != nil {
				continue
			}
			name := h.GetName()
			if h.IsWork() {
				name += "调休"
			}
			c.days[d.num()] = dayEntry{h.IsWork(), name}
			if t, err := ParseDate(h.GetTarget()); err == nil {
				c.covered[t.Year] = true
			}
		}
	}
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) bool { return c.working(d.num()) }

// DayInfo reports whether d is a working day and names it: the holiday
// (国庆节), the make-up workday (国庆节调休), 周末 for an ordinary
// weekend, the override's name, or "" for an ordinary working day.
func (c *Calendar) DayInfo(d Date) (working bool, name string) {
	n := d.num()
	if e, ok := c.days[n]; ok {
		return e.working, e.name
	}
	if wd := n.weekday(); wd == time.Saturday || wd == time.Sunday {
		return false, "周末"
	}
	return true, ""
}

// Covers reports whether the statutory holiday schedule of year is known.
// In a year that is not covered only weekends are days off, apart from
// overrides; the State Council publishes each year's schedule in the
// November before.
func (c *Calendar) Covers(year int) bool { return c.covered[year] }

// OfficeHours returns the office hours of a working day.
func (c *Calendar) OfficeHours() []Period { return append([]Period(nil), c.hours...) }

func (c *Calendar) working(n dayNum) bool {
	if e, ok := c.days[n]; ok {
		return e.working
	}
	wd := n.weekday()
	return wd != time.Saturday && wd != time.Sunday
}
