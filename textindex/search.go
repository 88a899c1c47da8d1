package textindex

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
)

// ScanBudget is how many postings a lookup reads in full, rarest terms
// first; Candidates how many of the documents they reach are scored
// exactly with the remaining (common) terms.
const (
	ScanBudget = 150_000
	Candidates = 400
	// GroupScan is the largest group whose documents are all scored
	// (by lookups in the postings) rather than found by a scan.
	GroupScan = 20_000
)

// acc is the scratch memory of one lookup (pooled).
type acc struct {
	score   []float32 // partial score by internal number
	touched []uint32
	sums    []float64 // candidates' scores
	order   []uint64  // candidates as document<<32|position, ascending
}

// Query is a lookup: the text, how many hits, the least score, and when
// Group is non-zero only documents of that group.
type Query struct {
	Text     string
	K        int
	MinScore float64
	Group    int64
	// Skip leaves out a document (the one being filed, already indexed).
	Skip int64
}

// qterm is a term of a lookup: its list, weight and document frequency.
type qterm struct {
	t Term
	i uint32
	w float64
	n int
}

// Search returns the K documents most similar to the query text by
// cosine of TF-IDF vectors, best first.
func (x *Index) Search(q Query) []Hit {
	var sc scratch
	ts := sc.count(q.Text)
	if len(ts) == 0 || q.K <= 0 {
		return nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	var qs []qterm
	qnorm := 0.0
	for _, e := range ts {
		idf := x.idf(e.t)
		w := tfw(int(e.c)) * idf
		qnorm += w * w
		if i, ok := x.term(e.t); ok && w > 0 {
			p, _ := x.list(i)
			qs = append(qs, qterm{e.t, i, w * idf, int(p.n)})
		}
	}
	if len(qs) == 0 || qnorm == 0 {
		return nil
	}
	slices.SortFunc(qs, func(a, b qterm) int {
		if a.n != b.n {
			return a.n - b.n
		}
		return cmp.Compare(a.t, b.t)
	})
	a, _ := x.pool.Get().(*acc)
	if a == nil || len(a.score) < len(x.ids) {
		a = &acc{score: make([]float32, len(x.ids)+len(x.ids)/8+64)}
	}
	var gno uint32 // the group's number (0: any group, or none known)
	var members []uint32
	if q.Group != 0 {
		gno = x.gnum[q.Group]
		members = x.group[gno]
		if gno == 0 {
			members = nil
		}
	}
	// The rarest terms are scanned until scanBudget postings have been
	// read (a query of one group reads them all, admitting only its
	// documents); the common rest are looked up for the best candidates
	// only, so that their scores are exact.
	scanned, k := 0, 0
	small := q.Group != 0 && len(members) <= x.groupScan
	if small {
		// A small group: its documents are the candidates, every term
		// looked up for each.
		k = len(qs)
		a.touched = append(a.touched, members...)
	}
	for ; k < len(qs); k++ {
		e := qs[k]
		if q.Group == 0 && k >= 3 && scanned+e.n > x.scanBudget {
			break
		}
		scanned += e.n
		_, data := x.list(e.i)
		w := float32(e.w)
		tf0 := data[0]
		var d uint32
		for pos := 1; pos < len(data); {
			// decode, inline
			v := uint32(data[pos])
			pos++
			if v >= 0x80 {
				v, pos = long(data, pos-1)
			}
			tf := tf0
			if v&1 != 0 {
				tf = data[pos]
				pos++
			}
			d += v >> 1
			if a.score[d] == 0 {
				if q.Group != 0 && x.grp[d] != gno {
					continue
				}
				a.touched = append(a.touched, d)
			}
			a.score[d] += w * tfwTable[tf]
		}
	}
	rest := qs[k:]
	if small {
		rest = qs
	}
	// The candidates: all touched, or with terms left the best by their
	// partial score.
	cands := a.touched
	if !small && len(rest) > 0 && len(cands) > x.candidates {
		cands = a.best(cands, x.candidates)
	}
	sums := a.sums[:0]
	for _, d := range cands {
		sums = append(sums, float64(a.score[d]))
		a.score[d] = 0
	}
	if len(rest) > 0 {
		a.order = a.order[:0]
		for i, d := range cands {
			a.order = append(a.order, uint64(d)<<32|uint64(i))
		}
		slices.Sort(a.order)
		var sk seeker
		for _, e := range rest {
			p, data := x.list(e.i)
			sk.reset(data, &p, x.skips[e.i])
			for _, o := range a.order {
				if tf, ok := sk.find(uint32(o >> 32)); ok {
					sums[uint32(o)] += e.w * float64(tfwTable[tf])
				}
			}
		}
	}
	h := &hits{}
	qn := math.Sqrt(qnorm)
	for i, d := range cands {
		s := sums[i]
		id := x.ids[d]
		if s <= 0 || (q.Group != 0 && x.grp[d] != gno) || (q.Skip != 0 && id == q.Skip) || x.norm[d] == 0 {
			continue
		}
		s /= qn * float64(x.norm[d])
		if s < q.MinScore {
			continue
		}
		if h.Len() < q.K {
			heap.Push(h, Hit{id, x.gids[x.grp[d]], s})
		} else if s > (*h)[0].Score {
			(*h)[0] = Hit{id, x.gids[x.grp[d]], s}
			heap.Fix(h, 0)
		}
	}
	a.touched, a.sums = a.touched[:0], sums[:0]
	x.pool.Put(a)
	out := make([]Hit, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(Hit)
	}
	return out
}

// Similarity is the cosine of the TF-IDF vectors of two texts under the
// index's current IDF.
func (x *Index) Similarity(a, b string) float64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return cosine(x.vector(Terms(a)), x.vector(Terms(b)))
}

