package assign

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// flowSolver is a solver that reports the flow of each problem arc.
type flowSolver interface {
	Solver
	Flow(a int) int64
}

// checkProblemFlow checks the solver's flows against the problem: bounds,
// conservation, and their cost equal to what Solve returned.
func checkProblemFlow(t *testing.T, p *Problem, s flowSolver, cost int64) {
	t.Helper()
	bal := make([]int64, p.Nodes)
	var c int64
	for a := range p.Tail {
		f := s.Flow(a)
		if f < p.Low[a] || f > p.Cap[a] {
			t.Fatalf("arc %d: flow %d outside [%d, %d]", a, f, p.Low[a], p.Cap[a])
		}
		bal[p.Tail[a]] += f
		bal[p.Head[a]] -= f
		c += f * p.Cost[a]
	}
	for v := range bal {
		if bal[v] != p.Supply[v] {
			t.Fatalf("node %d: net outflow %d, supply %d", v, bal[v], p.Supply[v])
		}
	}
	if c != cost {
		t.Fatalf("flows cost %d, Solve said %d", c, cost)
	}
}

// randomTransport is a linkage-shaped flow problem: s → cadres (capacity,
// cost), cadres → enterprises (capacity 1, possibly parallel arcs,
// negative costs), enterprises → t (need, cost), needs adding up to the
// supply. Some instances are infeasible.
func randomTransport(rng *rand.Rand, cadres, enterprises int, maxCap int64, arcsPerCadre int, maxCost int64) *Problem {
	n := cadres + enterprises + 2
	p := &Problem{Kind: KindMinCostFlow, Nodes: n, Supply: make([]int64, n)}
	add := func(u, v int, capacity, cost int64) {
		p.Tail = append(p.Tail, int32(u))
		p.Head = append(p.Head, int32(v))
		p.Low = append(p.Low, 0)
		p.Cap = append(p.Cap, capacity)
		p.Cost = append(p.Cost, cost)
	}
	cost := func() int64 { return rng.Int64N(2*maxCost+1) - maxCost/4 }
	for c := range cadres {
		add(0, 1+c, rng.Int64N(maxCap+1), cost()/8)
	}
	var need int64
	for e := range enterprises {
		d := 1 + rng.Int64N(2)
		need += d
		add(1+cadres+e, n-1, d, cost()/8)
	}
	for range cadres * (1 + rng.IntN(arcsPerCadre)) {
		add(1+rng.IntN(cadres), 1+cadres+rng.IntN(enterprises), 1, cost())
	}
	p.Supply[0], p.Supply[n-1] = need, -need
	rng.Shuffle(len(p.Tail), func(i, j int) {
		p.Tail[i], p.Tail[j] = p.Tail[j], p.Tail[i]
		p.Head[i], p.Head[j] = p.Head[j], p.Head[i]
		p.Cap[i], p.Cap[j] = p.Cap[j], p.Cap[i]
		p.Cost[i], p.Cost[j] = p.Cost[j], p.Cost[i]
	})
	return p
}

// TestTransportAgainstBruteForce: tiny instances, every integer flow tried.
func TestTransportAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	feasible := 0
	for i := range 1500 {
		p := randomTransport(rng, 1+rng.IntN(3), 1+rng.IntN(2), 3, 4, 9)
		tr := p.transport(0)
		if tr == nil {
			t.Fatalf("instance %d: not recognised as a transport problem", i)
		}
		want, ok := problemRef(p).bruteForce()
		got, err := tr.Solve()
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("instance %d: infeasible, Solve gave %d, %v", i, got, err)
			}
			continue
		}
		feasible++
		if err != nil || got != want {
			t.Fatalf("instance %d %+v: Solve %d, %v; brute force %d", i, p, got, err, want)
		}
		checkProblemFlow(t, p, tr, got)
	}
	if feasible < 300 {
		t.Fatalf("only %d feasible instances", feasible)
	}
}

