package textindex

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// Doc is what the index keeps of one document besides its postings: the
// caller's ID and a group (the enterprise of a demand), so a lookup can
// keep to one group without leaving the index.
type Doc struct {
	ID    int64
	Group int64
}

// Hit is one document a lookup found, with its cosine similarity.
type Hit struct {
	ID    int64
	Group int64
	Score float64
}

// plist is a term's postings: documents (internal numbers, ascending) and
// the term's count in each (capped at 255).
type plist struct {
	docs []uint32
	tf   []uint8
}

// Index is an inverted index of TF-IDF vectors, safe for concurrent use.
// Documents are added, never changed; the IDF is the current one at
// lookup time, a document's norm the one at its addition (Build computes
// the IDF of the whole set first, Add uses the IDF of what is there).
// A document's postings keep at most MaxTerms of its terms, those of the
// highest weight; its norm counts all of them.
type Index struct {
	mu    sync.RWMutex
	terms map[Term]uint32
	post  []plist
	docs  []Doc
	norm  []float32
	byID  map[int64]uint32
	group map[int64][]uint32 // documents of each group, ascending
	pool  sync.Pool
	// MaxTerms bounds the postings of one document (default 48).
	MaxTerms int
}

// New returns an empty index.
func New() *Index {
	return &Index{terms: map[Term]uint32{}, byID: map[int64]uint32{}, group: map[int64][]uint32{}, MaxTerms: 48}
}

// Len is the number of documents.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.docs)
}

// Has reports whether a document of that ID is indexed.
func (x *Index) Has(id int64) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	_, ok := x.byID[id]
	return ok
}

func (x *Index) idf(t Term) float64 {
	n := float64(len(x.docs)) + 1
	df := 0.0
	if i, ok := x.terms[t]; ok {
		df = float64(len(x.post[i].docs))
	}
	return math.Log(n/(df+1)) + 1
}

func tfw(c int) float64 { return 1 + math.Log(float64(c)) }

// Build adds many documents at once, counting the document frequencies of
// all of them first so that each norm and pruning uses the final IDF.
func (x *Index) Build(docs []Doc, text func(i int) string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	df := map[Term]int{}
	all := make([]map[Term]int, len(docs))
	for i := range docs {
		all[i] = Terms(text(i))
		for t := range all[i] {
			df[t]++
		}
	}
	n := float64(len(x.docs)+len(docs)) + 1
	idf := func(t Term) float64 {
		d := df[t]
		if i, ok := x.terms[t]; ok {
			d += len(x.post[i].docs)
		}
		return math.Log(n/float64(d+1)) + 1
	}
	for i, d := range docs {
		x.add(d, all[i], idf)
		all[i] = nil
	}
}

// Add indexes one document; an ID already there is left alone.
func (x *Index) Add(d Doc, text string) {
	ts := Terms(text)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.add(d, ts, x.idf)
}

type tw struct {
	t Term
	c int
	w float64
}

func (x *Index) add(d Doc, ts map[Term]int, idf func(Term) float64) {
	if _, ok := x.byID[d.ID]; ok || len(ts) == 0 {
		return
	}
	ws := make([]tw, 0, len(ts))
	norm := 0.0
	for t, c := range ts {
		w := tfw(c) * idf(t)
		norm += w * w
		ws = append(ws, tw{t, c, w})
	}
	if max := x.MaxTerms; max > 0 && len(ws) > max {
		slices.SortFunc(ws, func(a, b tw) int {
			if a.w != b.w {
				if a.w > b.w {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.t, b.t)
		})
		ws = ws[:max]
	}
	n := uint32(len(x.docs))
	x.docs = append(x.docs, d)
	x.norm = append(x.norm, float32(math.Sqrt(norm)))
	x.byID[d.ID] = n
	if d.Group != 0 {
		x.group[d.Group] = append(x.group[d.Group], n)
	}
	for _, e := range ws {
		i, ok := x.terms[e.t]
		if !ok {
			i = uint32(len(x.post))
			x.terms[e.t] = i
			x.post = append(x.post, plist{})
		}
		p := &x.post[i]
		p.docs = append(p.docs, n)
		p.tf = append(p.tf, uint8(min(e.c, 255)))
	}
}
