package textindex

import (
	"cmp"
	"math"
	"slices"
)

// Bayes is a multinomial naive Bayes classifier over the terms of a text,
// with Laplace smoothing. Train adds examples one by one (a return and
// a reassignment train the final label; an override by the dispatcher
// is one more example). It is not safe for concurrent training; predict
// from a trained model only.
//
// A term's counts are held only for the labels it occurred under: most
// terms occur under one label (a number, a name, a rare word), held in
// two arrays by term id; the others keep a short list by label.
type Bayes struct {
	labels []string
	index  map[string]int
	docs   []float64       // examples per label
	id     map[Term]uint32 // the terms trained since Compact, numbered
	idT    []Term          // the terms trained before Compact, ascending,
	idN    []uint32        // and their numbers: 12 bytes a term, where a map entry takes twice that
	label  []uint32        // by term id: the one label it occurred under, or manyBit | its index in many
	count  []float64       // by term id: its count under that one label
	many   [][]labelCount  // the counts of terms under more than one label, by label
	total  []float64       // all term counts per label
	n      float64
	Alpha  float64
	sc     scratch // Train's
}

// manyBit marks a term id's label as an index in many.
const manyBit = 1 << 31

// labelCount is a term's count under one label.
type labelCount struct {
	label uint32
	n     float64
}

// NewBayes returns an untrained classifier.
func NewBayes() *Bayes {
	return &Bayes{index: map[string]int{}, id: map[Term]uint32{}, Alpha: 0.5}
}

// Train adds one example of label, with weight w (1 for an ordinary one).
func (b *Bayes) Train(text, label string, w float64) {
	k, ok := b.index[label]
	if !ok {
		k = len(b.labels)
		b.index[label] = k
		b.labels = append(b.labels, label)
		b.docs = append(b.docs, 0)
		b.total = append(b.total, 0)
	}
	b.docs[k] += w
	b.n += w
	for _, e := range b.sc.count(text) {
		v := w * tfw(int(e.c))
		b.add(e.t, uint32(k), v)
		b.total[k] += v
	}
}

// Compact moves the terms trained so far out of the map into sorted
// arrays: a model learnt from a large history holds a term for every
// number and name it ever read (a million at a million demands).
func (b *Bayes) Compact() {
	if len(b.id) == 0 {
		return
	}
	type pair struct {
		t Term
		n uint32
	}
	all := make([]pair, 0, len(b.idT)+len(b.id))
	for i, t := range b.idT {
		all = append(all, pair{t, b.idN[i]})
	}
	for t, n := range b.id {
		all = append(all, pair{t, n})
	}
	slices.SortFunc(all, func(a, c pair) int { return cmp.Compare(a.t, c.t) })
	b.idT, b.idN = make([]Term, len(all)), make([]uint32, len(all))
	for i, p := range all {
		b.idT[i], b.idN[i] = p.t, p.n
	}
	b.id = map[Term]uint32{}
	b.label, b.count = slices.Clip(b.label), slices.Clip(b.count)
}

// lookup returns the number of term t, if it was trained.
func (b *Bayes) lookup(t Term) (uint32, bool) {
	if id, ok := b.id[t]; ok {
		return id, true
	}
	if i, ok := slices.BinarySearch(b.idT, t); ok {
		return b.idN[i], true
	}
	return 0, false
}

// add counts v more of term t under label k.
func (b *Bayes) add(t Term, k uint32, v float64) {
	id, ok := b.lookup(t)
	if !ok {
		b.id[t] = uint32(len(b.label))
		b.label = append(b.label, k)
		b.count = append(b.count, 0+v)
		return
	}
	switch l := b.label[id]; {
	case l == k:
		b.count[id] += v
	case l&manyBit == 0:
		cs := []labelCount{{l, b.count[id]}, {k, 0 + v}}
		if k < l {
			cs[0], cs[1] = cs[1], cs[0]
		}
		b.label[id], b.count[id] = manyBit|uint32(len(b.many)), 0
		b.many = append(b.many, cs)
	default:
		cs := b.many[l&^manyBit]
		i, found := slices.BinarySearchFunc(cs, k, func(e labelCount, k uint32) int { return cmp.Compare(e.label, k) })
		if found {
			cs[i].n += v
		} else {
			b.many[l&^manyBit] = slices.Insert(cs, i, labelCount{k, 0 + v})
		}
	}
}

// Examples is the weight of all examples trained.
func (b *Bayes) Examples() float64 { return b.n }

// Guess is one label with its probability and the words that drove it
// (the terms of the text that most favour it over the others).
type Guess struct {
	Label      string
	Confidence float64
	Words      []string
}

