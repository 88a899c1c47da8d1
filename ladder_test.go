package zhagen

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"zhagen/sla"
)

func TestPickLadderRule(t *testing.T) {
	rules := []*LadderRule{
		{CategoryID: 0, Priority: "", WarnPct: 70, SuperviseDays: 3, ReplyHours: 8},
		{CategoryID: 0, Priority: PriorityUrgent, WarnPct: 60, SuperviseDays: 1, ReplyHours: 4},
		{CategoryID: 7, Priority: "", WarnPct: 80, SuperviseDays: 2, ReplyHours: 16},
		{CategoryID: 7, Priority: PriorityUrgent, WarnPct: 50, SuperviseDays: 0, ReplyHours: 2},
	}
	for _, c := range []struct {
		cat  int64
		p    Priority
		want int
	}{{7, PriorityUrgent, 50}, {7, PriorityLow, 80}, {8, PriorityUrgent, 60}, {8, PriorityLow, 70}} {
		if got := PickLadderRule(rules, c.cat, c.p); got.WarnPct != c.want {
			t.Errorf("category %d %s: warn %d, want %d", c.cat, c.p, got.WarnPct, c.want)
		}
	}
	if got := PickLadderRule(nil, 7, PriorityUrgent); got != DefaultLadderRule {
		t.Errorf("no rules: %+v", got)
	}
}

