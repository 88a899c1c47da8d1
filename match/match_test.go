package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

const example = `hr 1 3 2
r a X Y
r b X
r c X Y
h X 1 c a b
h Y 1 a c
`

func TestExample(t *testing.T) {
	in, names, err := ReadHR(strings.NewReader(example))
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	res := Solve(in, func(done, total int) { calls++ })
	if calls == 0 {
		t.Error("progress never called")
	}
	var sb strings.Builder
	if err := WriteResult(&sb, names, res); err != nil {
		t.Fatal(err)
	}
	if want := "hr-result 1\na Y\nb -\nc X\n"; sb.String() != want {
		t.Fatalf("result:\n%s\nwant:\n%s", sb.String(), want)
	}
	a := Audit(in, res)
	if !a.OK() || a.Matched != 2 {
		t.Fatalf("audit: %+v", a)
	}
	if len(a.Unmatched) != 1 || a.Unmatched[0] != (Unmatched{Resident: 1, Reason: ReasonOutranked}) {
		t.Fatalf("unmatched: %+v", a.Unmatched)
	}
	if got := a.Unmatched[0].Reason.Chinese(); got != "所有志愿均已被排名更靠前的申请人占满" {
		t.Errorf("Chinese label %q", got)
	}
}

// raw is an instance as plain lists, for the reference implementation.
type raw struct {
	capacity  []int
	residents [][]int
	hospitals [][]int
}

// randomRaw returns a small random instance: capacities 0..3 (0..8 for
// the larger ones), lists of any length including empty, hospital lists
// that include residents who did not apply and omit some who did.
func randomRaw(rng *rand.Rand) raw {
	nr, nh, maxCap := rng.IntN(13), rng.IntN(7), 4
	if rng.IntN(4) == 0 {
		nr, nh, maxCap = rng.IntN(61), rng.IntN(13), 9
	}
	x := raw{capacity: make([]int, nh), residents: make([][]int, nr), hospitals: make([][]int, nh)}
	for h := range nh {
		x.capacity[h] = rng.IntN(maxCap)
		x.hospitals[h] = rng.Perm(nr)[:rng.IntN(nr+1)]
	}
	for r := range nr {
		x.residents[r] = rng.Perm(nh)[:rng.IntN(nh+1)]
	}
	return x
}

// reference is deferred acceptance written as plainly as possible: a
// queue of free residents, each hospital re-sorting its held list.
func reference(x raw) []int32 {
	rank := map[[2]int]int{} // {h, r} -> rank of r at h
	for h, l := range x.hospitals {
		for k, r := range l {
			rank[[2]int{h, r}] = k
		}
	}
	next := make([]int, len(x.residents))
	held := map[int][]int{}
	free := []int{}
	for r := range x.residents {
		free = append(free, r)
	}
	for len(free) > 0 {
		r := free[0]
		free = free[1:]
		if next[r] == len(x.residents[r]) {
			continue
		}
		h := x.residents[r][next[r]]
		next[r]++
		if _, ok := rank[[2]int{h, r}]; !ok {
			free = append([]int{r}, free...)
			continue
		}
		held[h] = append(held[h], r)
		sort.Slice(held[h], func(i, j int) bool { return rank[[2]int{h, held[h][i]}] < rank[[2]int{h, held[h][j]}] })
		if len(held[h]) > x.capacity[h] {
			out := held[h][len(held[h])-1]
			held[h] = held[h][:len(held[h])-1]
			free = append(free, out)
		}
	}
	m := make([]int32, len(x.residents))
	for r := range m {
		m[r] = -1
	}
	for h, rs := range held {
		for _, r := range rs {
			m[r] = int32(h)
		}
	}
	return m
}

