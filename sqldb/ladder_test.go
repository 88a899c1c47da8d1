package sqldb_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"zhagen"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// ladderFixture is the demand fixture on one database with two "servers"
// (two handles on it, each with its supervision service), department
// heads by rank and a leader.
type ladderFixture struct {
	*demandFixture
	servers                   []*sqldb.SupervisionService
	sup                       *sqldb.SupervisionService
	edbHead, rootHead         int64
	leader, staffID, supplyID int64
	dispatcherID              int64
	leaderCtx, edbHeadCtx     context.Context
}

func newLadderFixture(t *testing.T, e sqldbtest.Engine) *ladderFixture {
	t.Helper()
	dsn := e.DSN(t)
	var second *sqldb.DB
	base := newFixtureOn(t, func(c zhagen.Clock) *sqldb.DB {
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, c)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		must(t, db.Migrate(ctx))
		second, err = sqldb.Open(ctx, dsn, c)
		must(t, err)
		t.Cleanup(func() { second.Close() })
		return db
	})
	f := &ladderFixture{demandFixture: newDemandFixtureOn(t, base)}
	cal, err := sla.NewCalendar(sla.Config{})
	must(t, err)
	f.servers = []*sqldb.SupervisionService{sqldb.NewSupervisionService(f.db, cal), sqldb.NewSupervisionService(second, cal)}
	f.sup = f.servers[0]
	ranked := func(login string, role zhagen.Role, dept int64, rank string) (int64, context.Context) {
		u := &zhagen.User{Login: login, Name: login, Roles: []zhagen.Role{role}, DeptID: dept, Rank: rank, Password: f.password}
		must(t, f.users.CreateUser(f.admin, u))
		tok, err := f.auth.CreateToken(f.admin, u.ID, "test", 0)
		must(t, err)
		a, err := f.auth.ActorByToken(context.Background(), tok.Token)
		must(t, err)
		return u.ID, zhagen.NewContextWithActor(context.Background(), a)
	}
	f.edbHead, f.edbHeadCtx = ranked("edbhead", zhagen.RoleStaff, f.edb.ID, "正处级")
	f.rootHead, _ = ranked("roothead", zhagen.RoleStaff, f.root.ID, "厅级")
	f.leader, f.leaderCtx = ranked("leader", zhagen.RoleLeader, 0, "")
	f.staffID = zhagen.ActorFromContext(f.staff).UserID
	f.supplyID = zhagen.ActorFromContext(f.supplyStaff).UserID
	f.dispatcherID = zhagen.ActorFromContext(f.dispatcher).UserID
	return f
}

// run runs the ladder job at now on both servers at once, twice each,
// and returns the sum of what the runs recorded.
func (f *ladderFixture) run(t *testing.T, now time.Time) sqldb.LadderResult {
	t.Helper()
	f.clock.T = now
	var mu sync.Mutex
	var wg sync.WaitGroup
	sum := sqldb.LadderResult{Rungs: map[zhagen.LadderRung]int{}}
	for i := range 4 {
		wg.Add(1)
		go func(s *sqldb.SupervisionService) {
			defer wg.Done()
			res, err := s.RunLadderJob(context.Background(), now)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for r, n := range res.Rungs {
				sum.Rungs[r] += n
			}
			sum.Orders += res.Orders
			sum.Escalated += res.Escalated
		}(f.servers[i%2])
	}
	wg.Wait()
	f.drain(t)
	return sum
}

// told lists the in-app messages written since the id after, as
// "kind→login@time" sorted.
func (f *ladderFixture) told(t *testing.T, after int64) ([]string, int64) {
	t.Helper()
	rows, err := f.db.SQL().Query(`SELECT n.id, o.kind, u.login, n.created_at FROM notifications n JOIN outbox o ON o.id = n.outbox_id
		JOIN users u ON u.id = n.user_id WHERE n.id > ` + fmt.Sprint(after) + ` ORDER BY n.id`)
	must(t, err)
	defer rows.Close()
	var out []string
	last := after
	for rows.Next() {
		var id int64
		var kind, login string
		var at time.Time
		must(t, rows.Scan(&id, &kind, &login, &at))
		out = append(out, kind+"→"+login+"@"+at.In(zhagen.Shanghai).Format("01-02 15:04"))
		last = max(last, id)
	}
	must(t, rows.Err())
	sort.Strings(out)
	return out, last
}

func at(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, zhagen.Shanghai)
}

