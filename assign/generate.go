package assign

import (
	"math/rand/v2"
)

// MaxGeneratedCost bounds the generated costs: they are uniform in
// [0, MaxGeneratedCost).
const MaxGeneratedCost = 1_000_000

func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}

// GenerateDense returns the dense benchmark assignment of
// shared/formats/dimacs.md: n sources, n sinks, every cost uniform in
// [0, 10^6), the same for the same seed.
func GenerateDense(seed int64, n int) *Assignment {
	rng := newRand(seed, 0x6173736e64656e73)
	a := NewAssignment(n, n)
	for k := range a.Cost {
		a.Cost[k] = int32(rng.IntN(MaxGeneratedCost))
	}
	return a
}

// DenseProblem returns the "p asn" problem of a dense assignment: sources
// are nodes 1..Rows of the file, sinks follow, and every pair is an arc.
func DenseProblem(a *Assignment) *Problem {
	r, c := a.Rows, a.Cols
	m := r * c
	p := &Problem{Kind: KindAssignment, Nodes: r + c, Source: make([]bool, r+c),
		Tail: make([]int32, m), Head: make([]int32, m), Cost: make([]int64, m)}
	for i := range r {
		p.Source[i] = true
		for j := range c {
			k := i*c + j
			p.Tail[k], p.Head[k], p.Cost[k] = int32(i), int32(r+j), int64(a.Cost[k])
		}
	}
	return p
}

// GenerateLinkage returns the sparse linkage benchmark of
// shared/formats/dimacs.md as a "p min" problem, the same for the same
// arguments: node 0 is the source, nodes 1..cadres the cadres, then the
// enterprises, and last the sink. The source supplies one unit per
// enterprise and feeds each cadre up to capacity units at cost 0; each
// cadre has arcs of capacity 1 to `candidates` distinct random
// enterprises with costs uniform in [0, 10^6); each enterprise sends one
// unit to the sink. A feasible assignment is hidden among the candidates:
// the enterprises, shuffled, are dealt round-robin to the cadres first
// (so it needs ⌈enterprises/cadres⌉ ≤ min(capacity, candidates)).
func GenerateLinkage(seed int64, cadres, enterprises, candidates, capacity int) *Problem {
	if cadres <= 0 || enterprises < 0 || capacity < 0 || candidates > enterprises ||
		(enterprises+cadres-1)/cadres > min(capacity, candidates) {
		panic("assign: GenerateLinkage: no hidden feasible assignment fits these sizes")
	}
	rng := newRand(seed, 0x6c696e6b61676531)
	n := cadres + enterprises + 2
	sink := n - 1
	m := cadres + cadres*candidates + enterprises
	p := &Problem{Kind: KindMinCostFlow, Nodes: n, Supply: make([]int64, n),
		Tail: make([]int32, 0, m), Head: make([]int32, 0, m),
		Low: make([]int64, 0, m), Cap: make([]int64, 0, m), Cost: make([]int64, 0, m)}
	add := func(u, v int, capacity, cost int64) {
		p.Tail = append(p.Tail, int32(u))
		p.Head = append(p.Head, int32(v))
		p.Low = append(p.Low, 0)
		p.Cap = append(p.Cap, capacity)
		p.Cost = append(p.Cost, cost)
	}
	p.Supply[0], p.Supply[sink] = int64(enterprises), -int64(enterprises)
	for c := range cadres {
		add(0, 1+c, int64(capacity), 0)
	}
	perm := rng.Perm(enterprises)
	seen := make([]int32, enterprises) // cadre+1 that drew the enterprise last
	for c := range cadres {
		k := 0
		for i := c; i < enterprises; i += cadres { // the hidden assignment
			e := perm[i]
			seen[e] = int32(c + 1)
			add(1+c, 1+cadres+e, 1, int64(rng.IntN(MaxGeneratedCost)))
			k++
		}
		for ; k < candidates; k++ {
			e := rng.IntN(enterprises)
			for seen[e] == int32(c+1) {
				e = rng.IntN(enterprises)
			}
			seen[e] = int32(c + 1)
			add(1+c, 1+cadres+e, 1, int64(rng.IntN(MaxGeneratedCost)))
		}
	}
	for e := range enterprises {
		add(1+cadres+e, sink, 1, 0)
	}
	return p
}
