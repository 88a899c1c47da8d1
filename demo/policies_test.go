package demo_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/demo"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// policyClock is in 2026, when the demo's policies are in force.
func policyClock() *zhagen.FixedClock {
	return &zhagen.FixedClock{T: time.Date(2026, 9, 29, 10, 0, 0, 0, zhagen.Shanghai)}
}

// as returns a context acting as the demo login, loaded as a session would.
func as(t *testing.T, db *sqldb.DB, login string) context.Context {
	t.Helper()
	sys := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	us, _, err := sqldb.NewUserService(db).FindUsers(sys, zhagen.UserFilter{Login: login, Limit: 1})
	if err != nil || len(us) != 1 {
		t.Fatalf("user %s: %v", login, err)
	}
	auth := sqldb.NewAuthService(db)
	sid, err := auth.CreateSession(sys, us[0].ID, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.ActorBySession(sys, sid)
	if err != nil {
		t.Fatal(err)
	}
	return zhagen.NewContextWithActor(context.Background(), a)
}

// matchedNotices returns, per enterprise, the "policy.matched" notices in
// the outbox that link to the policy.
func matchedNotices(t *testing.T, db *sqldb.DB, policyID int64) map[int64][]zhagen.Notice {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT notice FROM outbox WHERE kind = 'policy.matched'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][]zhagen.Notice{}
	link := "/policies/" + itoa(policyID)
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var n zhagen.Notice
		if err := json.Unmarshal([]byte(raw), &n); err != nil {
			t.Fatal(err)
		}
		if n.Link == link && len(n.To.Enterprises) == 1 {
			out[n.To.Enterprises[0]] = append(out[n.To.Enterprises[0]], n)
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestPolicyMatchingAndRedemption, on both stores over the demo zone: a
// policy for 集成电路 with employees ≥ 100 tells exactly the eligible
// enterprises once each, with the reason; raising one small IC company's
// headcount makes it eligible and tells it then, once. An application
// then runs from 申报 to 拨付 on the injected clock, its deadlines
// counted on the 2026 calendar (National Day), and is in the paid totals.
func TestPolicyMatchingAndRedemption(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		clock := policyClock()
		db := e.Open(t, clock)
		s := services(db)
		s.Linkages = sqldb.NewLinkageService(db, nil)
		cal, err := sla.NewCalendar(sla.Config{})
		if err != nil {
			t.Fatal(err)
		}
		pol := sqldb.NewPolicyService(db, cal)
		s.Policies, s.Clock = pol, clock
		sys := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
		if err := demo.Load(sys, s, demo.DefaultPassword, nil); err != nil {
			t.Fatal(err)
		}
		demoPolicies, err := pol.FindPolicies(sys, zhagen.PolicyFilter{})
		if err != nil || len(demoPolicies) < 10 {
			t.Fatalf("demo policies: %d, %v", len(demoPolicies), err)
		}
		// The demo has applications at each stage of redemption.
		apps, err := pol.FindApplications(sys, zhagen.AppFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		stages := map[zhagen.AppStatus]bool{}
		for _, a := range apps {
			stages[a.Status] = true
		}
		for _, st := range zhagen.AppStatuses {
			if !stages[st] {
				t.Errorf("no demo application is %s", st)
			}
		}

		// The expected set, read independently: IC enterprises in business with ≥ 100 employees.
		ics, _, err := s.Enterprises.FindEnterprises(sys, zhagen.EnterpriseFilter{Industry: "集成电路", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		want, small := map[int64]bool{}, int64(0)
		for _, en := range ics {
			x, err := pol.EnterpriseAttrs(sys, en.ID)
			if err != nil {
				t.Fatal(err)
			}
			if x.Employees >= 100 && en.Status != zhagen.EntClosed {
				want[en.ID] = true
			} else if small == 0 {
				small = en.ID
			}
		}
		if len(want) < 3 || small == 0 {
			t.Fatalf("demo IC enterprises: %d eligible, small %d", len(want), small)
		}

		dispatcher := as(t, db, "dispatcher")
		var econ int64
		for _, dp := range demoPolicies {
			if strings.Contains(dp.Title, "集成电路") {
				econ = dp.HandlerDeptID
			}
		}
		p := &zhagen.Policy{Title: "集成电路企业稳岗扩产补助", Category: zhagen.PolicyIndustry, IssuerDeptID: econ, HandlerDeptID: econ,
			Summary: "测试", ValidFrom: "2026-01-01", BenefitType: zhagen.BenefitSubsidy, BenefitAmount: 2000000,
			Rules: []zhagen.PolicyRule{{Attr: zhagen.AttrIndustry, Op: zhagen.OpIn, Value: "集成电路"}, {Attr: zhagen.AttrEmployees, Op: zhagen.OpGE, Value: "100"}}}
		if err := pol.CreatePolicy(dispatcher, p); err != nil {
			t.Fatal(err)
		}
		if got := matchedNotices(t, db, p.ID); len(got) != 0 {
			t.Fatalf("a draft told %d enterprises", len(got))
		}
		if _, err := pol.PublishPolicy(dispatcher, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := pol.PublishPolicy(dispatcher, p.ID, 0); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Errorf("second publication: %v, want ECONFLICT", err)
		}
		told := matchedNotices(t, db, p.ID)
		if len(told) != len(want) {
			t.Errorf("told %d enterprises, want %d", len(told), len(want))
		}
		for id, ns := range told {
			if !want[id] {
				t.Errorf("enterprise %d told but not eligible", id)
			}
			if len(ns) != 1 {
				t.Errorf("enterprise %d told %d times", id, len(ns))
			}
			body := ns[0].Body.Args
			if len(body) != 2 || !strings.Contains(body[1].(string), "从业人数 不少于 100：实际") || !strings.Contains(body[1].(string), "符合") {
				t.Errorf("enterprise %d reason: %v", id, body)
			}
			if len(ns[0].To.Users) == 0 {
				t.Errorf("enterprise %d: no linked cadre told", id)
			}
		}
		els, err := pol.Eligibility(dispatcher, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, el := range els {
			if el.EnterpriseID == small && (el.Eligible || !strings.Contains(el.Reason(), "不符合：从业人数")) {
				t.Errorf("small IC company: %v %s", el.Eligible, el.Reason())
			}
		}

		// Its headcount rises: eligible now, told then, once.
		x, _ := pol.EnterpriseAttrs(sys, small)
		x.Employees = 150
		for range 2 {
			if err := pol.SetEnterpriseAttrs(dispatcher, x); err != nil {
				t.Fatal(err)
			}
		}
		told = matchedNotices(t, db, p.ID)
		if len(told) != len(want)+1 || len(told[small]) != 1 {
			t.Errorf("after the change: %d told, small told %d times", len(told), len(told[small]))
		}

		// Redemption on the 2026 calendar: applied Tue 29 Sep 10:00;
		// acceptance due in 3 working days: 30 Sep, 8 Oct, 9 Oct.
		ent := as(t, db, "enterprise")
		app, err := pol.Apply(ent, zhagen.AppInput{PolicyID: p.ID, Requested: 1500000, Note: "申报"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pol.Apply(ent, zhagen.AppInput{PolicyID: p.ID}); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Errorf("second application: %v", err)
		}
		wantDue := time.Date(2026, 10, 9, 10, 0, 0, 0, zhagen.Shanghai)
		if app.StageDue == nil || !app.StageDue.Equal(wantDue) {
			t.Errorf("acceptance due %v, want %v", app.StageDue, wantDue)
		}
		if _, err := pol.StepApplication(ent, app.ID, zhagen.AppStep{Action: zhagen.AppAccept, Version: app.Version}); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Errorf("enterprise accepting: %v", err)
		}
		staff := as(t, db, "staff")
		clock.T = time.Date(2026, 10, 9, 9, 0, 0, 0, zhagen.Shanghai)
		step := func(a zhagen.AppAction, amount int64) {
			t.Helper()
			got, err := pol.StepApplication(staff, app.ID, zhagen.AppStep{Action: a, Amount: amount, Version: app.Version})
			if err != nil {
				t.Fatalf("%s: %v", a, err)
			}
			app = got
		}
		step(zhagen.AppAccept, 0)
		// Review due in 10 working days from Fri 9 Oct: Sat 10 Oct is a
		// make-up workday, so Thu 22 Oct.
		if wantDue = time.Date(2026, 10, 22, 9, 0, 0, 0, zhagen.Shanghai); app.StageDue == nil || !app.StageDue.Equal(wantDue) {
			t.Errorf("review due %v, want %v", app.StageDue, wantDue)
		}
		if _, err := pol.StepApplication(staff, app.ID, zhagen.AppStep{Action: zhagen.AppReview, Amount: 1, Version: app.Version - 1}); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Errorf("stale review: %v", err)
		}
		clock.T = time.Date(2026, 10, 23, 9, 0, 0, 0, zhagen.Shanghai)
		if !app.Overdue(clock.T) {
			t.Error("review not overdue on 23 Oct")
		}
		step(zhagen.AppReview, 1500000)
		step(zhagen.AppPublicize, 0)
		clock.T = time.Date(2026, 11, 5, 15, 0, 0, 0, zhagen.Shanghai)
		if _, err := pol.StepApplication(staff, app.ID, zhagen.AppStep{Action: zhagen.AppPay, Amount: 1600000, Version: app.Version}); zhagen.ErrorCode(err) != zhagen.EINVALID {
			t.Errorf("paying more than approved: %v", err)
		}
		step(zhagen.AppPay, 1500000)
		if app.Status != zhagen.AppPaid || app.Paid != 1500000 || len(app.Events) != 5 {
			t.Errorf("paid application: %s %d, %d events", app.Status, app.Paid, len(app.Events))
		}
		tot, err := pol.PaidTotals(dispatcher)
		if err != nil {
			t.Fatal(err)
		}
		find := func(list []zhagen.PaidTotal, key string) int64 {
			for _, x := range list {
				if x.Key == key {
					return x.Paid
				}
			}
			return -1
		}
		if got := find(tot.ByPolicy, itoa(p.ID)); got != 1500000 {
			t.Errorf("paid on the policy: %d", got)
		}
		if got := find(tot.ByMonth, "2026-11"); got < 1500000 {
			t.Errorf("paid in 2026-11: %d", got)
		}
		if got := find(tot.ByDept, itoa(econ)); got < 1500000 {
			t.Errorf("paid by the department: %d", got)
		}
		// Another enterprise's user never sees the application.
		if _, err := pol.FindApplication(as(t, db, "enterprise2"), app.ID); zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			t.Errorf("other enterprise reads the application: %v", err)
		}
	})
}
