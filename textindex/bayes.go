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
type Bayes struct {
	labels []string
	index  map[string]int
	docs   []float64          // examples per label
	count  map[Term][]float64 // term count per label
	total  []float64          // all term counts per label
	n      float64
	Alpha  float64
}

// NewBayes returns an untrained classifier.
func NewBayes() *Bayes {
	return &Bayes{index: map[string]int{}, count: map[Term][]float64{}, Alpha: 0.5}
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
		for t, c := range b.count {
			b.count[t] = append(c, 0)
		}
	}
	b.docs[k] += w
	b.n += w
	for t, c := range Terms(text) {
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
	ts := Terms(text)
	v := float64(len(b.count)) + 1
	scores := make([]float64, len(b.labels))
	for i := range b.labels {
		scores[i] = math.Log(b.docs[i] / b.n)
	}
	for t, c := range ts {
		cs := b.count[t]
		if cs == nil {
			continue
		}
		for i := range b.labels {
			scores[i] += tfw(c) * math.Log((cs[i]+b.Alpha)/(b.total[i]+b.Alpha*v))
		}
	}
	top := math.Inf(-1)
	for _, s := range scores {
		top = max(top, s)
	}
	// Naive Bayes is overconfident (it counts every overlapping n-gram as
	// independent evidence): the confidence is tempered by the evidence's
	// size; the order is the model's.
	temp := 1.0
	for _, c := range ts {
		temp += 0.1 * tfw(c)
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
		out = append(out, Guess{Label: b.labels[i], Confidence: probs[i] / sum, Words: b.explain(ts, i, v)})
	}
	return out
}

// explain lists up to five readable terms of the text whose likelihood
// under label i most exceeds their mean likelihood under the others.
func (b *Bayes) explain(ts map[Term]int, i int, v float64) []string {
	type tw struct {
		t Term
		w float64
	}
	var ws []tw
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
			ws = append(ws, tw{t, d})
		}
	}
	slices.SortFunc(ws, func(a, c tw) int {
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
