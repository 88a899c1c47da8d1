package assign

import (
	"math"
)

// Tuning of the cost-scaling solver, measured on the linkage benchmark
// (the results vary little within a factor of two of these values).
const (
	// alpha is the factor by which ε shrinks between refinements.
	alpha = 8
	// maxPath is the longest path a partial augmentation follows before
	// pushing.
	maxPath = 4
	// updateFactor: a global price update runs at the start of the first
	// refinement and after every updateFactor·n relabels.
	updateFactor = 5
	// certifyBelow: once ε ≤ certifyBelow original cost units, each
	// refinement is followed by an attempt to prove the flow optimal.
	certifyBelow = 8
	// maxHintDegree: nodes of a higher degree scan all their arcs at
	// every relabel (they relabel rarely: their ranges of admissible
	// arcs are long).
	maxHintDegree = 64
)

// number is the type of residual capacities and (unscaled) costs: int32
// when every value fits, which makes a residual arc 16 bytes, else int64.
type number interface{ ~int32 | ~int64 }

// rarc is a residual arc; an arc and its reverse point to each other with
// rev. Costs are kept unscaled and multiplied by the scale when used.
type rarc[C number] struct {
	head int32
	rev  int32
	rcap C // residual capacity
	cost C // cost per unit
}

// scaler is the working state of the cost-scaling push-relabel algorithm
// on a residual graph in CSR form. Prices follow the convention: the
// reduced cost of arc (v,w) is scale·cost + pi(v) − pi(w); an arc is
// admissible when it is residual with a negative reduced cost; relabels
// lower prices.
type scaler[C number] struct {
	n     int
	scale int64
	first []int32 // arcs of v are arcs[first[v]:first[v+1]]
	arcs  []rarc[C]
	node  []node
	pi    []int64 // prices: dense, as scans look them up at random
	eps   int64

	queue    []int32 // FIFO ring of active nodes
	qh, qn   int
	path     []int32
	relabels int
	every    int // relabels between global updates

	// global update (Dial's buckets, doubly linked)
	rank         []int64
	bucket       []int32
	bnext, bprev []int32
	state        []uint8
}

// node is the state of a node but its price, kept together so that
// arriving at a node touches one cache line.
type node struct {
	ex       int64    // excess (negative: deficit)
	bound    int64    // no residual arc but hint[*] is cheaper (see augment)
	cur, lim int32    // no admissible arc before cur nor from lim on
	hint     [3]int32 // the cheapest arcs of the last full scan, or −1
	queued   bool
}

// solveScaled solves the residual problem of g (lower bounds already moved
// into excess) and adds the flow of every arc that is neither a self-loop
// nor fixed by its bounds to flow.
func solveScaled[C number](g *MinCostFlow, excess []int64, live int, maxCost int64, flow []int64) error {
	n, m := g.n, len(g.tail)
	s := &scaler[C]{n: n, scale: int64(n + 1), node: make([]node, n), arcs: make([]rarc[C], 2*live)}
	for v, x := range excess {
		s.node[v].ex = x
		s.node[v].hint = [3]int32{-1, -1, -1}
	}
	useful := func(a int) bool { return g.tail[a] != g.head[a] && g.cap[a] > g.low[a] }
	first := make([]int32, n+1)
	for a := range m {
		if useful(a) {
			first[g.tail[a]+1]++
			first[g.head[a]+1]++
		}
	}
	for v := range n {
		first[v+1] += first[v]
	}
	s.first = first
	fill := make([]int32, n)
	copy(fill, first[:n])
	for a := range m {
		if useful(a) {
			u, v := g.tail[a], g.head[a]
			p, q := fill[u], fill[v]
			fill[u]++
			fill[v]++
			c := C(g.cost[a])
			s.arcs[p] = rarc[C]{head: v, rev: q, rcap: C(g.cap[a] - g.low[a]), cost: c}
			s.arcs[q] = rarc[C]{head: u, rev: p, cost: -c}
		}
	}
	if err := s.run(maxCost * s.scale); err != nil {
		return err
	}
	// The flow of each arc is its reverse's residual capacity; the
	// positions are found again by replaying the layout.
	copy(fill, first[:n])
	for a := range m {
		if useful(a) {
			u, v := g.tail[a], g.head[a]
			fill[u]++
			q := fill[v]
			fill[v]++
			flow[a] += int64(s.arcs[q].rcap)
		}
	}
	return nil
}

