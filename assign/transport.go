package assign

import (
	"fmt"
	"math"
)

// Transport is a min-cost flow problem of the linkage's shape, solved by
// successive shortest paths on the bipartite graph itself: one source s
// feeds left nodes (cadres) through one arc each (its capacity is the
// cadre's), left nodes reach right nodes (enterprises) through arcs of
// capacity 1, and each right node drains into one sink t through one arc
// whose capacity, its need, must be filled: the needs add up to the
// supply. All lower bounds are 0.
//
// The solver keeps node potentials under which every residual arc has a
// non-negative reduced cost. It starts from each enterprise's cheapest
// arc (greedily taken where the cadre has room), then for every unit
// still needed runs Dijkstra from the enterprise over the residual graph
// (unused arc: enterprise → cadre; used arc: cadre → enterprise) and stops
// at the first cadre with room, updating only the potentials of the
// nodes it settled (Jonker–Volgenant). On random sparse instances most
// searches end a few nodes away, which is what makes it faster than a
// general min-cost flow algorithm there. Problems of any other shape go
// to [MinCostFlow].
type Transport struct {
	nL, nR int
	// Arcs by right node (CSR): arcs of right node r are first[r]:first[r+1].
	first  []int32
	left   []int32 // the arc's left node
	cost   []int64 // the arc's cost, with the s- and t-arc costs folded in
	right  []int32 // the arc's right node
	capL   []int64 // room of each left node
	need   []int64 // need of each right node
	origin []int32 // the problem's arc index of each arc, for Flow

	// Solution.
	used   []bool  // arc carries a unit
	slots  []int32 // used arcs per left node: slotAt[l]:slotAt[l]+count[l]
	slotAt []int32
	count  []int32

	n       int // the problem's node count (for errors)
	sNode   int // the problem's source
	nodeOfR []int32
	sArc    []int32 // the problem's s→left arc of each left node
	tArc    []int32 // the problem's right→t arc of each right node
	flows   []int64 // per problem arc, after Solve
}

// minTransportSlack is the least room the cadres must leave for the
// transport solver to be chosen: the cadres' usable capacity (each at
// most its arc count) over the units needed. Measured on the generated
// linkage family (10,000 cadres, 50 candidates each; alternating runs on
// a loaded machine, so read the ratios): with 2 % room or more it beat
// cost scaling by 3–15×; with under 1 % room the last searches span most
// of the graph and cost scaling was 2–4× faster.
const minTransportSlack = 1.015

