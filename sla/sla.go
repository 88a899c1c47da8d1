// Package sla does working-time arithmetic for service-level agreements
// on the Chinese statutory calendar: weekends, statutory holidays and
// their make-up workdays (调休), and administrators' overrides, with
// office hours (by default 08:30–12:00 and 14:30–17:30) in Asia/Shanghai.
//
// The package is pure: no I/O, no clock of its own, no mutable state.
// Callers pass the current time in.
//
// # Working time
//
// Only office time on working days counts. A time limit is a [Duration]
// of working hours or working days, and both are measured in office time:
//
//   - N working hours are N hours of office time counted forward from the
//     start. A start outside office hours (at night, in the lunch break,
//     on a day off) counts from the next opening.
//   - N working days are N times the office time of one working day
//     (6 h 30 min with the default hours). For a start within office
//     hours the due time is therefore the same clock time on the Nth
//     following working day, the usual reading of "N个工作日内办结" in
//     government service and 12345 hotline rules. A start outside office
//     hours counts from the next opening, so the due time is the close of
//     the Nth working day from there: submitted on Friday at 18:00, one
//     working day is due on Monday at 17:30.
//
// The due time is the earliest instant at which the budget of office
// time is used up, so it can be the close of a period (12:00 or 17:30)
// but never the opening of the next one.
//
// Worked example: a demand submitted on Wednesday 2026-09-30 at 16:00
// with a resolution limit of 3 working days has 19 h 30 min of office
// time. It uses 1 h 30 min on September 30 (16:00–17:30), none during the
// National Day holiday of October 1–7, 6 h 30 min on each of Thursday
// October 8 and Friday October 9, and the last 5 h on Saturday October 10,
// a make-up workday (国庆节调休): 08:30–12:00 and 14:30–16:00. It is due
// on 2026-10-10 at 16:00.
//
// # Pauses and warnings
//
// A caller keeps a limit as its due time and its budget of office time.
// While a demand waits for the enterprise its clock stops: on resuming,
// the office time that was left at the pause, [Calendar.WorkingBetween]
// the pause and the due time, counts again from the resumption with
// [Calendar.AddWorking]. [Calendar.LevelAt] tells the warning [Level]:
// [Yellow] when 75 % of the budget is used and [Red] from the due time on.
package sla

import (
	"fmt"
	"time"
)

// Unit is the unit of a [Duration].
type Unit uint8

// The units of a Duration.
const (
	Hours Unit = iota + 1 // working hours
	Days                  // working days
)

// String returns "hours" or "days".
func (u Unit) String() string {
	switch u {
	case Hours:
		return "hours"
	case Days:
		return "days"
	}
	return fmt.Sprintf("Unit(%d)", uint8(u))
}

// MaxAmount is the largest Amount a valid [Duration] may have.
const MaxAmount = 1000

// Duration is a time limit in working hours or working days; see the
// package documentation for how each is counted.
type Duration struct {
	Amount int
	Unit   Unit
}

// String returns the duration in Chinese, such as 3个工作日 or 4个工作小时.
func (d Duration) String() string {
	switch d.Unit {
	case Hours:
		return fmt.Sprintf("%d个工作小时", d.Amount)
	case Days:
		return fmt.Sprintf("%d个工作日", d.Amount)
	}
	return fmt.Sprintf("%d个未知单位", d.Amount)
}

// Validate returns an [*Error] naming the field unless d has a known unit
// and an amount from 1 to [MaxAmount].
func (d Duration) Validate() error {
	if d.Unit != Hours && d.Unit != Days {
		return invalid("unit", "时限单位须为工作日或工作小时")
	}
	if d.Amount < 1 || d.Amount > MaxAmount {
		return invalid("amount", fmt.Sprintf("时限须为 1 到 %d 之间的整数", MaxAmount))
	}
	return nil
}

// WorkingTime returns the office time d stands for: d.Amount hours, or
// d.Amount times the office time of one working day. It is zero when
// d.Amount ≤ 0, and it panics when d has an unknown unit or an amount
// above [MaxAmount], which [Duration.Validate] rejects.
func (c *Calendar) WorkingTime(d Duration) time.Duration {
	if d.Amount <= 0 {
		return 0
	}
	if d.Amount > MaxAmount {
		panic(fmt.Sprintf("sla: duration amount %d above MaxAmount", d.Amount))
	}
	switch d.Unit {
	case Hours:
		return time.Duration(d.Amount) * time.Hour
	case Days:
		return time.Duration(d.Amount) * c.perDay
	}
	panic(fmt.Sprintf("sla: unknown unit %d", uint8(d.Unit)))
}

// Due returns the due time of a limit d that starts at start: the
// earliest instant by which WorkingTime(d) of office time has passed. It
// is in Asia/Shanghai, within office hours of a working day, and start
// itself when d.Amount ≤ 0. It panics like [Calendar.WorkingTime] on an
// invalid d.
func (c *Calendar) Due(start time.Time, d Duration) time.Time {
	return c.add(start, c.WorkingTime(d))
}

// add returns the earliest instant by which budget of office time has
// passed since start.
func (c *Calendar) add(start time.Time, budget time.Duration) time.Time {
	if budget <= 0 {
		return start
	}
	if c.perDay <= 0 {
		panic("sla: Calendar not built by NewCalendar")
	}
	day, at := split(start)
	for ; ; day, at = day+1, 0 {
		if !c.working(day) {
			continue
		}
		if at == 0 && budget > c.perDay {
			budget -= c.perDay
			continue
		}
		for _, p := range c.hours {
			if at >= p.Close {
				continue
			}
			from := max(at, p.Open)
			if avail := p.Close - from; budget > avail {
				budget -= avail
			} else {
				return join(day, from+budget)
			}
		}
	}
}

// WorkingBetween returns the office time between a and b, zero when b is
// not after a.
func (c *Calendar) WorkingBetween(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	da, ta := split(a)
	db, tb := split(b)
	if da == db {
		return c.within(da, ta, tb)
	}
	total := c.within(da, ta, dayLength) + c.within(db, 0, tb)
	for d := da + 1; d < db; d++ {
		if c.working(d) {
			total += c.perDay
		}
	}
	return total
}

// within returns the office time of day between the clock times from and to.
func (c *Calendar) within(day dayNum, from, to time.Duration) time.Duration {
	if !c.working(day) {
		return 0
	}
	var total time.Duration
	for _, p := range c.hours {
		if lo, hi := max(from, p.Open), min(to, p.Close); hi > lo {
			total += hi - lo
		}
	}
	return total
}

// AddWorking returns the earliest instant by which budget of office time
// has passed since start; it is start itself for a budget ≤ 0. Callers
// that keep a due time and a budget use it to move the due time after a
// pause or an extension.
func (c *Calendar) AddWorking(start time.Time, budget time.Duration) time.Time {
	return c.add(start, budget)
}

// LevelAt returns the warning level at now of a limit with the given
// budget of office time that ends at due: [Red] from due on, [Yellow]
// once the office time left until due is at most a quarter of the budget,
// else [OK].
func (c *Calendar) LevelAt(now, due time.Time, budget time.Duration) Level {
	if !now.Before(due) {
		return Red
	}
	used := budget - c.WorkingBetween(now, due)
	if budget > 0 && 4*used >= 3*budget {
		return Yellow
	}
	return OK
}