// run refines from ε = maxScaled/α down to ε = 1, or until the flow is
// proven optimal on the way.
func (s *scaler[C]) run(maxScaled int64) error {
	n := s.n
	s.queue = make([]int32, n)
	s.pi = make([]int64, n)
	s.rank = make([]int64, n)
	s.bucket = make([]int32, n+1)
	s.bnext = make([]int32, n)
	s.bprev = make([]int32, n)
	s.state = make([]uint8, n)
	s.every = max(updateFactor*n, 64)
	s.resetArcs()
	eps := maxScaled
	for phase := 0; ; phase++ {
		eps = max(1, eps/alpha)
		if err := s.refine(eps, phase == 0); err != nil {
			return err
		}
		if eps == 1 || (eps <= certifyBelow*s.scale && s.certify()) {
			return nil
		}
	}
}

func (s *scaler[C]) resetArcs() {
	for v := range s.node {
		s.node[v].cur, s.node[v].lim = s.first[v], s.first[v+1]
	}
}

func (s *scaler[C]) push(v int32) {
	if s.node[v].queued {
		return
	}
	s.node[v].queued = true
	i := s.qh + s.qn
	if i >= s.n {
		i -= s.n
	}
	s.queue[i] = v
	s.qn++
}

func (s *scaler[C]) pop() int32 {
	v := s.queue[s.qh]
	if s.qh++; s.qh == s.n {
		s.qh = 0
	}
	s.qn--
	s.node[v].queued = false
	return v
}

