package assign

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// Kind is the kind of a DIMACS problem.
type Kind uint8

// The problem kinds of shared/formats/dimacs.md.
const (
	KindAssignment  Kind = 1 // "p asn": assignment
	KindMinCostFlow Kind = 2 // "p min": minimum-cost flow
)

// String returns "asn" or "min", the word on the problem line.
func (k Kind) String() string {
	switch k {
	case KindAssignment:
		return "asn"
	case KindMinCostFlow:
		return "min"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Problem is a DIMACS problem as read from a file, with nodes numbered
// from 0 (the file's node ID minus one). Arc a goes from Tail[a] to
// Head[a] at Cost[a] per unit.
//
// For [KindAssignment], Source[v] tells whether node v is on the source
// side; every arc goes from a source to a sink; Supply, Low and Cap are
// nil. The task is to choose min(#sources, #sinks) arcs, no two sharing a
// node, at least total cost.
//
// For [KindMinCostFlow], Supply[v] is node v's supply (negative: demand)
// and arc a carries between Low[a] and Cap[a] units; Source is nil.
type Problem struct {
	Kind       Kind
	Nodes      int
	Source     []bool
	Supply     []int64
	Tail, Head []int32
	Low, Cap   []int64
	Cost       []int64
}

// NumArcs returns the number of arcs.
func (p *Problem) NumArcs() int { return len(p.Tail) }

// ParseError is an error in a DIMACS file at a line (1-based; 0 when it
// concerns the whole file).
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return "dimacs: " + e.Msg
	}
	return fmt.Sprintf("dimacs: line %d: %s", e.Line, e.Msg)
}

// Limits of the reader: node IDs and arc counts fit int32 indices.
const (
	maxNodes = math.MaxInt32 - 2
	maxArcs  = math.MaxInt32/2 - 2
)