// bruteBlocking lists blocking pairs by checking every resident against
// every hospital on its raw list, independently of Audit.
func bruteBlocking(x raw, m []int32) []Pair {
	rankOf := func(h, r int) int { return slices.Index(x.hospitals[h], r) }
	var out []Pair
	for r, l := range x.residents {
		for _, h := range l {
			if int32(h) == m[r] {
				break
			}
			if rankOf(h, r) < 0 {
				continue
			}
			n, worse := 0, false
			for r2, h2 := range m {
				if h2 == int32(h) {
					n++
					if k := rankOf(h, r2); k < 0 || k > rankOf(h, r) {
						worse = true
					}
				}
			}
			if n < x.capacity[h] || worse {
				out = append(out, Pair{int32(r), int32(h)})
			}
		}
	}
	return out
}

func mustInstance(t *testing.T, x raw) *Instance {
	t.Helper()
	in, err := NewInstance(x.capacity, x.residents, x.hospitals)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestSolveMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		x := randomRaw(rng)
		in := mustInstance(t, x)
		res := Solve(in, nil)
		want := reference(x)
		if !slices.Equal(res.Match, want) {
			t.Fatalf("instance %d %+v:\nSolve     %v\nreference %v", i, x, res.Match, want)
		}
		checkResult(t, x, in, res)
	}
}

// checkResult checks stability, capacities and acceptability of res by
// Audit and by brute force, and the unmatched reasons.
func checkResult(t *testing.T, x raw, in *Instance, res *Result) {
	t.Helper()
	a := Audit(in, res)
	if !a.OK() {
		t.Fatalf("audit failed for %+v: %+v", x, a)
	}
	if b := bruteBlocking(x, res.Match); len(b) > 0 {
		t.Fatalf("blocking pairs %v in %v for %+v", b, res.Match, x)
	}
	count := make([]int, len(x.capacity))
	for r, h := range res.Match {
		if h < 0 {
			continue
		}
		count[h]++
		if !slices.Contains(x.residents[r], int(h)) || !slices.Contains(x.hospitals[h], r) {
			t.Fatalf("resident %d matched to %d, not mutually acceptable", r, h)
		}
	}
	for h, n := range count {
		if n > x.capacity[h] {
			t.Fatalf("hospital %d holds %d > %d", h, n, x.capacity[h])
		}
	}
	un := 0
	for _, u := range a.Unmatched {
		un++
		acceptable := 0
		for _, h := range x.residents[u.Resident] {
			if slices.Contains(x.hospitals[h], int(u.Resident)) {
				acceptable++
			}
		}
		want := ReasonOutranked
		if acceptable == 0 {
			want = ReasonEmptyList
		}
		if u.Reason != want {
			t.Fatalf("resident %d: reason %v, want %v", u.Resident, u.Reason, want)
		}
	}
	if un+a.Matched != len(x.residents) || a.Matched != res.Matched() {
		t.Fatalf("matched %d + unmatched %d != %d", a.Matched, un, len(x.residents))
	}
}

// TestAuditFindsFaults perturbs correct matchings and compares Audit's
// blocking pairs with the brute-force ones.
func TestAuditFindsFaults(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	faults := 0
	for range 1000 {
		x := randomRaw(rng)
		if len(x.residents) == 0 {
			continue
		}
		in := mustInstance(t, x)
		res := Solve(in, nil)
		// Unmatch a resident, or move it to a random acceptable choice.
		r := rng.IntN(len(x.residents))
		res.Match[r] = -1
		if l := in.Choices(r); len(l) > 0 && rng.IntN(2) == 0 {
			res.Match[r] = l[rng.IntN(len(l))].Hospital
		}
		a := Audit(in, res)
		want := bruteBlocking(x, res.Match)
		if !slices.Equal(a.BlockingPairs, want) {
			t.Fatalf("%+v match %v: Audit %v, brute force %v", x, res.Match, a.BlockingPairs, want)
		}
		if len(want) > 0 {
			faults++
		}
		for _, u := range a.Unmatched {
			blocked := slices.ContainsFunc(want, func(p Pair) bool { return p.Resident == u.Resident })
			if blocked != (u.Reason == ReasonBlocked) {
				t.Fatalf("resident %d: reason %v, blocked %v", u.Resident, u.Reason, blocked)
			}
		}
	}
	if faults < 100 {
		t.Fatalf("only %d perturbations were unstable; the test is too weak", faults)
	}
}

