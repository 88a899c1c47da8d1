// Package assign solves the optimization behind linkage suggestions:
// assigning cadres to enterprises at least total cost, exactly.
//
// It offers three levels:
//   - [MinCostFlow]: minimum-cost flow with lower bounds, capacities and
//     node supplies, solved by Goldberg's cost-scaling push-relabel
//     method with partial augment-relabel and global price updates;
//   - [Assignment]: the dense (complete bipartite) assignment problem,
//     solved by the Jonker–Volgenant shortest augmenting path algorithm;
//   - [Linkage]: the product's model — cadres with a capacity and a
//     senior (处级) flag, enterprises needing several cadres, key
//     enterprises needing at least one senior — turned into a flow network,
//     with infeasibility explained by the constraint that fails.
//
// [ReadDIMACS] and [WriteDIMACS] read and write the DIMACS "p asn" and
// "p min" formats (shared/formats/dimacs.md); [GenerateDense] and
// [GenerateLinkage] make the seeded benchmark instances.
//
// The package is pure: no I/O except the explicit readers and writers, no
// globals that change, no goroutines. All results are exact optima.
package assign

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// ErrInfeasible is matched (with [errors.Is]) by every error that reports
// a problem without a feasible solution: [*InfeasibleError] and
// [*LinkageError].
var ErrInfeasible = errors.New("assign: infeasible")

// ErrTooLarge is returned by Solve when costs, capacities or supplies are
// so large that the exact algorithm could overflow int64 arithmetic.
var ErrTooLarge = errors.New("assign: costs, capacities or supplies too large for exact int64 arithmetic")

// InfeasibleError says that the supplies of a flow problem cannot be
// routed to the demands within the arc bounds. It matches [ErrInfeasible].
type InfeasibleError struct {
	// Node is a node (0-based) whose supply cannot reach any demand, or -1
	// when the supplies do not add up to zero.
	Node int
	// Reason is a sentence describing the failure.
	Reason string
}

func (e *InfeasibleError) Error() string { return "assign: infeasible: " + e.Reason }

// Is reports whether target is [ErrInfeasible].
func (e *InfeasibleError) Is(target error) bool { return target == ErrInfeasible }

// MinCostFlow is a minimum-cost flow problem on nodes 0..n-1: arcs with a
// lower bound, a capacity and a cost per unit, and nodes with supplies
// (negative supplies are demands). A solution sends every supply to the
// demands, with each arc's flow within its bounds and flow conserved at
// every node, at least total cost.
//
// Build it with [NewMinCostFlow], [MinCostFlow.AddArc] and
// [MinCostFlow.SetSupply], then call [MinCostFlow.Solve]; the flow of
// every arc is then available from [MinCostFlow.Flow]. Arcs may be
// parallel, costs negative and self-loops present.
type MinCostFlow struct {
	n          int
	supply     []int64
	tail, head []int32
	low, cap   []int64
	cost       []int64
	flow       []int64 // set by Solve
}

// NewMinCostFlow returns a problem with n nodes, no arcs and zero supplies.
func NewMinCostFlow(n int) *MinCostFlow {
	if n < 0 || n >= math.MaxInt32 {
		panic("assign: NewMinCostFlow: node count out of range")
	}
	return &MinCostFlow{n: n, supply: make([]int64, n)}
}

// NumNodes returns the number of nodes.
func (g *MinCostFlow) NumNodes() int { return g.n }

// NumArcs returns the number of arcs added.
func (g *MinCostFlow) NumArcs() int { return len(g.tail) }

// Grow reserves room for m more arcs.
func (g *MinCostFlow) Grow(m int) {
	if m <= 0 {
		return
	}
	grow := func(s []int64) []int64 { return append(make([]int64, 0, len(s)+m), s...) }
	g.tail = append(make([]int32, 0, len(g.tail)+m), g.tail...)
	g.head = append(make([]int32, 0, len(g.head)+m), g.head...)
	g.low, g.cap, g.cost = grow(g.low), grow(g.cap), grow(g.cost)
}

// SetSupply sets node v's supply: positive for a node that sends flow,
// negative for one that receives it.
func (g *MinCostFlow) SetSupply(v int, supply int64) { g.supply[v] = supply }

// Supply returns node v's supply.
func (g *MinCostFlow) Supply(v int) int64 { return g.supply[v] }

// AddArc adds an arc from u to v carrying between low and capacity units
// at cost per unit, and returns its index (0, 1, 2, … in order of
// addition). It panics if a node is out of range or unless
// 0 ≤ low ≤ capacity.
func (g *MinCostFlow) AddArc(u, v int, low, capacity, cost int64) int {
	if uint(u) >= uint(g.n) || uint(v) >= uint(g.n) {
		panic(fmt.Sprintf("assign: AddArc(%d, %d): node out of range [0, %d)", u, v, g.n))
	}
	if low < 0 || low > capacity {
		panic(fmt.Sprintf("assign: AddArc: bounds [%d, %d] invalid", low, capacity))
	}
	if len(g.tail) >= math.MaxInt32/2-1 {
		panic("assign: AddArc: too many arcs")
	}
	g.tail = append(g.tail, int32(u))
	g.head = append(g.head, int32(v))
	g.low = append(g.low, low)
	g.cap = append(g.cap, capacity)
	g.cost = append(g.cost, cost)
	return len(g.tail) - 1
}

