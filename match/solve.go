package match

import "unsafe"

// Result is the outcome of a run.
type Result struct {
	// Match[r] is the hospital resident r is matched to, or -1.
	Match []int32
	// Proposals is the number of applications made: every choice a
	// resident reached in its list, accepted or not.
	Proposals int64
}

// Matched returns the number of matched residents.
func (res *Result) Matched() int {
	n := 0
	for _, h := range res.Match {
		if h >= 0 {
			n++
		}
	}
	return n
}

// progressEvery is the number of proposals between progress reports.
const progressEvery = 1 << 16

// ringSize is how many residents take turns at proposing (a power of 2):
// enough to overlap the cache misses of several displaced residents.
const ringSize = 32

// hospital is the run state of one hospital: its assignees are a max-heap
// (by rank, worst on top) in heap[off:off+n], with room for slots.
type hospital struct {
	off, n, slots int32
	worst         int32 // rank of the worst assignee once full, else -1
}

// Solve runs resident-proposing deferred acceptance and returns the
// resident-optimal stable matching, which is unique: any correct
// implementation gives the same Match.
//
// A free resident applies down its list until a hospital holds it, and a
// resident a hospital displaces later continues from where it stopped.
// Free residents take turns from a small queue that new residents enter
// in order (a variant of McVitie and Wilson's order: any order of
// applications yields the same matching as the round-based algorithm). A
// hospital holds at most its capacity in a max-heap keyed by rank, so
// deciding an application costs O(1) and displacing costs O(log CAP).
// The run takes O(R + H + total list length · log CAP) time.
//
// progress, when not nil, is called about every 65,536 proposals with
// the number of residents that have entered so far and R, and once at
// the end with (R, R). It is called on the caller's goroutine.
func Solve(in *Instance, progress func(done, total int)) *Result {
	nr := in.nr
	hs := make([]hospital, in.nh)
	var total int32
	for h := range hs {
		hs[h] = hospital{off: total, slots: in.slots[h], worst: -1}
		total += in.slots[h]
	}
	// A heap entry packs rank<<32 | q, where q is the position in choices
	// just after the held application: the held resident is identified by
	// its list position, and when displaced it resumes at q without any
	// per-resident lookup. Ranks at one hospital are distinct, so
	// comparing entries compares ranks.
	heap := make([]uint64, total)
	choices := in.choices

	// Residents wait in a small FIFO ring: new ones enter at the back as
	// room frees up, and a displaced one goes to the back too, with a
	// prefetch of its resume position: that line misses the cache (the
	// choices of a random resident), and by the time the resident reaches
	// the front, other residents' proposals have run and it has arrived.
	// The order of proposals does not change the result.
	var ring [ringSize]int32
	head, queued := 0, 0

	var proposals int64
	next := int64(progressEvery)
	r := 0
	for {
		for queued < ringSize && r < nr {
			ring[(head+queued)&(ringSize-1)] = in.off[r]
			queued++
			r++
		}
		if queued == 0 {
			break
		}
		p := ring[head]
		head = (head + 1) & (ringSize - 1)
		queued--
		for {
			c := choices[p]
			p++
			if c.Hospital < 0 {
				break // end of the list: unmatched
			}
			proposals++
			h := &hs[c.Hospital]
			if h.n < h.slots {
				// Free place: sift the new entry up.
				e := uint64(c.Rank)<<32 | uint64(p)
				base := heap[h.off : h.off+h.slots]
				i := h.n
				h.n++
				for i > 0 {
					parent := (i - 1) / 2
					if base[parent] >= e {
						break
					}
					base[i] = base[parent]
					i = parent
				}
				base[i] = e
				if h.n == h.slots {
					h.worst = int32(base[0] >> 32)
				}
				break
			}
			if c.Rank < h.worst {
				// Full, and the applicant beats the worst assignee, who is
				// displaced and resumes its own list.
				base := heap[h.off : h.off+h.slots]
				out := base[0]
				siftDownTop(base, uint64(c.Rank)<<32|uint64(p))
				h.worst = int32(base[0] >> 32)
				q := int32(uint32(out))
				prefetch(unsafe.Pointer(&choices[q]))
				ring[(head+queued)&(ringSize-1)] = q
				queued++
				break
			}
		}
		if progress != nil && proposals >= next {
			progress(r, nr)
			next = proposals + progressEvery
		}
	}

	// Mark the held applications, then read each resident's list once.
	held := make([]uint64, (len(choices)+63)/64)
	for i := range hs {
		for _, e := range heap[hs[i].off : hs[i].off+hs[i].n] {
			q := uint32(e) - 1
			held[q/64] |= 1 << (q % 64)
		}
	}
	res := &Result{Match: make([]int32, nr), Proposals: proposals}
	for r := range nr {
		res.Match[r] = -1
		for p := in.off[r]; p < in.off[r+1]-1; p++ {
			if held[p/64]&(1<<(p%64)) != 0 {
				res.Match[r] = choices[p].Hospital
				break
			}
		}
	}
	if progress != nil {
		progress(nr, nr)
	}
	return res
}

// siftDownTop replaces the top of the max-heap base with e and restores
// the heap order.
func siftDownTop(base []uint64, e uint64) {
	n := len(base)
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && base[c+1] > base[c] {
			c++
		}
		if base[c] <= e {
			break
		}
		base[i] = base[c]
		i = c
	}
	base[i] = e
}
