package assign

import (
	"errors"
	"math"
)

// Assignment is a dense assignment problem: Rows sources, Cols sinks and
// the cost Cost[i*Cols+j] of pairing source i with sink j, for every
// pair. A solution pairs min(Rows, Cols) sources with distinct sinks at
// least total cost. Costs are int32, so sums of up to 2^32 of them fit
// int64 exactly.
type Assignment struct {
	Rows, Cols int
	Cost       []int32 // row-major, len Rows*Cols

	match []int32 // set by Solve: the sink of each source, or -1
}

// NewAssignment returns a problem with all costs 0.
func NewAssignment(rows, cols int) *Assignment {
	if rows < 0 || cols < 0 || rows >= math.MaxInt32 || cols >= math.MaxInt32 {
		panic("assign: NewAssignment: size out of range")
	}
	return &Assignment{Rows: rows, Cols: cols, Cost: make([]int32, rows*cols)}
}

// Set sets the cost of pairing source i with sink j.
func (a *Assignment) Set(i, j int, cost int32) { a.Cost[i*a.Cols+j] = cost }

// At returns the cost of pairing source i with sink j.
func (a *Assignment) At(i, j int) int32 { return a.Cost[i*a.Cols+j] }

// Match returns the sink paired with source i by the last Solve, or -1.
func (a *Assignment) Match(i int) int {
	if a.match == nil {
		return -1
	}
	return int(a.match[i])
}

// Solve computes an optimal assignment and returns its cost; the pairs are
// then available from [Assignment.Match]. The only error is a Cost slice
// of the wrong length.
//
// The algorithm is Jonker and Volgenant's (1987): column reduction,
// reduction transfer, two rounds of augmenting row reduction, then a
// Dijkstra-like shortest augmenting path for each row still free. An
// unbalanced problem is squared with zero-cost dummy sources (after
// transposing, when there are more sources than sinks), which leaves the
// optimum unchanged.
func (a *Assignment) Solve() (int64, error) {
	a.match = nil
	if a.Rows < 0 || a.Cols < 0 || len(a.Cost) != a.Rows*a.Cols {
		return 0, errors.New("assign: Assignment: len(Cost) must be Rows·Cols")
	}
	r, c, cost := a.Rows, a.Cols, a.Cost
	transposed := r > c
	if transposed {
		t := make([]int32, len(cost))
		for i := range r {
			for j := range c {
				t[j*r+i] = cost[i*c+j]
			}
		}
		r, c, cost = c, r, t
	}
	n := c
	rows := make([][]int32, n)
	zero := make([]int32, n)
	for i := range n {
		if i < r {
			rows[i] = cost[i*c : (i+1)*c : (i+1)*c]
		} else {
			rows[i] = zero
		}
	}
	x := lapjv(rows)
	a.match = make([]int32, a.Rows)
	for i := range a.match {
		a.match[i] = -1
	}
	var total int64
	for i := range r {
		j := x[i]
		total += int64(rows[i][j])
		if transposed {
			a.match[j] = int32(i)
		} else {
			a.match[i] = j
		}
	}
	return total, nil
}

// lapjv solves the square assignment problem given by its rows and returns
// the column of each row.
func lapjv(rows [][]int32) []int32 {
	n := len(rows)
	x := make([]int32, n) // column of row
	y := make([]int32, n) // row of column
	if n == 0 {
		return x
	}
	if n == 1 {
		return x
	}
	v := make([]int64, n)

	// Column reduction, row by row for the cache: v[j] = min_i c[i][j],
	// taken by the lowest such row.
	argmin := make([]int32, n)
	for j := range v {
		v[j] = math.MaxInt64
	}
	for i, ri := range rows {
		ri = ri[:n]
		for j, cij := range ri {
			if c := int64(cij); c < v[j] {
				v[j] = c
				argmin[j] = int32(i)
			}
		}
	}
	matches := make([]int32, n)
	for i := range x {
		x[i] = -1
	}
	for j := n - 1; j >= 0; j-- {
		i := argmin[j]
		if matches[i]++; matches[i] == 1 {
			x[i], y[j] = int32(j), i
		} else {
			y[j] = -1
		}
	}

	// Reduction transfer from the rows assigned once.
	free := make([]int32, 0, n)
	for i, ri := range rows {
		switch matches[i] {
		case 0:
			free = append(free, int32(i))
		case 1:
			j1 := x[i]
			m := int64(math.MaxInt64)
			for j, cij := range ri[:n] {
				if h := int64(cij) - v[j]; h < m && int32(j) != j1 {
					m = h
				}
			}
			v[j1] -= m
		}
	}

	// Augmenting row reduction, twice.
	for range 2 {
		numFree := len(free)
		next := 0
		for k := 0; k < numFree; {
			i := free[k]
			k++
			ri := rows[i][:n]
			umin, j1 := int64(ri[0])-v[0], int32(0)
			usub, j2 := int64(math.MaxInt64), int32(-1)
			for j := 1; j < n; j++ {
				h := int64(ri[j]) - v[j]
				if h < usub {
					if h >= umin {
						usub, j2 = h, int32(j)
					} else {
						usub, umin, j2, j1 = umin, h, j1, int32(j)
					}
				}
			}
			i0 := y[j1]
			if umin < usub {
				v[j1] -= usub - umin
			} else if i0 >= 0 {
				j1, i0 = j2, y[j2]
			}
			x[i], y[j1] = j1, i
			if i0 >= 0 {
				if umin < usub {
					k--
					free[k] = i0
				} else {
					free[next] = i0
					next++
				}
			}
		}
		free = free[:next]
	}

	// Shortest augmenting paths.
	d := make([]int64, n)
	pred := make([]int32, n)
	cols := make([]int32, n)
	for _, fr := range free {
		rf := rows[fr][:n]
		for j := range n {
			d[j] = int64(rf[j]) - v[j]
			pred[j] = fr
			cols[j] = int32(j)
		}
		// cols[:low] are done, cols[low:up] are at the current minimum
		// distance and still to scan, cols[up:] are not yet reached.
		low, up := 0, 0
		var minD int64
		end := int32(-1)
		for end < 0 {
			if up == low {
				// Move every column at the smallest distance to the front.
				minD = d[cols[up]]
				up++
				for k := up; k < n; k++ {
					j := cols[k]
					h := d[j]
					if h <= minD {
						if h < minD {
							up = low
							minD = h
						}
						cols[k], cols[up] = cols[up], j
						up++
					}
				}
				for k := low; k < up; k++ {
					if y[cols[k]] < 0 {
						end = cols[k]
						break
					}
				}
				if end >= 0 {
					break
				}
			}
			j1 := cols[low]
			low++
			i := y[j1]
			ri := rows[i][:n]
			h := int64(ri[j1]) - v[j1] - minD
			for k := up; k < n; k++ {
				j := cols[k]
				v2 := int64(ri[j]) - v[j] - h
				if v2 < d[j] {
					pred[j] = i
					if v2 == minD {
						if y[j] < 0 {
							end = j
							break
						}
						cols[k], cols[up] = cols[up], j
						up++
					}
					d[j] = v2
				}
			}
		}
		// Update the prices of the columns done, then augment.
		for _, j := range cols[:low] {
			v[j] += d[j] - minD
		}
		for {
			i := pred[end]
			y[end] = i
			j := x[i]
			x[i] = end
			if i == fr {
				break
			}
			end = j
		}
	}
	return x
}
