package assign

import (
	"container/heap"
	"math"
)

// This file holds simple reference solvers for the tests: exhaustive
// search for tiny flow problems, cycle cancelling for small ones, and
// successive shortest paths for medium ones with non-negative costs.

type refArc struct {
	u, v           int
	low, cap, cost int64
}

type refProblem struct {
	n      int
	supply []int64
	arcs   []refArc
}

func (r *refProblem) graph() *MinCostFlow {
	g := NewMinCostFlow(r.n)
	for v, s := range r.supply {
		g.SetSupply(v, s)
	}
	for _, a := range r.arcs {
		g.AddArc(a.u, a.v, a.low, a.cap, a.cost)
	}
	return g
}

// bruteForce tries every integer flow; ok is false when none is feasible.
func (r *refProblem) bruteForce() (best int64, ok bool) {
	f := make([]int64, len(r.arcs))
	bal := make([]int64, r.n)
	var rec func(k int, cost int64)
	rec = func(k int, cost int64) {
		if k == len(r.arcs) {
			for v := range bal {
				if bal[v] != r.supply[v] {
					return
				}
			}
			if !ok || cost < best {
				best, ok = cost, true
			}
			return
		}
		a := r.arcs[k]
		for x := a.low; x <= a.cap; x++ {
			f[k] = x
			bal[a.u] += x
			bal[a.v] -= x
			rec(k+1, cost+x*a.cost)
			bal[a.u] -= x
			bal[a.v] += x
		}
	}
	rec(0, 0)
	return best, ok
}

// resGraph is a plain residual graph for the reference algorithms.
type resGraph struct {
	head, next []int
	to         []int
	rc         []int64
	cost       []int64
}

func newResGraph(n int) *resGraph {
	g := &resGraph{head: make([]int, n)}
	for i := range g.head {
		g.head[i] = -1
	}
	return g
}

func (g *resGraph) add(u, v int, c, cost int64) int {
	for _, e := range [2]struct {
		a, b int
		c, w int64
	}{{u, v, c, cost}, {v, u, 0, -cost}} {
		g.to = append(g.to, e.b)
		g.rc = append(g.rc, e.c)
		g.cost = append(g.cost, e.w)
		g.next = append(g.next, g.head[e.a])
		g.head[e.a] = len(g.to) - 1
	}
	return len(g.to) - 2
}

// cycleCancel finds a feasible flow by augmenting paths, then cancels
// negative cycles found by Bellman–Ford until none is left.
func (r *refProblem) cycleCancel() (int64, bool) {
	n := r.n
	s, t := n, n+1
	g := newResGraph(n + 2)
	var base, need int64
	sup := append([]int64(nil), r.supply...)
	for _, a := range r.arcs {
		base += a.low * a.cost
		sup[a.u] -= a.low
		sup[a.v] += a.low
		g.add(a.u, a.v, a.cap-a.low, a.cost)
	}
	for v, x := range sup {
		if x > 0 {
			g.add(s, v, x, 0)
			need += x
		} else if x < 0 {
			g.add(v, t, -x, 0)
		}
	}
	// Max flow by BFS augmenting paths.
	for need > 0 {
		prev := make([]int, n+2)
		for i := range prev {
			prev[i] = -2
		}
		prev[s] = -1
		q := []int{s}
		for len(q) > 0 && prev[t] == -2 {
			u := q[0]
			q = q[1:]
			for e := g.head[u]; e >= 0; e = g.next[e] {
				if g.rc[e] > 0 && prev[g.to[e]] == -2 {
					prev[g.to[e]] = e
					q = append(q, g.to[e])
				}
			}
		}
		if prev[t] == -2 {
			return 0, false
		}
		d := need
		for v := t; v != s; v = g.to[prev[v]^1] {
			d = min(d, g.rc[prev[v]])
		}
		for v := t; v != s; v = g.to[prev[v]^1] {
			g.rc[prev[v]] -= d
			g.rc[prev[v]^1] += d
		}
		need -= d
	}
	// Cancel negative cycles.
	for {
		dist := make([]int64, n+2)
		pred := make([]int, n+2)
		for i := range pred {
			pred[i] = -1
		}
		x := -1
		for range n + 2 {
			x = -1
			for u := range n + 2 {
				for e := g.head[u]; e >= 0; e = g.next[e] {
					if g.rc[e] > 0 && dist[u]+g.cost[e] < dist[g.to[e]] {
						dist[g.to[e]] = dist[u] + g.cost[e]
						pred[g.to[e]] = e
						x = g.to[e]
					}
				}
			}
		}
		if x < 0 {
			break
		}
		for range n + 2 {
			x = g.to[pred[x]^1]
		}
		d := int64(math.MaxInt64)
		for v := x; ; {
			e := pred[v]
			d = min(d, g.rc[e])
			if v = g.to[e^1]; v == x {
				break
			}
		}
		for v := x; ; {
			e := pred[v]
			g.rc[e] -= d
			g.rc[e^1] += d
			if v = g.to[e^1]; v == x {
				break
			}
		}
	}
	cost := base
	for e := 0; e < len(g.to); e += 2 {
		cost += g.rc[e+1] * g.cost[e]
	}
	return cost, true
}

