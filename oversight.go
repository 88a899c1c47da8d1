package zhagen

import (
	"context"
	"fmt"
	"time"
)

// CadreWeights are the weights (in points, summing to 100) of the cadres'
// overall score: visits done against their cadence (走访完成率), demands
// filed from visits (问题发现率) and those demands' outcomes (办结成效).
type CadreWeights struct {
	Cadence int   `json:"cadence"`
	Filing  int   `json:"filing"`
	Outcome int   `json:"outcome"`
	Version int64 `json:"version"`
}

// Validate checks that every weight is 0–100 and that they sum to 100.
func (w CadreWeights) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"cadence", w.Cadence}, {"filing", w.Filing}, {"outcome", w.Outcome}} {
		if f.v < 0 || f.v > 100 {
			return &Error{Code: EINVALID, Field: f.name, Message: "权重应在 0 到 100 之间"}
		}
	}
	if w.Cadence+w.Filing+w.Outcome != 100 {
		return &Error{Code: EINVALID, Field: "cadence", Message: "各项权重之和应为 100"}
	}
	return nil
}

// CadreScore is one cadre's place in the ranking over a period.
type CadreScore struct {
	Rank      int    `json:"rank"`
	CadreID   int64  `json:"cadre_id"`
	CadreName string `json:"cadre_name"`
	DeptID    int64  `json:"dept_id"`
	DeptName  string `json:"dept_name"`
	// Linked counts the enterprises linked to the cadre during the
	// period; Due the visits their cadences asked for (per month, each
	// linkage's days in the month over its cadence, rounded); Done the
	// logged visits counted against them (at most the month's due per
	// enterprise); Visits every logged visit.
	Linked int `json:"linked"`
	Due    int `json:"due"`
	Done   int `json:"done"`
	Visits int `json:"visits"`
	// Filed counts the demands the cadre filed from visits in the
	// period; Closed those closed, Solved those closed as solved.
	Filed  int     `json:"filed"`
	Closed int     `json:"closed"`
	Solved int     `json:"solved"`
	Score  float64 `json:"score"` // 0–100
}

// CadenceRate is Done / Due.
func (c CadreScore) CadenceRate() (float64, bool) { return ratio(c.Done, c.Due) }

// FilingRate is Filed / Visits, at most 1.
func (c CadreScore) FilingRate() (float64, bool) { return ratio(min(c.Filed, c.Visits), c.Visits) }

// OutcomeRate is Solved / Closed.
func (c CadreScore) OutcomeRate() (float64, bool) { return ratio(c.Solved, c.Closed) }

// Scored computes the overall score under w (0–100) over the parts that
// have a denominator; ok is false when none has.
func (c CadreScore) Scored(w CadreWeights) (float64, bool) {
	var sum, weights float64
	for _, p := range []struct {
		f      func() (float64, bool)
		weight int
	}{{c.CadenceRate, w.Cadence}, {c.FilingRate, w.Filing}, {c.OutcomeRate, w.Outcome}} {
		if r, ok := p.f(); ok && p.weight > 0 {
			sum += r * 100 * float64(p.weight)
			weights += float64(p.weight)
		}
	}
	if weights == 0 {
		return 0, false
	}
	return sum / weights, true
}

// CadreRanking is the cadres ranked by their overall score.
type CadreRanking struct {
	From    string       `json:"from"`
	To      string       `json:"to"`
	Weights CadreWeights `json:"weights"`
	Cadres  []CadreScore `json:"cadres"`
}

// Rankings are the departments' and the cadres' rankings of one period.
type Rankings struct {
	Depts  *Ranking      `json:"depts"`
	Cadres *CadreRanking `json:"cadres"`
}

// BulletinStatus is a bulletin's state: a draft, then issued (签发).
type BulletinStatus string

const (
	BulletinDraft  BulletinStatus = "draft"
	BulletinIssued BulletinStatus = "issued"
)

// MaxNotable bounds the notable cases of a bulletin.
const MaxNotable = 10

// Bulletin is a month's work bulletin (月度工作通报).
type Bulletin struct {
	ID         int64          `json:"id"`
	Month      string         `json:"month"` // YYYY-MM
	Year       int            `json:"year"`  // of issue
	Number     int            `json:"number,omitempty"`
	Status     BulletinStatus `json:"status"`
	Notable    []int64        `json:"notable"` // demand ids chosen by the dispatcher
	Commentary string         `json:"commentary"`
	IssuedBy   string         `json:"issued_by,omitempty"`
	IssuedAt   *time.Time     `json:"issued_at,omitempty"`
	Version    int64          `json:"version"`
	CreatedAt  time.Time      `json:"created_at"`
	// Content is the figures: frozen when issued, computed afresh while
	// a draft (only when one bulletin is read).
	Content *BulletinContent `json:"content,omitempty"`
}

