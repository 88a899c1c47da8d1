package textindex

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// corpus draws demand-like texts: Han characters of a skewed frequency
// (so some terms are in most documents and many in few), thesaurus words,
// Latin and digit words, punctuation, now and then an empty or an
// overlong text.
type corpus struct {
	r    *rand.Rand
	han  *rand.Zipf
	word []string
	nums []string // numbers drawn so far: some come again
}

func newCorpus(seed uint64) *corpus {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	c := &corpus{r: r, han: rand.NewZipf(r, 1.1, 2, 600)}
	for _, cn := range concepts {
		c.word = append(c.word, cn.words...)
	}
	return c
}

func (c *corpus) text() string {
	var b strings.Builder
	n := 5 + c.r.IntN(90)
	switch c.r.IntN(50) {
	case 0:
		return "，。 "
	case 1:
		n = 400 // past maxRunes
	}
	for range n {
		switch k := c.r.IntN(40); {
		case k == 0:
			b.WriteString("，")
		case k == 1:
			b.WriteString(c.word[c.r.IntN(len(c.word))])
		case k == 2:
			b.WriteString([]string{" IC封装", " 5G", "编号" + string(rune('0'+c.r.IntN(10))) + "7", " Wafer", " wafer"}[c.r.IntN(5)])
		case k == 3:
			// A number of one document (a ticket, a phone) or, now and
			// then, one that came before.
			if len(c.nums) > 0 && c.r.IntN(4) == 0 {
				b.WriteString(" " + c.nums[c.r.IntN(len(c.nums))] + " ")
			} else {
				n := strconv.Itoa(1_000_000 + c.r.IntN(9_000_000))
				c.nums = append(c.nums, n)
				b.WriteString(" " + n + " ")
			}
		default:
			b.WriteRune(rune(0x4e00 + c.han.Uint64()))
		}
	}
	return b.String()
}

func (c *corpus) docs(n int, firstID int64, shuffle bool) ([]Doc, []string) {
	docs := make([]Doc, n)
	texts := make([]string, n)
	for i := range docs {
		g := int64(0)
		switch k := c.r.IntN(10); {
		case k < 4:
			g = 1 // a group past groupScan
		case k < 9:
			g = 2 + int64(c.r.IntN(25))
		}
		docs[i] = Doc{ID: firstID + int64(i)*3, Group: g}
		texts[i] = c.text()
	}
	if shuffle {
		c.r.Shuffle(n, func(i, j int) { docs[i].ID, docs[j].ID = docs[j].ID, docs[i].ID })
		docs[n/2].ID = docs[n/3].ID // a duplicate, left alone
	}
	return docs, texts
}

func TestCountMatchesPlainTerms(t *testing.T) {
	c := newCorpus(7)
	var sc scratch
	for range 3000 {
		s := c.text()
		got := map[Term]int{}
		tcs := sc.count(s)
		for i, e := range tcs {
			if i > 0 && tcs[i-1].t >= e.t {
				t.Fatalf("terms of %q out of order at %d", s, i)
			}
			got[e.t] = int(e.c)
		}
		if want := refTerms(s); !maps.Equal(got, want) {
			t.Fatalf("terms of %q:\n got %v\nwant %v", s, got, want)
		}
	}
}

