package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"zhagen"
	"zhagen/sla"
)

// calDay is one cell of the month grid.
type calDay struct {
	Date     string // YYYY-MM-DD
	Day      int
	InMonth  bool // false for the days of the neighbouring months that fill the first and last week
	Working  bool
	Name     string // 国庆节, 国庆节调休, 周末, the override's name, or "" for an ordinary working day
	Kind     string // CSS modifier: work, makeup (a working weekend day), holiday (any other day off with a name) or weekend
	Override bool
	Today    bool
}

// dayKind classifies a day for the grid's colours.
func dayKind(working, weekend bool, name string) string {
	switch {
	case working && weekend:
		return "makeup"
	case working:
		return "work"
	case name != "" && name != "周末":
		return "holiday"
	default:
		return "weekend"
	}
}

// calForm is the add form as typed.
type calForm struct {
	Date    string
	Working string // "1" working day, "0" day off
	Name    string
}

type calendarData struct {
	CanEdit   bool
	Month     string // 2026-10
	Label     string // 2026年10月
	Prev      string // hrefs of the neighbouring months and of this month
	Next      string
	ThisMonth string // "" when the current month is shown
	Weeks     [][]calDay
	WorkDays  int
	RestDays  int
	Covered   bool // the statutory schedule of the year is known
	Year      int
	Overrides []calOverrideRow
	Form      calForm
	Errors    map[string]string
	Error     string
}

// calOverrideRow is one override in the list.
type calOverrideRow struct {
	*zhagen.CalendarOverride
	Weekday string
	Month   string // the month to show it in
	Past    bool
}

// calendarPage is GET /calendar: the month view, the overrides and, for
// administrators, the form that adds one. ?month=2026-10 picks the month;
// ?date=2026-10-09 fills the form's date.
func (h *Handler) calendarPage(w http.ResponseWriter, r *http.Request) {
	d := &calendarData{Month: r.URL.Query().Get("month")}
	if date := r.URL.Query().Get("date"); date != "" {
		if day, err := sla.ParseDate(date); err == nil {
			d.Form.Date = day.String()
			if d.Month == "" {
				d.Month = day.String()[:7]
			}
		}
	}
	h.renderCalendar(w, r, http.StatusOK, d)
}

// calendarSet is POST /calendar/overrides: add or replace the override
// of a date (admin).
func (h *Handler) calendarSet(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermCalendarEdit) {
		h.forbidden(w, r, zhagen.PermCalendarEdit)
		return
	}
	r.ParseForm()
	f := calForm{Date: strings.TrimSpace(r.PostForm.Get("date")), Working: r.PostForm.Get("working"), Name: r.PostForm.Get("name")}
	d := &calendarData{Month: r.PostForm.Get("month"), Form: f, Errors: map[string]string{}}
	if f.Working != "1" && f.Working != "0" {
		d.Errors["working"] = h.tr(r, "cal.err.working")
	}
	o := &zhagen.CalendarOverride{Date: f.Date, Working: f.Working == "1", Name: f.Name}
	if err := o.Validate(); err != nil {
		for k, v := range zhagen.FieldErrors(err) {
			d.Errors[k] = v
		}
	}
	if len(d.Errors) == 0 {
		err := h.cfg.Calendar.SetCalendarOverride(ctx(r), o)
		if err == nil {
			h.redirectFlash(w, r, "/calendar?month="+o.Date[:7], "cal.flash.saved")
			return
		}
		if zhagen.ErrorCode(err) != zhagen.EINVALID {
			h.fail(w, r, err)
			return
		}
		d.Errors = zhagen.FieldErrors(err)
	}
	h.renderCalendar(w, r, http.StatusUnprocessableEntity, d)
}

