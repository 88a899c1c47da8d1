package zhagen_test

import (
	"testing"

	"zhagen"
)

// TestSurveyValidate: an enterprise, a period such as 2026H2, 1 to 30
// lines (blank ones dropped), each with a major, 1 to 9999 people and a
// difficulty of 1 to 3.
func TestSurveyValidate(t *testing.T) {
	line := zhagen.SurveyLine{Major: "软件工程", Count: 1, Difficulty: 1}
	lines := func(n int) []zhagen.SurveyLine {
		out := make([]zhagen.SurveyLine, n)
		for i := range out {
			out[i] = line
		}
		return out
	}
	s := zhagen.Survey{EnterpriseID: 1, Period: " 2026h2 ", Lines: []zhagen.SurveyLine{line, {}}}
	if err := s.Validate(); err != nil || s.Period != "2026H2" || len(s.Lines) != 1 {
		t.Fatalf("valid: %v %q %d lines", err, s.Period, len(s.Lines))
	}
	for what, c := range map[string]struct {
		edit  func(s *zhagen.Survey)
		field string
	}{
		"no enterprise": {func(s *zhagen.Survey) { s.EnterpriseID = 0 }, "enterprise_id"},
		"bad period":    {func(s *zhagen.Survey) { s.Period = "2026Q5" }, "period"},
		"no lines":      {func(s *zhagen.Survey) { s.Lines = []zhagen.SurveyLine{{}} }, "lines"},
		"30 lines":      {func(s *zhagen.Survey) { s.Lines = lines(30) }, ""},
		"31 lines":      {func(s *zhagen.Survey) { s.Lines = lines(31) }, "lines"},
		"no major":      {func(s *zhagen.Survey) { s.Lines = []zhagen.SurveyLine{{Count: 1, Difficulty: 1}} }, "lines"},
		"0 people":      {func(s *zhagen.Survey) { s.Lines = []zhagen.SurveyLine{{Major: "x", Difficulty: 1}} }, "lines"},
		"9999 people":   {func(s *zhagen.Survey) { s.Lines = []zhagen.SurveyLine{{Major: "x", Count: 9999, Difficulty: 3}} }, ""},
		"10000 people":  {func(s *zhagen.Survey) { s.Lines = []zhagen.SurveyLine{{Major: "x", Count: 10000, Difficulty: 2}} }, "lines"},
		"difficulty 0":  {func(s *zhagen.Survey) { s.Lines = []zhagen.SurveyLine{{Major: "x", Count: 1}} }, "lines"},
		"difficulty 4":  {func(s *zhagen.Survey) { s.Lines = []zhagen.SurveyLine{{Major: "x", Count: 1, Difficulty: 4}} }, "lines"},
	} {
		s := zhagen.Survey{EnterpriseID: 1, Period: "2026", Lines: []zhagen.SurveyLine{line}}
		c.edit(&s)
		oneError(t, what, s.Validate(), c.field)
	}
}
