package sqldb

import (
	"context"
	"slices"
	"strings"

	"zhagen"
)

// Coverage counts, per department and per cadre, the active linkages
// the caller's PermCoverageView reaches whose enterprise was visited
// within the cadence.
func (s *LinkageService) Coverage(ctx context.Context) (*zhagen.CoverageReport, error) {
	yes := true
	links, _, err := s.findLinkages(ctx, zhagen.PermCoverageView, zhagen.LinkageFilter{Active: &yes})
	if err != nil {
		return nil, err
	}
	today := s.db.today()
	rep := &zhagen.CoverageReport{Total: zhagen.Coverage{Name: "合计"}, Depts: []*zhagen.Coverage{}, Cadres: []*zhagen.Coverage{}}
	depts, cadres := map[int64]*zhagen.Coverage{}, map[int64]*zhagen.Coverage{}
	entSeen, entVisited := map[int64]bool{}, map[int64]bool{}
	get := func(m map[int64]*zhagen.Coverage, list *[]*zhagen.Coverage, id int64, name string) *zhagen.Coverage {
		c := m[id]
		if c == nil {
			c = &zhagen.Coverage{ID: id, Name: name}
			m[id] = c
			*list = append(*list, c)
		}
		return c
	}
	for _, l := range links {
		// Visited within the cadence: the last logged visit is at most
		// CadenceDays old (a visit before the linkage began counts too,
		// as long as it is recent enough).
		ok := l.LastVisit != "" && addDays(l.LastVisit, l.CadenceDays) >= today
		for _, c := range []*zhagen.Coverage{get(depts, &rep.Depts, l.DeptID, l.DeptName), get(cadres, &rep.Cadres, l.CadreID, l.CadreName)} {
			c.Linked++
			if ok {
				c.Visited++
			}
		}
		entSeen[l.EnterpriseID] = true
		entVisited[l.EnterpriseID] = entVisited[l.EnterpriseID] || ok
	}
	for id := range entSeen {
		rep.Total.Linked++
		if entVisited[id] {
			rep.Total.Visited++
		}
	}
	all := append(append([]*zhagen.Coverage{&rep.Total}, rep.Depts...), rep.Cadres...)
	for _, c := range all {
		if c.Linked > 0 {
			c.Percent = float64(int(float64(c.Visited)*1000/float64(c.Linked)+0.5)) / 10
		}
	}
	byPct := func(a, b *zhagen.Coverage) int {
		if a.Percent != b.Percent {
			if a.Percent < b.Percent {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	}
	slices.SortFunc(rep.Depts, byPct)
	slices.SortFunc(rep.Cadres, byPct)
	return rep, nil
}
