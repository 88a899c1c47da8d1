package match

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"strconv"
)

// Names are the string IDs of an instance read from a file: Residents[r]
// is resident r's ID, Hospitals[h] hospital h's, in file order.
type Names struct {
	Residents []string
	Hospitals []string
}

// ParseError is an error in an "hr 1" file, at a line (1-based; 0 when
// the error concerns the whole file).
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return "hr: " + e.Msg
	}
	return fmt.Sprintf("hr: line %d: %s", e.Line, e.Msg)
}

// maxLine is the longest line ReadHR accepts (a hospital ranking a
// million residents with 20-byte IDs fits).
const maxLine = 1 << 30

// ReadHR reads an instance in the "hr 1" format (shared/formats/hr.md)
// and returns it with its IDs. Records may come in any order; residents
// and hospitals are numbered in the order of their r and h lines.
//
// Any deviation is a *ParseError naming the line: a missing, repeated or
// malformed header; an unknown record type; a missing ID or the ID "-";
// a resident or hospital defined twice; an ID listed twice in one list; a
// capacity that is not an integer ≥ 0 (capacities above 2^31-1 are
// treated as 2^31-1, which changes nothing); counts that differ from the
// header. An ID that is listed but never defined — a hospital in a
// resident's list, or a resident in a hospital's list, without its own
// line — is an error naming the line of its first use: such a reference
// is almost always a typo, and ignoring it silently would change results.
// A hospital ranking a defined resident who did not rank it is fine; the
// entry is ignored, as hr.md says.
//
// Memory is sized from the header's counts only once the data has shown
// that they are plausible (after 65,536 records), so a lying header
// costs nothing.
func ReadHR(r io.Reader) (*Instance, *Names, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine) // grows for longer lines
	res, hos := newIDTable(), newIDTable()
	var (
		line, defR, defH int
		headerR, headerH int
		headerLine       int
		header           bool
		b                builder
		fields           [][]byte
	)
	b.rOff, b.hOff = []int32{0}, []int32{0}
	perr := func(format string, args ...any) error {
		return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	tooLong := func() error { return perr("IDs longer than 4 GiB in total") }
	for sc.Scan() {
		line++
		fields = splitFields(sc.Bytes(), fields[:0])
		if len(fields) == 0 || fields[0][0] == '#' || fields[0][0] == 'c' {
			continue
		}
		kind := fields[0]
		switch {
		case string(kind) == "hr":
			if header {
				return nil, nil, perr("second header")
			}
			if len(fields) >= 2 && string(fields[1]) != "1" {
				return nil, nil, perr("unsupported version %q (want hr 1 R H)", fields[1])
			}
			if len(fields) != 4 {
				return nil, nil, perr("malformed header (want hr 1 R H)")
			}
			var ok bool
			if headerR, ok = parseCount(fields[2]); !ok {
				return nil, nil, perr("header: R %q is not an integer ≥ 0", fields[2])
			}
			if headerH, ok = parseCount(fields[3]); !ok {
				return nil, nil, perr("header: H %q is not an integer ≥ 0", fields[3])
			}
			res.expect, hos.expect = min(headerR, 1<<31), min(headerH, 1<<31)
			header, headerLine = true, line
		case !header:
			return nil, nil, perr("missing header \"hr 1 R H\" before the first record")
		case string(kind) == "r":
			if len(fields) < 2 {
				return nil, nil, perr("resident line without an ID")
			}
			id := fields[1]
			if string(id) == "-" {
				return nil, nil, perr("\"-\" is not a valid resident ID")
			}
			s, ok := res.lookup(id, res.hash(id), line)
			if !ok {
				return nil, nil, tooLong()
			}
			if s.final >= 0 {
				return nil, nil, perr("duplicate resident ID %q (first defined on line %d)", id, res.def[s.id-1])
			}
			s.final, res.def[s.id-1] = int32(defR), int32(line)
			defR++
			list := fields[2:]
			hos.prepare(list)
			for i, f := range list {
				if string(f) == "-" {
					return nil, nil, perr("resident %q: \"-\" is not a valid hospital ID", id)
				}
				s, ok := hos.lookup(f, hos.tags[i], line)
				if !ok {
					return nil, nil, tooLong()
				}
				if s.stamp == int32(line) {
					return nil, nil, perr("resident %q lists hospital %q twice", id, f)
				}
				s.stamp = int32(line)
				b.rPref = appendHinted(b.rPref, s.id-1, func() int { return expectTotal(len(b.rPref), defR, headerR) })
			}
			if len(b.rPref)+defR >= math.MaxInt32 {
				return nil, nil, perr("resident lists too long")
			}
			b.rOff = appendHinted(b.rOff, int32(len(b.rPref)), func() int { return headerR + 1 })
		case string(kind) == "h":
			if len(fields) < 3 {
				return nil, nil, perr("hospital line needs an ID and a capacity")
			}
			id := fields[1]
			if string(id) == "-" {
				return nil, nil, perr("\"-\" is not a valid hospital ID")
			}
			c, ok := parseCount(fields[2])
			if !ok {
				return nil, nil, perr("hospital %q: capacity %q is not an integer ≥ 0", id, fields[2])
			}
			s, ok := hos.lookup(id, hos.hash(id), line)
			if !ok {
				return nil, nil, tooLong()
			}
			if s.final >= 0 {
				return nil, nil, perr("duplicate hospital ID %q (first defined on line %d)", id, hos.def[s.id-1])
			}
			s.final, hos.def[s.id-1] = int32(defH), int32(line)
			defH++
			b.capacity = appendHinted(b.capacity, int32(min(c, math.MaxInt32)), func() int { return headerH })
			list := fields[3:]
			res.prepare(list)
			for i, f := range list {
				if string(f) == "-" {
					return nil, nil, perr("hospital %q: \"-\" is not a valid resident ID", id)
				}
				s, ok := res.lookup(f, res.tags[i], line)
				if !ok {
					return nil, nil, tooLong()
				}
				if s.stamp == int32(line) {
					return nil, nil, perr("hospital %q lists resident %q twice", id, f)
				}
				s.stamp = int32(line)
				b.hPref = appendHinted(b.hPref, s.id-1, func() int { return expectTotal(len(b.hPref), defH, headerH) })
			}
			if len(b.hPref) >= math.MaxInt32 {
				return nil, nil, perr("hospital lists too long")
			}
			b.hOff = appendHinted(b.hOff, int32(len(b.hPref)), func() int { return headerH + 1 })
		default:
			return nil, nil, perr("unknown record type %q (want r or h)", kind)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, &ParseError{Line: line + 1, Msg: "line longer than 1 GiB"}
		}
		return nil, nil, err
	}
	line = 0
	if !header {
		return nil, nil, perr("missing header \"hr 1 R H\"")
	}
	if s := res.firstUndefined(); s != nil {
		return nil, nil, &ParseError{Line: int(res.first[s.id-1]), Msg: fmt.Sprintf("unknown resident ID %q (no r line defines it)", res.key(s))}
	}
	if s := hos.firstUndefined(); s != nil {
		return nil, nil, &ParseError{Line: int(hos.first[s.id-1]), Msg: fmt.Sprintf("unknown hospital ID %q (no h line defines it)", hos.key(s))}
	}
	if defR != headerR || defH != headerH {
		line = headerLine
		return nil, nil, perr("header says %d residents and %d hospitals, but the file has %d r lines and %d h lines", headerR, headerH, defR, defH)
	}
	// Renumber list entries from provisional to final indices.
	rFinal, hFinal := res.finals(), hos.finals()
	for i, p := range b.rPref {
		b.rPref[i] = hFinal[p]
	}
	for i, p := range b.hPref {
		b.hPref[i] = rFinal[p]
	}
	names := &Names{Residents: res.names(defR), Hospitals: hos.names(defH)}
	res, hos, rFinal, hFinal = nil, nil, nil, nil // let the tables go before build
	b.nr, b.nh = defR, defH
	return b.build(), names, nil
}

