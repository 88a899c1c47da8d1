package assign

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// checkFlow verifies bounds, conservation and the cost of g's flow.
func checkFlow(t *testing.T, g *MinCostFlow, cost int64) {
	t.Helper()
	bal := make([]int64, g.NumNodes())
	var c int64
	for a := range g.NumArcs() {
		f := g.Flow(a)
		if f < g.low[a] || f > g.cap[a] {
			t.Fatalf("arc %d: flow %d outside [%d, %d]", a, f, g.low[a], g.cap[a])
		}
		bal[g.tail[a]] += f
		bal[g.head[a]] -= f
		c += f * g.cost[a]
	}
	for v := range bal {
		if bal[v] != g.Supply(v) {
			t.Fatalf("node %d: net outflow %d, supply %d", v, bal[v], g.Supply(v))
		}
	}
	if c != cost {
		t.Fatalf("flows cost %d, Solve said %d", c, cost)
	}
}

func TestMinCostFlowExample(t *testing.T) {
	// The p min example of shared/formats/dimacs.md, 0-based.
	g := NewMinCostFlow(4)
	g.SetSupply(0, 4)
	g.SetSupply(3, -4)
	g.AddArc(0, 1, 0, 4, 2)
	g.AddArc(0, 2, 0, 2, 2)
	g.AddArc(1, 2, 0, 2, 1)
	g.AddArc(1, 3, 0, 3, 3)
	g.AddArc(2, 3, 0, 5, 1)
	cost, err := g.Solve()
	if err != nil || cost != 14 {
		t.Fatalf("cost %d, %v; want 14", cost, err)
	}
	checkFlow(t, g, cost)

	// More supply than the cut into node 3 can carry (3 + 5 = 8).
	g.SetSupply(0, 9)
	g.SetSupply(3, -9)
	if _, err := g.Solve(); !errors.Is(err, ErrInfeasible) {
		t.Fatalf("err %v, want ErrInfeasible", err)
	}
	// Unbalanced supplies.
	g.SetSupply(3, -3)
	_, err = g.Solve()
	var ie *InfeasibleError
	if !errors.As(err, &ie) || ie.Node != -1 {
		t.Fatalf("err %v, want an unbalanced-supply InfeasibleError", err)
	}
}

func TestMinCostFlowEdgeCases(t *testing.T) {
	// Empty problem.
	if c, err := NewMinCostFlow(0).Solve(); c != 0 || err != nil {
		t.Fatal(c, err)
	}
	// Lower bounds force a flow around a positive cycle; a negative
	// self-loop is used to capacity; a negative cycle is saturated.
	g := NewMinCostFlow(3)
	g.AddArc(0, 1, 2, 5, 3)  // at least 2 at 3
	g.AddArc(1, 0, 0, 5, 1)  // the way back
	g.AddArc(2, 2, 0, 4, -2) // self-loop: 4 units, −8
	g.AddArc(1, 2, 0, 1, -5) // negative cycle 1→2→1 of one unit: −5+1
	g.AddArc(2, 1, 0, 3, 1)
	cost, err := g.Solve()
	if err != nil || cost != 2*3+2*1-8-4 {
		t.Fatalf("cost %d, %v; want %d", cost, err, 2*3+2*1-8-4)
	}
	checkFlow(t, g, cost)
	// Supply with no arcs at all.
	h := NewMinCostFlow(2)
	h.SetSupply(0, 1)
	h.SetSupply(1, -1)
	if _, err := h.Solve(); !errors.Is(err, ErrInfeasible) {
		t.Fatal(err)
	}
	// Too large for exact arithmetic.
	h.AddArc(0, 1, 0, 1, math.MaxInt64/2)
	if _, err := h.Solve(); !errors.Is(err, ErrTooLarge) {
		t.Fatal(err)
	}
}

// randomFlow returns a random problem; supplies are balanced unless
// unbalanced.
func randomFlow(rng *rand.Rand, n, m int, maxCap, minCost, maxCost int64) *refProblem {
	r := &refProblem{n: n, supply: make([]int64, n)}
	for range m {
		u, v := rng.IntN(n), rng.IntN(n)
		lo := int64(0)
		c := rng.Int64N(maxCap + 1)
		if rng.IntN(4) == 0 {
			lo = rng.Int64N(c + 1)
		}
		r.arcs = append(r.arcs, refArc{u, v, lo, c, minCost + rng.Int64N(maxCost-minCost+1)})
	}
	for range rng.IntN(n + 1) {
		a, b := rng.IntN(n), rng.IntN(n)
		x := rng.Int64N(maxCap + 1)
		r.supply[a] += x
		r.supply[b] -= x
	}
	return r
}

func TestReferenceAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	feasible := 0
	for range 400 {
		r := randomFlow(rng, 2+rng.IntN(4), 1+rng.IntN(6), 3, -4, 9)
		want, ok := r.bruteForce()
		got, ok2 := r.cycleCancel()
		if ok != ok2 || (ok && got != want) {
			t.Fatalf("%+v: cycle cancelling %d %v, brute force %d %v", r, got, ok2, want, ok)
		}
		if ok {
			feasible++
		}
	}
	if feasible < 100 {
		t.Fatalf("only %d feasible instances", feasible)
	}
}

func TestMinCostFlowAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 1500 {
		r := randomFlow(rng, 2+rng.IntN(5), 1+rng.IntN(7), 3, -5, 10)
		want, ok := r.bruteForce()
		g := r.graph()
		got, err := g.Solve()
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("%+v: infeasible, Solve gave %d, %v", r, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Fatalf("%+v: Solve %d, %v; brute force %d", r, got, err, want)
		}
		checkFlow(t, g, got)
	}
}

func TestMinCostFlowAgainstCycleCancelling(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 300 {
		n := 5 + rng.IntN(25)
		r := randomFlow(rng, n, n+rng.IntN(4*n), 1+rng.Int64N(20), -1000, 1_000_000)
		want, ok := r.cycleCancel()
		g := r.graph()
		got, err := g.Solve()
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("instance %d: infeasible, Solve gave %d, %v", i, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Fatalf("instance %d: Solve %d, %v; cycle cancelling %d", i, got, err, want)
		}
		checkFlow(t, g, got)
	}
}

func TestMinCostFlowLinkageInstance(t *testing.T) {
	p := GenerateLinkage(7, 100, 400, 20, 6) // the source has degree 100
	want, ok := problemRef(p).ssp()
	if !ok {
		t.Fatal("generated instance infeasible")
	}
	s, err := p.Solver()
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Solve()
	if err != nil || got != want {
		t.Fatalf("Solve %d, %v; successive shortest paths %d", got, err, want)
	}
	checkProblemFlow(t, p, s.(flowSolver), got)
}

// TestMinCostFlowMedium compares with successive shortest paths on
// random networks with hubs of high degree and non-negative costs.
func TestMinCostFlowMedium(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 20 {
		n := 100 + rng.IntN(200)
		r := &refProblem{n: n, supply: make([]int64, n)}
		for range 8 * n {
			u, v := rng.IntN(n), rng.IntN(n)
			if rng.IntN(4) == 0 {
				u = rng.IntN(3) // hubs
			}
			r.arcs = append(r.arcs, refArc{u, v, 0, 1 + rng.Int64N(5), rng.Int64N(1000)})
		}
		for range n / 2 {
			a, b := rng.IntN(n), rng.IntN(n)
			x := rng.Int64N(4)
			r.supply[a] += x
			r.supply[b] -= x
		}
		want, ok := r.ssp()
		g := r.graph()
		got, err := g.Solve()
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("instance %d: infeasible, Solve gave %d, %v", i, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Fatalf("instance %d: Solve %d, %v; successive shortest paths %d", i, got, err, want)
		}
		checkFlow(t, g, got)
	}
}

// TestMinCostFlowLargeNumbers runs the int64 variant: costs and
// capacities beyond int32.
func TestMinCostFlowLargeNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 200 {
		n := 3 + rng.IntN(12)
		r := randomFlow(rng, n, n+rng.IntN(3*n), 1+rng.Int64N(20), -1000, 1_000_000)
		if i%2 == 0 { // costs beyond int32
			big := int64(1) << (31 + rng.IntN(8))
			for k := range r.arcs {
				if rng.IntN(2) == 0 {
					r.arcs[k].cost *= big / 1_000_000
				}
			}
		} else { // capacities beyond int32, supplies as well
			for k := range r.arcs {
				r.arcs[k].low *= 1 << 32
				r.arcs[k].cap *= 1 << 32
			}
			for v := range r.supply {
				r.supply[v] *= 1 << 32
			}
		}
		want, ok := r.cycleCancel()
		g := r.graph()
		got, err := g.Solve()
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("instance %d: infeasible, Solve gave %d, %v", i, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Fatalf("instance %d: Solve %d, %v; cycle cancelling %d", i, got, err, want)
		}
		checkFlow(t, g, got)
	}
}
