// Package match computes stable matchings of graduates to enterprise
// positions with capacities: the hospitals/residents problem, solved by
// resident-proposing deferred acceptance (Gale–Shapley), which gives the
// resident-optimal stable matching. In zhagen the residents are graduates
// and the hospitals are enterprise positions.
//
// The package is pure: no I/O except the explicit readers and writers of
// the "hr 1" text format in hrfile.go, no globals, no goroutines.
//
// Representation. Residents are numbered 0..R-1 and hospitals 0..H-1.
// An [Instance] keeps only mutually acceptable pairs: every resident's
// list is one slice of a flat array of [Choice] values, and each choice
// carries, next to the hospital, the rank the hospital gave the resident
// (0 is best). Comparing two residents at a hospital is therefore one
// integer comparison, without a lookup table per hospital.
package match

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Choice is one entry of a resident's preference list: a hospital the
// resident ranks and the rank that hospital gave the resident (0 is the
// hospital's favourite; only the order of ranks matters).
type Choice struct {
	Hospital int32
	Rank     int32
}

// Instance is a hospitals/residents problem in dense form. It is
// immutable once built, so one instance may be solved and audited
// concurrently. Build one with [NewInstance], [ReadHR] or [Generate].
type Instance struct {
	nr, nh   int
	capacity []int32 // per hospital, as given (0 for a withdrawn hospital)
	slots    []int32 // per hospital: min(capacity, number of acceptable applicants)
	// Resident r's choices are choices[off[r]:off[r+1]-1]; choices[off[r+1]-1]
	// is a sentinel with Hospital -1 that ends the list (Solve relies on it).
	off     []int32 // len nr+1
	choices []Choice

	// Withdrawals (nil when there are none); see Withdraw.
	withdrawnR []bool
	withdrawnH []bool
}

// NumResidents returns R, the number of residents.
func (in *Instance) NumResidents() int { return in.nr }

// NumHospitals returns H, the number of hospitals.
func (in *Instance) NumHospitals() int { return in.nh }

// Capacity returns hospital h's capacity (0 once it has been withdrawn).
func (in *Instance) Capacity(h int) int { return int(in.capacity[h]) }

// Choices returns resident r's mutually acceptable choices, best first.
// Hospitals r ranked that did not rank r are not included. The slice
// belongs to the instance and must not be modified.
func (in *Instance) Choices(r int) []Choice {
	end := in.off[r+1] - 1
	return in.choices[in.off[r]:end:end]
}

// NumChoices returns the total length of all residents' acceptable lists.
func (in *Instance) NumChoices() int { return len(in.choices) - in.nr }

// ResidentWithdrawn reports whether resident r was removed by Withdraw.
func (in *Instance) ResidentWithdrawn(r int) bool { return in.withdrawnR != nil && in.withdrawnR[r] }

// HospitalWithdrawn reports whether hospital h was removed by Withdraw.
func (in *Instance) HospitalWithdrawn(h int) bool { return in.withdrawnH != nil && in.withdrawnH[h] }

// NewInstance builds an instance from plain lists. capacity has one entry
// per hospital; residents[r] lists the hospitals resident r ranks, best
// first; hospitals[h] lists the residents hospital h ranks, best first
// (len(hospitals) must equal len(capacity)). A pair is acceptable only
// if each ranks the other; the other entries are dropped. NewInstance
// returns an error for a negative capacity, an index out of range or an
// index listed twice in one list.
func NewInstance(capacity []int, residents [][]int, hospitals [][]int) (*Instance, error) {
	nr, nh := len(residents), len(capacity)
	if len(hospitals) != nh {
		return nil, fmt.Errorf("match: %d capacities but %d hospital lists", nh, len(hospitals))
	}
	if nr >= math.MaxInt32 || nh >= math.MaxInt32 {
		return nil, errors.New("match: too many residents or hospitals")
	}
	b := builder{nr: nr, nh: nh, capacity: make([]int32, nh), rOff: make([]int32, 1, nr+1), hOff: make([]int32, 1, nh+1)}
	for h, c := range capacity {
		if c < 0 {
			return nil, fmt.Errorf("match: hospital %d: negative capacity %d", h, c)
		}
		b.capacity[h] = int32(min(c, math.MaxInt32))
	}
	seen := make([]int32, max(nr, nh)) // stamp: list number + 1
	for r, l := range residents {
		for _, h := range l {
			if h < 0 || h >= nh {
				return nil, fmt.Errorf("match: resident %d: hospital %d out of range [0,%d)", r, h, nh)
			}
			if seen[h] == int32(r)+1 {
				return nil, fmt.Errorf("match: resident %d lists hospital %d twice", r, h)
			}
			seen[h] = int32(r) + 1
			b.rPref = append(b.rPref, int32(h))
		}
		if len(b.rPref)+r+1 >= math.MaxInt32 {
			return nil, errors.New("match: resident lists too long")
		}
		b.rOff = append(b.rOff, int32(len(b.rPref)))
	}
	clear(seen)
	for h, l := range hospitals {
		for _, r := range l {
			if r < 0 || r >= nr {
				return nil, fmt.Errorf("match: hospital %d: resident %d out of range [0,%d)", h, r, nr)
			}
			if seen[r] == int32(h)+1 {
				return nil, fmt.Errorf("match: hospital %d lists resident %d twice", h, r)
			}
			seen[r] = int32(h) + 1
			b.hPref = append(b.hPref, int32(r))
		}
		if len(b.hPref) >= math.MaxInt32 {
			return nil, errors.New("match: hospital lists too long")
		}
		b.hOff = append(b.hOff, int32(len(b.hPref)))
	}
	return b.build(), nil
}

