package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
	"unicode"

	"zhagen"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// The concurrency suite: for every versioned or once-only write of sqldb,
// raceN identical requests at once give exactly one winner, the others a
// clear Chinese error (a conflict unless the row says otherwise), and no
// duplicate rows, on every engine. A new action is one row of races.

// raceN is how many identical requests race in each scenario.
const raceN = 50

// Winners of a race other than exactly one.
const (
	raceAll  = -1 // every request wins: an idempotent or last-writer-wins write
	raceSome = -2 // at least one wins (a run after a finished run is allowed)
)

// perWinner as a rowCount's want: the count grows by one per winner.
const perWinner = -1

// raceFixture is the demand, linkage, project and talent fixtures in one
// zone; each scenario makes its own objects in it.
type raceFixture struct {
	*projectFixture
	links  *sqldb.LinkageService
	talent *sqldb.TalentService
	cals   *sqldb.CalendarService
	intake *sqldb.IntakeService
	sup    *sqldb.SupervisionService
	cadre2 context.Context
	seq    int
}

func newRaceFixture(t *testing.T, e sqldbtest.Engine) *raceFixture {
	t.Helper()
	f := &raceFixture{projectFixture: newProjectFixture(t, e)}
	f.links = sqldb.NewLinkageService(f.db, f.demands)
	f.talent, f.cals, f.intake = sqldb.NewTalentService(f.db), sqldb.NewCalendarService(f.db), sqldb.NewIntakeService(f.db)
	f.cadre2 = f.user(t, "cadre2", zhagen.RoleCadre, f.edb.ID, 0)
	f.linkCadre(t)
	cal, err := sla.NewCalendar(sla.Config{})
	must(t, err)
	f.sup = sqldb.NewSupervisionService(f.db, cal)
	return f
}

// order raises a supervision order on a new demand of entA, to the
// economic development bureau.
func (f *raceFixture) order(t *testing.T) *zhagen.SupervisionOrder {
	t.Helper()
	o := &zhagen.SupervisionOrder{SubjectKind: zhagen.SubjectDemand, SubjectID: f.accepted(t).ID, Requirement: f.name("请于两日内答复")}
	must(t, f.sup.RaiseSupervision(f.dispatcher, o))
	return o
}

func (f *raceFixture) replied(t *testing.T) *zhagen.SupervisionOrder {
	t.Helper()
	o := f.order(t)
	o, err := f.sup.ReplySupervision(f.staff, o.ID, zhagen.SupervisionReply{Progress: "已协调", PromisedDate: "2026-12-31"})
	must(t, err)
	return o
}

// name returns a name no other scenario uses.
func (f *raceFixture) name(prefix string) string {
	f.seq++
	return fmt.Sprintf("%s%d", prefix, f.seq)
}

// enterprise creates an enterprise of its own for a scenario.
func (f *raceFixture) enterprise(t *testing.T) *zhagen.Enterprise {
	t.Helper()
	e := &zhagen.Enterprise{Name: f.name("并发企业"), USCC: f.uscc(), Industry: "集成电路", Park: "海西园"}
	must(t, f.ents.CreateEnterprise(f.admin, e))
	return e
}

// uscc returns a valid unified social credit code no other scenario uses.
func (f *raceFixture) uscc() string {
	f.seq++
	body := fmt.Sprintf("91350100%09d", 100000000+f.seq)
	c, ok := zhagen.USCCCheckChar(body)
	if !ok {
		panic("uscc " + body)
	}
	return body + string(c)
}

func (f *raceFixture) visit(t *testing.T, v *zhagen.Visit) *zhagen.Visit {
	t.Helper()
	if v.EnterpriseID == 0 {
		v.EnterpriseID = f.entA.ID
	}
	v.Date, v.Kind = "2026-11-01", zhagen.VisitOnSite
	if v.Topics == "" {
		v.Topics = f.name("走访")
	}
	must(t, f.links.CreateVisit(f.cadre, v))
	return v
}

func (f *raceFixture) consultation(t *testing.T, invite ...int64) *zhagen.Consultation {
	t.Helper()
	c := &zhagen.Consultation{Kind: zhagen.KindTopic, Title: f.name("并发专题会"), InviteDeptIDs: invite}
	must(t, f.consults.CreateConsultation(f.dispatcher, c))
	return c
}

func (f *raceFixture) item(t *testing.T) *zhagen.ActionItem {
	t.Helper()
	it := &zhagen.ActionItem{ConsultationID: f.consultation(t).ID, Title: f.name("并发事项"), OwnerDeptID: f.edb.ID, DueDays: 3}
	must(t, f.consults.AddActionItem(f.dispatcher, it))
	return it
}

