package zhagen_test

import (
	"strings"
	"testing"

	"zhagen"
)

func validPosition() zhagen.Position {
	return zhagen.Position{EnterpriseID: 1, Kind: zhagen.PositionFullTime, Title: "工程师", Number: 1, Place: "高新区"}
}

// TestPositionSalaryLimits: each end of the salary is 0 to 1000000
// yuan; the upper end, when given, is not below the lower.
func TestPositionSalaryLimits(t *testing.T) {
	cases := []struct {
		min, max int
		field    string // the field refused, "" when accepted
	}{
		{0, 0, ""},
		{1000000, 1000000, ""},
		{5000, 0, ""},
		{5000, 5000, ""},
		{5000, 4999, "salary_max"},
		{-1, 0, "salary_min"},
		{0, -1, "salary_min"},
		{1000001, 0, "salary_min"},
		{0, 1000001, "salary_min"},
		{1, 1000000, ""},
	}
	for _, c := range cases {
		p := validPosition()
		p.SalaryMin, p.SalaryMax = c.min, c.max
		fe := zhagen.FieldErrors(p.Validate())
		if c.field == "" && len(fe) != 0 || c.field != "" && (len(fe) != 1 || fe[c.field] == "") {
			t.Errorf("salary %d–%d: %v, want an error on %q", c.min, c.max, fe, c.field)
		}
	}
}

// TestPositionPeriod: an internship says its period, a full-time job
// need not.
func TestPositionPeriod(t *testing.T) {
	p := validPosition()
	if err := p.Validate(); err != nil {
		t.Fatalf("full-time without a period: %v", err)
	}
	p.Kind = zhagen.PositionInternship
	if fe := zhagen.FieldErrors(p.Validate()); fe["period"] == "" {
		t.Fatalf("internship without a period: %v", fe)
	}
	p.Period = " 2026-07 至 2026-08 "
	if err := p.Validate(); err != nil || p.Period != "2026-07 至 2026-08" {
		t.Fatalf("internship with a period: %v %q", err, p.Period)
	}
}

// TestPositionSalaryText: 面议 when nothing is given, one amount when
// there is no upper end or both ends are the same, else the range.
func TestPositionSalaryText(t *testing.T) {
	for _, c := range []struct {
		min, max int
		want     string
	}{
		{0, 0, "面议"},
		{5000, 0, "5000元/月"},
		{5000, 5000, "5000元/月"},
		{0, 8000, "0–8000元/月"},
		{5000, 8000, "5000–8000元/月"},
	} {
		p := zhagen.Position{SalaryMin: c.min, SalaryMax: c.max}
		if got := p.SalaryText(); got != c.want {
			t.Errorf("%d–%d: %q, want %q", c.min, c.max, got, c.want)
		}
	}
}

// TestPositionCounts: 1 to 999 people, at most 10 majors, a title of at
// most 60 characters.
func TestPositionCounts(t *testing.T) {
	majors := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, "专业"+string(rune('A'+i)))
		}
		return out
	}
	cases := []struct {
		what  string
		edit  func(p *zhagen.Position)
		field string
	}{
		{"1 person", func(p *zhagen.Position) { p.Number = 1 }, ""},
		{"999 people", func(p *zhagen.Position) { p.Number = 999 }, ""},
		{"0 people", func(p *zhagen.Position) { p.Number = 0 }, "number"},
		{"1000 people", func(p *zhagen.Position) { p.Number = 1000 }, "number"},
		{"10 majors", func(p *zhagen.Position) { p.Majors = majors(10) }, ""},
		{"11 majors", func(p *zhagen.Position) { p.Majors = majors(11) }, "majors"},
		{"title of 60", func(p *zhagen.Position) { p.Title = strings.Repeat("岗", 60) }, ""},
		{"title of 61", func(p *zhagen.Position) { p.Title = strings.Repeat("岗", 61) }, "title"},
	}
	for _, c := range cases {
		p := validPosition()
		c.edit(&p)
		oneError(t, c.what, p.Validate(), c.field)
	}
}
