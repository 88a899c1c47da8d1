package sqldb_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"zhagen"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

const answer = "已协调供电公司完成双回路改造，书面答复企业"

// closeRated takes a demand of f from filed to rated and closed.
func (f *demandFixture) closeRated(t *testing.T, d *zhagen.Demand, rating zhagen.Rating) *zhagen.Demand {
	t.Helper()
	if d.AcceptedAt == nil {
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
	}
	d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: answer})
	return f.act(t, f.ent, d, zhagen.Transition{Action: zhagen.ActRate, Rating: rating, Solved: ptr(true)})
}

func openFollowUp(t *testing.T, fus *sqldb.FollowUpService, f *demandFixture, demandID int64) *zhagen.FollowUp {
	t.Helper()
	fs, _, err := fus.FindFollowUps(f.dispatcher, zhagen.FollowUpFilter{DemandID: demandID, Status: "open"})
	must(t, err)
	if len(fs) != 1 {
		t.Fatalf("%d open follow-ups of demand %d, want 1", len(fs), demandID)
	}
	return fs[0]
}

// TestFollowUpLifecycle: a rated demand gets a follow-up due in three
// working days, in the transaction of the rating; the lead department
// sees it, others do not; only the command centre records it, once; "not
// solved" reopens the demand through the workflow (timeline, solved
// cleared) and its next close gets a new follow-up. A withdrawal check
// that finds the enterprise pressed tells the dispatchers and leaders and
// may reopen.
func TestFollowUpLifecycle(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		fus := sqldb.NewFollowUpService(f.db, f.demands)
		cal, _ := sla.NewCalendar(sla.Config{})
		d := f.closeRated(t, f.file(t, f.ent, "回访：双回路供电"), zhagen.RatingSatisfied)
		fu := openFollowUp(t, fus, f, d.ID)
		if fu.Kind != zhagen.FollowUpRated || fu.LeadDeptID != f.edb.ID || fu.EnterpriseName != f.entA.Name ||
			!fu.DueAt.Equal(cal.Due(*d.ClosedAt, sla.Duration{Amount: 3, Unit: sla.Days})) || fu.Done() {
			t.Fatalf("follow-up %+v (closed %v)", fu, d.ClosedAt)
		}
		// Scope: the lead department sees it; another department and the
		// enterprise do not.
		if _, err := fus.FindFollowUpByID(f.staff, fu.ID); err != nil {
			t.Errorf("lead department: %v", err)
		}
		_, err := fus.FindFollowUpByID(f.planStaff, fu.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
		_, _, err = fus.FindFollowUps(f.ent, zhagen.FollowUpFilter{})
		wantCode(t, err, zhagen.EFORBIDDEN)
		if fs, n, err := fus.FindFollowUps(f.planStaff, zhagen.FollowUpFilter{}); err != nil || n != 0 || len(fs) != 0 {
			t.Errorf("another department's list: %d %v", n, err)
		}
		// Only the command centre records; a bad record names the field.
		unsolved := zhagen.FollowUpRecord{Result: zhagen.FollowUpUnsolved, Method: zhagen.FollowUpPhone, Satisfaction: zhagen.RatingUnsatisfied, Note: "企业反映仍经常停电"}
		_, err = fus.RecordFollowUp(f.staff, fu.ID, unsolved)
		wantCode(t, err, zhagen.EFORBIDDEN)
		_, err = fus.RecordFollowUp(f.dispatcher, fu.ID, zhagen.FollowUpRecord{Result: zhagen.FollowUpUnsolved, Method: zhagen.FollowUpPhone, Satisfaction: zhagen.RatingUnsatisfied})
		if zhagen.FieldErrors(err)["note"] == "" {
			t.Fatalf("unsolved without a note: %v", err)
		}
		f.clock.Advance(time.Hour)
		got, err := fus.RecordFollowUp(f.dispatcher, fu.ID, unsolved)
		must(t, err)
		if !got.Done() || !got.Reopened || got.Result != zhagen.FollowUpUnsolved || got.DoneByName == "" {
			t.Fatalf("recorded %+v", got)
		}
		re, err := f.demands.FindDemandByID(f.dispatcher, d.ID)
		must(t, err)
		if re.Status != zhagen.DemandInProgress || re.Solved != nil || re.Rating != "" || re.ClosedAt != nil || re.ReopenCount != 1 {
			t.Fatalf("reopened demand %+v", re)
		}
		events, err := f.demands.FindDemandEvents(f.dispatcher, d.ID)
		must(t, err)
		var acts []zhagen.Action
		for _, ev := range events {
			acts = append(acts, ev.Action)
		}
		if !slices.Contains(acts, zhagen.ActFollowUp) || !slices.Contains(acts, zhagen.ActFollowUpReopen) {
			t.Errorf("timeline %v", acts)
		}
		// Once only.
		_, err = fus.RecordFollowUp(f.dispatcher, fu.ID, zhagen.FollowUpRecord{Result: zhagen.FollowUpSolved, Method: zhagen.FollowUpPhone, Satisfaction: zhagen.RatingSatisfied})
		wantCode(t, err, zhagen.ECONFLICT)
		// Closed again: a new follow-up.
		f.closeRated(t, re, zhagen.RatingBasically)
		if next := openFollowUp(t, fus, f, d.ID); next.ID == fu.ID {
			t.Error("no new follow-up after the second close")
		}

		// A withdrawal, checked: the enterprise was pressed, the dispatcher
		// reopens; dispatchers and leaders are told.
		w := f.file(t, f.ent, "回访：撤回的诉求")
		w = f.act(t, f.ent, w, zhagen.Transition{Action: zhagen.ActWithdraw})
		wf := openFollowUp(t, fus, f, w.ID)
		if wf.Kind != zhagen.FollowUpWithdrawal {
			t.Fatalf("withdrawal follow-up %+v", wf)
		}
		_, err = fus.RecordFollowUp(f.dispatcher, wf.ID, zhagen.FollowUpRecord{Result: zhagen.FollowUpUnsolved, Method: zhagen.FollowUpVisit, Satisfaction: zhagen.RatingUnsatisfied, Note: "x"})
		if zhagen.FieldErrors(err)["pressed"] == "" {
			t.Fatalf("withdrawal check without pressed: %v", err)
		}
		got, err = fus.RecordFollowUp(f.dispatcher, wf.ID, zhagen.FollowUpRecord{Result: zhagen.FollowUpUnsolved, Method: zhagen.FollowUpVisit,
			Satisfaction: zhagen.RatingUnsatisfied, Pressed: ptr(true), Reopen: true, Note: "经办人员要求企业撤单"})
		must(t, err)
		if !got.Flagged() || !got.Reopened {
			t.Fatalf("withdrawal check %+v", got)
		}
		if w, err = f.demands.FindDemandByID(f.dispatcher, w.ID); err != nil || w.Status != zhagen.DemandAssigned {
			t.Fatalf("withdrawn demand reopened as %+v %v", w, err)
		}
		flagged, n, err := fus.FindFollowUps(f.dispatcher, zhagen.FollowUpFilter{Status: "flagged"})
		if err != nil || n != 1 || flagged[0].ID != wf.ID {
			t.Errorf("flagged list: %d %v", n, err)
		}
		f.drain(t)
		ns, _, err := f.notes.FindNotifications(f.dispatcher, false, 50)
		must(t, err)
		pressed, due := 0, 0
		for _, n := range ns {
			if strings.HasPrefix(n.Title, "撤单核查：企业反映被要求撤单") {
				pressed++
			}
			if strings.HasPrefix(n.Title, "待回访：") {
				due++
			}
		}
		if pressed != 1 || due != 3 {
			t.Errorf("dispatcher told %d pressed, %d due; want 1 and 3", pressed, due)
		}
	})
}