// transport returns the problem as a [*Transport] when it has that shape,
// numbers small enough for exact arithmetic, and usable capacity at
// least minSlack times the units needed; else nil.
func (p *Problem) transport(minSlack float64) *Transport {
	if p.Kind != KindMinCostFlow || p.Nodes < 2 {
		return nil
	}
	s, t := -1, -1
	for v, x := range p.Supply {
		switch {
		case x > 0 && s < 0:
			s = v
		case x < 0 && t < 0:
			t = v
		case x != 0:
			return nil
		}
	}
	if s < 0 || t < 0 || p.Supply[s] != -p.Supply[t] {
		return nil
	}
	const (
		other = iota
		isLeft
		isRight
	)
	role := make([]uint8, p.Nodes)
	sArc := make([]int32, p.Nodes)
	tArc := make([]int32, p.Nodes)
	for a := range p.Tail {
		u, v := int(p.Tail[a]), int(p.Head[a])
		if p.Low[a] != 0 || u == v || v == s || u == t {
			return nil
		}
		switch {
		case u == s:
			if v == t || role[v] != other {
				return nil // s→t directly, a second s-arc, or a right node
			}
			role[v], sArc[v] = isLeft, int32(a)
		case v == t:
			if role[u] != other {
				return nil
			}
			role[u], tArc[u] = isRight, int32(a)
		}
	}
	tr := &Transport{n: p.Nodes, sNode: s}
	idx := make([]int32, p.Nodes)
	var sumNeed, maxAbs int64
	for v, r := range role {
		switch r {
		case isLeft:
			idx[v] = int32(tr.nL)
			tr.nL++
			tr.capL = append(tr.capL, p.Cap[sArc[v]])
			tr.sArc = append(tr.sArc, sArc[v])
			maxAbs = max(maxAbs, abs64(p.Cost[sArc[v]]))
		case isRight:
			idx[v] = int32(tr.nR)
			tr.nR++
			tr.need = append(tr.need, p.Cap[tArc[v]])
			tr.tArc = append(tr.tArc, tArc[v])
			tr.nodeOfR = append(tr.nodeOfR, int32(v))
			sumNeed += p.Cap[tArc[v]]
			maxAbs = max(maxAbs, abs64(p.Cost[tArc[v]]))
			if sumNeed > p.Supply[s] {
				return nil // a right node need not be filled: not this shape
			}
		default:
			if v != s && v != t {
				return nil // a node off the three layers
			}
		}
	}
	if sumNeed != p.Supply[s] {
		return nil
	}
	// The middle arcs: left → right, capacity 1.
	deg := make([]int32, tr.nR+1)
	m := 0
	for a := range p.Tail {
		u, v := int(p.Tail[a]), int(p.Head[a])
		if u == s || v == t {
			continue
		}
		if role[u] != isLeft || role[v] != isRight || p.Cap[a] != 1 {
			return nil
		}
		if p.Cost[a] == math.MinInt64 {
			return nil
		}
		maxAbs = max(maxAbs, abs64(p.Cost[a]))
		deg[idx[v]+1]++
		m++
	}
	// Path lengths stay below (3·maxAbs)·(2·nodes); keep them far from int64's end.
	if maxAbs > (1<<60)/(6*int64(p.Nodes+1)) {
		return nil
	}
	var usable int64
	degL := make([]int64, tr.nL)
	for a := range p.Tail {
		if u, v := int(p.Tail[a]), int(p.Head[a]); u != s && v != t {
			degL[idx[u]]++
		}
	}
	for l, d := range degL {
		usable += min(d, tr.capL[l])
	}
	if float64(usable) < minSlack*float64(sumNeed) {
		return nil
	}
	tr.first = make([]int32, tr.nR+1)
	for r := range tr.nR {
		tr.first[r+1] = tr.first[r] + deg[r+1]
	}
	tr.left, tr.right = make([]int32, m), make([]int32, m)
	tr.cost, tr.origin = make([]int64, m), make([]int32, m)
	fill := make([]int32, tr.nR)
	copy(fill, tr.first[:tr.nR])
	for a := range p.Tail {
		u, v := int(p.Tail[a]), int(p.Head[a])
		if u == s || v == t {
			continue
		}
		r := idx[v]
		k := fill[r]
		fill[r]++
		tr.left[k], tr.right[k], tr.origin[k] = idx[u], r, int32(a)
		tr.cost[k] = p.Cost[a] + p.Cost[sArc[u]] + p.Cost[tArc[v]]
	}
	return tr
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// Solve computes the optimal cost; [*InfeasibleError] when the needs
// cannot all be filled within the capacities and arcs.
func (tr *Transport) Solve() (int64, error) {
	m := len(tr.left)
	tr.used = make([]bool, m)
	tr.flows = nil
	// Slots: a left node can use at most min(capacity, degree) arcs.
	degL := make([]int32, tr.nL)
	for _, l := range tr.left {
		degL[l]++
	}
	tr.slotAt, tr.count = make([]int32, tr.nL+1), make([]int32, tr.nL)
	for l := range tr.nL {
		tr.slotAt[l+1] = tr.slotAt[l] + int32(min(int64(degL[l]), tr.capL[l]))
	}
	tr.slots = make([]int32, tr.slotAt[tr.nL])

	// Potentials: reduced cost of enterprise→cadre arc a is
	// cost[a] + piR[r] - piL[l] ≥ 0, of the used arc's reverse
	// -cost[a] - piR[r] + piL[l] ≥ 0 (so 0 on used arcs here).
	piL := make([]int64, tr.nL)
	piR := make([]int64, tr.nR)
	left := make([]int64, tr.nR) // units still needed
	for r := range tr.nR {
		left[r] = tr.need[r]
		lo, hi := tr.first[r], tr.first[r+1]
		if int64(hi-lo) < tr.need[r] {
			return 0, &InfeasibleError{Node: int(tr.nodeOfR[r]), Reason: fmt.Sprintf("node %d needs %d units but has %d arcs", tr.nodeOfR[r]+1, tr.need[r], hi-lo)}
		}
		if hi == lo {
			continue
		}
		best := tr.cost[lo]
		for k := lo + 1; k < hi; k++ {
			best = min(best, tr.cost[k])
		}
		piR[r] = -best
		// Greedy: the cheapest arcs, where the cadre has room.
		for k := lo; k < hi && left[r] > 0; k++ {
			if tr.cost[k] == best && tr.room(tr.left[k]) {
				tr.use(int32(k))
				left[r]--
			}
		}
	}

	sp := newShortestPaths(tr)
	for r := range tr.nR {
		for left[r] > 0 {
			if !sp.augment(int32(r), piL, piR) {
				return 0, tr.infeasible(int32(r), left[r])
			}
			left[r]--
		}
	}
	var total int64
	for k, u := range tr.used {
		if u {
			total += tr.cost[k]
		}
	}
	return total, nil
}

// room reports whether cadre l can take one more enterprise.
func (tr *Transport) room(l int32) bool {
	return int64(tr.count[l]) < tr.capL[l] && tr.count[l] < tr.slotAt[l+1]-tr.slotAt[l]
}

func (tr *Transport) infeasible(r int32, short int64) error {
	return &InfeasibleError{Node: int(tr.nodeOfR[r]), Reason: fmt.Sprintf("node %d cannot get %d more units within the capacities", tr.nodeOfR[r]+1, short)}
}

// use puts arc k into its cadre's next slot.
func (tr *Transport) use(k int32) {
	l := tr.left[k]
	tr.slots[tr.slotAt[l]+tr.count[l]] = k
	tr.count[l]++
	tr.used[k] = true
}

// Flow returns the flow of the problem's arc a after Solve.
func (tr *Transport) Flow(a int) int64 {
	if tr.flows == nil {
		tr.flows = make([]int64, tr.numProblemArcs())
		for k, u := range tr.used {
			if u {
				tr.flows[tr.origin[k]] = 1
			}
		}
		for l := range tr.nL {
			tr.flows[tr.sArc[l]] = int64(tr.count[l])
		}
		for r := range tr.nR {
			tr.flows[tr.tArc[r]] = tr.need[r]
		}
	}
	return tr.flows[a]
}

func (tr *Transport) numProblemArcs() int {
	n := len(tr.left)
	return n + tr.nL + tr.nR
}

// shortestPaths is the reusable state of the Dijkstra searches: distances
// stamped with the search they belong to, so nothing is cleared between
// searches.
type shortestPaths struct {
	tr           *Transport
	distL, distR []int64
	seenL, seenR []int32 // search stamp when reached
	doneL, doneR []int32 // search stamp when settled
	predL        []int32 // arc by which a cadre was reached
	predR        []int32 // slot (index into tr.slots) by which an enterprise was reached
	stamp        int32
	one          [1]int32
	heap         nodeHeap
	settledL     []int32
	settledR     []int32
}

func newShortestPaths(tr *Transport) *shortestPaths {
	return &shortestPaths{tr: tr,
		distL: make([]int64, tr.nL), distR: make([]int64, tr.nR),
		seenL: make([]int32, tr.nL), seenR: make([]int32, tr.nR),
		doneL: make([]int32, tr.nL), doneR: make([]int32, tr.nR),
		predL: make([]int32, tr.nL), predR: make([]int32, tr.nR)}
}

// search runs Dijkstra from the sources (enterprises, at distance 0)
// over the residual graph with reduced costs, and stops at the first
// cadre with room: it returns that cadre, or -1 when none can be reached,
// and its distance D. It then updates the potentials of the nodes it
// settled, so that every residual arc keeps a non-negative reduced cost
// and the shortest paths become tight (reduced cost 0).
func (sp *shortestPaths) search(sources []int32, piL, piR []int64) (end int32, D int64) {
	tr := sp.tr
	sp.stamp++
	st := sp.stamp
	sp.heap = sp.heap[:0]
	sp.settledL, sp.settledR = sp.settledL[:0], sp.settledR[:0]
	for _, r := range sources {
		sp.seenR[r], sp.distR[r] = st, 0
		sp.heap.push(heapItem{0, ^r}) // enterprises are stored complemented
	}
	end = -1
	for len(sp.heap) > 0 {
		it := sp.heap.pop()
		if it.node < 0 { // an enterprise: leave by its unused arcs
			r := ^it.node
			if sp.doneR[r] == st || it.d != sp.distR[r] {
				continue
			}
			sp.doneR[r] = st
			sp.settledR = append(sp.settledR, r)
			for k := tr.first[r]; k < tr.first[r+1]; k++ {
				if tr.used[k] {
					continue
				}
				l := tr.left[k]
				if sp.doneL[l] == st {
					continue
				}
				d := it.d + tr.cost[k] + piR[r] - piL[l]
				if sp.seenL[l] != st || d < sp.distL[l] {
					sp.seenL[l], sp.distL[l], sp.predL[l] = st, d, k
					sp.heap.push(heapItem{d, l})
				}
			}
			continue
		}
		l := it.node
		if sp.doneL[l] == st || it.d != sp.distL[l] {
			continue
		}
		if tr.room(l) {
			end, D = l, it.d
			break
		}
		sp.doneL[l] = st
		sp.settledL = append(sp.settledL, l)
		// A full cadre: move one of its enterprises elsewhere.
		for q := tr.slotAt[l]; q < tr.slotAt[l]+tr.count[l]; q++ {
			k := tr.slots[q]
			r := tr.right[k]
			if sp.doneR[r] == st {
				continue
			}
			d := it.d - tr.cost[k] - piR[r] + piL[l]
			if sp.seenR[r] != st || d < sp.distR[r] {
				sp.seenR[r], sp.distR[r], sp.predR[r] = st, d, q
				sp.heap.push(heapItem{d, ^r})
			}
		}
	}
	if end < 0 {
		return -1, 0
	}
	// Potentials: π + min(d, D), shifted by −D, changes only the settled
	// nodes (d ≤ D); the cadres with room keep theirs.
	for _, l := range sp.settledL {
		piL[l] -= D - sp.distL[l]
	}
	for _, r := range sp.settledR {
		piR[r] -= D - sp.distR[r]
	}
	return end, D
}

// augment sends one more unit to enterprise src along a shortest path
// from a cadre with room; false when no cadre with room can be reached.
func (sp *shortestPaths) augment(src int32, piL, piR []int64) bool {
	tr := sp.tr
	sp.one[0] = src
	end, _ := sp.search(sp.one[:], piL, piR)
	if end < 0 {
		return false
	}
	// Flip the path: the end cadre takes a new arc; every cadre on the
	// way swaps the arc of the enterprise that moves for the new one.
	k := sp.predL[end]
	tr.use(k)
	r := tr.right[k]
	for r != src {
		q := sp.predR[r]
		old := tr.slots[q]
		tr.used[old] = false
		l := tr.left[old]
		k = sp.predL[l]
		tr.slots[q] = k
		tr.used[k] = true
		r = tr.right[k]
	}
	return true
}

type heapItem struct {
	d    int64
	node int32 // ≥ 0: cadre; < 0: ^enterprise
}

// nodeHeap is a binary min-heap on d (entries may be stale; the search
// skips them).
type nodeHeap []heapItem

func (h *nodeHeap) push(x heapItem) {
	*h = append(*h, x)
	a := *h
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].d <= x.d {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = x
}

func (h *nodeHeap) pop() heapItem {
	a := *h
	top := a[0]
	n := len(a) - 1
	x := a[n]
	*h = a[:n]
	a = a[:n]
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && a[c+1].d < a[c].d {
			c++
		}
		if x.d <= a[c].d {
			break
		}
		a[i] = a[c]
		i = c
	}
	if n > 0 {
		a[i] = x
	}
	return top
}
