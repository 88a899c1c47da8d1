// Package textindex holds text features for Chinese without a segmenter:
// character uni- and bi-grams (and lower-cased Latin/digit words), a few
// concept tokens from a small thesaurus of the zone's recurring words,
// TF-IDF weights, an inverted index for cosine lookups, single-link
// clustering and a multinomial naive Bayes classifier that names the words
// that drove its answer. It imports nothing of the module (a leaf).
package textindex

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Term is one feature: a unigram or bigram of Han characters (the runes
// packed into the key), a Latin or digit word (hashed, high bit set), or a
// concept of the thesaurus.
type Term uint64

const (
	wordBit    Term = 1 << 63
	conceptBit Term = 1 << 62
)

// maxRunes bounds the text read of one document: the title and the start
// of the description say what a demand is about.
const maxRunes = 240

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Terms returns the terms of text with their counts.
func Terms(text string) map[Term]int {
	var sc scratch
	tcs := sc.count(text)
	out := make(map[Term]int, len(tcs))
	for _, e := range tcs {
		out[e.t] = int(e.c)
	}
	return out
}

// termCount is one term of a text with its count.
type termCount struct {
	t Term
	c int32
}

// scratch is the reusable memory of counting the terms of texts one after
// another (not safe for concurrent use).
type scratch struct {
	occ  []Term
	word []byte
	out  []termCount
}

// count returns the terms of text with their counts, ordered by term
// (the same as Terms; the slice is reused by the next call).
func (sc *scratch) count(text string) []termCount {
	occ, word := sc.occ[:0], sc.word[:0]
	flush := func() {
		if len(word) > 0 {
			occ = append(occ, Term(fnv64a(word))&^(conceptBit)|wordBit)
			word = word[:0]
		}
	}
	var prev rune
	n := 0
	for _, r := range text {
		if n++; n > maxRunes {
			break
		}
		switch {
		case isHan(r):
			flush()
			occ = append(occ, Term(r))
			if prev != 0 {
				occ = append(occ, Term(prev)<<32|Term(r))
			}
			prev = r
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			prev = 0
			word = utf8.AppendRune(word, unicode.ToLower(r))
		default:
			prev = 0
			flush()
		}
	}
	flush()
	slices.Sort(occ)
	out := sc.out[:0]
	for i, t := range occ {
		if i > 0 && occ[i-1] == t {
			out[len(out)-1].c++
			continue
		}
		out = append(out, termCount{t, 1})
	}
	// Concept terms sort between Han terms (below 1<<62) and words (the
	// high bit): appended in concept order, then put in place.
	k := len(out)
	seen := 0 // concepts found, as bits (fewer than 64)
	for i, r := range text {
		if i >= maxBytes {
			break
		}
		for _, cw := range conceptStarts[r] {
			if seen&(1<<cw.concept) == 0 && strings.HasPrefix(text[i:], cw.word) {
				seen |= 1 << cw.concept
				out = append(out, termCount{conceptBit | Term(cw.concept), conceptCount})
			}
		}
	}
	if len(out) > k {
		slices.SortFunc(out, func(a, b termCount) int { return cmp.Compare(a.t, b.t) })
	}
	sc.occ, sc.word, sc.out = occ, word, out
	return out
}

// fnv64a is the 64-bit FNV-1a hash of b.
func fnv64a(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// maxBytes bounds where concepts are looked for (maxRunes of Han text).
const maxBytes = 3 * maxRunes

type conceptWord struct {
	word    string
	concept int
}

// conceptStarts indexes the thesaurus' words by their first character.
var conceptStarts = func() map[rune][]conceptWord {
	m := map[rune][]conceptWord{}
	for i, c := range concepts {
		for _, w := range c.words {
			r := []rune(w)[0]
			m[r] = append(m[r], conceptWord{w, i})
		}
	}
	return m
}()

// String is the term as a reader would write it (a word's hash cannot be
// read back: it shows as "").
func (t Term) String() string {
	switch {
	case t&wordBit != 0:
		return ""
	case t&conceptBit != 0:
		i := int(t &^ conceptBit)
		if i < len(concepts) {
			return concepts[i].name
		}
		return ""
	case t>>32 != 0:
		return string(rune(t>>32)) + string(rune(t&0xffffffff))
	}
	return string(rune(t))
}

// Unigram reports whether t is a single character.
func (t Term) Unigram() bool { return t&(wordBit|conceptBit) == 0 && t>>32 == 0 }

// concepts is a small thesaurus of words people use for the same thing
// in a development zone's demands: what a character n-gram cannot see
// ("坑洼" and "破损" share no character). Each group adds one concept term.
var concepts = []struct {
	name  string
	words []string
}{
	{"路面损坏", []string{"坑洼", "破损", "损坏", "塌陷", "开裂", "破烂", "坑坑洼洼"}},
	{"物流通行", []string{"货车", "物流", "运输", "车辆通行", "进不来", "进出", "大车", "拉货"}},
	{"停电", []string{"停电", "断电", "跳闸", "掉电", "限电", "电压不稳"}},
	{"用电容量", []string{"增容", "扩容", "报装", "变压器", "容量"}},
	{"招聘", []string{"招聘", "招工", "用工", "缺人", "引进人才", "招不到"}},
	{"资金", []string{"贷款", "融资", "资金", "周转", "授信", "担保"}},
	{"补贴兑现", []string{"补助", "补贴", "奖补", "兑现", "扶持资金"}},
	{"排污", []string{"排污", "废水", "废气", "污水", "危废", "环评"}},
	{"消防", []string{"消防", "喷淋", "防火", "烟感"}},
	{"厂房", []string{"厂房", "车间", "场地", "用地", "仓库面积"}},
	{"供水", []string{"供水", "水压", "停水", "自来水", "管网"}},
	{"用气", []string{"天然气", "燃气", "蒸汽", "供气"}},
	{"专利认定", []string{"专利", "高新技术企业", "高企", "知识产权", "科技项目"}},
	{"规划调整", []string{"规划", "层高", "总平面", "设计变更", "容积率"}},
	{"隐患", []string{"隐患", "安全生产", "危化品", "安全评估"}},
	{"通勤", []string{"通勤", "公交", "班车", "上下班"}},
	{"照明", []string{"路灯", "照明", "太黑"}},
	{"网络信号", []string{"信号", "宽带", "网络"}},
}

// conceptCount is the count a concept term gets: one concept says as much
// as a few characters.
const conceptCount = 6