// appendHinted appends v to s. When s is full it doubles, or, once s has
// 65,536 entries (enough to trust the header somewhat), grows straight to
// the expected final length hint() if that is larger — by 16 times at
// most, so a lying header cannot make it allocate much.
func appendHinted(s []int32, v int32, hint func() int) []int32 {
	if len(s) == cap(s) {
		c := max(2*cap(s), 1024)
		if len(s) >= 1<<16 {
			c = max(c, min(hint(), 16*cap(s)))
		}
		ns := make([]int32, len(s), c)
		copy(ns, s)
		s = ns
	}
	return append(s, v)
}

// expectTotal extrapolates a list total: n entries so far in done of
// total records, plus an eighth for variation; capped at 2^31.
func expectTotal(n, done, total int) int {
	return int(min(float64(n)/float64(done)*float64(total)*1.125, 1<<31))
}

// idTable interns the IDs of one namespace (residents or hospitals) in an
// open-addressing hash table whose slots hold what ReadHR checks per list
// entry and IDs of up to 8 bytes inline, so an ID in a list costs about
// one cache miss, and the garbage collector sees no pointers. An ID gets
// a provisional number when first seen, as a definition or as a list
// entry; its final number is the order of its definition line.
type idTable struct {
	seed   maphash.Seed
	slots  []idSlot // at most 3/4 full
	expect int      // the header's count, a sizing hint
	arena  []byte   // the bytes of every ID, in first-seen order
	first  []int32  // per provisional number: line where first seen
	def    []int32  // per provisional number: line of the definition
	tags   []uint32 // scratch for prepare
	sink   int32
}