// ReadDIMACS reads a "p asn" or "p min" problem (shared/formats/dimacs.md).
//
// Comment lines ("c …") and blank lines are ignored. The problem line must
// come first and only once; node lines ("n") must precede arc lines ("a"),
// as the DIMACS rules say; a node may be listed once; in an assignment
// file every arc must go from a source (a node listed on an n line) to a
// sink; in a min-cost flow file every arc needs 0 ≤ LOW ≤ CAP; the number
// of arcs must equal the problem line's. Any deviation, a malformed or
// out-of-range number included, is a [*ParseError] naming the line.
//
// Memory follows the problem line's counts only once the data has shown
// them plausible, so a lying header costs nothing.
func ReadDIMACS(r io.Reader) (*Problem, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var (
		p        *Problem
		lineNo   int
		pLine    int
		declArcs int
		long     []byte
		nodes    []nodeLine
		src      sourceSet
		f        [6][]byte
	)
	perr := func(format string, args ...any) error {
		return &ParseError{Line: lineNo, Msg: fmt.Sprintf(format, args...)}
	}
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(line) == 0 && err == io.EOF {
			break
		}
		lineNo++
		nf := fields(line, &f)
		if nf == 0 || (len(f[0]) == 1 && f[0][0] == 'c') {
			if err == io.EOF {
				break
			}
			continue
		}
		if len(f[0]) != 1 {
			return nil, perr("unknown line type %q (want c, p, n or a)", f[0])
		}
		switch f[0][0] {
		case 'p':
			if p != nil {
				return nil, perr("second problem line (the first is on line %d)", pLine)
			}
			if nf != 4 {
				return nil, perr("malformed problem line (want p asn N A or p min N A)")
			}
			p = &Problem{}
			switch string(f[1]) {
			case "asn":
				p.Kind = KindAssignment
			case "min":
				p.Kind = KindMinCostFlow
			default:
				return nil, perr("unsupported problem %q (want asn or min)", f[1])
			}
			n, ok := parseInt(f[2])
			if !ok || n < 0 || n > maxNodes {
				return nil, perr("node count %q is not an integer in [0, %d]", f[2], maxNodes)
			}
			a, ok := parseInt(f[3])
			if !ok || a < 0 || a > maxArcs {
				return nil, perr("arc count %q is not an integer in [0, %d]", f[3], maxArcs)
			}
			p.Nodes, declArcs, pLine = int(n), int(a), lineNo
			p.grow(min(declArcs, 1<<16))
		case 'n':
			if p == nil {
				return nil, perr("node line before the problem line")
			}
			if len(p.Tail) > 0 {
				return nil, perr("node line after arc lines (node lines must come first)")
			}
			want := 2
			if p.Kind == KindMinCostFlow {
				want = 3
			}
			if nf != want {
				if want == 2 {
					return nil, perr("malformed node line (want n ID)")
				}
				return nil, perr("malformed node line (want n ID SUPPLY)")
			}
			id, ok := p.parseNode(f[1])
			if !ok {
				return nil, perr("node ID %q is not an integer in [1, %d]", f[1], p.Nodes)
			}
			var s int64
			if want == 3 {
				if s, ok = parseInt(f[2]); !ok {
					return nil, perr("supply %q is not a 64-bit integer", f[2])
				}
			}
			nodes = append(nodes, nodeLine{id: int32(id), line: int32(min(lineNo, math.MaxInt32)), val: s})
		case 'a':
			if p == nil {
				return nil, perr("arc line before the problem line")
			}
			if len(p.Tail) >= declArcs {
				return nil, perr("more arcs than the %d of the problem line", declArcs)
			}
			if len(p.Tail) == cap(p.Tail) {
				c := 2 * cap(p.Tail)
				if cap(p.Tail) >= 1<<16 {
					c = declArcs // the data so far makes the header plausible
				}
				p.grow(min(c, declArcs))
			}
			if len(p.Tail) == 0 {
				if err := sortNodes(nodes); err != nil {
					return nil, err
				}
				src = newSourceSet(nodes)
			}
			if p.Kind == KindAssignment && nf != 4 {
				return nil, perr("malformed arc line (want a U V COST)")
			}
			if p.Kind == KindMinCostFlow && nf != 6 {
				return nil, perr("malformed arc line (want a U V LOW CAP COST)")
			}
			u, ok := p.parseNode(f[1])
			if !ok {
				return nil, perr("arc tail %q is not a node ID in [1, %d]", f[1], p.Nodes)
			}
			v, ok := p.parseNode(f[2])
			if !ok {
				return nil, perr("arc head %q is not a node ID in [1, %d]", f[2], p.Nodes)
			}
			if p.Kind == KindAssignment {
				if !src.has(u) {
					return nil, perr("arc tail %d is not a source (no n line lists it)", u+1)
				}
				if src.has(v) {
					return nil, perr("arc head %d is a source, not a sink", v+1)
				}
			} else {
				low, ok1 := parseInt(f[3])
				hi, ok2 := parseInt(f[4])
				if !ok1 || !ok2 || low < 0 || low > hi {
					return nil, perr("arc bounds %q %q: want integers 0 ≤ LOW ≤ CAP", f[3], f[4])
				}
				p.Low = append(p.Low, low)
				p.Cap = append(p.Cap, hi)
			}
			c, ok := parseInt(f[nf-1])
			if !ok || c == math.MinInt64 {
				return nil, perr("arc cost %q is not a 64-bit integer", f[nf-1])
			}
			p.Tail = append(p.Tail, int32(u))
			p.Head = append(p.Head, int32(v))
			p.Cost = append(p.Cost, c)
		default:
			return nil, perr("unknown line type %q (want c, p, n or a)", f[0])
		}
		if err == io.EOF {
			break
		}
	}
	lineNo = 0
	if p == nil {
		return nil, perr("missing problem line (p asn N A or p min N A)")
	}
	if len(p.Tail) == 0 {
		if err := sortNodes(nodes); err != nil {
			return nil, err
		}
	}
	if len(p.Tail) != declArcs {
		return nil, perr("the problem line (line %d) announces %d arcs, the file has %d", pLine, declArcs, len(p.Tail))
	}
	if p.Nodes > 1<<20 && p.Nodes > 2*len(p.Tail)+len(nodes) {
		return nil, perr("the problem line (line %d) announces %d nodes, more than 2^20 and than the %d arcs and %d node lines can touch", pLine, p.Nodes, len(p.Tail), len(nodes))
	}
	if p.Kind == KindAssignment {
		p.Source = make([]bool, p.Nodes)
		for _, nl := range nodes {
			p.Source[nl.id] = true
		}
	} else {
		p.Supply = make([]int64, p.Nodes)
		for _, nl := range nodes {
			p.Supply[nl.id] = nl.val
		}
	}
	return p, nil
}

// parseNode parses a 1-based node ID and returns it 0-based.
func (p *Problem) parseNode(b []byte) (int, bool) {
	id, ok := parseInt(b)
	if !ok || id < 1 || id > int64(p.Nodes) {
		return 0, false
	}
	return int(id - 1), true
}