func (x *Index) vector(ts map[Term]int) map[Term]float64 {
	v := make(map[Term]float64, len(ts))
	for t, c := range ts {
		v[t] = tfw(c) * x.idf(t)
	}
	return v
}

func cosine(a, b map[Term]float64) float64 {
	dot, na, nb := 0.0, 0.0, 0.0
	for t, w := range a {
		na += w * w
		dot += w * b[t]
	}
	for _, w := range b {
		nb += w * w
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// hits is a min-heap by score (ties: the higher ID first out, so the
// lower ID wins).
type hits []Hit

func (h hits) Len() int { return len(h) }
func (h hits) Less(i, j int) bool {
	if h[i].Score != h[j].Score {
		return h[i].Score < h[j].Score
	}
	return h[i].ID > h[j].ID
}
func (h hits) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *hits) Push(v any)   { *h = append(*h, v.(Hit)) }
func (h *hits) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}

// best keeps of cands about the n of the highest score (a histogram of
// 256 bins finds the cutoff in linear time), zeroing the others.
func (a *acc) best(cands []uint32, n int) []uint32 {
	top := float32(0)
	for _, d := range cands {
		top = max(top, a.score[d])
	}
	if top <= 0 {
		return cands[:0]
	}
	var bins [256]int
	bin := func(v float32) int { return min(int(v/top*255), 255) }
	for _, d := range cands {
		bins[bin(a.score[d])]++
	}
	cut, sum := 0, 0
	for b := 255; b >= 0; b-- {
		if sum += bins[b]; sum >= n {
			cut = b
			break
		}
	}
	// Above the cutoff's bin all are kept; of its bin (ties are common)
	// as many as fill n, the lower numbers first.
	room := n - (sum - bins[cut])
	kept := cands[:0]
	for _, d := range cands {
		switch b := bin(a.score[d]); {
		case b > cut:
			kept = append(kept, d)
		case b == cut && room > 0:
			room--
			kept = append(kept, d)
		default:
			a.score[d] = 0
		}
	}
	return kept
}

// tfwTable is tfw of each count a posting keeps.
var tfwTable = func() (t [256]float32) {
	for i := 1; i < 256; i++ {
		t[i] = float32(tfw(i))
	}
	return t
}()
