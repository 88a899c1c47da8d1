package zhagen

import (
	"context"
	"fmt"
	"time"
)

// TrendCounts are the figures of the trend (三率趋势) over the demands
// filed in one month, beside the counts of the three rates: they are
// kept incrementally with every filing, step and SLA run, never
// recomputed by scanning the demands.
type TrendCounts struct {
	DemandRates
	// Submitted counts the demands filed.
	Submitted int `json:"submitted"`
	// Open counts those still being handled (not resolved, closed,
	// withdrawn or merged); Awaiting those resolved and awaiting the
	// enterprise's rating; Withdrawn those withdrawn or merged.
	Open      int `json:"open"`
	Awaiting  int `json:"awaiting"`
	Withdrawn int `json:"withdrawn"`
	// Accepted counts those accepted (签收) at least once; Resolved those
	// carrying a resolution (办结), closed ones included, until reopened.
	Accepted int `json:"accepted"`
	Resolved int `json:"resolved"`
	// ResponseHours and ResolutionHours sum the working hours from
	// filing to first acceptance and to resolution over ResponseTimed and
	// ResolutionTimed demands (those accepted or resolved since the
	// figures were kept).
	ResponseTimed   int     `json:"response_timed"`
	ResponseHours   float64 `json:"response_hours"`
	ResolutionTimed int     `json:"resolution_timed"`
	ResolutionHours float64 `json:"resolution_hours"`
	// Overdue counts the demands resolved after their resolution due
	// time, or still unresolved and running past it.
	Overdue int `json:"overdue"`
	// Returns sums the times the demands were returned to the dispatcher
	// (退回); Extensions the extensions granted (延期).
	Returns    int `json:"returns"`
	Extensions int `json:"extensions"`
}

// AvgResponseHours is the mean working hours to first acceptance; ok is
// false when no demand is timed.
func (c TrendCounts) AvgResponseHours() (float64, bool) {
	if c.ResponseTimed == 0 {
		return 0, false
	}
	return c.ResponseHours / float64(c.ResponseTimed), true
}

// AvgResolutionHours is the mean working hours to resolution; ok is
// false when no demand is timed.
func (c TrendCounts) AvgResolutionHours() (float64, bool) {
	if c.ResolutionTimed == 0 {
		return 0, false
	}
	return c.ResolutionHours / float64(c.ResolutionTimed), true
}

// Add returns the sums of c and o.
func (c TrendCounts) Add(o TrendCounts) TrendCounts {
	return TrendCounts{DemandRates: c.DemandRates.Add(o.DemandRates), Submitted: c.Submitted + o.Submitted, Open: c.Open + o.Open,
		Awaiting: c.Awaiting + o.Awaiting, Withdrawn: c.Withdrawn + o.Withdrawn, Accepted: c.Accepted + o.Accepted, Resolved: c.Resolved + o.Resolved,
		ResponseTimed: c.ResponseTimed + o.ResponseTimed, ResponseHours: c.ResponseHours + o.ResponseHours,
		ResolutionTimed: c.ResolutionTimed + o.ResolutionTimed, ResolutionHours: c.ResolutionHours + o.ResolutionHours,
		Overdue: c.Overdue + o.Overdue, Returns: c.Returns + o.Returns, Extensions: c.Extensions + o.Extensions}
}

// TrendMonth is one month's figures; Month is "YYYY-MM".
type TrendMonth struct {
	Month string `json:"month"`
	TrendCounts
}

// DeptTrend is the trend of the demands led by one department (DeptID 0:
// not routed yet), one entry per month of the period, in order.
type DeptTrend struct {
	DeptID   int64        `json:"dept_id"`
	DeptName string       `json:"dept_name"`
	Months   []TrendMonth `json:"months"`
	// Total sums the months.
	Total TrendCounts `json:"total"`
}

// Trend is the monthly trend of the three rates in the caller's scope.
type Trend struct {
	From   string       `json:"from"` // first month, YYYY-MM
	To     string       `json:"to"`   // last month, YYYY-MM
	Months []TrendMonth `json:"months"`
	Depts  []DeptTrend  `json:"depts"`
	Total  TrendCounts  `json:"total"`
}

// TrendFilter selects the months and demands of a trend; zero fields do
// not filter.
type TrendFilter struct {
	// From and To are months "YYYY-MM" (To included); by default the 12
	// months up to the current one.
	From, To string
	// DeptID keeps the demands led by that department or one below it;
	// CategoryID those of that category.
	DeptID     int64
	CategoryID int64
}

// MaxTrendMonths bounds a trend's period.
const MaxTrendMonths = 36

// ParseMonth parses "YYYY-MM" as the first instant of that month in
// Asia/Shanghai.
func ParseMonth(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01", s, Shanghai)
	return t, err == nil
}

