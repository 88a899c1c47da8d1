package zhagen

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"zhagen/sla"
)

// TestSLAErrorsAreInvalid: an error of the working calendar reaches users
// as an EINVALID *Error with its field and Chinese message, wrapped or not.
func TestSLAErrorsAreInvalid(t *testing.T) {
	h := func(a, b time.Duration) sla.Period { return sla.Period{Open: a * time.Hour, Close: b * time.Hour} }
	_, badHours := sla.ParseOfficeHours("9-12")
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"no office hours", calErr(sla.Config{OfficeHours: []sla.Period{}}), "office_hours"},
		{"empty period", calErr(sla.Config{OfficeHours: []sla.Period{h(9, 9)}}), "office_hours"},
		{"past midnight", calErr(sla.Config{OfficeHours: []sla.Period{h(20, 25)}}), "office_hours"},
		{"out of order", calErr(sla.Config{OfficeHours: []sla.Period{h(14, 17), h(9, 12)}}), "office_hours"},
		{"overlapping", calErr(sla.Config{OfficeHours: []sla.Period{h(9, 12), h(11, 17)}}), "office_hours"},
		{"no such day", calErr(sla.Config{Overrides: map[sla.Date]sla.Override{{Year: 2026, Month: 2, Day: 30}: {}}}), "overrides"},
		{"bad office hours", badHours, "office_hours"},
		{"wrapped", fmt.Errorf("office hours: %w", badHours), "office_hours"},
		{"no unit", sla.Duration{Amount: 3}.Validate(), "unit"},
		{"zero days", sla.Duration{Amount: 0, Unit: sla.Days}.Validate(), "amount"},
		{"too many hours", sla.Duration{Amount: sla.MaxAmount + 1, Unit: sla.Hours}.Validate(), "amount"},
	}
	for _, tt := range tests {
		var se *sla.Error
		if !errors.As(tt.err, &se) {
			t.Fatalf("%s: err = %v, want an *sla.Error", tt.name, tt.err)
		}
		e, ok := AsError(tt.err)
		if !ok || e.Code != EINVALID || e.Field != tt.field || e.Message == "" || e.Message != se.Message {
			t.Errorf("%s: AsError = %+v, %v; want EINVALID on %s with %q", tt.name, e, ok, tt.field, se.Message)
		}
		if ErrorCode(tt.err) != EINVALID || ErrorMessage(tt.err) != se.Message || FieldErrors(tt.err)[tt.field] != se.Message {
			t.Errorf("%s: code %q, message %q, fields %v", tt.name, ErrorCode(tt.err), ErrorMessage(tt.err), FieldErrors(tt.err))
		}
	}
	if _, ok := AsError(errors.New("disk full")); ok || ErrorCode(errors.New("x")) != EINTERNAL || ErrorMessage(errors.New("x")) != "内部错误" {
		t.Error("a plain error is not internal")
	}
	if _, ok := AsError(nil); ok || ErrorCode(nil) != "" {
		t.Error("nil is an error")
	}
}

func calErr(cfg sla.Config) error {
	_, err := sla.NewCalendar(cfg)
	return err
}

// TestShanghaiIsTheCalendarZone: the domain's zone is the calendar's, so
// due times come back in it.
func TestShanghaiIsTheCalendarZone(t *testing.T) {
	if Shanghai != sla.Location {
		t.Fatal("zhagen.Shanghai is not sla.Location")
	}
	if _, off := time.Date(2026, 7, 1, 12, 0, 0, 0, Shanghai).Zone(); off != 8*3600 {
		t.Fatalf("offset %d, want +08:00", off)
	}
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		t.Fatal(err)
	}
	due := cal.Due(time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC), sla.Duration{Amount: 1, Unit: sla.Hours})
	if due.Location() != Shanghai {
		t.Fatalf("due in %v", due.Location())
	}
}