func TestAuditViolations(t *testing.T) {
	in, _, err := ReadHR(strings.NewReader(example))
	if err != nil {
		t.Fatal(err)
	}
	// b and c both at X (capacity 1); a at an out-of-range hospital.
	a := Audit(in, &Result{Match: []int32{7, 0, 0}})
	if !slices.Equal(a.CapacityViolations, []int32{0}) || !slices.Equal(a.Unacceptable, []int32{0}) || a.OK() {
		t.Fatalf("%+v", a)
	}
	// a at Y is acceptable; b at Y is not (Y did not rank b).
	a = Audit(in, &Result{Match: []int32{-1, 1, 0}})
	if !slices.Equal(a.Unacceptable, []int32{1}) {
		t.Fatalf("%+v", a)
	}
	// (a, X) does not block: X holds c, whom it ranks above a. (a, Y)
	// blocks: Y holds b, whom it did not rank at all.
	if !slices.Equal(a.BlockingPairs, []Pair{{0, 1}}) {
		t.Fatalf("blocking pairs %v", a.BlockingPairs)
	}
}

func TestWithdraw(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 500 {
		x := randomRaw(rng)
		in := mustInstance(t, x)
		before := Solve(in, nil)
		var gone []int
		if len(x.residents) > 0 {
			gone = append(gone, rng.IntN(len(x.residents)))
		}
		in2, err := in.Withdraw(gone, nil)
		if err != nil {
			t.Fatal(err)
		}
		after := Solve(in2, nil)
		a := Audit(in2, after)
		if !a.OK() {
			t.Fatalf("instance %d: after withdrawal %+v", i, a)
		}
		// Same as solving the instance with the resident's list emptied.
		y := raw{capacity: x.capacity, residents: slices.Clone(x.residents), hospitals: x.hospitals}
		for _, r := range gone {
			y.residents[r] = nil
		}
		if want := reference(y); !slices.Equal(after.Match, want) {
			t.Fatalf("instance %d: after withdrawal %v, reference %v", i, after.Match, want)
		}
		// Fewer competitors: nobody is worse off in the resident-optimal
		// stable matching.
		for r := range x.residents {
			if slices.Contains(gone, r) {
				if after.Match[r] != -1 {
					t.Fatalf("withdrawn resident %d matched", r)
				}
				continue
			}
			if position(in, r, after.Match[r]) > position(in, r, before.Match[r]) {
				t.Fatalf("instance %d: resident %d worse off after a withdrawal: %d -> %d", i, r, before.Match[r], after.Match[r])
			}
		}
		for _, u := range a.Unmatched {
			if slices.Contains(gone, int(u.Resident)) && u.Reason != ReasonWithdrawn {
				t.Fatalf("withdrawn resident reason %v", u.Reason)
			}
		}
		// Withdraw a hospital too: its residents are re-placed, still stable.
		if len(x.capacity) > 0 {
			in3, err := in2.Withdraw(nil, []int{rng.IntN(len(x.capacity))})
			if err != nil {
				t.Fatal(err)
			}
			if a := Audit(in3, Solve(in3, nil)); !a.OK() {
				t.Fatalf("after hospital withdrawal: %+v", a)
			}
		}
	}
	if _, err := Generate(1, 3, 2, 2).Withdraw([]int{3}, nil); err == nil {
		t.Error("out-of-range withdrawal accepted")
	}
}

// position is h's index in r's list, len(list) when h is -1.
func position(in *Instance, r int, h int32) int {
	l := in.Choices(r)
	for i, c := range l {
		if c.Hospital == h {
			return i
		}
	}
	return len(l)
}

