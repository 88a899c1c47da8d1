package sqldb

import (
	"context"
	"sync"

	"zhagen"
	"zhagen/sla"
)

// CalendarService stores calendar overrides.
type CalendarService struct{ db *DB }

// NewCalendarService returns the calendar service of db.
func NewCalendarService(db *DB) *CalendarService { return &CalendarService{db: db} }

var _ zhagen.CalendarService = (*CalendarService)(nil)

// FindCalendarOverrides lists the overrides by date.
func (s *CalendarService) FindCalendarOverrides(ctx context.Context) ([]*zhagen.CalendarOverride, error) {
	if _, err := permitted(ctx, zhagen.PermCalendarView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	return s.db.calendarOverrides(ctx)
}

func (db *DB) calendarOverrides(ctx context.Context) ([]*zhagen.CalendarOverride, error) {
	rows, err := db.query(ctx, `SELECT date, working, name, updated_by, updated_at FROM calendar_overrides ORDER BY date`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.CalendarOverride{}
	for rows.Next() {
		o := &zhagen.CalendarOverride{}
		if err := rows.Scan(&o.Date, &o.Working, &o.Name, &o.UpdatedBy, &o.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SetCalendarOverride adds or replaces the override of a date.
func (s *CalendarService) SetCalendarOverride(ctx context.Context, o *zhagen.CalendarOverride) error {
	a, err := permitted(ctx, zhagen.PermCalendarEdit, zhagen.Facts{})
	if err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	o.UpdatedBy, o.UpdatedAt = a.Name, tx.now
	// One statement, so that concurrent settings of a date apply in turn.
	if _, err := tx.exec(ctx, `INSERT INTO calendar_overrides (date, working, name, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (date) DO UPDATE SET working = excluded.working, name = excluded.name, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		o.Date, o.Working, o.Name, o.UpdatedBy, tx.now); err != nil {
		return err
	}
	kind := "休息日"
	if o.Working {
		kind = "工作日"
	}
	tx.bumpGeneration("calendar")
	if err := tx.writeOpLog(ctx, "调整", "工作日历", 0, o.Date+" 设为"+kind+"："+o.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteCalendarOverride removes the override of a date.
func (s *CalendarService) DeleteCalendarOverride(ctx context.Context, date string) error {
	if _, err := permitted(ctx, zhagen.PermCalendarEdit, zhagen.Facts{}); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `DELETE FROM calendar_overrides WHERE date = ?`, date)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "%s 没有日历调整", date)
	}
	tx.bumpGeneration("calendar")
	if err := tx.writeOpLog(ctx, "删除", "工作日历", 0, date+" 恢复法定安排"); err != nil {
		return err
	}
	return tx.Commit()
}

// calendarCache rebuilds the working calendar when the overrides change.
type calendarCache struct {
	mu   sync.Mutex
	gen  int64
	cal  *sla.Calendar
	base *sla.Calendar // office hours and statutory schedule, no overrides
}

// current returns the calendar with the stored overrides applied.
func (c *calendarCache) current(ctx context.Context, db *DB) (*sla.Calendar, error) {
	gen, err := db.generation(ctx, "calendar")
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cal != nil && c.gen == gen {
		return c.cal, nil
	}
	list, err := db.calendarOverrides(ctx)
	if err != nil {
		return nil, err
	}
	overrides := map[sla.Date]sla.Override{}
	for _, o := range list {
		d, err := sla.ParseDate(o.Date)
		if err != nil {
			continue
		}
		overrides[d] = sla.Override{Working: o.Working, Name: o.Name}
	}
	cal, err := sla.NewCalendar(sla.Config{OfficeHours: c.base.OfficeHours(), Overrides: overrides})
	if err != nil {
		return nil, err
	}
	c.gen, c.cal = gen, cal
	return cal, nil
}
