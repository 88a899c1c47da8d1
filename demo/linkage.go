package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"zhagen"
)

// linkageResult is what the linkage step did, for the report.
type linkageResult struct {
	links, visits, flags int
	fresh                bool // the linkages came from a suggestion accepted by this run
}

// linkages links the cadres to the enterprises from an accepted linkage
// suggestion (one cadre per enterprise, at most two enterprises per
// cadre, a 处级 cadre for every key enterprise) and logs a handful of
// visits, one of them with plans to relocate, which raises a red flag,
// and plans one.
// Existing linkages or visits are left alone, so a second run changes
// nothing.
func (l *loader) linkages(ctx context.Context) error {
	s := l.s.Linkages
	if s == nil {
		return nil
	}
	yes := true
	links, _, err := s.FindLinkages(ctx, zhagen.LinkageFilter{Active: &yes})
	if err != nil {
		return err
	}
	if len(links) == 0 {
		sg, err := s.RunSuggestion(ctx, zhagen.SuggestionParams{Need: 1, Capacity: 2})
		if err != nil {
			return err
		}
		if !sg.Feasible {
			return fmt.Errorf("linkage suggestion infeasible: %s", sg.Message)
		}
		// The linkages began when the zone launched the routine, about
		// five months before the run (dated by the store's clock).
		start := sg.CreatedAt.In(zhagen.Shanghai).AddDate(0, 0, -linkedDaysAgo).Format("2006-01-02")
		if _, err := s.AcceptSuggestion(ctx, sg.ID, nil, start); err != nil {
			return err
		}
		if links, _, err = s.FindLinkages(ctx, zhagen.LinkageFilter{Active: &yes}); err != nil {
			return err
		}
		l.linkT.fresh = true
	}
	l.linkT.links = len(links)
	_, n, err := s.FindVisits(ctx, zhagen.VisitFilter{Limit: 1})
	if err != nil || n > 0 {
		l.linkT.visits = n
		return err
	}
	// The visits go first to the enterprises of the fixed cadre login,
	// then to the first enterprises in name order; the enterprise of the
	// fixed enterprise login gets the fourth (talent) visit, so that its
	// users see the public part of a visit.
	cadreID, entID := int64(0), int64(0)
	if us, _, err := l.s.Users.FindUsers(ctx, zhagen.UserFilter{Login: "cadre", Limit: 1}); err == nil && len(us) == 1 {
		cadreID = us[0].ID
	}
	if us, _, err := l.s.Users.FindUsers(ctx, zhagen.UserFilter{Login: "enterprise", Limit: 1}); err == nil && len(us) == 1 {
		entID = us[0].EnterpriseID
	}
	var picks []*zhagen.Linkage
	var entLink *zhagen.Linkage
	for _, lk := range links {
		if lk.CadreID == cadreID {
			picks = append(picks, lk)
		} else if lk.EnterpriseID == entID && entLink == nil {
			entLink = lk
		}
	}
	for _, lk := range links {
		if len(picks) == 3 && entLink != nil {
			picks = append(picks, entLink)
		}
		if lk.CadreID != cadreID && lk != entLink && len(picks) < 6 {
			picks = append(picks, lk)
		}
	}
	pct := func(x float64) *float64 { return &x }
	num := func(x int) *int { return &x }
	plans := []struct {
		kind      zhagen.VisitKind
		topics    string
		situation zhagen.Situation
		findings  string
		public    string
	}{
		{zhagen.VisitOnSite, "二期扩产与用电保障", zhagen.Situation{Output: "订单饱满，产线满负荷", OrdersChangePct: pct(18), Employees: num(420), Layoffs: num(0),
			PowerWater: "二期需新增8000千瓦负荷，希望双回路供电", PlansExpand: true}, "二期厂房投产需要双回路供电，负荷约8000千瓦", "了解企业二期建设进度，宣讲用电报装政策"},
		{zhagen.VisitPhone, "季度经营情况", zhagen.Situation{Output: "经营平稳", OrdersChangePct: pct(-5), Employees: num(130), Layoffs: num(0)}, "", "电话了解季度经营情况"},
		{zhagen.VisitOnSite, "厂房租约与发展规划", zhagen.Situation{Output: "订单下滑，部分产线停产", OrdersChangePct: pct(-22), Employees: num(260), Layoffs: num(0),
			LandSpace: "现租厂房明年到期，周边无合适空间", PlansRelocate: true}, "厂房租约明年到期，企业正在考察外省园区，需协调用地与空间", "走访企业，了解厂房续租困难"},
		{zhagen.VisitVideo, "人才招聘", zhagen.Situation{Talent: "缺少高级工艺工程师", Employees: num(85)}, "希望协助对接高校招聘高级工艺工程师", "视频连线了解人才需求"},
		{zhagen.VisitOnSite, "政策兑现", zhagen.Situation{PolicyNeeds: "研发费用补助申报", OrdersChangePct: pct(6)}, "", "宣讲研发费用补助政策"},
		{zhagen.VisitPhone, "融资需求", zhagen.Situation{Financing: "需流动资金贷款2000万元", OrdersChangePct: pct(3)}, "需要流动资金贷款约2000万元，希望对接银行", "电话了解融资需求"},
	}
	today, err := l.storeToday(ctx)
	if err != nil {
		return err
	}
	if err := l.routineVisits(ctx, links, picks, today); err != nil {
		return err
	}
	// The story's visits are recent; the fixed cadre login's second
	// enterprise was visited 27 days ago, so its next visit is due within
	// a week.
	storyDaysAgo := []int{2, 27, 8, 11, 14, 17} // one per plan
	for i, lk := range picks {
		if i >= len(plans) {
			break
		}
		p := plans[i]
		situation := p.situation
		v := &zhagen.Visit{EnterpriseID: lk.EnterpriseID, CadreID: lk.CadreID, Status: zhagen.VisitLogged, Date: dayBefore(today, storyDaysAgo[i]), Kind: p.kind,
			Participants: lk.CadreName, Topics: p.topics, Situation: &situation, Findings: p.findings, PublicNotes: p.public}
		if d, ok := zhagen.ParseDay(v.Date); ok && p.kind == zhagen.VisitOnSite {
			// Checked in on the phone at the gate of the enterprise (高新区, 南屿一带).
			v.CheckIn = &zhagen.CheckIn{Lat: 26.0612 + float64(i)*0.0037, Long: 119.2135 + float64(i)*0.0051, Accuracy: float64(8 + 3*i),
				At: time.Date(d.Year(), d.Month(), d.Day(), 9, 20+i, 0, 0, zhagen.Shanghai)}
		}
		if err := s.CreateVisit(ctx, v); err != nil {
			return fmt.Errorf("visit of %s: %w", lk.EnterpriseName, err)
		}
		l.linkT.visits++
		l.linkT.flags += len(v.Flags)
	}
	// The fixed cadre login also has a visit planned for next week.
	if len(picks) > 0 && picks[0].CadreID == cadreID {
		lk := picks[0]
		v := &zhagen.Visit{EnterpriseID: lk.EnterpriseID, CadreID: lk.CadreID, Status: zhagen.VisitPlanned, Kind: zhagen.VisitOnSite,
			Date: dayBefore(today, -7), Topics: "回访二期用电报装进度"}
		if err := s.CreateVisit(ctx, v); err != nil {
			return fmt.Errorf("planned visit of %s: %w", lk.EnterpriseName, err)
		}
		l.linkT.visits++
	}
	return nil
}