// Period returns the first and last month of f at now: the defaults
// filled in and checked (EINVALID naming the field).
func (f TrendFilter) Period(now time.Time) (from, to time.Time, err error) {
	y, m, _ := now.In(Shanghai).Date()
	to = time.Date(y, m, 1, 0, 0, 0, 0, Shanghai)
	if f.To != "" {
		var ok bool
		if to, ok = ParseMonth(f.To); !ok {
			return from, to, &Error{Code: EINVALID, Field: "to", Message: "月份格式应为 YYYY-MM"}
		}
	}
	from = to.AddDate(0, -11, 0)
	if f.From != "" {
		var ok bool
		if from, ok = ParseMonth(f.From); !ok {
			return from, to, &Error{Code: EINVALID, Field: "from", Message: "月份格式应为 YYYY-MM"}
		}
	}
	if to.Before(from) {
		return from, to, &Error{Code: EINVALID, Field: "to", Message: "截止月份不能早于起始月份"}
	}
	if MonthsBetween(from, to) > MaxTrendMonths {
		return from, to, &Error{Code: EINVALID, Field: "from", Message: fmt.Sprintf("统计区间不能超过%d个月", MaxTrendMonths)}
	}
	return from, to, nil
}

// MonthsBetween counts the months from from to to, both included.
func MonthsBetween(from, to time.Time) int {
	fy, fm, _ := from.Date()
	ty, tm, _ := to.Date()
	return (ty-fy)*12 + int(tm-fm) + 1
}

// RankingWeights are the weights (in points, summing to 100) of the
// departments' overall score: the response, resolution and satisfaction
// rates, and timeliness (the share of resolved demands not overdue).
type RankingWeights struct {
	Response     int   `json:"response"`
	Resolution   int   `json:"resolution"`
	Satisfaction int   `json:"satisfaction"`
	Timeliness   int   `json:"timeliness"`
	Version      int64 `json:"version"`
}

// Validate checks that every weight is 0–100 and that they sum to 100.
func (w RankingWeights) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"response", w.Response}, {"resolution", w.Resolution}, {"satisfaction", w.Satisfaction}, {"timeliness", w.Timeliness}} {
		if f.v < 0 || f.v > 100 {
			return &Error{Code: EINVALID, Field: f.name, Message: "权重应在 0 到 100 之间"}
		}
	}
	if w.Response+w.Resolution+w.Satisfaction+w.Timeliness != 100 {
		return &Error{Code: EINVALID, Field: "response", Message: "各项权重之和应为 100"}
	}
	return nil
}

// Timeliness is the share of the demands (withdrawn and merged ones
// left out) that are not overdue; ok is false when there is none.
func (c TrendCounts) Timeliness() (float64, bool) {
	n := c.Submitted - c.Withdrawn
	if n <= 0 {
		return 0, false
	}
	return float64(n-c.Overdue) / float64(n), true
}

// DeptScore is one department's place in the ranking.
type DeptScore struct {
	Rank     int     `json:"rank"`
	DeptID   int64   `json:"dept_id"`
	DeptName string  `json:"dept_name"`
	Score    float64 `json:"score"` // 0–100
	TrendCounts
}

// Score is the department's overall score under w (0–100): each rate,
// as a percentage, times its weight, over the weights of the rates that
// have a denominator (a department with nothing to rate on one rate is
// judged on the others).
func (c TrendCounts) Score(w RankingWeights) (float64, bool) {
	var sum, weights float64
	add := func(rate float64, ok bool, weight int) {
		if ok && weight > 0 {
			sum += rate * 100 * float64(weight)
			weights += float64(weight)
		}
	}
	r, ok := c.ResponseRate()
	add(r, ok, w.Response)
	r, ok = c.ResolutionRate()
	add(r, ok, w.Resolution)
	r, ok = c.SatisfactionRate()
	add(r, ok, w.Satisfaction)
	r, ok = c.Timeliness()
	add(r, ok, w.Timeliness)
	if weights == 0 {
		return 0, false
	}
	return sum / weights, true
}

// Ranking is the departments ranked by their overall score over a
// period, with the weights it was scored under.
type Ranking struct {
	From    string         `json:"from"`
	To      string         `json:"to"`
	Weights RankingWeights `json:"weights"`
	Depts   []DeptScore    `json:"depts"`
}

// TrendService reads the kept figures of the demands.
type TrendService interface {
	// DemandTrend returns the monthly trend of the demands in f and in
	// the caller's scope (as RatesService.DemandRates: administrators,
	// dispatchers and leaders everything, department staff their
	// department and those below it; others EFORBIDDEN).
	DemandTrend(ctx context.Context, f TrendFilter) (*Trend, error)
	// DeptRanking ranks the departments in the caller's scope by their
	// overall score over the period of f.
	DeptRanking(ctx context.Context, f TrendFilter) (*Ranking, error)
	// RankingWeights returns the score's weights; SetRankingWeights
	// stores new ones if w.Version is still current (administrators
	// only; ECONFLICT when another change came first).
	RankingWeights(ctx context.Context) (RankingWeights, error)
	SetRankingWeights(ctx context.Context, w RankingWeights) (RankingWeights, error)
}
