package zhagen

import "testing"

// TestCalendarOverrideDate: a date of 2000 to 2100 written YYYY-MM-DD.
func TestCalendarOverrideDate(t *testing.T) {
	day := func(d string) func() error {
		return func() error { return (&CalendarOverride{Date: d, Name: "台风停工"}).Validate() }
	}
	assertLimitCases(t, []limitCase{
		{"earliest", "date", day("2000-01-01"), day("1999-12-31")},
		{"latest", "date", day("2100-12-31"), day("2101-01-01")},
		{"form", "date", day(" 2026-10-01 "), day("2026/10/01")},
	})
	if err := (&CalendarOverride{Date: "2026-10-01", Name: "台风停工"}).Validate(); err != nil {
		t.Errorf("valid override refused: %v", err)
	}
}
