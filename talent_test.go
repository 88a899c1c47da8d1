package zhagen_test

import (
	"strings"
	"testing"

	"zhagen"
)

func TestGraduateValidate(t *testing.T) {
	ok := zhagen.Graduate{Name: " 张三 ", University: "福州大学", Major: "软件工程", Degree: zhagen.DegreeBachelor, GradYear: 2026, Phone: "139 1234 5678", Skills: []string{"Go", " Go ", ""}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.Name != "张三" || ok.Phone != "13912345678" || len(ok.Skills) != 1 {
		t.Fatalf("not normalised: %+v", ok)
	}
	// A mainland mobile number however written (the one phone parser),
	// nothing else.
	for _, phone := range []string{"+8613912345678", "+86 139 1234 5678", "139-1234-5678"} {
		g := ok
		g.Phone = phone
		if err := g.Validate(); err != nil {
			t.Errorf("phone %q refused: %v", phone, err)
		}
	}
	for _, phone := range []string{"12912345678", "1391234567", "0591-87654321", "+44 7911 123456", ""} {
		g := ok
		g.Phone = phone
		if fe := zhagen.FieldErrors(g.Validate()); !strings.Contains(fe["phone"], "手机号") {
			t.Errorf("phone %q accepted: %v", phone, fe)
		}
	}
	bad := zhagen.Graduate{Degree: "phd", GradYear: 1990}
	fe := zhagen.FieldErrors(bad.Validate())
	for _, f := range []string{"name", "university", "major", "degree", "grad_year", "phone"} {
		if fe[f] == "" {
			t.Errorf("no error on %s: %v", f, fe)
		}
	}
}

func TestPositionValidate(t *testing.T) {
	p := zhagen.Position{EnterpriseID: 1, Kind: zhagen.PositionInternship, Title: "实习生", Number: 2, Place: "高新区", SalaryMin: 5000, SalaryMax: 3000}
	fe := zhagen.FieldErrors(p.Validate())
	if fe["salary_max"] == "" || fe["period"] == "" {
		t.Fatalf("want salary_max and period errors: %v", fe)
	}
	p.SalaryMax, p.Period = 6000, "2026-07 至 2026-08"
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.SalaryText() != "5000–6000元/月" {
		t.Errorf("salary %q", p.SalaryText())
	}
}

func TestScoreApplicant(t *testing.T) {
	pp := &zhagen.ProgrammePosition{Majors: []string{"微电子科学与工程"}, Degree: zhagen.DegreeMaster, Skills: []string{"Verilog", "C语言", "模拟电路", "嵌入式"}}
	g := &zhagen.Graduate{Major: "微电子科学与工程", Degree: zhagen.DegreeBachelor, Skills: []string{"Verilog", "C语言", "模拟电路", "嵌入式"}}
	s := zhagen.ScoreApplicant(pp, g)
	if !s.Acceptable || s.Total != 50+10+30 || !strings.HasSuffix(s.Derivation, "= 90") {
		t.Fatalf("score %+v", s)
	}
	g.Major = "软件工程"
	if s := zhagen.ScoreApplicant(pp, g); s.Acceptable || s.Total != 0 || !strings.Contains(s.Derivation, "不予录取") {
		t.Fatalf("other major %+v", s)
	}
	pp.Majors = nil
	if s := zhagen.ScoreApplicant(pp, g); !s.Acceptable || s.Major != 25 {
		t.Fatalf("any major %+v", s)
	}
}

// TestDegreeLabel: no degree reads 不限, a known one its name, an
// unknown one nothing.
func TestDegreeLabel(t *testing.T) {
	for d, want := range map[zhagen.Degree]string{"": "不限", zhagen.DegreeMaster: "硕士", "phd": ""} {
		if got := d.Label(); got != want {
			t.Errorf("%q: %q, want %q", d, got, want)
		}
	}
}
