package textindex

import (
	"container/heap"
	"math"
	"slices"
)

// CommonShare is the document frequency (a share of all documents) above
// which a query term is skipped when rarer terms remain: such a term
// weighs little in the cosine and would cost a scan of its long list.
const CommonShare = 0.08

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
	limit := int(CommonShare * float64(len(x.docs)))
	a, _ := x.pool.Get().(*acc)
	if a == nil || len(a.score) < len(x.docs) {
		a = &acc{score: make([]float32, len(x.docs)+len(x.docs)/8+64)}
	}
	for k, e := range qs {
		if e.n > limit && e.n > 2000 && k >= 3 {
			break
		}
		p := &x.post[e.i]
		for j, d := range p.docs {
			if a.score[d] == 0 {
				a.touched = append(a.touched, d)
			}
			a.score[d] += float32(e.w * tfw(int(p.tf[j])))
		}
	}
	h := &hits{}
	qn := math.Sqrt(qnorm)
	for _, d := range a.touched {
		s := float64(a.score[d])
		a.score[d] = 0
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