func TestNewInstanceErrors(t *testing.T) {
	for _, c := range []struct {
		x    raw
		want string
	}{
		{raw{[]int{-1}, [][]int{{0}}, [][]int{{0}}}, "negative capacity"},
		{raw{[]int{1}, [][]int{{1}}, [][]int{{0}}}, "out of range"},
		{raw{[]int{1}, [][]int{{0, 0}}, [][]int{{0}}}, "twice"},
		{raw{[]int{1}, [][]int{{0}}, [][]int{{0, 0}}}, "twice"},
		{raw{[]int{1}, [][]int{{0}}, [][]int{{2}}}, "out of range"},
		{raw{[]int{1}, [][]int{{0}}, nil}, "hospital lists"},
	} {
		if _, err := NewInstance(c.x.capacity, c.x.residents, c.x.hospitals); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.x, err, c.want)
		}
	}
}

func TestGenerate(t *testing.T) {
	a, b := Generate(7, 3000, 400, 8), Generate(7, 3000, 400, 8)
	if !slices.Equal(a.choices, b.choices) || !slices.Equal(a.capacity, b.capacity) {
		t.Fatal("Generate is not deterministic")
	}
	if c := Generate(8, 3000, 400, 8); slices.Equal(a.choices, c.choices) {
		t.Fatal("seed ignored")
	}
	total := 0
	for h := range a.NumHospitals() {
		total += a.Capacity(h)
	}
	if total < 2700 || total > 3300 {
		t.Errorf("total capacity %d, want ≈ 3000", total)
	}
	for _, g := range []*Instance{a, Generate(9, 200, 10, 8), Generate(10, 50, 3, 12), Generate(11, 5, 0, 3)} {
		res := Solve(g, nil)
		if au := Audit(g, res); !au.OK() {
			t.Fatalf("generated instance: %+v", au)
		}
		if want := reference(toRaw(g)); !slices.Equal(res.Match, want) {
			t.Fatal("generated instance: Solve differs from reference")
		}
	}
}

// toRaw turns an instance back into plain lists (acceptable pairs only).
func toRaw(in *Instance) raw {
	x := raw{capacity: make([]int, in.nh), residents: make([][]int, in.nr), hospitals: make([][]int, in.nh)}
	type e struct{ rank, r int32 }
	byH := make([][]e, in.nh)
	for h := range x.capacity {
		x.capacity[h] = in.Capacity(h)
	}
	for r := range in.nr {
		for _, c := range in.Choices(r) {
			x.residents[r] = append(x.residents[r], int(c.Hospital))
			byH[c.Hospital] = append(byH[c.Hospital], e{c.Rank, int32(r)})
		}
	}
	for h, l := range byH {
		slices.SortFunc(l, func(a, b e) int { return int(a.rank - b.rank) })
		for _, v := range l {
			x.hospitals[h] = append(x.hospitals[h], int(v.r))
		}
	}
	return x
}

func TestProgress(t *testing.T) {
	in := Generate(3, 60000, 6000, 10)
	var last, calls int
	Solve(in, func(done, total int) {
		if total != 60000 || done < last || done > total {
			t.Fatalf("progress(%d, %d) after %d", done, total, last)
		}
		last = done
		calls++
	})
	if last != 60000 || calls < 2 {
		t.Fatalf("progress ended at %d after %d calls", last, calls)
	}
}

func TestReasonLabels(t *testing.T) {
	for _, r := range []Reason{ReasonEmptyList, ReasonOutranked, ReasonWithdrawn, ReasonBlocked} {
		if r.String() == "unknown" || r.Chinese() == "未知" {
			t.Errorf("reason %d has no label", r)
		}
	}
	if got := ReasonEmptyList.Chinese(); got != "志愿为空" {
		t.Errorf("%q", got)
	}
	_ = fmt.Sprint(Reason(0))
}