// TestLadderEndToEnd walks one demand past every rung of the ladder on
// the 2026 calendar across the National Day holiday (10-01..10-07, with
// the make-up Saturday 10-10), with two servers running the job at the
// same time, and checks who was told, when, once each; then the
// supervision order the ladder raised escalates once for want of a reply.
func TestLadderEndToEnd(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLadderFixture(t, e)
		f.clock.T = at(9, 30, 16, 0)
		// The command centre's group robot forwards the 督办 group (the
		// ladder and the orders): each of those notices goes to it once.
		robot := &zhagen.PushChannel{Name: "督办群机器人", Kind: zhagen.ChannelWebhook, Enabled: true, URL: "http://127.0.0.1:9/robot",
			Secret: "s3cret-robot", Groups: []zhagen.NoticeGroup{zhagen.GroupSupervision}, MinSeverity: zhagen.SeverityInfo}
		must(t, sqldb.NewChannelService(f.db).CreateChannel(f.admin, robot))
		d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Priority: zhagen.PriorityHigh, Title: "国庆前用电", Description: "d",
			Answers: zhagen.Answers{"load_kw": {"1"}}}
		must(t, f.demands.CreateDemand(f.dispatcher, d, ""))
		f.drain(t)
		// Cooperating departments are told when they are added.
		assigned, last := f.told(t, 0)
		if !contains(assigned, "demand.assigned→supply@09-30 16:00") {
			t.Fatalf("the cooperating department was not told of the assignment: %v", assigned)
		}
		// Due 10-10 16:00 (make-up Saturday); response due 10-08 11:00.
		if !d.ResolutionDue.Equal(at(10, 10, 16, 0)) || !d.ResponseDue.Equal(at(10, 8, 11, 0)) {
			t.Fatalf("due %v, response due %v", d.ResolutionDue, d.ResponseDue)
		}

		step := func(now time.Time, want map[zhagen.LadderRung]int, wantTold ...string) {
			t.Helper()
			res := f.run(t, now)
			for _, r := range zhagen.LadderRungs {
				if res.Rungs[r] != want[r] {
					t.Fatalf("%s: rung %s recorded %d times, want %d (%+v)", now.Format("01-02 15:04"), r, res.Rungs[r], want[r], res.Rungs)
				}
			}
			var got []string
			got, last = f.told(t, last)
			sort.Strings(wantTold)
			if strings.Join(got, "\n") != strings.Join(wantTold, "\n") {
				t.Fatalf("%s: told\n%s\nwant\n%s", now.Format("01-02 15:04"), strings.Join(got, "\n"), strings.Join(wantTold, "\n"))
			}
		}
		none := map[zhagen.LadderRung]int{}
		// During the holiday nothing is due.
		step(at(10, 5, 10, 0), none)
		step(at(10, 8, 10, 59), none)
		// 1. The response limit passes: the lead department's head and the dispatcher.
		step(at(10, 8, 11, 0), map[zhagen.LadderRung]int{zhagen.RungResponseOverdue: 1},
			"ladder.response_overdue→edbhead@10-08 11:00", "ladder.response_overdue→dispatcher@10-08 11:00")
		step(at(10, 8, 11, 5), none)
		f.clock.T = at(10, 8, 11, 30)
		d = f.act(t, f.staff, d, zhagen.Transition{Action: zhagen.ActAccept})
		// 71 % used on 10-09 17:00: no warning yet.
		step(at(10, 9, 17, 0), none)
		got, err := f.demands.FindDemandByID(f.dispatcher, d.ID)
		must(t, err)
		if got.Light.Tone != "green" || got.Light.Pct != 71 || got.Light.Kind != "resolution" {
			t.Fatalf("light at 71 %%: %+v", got.Light)
		}
		// 2. 79 % used on the make-up Saturday: the handling staff.
		step(at(10, 10, 9, 30), map[zhagen.LadderRung]int{zhagen.RungResolutionWarn: 1},
			"ladder.resolution_warn→staff@10-10 09:30", "ladder.resolution_warn→edbhead@10-10 09:30")
		got, err = f.demands.FindDemandByID(f.dispatcher, d.ID)
		must(t, err)
		if got.Light.Tone != "yellow" || got.Light.Pct != 79 || !got.Light.Due.Equal(at(10, 10, 16, 0)) {
			t.Fatalf("light at 79 %%: %+v", got.Light)
		}
		// 3. Overdue: the head, and the cooperating department that its part is late.
		step(at(10, 10, 16, 0), map[zhagen.LadderRung]int{zhagen.RungOverdue: 1},
			"ladder.overdue→edbhead@10-10 16:00", "ladder.coop_late→supply@10-10 16:00")
		got, _ = f.demands.FindDemandByID(f.dispatcher, d.ID)
		if got.Light.Tone != "red" {
			t.Fatalf("light overdue: %+v", got.Light)
		}
		// 4. Two working days past the limit (Sunday 10-11 does not count):
		// 10-13 16:00, a supervision order to the head, the leader in copy.
		step(at(10, 13, 15, 59), none)
		step(at(10, 13, 16, 0), map[zhagen.LadderRung]int{zhagen.RungSupervise: 1},
			"supervision.raised→edbhead@10-13 16:00", "supervision.raised→leader@10-13 16:00")
		step(at(10, 14, 9, 0), none)

		orders, err := f.sup.FindSupervisions(f.dispatcher, zhagen.SupervisionFilter{Open: true})
		must(t, err)
		if len(orders) != 1 {
			t.Fatalf("%d orders", len(orders))
		}
		o := orders[0]
		// 16 working hours from 10-13 16:00: 10-16 10:00.
		if !o.Auto || o.DeptID != f.edb.ID || o.Number() != "督办〔2026〕第1号" || !o.ReplyDue.Equal(at(10, 16, 10, 0)) || o.DemandID != d.ID ||
			o.SubjectTitle != "国庆前用电" || o.DeptName != f.edb.Name {
			t.Fatalf("order %+v", o)
		}
		// 5. No reply by 10-16 10:00: escalated once, to the head of the
		// department above, and the dispatchers (the ladder raised it).
		step(at(10, 16, 9, 59), none)
		res := f.run(t, at(10, 16, 10, 0))
		if res.Escalated != 1 {
			t.Fatalf("escalated %d times", res.Escalated)
		}
		var esc []string
		esc, last = f.told(t, last)
		want := []string{"supervision.escalated→dispatcher@10-16 10:00", "supervision.escalated→roothead@10-16 10:00"}
		if strings.Join(esc, ",") != strings.Join(want, ",") {
			t.Fatalf("escalation told %v, want %v", esc, want)
		}
		if res := f.run(t, at(10, 16, 11, 0)); res.Escalated != 0 {
			t.Fatal("escalated twice")
		}

		// Each rung is on the timeline once and counted for the department.
		events, err := f.demands.FindDemandEvents(f.dispatcher, d.ID)
		must(t, err)
		var warns, supervise int
		for _, ev := range events {
			switch ev.Action {
			case zhagen.ActWarn:
				warns++
			case zhagen.ActSupervise:
				supervise++
			}
		}
		if warns != 4 || supervise != 2 { // four rungs; the order raised and escalated
			t.Fatalf("timeline: %d ladder steps, %d supervision steps", warns, supervise)
		}
		counts, err := f.sup.LadderCounts(f.dispatcher)
		must(t, err)
		if len(counts) != 4 {
			t.Fatalf("counts %+v", counts)
		}
		for _, c := range counts {
			if c.DeptID != f.edb.ID || c.Count != 1 {
				t.Fatalf("count %+v", c)
			}
		}
		// The supply company's staff see no counts of the bureau.
		if cs, err := f.sup.LadderCounts(f.supplyStaff); err != nil || len(cs) != 0 {
			t.Fatalf("supply sees counts %v %v", cs, err)
		}

		// On the robot's channel: every ladder and supervision notice once,
		// nothing else (the demand's own notices are another group).
		f.drain(t)
		rows, err := f.db.SQL().Query(`SELECT o.kind, COUNT(x.id) FROM outbox o LEFT JOIN deliveries x ON x.outbox_id = o.id AND x.channel_id = ` +
			fmt.Sprint(robot.ID) + ` GROUP BY o.id, o.kind ORDER BY o.id`)
		must(t, err)
		var onRobot []string
		for rows.Next() {
			var kind string
			var n int
			must(t, rows.Scan(&kind, &n))
			ladder := strings.HasPrefix(kind, "ladder.") || strings.HasPrefix(kind, "supervision.")
			if ladder && n != 1 || !ladder && n != 0 {
				t.Errorf("notice %s: %d deliveries on the robot's channel, want %d", kind, n, map[bool]int{true: 1}[ladder])
			}
			if n > 0 {
				onRobot = append(onRobot, kind)
			}
		}
		must(t, rows.Err())
		rows.Close()
		sort.Strings(onRobot)
		want = []string{"ladder.coop_late", "ladder.overdue", "ladder.resolution_warn", "ladder.response_overdue", "supervision.escalated", "supervision.raised"}
		if strings.Join(onRobot, ",") != strings.Join(want, ",") {
			t.Errorf("on the robot's channel: %v, want %v", onRobot, want)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestLadderReadsPageByPage: with pages of two demands, five demands
// past their response limit each climb the rung once, whichever page
// they are on, with two servers running the job at once.
func TestLadderReadsPageByPage(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		defer sqldb.SetLadderPageSize(2)()
		f := newLadderFixture(t, e)
		f.clock.T = at(9, 30, 16, 0)
		for i := range 5 {
			d := &zhagen.Demand{EnterpriseID: f.entA.ID, CategoryID: f.power.ID, Priority: zhagen.PriorityHigh, Title: fmt.Sprintf("用电 %d", i), Description: "d",
				Answers: zhagen.Answers{"load_kw": {"1"}}}
			must(t, f.demands.CreateDemand(f.dispatcher, d, ""))
		}
		if res := f.run(t, at(10, 8, 11, 0)); res.Rungs[zhagen.RungResponseOverdue] != 5 {
			t.Fatalf("response overdue recorded %d times, want 5 (%+v)", res.Rungs[zhagen.RungResponseOverdue], res.Rungs)
		}
		if res := f.run(t, at(10, 8, 12, 0)); res.Rungs[zhagen.RungResponseOverdue] != 0 {
			t.Fatalf("a second run recorded %d more, want none", res.Rungs[zhagen.RungResponseOverdue])
		}
	})
}
