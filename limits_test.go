package zhagen

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// namesField reports whether err is a validation error that names field.
func namesField(err error, field string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	if e.Field == field {
		return true
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// limitCase is one limit of a validation: at the limit the field is
// accepted, one past it the error names the field.
type limitCase struct {
	name, field string
	at, past    func() error
}

// textLimit makes the case of a text field of at most max characters
// (Chinese ones: the limits count characters, not bytes).
func textLimit(name, field string, max int, check func(s string) error) limitCase {
	return limitCase{name, field,
		func() error { return check(strings.Repeat("字", max)) },
		func() error { return check(strings.Repeat("字", max+1)) }}
}

// TestValidationLimitsAtTheEdge checks every length and range limit of
// the domain's validations exactly at the limit and one past it, where
// an off-by-one would hide.
func TestValidationLimitsAtTheEdge(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, Shanghai)
	cases := []limitCase{
		textLimit("reply template title", "title", 40, func(s string) error { return (&ReplyTemplate{Title: s}).Validate() }),
		textLimit("reply template body", "body", 2000, func(s string) error { return (&ReplyTemplate{Body: s}).Validate() }),
		textLimit("tag name", "name", 20, func(s string) error { return (&Tag{Name: s}).Validate() }),
		textLimit("policy title", "title", 100, func(s string) error { return (&Policy{Title: s}).Validate() }),
		textLimit("policy document number", "doc_no", 50, func(s string) error { return (&Policy{DocNo: s}).Validate() }),
		textLimit("policy summary", "summary", 500, func(s string) error { return (&Policy{Summary: s}).Validate() }),
		textLimit("policy body", "body", 20000, func(s string) error { return (&Policy{Body: s}).Validate() }),
		textLimit("policy benefit", "benefit_text", 200, func(s string) error { return (&Policy{BenefitText: s}).Validate() }),
		textLimit("industry chain", "chain", 40, func(s string) error { return (&EnterpriseAttrs{Chain: s}).Validate(now) }),
		textLimit("application note", "note", 2000, func(s string) error { return (&AppInput{Note: s}).Validate() }),
		textLimit("calendar override reason", "name", 40, func(s string) error { return (&CalendarOverride{Name: s}).Validate() }),
		textLimit("category name", "name", 40, func(s string) error { return (&Category{Name: s}).Validate() }),
		textLimit("category description", "description", 500, func(s string) error { return (&Category{Description: s}).Validate() }),
		textLimit("demand title", "title", 100, func(s string) error { return (&Demand{Title: s}).Validate() }),
		textLimit("demand description", "description", MaxDemandDescription, func(s string) error { return (&Demand{Description: s}).Validate() }),
		textLimit("demand address", "address", 200, func(s string) error { return (&Demand{Address: s}).Validate() }),
		textLimit("department name", "name", 60, func(s string) error { return (&Department{Name: s}).Validate() }),
		textLimit("enterprise name", "name", 100, func(s string) error { return (&Enterprise{Name: s}).Validate() }),
		textLimit("enterprise park", "park", 40, func(s string) error { return (&Enterprise{Park: s}).Validate() }),
		textLimit("enterprise address", "address", 200, func(s string) error { return (&Enterprise{Address: s}).Validate() }),
		textLimit("legal representative", "legal_rep", 40, func(s string) error { return (&Enterprise{LegalRep: s}).Validate() }),
		textLimit("knowledge question", "question", 200, func(s string) error { return (&KnowledgeEntry{Question: s}).Validate() }),
		textLimit("knowledge answer", "answer", 4000, func(s string) error { return (&KnowledgeEntry{Answer: s}).Validate() }),
		textLimit("knowledge links", "links", 2000, func(s string) error { return (&KnowledgeEntry{Links: s}).Validate() }),
		textLimit("visit participants", "participants", 200, func(s string) error { return (&Visit{Participants: s}).Validate() }),
		textLimit("visit topics", "topics", 500, func(s string) error { return (&Visit{Topics: s}).Validate() }),
		textLimit("visit public notes", "public_notes", 2000, func(s string) error { return (&Visit{PublicNotes: s}).Validate() }),
		textLimit("visit findings", "findings", 2000, func(s string) error { return (&Visit{Findings: s}).Validate() }),
		textLimit("visit internal notes", "internal_notes", 2000, func(s string) error { return (&Visit{InternalNotes: s}).Validate() }),
		textLimit("red flag reason", "reason", 60, func(s string) error { return (&RedFlagRule{Reason: s}).Validate() }),
		textLimit("supervision requirement", "requirement", MaxRequirement, func(s string) error { return (&SupervisionOrder{Requirement: s}).Validate() }),
		textLimit("supervision progress", "progress", MaxRequirement, func(s string) error { return (&SupervisionReply{Progress: s}).Validate(now) }),
		textLimit("supervision close note", "note", MaxRequirement, func(s string) error { return (&SupervisionClose{Note: s}).Validate() }),
		textLimit("topic title", "title", 100, func(s string) error { return (&Topic{Title: s}).Validate() }),
		textLimit("follow-up note", "note", 2000, func(s string) error {
			return (&FollowUpRecord{Result: FollowUpSolved, Note: s}).Validate(FollowUpRated)
		}),
		textLimit("user name", "name", 40, func(s string) error { return (&User{Name: s}).Validate() }),
		textLimit("transition text", "resolution", 4000, func(s string) error { return need("resolution", s, "请填写办理结果") }),
		{"supervision reply hours", "reply_hours",
			func() error { return (&SupervisionOrder{ReplyHours: 200}).Validate() },
			func() error { return (&SupervisionOrder{ReplyHours: 201}).Validate() }},
		{"supervision reply hours, least", "reply_hours",
			func() error { return (&SupervisionOrder{ReplyHours: 1}).Validate() },
			func() error { return (&SupervisionOrder{ReplyHours: 0}).Validate() }},
		{"employees", "employees",
			func() error { return (&EnterpriseAttrs{Employees: 1000000}).Validate(now) },
			func() error { return (&EnterpriseAttrs{Employees: 1000001}).Validate(now) }},
		{"founded this year", "founded_year",
			func() error { return (&EnterpriseAttrs{FoundedYear: 2026}).Validate(now) },
			func() error { return (&EnterpriseAttrs{FoundedYear: 2027}).Validate(now) }},
		{"founded 1900", "founded_year",
			func() error { return (&EnterpriseAttrs{FoundedYear: 1900}).Validate(now) },
			func() error { return (&EnterpriseAttrs{FoundedYear: 1899}).Validate(now) }},
		{"policy amount", "benefit_amount",
			func() error { return (&Policy{BenefitAmount: 1e10}).Validate() },
			func() error { return (&Policy{BenefitAmount: 1e10 + 1}).Validate() }},
		{"application amount", "amount_requested",
			func() error { return (&AppInput{Requested: 1e10}).Validate() },
			func() error { return (&AppInput{Requested: 1e10 + 1}).Validate() }},
		{"file size", "file",
			func() error {
				_, err := CheckFile(FileOfDemand, "答复.txt", bytes.Repeat([]byte("a"), MaxFileSize))
				return err
			},
			func() error {
				_, err := CheckFile(FileOfDemand, "答复.txt", bytes.Repeat([]byte("a"), MaxFileSize+1))
				return err
			}},
		textLimit("file name", "file", 100, func(s string) error {
			_, err := CheckFile(FileOfDemand, s[:len(s)-len("字字字字")]+".txt", []byte("答复"))
			return err
		}),
		{"graduation year, earliest", "grad_year",
			func() error { return (&Graduate{GradYear: 2000}).Validate() },
			func() error { return (&Graduate{GradYear: 1999}).Validate() }},
		{"graduation year, latest", "grad_year",
			func() error { return (&Graduate{GradYear: 2100}).Validate() },
			func() error { return (&Graduate{GradYear: 2101}).Validate() }},
		{"graduate skills", "skills",
			func() error { return (&Graduate{Skills: skills(20)}).Validate() },
			func() error { return (&Graduate{Skills: skills(21)}).Validate() }},
		{"ladder warning, least", "warn_pct",
			func() error { return (&LadderRule{WarnPct: 10}).Validate() },
			func() error { return (&LadderRule{WarnPct: 9}).Validate() }},
		{"ladder warning, most", "warn_pct",
			func() error { return (&LadderRule{WarnPct: 99}).Validate() },
			func() error { return (&LadderRule{WarnPct: 100}).Validate() }},
		{"ladder supervision days, most", "supervise_days",
			func() error { return (&LadderRule{SuperviseDays: 30}).Validate() },
			func() error { return (&LadderRule{SuperviseDays: 31}).Validate() }},
		{"ladder supervision days, least", "supervise_days",
			func() error { return (&LadderRule{SuperviseDays: 0}).Validate() },
			func() error { return (&LadderRule{SuperviseDays: -1}).Validate() }},
		{"ladder reply hours, most", "reply_hours",
			func() error { return (&LadderRule{ReplyHours: 200}).Validate() },
			func() error { return (&LadderRule{ReplyHours: 201}).Validate() }},
		{"ladder reply hours, least", "reply_hours",
			func() error { return (&LadderRule{ReplyHours: 1}).Validate() },
			func() error { return (&LadderRule{ReplyHours: 0}).Validate() }},
		{"enterprise contacts", "contacts",
			func() error { return (&Enterprise{Contacts: contacts(10)}).Validate() },
			func() error { return (&Enterprise{Contacts: contacts(11)}).Validate() }},
		{"contact phone, optional but checked", "contacts",
			func() error { return (&Enterprise{Contacts: []Contact{{Name: "张三"}}}).Validate() },
			func() error { return (&Enterprise{Contacts: []Contact{{Name: "张三", Phone: "12345"}}}).Validate() }},
	}
	for _, c := range cases {
		if err := c.at(); namesField(err, c.field) {
			t.Errorf("%s: refused at the limit: %v", c.name, err)
		}
		if err := c.past(); !namesField(err, c.field) {
			t.Errorf("%s: one past the limit, want an error naming %q, got %v", c.name, c.field, err)
		}
	}
}

// TestAnswerMinLenZeroMeansDefault: a category that sets no minimum
// (0) asks for the default length, not for nothing.
func TestAnswerMinLenZeroMeansDefault(t *testing.T) {
	short := strings.Repeat("答", DefaultAnswerMinLen-1)
	if err := CheckAnswer(&Category{Name: "用电保障"}, short, 0); !namesField(err, "resolution") {
		t.Errorf("%d characters with a category minimum of 0: %v, want refused", DefaultAnswerMinLen-1, err)
	}
	if err := CheckAnswer(&Category{Name: "用电保障", AnswerMinLen: 1}, "好", 0); err != nil {
		t.Errorf("1 character with a category minimum of 1: %v", err)
	}
}

// TestParseDateTimeForms: each form people type reads as Beijing time.
func TestParseDateTimeForms(t *testing.T) {
	want := time.Date(2026, 10, 8, 9, 30, 0, 0, Shanghai)
	for s, w := range map[string]time.Time{
		"2026-10-08T09:30:00+08:00": want, "2026-10-08T01:30:00Z": want, "2026-10-08 09:30:00": want,
		"2026-10-08 09:30": want, "2026-10-08T09:30": want, "2026-10-08": time.Date(2026, 10, 8, 0, 0, 0, 0, Shanghai),
	} {
		if got, err := ParseDateTime(s); err != nil || !got.Equal(w) {
			t.Errorf("ParseDateTime(%q) = %v, %v, want %v", s, got, err, w)
		}
	}
	for _, s := range []string{"", "2026-13-01", "10/08/2026", "2026-10-08 25:00"} {
		if got, err := ParseDateTime(s); err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want an error", s, got)
		}
	}
}

func skills(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("技能%d", i)
	}
	return out
}

func contacts(n int) []Contact {
	out := make([]Contact, n)
	for i := range out {
		out[i] = Contact{Name: fmt.Sprintf("联系人%d", i)}
	}
	return out
}