// builder holds validated flat lists: indices in range, no duplicates in
// a list, lengths below 2^31.
type builder struct {
	nr, nh      int
	capacity    []int32
	rOff, rPref []int32 // resident lists (hospital indices)
	hOff, hPref []int32 // hospital lists (resident indices)
}

// build computes, for every entry of every resident list, the rank the
// hospital gave the resident, keeps the mutually acceptable entries and
// returns the instance. It runs in O(R + H + total list length): the
// resident lists are laid out as choices (Rank holding the resident for
// now) and transposed by counting sort; then each hospital's list is
// stamped into a resident-indexed scratch array and read back at the
// positions of its applicants; last, the lists are compacted in place.
func (b *builder) build() *Instance {
	nr, nh := b.nr, b.nh
	endMark := Choice{Hospital: -1, Rank: -1}
	choices := make([]Choice, len(b.rPref)+nr)
	off := make([]int32, nr+1)
	tOff := make([]int32, nh+1) // applicants of h: tPos[tOff[h]:tOff[h+1]]
	for r := range nr {
		q := b.rOff[r] + int32(r)
		off[r] = q
		for _, h := range b.rPref[b.rOff[r]:b.rOff[r+1]] {
			choices[q] = Choice{Hospital: h, Rank: int32(r)}
			tOff[h+1]++
			q++
		}
		choices[q] = endMark
	}
	off[nr] = int32(len(choices))
	for h := range nh {
		tOff[h+1] += tOff[h]
	}
	tPos := b.rPref[:tOff[nh]] // rPref is no longer needed
	b.rPref, b.rOff = nil, nil
	fill := slices.Clone(tOff[:nh])
	for q, c := range choices {
		if c.Hospital >= 0 {
			tPos[fill[c.Hospital]] = int32(q)
			fill[c.Hospital]++
		}
	}
	fill = nil
	type mark struct{ rank, h int32 } // h+1 of the hospital whose rank this is
	marks := make([]mark, nr)
	for h := range nh {
		for k, r := range b.hPref[b.hOff[h]:b.hOff[h+1]] {
			marks[r] = mark{int32(k), int32(h) + 1}
		}
		for _, q := range tPos[tOff[h]:tOff[h+1]] {
			c := &choices[q]
			if m := marks[c.Rank]; m.h == int32(h)+1 {
				c.Rank = m.rank
			} else {
				c.Rank = -1 // h did not rank this resident
			}
		}
	}
	tPos, marks = nil, nil
	// Keep the acceptable entries.
	w := int32(0)
	for r := range nr {
		q := off[r]
		off[r] = w
		for ; choices[q].Hospital >= 0; q++ {
			if choices[q].Rank >= 0 {
				choices[w] = choices[q]
				w++
			}
		}
		choices[w] = endMark
		w++
	}
	off[nr] = w
	if int(w) < len(choices)*3/4 {
		choices = slices.Clone(choices[:w])
	}
	in := &Instance{nr: nr, nh: nh, capacity: b.capacity, off: off, choices: choices[:w:w]}
	in.finish()
	return in
}

// finish computes the per-hospital number of places a run can use.
func (in *Instance) finish() {
	applicants := make([]int32, in.nh)
	for _, c := range in.choices {
		if c.Hospital >= 0 {
			applicants[c.Hospital]++
		}
	}
	for h, a := range applicants {
		applicants[h] = min(a, in.capacity[h])
	}
	in.slots = applicants
}

// Withdraw returns a new instance without the given residents and
// hospitals, for a re-run after withdrawals. Indices are unchanged: a
// withdrawn resident keeps its number with an empty list (and is reported
// as withdrawn by Audit), a withdrawn hospital keeps its number with
// capacity 0 and disappears from every list. The receiver is not
// modified. Indices out of range are an error; repeated ones are fine.
func (in *Instance) Withdraw(residents, hospitals []int) (*Instance, error) {
	wr := make([]bool, in.nr)
	wh := make([]bool, in.nh)
	if in.withdrawnR != nil {
		copy(wr, in.withdrawnR)
	}
	if in.withdrawnH != nil {
		copy(wh, in.withdrawnH)
	}
	for _, r := range residents {
		if r < 0 || r >= in.nr {
			return nil, fmt.Errorf("match: withdraw: resident %d out of range [0,%d)", r, in.nr)
		}
		wr[r] = true
	}
	for _, h := range hospitals {
		if h < 0 || h >= in.nh {
			return nil, fmt.Errorf("match: withdraw: hospital %d out of range [0,%d)", h, in.nh)
		}
		wh[h] = true
	}
	out := &Instance{nr: in.nr, nh: in.nh, capacity: make([]int32, in.nh), off: make([]int32, in.nr+1),
		choices: make([]Choice, 0, len(in.choices)), withdrawnR: wr, withdrawnH: wh}
	for h, c := range in.capacity {
		if !wh[h] {
			out.capacity[h] = c
		}
	}
	for r := range in.nr {
		if !wr[r] {
			for _, c := range in.Choices(r) {
				if !wh[c.Hospital] {
					out.choices = append(out.choices, c)
				}
			}
		}
		out.choices = append(out.choices, Choice{Hospital: -1, Rank: -1})
		out.off[r+1] = int32(len(out.choices))
	}
	out.finish()
	return out, nil
}
