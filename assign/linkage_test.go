package assign

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// linkageOK reports whether the chosen candidates satisfy every
// constraint of l.
func linkageOK(l *Linkage, chosen []Candidate) bool {
	load := make([]int, len(l.Cadres))
	got := make([]int, len(l.Enterprises))
	senior := make([]bool, len(l.Enterprises))
	for _, p := range chosen {
		load[p.Cadre]++
		got[p.Enterprise]++
		senior[p.Enterprise] = senior[p.Enterprise] || l.Cadres[p.Cadre].Senior
	}
	for i, c := range l.Cadres {
		if load[i] > c.Capacity {
			return false
		}
	}
	for j, e := range l.Enterprises {
		if got[j] != e.Need || (e.Key && !senior[j]) {
			return false
		}
	}
	return true
}

// bruteLinkage tries every subset of the candidates.
func bruteLinkage(l *Linkage) (best int64, ok bool) {
	m := len(l.Candidates)
	var chosen []Candidate
	for mask := 0; mask < 1<<m; mask++ {
		chosen = chosen[:0]
		var cost int64
		for k, p := range l.Candidates {
			if mask&(1<<k) != 0 {
				chosen = append(chosen, p)
				cost += p.Cost
			}
		}
		if linkageOK(l, chosen) && (!ok || cost < best) {
			best, ok = cost, true
		}
	}
	return best, ok
}

func randomLinkage(rng *rand.Rand) *Linkage {
	l := &Linkage{}
	for i := range 1 + rng.IntN(4) {
		l.Cadres = append(l.Cadres, Cadre{ID: string(rune('A' + i)), Capacity: rng.IntN(3), Senior: rng.IntN(2) == 0})
	}
	for j := range 1 + rng.IntN(3) {
		e := Enterprise{ID: string(rune('p' + j)), Need: rng.IntN(3), Key: rng.IntN(3) == 0}
		if e.Key && e.Need == 0 {
			e.Need = 1
		}
		l.Enterprises = append(l.Enterprises, e)
	}
	for i := range l.Cadres {
		for j := range l.Enterprises {
			if rng.IntN(3) > 0 && len(l.Candidates) < 11 {
				l.Candidates = append(l.Candidates, Candidate{Cadre: i, Enterprise: j, Cost: rng.Int64N(14) - 3})
			}
		}
	}
	return l
}

func TestLinkageAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	feasible, infeasible := 0, 0
	for range 3000 {
		l := randomLinkage(rng)
		want, ok := bruteLinkage(l)
		res, err := l.Solve()
		if !ok {
			var le *LinkageError
			if !errors.As(err, &le) || !errors.Is(err, ErrInfeasible) {
				t.Fatalf("%+v: infeasible, Solve gave %+v, %v", l, res, err)
			}
			infeasible++
			continue
		}
		if err != nil || res.Cost != want {
			t.Fatalf("%+v: Solve %+v, %v; brute force %d", l, res, err, want)
		}
		var sum int64
		for _, p := range res.Pairs {
			sum += p.Cost
		}
		if !linkageOK(l, res.Pairs) || sum != res.Cost {
			t.Fatalf("%+v: pairs %+v violate the constraints or do not cost %d", l, res.Pairs, res.Cost)
		}
		feasible++
	}
	if feasible < 300 || infeasible < 300 {
		t.Fatalf("%d feasible, %d infeasible instances", feasible, infeasible)
	}
}

func TestLinkageExample(t *testing.T) {
	// Two key enterprises need two cadres each; one senior cadre can take
	// both, the cheap junior cadres fill the rest.
	l := &Linkage{
		Cadres:      []Cadre{{ID: "处长甲", Capacity: 2, Senior: true}, {ID: "科员乙", Capacity: 2}, {ID: "科员丙", Capacity: 1}},
		Enterprises: []Enterprise{{ID: "芯片厂", Need: 2, Key: true}, {ID: "药企", Need: 2, Key: true}, {ID: "物流", Need: 1}},
		Candidates: []Candidate{
			{0, 0, 5}, {0, 1, 5}, {0, 2, 1},
			{1, 0, 1}, {1, 1, 1}, {1, 2, 9},
			{2, 1, 2}, {2, 2, 2},
		},
	}
	res, err := l.Solve()
	if err != nil {
		t.Fatal(err)
	}
	// 甲→芯片厂, 甲→药企, 乙→芯片厂, 乙→药企, 丙→物流: 5+5+1+1+2.
	if res.Cost != 14 || len(res.Pairs) != 5 || !linkageOK(l, res.Pairs) {
		t.Fatalf("%+v", res)
	}
}