// TestFollowUpRate checks the numerator and the denominator of the
// 回访核实率 at their edges: none reached; an unreached follow-up and a
// withdrawal check count nowhere; a demand found unsolved, reopened and
// confirmed solved at its next follow-up counts once, solved; the lead
// department's scope.
func TestFollowUpRate(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		fus := sqldb.NewFollowUpService(f.db, f.demands)
		rates := sqldb.NewRatesService(f.db)
		check := func(_ any, reached, solved int) {
			t.Helper()
			total, _, err := rates.DemandRates(f.dispatcher, zhagen.RatesFilter{})
			must(t, err)
			if total.FollowUpReached != reached || total.FollowUpSolved != solved {
				t.Fatalf("reached %d solved %d, want %d %d", total.FollowUpReached, total.FollowUpSolved, reached, solved)
			}
			r, ok := total.FollowUpRate()
			if ok != (reached > 0) || ok && r != float64(solved)/float64(reached) {
				t.Fatalf("rate %v %v", r, ok)
			}
		}
		record := func(d *zhagen.Demand, rec zhagen.FollowUpRecord) {
			t.Helper()
			_, err := fus.RecordFollowUp(f.dispatcher, openFollowUp(t, fus, f, d.ID).ID, rec)
			must(t, err)
		}
		solved := zhagen.FollowUpRecord{Result: zhagen.FollowUpSolved, Method: zhagen.FollowUpPhone, Satisfaction: zhagen.RatingSatisfied}
		check(nil, 0, 0)
		a := f.closeRated(t, f.file(t, f.ent, "核实率：确认解决"), zhagen.RatingSatisfied)
		check(nil, 0, 0) // a follow-up to make counts nowhere
		record(a, solved)
		check(nil, 1, 1)
		b := f.closeRated(t, f.file(t, f.ent, "核实率：未联系上"), zhagen.RatingSatisfied)
		record(b, zhagen.FollowUpRecord{Result: zhagen.FollowUpUnreached, Method: zhagen.FollowUpPhone})
		check(nil, 1, 1)
		w := f.act(t, f.ent, f.file(t, f.ent, "核实率：撤回"), zhagen.Transition{Action: zhagen.ActWithdraw})
		record(w, zhagen.FollowUpRecord{Result: zhagen.FollowUpSolved, Method: zhagen.FollowUpPhone, Satisfaction: zhagen.RatingSatisfied, Pressed: ptr(false)})
		check(nil, 1, 1)
		c := f.closeRated(t, f.file(t, f.ent, "核实率：先未解决"), zhagen.RatingSatisfied)
		record(c, zhagen.FollowUpRecord{Result: zhagen.FollowUpUnsolved, Method: zhagen.FollowUpVisit, Satisfaction: zhagen.RatingUnsatisfied, Note: "仍未解决"})
		check(nil, 2, 1)
		c, err := f.demands.FindDemandByID(f.dispatcher, c.ID)
		must(t, err)
		f.closeRated(t, c, zhagen.RatingSatisfied)
		record(c, solved)
		check(nil, 2, 2) // counted once, with its latest follow-up
		// The lead department's own scope, and another's.
		total, byDept, err := rates.DemandRates(f.staff, zhagen.RatesFilter{})
		must(t, err)
		if total.FollowUpReached != 2 || len(byDept) != 1 || byDept[0].FollowUpSolved != 2 {
			t.Errorf("edb's rates %+v %+v", total, byDept)
		}
		total, _, err = rates.DemandRates(f.planStaff, zhagen.RatesFilter{})
		must(t, err)
		if total.FollowUpReached != 0 {
			t.Errorf("planning's rates %+v", total)
		}
	})
}