// calendarDelete is POST /calendar/overrides/{date}/delete: go back to
// the statutory schedule on that date (admin).
func (h *Handler) calendarDelete(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermCalendarEdit) {
		h.forbidden(w, r, zhagen.PermCalendarEdit)
		return
	}
	day, err := sla.ParseDate(r.PathValue("date"))
	if err != nil {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Calendar.DeleteCalendarOverride(ctx(r), day.String()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/calendar?month="+day.String()[:7], "cal.flash.deleted")
}

// renderCalendar fills in the month grid and the list around d's form and
// shows the page. A month that is missing or does not parse is the
// current one.
func (h *Handler) renderCalendar(w http.ResponseWriter, r *http.Request, status int, d *calendarData) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermCalendarPage) {
		h.forbidden(w, r, zhagen.PermCalendarPage)
		return
	}
	d.CanEdit = zhagen.CanAny(a, zhagen.PermCalendarEdit)
	list, err := h.cfg.Calendar.FindCalendarOverrides(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	overrides := map[sla.Date]sla.Override{}
	today := sla.DateOf(h.clock.Now())
	for _, o := range list {
		day, err := sla.ParseDate(o.Date)
		if err != nil {
			continue
		}
		overrides[day] = sla.Override{Working: o.Working, Name: o.Name}
		d.Overrides = append(d.Overrides, calOverrideRow{CalendarOverride: o,
			Weekday: h.weekdayName(r, day.Weekday()), Month: o.Date[:7], Past: day.Time(0).Before(today.Time(0))})
	}
	cal, err := sla.NewCalendar(sla.Config{Overrides: overrides})
	if err != nil {
		h.fail(w, r, err)
		return
	}

	first := sla.Date{Year: today.Year, Month: today.Month, Day: 1}
	if m, err := time.Parse("2006-01", strings.TrimSpace(d.Month)); err == nil && m.Year() >= 2000 && m.Year() <= 2100 {
		first = sla.Date{Year: m.Year(), Month: m.Month(), Day: 1}
	}
	d.Month = fmt.Sprintf("%04d-%02d", first.Year, int(first.Month))
	d.Year = first.Year
	d.Covered = cal.Covers(first.Year)
	d.Label = h.monthLabel(r, first.Year, first.Month)
	monthHref := func(y int, m time.Month) string {
		t := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		return "/calendar?month=" + url.QueryEscape(t.Format("2006-01"))
	}
	d.Prev, d.Next = monthHref(first.Year, first.Month-1), monthHref(first.Year, first.Month+1)
	if first.Year != today.Year || first.Month != today.Month {
		d.ThisMonth = "/calendar"
	}

	// Weeks run Monday to Sunday, as in Chinese calendars.
	start := first.AddDays(-((int(first.Weekday()) + 6) % 7))
	for day := start; ; {
		var week []calDay
		for range 7 {
			working, name := cal.DayInfo(day)
			_, over := overrides[day]
			wd := day.Weekday()
			c := calDay{Date: day.String(), Day: day.Day, InMonth: day.Month == first.Month, Working: working, Name: name,
				Kind: dayKind(working, wd == time.Saturday || wd == time.Sunday, name), Override: over, Today: day == today}
			if name == "周末" && !over {
				c.Name = h.tr(r, "cal.legend.weekend")
			}
			if c.InMonth {
				if working {
					d.WorkDays++
				} else {
					d.RestDays++
				}
			}
			week = append(week, c)
			day = day.AddDays(1)
		}
		d.Weeks = append(d.Weeks, week)
		if day.Month != first.Month {
			break
		}
	}

	if d.Form.Working == "" && d.Form.Date != "" {
		// Offer the opposite of what the date is now.
		if day, err := sla.ParseDate(d.Form.Date); err == nil && cal.IsWorkday(day) {
			d.Form.Working = "0"
		} else {
			d.Form.Working = "1"
		}
	}
	if d.Form.Working == "" {
		d.Form.Working = "0"
	}
	if len(d.Errors) > 0 && d.Error == "" {
		d.Error = h.tr(r, "form.fix", len(d.Errors))
	}
	h.render(w, r, status, "calendar", &page{Title: h.tr(r, "nav.calendar"), Nav: "calendar", Data: d})
}

// monthLabel names a month: 2026年10月, or October 2026 in English.
func (h *Handler) monthLabel(r *http.Request, y int, m time.Month) string {
	if langOf(r) == langEN {
		return fmt.Sprintf("%s %d", m, y)
	}
	return fmt.Sprintf("%d年%d月", y, int(m))
}

// weekdayName is the short name of a weekday: 周一 … 周日.
func (h *Handler) weekdayName(r *http.Request, wd time.Weekday) string {
	keys := [...]string{"cal.wd.sun", "cal.wd.mon", "cal.wd.tue", "cal.wd.wed", "cal.wd.thu", "cal.wd.fri", "cal.wd.sat"}
	return h.tr(r, keys[wd])
}
