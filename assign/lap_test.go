package assign

import (
	"math/rand/v2"
	"testing"
)

// bruteAssignment tries every injection of the smaller side into the
// larger one.
func bruteAssignment(a *Assignment) int64 {
	r, c := a.Rows, a.Cols
	cost := func(i, j int) int64 { return int64(a.At(i, j)) }
	if r > c {
		r, c = c, r
		cost = func(i, j int) int64 { return int64(a.At(j, i)) }
	}
	used := make([]bool, c)
	best, found := int64(0), false
	var rec func(i int, sum int64)
	rec = func(i int, sum int64) {
		if i == r {
			if !found || sum < best {
				found = true
				best = sum
			}
			return
		}
		for j := range c {
			if !used[j] {
				used[j] = true
				rec(i+1, sum+cost(i, j))
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

// checkMatching verifies that the matching is injective, complete and
// costs cost.
func checkMatching(t *testing.T, a *Assignment, cost int64) {
	t.Helper()
	used := make([]bool, a.Cols)
	var sum int64
	n := 0
	for i := range a.Rows {
		j := a.Match(i)
		if j < 0 {
			continue
		}
		if used[j] {
			t.Fatalf("sink %d used twice", j)
		}
		used[j] = true
		sum += int64(a.At(i, j))
		n++
	}
	if n != min(a.Rows, a.Cols) || sum != cost {
		t.Fatalf("%d pairs costing %d; want %d pairs costing %d", n, sum, min(a.Rows, a.Cols), cost)
	}
}

func randomAssignment(rng *rand.Rand, r, c int, lo, hi int32) *Assignment {
	a := NewAssignment(r, c)
	for k := range a.Cost {
		a.Cost[k] = lo + rng.Int32N(hi-lo)
	}
	return a
}

func TestAssignmentExample(t *testing.T) {
	// The p asn example of shared/formats/dimacs.md: 1→3 and 2→4, cost 5.
	a := NewAssignment(2, 2)
	a.Set(0, 0, 2)
	a.Set(0, 1, 7)
	a.Set(1, 0, 4)
	a.Set(1, 1, 3)
	cost, err := a.Solve()
	if err != nil || cost != 5 || a.Match(0) != 0 || a.Match(1) != 1 {
		t.Fatalf("cost %d, %v, match %d %d", cost, err, a.Match(0), a.Match(1))
	}
	if _, err := (&Assignment{Rows: 2, Cols: 2}).Solve(); err == nil {
		t.Fatal("short Cost accepted")
	}
}

func TestAssignmentAgainstPermutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 3000 {
		r, c := rng.IntN(8), rng.IntN(8)
		hi := []int32{2, 5, 100, 1_000_000}[i%4]
		a := randomAssignment(rng, r, c, -hi/3, hi)
		want := bruteAssignment(a)
		got, err := a.Solve()
		if err != nil || got != want {
			t.Fatalf("%d×%d %v: Solve %d, %v; permutations %d", r, c, a.Cost, got, err, want)
		}
		checkMatching(t, a, got)
	}
}

// TestAssignmentAgainstFlow compares the dense solver with the flow
// solver on larger instances, ties included.
func TestAssignmentAgainstFlow(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for i := range 60 {
		r, c := 1+rng.IntN(80), 1+rng.IntN(80)
		if i%3 == 0 {
			c = r
		}
		hi := []int32{3, 50, 1_000_000}[i%3]
		a := randomAssignment(rng, r, c, 0, hi)
		got, err := a.Solve()
		if err != nil {
			t.Fatal(err)
		}
		checkMatching(t, a, got)
		s := DenseProblem(a).assignmentFlow(r, c)
		want, err := s.Solve()
		if err != nil || got != want {
			t.Fatalf("%d×%d: dense %d; flow %d, %v", r, c, got, want, err)
		}
	}
}