type idSlot struct {
	tag    uint32 // high half of the key's hash; the home slot is tag·len(slots)/2^32
	id     int32  // provisional number + 1; 0 marks an empty slot
	n      uint32 // key: arena[off : off+n]
	off    uint32
	stamp  int32   // last line that listed this ID
	final  int32   // final index, -1 until defined
	prefix [8]byte // the key's first bytes (all of it when n ≤ 8)
}

func newIDTable() *idTable {
	return &idTable{seed: maphash.MakeSeed(), slots: make([]idSlot, 1024)}
}

// home returns the first slot to probe for tag in a table of n slots. It
// is monotonic in tag, and growing the table needs no hashing.
func home(tag uint32, n int) int { return int(uint64(tag) * uint64(n) >> 32) }

func (t *idTable) hash(key []byte) uint32 { return uint32(maphash.Bytes(t.seed, key) >> 32) }

func (t *idTable) key(s *idSlot) []byte { return t.arena[s.off : s.off+s.n] }

// prepare hashes a list of keys into t.tags and touches their home
// slots, so that the cache misses of a long list overlap instead of
// coming one after the other.
func (t *idTable) prepare(keys [][]byte) {
	t.tags = t.tags[:0]
	for _, k := range keys {
		t.tags = append(t.tags, t.hash(k))
	}
	// A tight loop of independent loads keeps many misses in flight. A key
	// sits 1.5 slots past its home on average at 3/4 load: touch the next
	// cache line too (two 32-byte slots per line).
	var sink int32
	n := len(t.slots)
	for _, tag := range t.tags {
		i := home(tag, n)
		sink += t.slots[i].id + t.slots[min(i+2, n-1)].id
	}
	t.sink = sink
}

