package sqldb_test

import (
	"context"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestApprovalDecidedByApprovingDepartment: a statutory approval is
// accepted and decided by its approving department only — not by the
// command centre, which sees it and urges it — and a decision records the
// department's opinion and, when approved, the reply's document number,
// each required (EINVALID naming the field).
func TestApprovalDecidedByApprovingDepartment(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newProjectFixture(t, e)
		x := &zhagen.Approval{ProjectID: f.lab.ID, Kind: zhagen.ApprovalPlanning, DeptID: f.planning.ID}
		must(t, f.projects.FileApproval(f.holdStaff, x))
		fire := &zhagen.Approval{ProjectID: f.lab.ID, Kind: zhagen.ApprovalFireAccept, DeptID: f.construction.ID}
		must(t, f.projects.FileApproval(f.holdStaff, fire))

		// The command centre and the administrator neither accept nor
		// decide, whatever they fill in; the approval is unchanged.
		for name, ctx := range map[string]context.Context{"dispatcher": f.dispatcher, "admin": f.admin} {
			for _, st := range []zhagen.ApprovalStep{
				{Action: "accept"},
				{Action: "approve", Opinion: "符合规划条件", DocNo: "榕规许〔2026〕18号"},
				{Action: "reject", Opinion: "材料不全"},
			} {
				if _, err := f.projects.StepApproval(ctx, fire.ID, st); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
					t.Fatalf("%s %s: %v, want forbidden", name, st.Action, err)
				}
			}
		}
		// They still see it and urge it.
		got, err := f.projects.FindApprovalByID(f.dispatcher, fire.ID)
		must(t, err)
		if got.Status != zhagen.ApprovalSubmitted || got.Version != 1 {
			t.Fatalf("after the refused steps: %+v", got)
		}
		must(t, f.projects.UrgeApproval(f.dispatcher, fire.ID, "项目急需交付，请加快验收"))
		wantCode(t, f.projects.UrgeApproval(f.planStaff, x.ID, ""), zhagen.EFORBIDDEN)

		// The approving department decides, with an opinion and, to
		// approve, the document number.
		_, err = f.projects.StepApproval(f.planStaff, x.ID, zhagen.ApprovalStep{Action: "approve"})
		if fe := zhagen.FieldErrors(err); fe["opinion"] == "" || fe["doc_no"] == "" {
			t.Fatalf("approve without opinion and number: %v", err)
		}
		_, err = f.projects.StepApproval(f.planStaff, x.ID, zhagen.ApprovalStep{Action: "approve", Opinion: "符合规划条件"})
		if fe := zhagen.FieldErrors(err); zhagen.ErrorCode(err) != zhagen.EINVALID || fe["doc_no"] == "" || fe["opinion"] != "" {
			t.Fatalf("approve without a number: %v", err)
		}
		_, err = f.projects.StepApproval(f.buildStaff, fire.ID, zhagen.ApprovalStep{Action: "reject", DocNo: "x"})
		if fe := zhagen.FieldErrors(err); fe["opinion"] == "" || fe["doc_no"] != "" {
			t.Fatalf("reject without an opinion: %v", err)
		}
		got, err = f.projects.StepApproval(f.planStaff, x.ID, zhagen.ApprovalStep{Action: "approve", Opinion: " 符合规划条件，同意核发 ", DocNo: " 榕规许〔2026〕18号 "})
		must(t, err)
		if got.Status != zhagen.ApprovalApproved || got.Opinion != "符合规划条件，同意核发" || got.DocNo != "榕规许〔2026〕18号" || got.DecidedAt == nil {
			t.Fatalf("approved %+v", got)
		}
		got, err = f.projects.StepApproval(f.buildStaff, fire.ID, zhagen.ApprovalStep{Action: "reject", Opinion: "消防设施未按图施工"})
		must(t, err)
		if got.Status != zhagen.ApprovalRejected || got.Opinion != "消防设施未按图施工" || got.DocNo != "" {
			t.Fatalf("rejected %+v", got)
		}
		// Read back by the owner, the decision is there.
		all, _, err := f.projects.FindApprovals(f.holdStaff, zhagen.ApprovalFilter{ProjectID: f.lab.ID})
		must(t, err)
		for _, a := range all {
			if a.Opinion == "" {
				t.Fatalf("owner reads %+v", a)
			}
		}
		wantCode(t, f.projects.UrgeApproval(f.dispatcher, fire.ID, ""), zhagen.ECONFLICT)
	})
}
