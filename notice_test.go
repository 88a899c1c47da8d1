package zhagen_test

import (
	"reflect"
	"testing"

	"zhagen"
)

// TestNoticeApprovalSeverity: a rejected approval warns its owners,
// other steps inform them; a decision's body names the document number
// when there is one.
func TestNoticeApprovalSeverity(t *testing.T) {
	x := &zhagen.Approval{ProjectID: 9, ProjectName: "实验室", Kind: zhagen.ApprovalPlanning, DeptID: 3}
	if n := zhagen.NoticeApprovalStepped(x, zhagen.ApprovalRejected, "", 1, 2, 3); n.Severity != zhagen.SeverityWarning {
		t.Errorf("rejected: severity %s", n.Severity)
	}
	if n := zhagen.NoticeApprovalStepped(x, zhagen.ApprovalApproved, "", 1, 2, 3); n.Severity != zhagen.SeverityInfo {
		t.Errorf("approved: severity %s", n.Severity)
	}
	n := zhagen.NoticeApprovalDecided(x, zhagen.ApprovalApproved, "同意", "经发〔2026〕1号", 1, 2, 3)
	if want := zhagen.Msg("notice.approval.decided.body", "同意", "经发〔2026〕1号"); !reflect.DeepEqual(n.Body, want) {
		t.Errorf("with a number: %+v", n.Body)
	}
	n = zhagen.NoticeApprovalDecided(x, zhagen.ApprovalRejected, "不同意", "", 1, 2, 3)
	if want := zhagen.Msg("notice.approval.decided.body_no_doc", "不同意"); !reflect.DeepEqual(n.Body, want) || n.Severity != zhagen.SeverityWarning {
		t.Errorf("without a number: %+v %s", n.Body, n.Severity)
	}
}

// TestNoticeMatchEnterpriseBodies: the body names the consenting interns
// and counts the others, each only when there are some.
func TestNoticeMatchEnterpriseBodies(t *testing.T) {
	p := &zhagen.Programme{ID: 2, Name: "暑期实践"}
	cases := []struct {
		names    []string
		withheld int
		want     zhagen.Message
	}{
		{[]string{"甲生", "乙生"}, 1, zhagen.Msg("notice.match.enterprise.names_withheld", 3, "甲生、乙生", 1)},
		{[]string{"甲生"}, 0, zhagen.Msg("notice.match.enterprise.names", 3, "甲生")},
		{nil, 2, zhagen.Msg("notice.match.enterprise.withheld", 3, 2)},
		{nil, 0, zhagen.Msg("notice.match.enterprise", 3)},
	}
	for _, c := range cases {
		if n := zhagen.NoticeMatchEnterprise(p, 5, 3, c.names, c.withheld); !reflect.DeepEqual(n.Body, c.want) {
			t.Errorf("%v withheld %d: %+v, want %+v", c.names, c.withheld, n.Body, c.want)
		}
	}
}

// TestNoticeLadderDueText: the ladder's notices name the limit passed,
// and nothing when the demand has none.
func TestNoticeLadderDueText(t *testing.T) {
	due := at("2026-11-03 17:30")
	d := &zhagen.Demand{ID: 12, Title: "用电增容", LeadDeptID: 3, LeadDeptName: "经济发展局", ResponseDue: &due}
	n := zhagen.NoticeLadder(d, zhagen.RungResponseOverdue, nil)
	if want := zhagen.Msg("notice.ladder.response_overdue.body", "经济发展局", "2026-11-03 17:30"); !reflect.DeepEqual(n.Body, want) {
		t.Errorf("with a limit: %+v", n.Body)
	}
	n = zhagen.NoticeLadder(d, zhagen.RungOverdue, []int64{8})
	if want := zhagen.Msg("notice.ladder.overdue.body", "经济发展局", ""); !reflect.DeepEqual(n.Body, want) || n.Severity != zhagen.SeverityUrgent || !reflect.DeepEqual(n.To.Users, []int64{8}) {
		t.Errorf("without a limit: %+v", n)
	}
}