// grow makes room for c arcs in all.
func (p *Problem) grow(c int) {
	if c <= cap(p.Tail) {
		return
	}
	p.Tail = append(make([]int32, 0, c), p.Tail...)
	p.Head = append(make([]int32, 0, c), p.Head...)
	p.Cost = append(make([]int64, 0, c), p.Cost...)
	if p.Kind == KindMinCostFlow {
		p.Low = append(make([]int64, 0, c), p.Low...)
		p.Cap = append(make([]int64, 0, c), p.Cap...)
	}
}

// nodeLine is an n line kept until the node arrays are built.
type nodeLine struct {
	id, line int32
	val      int64
}

// sortNodes sorts node lines by ID and reports a node listed twice.
func sortNodes(nodes []nodeLine) error {
	slices.SortFunc(nodes, func(a, b nodeLine) int { return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.line, b.line)) })
	for i := 1; i < len(nodes); i++ {
		if nodes[i].id == nodes[i-1].id {
			return &ParseError{Line: int(nodes[i].line), Msg: fmt.Sprintf("node %d listed twice (first on line %d)", nodes[i].id+1, nodes[i-1].line)}
		}
	}
	return nil
}

// sourceSet answers "is node v a source" for the sorted source IDs: a
// range check when they are contiguous, a binary search otherwise.
type sourceSet struct {
	ids    []int32
	lo, hi int32 // contiguous range [lo, hi) when ids is nil
}

func newSourceSet(nodes []nodeLine) sourceSet {
	if len(nodes) == 0 {
		return sourceSet{}
	}
	lo, hi := nodes[0].id, nodes[len(nodes)-1].id+1
	if int(hi-lo) == len(nodes) {
		return sourceSet{lo: lo, hi: hi}
	}
	ids := make([]int32, len(nodes))
	for i, nl := range nodes {
		ids[i] = nl.id
	}
	return sourceSet{ids: ids}
}

func (s *sourceSet) has(v int) bool {
	if s.ids == nil {
		return int32(v) >= s.lo && int32(v) < s.hi
	}
	_, ok := slices.BinarySearch(s.ids, int32(v))
	return ok
}

// fields splits line at spaces and tabs into at most len(f) fields (the
// last one keeps any excess, so a line with too many fields is noticed by
// the field count) and returns the count, or 7 for more than 6 fields.
func fields(line []byte, f *[6][]byte) int {
	n := 0
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n') {
			i++
		}
		if i == len(line) {
			return n
		}
		if n == len(f) {
			return n + 1
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' && line[j] != '\n' {
			j++
		}
		f[n] = line[i:j]
		n++
		i = j
	}
}

// parseInt parses a decimal int64 with an optional sign.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var x uint64
	for _, c := range b {
		d := uint64(c) - '0'
		if d > 9 || x > (math.MaxUint64-9)/10 {
			return 0, false
		}
		x = x*10 + d
	}
	if neg {
		if x > 1<<63 {
			return 0, false
		}
		return -int64(x), true
	}
	if x > math.MaxInt64 {
		return 0, false
	}
	return int64(x), true
}

// WriteDIMACS writes p in the DIMACS format ReadDIMACS reads: the problem
// line, the node lines (sources; nonzero supplies), then the arcs.
func WriteDIMACS(w io.Writer, p *Problem) error {
	if err := p.check(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	buf := make([]byte, 0, 96)
	buf = fmt.Appendf(buf, "p %s %d %d\n", p.Kind, p.Nodes, len(p.Tail))
	for v := range p.Nodes {
		if p.Kind == KindAssignment && p.Source[v] {
			buf = append(buf, "n "...)
			buf = strconv.AppendInt(buf, int64(v+1), 10)
			buf = append(buf, '\n')
		} else if p.Kind == KindMinCostFlow && p.Supply[v] != 0 {
			buf = append(buf, "n "...)
			buf = strconv.AppendInt(buf, int64(v+1), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, p.Supply[v], 10)
			buf = append(buf, '\n')
		}
		if len(buf) > 64 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	for a := range p.Tail {
		buf = append(buf, "a "...)
		buf = strconv.AppendInt(buf, int64(p.Tail[a])+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(p.Head[a])+1, 10)
		buf = append(buf, ' ')
		if p.Kind == KindMinCostFlow {
			buf = strconv.AppendInt(buf, p.Low[a], 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, p.Cap[a], 10)
			buf = append(buf, ' ')
		}
		buf = strconv.AppendInt(buf, p.Cost[a], 10)
		buf = append(buf, '\n')
		bw.Write(buf)
		buf = buf[:0]
	}
	bw.Write(buf)
	return bw.Flush()
}