// linkedDaysAgo is how long before the demo load the linkages began.
const linkedDaysAgo = 370

// storeToday is the store's current day, read off the newest linkage run
// (the store's clock may differ from the loader's in tests).
func (l *loader) storeToday(ctx context.Context) (time.Time, error) {
	runs, err := l.s.Linkages.FindSuggestions(ctx)
	if err != nil || len(runs) == 0 {
		return time.Time{}, fmt.Errorf("no linkage run to date the visits: %v", err)
	}
	return runs[0].CreatedAt.In(zhagen.Shanghai), nil
}

// dayBefore is the day n days before t, as YYYY-MM-DD.
func dayBefore(t time.Time, n int) string { return t.AddDate(0, 0, -n).Format("2006-01-02") }

// routineVisits gives every linked enterprise but the story's ones (skip)
// a plain on-site visit 1 to 38 days ago, so that about one in five is
// overdue on a 30-day cadence and coverage and reminders have something
// to show. The answers trigger no red flag.
func (l *loader) routineVisits(ctx context.Context, links, skip []*zhagen.Linkage, today time.Time) error {
	topics := []string{"日常走访：生产经营情况", "政策宣讲与惠企政策兑现", "了解用工与招聘情况", "安全生产与用电用水情况"}
	zero, steady := 0, 0.0
	for i, lk := range links {
		if slices.Contains(skip, lk) {
			continue
		}
		v := &zhagen.Visit{EnterpriseID: lk.EnterpriseID, CadreID: lk.CadreID, Status: zhagen.VisitLogged, Kind: zhagen.VisitOnSite,
			Date: dayBefore(today, 1+(i*11)%38), Participants: lk.CadreName, Topics: topics[i%len(topics)],
			Situation:   &zhagen.Situation{Output: "经营正常", OrdersChangePct: &steady, Layoffs: &zero},
			PublicNotes: "走访了解企业近况，宣讲惠企政策"}
		if err := l.s.Linkages.CreateVisit(ctx, v); err != nil {
			return fmt.Errorf("routine visit of %s: %w", lk.EnterpriseName, err)
		}
		l.linkT.visits++
	}
	return nil
}

// linkageReport is the summary line of the linkage step.
func (l *loader) linkageReport() string {
	if l.s.Linkages == nil {
		return ""
	}
	how := "已存在"
	if l.linkT.fresh {
		how = "来自已采纳的挂钩建议"
	}
	return fmt.Sprintf("  挂钩关系  %d（%s），走访记录 %d，风险预警 %d\n", l.linkT.links, how, l.linkT.visits, l.linkT.flags)
}
