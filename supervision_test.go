package zhagen_test

import (
	"testing"

	"zhagen"
)

// TestSupervisionOrderValidate: a subject and an addressee department
// (ids above 0), a requirement and 1 to 200 working hours to reply.
func TestSupervisionOrderValidate(t *testing.T) {
	ok := func() zhagen.SupervisionOrder {
		return zhagen.SupervisionOrder{SubjectKind: zhagen.SubjectDemand, SubjectID: 1, DeptID: 1, Requirement: " 请于三日内答复 ", ReplyHours: 1}
	}
	o := ok()
	if err := o.Validate(); err != nil || o.Requirement != "请于三日内答复" {
		t.Fatalf("valid: %v %q", err, o.Requirement)
	}
	cases := []struct {
		what  string
		edit  func(o *zhagen.SupervisionOrder)
		field string
	}{
		{"no subject", func(o *zhagen.SupervisionOrder) { o.SubjectID = 0 }, "subject_id"},
		{"negative subject", func(o *zhagen.SupervisionOrder) { o.SubjectID = -1 }, "subject_id"},
		{"no department", func(o *zhagen.SupervisionOrder) { o.DeptID = 0 }, "dept_id"},
		{"negative department", func(o *zhagen.SupervisionOrder) { o.DeptID = -1 }, "dept_id"},
		{"bad kind", func(o *zhagen.SupervisionOrder) { o.SubjectKind = "enterprise" }, "subject_kind"},
		{"no requirement", func(o *zhagen.SupervisionOrder) { o.Requirement = " " }, "requirement"},
		{"0 hours", func(o *zhagen.SupervisionOrder) { o.ReplyHours = 0 }, "reply_hours"},
		{"201 hours", func(o *zhagen.SupervisionOrder) { o.ReplyHours = 201 }, "reply_hours"},
		{"200 hours", func(o *zhagen.SupervisionOrder) { o.ReplyHours = 200 }, ""},
	}
	for _, c := range cases {
		o := ok()
		c.edit(&o)
		oneError(t, c.what, o.Validate(), c.field)
	}
}

// TestSupervisionCloseNote: the note is added when there is one.
func TestSupervisionCloseNote(t *testing.T) {
	o := &zhagen.SupervisionOrder{Year: 2026, Seq: 3}
	if got := zhagen.SupervisionCloseNote(o); got != "督办〔2026〕第3号 已办结" {
		t.Errorf("without a note: %q", got)
	}
	o.CloseNote = "已解决"
	if got := zhagen.SupervisionCloseNote(o); got != "督办〔2026〕第3号 已办结：已解决" {
		t.Errorf("with a note: %q", got)
	}
}
