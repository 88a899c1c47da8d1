package textindex

import (
	"encoding/binary"
	"sort"
)

// skipEvery is how many postings one skip entry spans.
const skipEvery = 64

// plist is a term's postings: the documents (internal numbers, ascending)
// with the term's count in each (capped at 255), delta-coded in one byte
// slice. data[0] is the list's usual count, tf0; then each posting is the
// uvarint gap<<1|odd, where gap is the document less the previous one
// (the first: less zero) and odd says a byte with the count follows
// (otherwise the count is tf0). Each skipEvery postings start a block
// whose first document and offset the index keeps apart (skips; block 0,
// at offset 1, has no entry), so finding one document decodes at most a
// block. A term in one document costs the list and a few bytes.
type plist struct {
	data []byte
	n    uint32 // postings
	last uint32 // the last document
}

// skipEntry is where a block starts: its first document and byte offset.
type skipEntry struct{ doc, off uint32 }

func newPlist(tf0 uint8) plist { return plist{data: []byte{tf0}} }

// blockStarts reports whether the next posting starts a block.
func (p *plist) blockStarts() bool { return p.n > 0 && p.n%skipEvery == 0 }

// add appends document d (above all in the list) with count tf.
func (p *plist) add(d uint32, tf uint8) {
	v := uint64(d-p.last) << 1
	odd := tf != p.data[0]
	if odd {
		v |= 1
	}
	p.data = binary.AppendUvarint(p.data, v)
	if odd {
		p.data = append(p.data, tf)
	}
	p.n++
	p.last = d
}

// packPostings moves the data of every list into one allocation, each
// list's capacity ending where its data does (so that a later add copies
// that list out instead of writing over the next). Most lists hold a
// posting or two (terms of one document: numbers, names), and as an
// allocation of their own each was rounded up to a size class: at a
// million demands 25.6 MB of heap, against 21.8 MB packed.
func packPostings(post []plist) {
	total := 0
	for i := range post {
		total += len(post[i].data)
	}
	arena := make([]byte, 0, total)
	for i := range post {
		start := len(arena)
		arena = append(arena, post[i].data...)
		post[i].data = arena[start:len(arena):len(arena)]
	}
}

// decode decodes the posting at offset pos of a list's data after
// document doc, tf0 the list's usual count: the next document, its count
// and the offset after it. (The loops over many postings repeat it
// inline: it is above the compiler's inlining budget.)
func decode(data []byte, pos int, doc uint32, tf0 uint8) (uint32, uint8, int) {
	v := uint32(data[pos])
	pos++
	if v >= 0x80 {
		v, pos = long(data, pos-1)
	}
	if v&1 != 0 {
		tf0 = data[pos]
		pos++
	}
	return doc + v>>1, tf0, pos
}

// long decodes a uvarint of more than one byte at pos (a gap below 1<<31).
func long(data []byte, pos int) (uint32, int) {
	v, n := binary.Uvarint(data[pos:])
	return uint32(v), pos + n
}

// each calls f with every posting, in order.
func (p *plist) each(f func(d uint32, tf uint8)) {
	var d uint32
	var tf uint8
	for pos := 1; pos < len(p.data); {
		d, tf, pos = decode(p.data, pos, d, p.data[0])
		f(d, tf)
	}
}

// seeker finds the counts of documents in one list, asked in ascending
// order: each find decodes forward from the last, jumping blocks.
type seeker struct {
	p       *plist
	skip    []skipEntry
	blk     int    // the block of pos, or an earlier one
	pos     int    // offset of the next posting
	doc     uint32 // the document last decoded
	tf      uint8
	started bool
}

func (s *seeker) reset(p *plist, skip []skipEntry) { *s = seeker{p: p, skip: skip, pos: 1} }

// find returns the count of document d in the list (d at least the
// document of the previous find).
func (s *seeker) find(d uint32) (uint8, bool) {
	p, skip := s.p, s.skip
	if p.n == 0 || d > p.last {
		return 0, false
	}
	if s.started && s.doc >= d {
		return s.tf, s.doc == d
	}
	if s.blk < len(skip) && skip[s.blk].doc <= d {
		// The last block whose first document is at most d (block b
		// starts at skip[b-1]), galloping from the current one: the
		// documents asked are often near each other.
		lo, step := s.blk, 1 // skip[lo].doc <= d
		hi := lo + step
		for hi < len(skip) && skip[hi].doc <= d {
			lo, step = hi, step*2
			hi = lo + step
		}
		hi = min(hi, len(skip)) // skip[hi].doc > d, or hi is the end
		b := lo + 1 + sort.Search(hi-lo-1, func(i int) bool { return skip[lo+1+i].doc > d })
		e := skip[b-1]
		_, s.tf, s.pos = decode(p.data, int(e.off), 0, p.data[0])
		s.blk, s.doc, s.started = b, e.doc, true
		if s.doc >= d {
			return s.tf, s.doc == d
		}
	}
	// d is at most the list's last document, so this ends in the list.
	data, pos, doc := p.data, s.pos, s.doc
	for {
		v := uint32(data[pos])
		pos++
		if v >= 0x80 {
			v, pos = long(data, pos-1)
		}
		tf := data[0]
		if v&1 != 0 {
			tf = data[pos]
			pos++
		}
		if doc += v >> 1; doc >= d {
			s.pos, s.doc, s.tf, s.started = pos, doc, tf, true
			return tf, doc == d
		}
	}
}
