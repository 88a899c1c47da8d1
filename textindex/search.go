package textindex

import (
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

type acc struct {
	score   []float32
	touched []uint32
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

// Search returns the K documents most similar to the query text by
// cosine of TF-IDF vectors, best first.
func (x *Index) Search(q Query) []Hit {
	ts := Terms(q.Text)
	if len(ts) == 0 || q.K <= 0 {
		return nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	type qt struct {
		i uint32
		w float64
		n int
	}
	var qs []qt
	qnorm := 0.0
	for t, c := range ts {
		idf := x.idf(t)
		w := tfw(c) * idf
		qnorm += w * w
		if i, ok := x.terms[t]; ok && w > 0 {
			qs = append(qs, qt{i, w * idf, len(x.post[i].docs)})
		}
	}
	if len(qs) == 0 || qnorm == 0 {
		return nil
	}
	slices.SortFunc(qs, func(a, b qt) int { return a.n - b.n })
	a, _ := x.pool.Get().(*acc)
	if a == nil || len(a.score) < len(x.docs) {
		a = &acc{score: make([]float32, len(x.docs)+len(x.docs)/8+64)}
	}
	// The rarest terms are scanned until ScanBudget postings have been
	// read (a query of one group reads them all, admitting only its
	// documents); the common rest are looked up by binary search for the
	// best candidates only, so that their scores are exact.
	scanned, k := 0, 0
	small := q.Group != 0 && len(x.group[q.Group]) <= GroupScan
	if g := x.group[q.Group]; small {
		// A small group: its documents are the candidates, every term
		// looked up for each.
		k = len(qs)
		a.touched = append(a.touched, g...)
	}
	for ; k < len(qs); k++ {
		e := qs[k]
		if q.Group == 0 && k >= 3 && scanned+e.n > ScanBudget {
			break
		}
		scanned += e.n
		p := &x.post[e.i]
		for j, d := range p.docs {
			if a.score[d] == 0 {
				if q.Group != 0 && x.docs[d].Group != q.Group {
					continue
				}
				a.touched = append(a.touched, d)
			}
			a.score[d] += float32(e.w) * tfwTable[p.tf[j]]
		}
	}
	rest := qs[k:]
	if small {
		rest = qs
	}
	// The candidates: all touched, or with terms left the best by their
	// partial score.
	cands := a.touched
	if !small && len(rest) > 0 && len(cands) > Candidates {
		cands = a.best(cands, Candidates)
	}
	h := &hits{}
	qn := math.Sqrt(qnorm)
	for _, d := range cands {
		s := float64(a.score[d])
		a.score[d] = 0
		for _, e := range rest {
			p := &x.post[e.i]
			if j, ok := slices.BinarySearch(p.docs, d); ok {
				s += e.w * float64(tfwTable[p.tf[j]])
			}
		}
		doc := x.docs[d]
		if s <= 0 || (q.Group != 0 && doc.Group != q.Group) || (q.Skip != 0 && doc.ID == q.Skip) || x.norm[d] == 0 {
			continue
		}
		s /= qn * float64(x.norm[d])
		if s < q.MinScore {
			continue
		}
		if h.Len() < q.K {
			heap.Push(h, Hit{doc.ID, doc.Group, s})
		} else if s > (*h)[0].Score {
			(*h)[0] = Hit{doc.ID, doc.Group, s}
			heap.Fix(h, 0)
		}
	}
	a.touched = a.touched[:0]
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