// TestTransportAgainstCostScaling: medium instances, the general solver
// gives the same optimum (and the same verdict when infeasible).
func TestTransportAgainstCostScaling(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	feasible := 0
	for i := range 300 {
		p := randomTransport(rng, 2+rng.IntN(40), 2+rng.IntN(60), 6, 12, 1_000_000)
		tr := p.transport(0)
		if tr == nil {
			t.Fatalf("instance %d: not recognised", i)
		}
		g := NewMinCostFlow(p.Nodes)
		for v, s := range p.Supply {
			g.SetSupply(v, s)
		}
		for a := range p.Tail {
			g.AddArc(int(p.Tail[a]), int(p.Head[a]), p.Low[a], p.Cap[a], p.Cost[a])
		}
		want, werr := g.Solve()
		got, err := tr.Solve()
		if errors.Is(werr, ErrInfeasible) != errors.Is(err, ErrInfeasible) {
			t.Fatalf("instance %d: cost scaling %v, transport %v", i, werr, err)
		}
		if werr != nil {
			continue
		}
		feasible++
		if err != nil || got != want {
			t.Fatalf("instance %d: transport %d, %v; cost scaling %d", i, got, err, want)
		}
		checkProblemFlow(t, p, tr, got)
	}
	if feasible < 60 {
		t.Fatalf("only %d feasible instances", feasible)
	}
}

// TestTransportGeneratedLinkage: the benchmark family's shape, against
// successive shortest paths.
func TestTransportGeneratedLinkage(t *testing.T) {
	for seed := range int64(5) {
		p := GenerateLinkage(seed, 60, 300, 12, 6)
		tr := p.transport(0)
		if tr == nil {
			t.Fatal("generated linkage not recognised")
		}
		want, ok := problemRef(p).ssp()
		got, err := tr.Solve()
		if !ok || err != nil || got != want {
			t.Fatalf("seed %d: transport %d, %v; successive shortest paths %d, %v", seed, got, err, want, ok)
		}
		checkProblemFlow(t, p, tr, got)
	}
}

// TestTransportChosen: the solver takes the transport path only with
// room to spare; a tight linkage goes to cost scaling.
func TestTransportChosen(t *testing.T) {
	for _, c := range []struct {
		enterprises int
		want        bool
	}{{500, true}, {590, true}, {600, false}} { // 100 cadres × 6
		s, err := GenerateLinkage(3, 100, c.enterprises, 20, 6).Solver()
		if err != nil {
			t.Fatal(err)
		}
		if _, got := s.(*Transport); got != c.want {
			t.Errorf("%d enterprises for 600 places: transport %v, want %v", c.enterprises, got, c.want)
		}
	}
}

// TestTransportShapes: what is not of the shape goes to the general solver.
func TestTransportShapes(t *testing.T) {
	base := func() *Problem { return GenerateLinkage(1, 4, 8, 4, 3) }
	if base().transport(0) == nil {
		t.Fatal("linkage not recognised")
	}
	for name, change := range map[string]func(p *Problem){
		"lower bound":         func(p *Problem) { p.Low[len(p.Low)/2] = 1 },
		"middle capacity 2":   func(p *Problem) { p.Cap[len(p.Cap)/2] = 2 },
		"arc into source":     func(p *Problem) { p.Head[len(p.Head)/2] = 0 },
		"needs exceed supply": func(p *Problem) { p.Cap[len(p.Cap)-1]++ },
		"second supplier":     func(p *Problem) { p.Supply[1] = 1; p.Supply[0]-- },
		"cadre to cadre":      func(p *Problem) { p.Head[len(p.Head)/2] = 1 },
	} {
		p := base()
		change(p)
		if p.transport(0) != nil {
			t.Errorf("%s: taken as a transport problem", name)
		}
		if _, err := p.Solve(); err != nil && !errors.Is(err, ErrInfeasible) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
