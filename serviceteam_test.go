package zhagen_test

import (
	"testing"

	"zhagen"
)

// TestServiceTeamValidate: a name and at least one member, each a user
// and none twice.
func TestServiceTeamValidate(t *testing.T) {
	ok := zhagen.ServiceTeam{Name: " 服务队 ", Members: []zhagen.TeamMember{{UserID: 1}, {UserID: 2}}}
	if err := ok.Validate(); err != nil || ok.Name != "服务队" {
		t.Fatalf("valid: %v", err)
	}
	for what, c := range map[string]struct {
		team  zhagen.ServiceTeam
		field string
	}{
		"no name":    {zhagen.ServiceTeam{Members: []zhagen.TeamMember{{UserID: 1}}}, "name"},
		"no members": {zhagen.ServiceTeam{Name: "队"}, "members"},
		"no user":    {zhagen.ServiceTeam{Name: "队", Members: []zhagen.TeamMember{{UserID: 0}}}, "members"},
		"twice":      {zhagen.ServiceTeam{Name: "队", Members: []zhagen.TeamMember{{UserID: 1}, {UserID: 1}}}, "members"},
	} {
		oneError(t, what, c.team.Validate(), c.field)
	}
}

// TestTeamBatchValidate: dates as YYYY-MM-DD, the end not before the
// start (the same day allowed), at least one enterprise.
func TestTeamBatchValidate(t *testing.T) {
	for what, c := range map[string]struct {
		b     zhagen.TeamBatch
		field string
	}{
		"one day":       {zhagen.TeamBatch{StartDate: "2026-11-02", EndDate: "2026-11-02", EnterpriseIDs: []int64{1}}, ""},
		"bad start":     {zhagen.TeamBatch{StartDate: "2026/11/02", EndDate: "2026-11-01", EnterpriseIDs: []int64{1}}, "start_date"},
		"bad end":       {zhagen.TeamBatch{StartDate: "2026-11-02", EndDate: "", EnterpriseIDs: []int64{1}}, "end_date"},
		"end first":     {zhagen.TeamBatch{StartDate: "2026-11-02", EndDate: "2026-11-01", EnterpriseIDs: []int64{1}}, "end_date"},
		"no enterprise": {zhagen.TeamBatch{StartDate: "2026-11-02", EndDate: "2026-11-03"}, "enterprise_ids"},
	} {
		oneError(t, what, c.b.Validate(), c.field)
	}
}

// TestServiceLogValidate: a date, an enterprise and a summary.
func TestServiceLogValidate(t *testing.T) {
	for what, c := range map[string]struct {
		l     zhagen.ServiceLog
		field string
	}{
		"valid":         {zhagen.ServiceLog{Date: "2026-11-02", EnterpriseID: 1, Summary: "走访"}, ""},
		"bad date":      {zhagen.ServiceLog{Date: "11-02", EnterpriseID: 1, Summary: "走访"}, "date"},
		"no enterprise": {zhagen.ServiceLog{Date: "2026-11-02", Summary: "走访"}, "enterprise_id"},
		"no summary":    {zhagen.ServiceLog{Date: "2026-11-02", EnterpriseID: 1, Summary: " "}, "summary"},
	} {
		oneError(t, what, c.l.Validate(), c.field)
	}
}