// Flow returns the flow on arc a found by the last successful Solve
// (0 before it).
func (g *MinCostFlow) Flow(a int) int64 {
	if g.flow == nil {
		return 0
	}
	return g.flow[a]
}

// Solve computes a minimum-cost flow and returns its cost. When no flow
// satisfies the supplies and bounds it returns an [*InfeasibleError]
// (matching [ErrInfeasible]); when the numbers are too large for exact
// int64 arithmetic it returns [ErrTooLarge]. The problem may be changed
// and solved again.
//
// The algorithm is cost scaling (Goldberg 1997, as in CS2 and LEMON):
// costs are multiplied by n+1, and ε-optimal flows are refined for
// ε = C/α, C/α², …, 1 by push-relabel with partial augmentations and
// global price updates. At ε = 1 the flow is optimal because every cycle
// of the scaled residual graph costs more than −(n+1). Once ε is a few
// original cost units, each refinement is followed by a cheap attempt to
// prove optimality directly (integer prices under which no residual arc
// has a negative reduced cost), which usually ends the work a few
// refinements early. Infeasibility shows as supply that a global price
// update cannot connect to any demand.
func (g *MinCostFlow) Solve() (int64, error) {
	g.flow = nil
	n, m := g.n, len(g.tail)

	// Remove lower bounds: f = low + f', 0 ≤ f' ≤ cap−low, and move the
	// forced flow into the supplies. Self-loops get their optimal flow at
	// once and stay out of the residual graph.
	excess := make([]int64, n)
	copy(excess, g.supply)
	var base int64 // cost of the forced flow
	var over bool  // any overflow on the way
	flow := make([]int64, m)
	var sumSupply, sumAbs uint64
	for _, s := range g.supply {
		sumSupply += uint64(s)
		sumAbs = addSat(sumAbs, absU(s))
	}
	if sumAbs >= 1<<62 {
		return 0, ErrTooLarge
	}
	if int64(sumSupply) != 0 {
		return 0, &InfeasibleError{Node: -1, Reason: fmt.Sprintf("the supplies add up to %d, not 0", int64(sumSupply))}
	}
	var maxCost, maxSpan int64
	live := 0
	for a := range m {
		u, v, low, c := g.tail[a], g.head[a], g.low[a], g.cost[a]
		if c == math.MinInt64 {
			return 0, ErrTooLarge
		}
		f := low
		if u == v && c < 0 {
			f = g.cap[a]
		}
		flow[a] = f
		base, over = mulAdd(base, f, c, over)
		if u != v {
			excess[u] -= low
			excess[v] += low
			sumAbs = addSat(sumAbs, uint64(g.cap[a]))
			if g.cap[a] > low {
				live++
				maxCost = max(maxCost, c, -c)
				maxSpan = max(maxSpan, g.cap[a]-low)
			}
		}
	}
	// Overflow guards: excesses stay below the sum of |supplies| and
	// capacities; prices stay within 3·n·ε per phase.
	if over || sumAbs >= 1<<62 {
		return 0, ErrTooLarge
	}
	hi, lo := bits.Mul64(uint64(maxCost), uint64(n+1))
	hi2, lo2 := bits.Mul64(lo, 4*uint64(n+1))
	if hi != 0 || hi2 != 0 || lo2 >= 1<<62 {
		return 0, ErrTooLarge
	}

	var err error
	if maxCost <= math.MaxInt32 && maxSpan <= math.MaxInt32 {
		err = solveScaled[int32](g, excess, live, maxCost, flow)
	} else {
		err = solveScaled[int64](g, excess, live, maxCost, flow)
	}
	if err != nil {
		return 0, err
	}
	cost := base
	for a := range m {
		if f := flow[a] - g.low[a]; f != 0 && g.tail[a] != g.head[a] {
			cost, over = mulAdd(cost, f, g.cost[a], over)
		}
	}
	if over {
		return 0, ErrTooLarge
	}
	g.flow = flow
	return cost, nil
}

// mulAdd returns acc + f·c, and whether an overflow happened now or before.
func mulAdd(acc, f, c int64, over bool) (int64, bool) {
	if f == 0 || c == 0 {
		return acc, over
	}
	p := f * c
	if p/c != f || (f == -1 && c == math.MinInt64) || (c == -1 && f == math.MinInt64) {
		return acc, true
	}
	s := acc + p
	if (p > 0 && s < acc) || (p < 0 && s > acc) {
		return acc, true
	}
	return s, over
}

func absU(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

func addSat(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return math.MaxUint64
	}
	return s
}