// TestResolveAnswerRule: a resolve shorter than the category's minimum,
// or without a file where the category asks for one, is refused naming
// the field, on the shared path; a file uploaded after acceptance lets
// it through.
func TestResolveAnswerRule(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.ent, "答复规则")
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		_, err := f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已解决"})
		if msg := zhagen.FieldErrors(err)["resolution"]; !strings.Contains(msg, "不少于15个字") {
			t.Fatalf("short answer: %v", err)
		}
		c := *f.power
		c.AnswerFileRequired, c.AnswerMinLen = true, 4
		_, err = f.cats.UpdateCategory(f.admin, c.ID, c.Version, &c)
		must(t, err)
		_, err = f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已批复同意"})
		if msg := zhagen.FieldErrors(err)["file"]; !strings.Contains(msg, "须上传书面答复或审批文件") {
			t.Fatalf("no file: %v", err)
		}
		_, err = f.files.AddFile(f.staff, zhagen.DemandFiles(d.ID), "批复.pdf", []byte("%PDF-1.7 批复"))
		must(t, err)
		if d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已批复同意"}); d.Status != zhagen.DemandResolved {
			t.Fatalf("resolved %+v", d)
		}
	})
}

// TestReplyTemplates: staff keep their own department's templates and
// no others; the templates that serve a demand are of its category or
// any, shared or of its lead department or the caller's; a stale
// version is refused.
func TestReplyTemplateService(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		rs := sqldb.NewReplyTemplateService(f.db)
		shared := &zhagen.ReplyTemplate{Title: "通用", Body: "{企业名称}您好，诉求{诉求编号}已办结。"}
		must(t, rs.CreateReplyTemplate(f.admin, shared))
		wantCode(t, rs.CreateReplyTemplate(f.staff, &zhagen.ReplyTemplate{Title: "共用", Body: "x"}), zhagen.EFORBIDDEN)
		wantCode(t, rs.CreateReplyTemplate(f.staff, &zhagen.ReplyTemplate{Title: "规划局的", Body: "x", DeptID: f.planning.ID}), zhagen.EFORBIDDEN)
		own := &zhagen.ReplyTemplate{Title: "供电答复", Body: "经协调，{主办部门}已完成。", DeptID: f.edb.ID, CategoryID: f.power.ID}
		must(t, rs.CreateReplyTemplate(f.staff, own))
		plan := &zhagen.ReplyTemplate{Title: "规划答复", Body: "规划已批复。", DeptID: f.planning.ID}
		must(t, rs.CreateReplyTemplate(f.planStaff, plan))
		err := rs.CreateReplyTemplate(f.staff, &zhagen.ReplyTemplate{Title: "坏", Body: "{联系人}", DeptID: f.edb.ID})
		if zhagen.FieldErrors(err)["body"] == "" {
			t.Errorf("unknown placeholder: %v", err)
		}
		d := f.file(t, f.ent, "模板")
		ts, err := rs.FindReplyTemplates(f.staff, zhagen.ReplyTemplateFilter{ForDemand: d})
		must(t, err)
		var titles []string
		for _, x := range ts {
			titles = append(titles, x.Title)
		}
		if strings.Join(titles, ",") != "通用,供电答复" {
			t.Errorf("templates for the demand: %v", titles)
		}
		_, err = rs.FindReplyTemplates(f.ent, zhagen.ReplyTemplateFilter{})
		wantCode(t, err, zhagen.EFORBIDDEN)
		// Editing: the planning staff may not touch edb's; a stale version
		// is a conflict; the owner's change goes through.
		upd := *own
		upd.Title = "改"
		wantCode(t, rs.UpdateReplyTemplate(f.planStaff, &upd), zhagen.EFORBIDDEN)
		must(t, rs.UpdateReplyTemplate(f.staff, &upd))
		stale := *own
		wantCode(t, rs.UpdateReplyTemplate(f.staff, &stale), zhagen.ECONFLICT)
		moved := upd
		moved.DeptID = f.planning.ID
		wantCode(t, rs.UpdateReplyTemplate(f.staff, &moved), zhagen.EFORBIDDEN)
		wantCode(t, rs.DeleteReplyTemplate(f.staff, shared.ID), zhagen.EFORBIDDEN)
		must(t, rs.DeleteReplyTemplate(f.staff, own.ID))
		_, err = rs.FindReplyTemplateByID(f.staff, own.ID)
		wantCode(t, err, zhagen.ENOTFOUND)
	})
}
