package assign

import (
	"errors"
	"fmt"
	"math"
)

// Solver is a problem ready to solve: an [*Assignment] or a
// [*MinCostFlow].
type Solver interface {
	// Solve returns the optimal cost, or an error matching
	// [ErrInfeasible] when there is no feasible solution.
	Solve() (int64, error)
}

// Solve builds the problem's solver and solves it.
func (p *Problem) Solve() (int64, error) {
	s, err := p.Solver()
	if err != nil {
		return 0, err
	}
	return s.Solve()
}

// Solver turns the problem into the data structure its algorithm works on,
// so that solving can be timed apart from reading and building:
//   - an assignment problem that lists every source–sink pair (at least
//     once; of parallel arcs the cheapest counts) with costs that fit
//     int32 becomes a dense [*Assignment];
//   - any other assignment problem is solved as a [*MinCostFlow]: each
//     source supplies one unit, each sink takes at most one, and
//     whichever side is larger is joined to an extra node so that exactly
//     min(#sources, #sinks) units flow; it is infeasible when the arcs
//     admit no such matching;
//   - a min-cost flow problem becomes a [*MinCostFlow] that shares the
//     problem's arc slices (do not change them while it is in use).
func (p *Problem) Solver() (Solver, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	m := len(p.Tail)
	if p.Kind == KindMinCostFlow {
		if tr := p.transport(minTransportSlack); tr != nil {
			return tr, nil
		}
		g := &MinCostFlow{n: p.Nodes, supply: p.Supply[:p.Nodes:p.Nodes],
			tail: p.Tail[:m:m], head: p.Head[:m:m], low: p.Low[:m:m], cap: p.Cap[:m:m], cost: p.Cost[:m:m]}
		return g, nil
	}

	// Assignment: index the two sides.
	idx := make([]int32, p.Nodes) // position within its side
	ns, nt := 0, 0
	for v, src := range p.Source {
		if src {
			idx[v] = int32(ns)
			ns++
		} else {
			idx[v] = int32(nt)
			nt++
		}
	}
	fits := int64(ns)*int64(nt) <= int64(m) && int64(ns)*int64(nt) <= 1<<31
	for a := 0; fits && a < m; a++ {
		fits = p.Cost[a] >= math.MinInt32 && p.Cost[a] <= math.MaxInt32
	}
	if fits && ns > 0 && nt > 0 {
		as := NewAssignment(ns, nt)
		seen := make([]uint64, (ns*nt+63)/64)
		filled := 0
		for a := range m {
			k := int(idx[p.Tail[a]])*nt + int(idx[p.Head[a]])
			c := int32(p.Cost[a])
			if seen[k/64]&(1<<(k%64)) == 0 {
				seen[k/64] |= 1 << (k % 64)
				as.Cost[k] = c
				filled++
			} else {
				as.Cost[k] = min(as.Cost[k], c)
			}
		}
		if filled == ns*nt {
			return as, nil
		}
	}

	return p.assignmentFlow(ns, nt), nil
}

// assignmentFlow returns the flow model of an assignment problem with ns
// sources and nt sinks.
func (p *Problem) assignmentFlow(ns, nt int) *asnFlow {
	m := len(p.Tail)
	extra := ns != nt
	g := NewMinCostFlow(p.Nodes + btoi(extra))
	g.Grow(m + max(ns, nt)*btoi(extra))
	k := int64(min(ns, nt))
	x := p.Nodes // the extra node
	for v, src := range p.Source {
		switch {
		case src && ns <= nt:
			g.SetSupply(v, 1)
		case src: // more sources than sinks: the extra node feeds them
			g.AddArc(x, v, 0, 1, 0)
		case ns >= nt:
			g.SetSupply(v, -1)
		default: // more sinks than sources: they drain into the extra node
			g.AddArc(v, x, 0, 1, 0)
		}
	}
	if extra {
		if ns < nt {
			g.SetSupply(x, -k)
		} else {
			g.SetSupply(x, k)
		}
	}
	for a := range m {
		g.AddArc(int(p.Tail[a]), int(p.Head[a]), 0, 1, p.Cost[a])
	}
	return &asnFlow{g}
}

// asnFlow is an assignment problem solved as a flow; it explains
// infeasibility in the assignment's terms.
type asnFlow struct{ *MinCostFlow }

func (s *asnFlow) Solve() (int64, error) {
	c, err := s.MinCostFlow.Solve()
	if ie, ok := errors.AsType[*InfeasibleError](err); ok {
		return 0, &InfeasibleError{Node: ie.Node, Reason: "no set of min(#sources, #sinks) arcs without a shared node exists"}
	}
	return c, err
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// check verifies that the slices agree with the kind and the node count.
func (p *Problem) check() error {
	m := len(p.Tail)
	bad := func(what string) error { return fmt.Errorf("assign: Problem: %s", what) }
	if p.Nodes < 0 || p.Nodes > maxNodes || m > maxArcs {
		return bad("node or arc count out of range")
	}
	if len(p.Head) != m || len(p.Cost) != m {
		return bad("Tail, Head and Cost must have the same length")
	}
	switch p.Kind {
	case KindAssignment:
		if len(p.Source) != p.Nodes {
			return bad("len(Source) must be Nodes")
		}
	case KindMinCostFlow:
		if len(p.Supply) != p.Nodes || len(p.Low) != m || len(p.Cap) != m {
			return bad("len(Supply) must be Nodes, len(Low) and len(Cap) the arc count")
		}
	default:
		return bad("unknown kind")
	}
	for a := range m {
		u, v := p.Tail[a], p.Head[a]
		if u < 0 || int(u) >= p.Nodes || v < 0 || int(v) >= p.Nodes {
			return fmt.Errorf("assign: Problem: arc %d: node out of range", a)
		}
		if p.Kind == KindAssignment && (!p.Source[u] || p.Source[v]) {
			return fmt.Errorf("assign: Problem: arc %d does not go from a source to a sink", a)
		}
		if p.Kind == KindMinCostFlow && (p.Low[a] < 0 || p.Low[a] > p.Cap[a]) {
			return fmt.Errorf("assign: Problem: arc %d: bounds [%d, %d] invalid", a, p.Low[a], p.Cap[a])
		}
	}
	return nil
}
