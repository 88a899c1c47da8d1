package demo

import (
	"context"
	"fmt"
	"sort"

	"zhagen"
)

// The visits of the year of history: every linked cadre visits each of
// its enterprises on the linkage's cadence from the day the linkage
// began, a few days early or late, with gaps (most cadres miss one visit
// in ten, a few one in three), up to the weeks the routine visits of the
// linkage step cover; and on the day a cadre filed a demand from a visit
// there is that visit, its finding the demand's title. Deterministic by
// visitSeed; loaded once (a second load finds the past visits there).
const (
	visitSeed = 20250924
	// visitRecent is the days before today that the routine visits
	// (linkage.go) already cover.
	visitRecent = 40
)

var visitTopics = []string{"日常走访：生产经营情况", "政策宣讲与惠企政策兑现", "了解用工与招聘情况", "安全生产与用电用水情况",
	"了解订单与产能利用情况", "听取企业对营商环境的意见建议", "跟进前期诉求办理情况"}

// visitHistory logs the past visits of the history; plan is the demand
// history (its visit-channel demands get their visit).
func (l *loader) visitHistory(ctx context.Context, w *historyWorld, plan []zhagen.HistoryDemand) error {
	s := l.s.Linkages
	if s == nil {
		return nil
	}
	today := w.now.In(zhagen.Shanghai)
	cut := today.AddDate(0, 0, -visitRecent).Format("2006-01-02")
	yes := true
	links, _, err := s.FindLinkages(ctx, zhagen.LinkageFilter{Active: &yes})
	if err != nil {
		return err
	}
	sort.Slice(links, func(i, j int) bool { return links[i].ID < links[j].ID })
	if len(links) == 0 {
		return nil
	}
	// Loaded already: the first linkage has a visit before the cut.
	old, _, err := s.FindVisits(ctx, zhagen.VisitFilter{EnterpriseID: links[0].EnterpriseID, CadreID: links[0].CadreID, Limit: 100})
	if err != nil {
		return err
	}
	for _, v := range old {
		if v.Date < cut {
			return nil
		}
	}
	// The days cadres filed demands from visits, per cadre and enterprise.
	filed := map[[2]int64]map[string]string{}
	for _, h := range plan {
		if h.Demand.Channel != zhagen.ChannelVisit || h.Filer == nil {
			continue
		}
		k := [2]int64{h.Filer.UserID, h.Demand.EnterpriseID}
		if filed[k] == nil {
			filed[k] = map[string]string{}
		}
		filed[k][h.At.In(zhagen.Shanghai).Format("2006-01-02")] = h.Demand.Title
	}
	r := &rng{s: visitSeed}
	cadreMiss := map[int64]int{}
	zero, steady := 0, 0.0
	for _, lk := range links {
		miss, ok := cadreMiss[lk.CadreID]
		if !ok {
			miss = 10 // percent of visits missed
			if r.intn(100) < 20 {
				miss = 35
			}
			cadreMiss[lk.CadreID] = miss
		}
		start, ok := zhagen.ParseDay(lk.StartDate)
		if !ok {
			continue
		}
		days := map[string]string{} // date → finding
		for d := start.AddDate(0, 0, 3+r.intn(10)); d.Format("2006-01-02") < cut; d = d.AddDate(0, 0, lk.CadenceDays-4+r.intn(9)) {
			if r.intn(100) < miss {
				continue
			}
			days[d.Format("2006-01-02")] = ""
		}
		for day, title := range filed[[2]int64{lk.CadreID, lk.EnterpriseID}] {
			if day < cut {
				days[day] = title
			}
		}
		dates := make([]string, 0, len(days))
		for d := range days {
			dates = append(dates, d)
		}
		sort.Strings(dates)
		for i, day := range dates {
			v := &zhagen.Visit{EnterpriseID: lk.EnterpriseID, CadreID: lk.CadreID, Status: zhagen.VisitLogged, Date: day,
				Kind:         []zhagen.VisitKind{zhagen.VisitOnSite, zhagen.VisitOnSite, zhagen.VisitPhone, zhagen.VisitVideo}[(i+int(lk.ID))%4],
				Participants: lk.CadreName, Topics: visitTopics[(i+int(lk.EnterpriseID))%len(visitTopics)],
				Situation:   &zhagen.Situation{Output: "经营正常", OrdersChangePct: &steady, Layoffs: &zero},
				PublicNotes: "走访了解企业近况，宣讲惠企政策"}
			if f := days[day]; f != "" {
				v.Findings, v.Topics = "企业反映："+f, "走访发现问题："+f
			}
			if err := s.CreateVisit(ctx, v); err != nil {
				return fmt.Errorf("past visit of %s on %s: %w", lk.EnterpriseName, day, err)
			}
			l.linkT.visits++
		}
	}
	return nil
}