func TestLadderRuleValidate(t *testing.T) {
	ok := DefaultLadderRule
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []LadderRule{{WarnPct: 9, SuperviseDays: 1, ReplyHours: 1}, {WarnPct: 100, SuperviseDays: 1, ReplyHours: 1},
		{WarnPct: 75, SuperviseDays: -1, ReplyHours: 1}, {WarnPct: 75, SuperviseDays: 31, ReplyHours: 1}, {WarnPct: 75, ReplyHours: 0},
		{WarnPct: 75, ReplyHours: 201}, {WarnPct: 75, ReplyHours: 8, Priority: "soon"}} {
		if ErrorCode(bad.Validate()) != EINVALID {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestLadderRungsDue: the rungs a demand reaches over the National Day
// holiday of 2026 (office hours 08:30–12:00, 14:30–17:30).
func TestLadderRungsDue(t *testing.T) {
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		t.Fatal(err)
	}
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, Shanghai) }
	respDue, due := at(10, 8, 11, 0), at(10, 10, 16, 0)
	budget := cal.WorkingTime(sla.Duration{Amount: 3, Unit: sla.Days})
	assigned := &Demand{Status: DemandAssigned, ResponseDue: &respDue, ResolutionDue: &due, AssignedAt: ptrTime(at(9, 30, 16, 0))}
	accepted := *assigned
	accepted.Status, accepted.AcceptedAt = DemandInProgress, ptrTime(at(10, 8, 11, 30))
	r := DefaultLadderRule
	for _, c := range []struct {
		d    *Demand
		now  time.Time
		want []LadderRung
	}{
		{assigned, at(10, 5, 10, 0), nil},
		{assigned, at(10, 8, 11, 0), []LadderRung{RungResponseOverdue}},
		{&accepted, at(10, 9, 17, 0), nil},                                             // 71 %
		{&accepted, at(10, 10, 9, 30), []LadderRung{RungResolutionWarn}},               // 79 %
		{&accepted, at(10, 10, 16, 0), []LadderRung{RungResolutionWarn, RungOverdue}},  // due
		{&accepted, at(10, 13, 15, 59), []LadderRung{RungResolutionWarn, RungOverdue}}, // the Sunday does not count
		{&accepted, at(10, 13, 16, 0), []LadderRung{RungResolutionWarn, RungOverdue, RungSupervise}},
	} {
		if got := LadderRungsDue(r, cal, c.now, c.d, budget); !slices.Equal(got, c.want) {
			t.Errorf("%s at %s: %v, want %v", c.d.Status, c.now.Format("01-02 15:04"), got, c.want)
		}
	}
	// Waiting for the enterprise, or resolved: no resolution rungs.
	for _, st := range []DemandStatus{DemandWaiting, DemandResolved, DemandClosed} {
		d := accepted
		d.Status = st
		if got := LadderRungsDue(r, cal, at(10, 20, 9, 0), &d, budget); len(got) != 0 {
			t.Errorf("%s: %v", st, got)
		}
	}
	if got := SuperviseAt(r, cal, due); !got.Equal(at(10, 13, 16, 0)) {
		t.Errorf("supervise at %v", got)
	}
	l := DemandLight(cal, at(10, 10, 9, 30), &accepted, budget, 75)
	if l.Tone != "yellow" || l.Pct != 79 || l.Kind != "resolution" {
		t.Errorf("light %+v", l)
	}
	if l := DemandLight(cal, at(10, 8, 10, 0), assigned, budget, 75); l.Tone != "green" || l.Kind != "response" || l.Pct != 75 {
		t.Errorf("response light %+v", l)
	}
	if l := DemandLight(cal, at(10, 8, 11, 0), assigned, budget, 75); l.Tone != "red" {
		t.Errorf("response late light %+v", l)
	}
	closed := accepted
	closed.Status = DemandClosed
	if l := DemandLight(cal, at(10, 20, 9, 0), &closed, budget, 75); l.Tone != "" {
		t.Errorf("closed light %+v", l)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestDeptHeadIDs(t *testing.T) {
	staff := []*User{{ID: 3, Rank: "科员"}, {ID: 1, Rank: "正处级"}, {ID: 2, Rank: "副处级"}, {ID: 4, Rank: "正处级"}}
	if got := DeptHeadIDs(staff); fmt.Sprint(got) != "[1 4]" {
		t.Errorf("heads %v", got)
	}
	if got := DeptHeadIDs([]*User{{ID: 1}, {ID: 2}}); got != nil {
		t.Errorf("unranked heads %v", got)
	}
}

// TestLadderNotices: who each notice of the ladder and of an order reaches.
func TestLadderNotices(t *testing.T) {
	due := time.Date(2026, 10, 10, 16, 0, 0, 0, Shanghai)
	d := &Demand{ID: 9, Title: "用电", LeadDeptID: 5, CoopDeptIDs: []int64{6, 7}, ResolutionDue: &due, ResponseDue: &due}
	for _, c := range []struct {
		n    Notice
		kind string
		sev  Severity
		to   string
	}{
		{NoticeLadder(d, RungResponseOverdue, []int64{50}), "ladder.response_overdue", SeverityWarning, "{[50] [] [dispatcher] []}"},
		{NoticeLadder(d, RungResponseOverdue, nil), "ladder.response_overdue", SeverityWarning, "{[] [5] [dispatcher] []}"},
		{NoticeLadder(d, RungResolutionWarn, []int64{50}), "ladder.resolution_warn", SeverityWarning, "{[] [5] [] []}"},
		{NoticeLadder(d, RungOverdue, []int64{50}), "ladder.overdue", SeverityUrgent, "{[50] [] [] []}"},
		{NoticeCoopLate(d), "ladder.coop_late", SeverityWarning, "{[] [6 7] [] []}"},
	} {
		if c.n.Kind != c.kind || c.n.Severity != c.sev || fmt.Sprint(c.n.To) != c.to || c.n.Link != "/demands/9" {
			t.Errorf("%s: %s %s %v %s", c.kind, c.n.Kind, c.n.Severity, c.n.To, c.n.Link)
		}
	}
	o := &SupervisionOrder{ID: 3, Year: 2026, Seq: 12, DeptID: 5, IssuerID: 40, ReplyDue: due}
	if n := NoticeSupervisionRaised(o, []int64{50}); n.Severity != SeverityWarning || fmt.Sprint(n.To) != "{[50] [] [] []}" || n.Link != "/supervision/3" {
		t.Errorf("raised %+v", n)
	}
	if n := NoticeSupervisionReplied(o); fmt.Sprint(n.To) != "{[40] [] [] []}" {
		t.Errorf("replied to %v", n.To)
	}
	if n := NoticeSupervisionEscalated(o, 2, []int64{20}); n.Severity != SeverityUrgent || fmt.Sprint(n.To) != "{[20 40] [] [] []}" {
		t.Errorf("escalated to %v", n.To)
	}
	auto := *o
	auto.Auto, auto.IssuerID = true, 0
	if n := NoticeSupervisionRaised(&auto, []int64{50}); n.Severity != SeverityUrgent || fmt.Sprint(n.To) != "{[50] [] [leader] []}" {
		t.Errorf("auto raised %+v", n)
	}
	if n := NoticeSupervisionReplied(&auto); fmt.Sprint(n.To) != "{[] [] [dispatcher] []}" {
		t.Errorf("auto replied to %v", n.To)
	}
	if n := NoticeSupervisionEscalated(&auto, 0, nil); fmt.Sprint(n.To) != "{[] [] [leader dispatcher] []}" {
		t.Errorf("auto escalated to %v", n.To)
	}
	if o.Number() != "督办〔2026〕第12号" {
		t.Errorf("number %s", o.Number())
	}
}

func TestSupervisionReplyValidate(t *testing.T) {
	now := time.Date(2026, 10, 12, 23, 30, 0, 0, Shanghai)
	ok := SupervisionReply{Progress: " 已办理 ", PromisedDate: "2026-10-12"}
	if err := ok.Validate(now); err != nil || ok.Progress != "已办理" {
		t.Fatalf("%v %q", err, ok.Progress)
	}
	for _, bad := range []SupervisionReply{{Progress: "", PromisedDate: "2026-10-20"}, {Progress: "x", PromisedDate: "2026-10-11"}, {Progress: "x", PromisedDate: "10/20"}} {
		if ErrorCode(bad.Validate(now)) != EINVALID {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestLadderWarningAtExactlyThePercentage: the warning rung comes when
// exactly WarnPct of the working time is used, not a minute later; past
// the due time the share goes on above 100; a limit without budget is at
// 0 %.
func TestLadderWarningAtExactlyThePercentage(t *testing.T) {
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		t.Fatal(err)
	}
	at := func(h, min int) time.Time { return time.Date(2026, 12, 7, h, min, 0, 0, Shanghai) } // a Monday
	due, budget := at(10, 0), 4*time.Hour
	if got := UsedPct(cal, at(9, 0), due, budget); got != 75 {
		t.Fatalf("used at 09:00: %d %%, want 75", got)
	}
	r := DefaultLadderRule
	r.WarnPct = 75
	d := &Demand{Status: DemandInProgress, ResolutionDue: &due}
	if got := LadderRungsDue(r, cal, at(9, 0), d, budget); !slices.Equal(got, []LadderRung{RungResolutionWarn}) {
		t.Errorf("at exactly 75 %%: %v, want the warning", got)
	}
	if got := LadderRungsDue(r, cal, at(8, 59), d, budget); len(got) != 0 {
		t.Errorf("at 74 %%: %v, want nothing", got)
	}
	for now, want := range map[time.Time]int{at(10, 0): 100, at(11, 0): 125, at(15, 30): 175} {
		if got := UsedPct(cal, now, due, budget); got != want {
			t.Errorf("used at %s: %d %%, want %d", now.Format("15:04"), got, want)
		}
	}
	if got := UsedPct(cal, at(9, 0), due, 0); got != 0 {
		t.Errorf("used of no budget: %d %%, want 0", got)
	}
}

// TestRedFlagRuleOperator: a rule's comparison must be one of RuleOps.
func TestRedFlagRuleOperator(t *testing.T) {
	for op, ok := range map[RuleOp]bool{"=": true, ">=": true, "<": true, "≈": false, "": false, "=>": false} {
		r := &RedFlagRule{Field: "orders_change_pct", Op: op, Threshold: "-30", Reason: "订单大幅下降"}
		if err := r.Validate(); namesField(err, "op") == ok {
			t.Errorf("operator %q: %v, want accepted %v", op, err, ok)
		}
	}
}
