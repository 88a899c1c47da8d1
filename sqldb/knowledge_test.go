package sqldb_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// Similar keeps an enterprise to its own demands, finds across
// enterprises for the command centre, and sees a demand filed after the
// index was built.
func TestKnowledgeSimilarScope(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		k := z.Knowledge
		k.IndexRefresh = 0
		s, err := k.Similar(z.As("ent"), "厂房报建二期", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range s.Demands {
			if d.Demand.EnterpriseID != z.IDs["ent:A"] {
				t.Fatalf("enterprise A sees demand #%d of enterprise %d", d.Demand.ID, d.Demand.EnterpriseID)
			}
		}
		s, err = k.Similar(z.As("disp"), "厂房报建二期", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Demands) == 0 || s.Demands[0].Demand.ID != z.IDs["demand:B"] {
			t.Fatalf("dispatcher's similar = %+v, want demand B first", s.Demands)
		}
		d := &zhagen.Demand{EnterpriseID: z.IDs["ent:A"], CategoryID: z.IDs["category:A"], Title: "夜间频繁跳闸影响生产", Description: "配电房设备老化"}
		if err := z.Demands.CreateDemand(z.As("ent"), d, ""); err != nil {
			t.Fatal(err)
		}
		s, err = k.Similar(z.As("ent"), "晚上老是跳闸", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Demands) != 1 || s.Demands[0].Demand.ID != d.ID {
			t.Fatalf("after filing, similar = %+v, want the new demand", s.Demands)
		}
		if _, err := k.Similar(z.As("grad"), "跳闸", 0); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("graduate: err = %v, want EFORBIDDEN", err)
		}
		dups, pending, err := k.Duplicates(z.As("disp"), d.ID)
		if err != nil || pending {
			t.Fatalf("duplicates: pending %v, %v", pending, err)
		}
		for _, x := range dups {
			if x.Demand.ID == d.ID {
				t.Fatal("a demand is its own duplicate")
			}
		}
		if _, _, err := k.Duplicates(z.As("ent"), d.ID); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("enterprise duplicates: err = %v", err)
		}
		sg, err := k.Suggest(z.As("disp"), "跳闸", "")
		if err != nil {
			t.Fatal(err)
		}
		if sg.Examples == 0 || len(sg.Categories) == 0 {
			t.Fatalf("suggestion = %+v", sg)
		}
	})
}

// An entry is the department's, hidden from enterprises until reviewed;
// an edit on a stale version is refused; helped counts.
func TestKnowledgeEntries(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		k := z.Knowledge
		en := &zhagen.KnowledgeEntry{Question: "研发费用补助怎么申报？", Answer: "每年三月在惠企平台申报，需提交研发费用专项审计报告。", ValidFrom: "2026-01-01"}
		if err := k.SaveEntry(z.As("staff"), en); err != nil {
			t.Fatal(err)
		}
		if en.DeptID != z.IDs["dept:edb"] {
			t.Fatalf("entry dept = %d, want the staff's", en.DeptID)
		}
		if err := k.SaveEntry(z.As("ent"), &zhagen.KnowledgeEntry{Question: "问", Answer: "答"}); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("enterprise writes an entry: %v", err)
		}
		if err := k.SaveEntry(z.As("staff"), &zhagen.KnowledgeEntry{Question: "", Answer: "答"}); zhagen.ErrorCode(err) != zhagen.EINVALID {
			t.Fatalf("empty question: %v", err)
		}
		if got, _ := k.FindEntries(z.As("ent"), zhagen.KnowledgeFilter{Q: "研发费用补助申报"}); len(got) != 0 {
			t.Fatalf("enterprise sees an entry not reviewed: %+v", got)
		}
		if _, err := k.ReviewEntry(z.As("staff"), en.ID, en.Version); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("staff reviews: %v", err)
		}
		if _, err := k.ReviewEntry(z.As("disp"), en.ID, en.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := k.ReviewEntry(z.As("disp"), en.ID, en.Version); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Fatalf("second review of the same version: %v", err)
		}
		got, err := k.FindEntries(z.As("ent"), zhagen.KnowledgeFilter{Q: "研发补助如何申报"})
		if err != nil || len(got) == 0 || got[0].ID != en.ID {
			t.Fatalf("enterprise search = %+v, %v", got, err)
		}
		for _, g := range got {
			if !g.Reviewed {
				t.Fatalf("enterprise search finds entry %d not reviewed", g.ID)
			}
		}
		if err := k.EntryHelped(z.As("ent"), en.ID); err != nil {
			t.Fatal(err)
		}
		stale := *en
		stale.Answer = "改"
		if err := k.SaveEntry(z.As("staff"), &stale); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Fatalf("stale edit: %v", err)
		}
		cur, err := k.FindEntry(z.As("staff"), en.ID)
		if err != nil || cur.Helped != 1 || !cur.Reviewed {
			t.Fatalf("entry = %+v, %v", cur, err)
		}
		if err := k.SaveEntry(z.As("buildstaff"), cur); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("another department edits: %v", err)
		}
	})
}

