package zhagen

import (
	"context"
	"time"
)

// HistoryDemand is a demand that was filed and handled in the past: a
// demo zone's year, or records brought over from a former system. It is
// filed by Filer at At and then goes through Steps, each planned by
// PlanTransition as the live workflow plans it, at its own time.
type HistoryDemand struct {
	// Key identifies the demand among imports (its idempotency key): a
	// demand whose key the filer already used is not imported again.
	Key    string
	Filer  *Actor
	At     time.Time
	Demand *Demand
	Steps  []HistoryStep
}

// HistoryStep is one past step: Actor takes Transition Wait after the
// previous step (or the filing), counted in working time on the
// calendar when Working is set, in calendar time otherwise.
type HistoryStep struct {
	Actor      *Actor
	Wait       time.Duration
	Working    bool
	Transition Transition
	// FollowUp, when set, records the result of the demand's open
	// follow-up (回访) instead of taking Transition.
	FollowUp *FollowUpRecord
}

// HistoryResult counts what an import did.
type HistoryResult struct {
	Filed, Existing, Steps int
}

// HistoryService imports demands with their past.
type HistoryService interface {
	// ImportHistory files each demand at its time and applies its steps
	// in order at theirs, through the same validation, policy and plans
	// as the live service, writing the same rows (timeline, departments,
	// operation log, rate rollups); the notices of past steps are not
	// sent. Steps that would fall after now are left out: the demand
	// stays where its history has brought it. Administrators only
	// (EFORBIDDEN); a demand that fails leaves nothing imported (the
	// error names its key).
	ImportHistory(ctx context.Context, ds []HistoryDemand) (HistoryResult, error)
}
