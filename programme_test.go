package zhagen_test

import (
	"testing"

	"zhagen"
)

// TestProgrammeValidate: a name, dates as YYYY-MM-DD with the close not
// before the open (the same day is a window of one day), 1 to 20 choices.
func TestProgrammeValidate(t *testing.T) {
	ok := func() zhagen.Programme {
		return zhagen.Programme{Name: " 暑期实践 ", RegOpen: "2026-06-01", RegClose: "2026-06-01", MaxChoices: 1}
	}
	p := ok()
	if err := p.Validate(); err != nil || p.Name != "暑期实践" {
		t.Fatalf("valid programme: %v %q", err, p.Name)
	}
	p.MaxChoices = 20
	if err := p.Validate(); err != nil {
		t.Fatalf("20 choices: %v", err)
	}
	cases := []struct {
		edit  func(p *zhagen.Programme)
		field string
	}{
		{func(p *zhagen.Programme) { p.Name = " " }, "name"},
		{func(p *zhagen.Programme) { p.RegOpen = "2026/06/01" }, "reg_open"},
		{func(p *zhagen.Programme) { p.RegClose = "6月30日" }, "reg_close"},
		{func(p *zhagen.Programme) { p.RegClose = "2026-05-31" }, "reg_close"},
		{func(p *zhagen.Programme) { p.MaxChoices = 0 }, "max_choices"},
		{func(p *zhagen.Programme) { p.MaxChoices = 21 }, "max_choices"},
	}
	for i, c := range cases {
		p := ok()
		c.edit(&p)
		fe := zhagen.FieldErrors(p.Validate())
		if len(fe) != 1 || fe[c.field] == "" {
			t.Errorf("case %d: %v, want one error on %s", i, fe, c.field)
		}
	}
	// A bad opening date is not also compared with the close.
	p = ok()
	p.RegOpen, p.RegClose = "", "2026-05-31"
	if fe := zhagen.FieldErrors(p.Validate()); len(fe) != 1 || fe["reg_open"] == "" {
		t.Errorf("bad opening: %v", fe)
	}
}

// TestProgrammeRegistrationOpen: both ends of the window are in it.
func TestProgrammeRegistrationOpen(t *testing.T) {
	p := &zhagen.Programme{RegOpen: "2026-06-01", RegClose: "2026-06-30"}
	for day, want := range map[string]bool{"2026-05-31": false, "2026-06-01": true, "2026-06-15": true, "2026-06-30": true, "2026-07-01": false} {
		if got := p.RegistrationOpen(day); got != want {
			t.Errorf("%s: %v, want %v", day, got, want)
		}
	}
}

// TestProgrammePositionValidate: an enterprise, a title and 0 to 999
// places.
func TestProgrammePositionValidate(t *testing.T) {
	for capacity, ok := range map[int]bool{-1: false, 0: true, 999: true, 1000: false} {
		pp := zhagen.ProgrammePosition{EnterpriseID: 1, Title: "开发", Capacity: capacity}
		fe := zhagen.FieldErrors(pp.Validate())
		if ok && len(fe) != 0 || !ok && (len(fe) != 1 || fe["capacity"] == "") {
			t.Errorf("capacity %d: %v", capacity, fe)
		}
	}
	fe := zhagen.FieldErrors((&zhagen.ProgrammePosition{Title: " "}).Validate())
	if fe["enterprise_id"] == "" || fe["title"] == "" {
		t.Errorf("empty position: %v", fe)
	}
}

// TestScoreApplicantDegreeAndSkills: the degree gives 20 when it meets
// the minimum (or none is set), 10 one level below, else 0; each
// matching skill 10 up to 30.
func TestScoreApplicantDegreeAndSkills(t *testing.T) {
	cases := []struct {
		need, have zhagen.Degree
		want       int
	}{
		{"", zhagen.DegreeCollege, 20},
		{zhagen.DegreeMaster, zhagen.DegreeDoctor, 20},
		{zhagen.DegreeMaster, zhagen.DegreeMaster, 20},
		{zhagen.DegreeMaster, zhagen.DegreeBachelor, 10},
		{zhagen.DegreeMaster, zhagen.DegreeCollege, 0},
		{zhagen.DegreeBachelor, zhagen.DegreeMaster, 20},
	}
	for _, c := range cases {
		pp := &zhagen.ProgrammePosition{Degree: c.need}
		s := zhagen.ScoreApplicant(pp, &zhagen.Graduate{Degree: c.have})
		if s.Degree != c.want || s.Total != 25+c.want || s.Skills != 0 {
			t.Errorf("need %s have %s: %+v, want degree %d", c.need, c.have, s, c.want)
		}
	}
	pp := &zhagen.ProgrammePosition{Skills: []string{"Go", "SQL", "Linux", "Docker"}}
	for n, want := range map[int]int{1: 10, 2: 20, 3: 30, 4: 30} {
		s := zhagen.ScoreApplicant(pp, &zhagen.Graduate{Degree: zhagen.DegreeBachelor, Skills: pp.Skills[:n]})
		if s.Skills != want || s.Total != 25+20+want {
			t.Errorf("%d skills: %+v, want %d", n, s, want)
		}
	}
	s := zhagen.ScoreApplicant(pp, &zhagen.Graduate{Degree: zhagen.DegreeBachelor, Skills: []string{"Java"}})
	if s.Skills != 0 || s.Derivation != "专业不限 25 + 学历（"+zhagen.DegreeBachelor.Label()+"）20 + 技能 0 = 45" {
		t.Errorf("no skill: %+v", s)
	}
}

// TestMatchRunPercent: the progress of a run, 100 when a run with
// nothing to do is done.
func TestMatchRunPercent(t *testing.T) {
	for _, c := range []struct {
		r    zhagen.MatchRun
		want int
	}{
		{zhagen.MatchRun{Status: "running"}, 0},
		{zhagen.MatchRun{Status: "done"}, 100},
		{zhagen.MatchRun{Status: "running", Done: 1, Total: 3}, 33},
		{zhagen.MatchRun{Status: "done", Done: 3, Total: 3}, 100},
	} {
		if got := c.r.Percent(); got != c.want {
			t.Errorf("%+v: %d, want %d", c.r, got, c.want)
		}
	}
}