// Predict returns up to k labels, most probable first.
func (b *Bayes) Predict(text string, k int) []Guess {
	if len(b.labels) == 0 {
		return nil
	}
	var sc scratch
	ts := sc.count(text)           // by term: the sums below go in one order
	v := float64(len(b.label)) + 1 // the terms trained
	nl := len(b.labels)
	den := make([]float64, nl)
	absent := make([]float64, nl) // a term's log-likelihood under a label it never occurred under
	scores := make([]float64, nl)
	for i := range b.labels {
		den[i] = b.total[i] + b.Alpha*v
		absent[i] = math.Log((0 + b.Alpha) / den[i])
		scores[i] = math.Log(b.docs[i] / b.n)
	}
	q := query{hits: make([]hit, 0, len(ts)), ones: make([]labelCount, 0, len(ts)), absent: absent}
	for _, e := range ts {
		id, ok := b.lookup(e.t)
		if !ok {
			continue
		}
		var cs []labelCount
		if l := b.label[id]; l&manyBit != 0 {
			cs = b.many[l&^manyBit]
		} else {
			q.ones = append(q.ones, labelCount{l, b.count[id]}) // within its capacity: earlier hits keep theirs
			cs = q.ones[len(q.ones)-1:]
		}
		h := hit{t: e.t, cs: cs, off: len(q.logs)}
		for _, c := range cs {
			q.logs = append(q.logs, math.Log((c.n+b.Alpha)/den[c.label]))
		}
		q.hits = append(q.hits, h)
		f := tfw(int(e.c))
		j := 0
		for i := range scores {
			l := absent[i]
			if j < len(cs) && cs[j].label == uint32(i) {
				l = q.logs[h.off+j]
				j++
			}
			scores[i] += f * l
		}
	}
	// Naive Bayes is overconfident (it counts every overlapping n-gram as
	// independent evidence): the confidence is tempered by the evidence's
	// size; the order is the model's.
	temp := 1.0
	for _, e := range ts {
		temp += 0.1 * tfw(int(e.c))
	}
	return rank(b.labels, scores, temp, k, q.explain)
}

// rank turns the log scores of labels into up to k guesses, most
// probable first, the probabilities tempered by temp; words gives a
// label's words by its index.
func rank(labels []string, scores []float64, temp float64, k int, words func(label int) []string) []Guess {
	top := math.Inf(-1)
	for _, s := range scores {
		top = max(top, s)
	}
	sum := 0.0
	probs := make([]float64, len(scores))
	for i, s := range scores {
		probs[i] = math.Exp((s - top) / temp)
		sum += probs[i]
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, c int) int {
		switch {
		case probs[a] > probs[c]:
			return -1
		case probs[a] < probs[c]:
			return 1
		}
		return 0
	})
	out := []Guess{}
	for _, i := range order[:min(k, len(order))] {
		out = append(out, Guess{Label: labels[i], Confidence: probs[i] / sum, Words: words(i)})
	}
	return out
}

// query is what Predict learned of a text's terms, for explain.
type query struct {
	hits   []hit
	ones   []labelCount // the counts of the hits of one label
	logs   []float64    // log-likelihoods of the hits under the labels they occurred under
	absent []float64    // log-likelihood by label of a term that never occurred under it
}

// hit is a term of the text that the model knows: its counts by label,
// their log-likelihoods at logs[off:].
type hit struct {
	t   Term
	cs  []labelCount
	off int
}

// explain lists up to five readable terms of the text whose likelihood
// under label i most exceeds their mean likelihood under the others.
func (q *query) explain(i int) []string {
	var ws []termWeight
	for _, h := range q.hits {
		if h.t.Unigram() || h.t.String() == "" {
			continue
		}
		own, other, n := 0.0, 0.0, 0
		j := 0
		for l, a := range q.absent {
			if j < len(h.cs) && h.cs[j].label == uint32(l) {
				a = q.logs[h.off+j]
				j++
			}
			if l == i {
				own = a
			} else {
				other += a
				n++
			}
		}
		if n > 0 {
			other /= float64(n)
		}
		if d := own - other; d > 0.5 {
			ws = append(ws, termWeight{h.t, d})
		}
	}
	return topWords(ws)
}

// termWeight is a term with how much it favours a label.
type termWeight struct {
	t Term
	w float64
}

// topWords are the words of the five terms that weigh most, heaviest
// first, each word once.
func topWords(ws []termWeight) []string {
	slices.SortFunc(ws, func(a, c termWeight) int {
		if a.w != c.w {
			if a.w > c.w {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.t, c.t)
	})
	var out []string
	for _, e := range ws {
		if len(out) == 5 {
			break
		}
		if w := e.t.String(); !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}
