package zhagen

import (
	"time"

	"zhagen/sla"
)

// Clock tells the time. Tests inject a fixed or movable clock.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock is a movable clock for tests.
type FixedClock struct{ T time.Time }

// Now returns the clock's time.
func (c *FixedClock) Now() time.Time { return c.T }

// Advance moves the clock forward by d.
func (c *FixedClock) Advance(d time.Duration) { c.T = c.T.Add(d) }

// Shanghai is the zone's time zone (Asia/Shanghai, UTC+8, no DST): the
// working calendar's [sla.Location], a fixed zone that needs no time zone
// database on the host.
var Shanghai = sla.Location