func TestLinkageInfeasible(t *testing.T) {
	c := func(id string, capacity int, senior bool) Cadre {
		return Cadre{ID: id, Capacity: capacity, Senior: senior}
	}
	e := func(id string, need int, key bool) Enterprise { return Enterprise{ID: id, Need: need, Key: key} }
	all := func(l *Linkage) *Linkage {
		for i := range l.Cadres {
			for j := range l.Enterprises {
				l.Candidates = append(l.Candidates, Candidate{i, j, 1})
			}
		}
		return l
	}
	tests := []struct {
		name       string
		l          *Linkage
		constraint Constraint
		ents       []int
		words      []string
	}{
		{"capacity", all(&Linkage{Cadres: []Cadre{c("A", 1, true), c("B", 1, false)}, Enterprises: []Enterprise{e("X", 3, false)}}),
			ConstraintCapacity, nil, []string{"2", "3", "总数"}},
		{"senior", all(&Linkage{Cadres: []Cadre{c("A", 1, true), c("B", 5, false)}, Enterprises: []Enterprise{e("X", 1, true), e("Y", 1, true)}}),
			ConstraintSenior, nil, []string{"处级", "1", "2"}},
		{"candidates", &Linkage{Cadres: []Cadre{c("A", 2, true), c("B", 2, false)}, Enterprises: []Enterprise{e("X", 1, false), e("Y", 2, false)},
			Candidates: []Candidate{{0, 0, 1}, {1, 0, 1}, {1, 1, 1}}},
			ConstraintCandidates, []int{1}, []string{"Y", "needs 2", "1 candidates"}},
		{"zero capacity candidates do not count", &Linkage{Cadres: []Cadre{c("A", 0, true), c("B", 3, true)}, Enterprises: []Enterprise{e("X", 2, false)},
			Candidates: []Candidate{{0, 0, 1}, {1, 0, 1}}},
			ConstraintCandidates, []int{0}, []string{"X"}},
		{"senior candidate", &Linkage{Cadres: []Cadre{c("A", 2, true), c("B", 2, false)}, Enterprises: []Enterprise{e("X", 1, false), e("Y", 1, true)},
			Candidates: []Candidate{{0, 0, 1}, {1, 1, 1}}},
			ConstraintSeniorCandidate, []int{1}, []string{"Y", "处级"}},
		{"pairs", &Linkage{Cadres: []Cadre{c("A", 1, false), c("B", 1, false), c("C", 5, false)},
			Enterprises: []Enterprise{e("X", 1, false), e("Y", 1, false), e("Z", 1, false)},
			Candidates:  []Candidate{{0, 0, 1}, {0, 1, 1}, {2, 2, 1}, {1, 2, 1}}},
			ConstraintPairs, []int{0, 1}, []string{"X、Y", "X, Y", "need 2", "at most 1"}},
		{"senior pairs", &Linkage{Cadres: []Cadre{c("S", 1, true), c("T", 1, true), c("J", 5, false)},
			Enterprises: []Enterprise{e("X", 2, true), e("Y", 1, true), e("Z", 1, false)},
			Candidates:  []Candidate{{0, 0, 1}, {0, 1, 1}, {2, 0, 1}, {2, 1, 1}, {1, 2, 1}}},
			ConstraintPairs, []int{0, 1}, []string{"处级", "need 2 senior", "at most 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := bruteLinkage(tc.l); ok {
				t.Fatal("the instance is feasible")
			}
			_, err := tc.l.Solve()
			var le *LinkageError
			if !errors.As(err, &le) || !errors.Is(err, ErrInfeasible) {
				t.Fatalf("err %v", err)
			}
			if le.Constraint != tc.constraint || !equalInts(le.Enterprises, tc.ents) {
				t.Fatalf("constraint %q enterprises %v; want %q %v (%s)", le.Constraint, le.Enterprises, tc.constraint, tc.ents, le.Message)
			}
			for _, w := range tc.words {
				if !strings.Contains(le.Message, w) {
					t.Fatalf("message %q lacks %q", le.Message, w)
				}
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLinkageValidate(t *testing.T) {
	bad := []*Linkage{
		{Cadres: []Cadre{{ID: "A", Capacity: -1}}},
		{Enterprises: []Enterprise{{ID: "X", Need: -1}}},
		{Enterprises: []Enterprise{{ID: "X", Key: true}}},
		{Cadres: []Cadre{{ID: "A", Capacity: 1}}, Enterprises: []Enterprise{{ID: "X", Need: 1}}, Candidates: []Candidate{{0, 1, 1}}},
		{Cadres: []Cadre{{ID: "A", Capacity: 1}}, Enterprises: []Enterprise{{ID: "X", Need: 1}}, Candidates: []Candidate{{0, 0, 1}, {0, 0, 2}}},
	}
	for i, l := range bad {
		if _, err := l.Solve(); err == nil || errors.Is(err, ErrInfeasible) {
			t.Errorf("case %d: err %v, want an input error", i, err)
		}
	}
	// Nothing to do is fine.
	if res, err := (&Linkage{}).Solve(); err != nil || res.Cost != 0 || len(res.Pairs) != 0 {
		t.Fatal(res, err)
	}
}
