package textindex

import (
	"cmp"
	"encoding/binary"
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

// Index is an inverted index of TF-IDF vectors, safe for concurrent use.
// Documents are added, never changed; the IDF is the current one at
// lookup time, a document's norm the one at its addition (Build computes
// the IDF of the whole set first, Add uses the IDF of what is there).
// A document's postings keep at most MaxTerms of its terms, those of the
// highest weight; its norm counts all of them.
//
// It keeps no texts: per document its ID, group (as a number of the
// group's), norm and postings (see plist), about 1.5 bytes a posting; per
// term (many are in one document only: numbers, names) its list and,
// after a large build, 8 bytes in one sorted array instead of a map entry.
type Index struct {
	mu    sync.RWMutex
	dict  []Term          // the terms of the last large build, ascending: dict[i]'s list is post[i]
	terms map[Term]uint32 // terms added since, with their list's number
	post  []plist
	lists lists // the data of post's lists
	// The terms of the last large build that were in one document only
	// (numbers, names: most of a large build's terms), sorted, in three
	// arrays: 13 bytes a term, where a dict entry and a list take 27. A
	// term that comes again moves to a list of its own (terms); its slot
	// here stays, dead (deadDoc), until the next large build.
	oneT   []Term
	oneDoc []uint32
	oneTF  []uint8
	skips  map[uint32][]skipEntry // the block starts of lists longer than skipEvery
	ids    []int64                // by internal number
	grp    []uint32               // group number of each document (0: none)
	norm   []float32              // by internal number
	asc    bool                   // ids ascend (then found by binary search)
	byID   map[int64]uint32
	gnum   map[int64]uint32 // group → its number
	gids   []int64          // group of each number (0 at 0)
	group  [][]uint32       // documents of each group number, ascending
	pool   sync.Pool
	// MaxTerms bounds the postings of one document (default 48).
	MaxTerms int

	// scanBudget, candidates and groupScan are ScanBudget, Candidates
	// and GroupScan (smaller in tests).
	scanBudget, candidates, groupScan int
}

// New returns an empty index.
func New() *Index {
	return &Index{
		terms: map[Term]uint32{}, skips: map[uint32][]skipEntry{}, asc: true, gnum: map[int64]uint32{}, gids: []int64{0}, group: [][]uint32{nil},
		MaxTerms: 48, scanBudget: ScanBudget, candidates: Candidates, groupScan: GroupScan,
	}
}

// Len is the number of documents.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids)
}

// Has reports whether a document of that ID is indexed.
func (x *Index) Has(id int64) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	_, ok := x.lookup(id)
	return ok
}

// lookup returns the internal number of the document of ID id.
func (x *Index) lookup(id int64) (uint32, bool) {
	if !x.asc {
		n, ok := x.byID[id]
		return n, ok
	}
	n, ok := slices.BinarySearch(x.ids, id)
	return uint32(n), ok
}

// oneBit marks a term's number as the index of its slot in oneT.
const oneBit = 1 << 31

// deadDoc is the document of a singleton's slot whose term has moved to
// a list.
const deadDoc = math.MaxUint32

// term returns the number of t's list, or oneBit | its singleton slot.
func (x *Index) term(t Term) (uint32, bool) {
	if i, ok := slices.BinarySearch(x.dict, t); ok {
		return uint32(i), true
	}
	if i, ok := x.terms[t]; ok {
		return i, true
	}
	if j, ok := slices.BinarySearch(x.oneT, t); ok && x.oneDoc[j] != deadDoc {
		return oneBit | uint32(j), true
	}
	return 0, false
}

// list returns the list of term number i and its data; a singleton's is
// made for the asking.
func (x *Index) list(i uint32) (plist, []byte) {
	if i&oneBit == 0 {
		return x.post[i], x.lists.data(&x.post[i])
	}
	j := i &^ oneBit
	data := binary.AppendUvarint([]byte{x.oneTF[j]}, uint64(x.oneDoc[j])<<1)
	return plist{size: uint32(len(data)), n: 1, last: x.oneDoc[j]}, data
}

