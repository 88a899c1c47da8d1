package textindex

import "slices"

// Cluster groups texts by similarity: two texts whose cosine (under an
// IDF of the texts themselves and background, when given) reaches
// threshold fall in one cluster, and so do their clusters (single link).
// It returns the clusters as lists of positions in texts, largest first,
// singletons left out.
func Cluster(texts []string, background *Index, threshold float64) [][]int {
	x := New()
	x.MaxTerms = 0
	docs := make([]Doc, len(texts))
	for i := range texts {
		docs[i] = Doc{ID: int64(i + 1)}
	}
	x.Build(docs, func(i int) string { return texts[i] })
	idf := x.idf
	if background != nil && background.Len() > len(texts) {
		background.mu.RLock()
		defer background.mu.RUnlock()
		idf = background.idf
	}
	vs := make([]map[Term]float64, len(texts))
	for i, t := range texts {
		ts := Terms(t)
		vs[i] = make(map[Term]float64, len(ts))
		for term, c := range ts {
			vs[i][term] = tfw(c) * idf(term)
		}
	}
	parent := make([]int, len(texts))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range texts {
		// Candidates through the local index, then the exact cosine.
		for _, h := range x.Search(Query{Text: texts[i], K: 50, Skip: int64(i + 1)}) {
			j := int(h.ID - 1)
			if j <= i || find(i) == find(j) {
				continue
			}
			if cosine(vs[i], vs[j]) >= threshold {
				parent[find(j)] = find(i)
			}
		}
	}
	groups := map[int][]int{}
	for i := range texts {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	var out [][]int
	for _, g := range groups {
		if len(g) > 1 {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b []int) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return a[0] - b[0]
	})
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