// ssp is successive shortest paths with Dijkstra and potentials for
// problems without lower bounds and with non-negative costs.
func (r *refProblem) ssp() (int64, bool) {
	n := r.n
	s, t := n, n+1
	g := newResGraph(n + 2)
	var need int64
	for _, a := range r.arcs {
		g.add(a.u, a.v, a.cap, a.cost)
	}
	for v, x := range r.supply {
		if x > 0 {
			g.add(s, v, x, 0)
			need += x
		} else if x < 0 {
			g.add(v, t, -x, 0)
		}
	}
	pot := make([]int64, n+2)
	var cost int64
	for need > 0 {
		dist := make([]int64, n+2)
		for i := range dist {
			dist[i] = math.MaxInt64
		}
		pred := make([]int, n+2)
		dist[s] = 0
		h := &pq{{s, 0}}
		for h.Len() > 0 {
			it := heap.Pop(h).(pqItem)
			if it.d > dist[it.v] {
				continue
			}
			for e := g.head[it.v]; e >= 0; e = g.next[e] {
				w := g.to[e]
				if nd := it.d + g.cost[e] + pot[it.v] - pot[w]; g.rc[e] > 0 && nd < dist[w] {
					dist[w], pred[w] = nd, e
					heap.Push(h, pqItem{w, nd})
				}
			}
		}
		if dist[t] == math.MaxInt64 {
			return 0, false
		}
		for v := range dist {
			if dist[v] < math.MaxInt64 {
				pot[v] += dist[v]
			}
		}
		d := need
		for v := t; v != s; v = g.to[pred[v]^1] {
			d = min(d, g.rc[pred[v]])
		}
		for v := t; v != s; v = g.to[pred[v]^1] {
			g.rc[pred[v]] -= d
			g.rc[pred[v]^1] += d
			cost += d * g.cost[pred[v]]
		}
		need -= d
	}
	return cost, true
}

type pqItem struct {
	v int
	d int64
}

type pq []pqItem

func (h pq) Len() int           { return len(h) }
func (h pq) Less(i, j int) bool { return h[i].d < h[j].d }
func (h pq) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *pq) Push(x any)        { *h = append(*h, x.(pqItem)) }
func (h *pq) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// problemRef converts a "p min" Problem for the reference solvers.
func problemRef(p *Problem) *refProblem {
	r := &refProblem{n: p.Nodes, supply: p.Supply}
	for a := range p.Tail {
		r.arcs = append(r.arcs, refArc{int(p.Tail[a]), int(p.Head[a]), p.Low[a], p.Cap[a], p.Cost[a]})
	}
	return r
}