func (x *Index) df(t Term) int {
	if i, ok := x.term(t); ok {
		if i&oneBit != 0 {
			return 1
		}
		return int(x.post[i].n)
	}
	return 0
}

func (x *Index) idf(t Term) float64 {
	n := float64(len(x.ids)) + 1
	return math.Log(n/(float64(x.df(t))+1)) + 1
}

func tfw(c int) float64 { return 1 + math.Log(float64(c)) }

// Source yields documents with their texts. A build reads it twice (once
// to count document frequencies, once to add), and it must yield the same
// documents in the same order both times; an error of either read ends
// the build (the documents added by then stay).
type Source func(yield func(d Doc, text string) bool) error

// Build adds many documents at once, counting the document frequencies of
// all of them first so that each norm and pruning uses the final IDF.
// text is called twice for each document and must answer the same.
func (x *Index) Build(docs []Doc, text func(i int) string) {
	_ = x.BuildFrom(func(yield func(Doc, string) bool) error {
		for i, d := range docs {
			if !yield(d, text(i)) {
				break
			}
		}
		return nil
	})
}

// batchTerm is what the first read of a build learns of a term: its
// document frequency and how many documents have it once, twice, ….
type batchTerm struct {
	df   int
	hist [8]int32
}

// BuildFrom adds the documents of src as Build does, reading src twice
// and keeping no texts: lookups wait only for the second read.
func (x *Index) BuildFrom(src Source) error {
	var sc scratch
	stats := map[Term]*batchTerm{}
	count := 0
	err := src(func(_ Doc, text string) bool {
		count++
		for _, e := range sc.count(text) {
			b := stats[e.t]
			if b == nil {
				b = &batchTerm{}
				stats[e.t] = b
			}
			b.df++
			b.hist[min(int(e.c), len(b.hist))-1]++
		}
		return true
	})
	if err != nil || count == 0 {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.ids = slices.Grow(x.ids, count)
	x.grp = slices.Grow(x.grp, count)
	x.norm = slices.Grow(x.norm, count)
	n := float64(len(x.ids)+count) + 1
	idf := func(t Term) float64 {
		d := x.df(t)
		if b := stats[t]; b != nil {
			d += b.df
		}
		return math.Log(n/float64(d+1)) + 1
	}
	// A new list's usual count is the one most documents of the batch
	// have (its postings then take no count byte).
	tf0 := func(t Term) uint8 {
		b := stats[t]
		if b == nil {
			return defaultTF(t)
		}
		best := 0
		for c := range b.hist {
			if b.hist[c] > b.hist[best] {
				best = c
			}
		}
		return uint8(best + 1)
	}
	var ws []tw
	err = src(func(d Doc, text string) bool {
		ws = x.add(d, sc.count(text), idf, tf0, ws)
		return true
	})
	if count*16 < len(x.ids) {
		return err // a small batch: the spare room serves the next ones
	}
	x.freeze()
	x.lists.pack(x.post)
	for i, sk := range x.skips {
		x.skips[i] = slices.Clip(sk)
	}
	for i, g := range x.group {
		if cap(g)-len(g) > len(g)/32 {
			x.group[i] = slices.Clip(slices.Clone(g))
		}
	}
	return err
}

// defaultTF is the usual count of a term new to the index.
func defaultTF(t Term) uint8 {
	if t&conceptBit != 0 && t&wordBit == 0 {
		return conceptCount
	}
	return 1
}

// Add indexes one document; an ID already there is left alone.
func (x *Index) Add(d Doc, text string) {
	var sc scratch
	ts := sc.count(text)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.add(d, ts, x.idf, defaultTF, nil)
}

type tw struct {
	t Term
	c int
	w float64
}

// add indexes document d of terms ts (ordered by term) under idf; tf0
// gives a new term's usual count; ws is scratch, returned for reuse.
func (x *Index) add(d Doc, ts []termCount, idf func(Term) float64, tf0 func(Term) uint8, ws []tw) []tw {
	if _, ok := x.lookup(d.ID); ok || len(ts) == 0 {
		return ws
	}
	ws = ws[:0]
	norm := 0.0
	for _, e := range ts {
		w := tfw(int(e.c)) * idf(e.t)
		norm += w * w
		ws = append(ws, tw{e.t, int(e.c), w})
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
	n := uint32(len(x.ids))
	if x.asc && n > 0 && d.ID <= x.ids[n-1] {
		x.asc = false
		x.byID = make(map[int64]uint32, len(x.ids)+1)
		for i, id := range x.ids {
			x.byID[id] = uint32(i)
		}
	}
	if !x.asc {
		x.byID[d.ID] = n
	}
	x.ids = append(x.ids, d.ID)
	x.norm = append(x.norm, float32(math.Sqrt(norm)))
	g := uint32(0)
	if d.Group != 0 {
		var ok bool
		if g, ok = x.gnum[d.Group]; !ok {
			g = uint32(len(x.gids))
			x.gnum[d.Group] = g
			x.gids = append(x.gids, d.Group)
			x.group = append(x.group, nil)
		}
		x.group[g] = append(x.group[g], n)
	}
	x.grp = append(x.grp, g)
	for _, e := range ws {
		i, ok := x.term(e.t)
		if !ok || i&oneBit != 0 {
			var p plist
			if ok { // a singleton's second document: its own list now
				j := i &^ oneBit
				p = x.lists.newList(x.oneTF[j])
				x.lists.add(&p, x.oneDoc[j], x.oneTF[j])
				x.oneDoc[j] = deadDoc
			} else {
				p = x.lists.newList(tf0(e.t))
			}
			i = uint32(len(x.post))
			x.terms[e.t] = i
			x.post = append(x.post, p)
		}
		p := &x.post[i]
		if p.blockStarts() {
			x.skips[i] = append(x.skips[i], skipEntry{n, p.size})
		}
		x.lists.add(p, n, uint8(min(e.c, 255)))
	}
	return ws
}

// freeze puts all terms in the sorted array, renumbering their lists in
// term order, and empties the map; the terms in one document move to the
// singletons (with those still there from before).
func (x *Index) freeze() {
	if len(x.terms) == 0 {
		return
	}
	all := make([]Term, 0, len(x.dict)+len(x.terms))
	all = append(all, x.dict...)
	for t := range x.terms {
		all = append(all, t)
	}
	slices.Sort(all)
	// The arrays are made to size: most terms are singletons.
	newOnes, oldOnes := 0, 0
	for _, t := range all {
		if i, _ := x.term(t); x.post[i].n == 1 {
			newOnes++
		}
	}
	for _, d := range x.oneDoc {
		if d != deadDoc {
			oldOnes++
		}
	}
	ones := newOnes + oldOnes
	dict := make([]Term, 0, len(all)-newOnes)
	post := make([]plist, 0, cap(dict))
	skips := make(map[uint32][]skipEntry, len(x.skips))
	oneT, oneDoc, oneTF := make([]Term, 0, ones), make([]uint32, 0, ones), make([]uint8, 0, ones)
	j := 0 // the next singleton from before
	keepOld := func(upTo Term, rest bool) {
		for ; j < len(x.oneT) && (rest || x.oneT[j] < upTo); j++ {
			if x.oneDoc[j] != deadDoc {
				oneT, oneDoc, oneTF = append(oneT, x.oneT[j]), append(oneDoc, x.oneDoc[j]), append(oneTF, x.oneTF[j])
			}
		}
	}
	for _, t := range all {
		old, _ := x.term(t)
		p := x.post[old]
		if p.n == 1 {
			keepOld(t, false)
			_, data := x.list(old)
			d, tf, _ := decode(data, 1, 0, data[0])
			oneT, oneDoc, oneTF = append(oneT, t), append(oneDoc, d), append(oneTF, tf)
			continue
		}
		if sk, ok := x.skips[old]; ok {
			skips[uint32(len(post))] = sk
		}
		dict, post = append(dict, t), append(post, p)
	}
	keepOld(0, true)
	x.dict, x.terms, x.post, x.skips = dict, map[Term]uint32{}, post, skips
	x.oneT, x.oneDoc, x.oneTF = oneT, oneDoc, oneTF
}
