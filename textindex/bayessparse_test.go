package textindex

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// TestSparseBayesMatchesDense trains the sparse Bayes and the former dense
// one on the same seeded corpus (labels appearing one after another while
// terms already exist, repeated and one-off terms, weights other than 1,
// a label whose only example weighs 0) and asks both the same texts: the
// labels, their order, the confidences to the bit and the words must agree.
func TestSparseBayesMatchesDense(t *testing.T) {
	c := newCorpus(11)
	sparse, dense := NewBayes(), newDenseBayes()
	weights := []float64{1, 1, 1, 1, 0.5, 2, 3.7, 40}
	var texts []string
	labels := 0
	for i := range 6000 {
		if labels < 60 && c.r.IntN(60) == 0 || labels == 0 {
			labels++ // a new label, after terms exist
		}
		// Labels are skewed: a few take most examples.
		label := fmt.Sprintf("L%02d", min(c.r.IntN(labels), c.r.IntN(labels)))
		var text string
		switch c.r.IntN(4) {
		case 0:
			text = fmt.Sprintf("压测诉求 %d", 100000+i) // a term of its own
		case 1:
			text = fmt.Sprintf("%s 编号%d", c.text(), c.r.IntN(1<<30))
		default:
			text = c.text()
		}
		w := weights[c.r.IntN(len(weights))]
		sparse.Train(text, label, w)
		dense.Train(text, label, w)
		texts = append(texts, text)
		if i == 3000 {
			sparse.Train(text, "zero", 0)
			dense.Train(text, "zero", 0)
		}
		if i == 2000 || i == 4500 {
			sparse.Compact() // later examples count terms both packed and new
		}
	}
	if len(sparse.idT) == 0 || len(sparse.id) == 0 {
		t.Fatalf("%d terms packed, %d since: the test tries only one", len(sparse.idT), len(sparse.id))
	}
	if len(sparse.labels) < 50 || !slices.Equal(sparse.labels, dense.labels) {
		t.Fatalf("labels %v, dense %v", sparse.labels, dense.labels)
	}
	terms := len(sparse.id) + len(sparse.idT)
	if sparse.Examples() != dense.Examples() || terms != len(dense.count) {
		t.Fatalf("examples %v terms %d, dense %v %d", sparse.Examples(), terms, dense.Examples(), len(dense.count))
	}
	single := 0
	for _, l := range sparse.label {
		if l&manyBit == 0 {
			single++
		}
	}
	if single < terms/3 || single == terms {
		t.Fatalf("%d of %d terms under one label: the corpus does not try both layouts", single, terms)
	}
	queries := []string{"", "，。", "压测诉求 100007", "压测诉求 999999999", "厂里老是跳闸", "Wafer 5G 编号37"}
	for range 600 {
		queries = append(queries, c.text())
	}
	for range 300 {
		queries = append(queries, texts[c.r.IntN(len(texts))])
	}
	words := 0
	for n, q := range queries {
		k := []int{1, 3, 5, 3, 2, 3, 1, 3, 61, 100}[n%10]
		got, want := sparse.Predict(q, k), dense.Predict(q, k)
		if len(got) != len(want) {
			t.Fatalf("%q: %d guesses, dense %d", q, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.Label != w.Label || math.Float64bits(g.Confidence) != math.Float64bits(w.Confidence) || !slices.Equal(g.Words, w.Words) {
				t.Fatalf("%q guess %d = %+v, dense %+v", q, i, g, w)
			}
			words += len(g.Words)
		}
	}
	if words < 1000 {
		t.Fatalf("only %d words explained: the test does not try explain", words)
	}
}
