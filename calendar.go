package zhagen

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// CalendarOverride is an administrator's ruling on one date of the
// working calendar (e.g. a typhoon closure, or a make-up workday the
// statutory data lacks); it wins over the statutory schedule.
type CalendarOverride struct {
	Date      string    `json:"date"` // YYYY-MM-DD
	Working   bool      `json:"working"`
	Name      string    `json:"name"`
	UpdatedBy string    `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the date and the name.
func (o *CalendarOverride) Validate() error {
	var v Validation
	o.Date, o.Name = strings.TrimSpace(o.Date), strings.TrimSpace(o.Name)
	if t, err := time.Parse("2006-01-02", o.Date); err != nil || t.Year() < 2000 || t.Year() > 2100 {
		v.Add("date", "日期格式应为 2026-10-01")
	}
	if o.Name == "" {
		v.Add("name", "请说明调整原因，如“台风停工”")
	} else if utf8.RuneCountInString(o.Name) > 40 {
		v.Add("name", "调整原因不能超过40个字")
	}
	return v.Err()
}

// CalendarService keeps the administrators' calendar overrides; the SLA
// clock uses them at once.
type CalendarService interface {
	// FindCalendarOverrides lists the overrides by date (any logged-in user).
	FindCalendarOverrides(ctx context.Context) ([]*CalendarOverride, error)
	// SetCalendarOverride adds or replaces the override of a date (admin only).
	SetCalendarOverride(ctx context.Context, o *CalendarOverride) error
	// DeleteCalendarOverride removes the override of a date (admin only).
	DeleteCalendarOverride(ctx context.Context, date string) error
}