// The compact index answers exactly (same hits, same float scores) as
// the plain one, with the lookup's shortcuts (scan budget, candidates,
// small groups) small enough to be taken, after builds large and small,
// single additions (terms in the sorted array and in the map), and IDs
// in and out of order.
func TestCompactIndexMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		name    string
		shuffle bool
		budget  int
	}{{"ascending", false, 3000}, {"shuffled", true, 3000}, {"defaults", false, ScanBudget}} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCorpus(42)
			x, ref := New(), newRef()
			if tc.budget != ScanBudget {
				x.scanBudget, x.candidates, x.groupScan = tc.budget, 40, 150
				ref.scanBudget, ref.candidates, ref.groupScan = tc.budget, 40, 150
			}
			docs, texts := c.docs(4000, 10, tc.shuffle)
			x.Build(docs, func(i int) string { return texts[i] })
			ref.build(docs, texts)
			// A small batch (its new terms kept apart), then a large one
			// (all terms back in one sorted array).
			for k, n := range []int{100, 400} {
				docs, texts = c.docs(n, int64(20_000+10_000*k), tc.shuffle)
				x.Build(docs, func(i int) string { return texts[i] })
				ref.build(docs, texts)
				if k == 0 && len(x.terms) == 0 || k == 1 && len(x.terms) != 0 {
					t.Fatalf("after batch %d %d terms outside the sorted array", k, len(x.terms))
				}
			}
			if len(x.oneT) < 1000 {
				t.Fatalf("%d terms of one document held apart, want the corpus's numbers among them", len(x.oneT))
			}
			for i := range 60 {
				d, s := Doc{ID: 30_000 + int64(i), Group: int64(i % 3)}, c.text()
				x.Add(d, s)
				ref.add(d, refTerms(s), ref.idf)
			}
			dead := 0
			for _, d := range x.oneDoc {
				if d == deadDoc {
					dead++
				}
			}
			if dead == 0 {
				t.Fatal("no term of one document came again in the documents added one by one")
			}
			if x.Len() != len(ref.docs) {
				t.Fatalf("Len = %d, want %d", x.Len(), len(ref.docs))
			}
			for id := range ref.byID {
				if !x.Has(id) {
					t.Fatalf("Has(%d) = false", id)
				}
			}
			if x.Has(5) {
				t.Fatal("Has(5) = true for an ID never added")
			}
			differ := 0
			for q := range 400 {
				qu := Query{Text: c.text(), K: []int{1, 5, 60}[q%3], MinScore: []float64{0, 0.2}[q%2],
					Group: []int64{0, 0, 1, 2, 7, 999}[q%6]}
				if q%7 == 0 {
					qu.Skip = docs[q%len(docs)].ID
				}
				got, want := x.Search(qu), ref.search(qu)
				if !slices.Equal(got, want) {
					t.Fatalf("query %d %+v:\n got %v\nwant %v", q, qu, got, want)
				}
				if len(got) > 0 {
					differ++
				}
			}
			if differ < 200 {
				t.Fatalf("only %d of 400 lookups found anything: the corpus tests little", differ)
			}
		})
	}
}

// With no shortcut taken (every term scanned), a lookup is the exact
// cosine: each hit's score is the float64 one to float32 rounding, and no
// document left out scores above the last hit.
func TestSearchIsExactCosine(t *testing.T) {
	c := newCorpus(3)
	x, ref := New(), newRef()
	docs, texts := c.docs(2000, 1, false)
	x.Build(docs, func(i int) string { return texts[i] })
	ref.build(docs, texts)
	for range 100 {
		text := c.text()
		hits := x.Search(Query{Text: text, K: 10})
		if len(hits) == 0 {
			continue
		}
		ts := refTerms(text)
		in := map[int64]bool{}
		for _, h := range hits {
			in[h.ID] = true
			if e := ref.exact(ts, ref.byID[h.ID]); math.Abs(e-h.Score) > 1e-5 {
				t.Fatalf("hit %d scores %v, exact cosine %v", h.ID, h.Score, e)
			}
		}
		last := hits[len(hits)-1].Score
		for d, doc := range ref.docs {
			if e := ref.exact(ts, uint32(d)); !in[doc.ID] && e > last+1e-5 && len(hits) == 10 {
				t.Fatalf("document %d (cosine %v) left out above the last hit %v", doc.ID, e, last)
			}
		}
	}
}

// A document is found by a seek from any earlier position, across
// blocks, with counts off the list's usual one.
func TestSeekerAcrossBlocks(t *testing.T) {
	var l lists
	p := l.newList(1)
	var skip []skipEntry
	var docs []uint32
	for d := uint32(0); d < 20000; d += 1 + d%13 + d%97/96*400 {
		docs = append(docs, d)
		if p.blockStarts() {
			skip = append(skip, skipEntry{d, p.size})
		}
		l.add(&p, d, uint8(1+d%3))
	}
	if len(skip) < 3 {
		t.Fatalf("%d postings made %d skip entries", len(docs), len(skip))
	}
	var s seeker
	post := []plist{l.newList(2), p} // another list before it in the arena
	for _, packed := range []bool{false, true} {
		if packed {
			l.pack(post)
			p = post[1]
		}
		for step := 1; step < 40; step += 7 {
			s.reset(l.data(&p), &p, skip)
			for d := uint32(0); d < 20010; d += uint32(step) {
				tf, ok := s.find(d)
				_, want := slices.BinarySearch(docs, d)
				if ok != want || ok && tf != uint8(1+d%3) {
					t.Fatalf("packed %v, step %d find(%d) = %d, %v; want found %v", packed, step, d, tf, ok, want)
				}
			}
		}
	}
}
