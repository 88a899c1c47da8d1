package zhagen_test

import (
	"testing"
	"time"

	"zhagen"
	"zhagen/sla"
)

// TestLeafFieldErrors: the working calendar (a leaf package that imports
// nothing of zhagen's) rejects bad input with its own error, which the
// domain maps to EINVALID with the field and message, as it did when sla
// returned *zhagen.Error itself.
func TestLeafFieldErrors(t *testing.T) {
	h := func(open, close int) sla.Period {
		return sla.Period{Open: time.Duration(open) * time.Hour, Close: time.Duration(close) * time.Hour}
	}
	for _, tt := range []struct {
		name  string
		cfg   sla.Config
		field string
	}{
		{"no office hours", sla.Config{OfficeHours: []sla.Period{}}, "office_hours"},
		{"overlapping", sla.Config{OfficeHours: []sla.Period{h(9, 12), h(11, 17)}}, "office_hours"},
		{"no such day", sla.Config{Overrides: map[sla.Date]sla.Override{{Year: 2026, Month: 2, Day: 30}: {}}}, "overrides"},
	} {
		_, err := sla.NewCalendar(tt.cfg)
		if zhagen.ErrorCode(err) != zhagen.EINVALID || zhagen.ErrorMessage(err) == "" || zhagen.FieldErrors(err)[tt.field] == "" {
			t.Errorf("%s: err = %v, want EINVALID on %s", tt.name, err, tt.field)
		}
	}
	for _, d := range []sla.Duration{{Amount: 0, Unit: sla.Days}, {Amount: 3, Unit: 0}, {Amount: sla.MaxAmount + 1, Unit: sla.Hours}} {
		if zhagen.ErrorCode(d.Validate()) != zhagen.EINVALID {
			t.Errorf("%v accepted", d)
		}
	}
	if zhagen.Shanghai != sla.Shanghai {
		t.Error("zhagen.Shanghai is not sla.Shanghai")
	}
}
