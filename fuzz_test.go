package zhagen_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sla"
)

// FuzzTransition feeds transition input as the API decodes it (any JSON
// body) to PlanTransition from every status, as each kind of actor: it
// must not panic, it refuses only with the codes of a refusal (never an
// internal error), it never changes the demand it is given, and a plan it
// returns leads to a known status and keeps its texts within the rules.
func FuzzTransition(f *testing.F) {
	for _, s := range []string{
		`{"action":"assign","lead_dept_id":3,"coop_dept_ids":[4,4,-1]}`,
		`{"action":"extend","days":-5}`, `{"action":"extend","days":9223372036854775807}`,
		`{"action":"rate","rating":6,"solved":true}`, `{"action":"merge","target_id":12}`,
		`{"action":"resolve","resolution":"` + strings.Repeat("长", 5000) + `"}`,
		`{"action":"accept","note":"\u0000"}`, `{"action":"approve_extension","approve":false}`,
		`{"action":"link","target_id":12}`, `{"action":"update","public":false,"note":"进展"}`,
	} {
		f.Add(s, uint8(0), uint8(0))
	}
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, zhagen.Shanghai)
	actors := []*zhagen.Actor{
		zhagen.SystemActor(),
		{UserID: 1, Roles: []zhagen.Role{zhagen.RoleDispatcher}},
		{UserID: 7, Roles: []zhagen.Role{zhagen.RoleStaff}, DeptID: 3, SubDeptIDs: []int64{3}},
		{UserID: 8, Roles: []zhagen.Role{zhagen.RoleEnterprise}, EnterpriseID: 5},
		{UserID: 9, Roles: []zhagen.Role{zhagen.RoleCadre}, DeptID: 3},
		{UserID: 10, Roles: []zhagen.Role{zhagen.RoleLeader}},
	}
	refusals := []string{zhagen.EINVALID, zhagen.EFORBIDDEN, zhagen.ECONFLICT, zhagen.EBADREQUEST, zhagen.ENOTFOUND}
	f.Fuzz(func(t *testing.T, body string, status, who uint8) {
		var tr zhagen.Transition
		if json.Unmarshal([]byte(body), &tr) != nil {
			return
		}
		due, paused := now.Add(48*time.Hour), now.Add(-24*time.Hour)
		d := &zhagen.Demand{ID: 11, Title: "用电增容", Status: zhagen.DemandStatuses[int(status)%len(zhagen.DemandStatuses)], LeadDeptID: 3,
			CoopDeptIDs: []int64{4}, EnterpriseID: 5, SubmitterID: 8, Priority: zhagen.PriorityNormal, CreatedAt: now.Add(-72 * time.Hour),
			ResolutionDue: &due, PausedAt: &paused, SLALevel: zhagen.SLAOK}
		before := *d
		before.CoopDeptIDs = slices.Clone(d.CoopDeptIDs)
		facts := zhagen.TransitionFacts{Budget: 40 * time.Hour, Departments: map[int64]string{3: "经济发展局", 4: "供电公司"},
			Target: &zhagen.Demand{ID: 12, Status: zhagen.DemandInProgress, EnterpriseID: 5}}
		p, err := zhagen.PlanTransition(d, actors[int(who)%len(actors)], tr, now, cal, facts)
		if !reflect.DeepEqual(*d, before) {
			t.Fatalf("the demand given was changed: %+v", d)
		}
		if err != nil {
			if !slices.Contains(refusals, zhagen.ErrorCode(err)) || zhagen.ErrorMessage(err) == "" {
				t.Fatalf("refused with %v", err)
			}
			return
		}
		if p.To.Label() == "" || p.Demand == nil || p.Demand.Status != p.To {
			t.Fatalf("plan to %q: %+v", p.To, p.Demand)
		}
		if n := len([]rune(p.Demand.Resolution)); n > 4000 {
			t.Fatalf("resolution of %d characters accepted", n)
		}
	})
}

// FuzzParseDateTime: the dates people type (ParseDateTime, ParseDay and
// the calendar's ParseDate) never panic; what they accept is a real time
// that writes back to what reads as the same instant, within the years a
// store keeps.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2026-10-08T09:30:00+08:00", "2026-10-08 09:30", "2026-10-08T09:30", "2026-10-08", "2026-02-30",
		"0000-01-01", "9999-12-31T23:59:59+14:00", "2026-10-08T09:30:00Z", "99999-01-01", "2026-1-8", " 2026-10-08", "2026-10-08T24:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, err := zhagen.ParseDateTime(s); err == nil {
			if tm.Year() < 0 || tm.Year() > 9999 {
				t.Fatalf("%q: year %d", s, tm.Year())
			}
			back, err := zhagen.ParseDateTime(tm.Format(time.RFC3339Nano))
			if err != nil || !back.Equal(tm) {
				t.Fatalf("%q: %v does not read back (%v, %v)", s, tm, back, err)
			}
		}
		if day, ok := zhagen.ParseDay(s); ok {
			if day.Format("2006-01-02") != s {
				t.Fatalf("ParseDay(%q) = %v", s, day)
			}
		}
		if d, err := sla.ParseDate(s); err == nil {
			if d.String() != s {
				t.Fatalf("ParseDate(%q) = %v", s, d)
			}
			if d.AddDays(1).AddDays(-1) != d {
				t.Fatalf("%v: adding and taking a day", d)
			}
		}
	})
}