// Title is the bulletin's heading, e.g. "2026年11月工作通报".
func (b *Bulletin) Title() string {
	t, ok := ParseMonth(b.Month)
	if !ok {
		return b.Month + " 工作通报"
	}
	return fmt.Sprintf("%d年%d月工作通报", t.Year(), int(t.Month()))
}

// Issue is the bulletin's number, e.g. "2026年第3期", empty for a draft.
func (b *Bulletin) Issue() string {
	if b.Number == 0 {
		return ""
	}
	return fmt.Sprintf("%d年第%d期", b.Year, b.Number)
}

// BulletinCase is one case named in a bulletin.
type BulletinCase struct {
	DemandID   int64  `json:"demand_id"`
	Title      string `json:"title"`
	Enterprise string `json:"enterprise"`
	Dept       string `json:"dept"`
	Status     string `json:"status"` // label
	Note       string `json:"note,omitempty"`
}

// BulletinContent is what a bulletin reports.
type BulletinContent struct {
	Month     string         `json:"month"`
	Generated time.Time      `json:"generated"`
	This      TrendCounts    `json:"this"` // the month's figures
	Prev      TrendCounts    `json:"prev"` // the month before's
	Trend     []TrendMonth   `json:"trend"`
	Weights   RankingWeights `json:"weights"`
	Top       []DeptScore    `json:"top"`
	Bottom    []DeptScore    `json:"bottom"`
	// OverdueCount counts the demands running past their limit now
	// (亮红灯); Overdue lists the first of them.
	OverdueCount int            `json:"overdue_count"`
	Overdue      []BulletinCase `json:"overdue"`
	// SupervisedCount counts the supervision orders raised in the month.
	SupervisedCount int            `json:"supervised_count"`
	Supervised      []BulletinCase `json:"supervised"`
	// Coverage is the month's visits against the cadences, per
	// department (Name) and in total.
	Coverage      Coverage       `json:"coverage"`
	CoverageDepts []Coverage     `json:"coverage_depts"`
	TopCadres     []CadreScore   `json:"top_cadres"`
	Notable       []BulletinCase `json:"notable"`
}

// OpenLights counts the open demands by their 亮灯 colour.
type OpenLights struct {
	Green  int `json:"green"`
	Yellow int `json:"yellow"`
	Red    int `json:"red"`
	None   int `json:"none"` // not yet running a clock (filed, waiting)
}

// ParkCount is one park's enterprises with open demands.
type ParkCount struct {
	Park        string `json:"park"`
	Enterprises int    `json:"enterprises"`
	Demands     int    `json:"demands"`
}

// ScreenData is what the leaders' screen (数据大屏) shows.
type ScreenData struct {
	At          time.Time    `json:"at"`
	TodayIntake int          `json:"today_intake"`
	Open        OpenLights   `json:"open"`
	Month       TrendCounts  `json:"month"`
	Trend       []TrendMonth `json:"trend"`
	Ranking     []DeptScore  `json:"ranking"`
	Parks       []ParkCount  `json:"parks"`
	Behind      []*Milestone `json:"behind"`
}

// OversightService serves the cadres' ranking, the monthly bulletins and
// the leaders' screen.
type OversightService interface {
	// CadreRanking ranks the cadres over the months of f (PermCadreRanking).
	CadreRanking(ctx context.Context, f TrendFilter) (*CadreRanking, error)
	CadreWeights(ctx context.Context) (CadreWeights, error)
	// DeptSupervisions counts the supervision orders raised in the
	// months of f per addressee department (PermCadreRanking).
	DeptSupervisions(ctx context.Context, f TrendFilter) (map[int64]int, error)
	// SetCadreWeights stores w if w.Version is current (administrators).
	SetCadreWeights(ctx context.Context, w CadreWeights) (CadreWeights, error)

	FindBulletins(ctx context.Context) ([]*Bulletin, error)
	// FindBulletin returns one bulletin with its content.
	FindBulletin(ctx context.Context, id int64) (*Bulletin, error)
	// CreateBulletin starts the draft of a month (YYYY-MM, not in the
	// future); ECONFLICT when the month has one.
	CreateBulletin(ctx context.Context, month string) (*Bulletin, error)
	// SetNotable sets a draft's notable cases (the dispatcher's choice).
	SetNotable(ctx context.Context, id, version int64, demandIDs []int64) (*Bulletin, error)
	// SetCommentary sets a draft's commentary (a leader's).
	SetCommentary(ctx context.Context, id, version int64, text string) (*Bulletin, error)
	// IssueBulletin numbers the draft, freezes its content and issues it,
	// once: a second issue is ECONFLICT.
	IssueBulletin(ctx context.Context, id, version int64) (*Bulletin, error)

	// Screen returns the figures of the leaders' screen.
	Screen(ctx context.Context) (*ScreenData, error)
}

// MaxCommentary bounds a bulletin's commentary, in characters.
const MaxCommentary = 4000