// A topic's single answer is recorded once on each of its demands, as a
// public step the enterprise reads, and told to each enterprise.
func TestTopicAnswer(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		k := z.Knowledge
		tp := &zhagen.Topic{Title: "园区道路破损", Month: "2026-11", LeadDeptID: z.IDs["dept:edb"], DemandIDs: []int64{z.IDs["demand:A"], z.IDs["demand:B"]}}
		if err := k.AdoptTopic(z.As("staff"), tp); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("staff adopts: %v", err)
		}
		if err := k.AdoptTopic(z.As("disp"), &zhagen.Topic{Title: "一件", Month: "2026-11", LeadDeptID: tp.LeadDeptID, DemandIDs: tp.DemandIDs[:1]}); zhagen.ErrorCode(err) != zhagen.EINVALID {
			t.Fatalf("a topic of one demand: %v", err)
		}
		if err := k.AdoptTopic(z.As("disp"), tp); err != nil {
			t.Fatal(err)
		}
		if ts, err := k.FindTopics(z.As("buildstaff")); err != nil || len(ts) != 0 {
			t.Fatalf("another department sees %d topics, %v", len(ts), err)
		}
		if _, err := k.AnswerTopic(z.As("buildstaff"), tp.ID, tp.Version, "统一答复：已安排道路养护单位修补。"); zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			t.Fatalf("another department answers: %v", err)
		}
		if _, err := k.AnswerTopic(z.As("staff"), tp.ID, tp.Version, "短"); zhagen.ErrorCode(err) != zhagen.EINVALID {
			t.Fatalf("short answer: %v", err)
		}
		answer := "统一答复：园区道路已列入本月养护计划，十个工作日内完成修补。"
		got, err := k.AnswerTopic(z.As("staff"), tp.ID, tp.Version, answer)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != zhagen.TopicAnswered || got.Enterprises != 2 {
			t.Fatalf("topic = %+v", got)
		}
		if _, err := k.AnswerTopic(z.As("staff"), tp.ID, tp.Version, answer); zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			t.Fatalf("second answer: %v", err)
		}
		for _, who := range []struct{ login, demand string }{{"ent", "demand:A"}, {"ent2", "demand:B"}} {
			evs, err := z.Demands.FindDemandEvents(z.As(who.login), z.IDs[who.demand])
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, ev := range evs {
				if ev.Action == zhagen.ActTopic && ev.Public {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%s sees %d topic steps on %s, want 1", who.login, n, who.demand)
			}
		}
		var notices int
		if err := z.DB.SQL().QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind = 'topic.answered'`).Scan(&notices); err != nil {
			t.Fatal(err)
		}
		if notices != 1 {
			t.Fatalf("%d topic.answered notices, want 1", notices)
		}
	})
}

// The dispatch evaluation trains over the whole history, so it is kept
// for the model's age: a demand routed meanwhile shows only once that
// has passed. An enterprise may not ask for it.
func TestDispatchEvalKept(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		k := z.Knowledge
		if _, err := k.DispatchEval(z.As("ent")); zhagen.ErrorCode(err) != zhagen.EFORBIDDEN {
			t.Fatalf("enterprise asks for the evaluation: %v", err)
		}
		first, err := k.DispatchEval(z.As("disp"))
		if err != nil {
			t.Fatal(err)
		}
		n := first.Train + first.Test
		d := &zhagen.Demand{EnterpriseID: z.IDs["ent:A"], CategoryID: z.IDs["category:A"], Title: "夜间频繁跳闸影响生产", Description: "配电房设备老化"}
		if err := z.Demands.CreateDemand(z.As("ent"), d, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := z.Demands.Transition(z.As("disp"), d.ID, zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: z.IDs["dept:edb"]}); err != nil {
			t.Fatal(err)
		}
		again, err := k.DispatchEval(z.As("admin"))
		if err != nil || again != first {
			t.Fatalf("within the model's age: %v, same result %v", err, again == first)
		}
		z.Clock.T = z.Clock.T.Add(k.ModelMaxAge + time.Minute)
		later, err := k.DispatchEval(z.As("disp"))
		if err != nil {
			t.Fatal(err)
		}
		if later == first || later.Train+later.Test != n+1 {
			t.Fatalf("after the model's age: %d demands evaluated, want %d", later.Train+later.Test, n+1)
		}
	})
}

// The model learns from the latest ModelWindow routed demands only, and
// is evaluated on the same ones; unrouted demands take no place in it.
func TestModelLearnsLatestWindow(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		z := sqldbtest.NewZone(t, e)
		k := z.Knowledge
		k.ModelWindow = 0 // all
		all, err := k.RoutedDemands(z.As("admin"))
		if err != nil || len(all) < 4 {
			t.Fatalf("the zone has %d routed demands (%v); the test needs 4", len(all), err)
		}
		// The newest demand, left unrouted: the window ends before it.
		var newest int64
		if err := z.DB.SQL().QueryRow(`SELECT MAX(id) FROM demands`).Scan(&newest); err != nil {
			t.Fatal(err)
		}
		if _, err := z.DB.SQL().Exec(`UPDATE demands SET lead_dept_id = NULL WHERE id = ` + strconv.FormatInt(newest, 10)); err != nil {
			t.Fatal(err)
		}
		if all[len(all)-1].ID == newest {
			all = all[:len(all)-1]
		}
		k.ModelWindow = 3
		got, err := k.RoutedDemands(z.As("admin"))
		if err != nil {
			t.Fatal(err)
		}
		var ids, want []int64
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		for _, r := range all[len(all)-3:] {
			want = append(want, r.ID)
		}
		if !slices.Equal(ids, want) {
			t.Fatalf("window of 3: ids %v, want the latest routed %v", ids, want)
		}
		k.ModelWindow = len(all) + 5 // longer than the history: all of it
		if got, err := k.RoutedDemands(z.As("admin")); err != nil || len(got) != len(all) {
			t.Fatalf("window longer than the history: %d demands, want %d (%v)", len(got), len(all), err)
		}
		k.ModelWindow = 3
		ev, err := k.DispatchEval(z.As("disp"))
		if err != nil || ev.Train+ev.Test != 3 {
			t.Fatalf("evaluation over the window: %+v, %v", ev, err)
		}
	})
}
