package zhagen_test

import (
	"testing"
	"time"

	"zhagen"
)

func oneError(t *testing.T, what string, err error, field string) {
	t.Helper()
	fe := zhagen.FieldErrors(err)
	if field == "" && err != nil || field != "" && (len(fe) != 1 || fe[field] == "") {
		t.Errorf("%s: %v, want an error on %q only", what, err, field)
	}
}

// TestProjectValidate: a name, a level, exactly one owner, an investment
// of 0 to 1e9 万元 and a known stage (前期 by default).
func TestProjectValidate(t *testing.T) {
	ok := func() zhagen.Project {
		return zhagen.Project{Name: " 实验室 ", Level: zhagen.LevelDistrict, OwnerDeptID: 3}
	}
	p := ok()
	if err := p.Validate(); err != nil || p.Name != "实验室" || p.Status != zhagen.ProjectPrep {
		t.Fatalf("valid: %v %q %s", err, p.Name, p.Status)
	}
	cases := []struct {
		what  string
		edit  func(p *zhagen.Project)
		field string
	}{
		{"enterprise owner", func(p *zhagen.Project) { p.OwnerDeptID, p.OwnerEnterpriseID = 0, 5 }, ""},
		{"both owners", func(p *zhagen.Project) { p.OwnerEnterpriseID = 5 }, "owner"},
		{"no owner", func(p *zhagen.Project) { p.OwnerDeptID = 0 }, "owner"},
		{"no name", func(p *zhagen.Project) { p.Name = " " }, "name"},
		{"bad level", func(p *zhagen.Project) { p.Level = "national" }, "level"},
		{"investment 0", func(p *zhagen.Project) { p.Investment = 0 }, ""},
		{"investment 1e9", func(p *zhagen.Project) { p.Investment = 1e9 }, ""},
		{"investment below 0", func(p *zhagen.Project) { p.Investment = -0.01 }, "investment"},
		{"investment above 1e9", func(p *zhagen.Project) { p.Investment = 1e9 + 1 }, "investment"},
		{"stage given", func(p *zhagen.Project) { p.Status = zhagen.ProjectBuilding }, ""},
		{"bad stage", func(p *zhagen.Project) { p.Status = "dreaming" }, "status"},
	}
	for _, c := range cases {
		p := ok()
		c.edit(&p)
		oneError(t, c.what, p.Validate(), c.field)
	}
	p = ok()
	p.Status = zhagen.ProjectBuilding
	if p.Validate(); p.Status != zhagen.ProjectBuilding {
		t.Errorf("stage overwritten: %s", p.Status)
	}
}

// TestProjectOwner: the owner enterprise's name, else the department's.
func TestProjectOwner(t *testing.T) {
	p := &zhagen.Project{OwnerDeptName: "城投集团"}
	if p.Owner() != "城投集团" {
		t.Errorf("department owner: %q", p.Owner())
	}
	p.OwnerEnterpriseName = "甲公司"
	if p.Owner() != "甲公司" {
		t.Errorf("enterprise owner: %q", p.Owner())
	}
}

// TestMilestoneValidate: a name, planned dates in order, actual dates in
// order, progress 0 to 100 (100 once finished).
func TestMilestoneValidate(t *testing.T) {
	d := func(s string) time.Time { return at(s + " 00:00") }
	ok := func() zhagen.Milestone {
		return zhagen.Milestone{Name: "主体封顶", PlannedStart: d("2026-03-01"), PlannedEnd: d("2026-03-01"), Progress: 0}
	}
	m := ok()
	if err := m.Validate(); err != nil {
		t.Fatalf("valid: %v", err)
	}
	start, end, before := d("2026-03-02"), d("2026-03-02"), d("2026-03-01")
	cases := []struct {
		what  string
		edit  func(m *zhagen.Milestone)
		field string
	}{
		{"no name", func(m *zhagen.Milestone) { m.Name = "" }, "name"},
		{"no planned start", func(m *zhagen.Milestone) { m.PlannedStart = time.Time{} }, "planned_start"},
		{"no planned end", func(m *zhagen.Milestone) { m.PlannedEnd = time.Time{} }, "planned_end"},
		{"planned end first", func(m *zhagen.Milestone) { m.PlannedEnd = d("2026-02-28") }, "planned_end"},
		{"actual same day", func(m *zhagen.Milestone) { m.ActualStart, m.ActualEnd = &start, &end }, ""},
		{"actual end first", func(m *zhagen.Milestone) { m.ActualStart, m.ActualEnd = &start, &before }, "actual_end"},
		{"actual end only", func(m *zhagen.Milestone) { m.ActualEnd = &before }, ""},
		{"actual start only", func(m *zhagen.Milestone) { m.ActualStart = &start }, ""},
		{"progress 100", func(m *zhagen.Milestone) { m.Progress = 100 }, ""},
		{"progress -1", func(m *zhagen.Milestone) { m.Progress = -1 }, "progress"},
		{"progress 101", func(m *zhagen.Milestone) { m.Progress = 101 }, "progress"},
	}
	for _, c := range cases {
		m := ok()
		c.edit(&m)
		oneError(t, c.what, m.Validate(), c.field)
	}
	m = ok()
	m.Progress = 40
	if m.Validate(); m.Progress != 40 {
		t.Errorf("unfinished progress %d", m.Progress)
	}
	m.ActualEnd = &end
	if m.Validate(); m.Progress != 100 {
		t.Errorf("finished progress %d", m.Progress)
	}
}