// refine turns the current flow into an ε-optimal one: it saturates every
// arc of negative reduced cost, then moves the resulting excesses to
// deficits along admissible paths. The first refinement starts with a
// global price update; later ones start from the prices they inherit,
// which measured better.
func (s *scaler[C]) refine(eps int64, update bool) error {
	s.eps = eps
	arcs, nd, pi, first, scale := s.arcs, s.node, s.pi, s.first, s.scale
	for v := range s.n {
		pv := pi[v]
		for a := first[v]; a < first[v+1]; a++ {
			e := &arcs[a]
			if e.rcap > 0 && int64(e.cost)*scale+pv < pi[e.head] {
				d := e.rcap
				e.rcap = 0
				arcs[e.rev].rcap += d
				nd[v].ex -= int64(d)
				nd[e.head].ex += int64(d)
			}
		}
	}
	// No arc is admissible now: every node relabels before it pushes.
	for v := range nd {
		nd[v].cur, nd[v].lim = 0, 0
		nd[v].bound = math.MinInt64 // saturating opened arcs: scan first
	}
	s.qh, s.qn = 0, 0
	for v := range s.n {
		if nd[v].ex > 0 {
			s.push(int32(v))
		}
	}
	if s.qn == 0 {
		return nil
	}
	if update {
		if err := s.globalUpdate(); err != nil {
			return err
		}
	}
	for s.qn > 0 {
		v := s.pop()
		for nd[v].ex > 0 {
			s.augment(v)
			if s.relabels >= s.every {
				if err := s.globalUpdate(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// augment follows admissible arcs from start for up to maxPath arcs or
// until a deficit, relabelling dead ends on the way back, then pushes as
// much as it can along the path found.
func (s *scaler[C]) augment(start int32) {
	arcs, nd, pi := s.arcs, s.node, s.pi
	eps, scale := s.eps, s.scale
	path := s.path[:0]
	tip := start
	for len(path) < maxPath && (len(path) == 0 || nd[tip].ex >= 0) {
		pt := pi[tip]
		a, end := nd[tip].cur, nd[tip].lim
		for ; a < end; a++ {
			e := &arcs[a]
			if e.rcap > 0 && int64(e.cost)*scale+pt < pi[e.head] {
				break
			}
		}
		if a < end {
			nd[tip].cur = a
			path = append(path, a)
			tip = arcs[a].head
			continue
		}
		// Relabel: the cheapest residual arc gets reduced cost −ε. A
		// node remembers the three cheapest arcs of its last full scan
		// and a bound under which no other residual arc can be: reduced
		// costs only grow, and a push into the node lowers the bound to
		// the arc it opens. While a remembered arc is cheapest for sure,
		// no scan is needed. Only that arc is then searched; skipping
		// other admissible arcs is safe, as a relabel never raises a
		// price of an ε-optimal flow.
		nt := &nd[tip]
		best, barg := int64(math.MaxInt64), int32(-1)
		for _, h := range nt.hint { // empty for nodes of high degree
			if h >= 0 && arcs[h].rcap > 0 {
				if t := int64(arcs[h].cost)*scale - pi[arcs[h].head]; t < best {
					best, barg = t, h
				}
			}
		}
		lo, hi := barg, barg+1
		if barg < 0 || best > nt.bound {
			best, lo, hi = s.scan(tip)
		}
		if lo >= hi {
			pi[tip] -= eps // no residual arc: a dead end
		} else {
			pi[tip] = -best - eps
		}
		nt.cur, nt.lim = lo, hi
		s.relabels++
		if len(path) > 0 {
			a := path[len(path)-1]
			path = path[:len(path)-1]
			tip = arcs[arcs[a].rev].head
		} else if s.relabels >= s.every {
			break // let a global update look at the prices
		}
	}
	u := start
	for _, a := range path {
		e := &arcs[a]
		v := e.head
		d := min(nd[u].ex, int64(e.rcap))
		e.rcap -= C(d)
		arcs[e.rev].rcap += C(d)
		nd[u].ex -= d
		nv := &nd[v]
		nv.ex += d
		if d > 0 {
			// The reverse arc v→u is residual now.
			nv.bound = min(nv.bound, -int64(e.cost)*scale-pi[u])
			if nv.ex <= d && nv.ex > 0 {
				s.push(v)
			}
		}
		u = v
	}
	s.path = path
}

// scan finds the cheapest residual arcs of v and returns the least
// reduced-cost term t = scale·cost − pi(head) and a range of arcs holding
// every arc that is admissible once v's price is −t−ε (empty if v has no
// residual arc). It remembers the three cheapest arcs and a bound on the
// others for the next relabels.
func (s *scaler[C]) scan(v int32) (best int64, lo, hi int32) {
	const inf = math.MaxInt64 / 2
	t1, t2, t3, t4 := int64(inf), int64(inf), int64(inf), int64(inf)
	a1, a2, a3 := int32(-1), int32(-1), int32(-1)
	b0, b1, pi, scale, eps := s.first[v], s.first[v+1], s.pi, s.scale, s.eps
	// Admissible arcs will be within ε of the minimum, hence within ε of
	// the running minimum when scanned: the first and last such arcs
	// bound them.
	lo, hi = b1, b0
	for i, e := range s.arcs[b0:b1] {
		if e.rcap > 0 {
			t := int64(e.cost)*scale - pi[e.head]
			if t >= t1+eps && t >= t4 {
				continue
			}
			b := b0 + int32(i)
			if t < t4 {
				switch {
				case t < t1:
					t4, t3, t2, t1 = t3, t2, t1, t
					a3, a2, a1 = a2, a1, b
				case t < t2:
					t4, t3, t2 = t3, t2, t
					a3, a2 = a2, b
				case t < t3:
					t4, t3 = t3, t
					a3 = b
				default:
					t4 = t
				}
			}
			if t < t1+eps {
				lo = min(lo, b)
				hi = b + 1
			}
		}
	}
	if b1-b0 <= maxHintDegree {
		s.node[v].hint = [3]int32{a1, a2, a3}
		s.node[v].bound = t4
	}
	if t2 >= t1+eps && a1 >= 0 { // only the cheapest is admissible
		lo, hi = a1, a1+1
	}
	return t1, lo, hi
}

// globalUpdate recomputes prices from ε-distances to the deficits (Dial's
// algorithm on the reversed residual graph, arc (v,w) having length
// ⌊rc(v,w)/ε⌋+1 ≥ 0), stopping once every active node is reached. Nodes
// not reached lower their price as much as the last reached one, which
// keeps the flow ε-optimal. If the search runs out of nodes before
// reaching every active node, some supply cannot reach any demand: the
// problem is infeasible.
func (s *scaler[C]) globalUpdate() error {
	s.relabels = 0
	n := s.n
	arcs, nd, pi, first := s.arcs, s.node, s.pi, s.first
	eps, scale := s.eps, s.scale
	rank, bucket, bnext, bprev, state := s.rank, s.bucket, s.bnext, s.bprev, s.state
	top := int64(n) // highest bucket; longer distances are cut to it
	for i := range bucket {
		bucket[i] = -1
	}
	active := 0
	for v := range n {
		state[v] = 0
		rank[v] = math.MaxInt64
		if nd[v].ex < 0 {
			rank[v] = 0
			state[v] = 1
			s.link(int32(v), 0)
		} else if nd[v].ex > 0 {
			active++
		}
	}
	last := int64(-1)
scan:
	for r := int64(0); r <= top; r++ {
		for bucket[r] >= 0 {
			w := bucket[r]
			bucket[r] = bnext[w]
			if bnext[w] >= 0 {
				bprev[bnext[w]] = -1
			}
			state[w] = 2
			if nd[w].ex > 0 {
				if active--; active == 0 {
					last = r
					break scan
				}
			}
			pw := pi[w]
			for a := first[w]; a < first[w+1]; a++ {
				e := &arcs[a]
				x := e.head
				if state[x] == 2 || arcs[e.rev].rcap == 0 {
					continue
				}
				// Reduced cost of x→w, the reverse of e.
				l := max((pi[x]-int64(e.cost)*scale-pw+eps)/eps, 0)
				nr := top
				if l < top-r {
					nr = r + l
				}
				if nr < rank[x] {
					if state[x] == 1 {
						s.unlink(x, rank[x])
					}
					rank[x] = nr
					state[x] = 1
					s.link(x, nr)
				}
			}
		}
	}
	if last < 0 {
		for v := range n {
			if nd[v].ex > 0 && state[v] != 2 {
				return &InfeasibleError{Node: v, Reason: "the supplies cannot be routed to the demands within the arc capacities"}
			}
		}
	}
	for v := range n {
		d := last
		if state[v] == 2 {
			d = rank[v]
		}
		pi[v] -= d * eps
	}
	s.resetArcs()
	return nil
}

func (s *scaler[C]) link(v int32, r int64) {
	h := s.bucket[r]
	s.bnext[v], s.bprev[v] = h, -1
	if h >= 0 {
		s.bprev[h] = v
	}
	s.bucket[r] = v
}

func (s *scaler[C]) unlink(v int32, r int64) {
	p, nx := s.bprev[v], s.bnext[v]
	if p >= 0 {
		s.bnext[p] = nx
	} else {
		s.bucket[r] = nx
	}
	if nx >= 0 {
		s.bprev[nx] = p
	}
}

// certify tries to prove the current flow optimal: it looks for integer
// prices P, starting from the scaled prices rounded down, under which no
// residual arc has a negative reduced cost in the original costs — by a
// label-correcting shortest path computation that gives up after a few
// passes' worth of work (a negative cycle, which means the flow is not
// optimal yet, would make it run forever). It changes no price or flow.
func (s *scaler[C]) certify() bool {
	n := s.n
	arcs, first := s.arcs, s.first
	P := s.rank
	for v := range n {
		P[v] = floorDiv(s.pi[v], s.scale)
	}
	queue, inq := s.queue, s.state // state is free outside global updates
	for v := range inq {
		inq[v] = 0
	}
	qh, qn := 0, 0
	relax := func(v int) {
		pv := P[v]
		for a := first[v]; a < first[v+1]; a++ {
			e := &arcs[a]
			if e.rcap > 0 {
				if d := pv + int64(e.cost); d < P[e.head] {
					P[e.head] = d
					if inq[e.head] == 0 {
						inq[e.head] = 1
						i := qh + qn
						if i >= n {
							i -= n
						}
						queue[i] = e.head
						qn++
					}
				}
			}
		}
	}
	for v := range n {
		relax(v)
	}
	budget := 4 * len(arcs)
	for qn > 0 {
		v := queue[qh]
		if qh++; qh == n {
			qh = 0
		}
		qn--
		inq[v] = 0
		if budget -= int(first[v+1]-first[v]) + 1; budget < 0 {
			return false
		}
		relax(int(v))
	}
	return true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
