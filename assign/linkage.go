package assign

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Cadre is a cadre who may be linked to enterprises.
type Cadre struct {
	ID       string
	Capacity int  // most enterprises the cadre may take (m)
	Senior   bool // 处级: may be the senior cadre a key enterprise needs
}

// Enterprise is an enterprise to be linked to cadres.
type Enterprise struct {
	ID   string
	Need int  // cadres the enterprise needs (r)
	Key  bool // key enterprise: at least one of its cadres must be senior
}

// Candidate is a pair that may be linked, by indexes into
// [Linkage.Cadres] and [Linkage.Enterprises], with its cost: the worse
// the fit, the higher (any int64; negative costs are allowed).
type Candidate struct {
	Cadre, Enterprise int
	Cost              int64
}

// Linkage is the linkage suggestion problem: choose candidate pairs so
// that every enterprise gets exactly Need distinct cadres, a key
// enterprise at least one senior among them, and no cadre more than its
// Capacity enterprises, at least total cost.
type Linkage struct {
	Cadres      []Cadre
	Enterprises []Enterprise
	Candidates  []Candidate
}

// LinkageResult is an optimal linkage.
type LinkageResult struct {
	Pairs []Candidate // the chosen candidates, in the order given
	Cost  int64       // their total cost
}

// Constraint names the constraint a [LinkageError] found unsatisfiable.
type Constraint string

// The constraints of a linkage, checked in this order.
const (
	// ConstraintCapacity: the cadres' capacities add up to less than
	// the enterprises' needs.
	ConstraintCapacity Constraint = "capacity"
	// ConstraintSenior: the senior cadres' capacities add up to less
	// than the number of key enterprises.
	ConstraintSenior Constraint = "senior"
	// ConstraintCandidates: an enterprise has fewer candidate cadres
	// than it needs.
	ConstraintCandidates Constraint = "candidates"
	// ConstraintSeniorCandidate: a key enterprise has no senior
	// candidate.
	ConstraintSeniorCandidate Constraint = "senior-candidate"
	// ConstraintPairs: the counts add up, but no assignment satisfies
	// the candidate pairs and capacities together; the error names a
	// group of enterprises whose candidates cannot cover them.
	ConstraintPairs Constraint = "pairs"
)

// LinkageError explains why no linkage satisfies the constraints. It
// matches [ErrInfeasible].
type LinkageError struct {
	Constraint  Constraint
	Enterprises []int  // the enterprises concerned (indexes), if any
	Message     string // a sentence in Chinese and English
}

func (e *LinkageError) Error() string { return "assign: no linkage: " + e.Message }

// Is reports whether target is [ErrInfeasible].
func (e *LinkageError) Is(target error) bool { return target == ErrInfeasible }

// Validate checks the input: non-negative capacities and needs, a key
// enterprise needing at least one cadre, candidates within range and no
// pair listed twice. Its errors concern the input, not feasibility.
func (l *Linkage) Validate() error {
	for i, c := range l.Cadres {
		if c.Capacity < 0 {
			return fmt.Errorf("assign: cadre %d (%s): capacity %d is negative", i, c.ID, c.Capacity)
		}
	}
	for j, e := range l.Enterprises {
		if e.Need < 0 {
			return fmt.Errorf("assign: enterprise %d (%s): need %d is negative", j, e.ID, e.Need)
		}
		if e.Key && e.Need == 0 {
			return fmt.Errorf("assign: enterprise %d (%s): a key enterprise needs at least one cadre", j, e.ID)
		}
	}
	for k, p := range l.Candidates {
		if p.Cadre < 0 || p.Cadre >= len(l.Cadres) || p.Enterprise < 0 || p.Enterprise >= len(l.Enterprises) {
			return fmt.Errorf("assign: candidate %d: cadre %d or enterprise %d out of range", k, p.Cadre, p.Enterprise)
		}
	}
	order := make([]int, len(l.Candidates))
	for k := range order {
		order[k] = k
	}
	pair := func(k int) Candidate { return l.Candidates[k] }
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(pair(a).Cadre, pair(b).Cadre), cmp.Compare(pair(a).Enterprise, pair(b).Enterprise), cmp.Compare(a, b))
	})
	for i := 1; i < len(order); i++ {
		a, b := pair(order[i-1]), pair(order[i])
		if a.Cadre == b.Cadre && a.Enterprise == b.Enterprise {
			return fmt.Errorf("assign: candidates %d and %d both pair cadre %d with enterprise %d", order[i-1], order[i], a.Cadre, a.Enterprise)
		}
	}
	return nil
}