// TestMilestoneBehindAt: behind once a whole day has passed after the
// planned end without an actual end.
func TestMilestoneBehindAt(t *testing.T) {
	end := at("2026-03-01 00:00")
	m := &zhagen.Milestone{PlannedEnd: end}
	if m.BehindAt(end.Add(24 * time.Hour)) {
		t.Error("behind on the day after the planned end")
	}
	if !m.BehindAt(end.Add(24*time.Hour + time.Minute)) {
		t.Error("not behind after the day")
	}
	done := end
	m.ActualEnd = &done
	if m.BehindAt(end.Add(72 * time.Hour)) {
		t.Error("a finished milestone is behind")
	}
}

// TestApprovalStatusWaiting: submitted and accepted approvals wait on
// their department.
func TestApprovalStatusWaiting(t *testing.T) {
	for s, want := range map[zhagen.ApprovalStatus]bool{zhagen.ApprovalSubmitted: true, zhagen.ApprovalAccepted: true,
		zhagen.ApprovalApproved: false, zhagen.ApprovalRejected: false, zhagen.ApprovalWithdrawn: false} {
		if s.Waiting() != want {
			t.Errorf("%s waiting %v", s, !want)
		}
	}
}

// TestWorkSpan: working time in whole days and hours, rounded down.
func TestWorkSpan(t *testing.T) {
	day := 8 * time.Hour
	cases := []struct {
		d, dayLen time.Duration
		want      zhagen.WorkSpan
		label     string
	}{
		{0, day, zhagen.WorkSpan{}, "不足1小时"},
		{-time.Hour, day, zhagen.WorkSpan{}, "不足1小时"},
		{time.Hour, 0, zhagen.WorkSpan{}, "不足1小时"},
		{59 * time.Minute, day, zhagen.WorkSpan{}, "不足1小时"},
		{5 * time.Hour, day, zhagen.WorkSpan{Hours: 5}, "5小时"},
		{3 * day, day, zhagen.WorkSpan{Days: 3}, "3天"},
		{2*day + 6*time.Hour + 59*time.Minute, day, zhagen.WorkSpan{Days: 2, Hours: 6}, "2天6小时"},
		{day + time.Hour, day, zhagen.WorkSpan{Days: 1, Hours: 1}, "1天1小时"},
	}
	for _, c := range cases {
		w := zhagen.NewWorkSpan(c.d, c.dayLen)
		if w != c.want || w.Label() != c.label {
			t.Errorf("%v over %v: %+v %q, want %+v %q", c.d, c.dayLen, w, w.Label(), c.want, c.label)
		}
	}
}

// TestApprovalValidate: a known kind, a part for a staged acceptance, a
// department.
func TestApprovalValidate(t *testing.T) {
	a := zhagen.Approval{Kind: zhagen.ApprovalPlanning, DeptID: 3}
	oneError(t, "planning", a.Validate(), "")
	a = zhagen.Approval{Kind: zhagen.ApprovalStaged, DeptID: 3, Part: " "}
	oneError(t, "staged without a part", a.Validate(), "part")
	a.Part = "一期"
	oneError(t, "staged with a part", a.Validate(), "")
	a = zhagen.Approval{Kind: "other", DeptID: 3}
	oneError(t, "unknown kind", a.Validate(), "kind")
	a = zhagen.Approval{Kind: zhagen.ApprovalCompletion}
	oneError(t, "no department", a.Validate(), "dept_id")
}

// TestApprovalStepValidateDecision: an opinion always (its prompt asks a
// rejection for the reason), a document number when approved, none kept
// on a rejection.
func TestApprovalStepValidateDecision(t *testing.T) {
	st := zhagen.ApprovalStep{Action: "approve", Opinion: " 同意 ", DocNo: " 经发〔2026〕1号 "}
	if err := st.ValidateDecision(); err != nil || st.Opinion != "同意" || st.DocNo != "经发〔2026〕1号" {
		t.Fatalf("approve: %v %+v", err, st)
	}
	st = zhagen.ApprovalStep{Action: "approve", Opinion: "同意"}
	oneError(t, "approve without a number", st.ValidateDecision(), "doc_no")
	st = zhagen.ApprovalStep{Action: "approve", DocNo: "1号"}
	if fe := zhagen.FieldErrors(st.ValidateDecision()); fe["opinion"] != "请填写审批意见" || len(fe) != 1 {
		t.Errorf("approve without an opinion: %v", fe)
	}
	st = zhagen.ApprovalStep{Action: "reject", DocNo: "1号"}
	if fe := zhagen.FieldErrors(st.ValidateDecision()); fe["opinion"] != "请填写审批意见（不予通过的理由）" || len(fe) != 1 {
		t.Errorf("reject without an opinion: %v", fe)
	}
	st = zhagen.ApprovalStep{Action: "reject", Opinion: "材料不全", DocNo: "1号"}
	if err := st.ValidateDecision(); err != nil || st.DocNo != "" {
		t.Errorf("reject: %v %q", err, st.DocNo)
	}
	if got := zhagen.ApprovalDecisionText("同意", "1号"); got != "审批意见：同意；批复文号：1号" {
		t.Errorf("text %q", got)
	}
	if got := zhagen.ApprovalDecisionText("不同意", ""); got != "审批意见：不同意" {
		t.Errorf("text without a number %q", got)
	}
}
