package zhagen

import (
	"time"

	"zhagen/sla"
)

// A demand's watch time is when the minute jobs (the SLA levels and the
// escalation ladder) next have to look at it. What they find for a demand
// only grows as time passes, step by step (a level, a rung), so each
// demand needs a look only when its next step comes: the jobs read the
// demands whose watch time has come instead of every open demand each
// minute.

// watchStage counts what the jobs find for d at t: the rank of its SLA
// level and the rungs it has reached. It never falls as t grows.
func watchStage(r LadderRule, cal *sla.Calendar, t time.Time, d *Demand, budget time.Duration) int {
	n := len(LadderRungsDue(r, cal, t, d, budget))
	switch DemandLevelAt(cal, t, d, budget) {
	case SLAYellow:
		n += 10
	case SLARed:
		n += 20
	}
	return n
}

// NextWatch is the earliest instant after now, to the second below,
// at which the jobs find more for d than at now: a new SLA level or a
// new rung under rule r. It is zero when nothing more will come while d
// stays as it is (closed, waiting, or on its last rung).
func NextWatch(r LadderRule, cal *sla.Calendar, now time.Time, d *Demand, budget time.Duration) time.Time {
	var last time.Time // every step comes at one of d's limits or after
	if d.ResponseDue != nil {
		last = *d.ResponseDue
	}
	if d.ResolutionDue != nil {
		if s := SuperviseAt(r, cal, *d.ResolutionDue); s.After(last) {
			last = s
		}
	}
	hi := last.Add(time.Second)
	if !hi.After(now) {
		return time.Time{}
	}
	from := watchStage(r, cal, now, d, budget)
	if watchStage(r, cal, hi, d, budget) == from {
		return time.Time{}
	}
	// The stage is a step function of time: halve the span between an
	// instant still at from (lo) and one past it (hi).
	lo := now
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2)
		if watchStage(r, cal, mid, d, budget) == from {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi.Truncate(time.Second)
}

// FirstWatch is the watch time of d as written at now: now itself when
// the jobs may already have something to do (a rung reached, or a level
// other than the one stored), else its next step.
func FirstWatch(r LadderRule, cal *sla.Calendar, now time.Time, d *Demand, budget time.Duration) time.Time {
	if !d.Status.Open() {
		return time.Time{}
	}
	if len(LadderRungsDue(r, cal, now, d, budget)) > 0 || DemandLevelAt(cal, now, d, budget) != d.SLALevel {
		return now.Truncate(time.Second)
	}
	return NextWatch(r, cal, now, d, budget)
}
