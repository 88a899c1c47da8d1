package zhagen_test

import (
	"reflect"
	"testing"

	"zhagen"
)

// TestConsultationAndItemFacts: the facts name the departments and
// people taking part, never an empty id.
func TestConsultationAndItemFacts(t *testing.T) {
	c := &zhagen.Consultation{ConvenerDept: 1, ConvenerID: 10,
		Invitees: []*zhagen.Invitee{{DeptID: 2}, {UserID: 20}, {DeptID: 3, UserID: 30}},
		Items:    []*zhagen.ActionItem{{OwnerDeptID: 4}}}
	f := zhagen.ConsultationFacts(c, 5, []int64{6}, []int64{7})
	if f.DeptID != 1 || f.UserID != 10 || f.EnterpriseID != 5 || !reflect.DeepEqual(f.EnterpriseIDs, []int64{6}) ||
		!reflect.DeepEqual(f.DeptIDs, []int64{2, 3, 4, 7}) || !reflect.DeepEqual(f.UserIDs, []int64{20, 30}) {
		t.Errorf("consultation facts %+v", f)
	}
	f = zhagen.InvitationFacts(c)
	if !reflect.DeepEqual(f.DeptIDs, []int64{2, 3}) || !reflect.DeepEqual(f.UserIDs, []int64{20, 30}) || f.DeptID != 0 {
		t.Errorf("invitation facts %+v", f)
	}
	it := &zhagen.ActionItem{OwnerDeptID: 4, AssigneeID: 40}
	f = zhagen.ItemFacts(it, c)
	if f.DeptID != 4 || f.UserID != 40 || !reflect.DeepEqual(f.DeptIDs, []int64{1}) || !reflect.DeepEqual(f.UserIDs, []int64{10}) {
		t.Errorf("item facts %+v", f)
	}
	f = zhagen.ItemFacts(it, &zhagen.Consultation{})
	if f.DeptIDs != nil || f.UserIDs != nil {
		t.Errorf("item facts without a convener %+v", f)
	}
	if f = zhagen.ItemFacts(it, nil); f.DeptID != 4 || f.DeptIDs != nil {
		t.Errorf("item facts without the consultation %+v", f)
	}
	x := &zhagen.Approval{DeptID: 8}
	p := &zhagen.Project{OwnerDeptID: 1, OwnerEnterpriseID: 5, LiaisonID: 10}
	if f = zhagen.ApprovalFacts(x, p); !reflect.DeepEqual(f.DeptIDs, []int64{8}) || f.DeptID != 1 || f.EnterpriseID != 5 {
		t.Errorf("approval facts %+v", f)
	}
	if f = zhagen.ApprovalFacts(&zhagen.Approval{}, p); f.DeptIDs != nil {
		t.Errorf("approval facts without a department %+v", f)
	}
}

// TestMyInvitation: a person answers their own invitation before their
// department's; none when neither is invited.
func TestMyInvitation(t *testing.T) {
	a := &zhagen.Actor{UserID: 30, Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: 3, DeptPath: "/1/3/"}
	dept, own := &zhagen.Invitee{DeptID: 3}, &zhagen.Invitee{UserID: 30}
	if got := zhagen.MyInvitation(a, &zhagen.Consultation{Invitees: []*zhagen.Invitee{dept, own}}); got != own {
		t.Errorf("both invited: %+v", got)
	}
	if got := zhagen.MyInvitation(a, &zhagen.Consultation{Invitees: []*zhagen.Invitee{{UserID: 31}, dept}}); got != dept {
		t.Errorf("the department invited: %+v", got)
	}
	if got := zhagen.MyInvitation(a, &zhagen.Consultation{Invitees: []*zhagen.Invitee{{DeptID: 4}, {UserID: 31}}}); got != nil {
		t.Errorf("not invited: %+v", got)
	}
}
