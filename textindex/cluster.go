package textindex

import "slices"

// ClusterThreshold is the least cosine that joins a text to a cluster's
// leader: demands about the same problem in other words reach it (the
// thesaurus' concepts help), demands that share only everyday words
// (企业、申请、协调) do not.
const ClusterThreshold = 0.3

// Cluster groups texts by similarity, without chaining: in order, each
// text joins the cluster whose first text (its leader) it is most like,
// when the cosine (under the IDF of background when given, else of the
// texts themselves) reaches threshold; otherwise it leads a new cluster.
// It returns the clusters as lists of positions in texts, largest first,
// singletons left out.
func Cluster(texts []string, background *Index, threshold float64) [][]int {
	local := New()
	local.MaxTerms = 0
	docs := make([]Doc, len(texts))
	for i := range texts {
		docs[i] = Doc{ID: int64(i + 1)}
	}
	local.Build(docs, func(i int) string { return texts[i] })
	idf := local.idf
	if background != nil && background.Len() > len(texts) {
		background.mu.RLock()
		defer background.mu.RUnlock()
		idf = background.idf
	}
	vec := func(t string) map[Term]float64 {
		ts := Terms(t)
		v := make(map[Term]float64, len(ts))
		for term, c := range ts {
			v[term] = tfw(c) * idf(term)
		}
		return v
	}
	leaders := New() // the leaders so far, for candidates
	leaders.MaxTerms = 0
	var lvec []map[Term]float64
	var groups [][]int
	for i, t := range texts {
		v := vec(t)
		best, bestScore := -1, threshold
		for _, h := range leaders.Search(Query{Text: t, K: 20}) {
			g := int(h.ID - 1)
			if s := cosine(v, lvec[g]); s >= bestScore {
				best, bestScore = g, s
			}
		}
		if best >= 0 {
			groups[best] = append(groups[best], i)
			continue
		}
		groups = append(groups, []int{i})
		lvec = append(lvec, v)
		leaders.Add(Doc{ID: int64(len(groups))}, t)
	}
	var out [][]int
	for _, g := range groups {
		if len(g) > 1 {
			out = append(out, g)
		}
	}
	slices.SortStableFunc(out, func(a, b []int) int { return len(b) - len(a) })
	return out
}

// Representative is the position (in members) of the text most similar
// to the others: the cluster's title.
func Representative(texts []string, members []int) int {
	x := New()
	vs := make([]map[Term]float64, len(members))
	docs := make([]Doc, len(members))
	for i := range members {
		docs[i] = Doc{ID: int64(i + 1)}
	}
	x.Build(docs, func(i int) string { return texts[members[i]] })
	for i, m := range members {
		vs[i] = x.vector(Terms(texts[m]))
	}
	best, bestSum := 0, -1.0
	for i := range vs {
		sum := 0.0
		for j := range vs {
			if i != j {
				sum += cosine(vs[i], vs[j])
			}
		}
		if sum > bestSum {
			best, bestSum = i, sum
		}
	}
	return best
}
