package match

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// Generate returns a random instance, the same for the same arguments,
// shaped like a real placement round:
//   - hospital popularity is log-normal (σ = 0.8): some positions attract
//     several times the applications of others;
//   - each resident ranks min(choices, hospitals) distinct hospitals drawn
//     by popularity, in the order drawn;
//   - capacities follow the square root of popularity and add up to about
//     the number of residents;
//   - each resident has a score, and a hospital ranks exactly the
//     residents who applied to it by score plus its own noise (σ = 0.5),
//     so hospitals broadly agree on who is strong.
func Generate(seed int64, residents, hospitals, choices int) *Instance {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7a6861676e656e31))
	nr, nh := max(residents, 0), max(hospitals, 0)
	k := min(max(choices, 0), nh)
	if int64(nr)*int64(k+1) >= math.MaxInt32 {
		panic("match: Generate: more than 2^31-1 choices in all")
	}
	in := &Instance{nr: nr, nh: nh, capacity: make([]int32, nh), off: make([]int32, nr+1),
		choices: make([]Choice, nr*(k+1))}

	weight := make([]float64, nh)
	var sumW, sumC float64
	for h := range weight {
		weight[h] = math.Exp(0.8 * rng.NormFloat64())
		sumW += weight[h]
		sumC += math.Sqrt(weight[h])
	}
	for h := range nh {
		c := float64(nr) * math.Sqrt(weight[h]) / sumC
		in.capacity[h] = int32(c + rng.Float64()) // randomized rounding keeps the sum ≈ R
	}

	// Resident lists.
	alias := newAlias(weight, sumW)
	keys := make([]float64, nh) // for dense lists (k > nh/2)
	order := make([]int32, nh)
	seen := make([]int32, nh) // resident + 1 that drew the hospital last
	for r := range nr {
		l := in.choices[r*(k+1) : r*(k+1)+k]
		in.choices[r*(k+1)+k] = Choice{Hospital: -1, Rank: -1} // end of list
		if 2*k <= nh {
			for i := range l {
				h := alias.draw(rng)
				for seen[h] == int32(r)+1 {
					h = alias.draw(rng)
				}
				seen[h] = int32(r) + 1
				l[i].Hospital = h
			}
		} else {
			// Weighted sampling without replacement by exponential keys.
			for h := range nh {
				keys[h] = rng.ExpFloat64() / weight[h]
				order[h] = int32(h)
			}
			slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(keys[a], keys[b]) })
			for i := range l {
				l[i].Hospital = order[i]
			}
		}
		in.off[r+1] = int32((r + 1) * (k + 1))
	}

	// Hospital rankings: score plus noise, best first.
	score := make([]float32, nr)
	for r := range score {
		score[r] = float32(rng.NormFloat64())
	}
	type app struct {
		key float32
		pos int32
	}
	tOff := make([]int32, nh+1)
	for _, c := range in.choices {
		if c.Hospital >= 0 {
			tOff[c.Hospital+1]++
		}
	}
	for h := range nh {
		tOff[h+1] += tOff[h]
	}
	apps := make([]app, tOff[nh])
	fill := slices.Clone(tOff[:nh])
	for r := range nr {
		for p := in.off[r]; p < in.off[r+1]-1; p++ {
			h := in.choices[p].Hospital
			apps[fill[h]] = app{key: score[r] + 0.5*float32(rng.NormFloat64()), pos: p}
			fill[h]++
		}
	}
	for h := range nh {
		seg := apps[tOff[h]:tOff[h+1]]
		slices.SortFunc(seg, func(a, b app) int { return cmp.Compare(b.key, a.key) })
		for i, a := range seg {
			in.choices[a.pos].Rank = int32(i)
		}
	}
	in.finish()
	return in
}

// alias is Vose's alias table for drawing an index with probability
// proportional to its weight in O(1).
type alias struct {
	prob []float64
	alt  []int32
}

func newAlias(w []float64, sum float64) *alias {
	n := len(w)
	a := &alias{prob: make([]float64, n), alt: make([]int32, n)}
	small, large := make([]int32, 0, n), make([]int32, 0, n)
	for i, x := range w {
		a.prob[i] = x * float64(n) / sum
		if a.prob[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.alt[s] = l
		a.prob[l] += a.prob[s] - 1
		if a.prob[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range large {
		a.prob[i] = 1
	}
	for _, i := range small {
		a.prob[i] = 1
	}
	return a
}

func (a *alias) draw(rng *rand.Rand) int32 {
	i := rng.IntN(len(a.prob))
	if rng.Float64() < a.prob[i] {
		return int32(i)
	}
	return a.alt[i]
}
