package textindex

import (
	"cmp"
	"container/heap"
	"hash/fnv"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode"
)

// refTerms is Terms written plainly (a map filled rune by rune, words
// hashed by hash/fnv): the compact scratch.count must agree with it.
func refTerms(text string) map[Term]int {
	out := map[Term]int{}
	var prev rune
	var word []rune
	flush := func() {
		if len(word) > 0 {
			h := fnv.New64a()
			h.Write([]byte(string(word)))
			out[Term(h.Sum64())&^(conceptBit)|wordBit]++
			word = word[:0]
		}
	}
	n := 0
	for _, r := range text {
		if n++; n > maxRunes {
			break
		}
		switch {
		case isHan(r):
			flush()
			out[Term(r)]++
			if prev != 0 {
				out[Term(prev)<<32|Term(r)]++
			}
			prev = r
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			prev = 0
			word = append(word, unicode.ToLower(r))
		default:
			prev = 0
			flush()
		}
	}
	flush()
	seen := 0
	for i, r := range text {
		if i >= maxBytes {
			break
		}
		for _, cw := range conceptStarts[r] {
			if seen&(1<<cw.concept) == 0 && strings.HasPrefix(text[i:], cw.word) {
				seen |= 1 << cw.concept
				out[conceptBit|Term(cw.concept)] += conceptCount
			}
		}
	}
	return out
}

// refIndex is the index written plainly: postings as slices of document
// numbers and counts in a map by term, documents as structs, a map by ID
// and one by group. Terms are visited in ascending order wherever a sum
// depends on the order, as the compact index visits them.
type refIndex struct {
	post     map[Term]*refList
	docs     []Doc
	norm     []float32
	byID     map[int64]uint32
	group    map[int64][]uint32
	maxTerms int

	scanBudget, candidates, groupScan int
}

type refList struct {
	docs []uint32
	tf   []uint8
}

func newRef() *refIndex {
	return &refIndex{post: map[Term]*refList{}, byID: map[int64]uint32{}, group: map[int64][]uint32{},
		maxTerms: 48, scanBudget: ScanBudget, candidates: Candidates, groupScan: GroupScan}
}

func (x *refIndex) df(t Term) int {
	if p := x.post[t]; p != nil {
		return len(p.docs)
	}
	return 0
}

func (x *refIndex) idf(t Term) float64 {
	return math.Log((float64(len(x.docs))+1)/(float64(x.df(t))+1)) + 1
}

func (x *refIndex) build(docs []Doc, texts []string) {
	df := map[Term]int{}
	all := make([]map[Term]int, len(docs))
	for i := range docs {
		all[i] = refTerms(texts[i])
		for t := range all[i] {
			df[t]++
		}
	}
	n := float64(len(x.docs)+len(docs)) + 1
	idf := func(t Term) float64 { return math.Log(n/float64(df[t]+x.df(t)+1)) + 1 }
	for i, d := range docs {
		x.add(d, all[i], idf)
	}
}

func (x *refIndex) add(d Doc, ts map[Term]int, idf func(Term) float64) {
	if _, ok := x.byID[d.ID]; ok || len(ts) == 0 {
		return
	}
	var ws []tw
	norm := 0.0
	for _, t := range slices.Sorted(maps.Keys(ts)) {
		w := tfw(ts[t]) * idf(t)
		norm += w * w
		ws = append(ws, tw{t, ts[t], w})
	}
	if len(ws) > x.maxTerms {
		slices.SortFunc(ws, func(a, b tw) int {
			if a.w != b.w {
				return -cmp.Compare(a.w, b.w)
			}
			return cmp.Compare(a.t, b.t)
		})
		ws = ws[:x.maxTerms]
	}
	n := uint32(len(x.docs))
	x.docs = append(x.docs, d)
	x.norm = append(x.norm, float32(math.Sqrt(norm)))
	x.byID[d.ID] = n
	if d.Group != 0 {
		x.group[d.Group] = append(x.group[d.Group], n)
	}
	for _, e := range ws {
		p := x.post[e.t]
		if p == nil {
			p = &refList{}
			x.post[e.t] = p
		}
		p.docs = append(p.docs, n)
		p.tf = append(p.tf, uint8(min(e.c, 255)))
	}
}

func (x *refIndex) search(q Query) []Hit {
	ts := refTerms(q.Text)
	if len(ts) == 0 || q.K <= 0 {
		return nil
	}
	type qt struct {
		t Term
		w float64
		n int
	}
	var qs []qt
	qnorm := 0.0
	for _, t := range slices.Sorted(maps.Keys(ts)) {
		idf := x.idf(t)
		w := tfw(ts[t]) * idf
		qnorm += w * w
		if p := x.post[t]; p != nil {
			qs = append(qs, qt{t, w * idf, len(p.docs)})
		}
	}
	if len(qs) == 0 || qnorm == 0 {
		return nil
	}
	slices.SortFunc(qs, func(a, b qt) int { return cmp.Or(cmp.Compare(a.n, b.n), cmp.Compare(a.t, b.t)) })
	a := &acc{score: make([]float32, len(x.docs))}
	scanned, k := 0, 0
	g := x.group[q.Group]
	small := q.Group != 0 && len(g) <= x.groupScan
	if small {
		k = len(qs)
		a.touched = append(a.touched, g...)
	}
	for ; k < len(qs); k++ {
		e := qs[k]
		if q.Group == 0 && k >= 3 && scanned+e.n > x.scanBudget {
			break
		}
		scanned += e.n
		p := x.post[e.t]
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
	cands := a.touched
	if !small && len(rest) > 0 && len(cands) > x.candidates {
		cands = a.best(cands, x.candidates)
	}
	h := &hits{}
	for _, d := range cands {
		s := float64(a.score[d])
		for _, e := range rest {
			p := x.post[e.t]
			if j, ok := slices.BinarySearch(p.docs, d); ok {
				s += e.w * float64(tfwTable[p.tf[j]])
			}
		}
		doc := x.docs[d]
		if s <= 0 || (q.Group != 0 && doc.Group != q.Group) || (q.Skip != 0 && doc.ID == q.Skip) || x.norm[d] == 0 {
			continue
		}
		s /= math.Sqrt(qnorm) * float64(x.norm[d])
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
	out := make([]Hit, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(Hit)
	}
	return out
}

// exact is the cosine of the query's vector and document d's stored one
// (its kept terms over its full norm), in float64 throughout.
func (x *refIndex) exact(ts map[Term]int, d uint32) float64 {
	dot, qn := 0.0, 0.0
	for t, c := range ts {
		w := tfw(c) * x.idf(t)
		qn += w * w
		if p := x.post[t]; p != nil {
			if j, ok := slices.BinarySearch(p.docs, d); ok {
				dot += w * x.idf(t) * tfw(int(p.tf[j]))
			}
		}
	}
	if dot == 0 || x.norm[d] == 0 {
		return 0
	}
	return dot / (math.Sqrt(qn) * float64(x.norm[d]))
}
