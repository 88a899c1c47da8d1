package textindex

import (
	"encoding/binary"
	"sort"
)

// skipEvery is how many postings one skip entry spans.
const skipEvery = 64

// plist is a term's postings: the documents (internal numbers, ascending)
// with the term's count in each (capped at 255), delta-coded in one byte
// slice, its data (see lists). data[0] is the list's usual count, tf0;
// then each posting is the uvarint gap<<1|odd, where gap is the document
// less the previous one (the first: less zero) and odd says a byte with
// the count follows (otherwise the count is tf0). Each skipEvery postings
// start a block whose first document and offset the index keeps apart
// (skips; block 0, at offset 1, has no entry), so finding one document
// decodes at most a block. A term in one document costs its plist (16
// bytes, no pointer for the collector to follow) and a few bytes of data.
type plist struct {
	off  uint32 // data at lists.arena[off:off+size], or lists.spill[off&^spilled]
	size uint32 // bytes of data
	n    uint32 // postings
	last uint32 // the last document
}

// spilled marks a plist whose data is in lists.spill.
const spilled = 1 << 31

// lists holds the data of the plists: packed in one arena by a large
// build, and lists begun or grown since each in a slice of its own.
// Most lists hold a posting or two (terms of one document: numbers,
// names); as allocations of their own, one per list, they cost a slice
// header, a size class and a pointer to follow at each collection.
type lists struct {
	arena []byte
	spill [][]byte
}

// skipEntry is where a block starts: its first document and byte offset.
type skipEntry struct{ doc, off uint32 }

// data returns p's data.
func (l *lists) data(p *plist) []byte {
	if p.off&spilled != 0 {
		return l.spill[p.off&^spilled]
	}
	return l.arena[p.off : p.off+p.size : p.off+p.size]
}

// newList returns an empty list whose usual count is tf0.
func (l *lists) newList(tf0 uint8) plist {
	l.spill = append(l.spill, []byte{tf0})
	return plist{off: spilled | uint32(len(l.spill)-1), size: 1}
}

// blockStarts reports whether the next posting starts a block.
func (p *plist) blockStarts() bool { return p.n > 0 && p.n%skipEvery == 0 }

// add appends document d (above all in p) with count tf; a list in the
// arena moves to a slice of its own first.
func (l *lists) add(p *plist, d uint32, tf uint8) {
	var k uint32
	if p.off&spilled != 0 {
		k = p.off &^ spilled
	} else {
		data := make([]byte, p.size, p.size+8)
		copy(data, l.arena[p.off:p.off+p.size])
		l.spill = append(l.spill, data)
		k = uint32(len(l.spill) - 1)
		p.off = spilled | k
	}
	data := l.spill[k]
	v := uint64(d-p.last) << 1
	odd := tf != data[0]
	if odd {
		v |= 1
	}
	data = binary.AppendUvarint(data, v)
	if odd {
		data = append(data, tf)
	}
	l.spill[k] = data
	p.size = uint32(len(data))
	p.n++
	p.last = d
}

// pack moves the data of every list of post into one arena.
func (l *lists) pack(post []plist) {
	total := 0
	for i := range post {
		total += int(post[i].size)
	}
	if total >= spilled {
		return // offsets would not fit: the lists stay as they are
	}
	arena := make([]byte, 0, total)
	for i := range post {
		p := &post[i]
		start := len(arena)
		arena = append(arena, l.data(p)...)
		p.off, p.size = uint32(start), uint32(len(arena)-start)
	}
	l.arena, l.spill = arena, nil
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

// seeker finds the counts of documents in one list, asked in ascending
// order: each find decodes forward from the last, jumping blocks.
type seeker struct {
	data    []byte
	n, last uint32 // the list's postings and last document
	skip    []skipEntry
	blk     int    // the block of pos, or an earlier one
	pos     int    // offset of the next posting
	doc     uint32 // the document last decoded
	tf      uint8
	started bool
}

func (s *seeker) reset(data []byte, p *plist, skip []skipEntry) {
	*s = seeker{data: data, n: p.n, last: p.last, skip: skip, pos: 1}
}

// find returns the count of document d in the list (d at least the
// document of the previous find).
func (s *seeker) find(d uint32) (uint8, bool) {
	skip := s.skip
	if s.n == 0 || d > s.last {
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
		_, s.tf, s.pos = decode(s.data, int(e.off), 0, s.data[0])
		s.blk, s.doc, s.started = b, e.doc, true
		if s.doc >= d {
			return s.tf, s.doc == d
		}
	}
	// d is at most the list's last document, so this ends in the list.
	data, pos, doc := s.data, s.pos, s.doc
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
