package textindex

import (
	"maps"
	"math"
	"slices"
)

// denseBayes is the former Bayes, kept as the reference of the sparse one:
// one float64 per label for every term. Its code is the former code but
// for one thing: it visits a text's terms in ascending order, where the
// former code ranged over the map of Terms (a random order, so its sums
// differed in the last bit from run to run). With the order fixed the two
// must agree to the bit.
type denseBayes struct {
	labels []string
	index  map[string]int
	docs   []float64          // examples per label
	count  map[Term][]float64 // term count per label
	total  []float64          // all term counts per label
	n      float64
	Alpha  float64
}

func newDenseBayes() *denseBayes {
	return &denseBayes{index: map[string]int{}, count: map[Term][]float64{}, Alpha: 0.5}
}

// sortedTerms is the terms of a text in ascending order.
func sortedTerms(ts map[Term]int) []Term { return slices.Sorted(maps.Keys(ts)) }

func (b *denseBayes) Train(text, label string, w float64) {
	k, ok := b.index[label]
	if !ok {
		k = len(b.labels)
		b.index[label] = k
		b.labels = append(b.labels, label)
		b.docs = append(b.docs, 0)
		b.total = append(b.total, 0)
		for t, c := range b.count {
			b.count[t] = append(c, 0)
		}
	}
	b.docs[k] += w
	b.n += w
	ts := Terms(text)
	for _, t := range sortedTerms(ts) {
		c := ts[t]
		cs := b.count[t]
		if cs == nil {
			cs = make([]float64, len(b.labels))
			b.count[t] = cs
		}
		v := w * tfw(c)
		cs[k] += v
		b.total[k] += v
	}
}

func (b *denseBayes) Examples() float64 { return b.n }

func (b *denseBayes) Predict(text string, k int) []Guess {
	if len(b.labels) == 0 {
		return nil
	}
	ts := Terms(text)
	v := float64(len(b.count)) + 1
	scores := make([]float64, len(b.labels))
	for i := range b.labels {
		scores[i] = math.Log(b.docs[i] / b.n)
	}
	for _, t := range sortedTerms(ts) {
		c := ts[t]
		cs := b.count[t]
		if cs == nil {
			continue
		}
		for i := range b.labels {
			scores[i] += tfw(c) * math.Log((cs[i]+b.Alpha)/(b.total[i]+b.Alpha*v))
		}
	}
	temp := 1.0
	for _, t := range sortedTerms(ts) {
		temp += 0.1 * tfw(ts[t])
	}
	return rank(b.labels, scores, temp, k, func(i int) []string { return b.explain(ts, i, v) })
}

func (b *denseBayes) explain(ts map[Term]int, i int, v float64) []string {
	var ws []termWeight
	for t := range ts {
		cs := b.count[t]
		if cs == nil || t.String() == "" || t.Unigram() {
			continue
		}
		own := math.Log((cs[i] + b.Alpha) / (b.total[i] + b.Alpha*v))
		other, n := 0.0, 0
		for j := range b.labels {
			if j != i {
				other += math.Log((cs[j] + b.Alpha) / (b.total[j] + b.Alpha*v))
				n++
			}
		}
		if n > 0 {
			other /= float64(n)
		}
		if d := own - other; d > 0.5 {
			ws = append(ws, termWeight{t, d})
		}
	}
	return topWords(ws)
}
