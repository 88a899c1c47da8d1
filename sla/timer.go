package sla

import (
	"slices"
	"time"
)

// Interval is a span of time from Start to End. An End that is the zero
// time means the interval has not ended yet.
type Interval struct {
	Start, End time.Time
}

// Timer is the SLA clock of one time limit, such as the resolution of a
// demand: Budget of working time from Start, stopped during Pauses (while
// the demand waits for the enterprise). Pauses may be given in any order
// and may overlap; the parts before Start and pauses that end before they
// start are ignored. A pause with a zero End is still running.
type Timer struct {
	Calendar *Calendar
	Start    time.Time
	Budget   Duration
	Pauses   []Interval
}

// Due returns the due time: the instant at which the budget is used up,
// pushed back by the office time spent in pauses before it. The result
// ok is false while a pause that began before the due time is still
// running, because then the due time is not known until it ends.
func (t Timer) Due() (due time.Time, ok bool) {
	c := t.Calendar
	left := c.WorkingTime(t.Budget)
	from := t.Start
	for _, p := range t.pauses() {
		w := c.WorkingBetween(from, p.Start)
		if w >= left {
			return c.add(from, left), true
		}
		left -= w
		if p.End.IsZero() {
			return time.Time{}, false
		}
		from = p.End
	}
	return c.add(from, left), true
}

// Used returns the fraction of the budget's working time used by now,
// pauses excluded: 0.75 is three quarters, above 1 is overdue. A zero
// budget counts as used up.
func (t Timer) Used(now time.Time) float64 {
	budget := t.Calendar.WorkingTime(t.Budget)
	if budget <= 0 {
		return 1
	}
	return float64(t.used(now)) / float64(budget)
}

// Level returns the warning level at now: [Red] once the budget is used
// up, [Yellow] once 75 % of it is, else [OK].
func (t Timer) Level(now time.Time) Level {
	used, budget := t.used(now), t.Calendar.WorkingTime(t.Budget)
	switch {
	case used >= budget:
		return Red
	case 4*used >= 3*budget:
		return Yellow
	}
	return OK
}

// used returns the working time used from Start to now, pauses excluded.
func (t Timer) used(now time.Time) time.Duration {
	c := t.Calendar
	total := c.WorkingBetween(t.Start, now)
	for _, p := range t.pauses() {
		end := p.End
		if end.IsZero() || end.After(now) {
			end = now
		}
		total -= c.WorkingBetween(p.Start, end)
	}
	return total
}

// pauses returns the pauses clipped to Start, ordered and merged, so that
// they do not overlap; a running pause is the last one.
func (t Timer) pauses() []Interval {
	ps := make([]Interval, 0, len(t.Pauses))
	for _, p := range t.Pauses {
		if !p.End.IsZero() && (!p.End.After(p.Start) || !p.End.After(t.Start)) {
			continue // empty, reversed, or over before the start
		}
		if p.Start.Before(t.Start) {
			p.Start = t.Start
		}
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	merged := ps[:0]
	for _, p := range ps {
		n := len(merged)
		if n == 0 {
			merged = append(merged, p)
			continue
		}
		last := &merged[n-1]
		switch {
		case last.End.IsZero():
			return merged // a running pause covers all that follows
		case p.Start.After(last.End):
			merged = append(merged, p)
		case p.End.IsZero() || p.End.After(last.End):
			last.End = p.End
		}
	}
	return merged
}