// linkageNet is the flow network of a linkage: node 0 is the source,
// nodes 1..C the cadres, then per enterprise one demand node ("slot"), or
// two for a key enterprise: a senior slot taking one unit from senior
// candidates only, which passes up to Need−1 further units on to the
// enterprise's general slot taking Need−1 units from anyone.
type linkageNet struct {
	g        *MinCostFlow
	slotOf   []int // per node: the enterprise a slot belongs to, or -1
	demand   []int64
	senior   []bool // per node: a senior slot
	candArc  []int  // per candidate: its arc
	nodes    int
	capacity int64 // total cadre capacity
}

func (l *Linkage) network(costs bool) *linkageNet {
	nc, ne := len(l.Cadres), len(l.Enterprises)
	n := 1 + nc + ne
	for _, e := range l.Enterprises {
		if e.Key {
			n++
		}
	}
	net := &linkageNet{g: NewMinCostFlow(n), slotOf: make([]int, n), demand: make([]int64, n),
		senior: make([]bool, n), candArc: make([]int, len(l.Candidates)), nodes: n}
	g := net.g
	for v := range net.slotOf {
		net.slotOf[v] = -1
	}
	general := make([]int, ne) // general slot of each enterprise
	seniorSlot := make([]int, ne)
	v := 1 + nc
	var need int64
	for j, e := range l.Enterprises {
		need += int64(e.Need)
		general[j], seniorSlot[j] = v, v
		net.slotOf[v] = j
		v++
		if e.Key {
			seniorSlot[j] = v
			net.slotOf[v], net.senior[v] = j, true
			v++
			net.demand[seniorSlot[j]] = 1
			net.demand[general[j]] = int64(e.Need - 1)
			g.AddArc(seniorSlot[j], general[j], 0, int64(e.Need-1), 0)
		} else {
			net.demand[general[j]] = int64(e.Need)
		}
	}
	for w, d := range net.demand {
		g.SetSupply(w, -d)
	}
	g.SetSupply(0, need)
	for i, c := range l.Cadres {
		g.AddArc(0, 1+i, 0, int64(c.Capacity), 0)
		net.capacity += int64(c.Capacity)
	}
	for k, p := range l.Candidates {
		to := general[p.Enterprise]
		if l.Enterprises[p.Enterprise].Key && l.Cadres[p.Cadre].Senior {
			to = seniorSlot[p.Enterprise]
		}
		var c int64
		if costs {
			c = p.Cost
		}
		net.candArc[k] = g.AddArc(1+p.Cadre, to, 0, 1, c)
	}
	return net
}

// Solve returns an optimal linkage. When none exists it returns a
// [*LinkageError] (matching [ErrInfeasible]) naming the constraint that
// fails: the counting conditions first (total capacity, senior capacity,
// each enterprise's candidates), then, by a maximum flow, a group of
// enterprises whose candidate cadres cannot cover their needs together.
// Invalid input gives the error of [Linkage.Validate].
func (l *Linkage) Solve() (*LinkageResult, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if err := l.countingCheck(); err != nil {
		return nil, err
	}
	net := l.network(true)
	cost, err := net.g.Solve()
	if errors.Is(err, ErrInfeasible) {
		return nil, l.explain()
	}
	if err != nil {
		return nil, err
	}
	res := &LinkageResult{Cost: cost}
	for k, a := range net.candArc {
		if net.g.Flow(a) > 0 {
			res.Pairs = append(res.Pairs, l.Candidates[k])
		}
	}
	return res, nil
}