// resolved files a demand of entA and takes it to resolved.
func (f *raceFixture) resolved(t *testing.T) *zhagen.Demand {
	t.Helper()
	return f.act(t, f.staff, f.accepted(t), zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已解决，已答复企业并告知办理依据"})
}

// The demand states the workflow rows start from, each a new demand of
// entA led by the economic development bureau.
func (f *raceFixture) assigned(t *testing.T) *zhagen.Demand {
	return f.file(t, f.ent, f.name("并发诉求"))
}

func (f *raceFixture) accepted(t *testing.T) *zhagen.Demand {
	return f.act(t, f.staff, f.assigned(t), zhagen.Transition{Action: zhagen.ActAccept})
}

func (f *raceFixture) waiting(t *testing.T) *zhagen.Demand {
	return f.act(t, f.staff, f.accepted(t), zhagen.Transition{Action: zhagen.ActPause, Note: "请补充材料"})
}

func (f *raceFixture) extending(t *testing.T) *zhagen.Demand {
	return f.act(t, f.staff, f.accepted(t), zhagen.Transition{Action: zhagen.ActExtend, Days: 3, Note: "需协调"})
}

func (f *raceFixture) escalated(t *testing.T) *zhagen.Demand {
	return f.act(t, f.staff, f.accepted(t), zhagen.Transition{Action: zhagen.ActEscalate, Consultation: "联合会诊"})
}

func (f *raceFixture) returned(t *testing.T) *zhagen.Demand {
	return f.act(t, f.staff, f.assigned(t), zhagen.Transition{Action: zhagen.ActReturn, Note: "不属本局职责"})
}

func (f *raceFixture) staffCtx() context.Context      { return f.staff }
func (f *raceFixture) entCtx() context.Context        { return f.ent }
func (f *raceFixture) dispatcherCtx() context.Context { return f.dispatcher }
func (f *raceFixture) adminCtx() context.Context      { return f.admin }

// step is the row of one workflow action: raceN requests take it on a
// demand prepared by from, all with the version they read. A TargetID or
// LeadDeptID of -1 stands for another new demand of entA or for the
// planning bureau. Each of more counts rows of the demand (its id is the
// first argument) that the step adds once.
func step(action string, from func(*raceFixture, *testing.T) *zhagen.Demand, as func(*raceFixture) context.Context, tr zhagen.Transition, more ...rowCount) raceCase {
	return raceCase{"demand " + action + ", same version", func(t *testing.T, f *raceFixture) raceRun {
		d := from(f, t)
		tr := tr
		tr.Version = d.Version
		if tr.TargetID == -1 {
			tr.TargetID = f.assigned(t).ID
		}
		if tr.LeadDeptID == -1 {
			tr.LeadDeptID = f.planning.ID
		}
		rows := []rowCount{events(d.ID, tr.Action)}
		for _, c := range more {
			rows = append(rows, rowCount{c.q, []any{d.ID}, c.want})
		}
		return raceRun{do: func(int) error {
			_, err := f.demands.Transition(as(f), d.ID, tr)
			return err
		}, rows: rows}
	}}
}

// programme makes a programme with one position and one applicant.
func (f *raceFixture) programme(t *testing.T) (*zhagen.Programme, *zhagen.ProgrammePosition, *zhagen.Graduate) {
	t.Helper()
	p := &zhagen.Programme{Name: f.name("并发实践"), RegOpen: "2026-11-01", RegClose: "2026-11-30", MaxChoices: 2}
	must(t, f.talent.CreateProgramme(f.admin, p))
	pp := &zhagen.ProgrammePosition{ProgrammeID: p.ID, EnterpriseID: f.entA.ID, Title: "实习生", Majors: []string{"软件工程"}, Capacity: 1}
	must(t, f.talent.AddProgrammePosition(f.admin, pp))
	g := f.graduate(t)
	must(t, f.talent.SetChoices(f.admin, &zhagen.Application{ProgrammeID: p.ID, GraduateID: g.ID, PositionIDs: []int64{pp.ID}}))
	return p, pp, g
}

func (f *raceFixture) graduate(t *testing.T) *zhagen.Graduate {
	t.Helper()
	g := &zhagen.Graduate{Name: f.name("毕业生"), University: "福州大学", Major: "软件工程", Degree: zhagen.DegreeBachelor, GradYear: 2026, Phone: "13800000000", Consent: true}
	must(t, f.talent.CreateGraduate(f.admin, g, f.name("grad")))
	return g
}

// rowCount counts rows a race writes: the count grows by exactly want
// (perWinner: by the number of winners).
type rowCount struct {
	q    string
	args []any
	want int
}

// raceRun is one prepared race.
type raceRun struct {
	do       func(i int) error // the i-th of the identical requests
	winners  int               // 1 unless set; or raceAll, raceSome, or a count (a limit)
	loser    string            // the error code of the others: ECONFLICT unless set
	loserMsg string            // the others' exact message, when it matters
	rows     []rowCount
	after    func(t *testing.T) // more checks, once the race is over
}

type raceCase struct {
	name  string
	setup func(t *testing.T, f *raceFixture) raceRun
}

// opLogs counts the operation log entries of one action on one object.
func opLogs(action, object string, id int64) rowCount {
	return rowCount{`SELECT COUNT(*) FROM op_logs WHERE action = ? AND object_type = ? AND object_id = ?`, []any{action, object, id}, 1}
}

// events counts a demand's timeline events of one action.
func events(id int64, act zhagen.Action) rowCount {
	return rowCount{`SELECT COUNT(*) FROM demand_events WHERE demand_id = ? AND action = ?`, []any{id, string(act)}, 1}
}

// version counts the rows of table with id at version: exactly one
// winner moves it from version to version+1.
func version(table string, id, v int64) rowCount {
	return rowCount{`SELECT COUNT(*) FROM ` + table + ` WHERE id = ? AND version = ?`, []any{id, v + 1}, 1}
}

var races = []raceCase{
	// Demand workflow: every step is a versioned UPDATE.
	step("accept", (*raceFixture).assigned, (*raceFixture).staffCtx, zhagen.Transition{Action: zhagen.ActAccept}),
	{"demand accept, no version", func(t *testing.T, f *raceFixture) raceRun {
		d := f.assigned(t)
		return raceRun{do: func(int) error {
			_, err := f.demands.Transition(f.staff, d.ID, zhagen.Transition{Action: zhagen.ActAccept})
			return err
		}, rows: []rowCount{events(d.ID, zhagen.ActAccept)}}
	}},
	step("update", (*raceFixture).accepted, (*raceFixture).staffCtx, zhagen.Transition{Action: zhagen.ActUpdate, Note: "已现场踏勘"}),
	step("pause", (*raceFixture).accepted, (*raceFixture).staffCtx, zhagen.Transition{Action: zhagen.ActPause, Note: "请补充用电负荷表"}),
	step("resume", (*raceFixture).waiting, (*raceFixture).entCtx, zhagen.Transition{Action: zhagen.ActResume, Supplement: "已补充"}),
	step("extend", (*raceFixture).accepted, (*raceFixture).staffCtx, zhagen.Transition{Action: zhagen.ActExtend, Days: 3, Note: "线路走廊待协调"}),
	step("approve_extension", (*raceFixture).extending, (*raceFixture).dispatcherCtx, zhagen.Transition{Action: zhagen.ActApproveExtension, Approve: ptr(true)}),
	step("resolve", (*raceFixture).accepted, (*raceFixture).staffCtx, zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已解决，已答复企业并告知办理依据"}),
	step("return", (*raceFixture).assigned, (*raceFixture).staffCtx, zhagen.Transition{Action: zhagen.ActReturn, Note: "不属本局职责"}),
	step("escalate", (*raceFixture).accepted, (*raceFixture).staffCtx, zhagen.Transition{Action: zhagen.ActEscalate, Consultation: "联合会诊"},
		rowCount{`SELECT COUNT(*) FROM consultations WHERE demand_id = ?`, nil, 1}),
	step("waive", (*raceFixture).escalated, (*raceFixture).dispatcherCtx, zhagen.Transition{Action: zhagen.ActWaive, Note: "先行办结"}),
	step("assign", (*raceFixture).returned, (*raceFixture).dispatcherCtx, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: -1}),
	step("rate", (*raceFixture).resolved, (*raceFixture).entCtx, zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: ptr(true)},
		rowCount{`SELECT COUNT(*) FROM followups WHERE demand_id = ?`, nil, 1}),
	step("reopen", (*raceFixture).resolved, (*raceFixture).dispatcherCtx, zhagen.Transition{Action: zhagen.ActReopen, Note: "企业反映未解决"}),
	step("close", (*raceFixture).resolved, (*raceFixture).adminCtx, zhagen.Transition{Action: zhagen.ActClose}, rowCount{`SELECT COUNT(*) FROM followups WHERE demand_id = ?`, nil, 1}),
	step("withdraw", (*raceFixture).assigned, (*raceFixture).entCtx, zhagen.Transition{Action: zhagen.ActWithdraw}, rowCount{`SELECT COUNT(*) FROM followups WHERE demand_id = ?`, nil, 1}),
	// Follow-ups: the result is one UPDATE … WHERE done_at IS NULL AND
	// version = ?; an unsolved one reopens the demand once.
	{"follow-up result, once", func(t *testing.T, f *raceFixture) raceRun {
		d := f.act(t, f.ent, f.resolved(t), zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: ptr(true)})
		fus := sqldb.NewFollowUpService(f.db, f.demands)
		fs, _, err := fus.FindFollowUps(f.dispatcher, zhagen.FollowUpFilter{DemandID: d.ID})
		must(t, err)
		rec := zhagen.FollowUpRecord{Result: zhagen.FollowUpUnsolved, Method: zhagen.FollowUpPhone, Satisfaction: zhagen.RatingUnsatisfied, Note: "仍未解决"}
		return raceRun{do: func(int) error {
			_, err := fus.RecordFollowUp(f.dispatcher, fs[0].ID, rec)
			return err
		}, rows: []rowCount{events(d.ID, zhagen.ActFollowUp), events(d.ID, zhagen.ActFollowUpReopen),
			{`SELECT COUNT(*) FROM followups WHERE demand_id = ? AND done_at IS NOT NULL`, []any{d.ID}, 1},
			{`SELECT COUNT(*) FROM demands WHERE id = ? AND reopen_count = 1`, []any{d.ID}, 1}}}
	}},
	{"reply template update, same version", func(t *testing.T, f *raceFixture) raceRun {
		rs := sqldb.NewReplyTemplateService(f.db)
		tpl := &zhagen.ReplyTemplate{Title: f.name("并发模板"), Body: "已办结", DeptID: f.edb.ID}
		must(t, rs.CreateReplyTemplate(f.staff, tpl))
		return raceRun{do: func(i int) error {
			u := *tpl
			u.Body = fmt.Sprintf("已办结%d", i)
			return rs.UpdateReplyTemplate(f.staff, &u)
		}, rows: []rowCount{{`SELECT COUNT(*) FROM reply_templates WHERE id = ? AND version = 2`, []any{tpl.ID}, 1}}}
	}},
	step("merge", (*raceFixture).assigned, (*raceFixture).dispatcherCtx, zhagen.Transition{Action: zhagen.ActMerge, TargetID: -1},
		rowCount{`SELECT COUNT(*) FROM demand_links WHERE demand_id = ?`, nil, 1}),
	step("link", (*raceFixture).assigned, (*raceFixture).dispatcherCtx, zhagen.Transition{Action: zhagen.ActLink, TargetID: -1},
		rowCount{`SELECT COUNT(*) FROM demand_links WHERE demand_id = ?`, nil, 1}),
	{"demand filing, one Idempotency-Key", func(t *testing.T, f *raceFixture) raceRun {
		title := f.name("幂等提交")
		ids := make([]int64, raceN)
		return raceRun{do: func(i int) error {
			d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Title: title, Description: "双回路电力保障",
				Answers: zhagen.Answers{"load_kw": {"8000"}}}
			err := f.demands.CreateDemand(f.ent, d, "key-"+title)
			ids[i] = d.ID
			return err
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(*) FROM demands WHERE title = ?`, []any{title}, 1}},
			after: func(t *testing.T) {
				for _, id := range ids {
					if id != ids[0] {
						t.Fatalf("one key answered demands %d and %d", ids[0], id)
					}
				}
			}}
	}},
	{"demand filings, each its own id", func(t *testing.T, f *raceFixture) raceRun {
		// Filings that share group-commit batches draw their ids ahead
		// (PostgreSQL): every demand gets its own, and its timeline and
		// department rows are written under that id.
		title := f.name("并发提交")
		ids := make([]int64, raceN)
		return raceRun{do: func(i int) error {
			d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Title: fmt.Sprintf("%s%d", title, i), Description: "双回路电力保障",
				Answers: zhagen.Answers{"load_kw": {"8000"}}}
			err := f.demands.CreateDemand(f.ent, d, "")
			ids[i] = d.ID
			return err
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(*) FROM demands WHERE title LIKE ?`, []any{title + "%"}, raceN}},
			after: func(t *testing.T) {
				seen := map[int64]bool{}
				for i, id := range ids {
					if seen[id] {
						t.Fatalf("demand id %d answered twice", id)
					}
					seen[id] = true
					var got string
					var events, depts int
					must(t, f.db.SQL().QueryRow(f.db.Rebind(`SELECT title, (SELECT COUNT(*) FROM demand_events WHERE demand_id = d.id), (SELECT COUNT(*) FROM demand_depts WHERE demand_id = d.id) FROM demands d WHERE d.id = ?`), id).Scan(&got, &events, &depts))
					if want := fmt.Sprintf("%s%d", title, i); got != want || events == 0 || depts == 0 {
						t.Errorf("demand %d: title %q (want %q), %d timeline rows, %d department rows", id, got, want, events, depts)
					}
				}
			}}
	}},
	{"demand attachments, limit 20", func(t *testing.T, f *raceFixture) raceRun {
		d := f.file(t, f.ent, f.name("并发上传"))
		return raceRun{do: func(i int) error {
			_, err := f.files.AddFile(f.ent, zhagen.DemandFiles(d.ID), fmt.Sprintf("第%d页.txt", i), []byte(fmt.Sprintf("内容%d", i)))
			return err
		}, winners: zhagen.MaxFilesPerOwner, loser: zhagen.EINVALID, loserMsg: "每条诉求最多上传20个附件",
			rows: []rowCount{{`SELECT COUNT(*) FROM files WHERE owner_kind = 'demand' AND owner_id = ?`, []any{d.ID}, perWinner},
				{`SELECT COUNT(*) FROM demand_events WHERE demand_id = ? AND action = ?`, []any{d.ID, string(zhagen.ActAttach)}, perWinner}}}
	}},
	{"SLA job, each warning once", func(t *testing.T, f *raceFixture) raceRun {
		d := f.file(t, f.ent, f.name("超时"))
		later := f.clock.Now().AddDate(0, 2, 0)
		return raceRun{do: func(int) error {
			_, err := f.demands.RunSLAJob(context.Background(), later)
			return err
		}, winners: raceAll, rows: []rowCount{events(d.ID, zhagen.ActWarn),
			{`SELECT COUNT(*) FROM (SELECT demand_id, note FROM demand_events WHERE action = 'warn' GROUP BY demand_id, note HAVING COUNT(*) > 1) x`, nil, 0}}}
	}},
	// Supervision orders and the escalation ladder.
	{"supervision raise, numbers unique", func(t *testing.T, f *raceFixture) raceRun {
		d := f.accepted(t)
		return raceRun{do: func(i int) error {
			return f.sup.RaiseSupervision(f.dispatcher, &zhagen.SupervisionOrder{SubjectKind: zhagen.SubjectDemand, SubjectID: d.ID, Requirement: fmt.Sprintf("催办%d", i)})
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(*) FROM supervision_orders WHERE demand_id = ?`, []any{d.ID}, perWinner},
			{`SELECT COUNT(*) FROM demand_events WHERE demand_id = ? AND action = ?`, []any{d.ID, string(zhagen.ActSupervise)}, perWinner},
			{`SELECT COUNT(*) FROM (SELECT year, seq FROM supervision_orders GROUP BY year, seq HAVING COUNT(*) > 1) x`, nil, 0}}}
	}},
	{"supervision reply, once", func(t *testing.T, f *raceFixture) raceRun {
		o := f.order(t)
		return raceRun{do: func(i int) error {
			_, err := f.sup.ReplySupervision(f.staff, o.ID, zhagen.SupervisionReply{Progress: fmt.Sprintf("进展%d", i), PromisedDate: "2026-12-31"})
			return err
		}, rows: []rowCount{events(o.DemandID, zhagen.ActSupervise), opLogs("回复督办", "督办单", o.ID), version("supervision_orders", o.ID, 1)}}
	}},
	{"supervision reply, same version", func(t *testing.T, f *raceFixture) raceRun {
		o := f.order(t)
		return raceRun{do: func(i int) error {
			_, err := f.sup.ReplySupervision(f.staff, o.ID, zhagen.SupervisionReply{Progress: "进展", PromisedDate: "2026-12-31", Version: o.Version})
			return err
		}, rows: []rowCount{opLogs("回复督办", "督办单", o.ID)}}
	}},
	{"supervision close, once", func(t *testing.T, f *raceFixture) raceRun {
		o := f.replied(t)
		return raceRun{do: func(i int) error {
			_, err := f.sup.CloseSupervision(f.dispatcher, o.ID, zhagen.SupervisionClose{Note: "同意办结"})
			return err
		}, rows: []rowCount{opLogs("办结督办", "督办单", o.ID), version("supervision_orders", o.ID, o.Version)}}
	}},
	{"ladder job, each rung and escalation once", func(t *testing.T, f *raceFixture) raceRun {
		d := f.accepted(t)
		o := f.order(t)
		later := f.clock.Now().AddDate(0, 2, 0)
		return raceRun{do: func(int) error {
			_, err := f.sup.RunLadderJob(context.Background(), later)
			return err
		}, winners: raceAll, rows: []rowCount{
			{`SELECT COUNT(*) FROM ladder_steps WHERE demand_id = ?`, []any{d.ID}, 3}, // warn, overdue, supervise
			{`SELECT COUNT(*) FROM demand_events WHERE demand_id = ? AND action = ?`, []any{d.ID, string(zhagen.ActWarn)}, 3},
			{`SELECT COUNT(*) FROM supervision_orders WHERE demand_id = ? AND auto`, []any{d.ID}, 1},
			{`SELECT COUNT(*) FROM supervision_orders WHERE id = ? AND escalated_at IS NOT NULL`, []any{o.ID}, 1},
			{`SELECT COUNT(*) FROM outbox WHERE kind = 'supervision.escalated' AND notice LIKE ?`, []any{"%" + o.Number() + "%"}, 1}}}
	}},
	{"SLA job, each response lapse kept once", func(t *testing.T, f *raceFixture) raceRun {
		d := f.file(t, f.ent, f.name("未签收"))
		later := f.clock.Now().AddDate(0, 2, 0)
		db := f.db.SQL()
		sum := func(t *testing.T, q string) int {
			var n int
			if err := db.QueryRow(q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		return raceRun{do: func(int) error {
			_, err := f.demands.RunSLAJob(context.Background(), later)
			return err
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(*) FROM demands WHERE id = ? AND resp_lapsed = response_due`, []any{d.ID}, 1}},
			after: func(t *testing.T) {
				kept := sum(t, `SELECT COALESCE(SUM(due_response), 0) FROM demand_rollups_month`)
				rows := sum(t, `SELECT COUNT(*) FROM demands WHERE accepted_at IS NOT NULL OR (resp_lapsed = response_due AND (closed_at IS NULL OR closed_at > response_due))`)
				if kept != rows || sum(t, `SELECT COALESCE(SUM(due_response), 0) FROM demand_rollups_day`) != rows {
					t.Fatalf("due for response: kept %d, the rows give %d", kept, rows)
				}
			}}
	}},
	{"ranking weights, same version", func(t *testing.T, f *raceFixture) raceRun {
		rates := sqldb.NewRatesService(f.db)
		w, err := rates.RankingWeights(f.admin)
		if err != nil {
			t.Fatal(err)
		}
		return raceRun{do: func(int) error {
			_, err := rates.SetRankingWeights(f.admin, zhagen.RankingWeights{Response: 25, Resolution: 25, Satisfaction: 25, Timeliness: 25, Version: w.Version})
			return err
		}, rows: []rowCount{version("ranking_weights", 1, w.Version)}}
	}},
	{"cadre weights, same version", func(t *testing.T, f *raceFixture) raceRun {
		ov := sqldb.NewOversightService(f.db)
		w, err := ov.CadreWeights(f.admin)
		must(t, err)
		return raceRun{do: func(int) error {
			_, err := ov.SetCadreWeights(f.admin, zhagen.CadreWeights{Cadence: 40, Filing: 30, Outcome: 30, Version: w.Version})
			return err
		}, rows: []rowCount{version("cadre_weights", 1, w.Version)}}
	}},
	{"bulletin issue, once", func(t *testing.T, f *raceFixture) raceRun {
		ov := sqldb.NewOversightService(f.db)
		b, err := ov.CreateBulletin(f.dispatcher, "2025-01")
		must(t, err)
		return raceRun{do: func(int) error {
			_, err := ov.IssueBulletin(f.leader, b.ID, b.Version)
			return err
		}, rows: []rowCount{version("bulletins", b.ID, b.Version), opLogs("签发", "工作通报", b.ID),
			{`SELECT COUNT(*) FROM bulletins WHERE id = ? AND number = 1`, []any{b.ID}, 1}}}
	}},
	{"job tick claim", func(t *testing.T, f *raceFixture) raceRun {
		job := f.name("job")
		return raceRun{do: func(int) error {
			ok, err := f.db.ClaimTick(context.Background(), job, 7)
			if err == nil && !ok {
				err = zhagen.Errorf(zhagen.ECONFLICT, "已由其他进程执行")
			}
			return err
		}, rows: []rowCount{{`SELECT COUNT(*) FROM job_ticks WHERE name = ?`, []any{job}, 1}}}
	}},

	// Visits and linkages.
	{"visit edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		v := f.visit(t, &zhagen.Visit{})
		return raceRun{do: func(int) error {
			w := *v
			w.Topics = "修改后的议题"
			return f.links.UpdateVisit(f.cadre, v.ID, &w)
		}, rows: []rowCount{version("visits", v.ID, v.Version), opLogs("修改", "走访", v.ID)}}
	}},
	{"visit finding to demand", func(t *testing.T, f *raceFixture) raceRun {
		findings := f.name("走访发现：需要双回路供电")
		v := f.visit(t, &zhagen.Visit{Findings: findings})
		return raceRun{do: func(int) error {
			return f.links.DemandFromVisit(f.cadre, v.ID, &zhagen.Demand{CategoryID: f.power.ID, Answers: zhagen.Answers{"load_kw": {"8000"}}})
		}, rows: []rowCount{{`SELECT COUNT(*) FROM demands WHERE channel = 'visit' AND description = ?`, []any{findings}, 1}},
			after: func(t *testing.T) {
				got, err := f.links.FindVisitByID(f.cadre, v.ID)
				must(t, err)
				var n int
				must(t, f.db.SQL().QueryRow(f.db.Rebind(`SELECT COUNT(*) FROM demands WHERE id = ? AND description = ?`), got.DemandID, findings).Scan(&n))
				if n != 1 {
					t.Fatalf("visit names demand %d, not the one filed", got.DemandID)
				}
			}}
	}},
	{"visit files, limit 20", func(t *testing.T, f *raceFixture) raceRun {
		v := f.visit(t, &zhagen.Visit{})
		return raceRun{do: func(i int) error {
			_, err := f.files.AddFile(f.cadre, zhagen.VisitFiles(v.ID), fmt.Sprintf("现场%d.png", i), testPNG)
			return err
		}, winners: zhagen.MaxFilesPerOwner, loser: zhagen.EINVALID,
			rows: []rowCount{{`SELECT COUNT(*) FROM files WHERE owner_kind = 'visit' AND owner_id = ?`, []any{v.ID}, perWinner}}}
	}},
	{"linkage end", func(t *testing.T, f *raceFixture) raceRun {
		l := &zhagen.Linkage{CadreID: uid(f.cadre2), EnterpriseID: f.enterprise(t).ID, StartDate: "2026-10-01"}
		must(t, f.links.CreateLinkage(f.dispatcher, l))
		return raceRun{do: func(int) error {
			_, err := f.links.EndLinkage(f.dispatcher, l.ID, "")
			return err
		}, rows: []rowCount{version("linkages", l.ID, l.Version), opLogs("结束", "挂钩关系", l.ID)}}
	}},
	{"linkage create, same pair", func(t *testing.T, f *raceFixture) raceRun {
		ent := f.enterprise(t)
		return raceRun{do: func(int) error {
			return f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre2), EnterpriseID: ent.ID, StartDate: "2026-10-01"})
		}, rows: []rowCount{{`SELECT COUNT(*) FROM linkages WHERE enterprise_id = ?`, []any{ent.ID}, 1}}}
	}},
	{"linkage suggestion accept", func(t *testing.T, f *raceFixture) raceRun {
		f.enterprise(t)
		sg, err := f.links.RunSuggestion(f.dispatcher, zhagen.SuggestionParams{Need: 1, Capacity: 20})
		must(t, err)
		if !sg.Feasible || len(sg.Pairs) == 0 {
			t.Fatalf("suggestion %+v", sg)
		}
		return raceRun{do: func(int) error {
			_, err := f.links.AcceptSuggestion(f.dispatcher, sg.ID, nil, "")
			return err
		}, rows: []rowCount{{`SELECT COUNT(*) FROM linkages WHERE suggestion_id = ?`, []any{sg.ID}, len(sg.Pairs)}, opLogs("采纳", "挂钩建议", sg.ID)}}
	}},
	{"red flag clear", func(t *testing.T, f *raceFixture) raceRun {
		v := f.visit(t, &zhagen.Visit{Situation: &zhagen.Situation{PlansRelocate: true}})
		flags, err := f.links.FindRedFlags(f.dispatcher, true, 0)
		must(t, err)
		var id int64
		for _, fl := range flags {
			if fl.VisitID == v.ID {
				id = fl.ID
			}
		}
		if id == 0 {
			t.Fatalf("no flag raised by visit %d: %+v", v.ID, flags)
		}
		return raceRun{do: func(int) error {
			_, err := f.links.ClearRedFlag(f.dispatcher, id, "已协调")
			return err
		}, rows: []rowCount{opLogs("解除", "风险预警", id)}}
	}},
	{"red flag raised once per enterprise and rule", func(t *testing.T, f *raceFixture) raceRun {
		ent := f.enterprise(t)
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: ent.ID, StartDate: "2026-10-01"}))
		return raceRun{do: func(int) error {
			return f.links.CreateVisit(f.cadre, &zhagen.Visit{EnterpriseID: ent.ID, Date: "2026-11-01", Kind: zhagen.VisitOnSite, Topics: "外迁风险",
				Situation: &zhagen.Situation{PlansRelocate: true}})
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(*) FROM visits WHERE enterprise_id = ?`, []any{ent.ID}, raceN},
			{`SELECT COUNT(*) FROM red_flags WHERE enterprise_id = ? AND cleared_at IS NULL`, []any{ent.ID}, 1},
			{`SELECT COUNT(*) FROM outbox WHERE kind = 'visit.red_flag' AND notice LIKE ?`, []any{"%" + ent.Name + "%"}, 1}}}
	}},
	{"visit reminders", func(t *testing.T, f *raceFixture) raceRun {
		l := &zhagen.Linkage{CadreID: uid(f.cadre2), EnterpriseID: f.enterprise(t).ID, StartDate: "2026-01-05"}
		must(t, f.links.CreateLinkage(f.dispatcher, l))
		return raceRun{do: func(int) error {
			_, err := f.links.RunVisitReminders(context.Background(), f.clock.Now())
			return err
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(*) FROM visit_reminders WHERE linkage_id = ?`, []any{l.ID}, 1}}}
	}},

	// Consultations, action items, projects and milestones.
	{"consultation edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		c := f.consultation(t)
		return raceRun{do: func(int) error {
			_, err := f.consults.UpdateConsultation(f.dispatcher, c.ID, zhagen.ConsultationUpdate{Version: c.Version, Minutes: ptr("会议纪要")})
			return err
		}, rows: []rowCount{version("consultations", c.ID, c.Version), opLogs("修改", "会商", c.ID)}}
	}},
	{"consultation attendance confirm", func(t *testing.T, f *raceFixture) raceRun {
		c := f.consultation(t, f.planning.ID)
		link := fmt.Sprintf("/consultations/%d", c.ID)
		return raceRun{do: func(int) error {
			return f.consults.ConfirmAttendance(f.planStaff, c.ID, zhagen.AttendYes)
		}, rows: []rowCount{{`SELECT COUNT(*) FROM outbox WHERE kind = 'consultation.attendance' AND notice LIKE ?`, []any{"%" + link + "\"%"}, 1}}}
	}},
	{"action item complete", func(t *testing.T, f *raceFixture) raceRun {
		it := f.item(t)
		return raceRun{do: func(int) error {
			_, err := f.consults.CompleteActionItem(f.staff, it.ID, zhagen.ItemCompletion{Version: it.Version, Note: "已办结", FileName: "说明.txt", File: []byte("材料")})
			return err
		}, rows: []rowCount{version("action_items", it.ID, it.Version), opLogs("办结", "会商事项", it.ID),
			{`SELECT COUNT(*) FROM files WHERE owner_kind = 'action_item' AND owner_id = ?`, []any{it.ID}, 1}}}
	}},
	{"last action items done together, told once", func(t *testing.T, f *raceFixture) raceRun {
		d := f.act(t, f.staff, f.file(t, f.ent, f.name("并发事项")), zhagen.Transition{Action: zhagen.ActAccept})
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActEscalate, Consultation: f.name("联合会诊")})
		items := make([]*zhagen.ActionItem, raceN)
		for i := range items {
			items[i] = &zhagen.ActionItem{ConsultationID: d.ConsultationID, Title: fmt.Sprintf("事项%d", i), OwnerDeptID: f.edb.ID, DueDays: 3}
			must(t, f.consults.AddActionItem(f.dispatcher, items[i]))
		}
		return raceRun{do: func(i int) error {
			_, err := f.consults.CompleteActionItem(f.staff, items[i].ID, zhagen.ItemCompletion{Version: items[i].Version, Note: "已办结"})
			return err
		}, winners: raceAll, rows: []rowCount{
			{`SELECT COUNT(*) FROM demand_events WHERE demand_id = ? AND note LIKE ?`, []any{d.ID, "会商事项已全部完成%"}, 1},
			{`SELECT COUNT(*) FROM outbox WHERE kind = 'demand.items_done' AND notice LIKE ?`, []any{fmt.Sprintf("%%/demands/%d\"%%", d.ID)}, 1}}}
	}},
	{"action item cancel", func(t *testing.T, f *raceFixture) raceRun {
		it := f.item(t)
		return raceRun{do: func(int) error {
			_, err := f.consults.CancelActionItem(f.dispatcher, it.ID, "不再需要")
			return err
		}, rows: []rowCount{version("action_items", it.ID, it.Version), opLogs("取消", "会商事项", it.ID)}}
	}},
	{"project edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		p := &zhagen.Project{Name: f.name("并发项目"), Level: zhagen.LevelProvincial, OwnerDeptID: f.holding.ID, Industry: "光电",
			Investment: 1000, Status: zhagen.ProjectNearlyDone}
		must(t, f.projects.CreateProject(f.dispatcher, p))
		return raceRun{do: func(int) error {
			q := *p
			q.Description = "加快推进"
			return f.projects.UpdateProject(f.dispatcher, &q)
		}, rows: []rowCount{version("projects", p.ID, p.Version), opLogs("修改", "重点项目", p.ID)}}
	}},
	{"milestone edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		day := func(m, d int) time.Time { return time.Date(2027, time.Month(m), d, 0, 0, 0, 0, zhagen.Shanghai) }
		m := &zhagen.Milestone{ProjectID: f.lab.ID, Phase: "验收", Name: f.name("竣工验收"), PlannedStart: day(1, 4), PlannedEnd: day(3, 31)}
		must(t, f.projects.SaveMilestone(f.liaison, m))
		return raceRun{do: func(int) error {
			n := *m
			n.Progress = 50
			return f.projects.SaveMilestone(f.liaison, &n)
		}, rows: []rowCount{version("milestones", m.ID, m.Version), {`SELECT COUNT(*) FROM op_logs WHERE object_type = '项目节点' AND object_id = ?`, []any{m.ID}, 1}}}
	}},
	{"approval accept, same version", func(t *testing.T, f *raceFixture) raceRun {
		x := &zhagen.Approval{ProjectID: f.lab.ID, Kind: zhagen.ApprovalChange, Part: f.name("D区"), DeptID: f.planning.ID}
		must(t, f.projects.FileApproval(f.holdStaff, x))
		return raceRun{do: func(int) error {
			_, err := f.projects.StepApproval(f.planStaff, x.ID, zhagen.ApprovalStep{Action: "accept", Version: x.Version})
			return err
		}, rows: []rowCount{version("approvals", x.ID, x.Version), {`SELECT COUNT(*) FROM op_logs WHERE object_type = '审批事项' AND object_id = ? AND action <> '申报'`, []any{x.ID}, 1}}}
	}},
	{"approval decide, same version", func(t *testing.T, f *raceFixture) raceRun {
		x := &zhagen.Approval{ProjectID: f.lab.ID, Kind: zhagen.ApprovalChange, Part: f.name("D区"), DeptID: f.planning.ID}
		must(t, f.projects.FileApproval(f.holdStaff, x))
		return raceRun{do: func(int) error {
			_, err := f.projects.StepApproval(f.planStaff, x.ID, zhagen.ApprovalStep{Action: "approve", Version: x.Version, Opinion: "符合规划条件", DocNo: "榕规许〔2026〕18号"})
			return err
		}, rows: []rowCount{version("approvals", x.ID, x.Version), {`SELECT COUNT(*) FROM op_logs WHERE object_type = '审批事项' AND object_id = ? AND action <> '申报'`, []any{x.ID}, 1}}}
	}},

	// Talent.
	{"survey edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		period := fmt.Sprint(2030 + f.seq)
		f.seq++
		sv := &zhagen.Survey{Period: period, Lines: []zhagen.SurveyLine{{Major: "软件工程", Count: 3, Difficulty: 2}}}
		must(t, f.talent.SaveSurvey(f.ent, sv))
		return raceRun{do: func(int) error {
			return f.talent.SaveSurvey(f.ent, &zhagen.Survey{Period: period, Version: sv.Version, Lines: []zhagen.SurveyLine{{Major: "软件工程", Count: 5, Difficulty: 2}}})
		}, rows: []rowCount{version("surveys", sv.ID, sv.Version), opLogs("填报", "人才需求摸底", sv.ID)}}
	}},
	{"survey first filing, no version", func(t *testing.T, f *raceFixture) raceRun {
		period := fmt.Sprint(2030 + f.seq)
		f.seq++
		return raceRun{do: func(int) error {
			return f.talent.SaveSurvey(f.ent, &zhagen.Survey{Period: period, Lines: []zhagen.SurveyLine{{Major: "软件工程", Count: 5, Difficulty: 2}}})
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(*) FROM surveys WHERE enterprise_id = ? AND period = ?`, []any{f.entA.ID, period}, 1},
			{`SELECT COUNT(*) FROM surveys WHERE enterprise_id = ? AND period = ? AND version = ?`, []any{f.entA.ID, period, raceN}, 1}}}
	}},
	{"position review, same version", func(t *testing.T, f *raceFixture) raceRun {
		p := &zhagen.Position{EnterpriseID: f.entA.ID, Kind: zhagen.PositionFullTime, Title: f.name("工程师"), Number: 1, Place: "高新区"}
		must(t, f.talent.CreatePosition(f.ent, p))
		return raceRun{do: func(int) error {
			_, err := f.talent.ReviewPosition(f.admin, p.ID, p.Version, true, "")
			return err
		}, rows: []rowCount{version("positions", p.ID, p.Version), opLogs("审核", "岗位", p.ID)}}
	}},
	{"graduate edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		g := f.graduate(t)
		return raceRun{do: func(int) error {
			_, err := f.talent.UpdateGraduate(f.admin, g.ID, zhagen.GraduateUpdate{Version: g.Version, Phone: ptr("13900000000")})
			return err
		}, rows: []rowCount{version("graduates", g.ID, g.Version)}}
	}},
	{"graduate account, same login", func(t *testing.T, f *raceFixture) raceRun {
		login := f.name("grad")
		return raceRun{do: func(int) error {
			g := &zhagen.Graduate{Name: "同名", University: "福州大学", Major: "软件工程", Degree: zhagen.DegreeBachelor, GradYear: 2026, Phone: "13800000000"}
			return f.talent.CreateGraduate(f.admin, g, login)
		}, rows: []rowCount{{`SELECT COUNT(*) FROM users WHERE login = ?`, []any{login}, 1},
			{`SELECT COUNT(*) FROM graduates g JOIN users u ON u.id = g.user_id WHERE u.login = ?`, []any{login}, 1}}}
	}},
	{"programme choices, same graduate", func(t *testing.T, f *raceFixture) raceRun {
		p, pp, _ := f.programme(t)
		g := f.graduate(t)
		return raceRun{do: func(int) error {
			return f.talent.SetChoices(f.admin, &zhagen.Application{ProgrammeID: p.ID, GraduateID: g.ID, PositionIDs: []int64{pp.ID}})
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(*) FROM programme_applicants WHERE programme_id = ? AND graduate_id = ?`, []any{p.ID, g.ID}, 1},
			{`SELECT COUNT(*) FROM programme_choices WHERE programme_id = ? AND graduate_id = ?`, []any{p.ID, g.ID}, 1}}}
	}},
	{"programme withdraw", func(t *testing.T, f *raceFixture) raceRun {
		p, _, g := f.programme(t)
		return raceRun{do: func(int) error {
			return f.talent.WithdrawApplication(f.admin, p.ID, g.ID)
		}, loser: zhagen.ENOTFOUND, rows: []rowCount{opLogs("退出", "人才项目", p.ID)}}
	}},
	{"match run", func(t *testing.T, f *raceFixture) raceRun {
		p, _, _ := f.programme(t)
		return raceRun{do: func(int) error {
			_, err := f.talent.RunMatch(f.admin, p.ID)
			return err
		}, winners: raceSome, loserMsg: "该项目正在匹配中，请稍后查看结果",
			rows: []rowCount{{`SELECT COUNT(*) FROM match_runs WHERE programme_id = ? AND status = 'done'`, []any{p.ID}, perWinner}}}
	}},
	{"match publish", func(t *testing.T, f *raceFixture) raceRun {
		p, _, _ := f.programme(t)
		run, err := f.talent.RunMatch(f.admin, p.ID)
		must(t, err)
		return raceRun{do: func(int) error {
			_, err := f.talent.PublishMatch(f.admin, run.ID)
			return err
		}, rows: []rowCount{opLogs("发布", "人才项目", p.ID), {`SELECT COUNT(*) FROM outbox WHERE kind = 'match.graduate' AND notice LIKE ?`, []any{"%" + p.Name + "%"}, 1}}}
	}},

	// Administration.
	{"enterprise edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		e := f.enterprise(t)
		return raceRun{do: func(int) error {
			_, err := f.ents.UpdateEnterprise(f.admin, e.ID, zhagen.EnterpriseUpdate{Version: e.Version, Address: ptr("高新大道1号")})
			return err
		}, rows: []rowCount{version("enterprises", e.ID, e.Version)}}
	}},
	{"enterprise create, same USCC", func(t *testing.T, f *raceFixture) raceRun {
		name, code := f.name("同码企业"), f.uscc()
		return raceRun{do: func(int) error {
			return f.ents.CreateEnterprise(f.admin, &zhagen.Enterprise{Name: name, USCC: code, Industry: "光电", Park: "南屿"})
		}, rows: []rowCount{{`SELECT COUNT(*) FROM enterprises WHERE uscc = ?`, []any{code}, 1}}}
	}},
	{"industry create, same name", func(t *testing.T, f *raceFixture) raceRun {
		name := f.name("新材料")
		return raceRun{do: func(int) error {
			_, err := f.ents.CreateIndustry(f.admin, name)
			return err
		}, rows: []rowCount{{`SELECT COUNT(*) FROM industries WHERE name = ?`, []any{name}, 1}}}
	}},
	{"industry delete", func(t *testing.T, f *raceFixture) raceRun {
		ind, err := f.ents.CreateIndustry(f.admin, f.name("待删行业"))
		must(t, err)
		return raceRun{do: func(int) error {
			return f.ents.DeleteIndustry(f.admin, ind.ID)
		}, loser: zhagen.ENOTFOUND, rows: []rowCount{opLogs("删除", "行业", ind.ID)}}
	}},
	{"user edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		u, err := f.users.FindUserByID(f.admin, uid(f.cadre2))
		must(t, err)
		return raceRun{do: func(int) error {
			_, err := f.users.UpdateUser(f.admin, u.ID, zhagen.UserUpdate{Version: u.Version, Phone: ptr("13900000001")})
			return err
		}, rows: []rowCount{version("users", u.ID, u.Version)}}
	}},
	{"department edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		d := &zhagen.Department{Name: f.name("并发部门"), Kind: zhagen.DeptGov, ParentID: f.root.ID}
		must(t, f.depts.CreateDepartment(f.admin, d))
		return raceRun{do: func(int) error {
			_, err := f.depts.UpdateDepartment(f.admin, d.ID, zhagen.DepartmentUpdate{Version: d.Version, Sort: ptr(5)})
			return err
		}, rows: []rowCount{version("departments", d.ID, d.Version)}}
	}},
	{"category edit, same version", func(t *testing.T, f *raceFixture) raceRun {
		c := &zhagen.Category{Code: f.name("cat"), Name: f.name("并发类别"), Group: "其他", LeadDeptID: f.edb.ID,
			DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA(), AutoCloseDays: 7}
		must(t, f.cats.CreateCategory(f.admin, c))
		return raceRun{do: func(int) error {
			n := *c
			n.Description = "修改说明"
			_, err := f.cats.UpdateCategory(f.admin, c.ID, c.Version, &n)
			return err
		}, rows: []rowCount{version("categories", c.ID, c.Version)}}
	}},
	{"category create, same code", func(t *testing.T, f *raceFixture) raceRun {
		code, name := f.name("cat"), f.name("同码类别")
		return raceRun{do: func(int) error {
			return f.cats.CreateCategory(f.admin, &zhagen.Category{Code: code, Name: name, Group: "其他", LeadDeptID: f.edb.ID,
				DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA(), AutoCloseDays: 7})
		}, rows: []rowCount{{`SELECT COUNT(*) FROM categories WHERE code = ?`, []any{code}, 1}}}
	}},
	{"project create, same name", func(t *testing.T, f *raceFixture) raceRun {
		name := f.name("同名项目")
		return raceRun{do: func(int) error {
			return f.projects.CreateProject(f.dispatcher, &zhagen.Project{Name: name, Level: zhagen.LevelProvincial, OwnerDeptID: f.holding.ID, Industry: "光电",
				Investment: 1000, Status: zhagen.ProjectNearlyDone})
		}, rows: []rowCount{{`SELECT COUNT(*) FROM projects WHERE name = ?`, []any{name}, 1}}}
	}},
	{"programme create, same name", func(t *testing.T, f *raceFixture) raceRun {
		name := f.name("同名实践")
		return raceRun{do: func(int) error {
			return f.talent.CreateProgramme(f.admin, &zhagen.Programme{Name: name, RegOpen: "2026-11-01", RegClose: "2026-11-30", MaxChoices: 2})
		}, rows: []rowCount{{`SELECT COUNT(*) FROM programmes WHERE name = ?`, []any{name}, 1}}}
	}},
	{"service team create, same name", func(t *testing.T, f *raceFixture) raceRun {
		name := f.name("同名服务队")
		return raceRun{do: func(int) error {
			return f.talent.CreateServiceTeam(f.admin, &zhagen.ServiceTeam{Name: name, Members: []zhagen.TeamMember{{UserID: uid(f.staff), Role: "队长"}}})
		}, rows: []rowCount{{`SELECT COUNT(*) FROM service_teams WHERE name = ?`, []any{name}, 1}}}
	}},
	{"service team batch numbers", func(t *testing.T, f *raceFixture) raceRun {
		team := &zhagen.ServiceTeam{Name: f.name("选派服务队"), Members: []zhagen.TeamMember{{UserID: uid(f.staff), Role: "队长"}}}
		must(t, f.talent.CreateServiceTeam(f.admin, team))
		return raceRun{do: func(int) error {
			return f.talent.AddTeamBatch(f.admin, &zhagen.TeamBatch{TeamID: team.ID, StartDate: "2026-11-01", EndDate: "2026-11-30", EnterpriseIDs: []int64{f.entA.ID}})
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(DISTINCT no) FROM team_batches WHERE team_id = ?`, []any{team.ID}, raceN},
			{`SELECT COUNT(*) FROM team_batches WHERE team_id = ? AND no > ?`, []any{team.ID, raceN}, 0}}}
	}},
	{"intake channel create, same name", func(t *testing.T, f *raceFixture) raceRun {
		name := f.name("同名渠道")
		return raceRun{do: func(i int) error {
			_, err := f.intake.CreateIntakeChannel(f.admin, name, "key-"+name+"-0123456789abcdef")
			return err
		}, rows: []rowCount{{`SELECT COUNT(*) FROM intake_channels WHERE name = ?`, []any{name}, 1}}}
	}},
	{"calendar override delete", func(t *testing.T, f *raceFixture) raceRun {
		date := fmt.Sprintf("2027-02-%02d", 1+f.seq%28)
		f.seq++
		must(t, f.cals.SetCalendarOverride(f.admin, &zhagen.CalendarOverride{Date: date, Working: true, Name: "补班"}))
		return raceRun{do: func(int) error {
			return f.cals.DeleteCalendarOverride(f.admin, date)
		}, loser: zhagen.ENOTFOUND, rows: []rowCount{{`SELECT COUNT(*) FROM op_logs WHERE action = '删除' AND object_type = '工作日历' AND summary LIKE ?`, []any{date + "%"}, 1}}}
	}},
	{"push channel update, one version", func(t *testing.T, f *raceFixture) raceRun {
		ch := f.pushChannel(t)
		return raceRun{do: func(i int) error {
			c := *ch
			c.Name, c.Secret = fmt.Sprint("改名", i), ""
			return sqldb.NewChannelService(f.db).UpdateChannel(f.admin, &c)
		}, rows: []rowCount{version("channels", ch.ID, ch.Version), opLogs("修改", "推送渠道", ch.ID)}}
	}},
	{"dead delivery retry", func(t *testing.T, f *raceFixture) raceRun {
		ch := f.pushChannel(t)
		must(t, sqldb.NewOutbox(f.db).Enqueue(context.Background(), zhagen.Notice{Kind: "ladder.red", Severity: zhagen.SeverityUrgent,
			To: zhagen.Recipients{Roles: []zhagen.Role{zhagen.RoleAdmin}}, Title: zhagen.Msg(zhagen.NoticeText, "红灯"), Link: "/"}))
		sqldbtest.Drain(t, f.db, nil)
		var id int64
		must(t, f.db.SQL().QueryRow(f.db.Rebind(`SELECT id FROM deliveries WHERE channel_id = ?`), ch.ID).Scan(&id))
		_, err := f.db.SQL().Exec(f.db.Rebind(`UPDATE deliveries SET status = 'dead', attempts = 6 WHERE id = ?`), id)
		must(t, err)
		return raceRun{do: func(int) error {
			_, err := sqldb.NewChannelService(f.db).RetryDelivery(f.admin, id)
			return err
		}, rows: []rowCount{opLogs("重试", "推送记录", id), {`SELECT COUNT(*) FROM deliveries WHERE id = ? AND status = 'pending' AND attempts = 0`, []any{id}, 1}}}
	}},
	{"calendar override, same date", func(t *testing.T, f *raceFixture) raceRun {
		date := fmt.Sprintf("2027-01-%02d", 1+f.seq%28)
		f.seq++
		return raceRun{do: func(int) error {
			return f.cals.SetCalendarOverride(f.admin, &zhagen.CalendarOverride{Date: date, Working: false, Name: "调休"})
		}, winners: raceAll, rows: []rowCount{{`SELECT COUNT(*) FROM calendar_overrides WHERE date = ?`, []any{date}, 1}}}
	}},
}

// TestConcurrencySuite runs every race on every engine.
func TestConcurrencySuite(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newRaceFixture(t, e)
		for _, rc := range races {
			t.Run(rc.name, func(t *testing.T) { runRace(t, f, rc) })
		}
		// Whatever raced, the operation log seals into an intact chain.
		if _, err := f.db.SealAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
		if rep, err := f.db.VerifyAudit(context.Background()); err != nil || !rep.OK() {
			t.Fatalf("audit chain after the races: %v %v", rep, err)
		}
		t.Logf("%d scenarios × %d concurrent requests on %s", len(races), raceN, e.Name)
	})
}

func runRace(t *testing.T, f *raceFixture, rc raceCase) {
	r := rc.setup(t, f)
	count := func(c rowCount) int {
		var n int
		must(t, f.db.SQL().QueryRow(f.db.Rebind(c.q), c.args...).Scan(&n))
		return n
	}
	before := make([]int, len(r.rows))
	for i, c := range r.rows {
		before[i] = count(c)
	}
	errs := make([]error, raceN)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range raceN {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = r.do(i)
		}()
	}
	close(start)
	wg.Wait()

	loser := r.loser
	if loser == "" {
		loser = zhagen.ECONFLICT
	}
	won, wrong := 0, map[string]int{}
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		msg := zhagen.ErrorMessage(err)
		if zhagen.ErrorCode(err) != loser || !hasHan(msg) || (r.loserMsg != "" && msg != r.loserMsg) {
			wrong[fmt.Sprintf("%q (%v)", zhagen.ErrorCode(err), err)]++
		}
	}
	for e, n := range wrong {
		t.Errorf("%d losing requests: %s, want %s", n, e, loser)
	}
	switch want := r.winners; {
	case want == 0:
		want = 1
		fallthrough
	case want > 0:
		if won != want {
			t.Errorf("%d of %d requests won, want %d", won, raceN, want)
		}
	case want == raceAll && won != raceN:
		t.Errorf("%d of %d requests won, want all", won, raceN)
	case want == raceSome && won == 0:
		t.Errorf("no request won")
	}
	for i, c := range r.rows {
		want := c.want
		if want == perWinner {
			want = won
		}
		if got := count(c) - before[i]; got != want {
			t.Errorf("%d rows added by %s %v, want %d", got, c.q, c.args, want)
		}
	}
	if r.after != nil && !t.Failed() {
		r.after(t)
	}
	checkNoLeak(t, f.db)
}

// checkNoLeak fails when a race left a transaction slot taken or a
// connection in use: a leak on some losing path drains the pool until a
// later race waits for a connection forever.
func checkNoLeak(t *testing.T, db *sqldb.DB) {
	t.Helper()
	// The group-commit writer and a notice wake-up may still hold a
	// connection briefly; a leak never goes back.
	for range 200 {
		if db.TxSlotsTaken() == 0 && db.SQL().Stats().InUse == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("after the race: %d transaction slots taken, %d connections in use", db.TxSlotsTaken(), db.SQL().Stats().InUse)
}

// pushChannel makes an enabled webhook channel of its own.
func (f *raceFixture) pushChannel(t *testing.T) *zhagen.PushChannel {
	ch := &zhagen.PushChannel{Name: f.name("推送渠道"), Kind: zhagen.ChannelWebhook, Enabled: true, URL: "http://127.0.0.1:9/", Secret: "race-secret-0123456789"}
	must(t, sqldb.NewChannelService(f.db).CreateChannel(f.admin, ch))
	return ch
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
