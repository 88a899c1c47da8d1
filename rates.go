package zhagen

import (
	"context"
	"time"
)

// DemandRates are the counts behind the three rates (三率) of DESIGN.md
// §3, over the demands submitted in a period. They are computed in one
// place (the RatesService) so that every page, export and API answer
// states the same figures:
//
//   - response rate (响应率) = AcceptedInTime / DueForResponse;
//   - resolution rate (解决率) = Solved / Closed;
//   - satisfaction rate (满意率) = Satisfied / Rated;
//   - follow-up verification rate (回访核实率) = FollowUpSolved /
//     FollowUpReached: of the demands whose follow-up reached the
//     enterprise, those it confirmed solved (FollowUpCounts).
type DemandRates struct {
	// DueForResponse counts the demands that are due for response: those
	// that have been accepted (签收), and those not accepted whose response
	// due time has passed while they still awaited acceptance. A demand
	// neither accepted nor yet past its response due time is not counted,
	// nor is one withdrawn or merged before its response due time.
	DueForResponse int `json:"due_for_response"`
	// AcceptedInTime counts the demands first accepted at or before their
	// response due time. A demand accepted late counts in DueForResponse
	// only.
	AcceptedInTime int `json:"accepted_in_time"`
	// Closed counts the demands whose status is closed (已关闭): rated and
	// closed by the enterprise, or auto-closed after the rating period.
	// Withdrawn and merged demands are not closed in this sense.
	Closed int `json:"closed"`
	// Solved counts the closed demands whose enterprise confirmed the
	// problem solved when rating. An auto-closed demand has no such
	// confirmation and counts in Closed only.
	Solved int `json:"solved"`
	// Rated counts the demands carrying an enterprise rating. A demand
	// rated 不满意 reopens and keeps that rating until it is rated again,
	// so each demand counts once, with its latest rating.
	Rated int `json:"rated"`
	// Satisfied counts the rated demands rated 满意 or 基本满意.
	Satisfied int `json:"satisfied"`
	// FollowUpReached counts the demands whose latest recorded follow-up
	// after a close (rated or unrated) reached the enterprise: it said
	// solved or not solved. A follow-up that reached nobody, and a
	// withdrawal check (撤单核查, which checks the withdrawal rather than an
	// answer), count nowhere; a demand reopened by its follow-up and
	// closed again counts once, with its latest follow-up.
	FollowUpReached int `json:"followup_reached"`
	// FollowUpSolved counts the FollowUpReached demands whose follow-up
	// confirmed the problem solved.
	FollowUpSolved int `json:"followup_solved"`
}

// FollowUpCounts is the definition of 回访核实率 for one recorded
// follow-up of kind k with result r: what it adds to FollowUpReached
// (reached) and to FollowUpSolved (solved). Stores count each demand's
// latest follow-up that reached the enterprise with it.
func FollowUpCounts(k FollowUpKind, r FollowUpResult) (reached, solved int) {
	if k == FollowUpWithdrawal {
		return 0, 0
	}
	switch r {
	case FollowUpSolved:
		return 1, 1
	case FollowUpUnsolved:
		return 1, 0
	}
	return 0, 0
}

// FollowUpRate is FollowUpSolved / FollowUpReached (0–1), the 回访核实率;
// ok is false when no follow-up reached an enterprise.
func (r DemandRates) FollowUpRate() (rate float64, ok bool) {
	return ratio(r.FollowUpSolved, r.FollowUpReached)
}

// ratio returns n/d, or ok=false when d is 0.
func ratio(n, d int) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return float64(n) / float64(d), true
}

// ResponseRate is AcceptedInTime / DueForResponse (a fraction, 0–1); ok
// is false when no demand is due for response.
func (r DemandRates) ResponseRate() (rate float64, ok bool) {
	return ratio(r.AcceptedInTime, r.DueForResponse)
}

// ResolutionRate is Solved / Closed (0–1); ok is false when no demand is
// closed.
func (r DemandRates) ResolutionRate() (rate float64, ok bool) { return ratio(r.Solved, r.Closed) }

// SatisfactionRate is Satisfied / Rated (0–1); ok is false when no
// demand is rated.
func (r DemandRates) SatisfactionRate() (rate float64, ok bool) { return ratio(r.Satisfied, r.Rated) }

// Add returns the sum of the counts of r and o.
func (r DemandRates) Add(o DemandRates) DemandRates {
	return DemandRates{
		DueForResponse: r.DueForResponse + o.DueForResponse, AcceptedInTime: r.AcceptedInTime + o.AcceptedInTime,
		Closed: r.Closed + o.Closed, Solved: r.Solved + o.Solved, Rated: r.Rated + o.Rated, Satisfied: r.Satisfied + o.Satisfied,
		FollowUpReached: r.FollowUpReached + o.FollowUpReached, FollowUpSolved: r.FollowUpSolved + o.FollowUpSolved,
	}
}

// DeptRates are the rates of the demands led by one department; DeptID 0
// gathers the demands not yet routed to a lead department.
type DeptRates struct {
	DeptID   int64  `json:"dept_id"`
	DeptName string `json:"dept_name"`
	DemandRates
}

// RatesFilter selects the demands the rates are computed over; zero
// fields do not filter.
type RatesFilter struct {
	// From and To are dates (Asia/Shanghai); a demand counts when it was
	// submitted on From, on To or between them.
	From, To time.Time
	// DeptID keeps the demands led by that department or one below it.
	DeptID int64
	// CategoryID keeps the demands of that category.
	CategoryID int64
}

// Validate checks that the period is not reversed.
func (f RatesFilter) Validate() error {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return &Error{Code: EINVALID, Field: "to", Message: "截止日期不能早于起始日期"}
	}
	return nil
}

// Bounds returns the period as a half-open interval of instants
// [from, to): from is the start of the From day and to the start of the
// day after To, both in Asia/Shanghai; a nil bound does not limit.
func (f RatesFilter) Bounds() (from, to *time.Time) {
	day := func(t time.Time) time.Time {
		y, m, d := t.In(Shanghai).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, Shanghai)
	}
	if !f.From.IsZero() {
		t := day(f.From)
		from = &t
	}
	if !f.To.IsZero() {
		t := day(f.To).AddDate(0, 0, 1)
		to = &t
	}
	return from, to
}

// RatesService computes the three rates and the 回访核实率.
type RatesService interface {
	// DemandRates returns the rates of the demands in f and in the
	// caller's scope, in total and per lead department. Administrators,
	// dispatchers and leaders see every demand; department staff see the
	// demands led by their department or one below it; other roles get
	// EFORBIDDEN. "Now" (for response due times) is the service's clock.
	DemandRates(ctx context.Context, f RatesFilter) (total DemandRates, byDept []DeptRates, err error)
	// TrendService reads the same counts, kept per month (rates_trend.go).
	TrendService
}
