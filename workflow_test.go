package zhagen_test

import (
	"slices"
	"testing"

	"zhagen"
)

// TestActionsReady: an extension is offered while none waits, its
// approval while one waits; closing only for a demand no enterprise
// rates; waiving only for an escalated demand; the follow-up reopen
// never as a step of its own.
func TestActionsReady(t *testing.T) {
	staff, disp := staffOf(3), dispatcher()
	d := &zhagen.Demand{ID: 12, Status: zhagen.DemandInProgress, LeadDeptID: 3, EnterpriseID: 5}
	if !staff.Allowed(d, zhagen.ActExtend) || disp.Allowed(d, zhagen.ActApproveExtension) {
		t.Error("no extension waiting")
	}
	d.ExtensionDays = 2
	if staff.Allowed(d, zhagen.ActExtend) || !disp.Allowed(d, zhagen.ActApproveExtension) {
		t.Error("an extension waiting")
	}
	if disp.Allowed(d, zhagen.ActWaive) {
		t.Error("waive without a consultation")
	}
	d.ConsultationID = 4
	if !disp.Allowed(d, zhagen.ActWaive) || !slices.Contains(disp.AvailableActions(d), zhagen.ActWaive) {
		t.Error("waive with a consultation")
	}
	r := &zhagen.Demand{ID: 13, Status: zhagen.DemandResolved, EnterpriseID: 5}
	if disp.Allowed(r, zhagen.ActClose) {
		t.Error("close offered for an enterprise's demand")
	}
	r.EnterpriseID = 0
	if !disp.Allowed(r, zhagen.ActClose) {
		t.Error("close not offered without an enterprise")
	}
	c := &zhagen.Demand{ID: 14, Status: zhagen.DemandClosed, LeadDeptID: 3}
	if disp.Allowed(c, zhagen.ActFollowUpReopen) || !disp.Allowed(c, zhagen.ActReopen) {
		t.Error("follow-up reopen offered")
	}
	if disp.Allowed(c, "no_such_action") {
		t.Error("unknown action allowed")
	}
}