// lookup returns the slot of key (whose hash is tag), adding it if new;
// the pointer is valid until the next lookup. ok is false when the IDs
// exceed 4 GiB in total.
func (t *idTable) lookup(key []byte, tag uint32, line int) (s *idSlot, ok bool) {
	if s := t.find(key, tag); s.id != 0 {
		return s, true
	}
	if uint64(len(t.arena))+uint64(len(key)) > math.MaxUint32 || len(t.first) >= math.MaxInt32-1 {
		return nil, false
	}
	if 4*(len(t.first)+1) > 3*len(t.slots) {
		t.grow()
	}
	s = t.find(key, tag)
	*s = idSlot{tag: tag, id: int32(len(t.first) + 1), n: uint32(len(key)), off: uint32(len(t.arena)), final: -1}
	copy(s.prefix[:], key)
	if len(t.arena)+len(key) > cap(t.arena) && len(t.first) >= 1<<16 {
		// Size the arena for the expected number of IDs at the mean length.
		want := min(expectTotal(len(t.arena), len(t.first), t.expect), 16*cap(t.arena))
		if want > len(t.arena)+len(key) {
			t.arena = slices.Grow(t.arena, want-len(t.arena))
		}
	}
	t.arena = append(t.arena, key...)
	t.first = appendHinted(t.first, int32(line), func() int { return t.expect })
	t.def = appendHinted(t.def, 0, func() int { return t.expect })
	return s, true
}

// find returns the slot holding key, or the empty slot where it belongs.
func (t *idTable) find(key []byte, tag uint32) *idSlot {
	var pre [8]byte
	copy(pre[:], key)
	for i := home(tag, len(t.slots)); ; i++ {
		if i == len(t.slots) {
			i = 0
		}
		s := &t.slots[i]
		if s.id == 0 {
			return s
		}
		if s.tag == tag && s.n == uint32(len(key)) && s.prefix == pre &&
			(len(key) <= 8 || string(t.arena[s.off+8:s.off+s.n]) == string(key[8:])) {
			return s
		}
	}
}

// grow enlarges the table: doubling, or once it holds 65,536 IDs, straight
// to the size the header's count calls for. The home slot depends only on
// the tag, so no key is hashed again.
func (t *idTable) grow() {
	n := 2 * len(t.slots)
	if len(t.first) >= 1<<16 {
		n = max(n, min(t.expect/3*4+1024, 16*len(t.slots)))
	}
	old := t.slots
	t.slots = make([]idSlot, n)
	for _, s := range old {
		if s.id == 0 {
			continue
		}
		i := home(s.tag, n)
		for t.slots[i].id != 0 {
			if i++; i == n {
				i = 0
			}
		}
		t.slots[i] = s
	}
}

// firstUndefined returns the undefined ID seen first, or nil.
func (t *idTable) firstUndefined() *idSlot {
	var found *idSlot
	for i := range t.slots {
		s := &t.slots[i]
		if s.id != 0 && s.final < 0 && (found == nil || s.id < found.id) {
			found = s
		}
	}
	return found
}

// finals maps provisional numbers to final indices.
func (t *idTable) finals() []int32 {
	out := make([]int32, len(t.first))
	for _, s := range t.slots {
		if s.id != 0 {
			out[s.id-1] = s.final
		}
	}
	return out
}

// names returns the IDs by final index, as substrings of one string.
func (t *idTable) names(n int) []string {
	out := make([]string, n)
	all := string(t.arena)
	for _, s := range t.slots {
		if s.id != 0 {
			out[s.final] = all[s.off : s.off+s.n]
		}
	}
	return out
}

// splitFields appends the whitespace-separated fields of line to dst.
func splitFields(line []byte, dst [][]byte) [][]byte {
	i, n := 0, len(line)
	for {
		for i < n && isSpace(line[i]) {
			i++
		}
		if i == n {
			return dst
		}
		j := i
		for j < n && !isSpace(line[j]) {
			j++
		}
		dst = append(dst, line[i:j:j])
		i = j
	}
}