// countingCheck tests the counting conditions in the order of the
// constraints.
func (l *Linkage) countingCheck() error {
	var capacity, seniorCap, need, keys int64
	for _, c := range l.Cadres {
		capacity += int64(c.Capacity)
		if c.Senior {
			seniorCap += int64(c.Capacity)
		}
	}
	for _, e := range l.Enterprises {
		need += int64(e.Need)
		if e.Key {
			keys++
		}
	}
	if capacity < need {
		return &LinkageError{Constraint: ConstraintCapacity, Message: fmt.Sprintf(
			"干部可联系企业的总数 %d 少于企业所需干部总数 %d (the cadres' capacities add up to %d, less than the %d cadres the enterprises need)",
			capacity, need, capacity, need)}
	}
	if seniorCap < keys {
		return &LinkageError{Constraint: ConstraintSenior, Message: fmt.Sprintf(
			"处级干部最多联系 %d 家企业，少于重点企业数 %d (senior cadres can take %d enterprises, fewer than the %d key enterprises that each need one)",
			seniorCap, keys, seniorCap, keys)}
	}
	cands := make([]int, len(l.Enterprises))
	seniors := make([]int, len(l.Enterprises))
	for _, p := range l.Candidates {
		if c := l.Cadres[p.Cadre]; c.Capacity > 0 {
			cands[p.Enterprise]++
			if c.Senior {
				seniors[p.Enterprise]++
			}
		}
	}
	for j, e := range l.Enterprises {
		if cands[j] < e.Need {
			return &LinkageError{Constraint: ConstraintCandidates, Enterprises: []int{j}, Message: fmt.Sprintf(
				"企业 %s 需要 %d 名干部，但只有 %d 名候选干部 (enterprise %s needs %d cadres but has %d candidates)",
				e.ID, e.Need, cands[j], e.ID, e.Need, cands[j])}
		}
		if e.Key && seniors[j] == 0 {
			return &LinkageError{Constraint: ConstraintSeniorCandidate, Enterprises: []int{j}, Message: fmt.Sprintf(
				"重点企业 %s 没有处级候选干部 (key enterprise %s has no senior (处级) candidate)", e.ID, e.ID)}
		}
	}
	return nil
}

// explain finds a group of enterprises whose candidates cannot cover them:
// it computes a maximum flow (a min-cost flow with unit-cost slack arcs
// for unmet demand and zero-cost candidates), then collects the nodes
// from which an unmet demand is reachable in the residual graph. All arcs
// into that set are saturated and none leaves it with flow, so its demand
// exceeds what any assignment can bring in: a certificate.
func (l *Linkage) explain() error {
	net := l.network(false)
	g := net.g
	real := g.NumArcs() // the slack arcs come after the real ones
	slack := make([]int, net.nodes)
	for w, d := range net.demand {
		slack[w] = -1
		if d > 0 {
			slack[w] = g.AddArc(0, w, 0, d, 1)
		}
	}
	if _, err := g.Solve(); err != nil {
		return err // cannot happen: the slack arcs make it feasible
	}
	// Residual graph over the real arcs, searched backwards from the
	// slots with unmet demand.
	in := make([][]int, net.nodes) // residual arcs into each node, by tail
	for a := range real {
		u, v, f := int(g.tail[a]), int(g.head[a]), g.Flow(a)
		if f < g.cap[a] {
			in[v] = append(in[v], u)
		}
		if f > 0 {
			in[u] = append(in[u], v)
		}
	}
	mark := make([]bool, net.nodes)
	var stack []int
	for w, a := range slack {
		if a >= 0 && g.Flow(a) > 0 {
			mark[w] = true
			stack = append(stack, w)
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range in[v] {
			if !mark[u] {
				mark[u] = true
				stack = append(stack, u)
			}
		}
	}
	var need, unmet int64
	var ents []int
	onlySenior := true
	for w, j := range net.slotOf {
		if j < 0 || !mark[w] || net.demand[w] == 0 {
			continue
		}
		need += net.demand[w]
		if a := slack[w]; a >= 0 {
			unmet += g.Flow(a)
		}
		ents = append(ents, j)
		onlySenior = onlySenior && net.senior[w]
	}
	slices.Sort(ents)
	ents = slices.Compact(ents)
	ids := make([]string, len(ents))
	for i, j := range ents {
		ids[i] = l.Enterprises[j].ID
	}
	list := strings.Join(ids, "、")
	listEn := strings.Join(ids, ", ")
	msg := fmt.Sprintf("候选配对与容量下无可行方案：企业 %s 共需 %d 名干部，其候选干部最多只能提供 %d 名 (no assignment satisfies the candidate pairs and capacities: enterprises %s need %d cadres in all, but their candidates can provide at most %d)",
		list, need, need-unmet, listEn, need, need-unmet)
	if onlySenior {
		msg = fmt.Sprintf("候选配对与容量下无可行方案：重点企业 %s 共需 %d 名处级干部，其处级候选干部最多只能提供 %d 名 (no assignment satisfies the candidate pairs and capacities: key enterprises %s need %d senior cadres in all, but their senior candidates can provide at most %d)",
			list, need, need-unmet, listEn, need, need-unmet)
	}
	return &LinkageError{Constraint: ConstraintPairs, Enterprises: ents, Message: msg}
}