// validID reports whether id can be written as one field.
func validID(id string) bool {
	if id == "" || id == "-" {
		return false
	}
	for i := range len(id) {
		if isSpace(id[i]) || id[i] == '\n' {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// parseCount parses a decimal integer ≥ 0, saturating at MaxInt.
func parseCount(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	if b[0] == '+' && len(b) > 1 {
		b = b[1:]
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (math.MaxInt-9)/10 {
			n = math.MaxInt
			continue
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DefaultNames returns the IDs r0, r1, … and h0, h1, … for an instance
// that was not read from a file.
func DefaultNames(in *Instance) *Names {
	n := &Names{Residents: make([]string, in.nr), Hospitals: make([]string, in.nh)}
	for r := range n.Residents {
		n.Residents[r] = "r" + strconv.Itoa(r)
	}
	for h := range n.Hospitals {
		n.Hospitals[h] = "h" + strconv.Itoa(h)
	}
	return n
}

// WriteHR writes in in the "hr 1" format with the given IDs (names may be
// nil: DefaultNames is used). Only mutually acceptable pairs are written
// (an equivalent instance: the same matching and audit); a withdrawn
// resident is written with an empty list, a withdrawn hospital with
// capacity 0.
func WriteHR(w io.Writer, in *Instance, names *Names) error {
	if names == nil {
		names = DefaultNames(in)
	}
	if len(names.Residents) != in.nr || len(names.Hospitals) != in.nh {
		return errors.New("hr: names do not fit the instance")
	}
	for _, ids := range [][]string{names.Residents, names.Hospitals} {
		for _, id := range ids {
			if !validID(id) {
				return fmt.Errorf("hr: ID %q is empty, \"-\", or contains a space", id)
			}
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	buf := make([]byte, 0, 256)
	fmt.Fprintf(bw, "hr 1 %d %d\n", in.nr, in.nh)
	for r := range in.nr {
		buf = append(buf, "r "...)
		buf = append(buf, names.Residents[r]...)
		for _, c := range in.Choices(r) {
			buf = append(buf, ' ')
			buf = append(buf, names.Hospitals[c.Hospital]...)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
	}
	// Hospital lists: transpose the choices, order by rank.
	type entry struct{ rank, r int32 }
	tOff := make([]int32, in.nh+1)
	for _, c := range in.choices {
		if c.Hospital >= 0 {
			tOff[c.Hospital+1]++
		}
	}
	for h := range in.nh {
		tOff[h+1] += tOff[h]
	}
	fill := slices.Clone(tOff[:in.nh])
	ents := make([]entry, tOff[in.nh])
	for r := range in.nr {
		for _, c := range in.Choices(r) {
			ents[fill[c.Hospital]] = entry{c.Rank, int32(r)}
			fill[c.Hospital]++
		}
	}
	for h := range in.nh {
		seg := ents[tOff[h]:tOff[h+1]]
		slices.SortFunc(seg, func(a, b entry) int { return cmp.Compare(a.rank, b.rank) })
		buf = append(buf, "h "...)
		buf = append(buf, names.Hospitals[h]...)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(in.capacity[h]), 10)
		for _, e := range seg {
			buf = append(buf, ' ')
			buf = append(buf, names.Residents[e.r]...)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
	}
	return bw.Flush()
}

// WriteResult writes res in the "hr-result 1" format: one line per
// resident, in instance order, with its hospital's ID or "-".
func WriteResult(w io.Writer, names *Names, res *Result) error {
	if len(names.Residents) != len(res.Match) {
		return errors.New("hr: names do not fit the result")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("hr-result 1\n")
	for r, h := range res.Match {
		bw.WriteString(names.Residents[r])
		bw.WriteByte(' ')
		if h < 0 {
			bw.WriteByte('-')
		} else if int(h) < len(names.Hospitals) {
			bw.WriteString(names.Hospitals[h])
		} else {
			return fmt.Errorf("hr: resident %d matched to hospital %d out of range", r, h)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
