package assign

import (
	"math"
	"math/bits"
)

// Options configures [Dense] and [DenseInt64]. A nil
// *Options means the zero value.
type Options struct {
	// Maximize asks for the largest total weight instead of the smallest.
	// Defaults to false (minimize).
	Maximize bool
}

// Assignment is the result of [Dense].
type Assignment struct {
	// RowToCol[i] is the column assigned to row i, or -1 when row i is
	// unassigned (only possible when there are more rows than columns).
	RowToCol []int
	// ColToRow[j] is the row assigned to column j, or -1.
	ColToRow []int
	// Total is the sum of the weights of the assigned pairs, added in row
	// order.
	Total float64
	// U and V are dual potentials (one per row, one per column) that
	// certify optimality; see [VerifyDense] for the conditions they meet.
	U, V []float64
}

// AssignmentInt64 is the result of [DenseInt64]. Its fields mean what
// the fields of [Assignment] mean, with exact int64 values.
type AssignmentInt64 struct {
	RowToCol []int
	ColToRow []int
	Total    int64
	U, V     []int64
}

// Forbidden pairs in [DenseInt64], which has no infinities.
const (
	// ForbiddenMinInt64 (math.MaxInt64) marks a pair that may not be
	// assigned when minimizing, as +Inf does in [Dense].
	ForbiddenMinInt64 int64 = math.MaxInt64
	// ForbiddenMaxInt64 (math.MinInt64) marks a pair that may not be
	// assigned when maximizing, as -Inf does in [Dense].
	ForbiddenMaxInt64 int64 = math.MinInt64
)

// Limits of the int64 core: costs are shifted into [0, R] with
// n·R <= intRangeLimit; potentials stay above -intPotLimit; forbidden pairs
// hold intForbidden and anything at or above intLim is unreachable. With
// these bounds no intermediate value of the solver overflows int64.
const (
	intRangeLimit = 1 << 57
	intPotLimit   = 1 << 58
	intLim        = 1 << 61
	intForbidden  = 1 << 62
)

// Dense solves the rectangular linear assignment problem on the dense
// weight matrix w (w[i][j] is the weight of pairing row i with column j),
// with the semantics of scipy.optimize.linear_sum_assignment: when there are
// no more rows than columns every row is assigned, otherwise every column is
// assigned and the remaining rows get -1. The total weight is minimized, or
// maximized when opts.Maximize is set.
//
// An entry of +Inf (-Inf when maximizing) forbids that pair. Dense
// returns an error wrapping [ErrInfeasible] when the smaller side cannot be
// covered without a forbidden pair, a [*WeightError] for NaN or an infinity
// of the wrong sign, an error wrapping [ErrInvalidProblem] for ragged rows,
// and an error wrapping [ErrOverflow] when the finite weights span a range
// too wide for the potentials to stay finite. An empty matrix (no rows, or
// rows with no columns) gives an empty assignment and no error.
//
// The solver is the shortest augmenting path method of Jonker and Volgenant
// (1987) with its full initialisation; see the package documentation. It
// runs in O(n²·m) time in the worst case and in much less on typical
// inputs. The result is a deterministic function of w and opts; among
// several optimal assignments, which one is returned is not otherwise
// specified.
func Dense(w [][]float64, opts *Options) (*Assignment, error) {
	if opts == nil {
		opts = &Options{}
	}
	rows, cols, err := denseShape(w)
	if err != nil {
		return nil, err
	}
	if rows == 0 || cols == 0 {
		return emptyAssignment(rows, cols), nil
	}
	forbidden, sign := math.Inf(1), 1.0
	if opts.Maximize {
		forbidden, sign = math.Inf(-1), -1
	}
	transposed := rows > cols
	n, m := rows, cols
	if transposed {
		n, m = cols, rows
	}
	// One pass validates w, tracks the range of the allowed weights and
	// fills the internal minimization matrix (transposed when rows > cols).
	c := make([]float64, n*m)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, row := range w {
		for j, x := range row {
			if x-x != 0 { // NaN or an infinity
				if err := checkSpecial(x, forbidden, opts.Maximize, i, j); err != nil {
					return nil, err
				}
			} else {
				if x < lo {
					lo = x
				}
				if x > hi {
					hi = x
				}
			}
			if transposed {
				c[j*m+i] = sign * x
			} else {
				c[i*m+j] = sign * x
			}
		}
	}
	if lo <= hi && math.IsInf((hi-lo)*float64(min(rows, cols)+2), 0) {
		return nil, overflowf("weights span %g, too wide for float64 potentials", hi-lo)
	}
	if err := checkAllowedLines(c, n, m, math.Inf(1), transposed); err != nil {
		return nil, err
	}
	res, err := lapjv(c, n, m, lapBounds[float64]{
		forbidden: math.Inf(1), lim: math.Inf(1), vmin: math.Inf(-1),
	})
	if err != nil {
		return nil, err
	}

	a := &Assignment{}
	a.RowToCol, a.ColToRow = orient(res.rowsol, res.colsol, transposed)
	for i, j := range a.RowToCol {
		if j >= 0 {
			a.Total += w[i][j]
		}
	}
	u, v := make([]float64, n), make([]float64, m)
	for i, x := range res.u {
		u[i] = sign * x
	}
	for j, x := range res.v {
		v[j] = sign * x
	}
	a.U, a.V = u, v
	if transposed {
		a.U, a.V = v, u
	}
	return a, nil
}

// DenseInt64 is [Dense] for int64 weights, computed exactly.
// Where float64 rounding can make a float solver return a non-optimal
// assignment (weights near 2^53 and beyond), this one stays optimal.
//
// Forbidden pairs hold [ForbiddenMinInt64] (math.MaxInt64) when minimizing
// and [ForbiddenMaxInt64] (math.MinInt64) when maximizing. All other
// entries are allowed. Internally the allowed weights are shifted to
// [0, R]; DenseInt64 returns an error wrapping [ErrOverflow] when
// min(rows, cols)·R exceeds 2^57, or when the total or a dual potential of
// the result does not fit in an int64, rather than a wrong answer.
func DenseInt64(w [][]int64, opts *Options) (*AssignmentInt64, error) {
	if opts == nil {
		opts = &Options{}
	}
	rows, cols, err := denseShape(w)
	if err != nil {
		return nil, err
	}
	if rows == 0 || cols == 0 {
		e := emptyAssignment(rows, cols)
		return &AssignmentInt64{RowToCol: e.RowToCol, ColToRow: e.ColToRow, U: make([]int64, rows), V: make([]int64, cols)}, nil
	}
	forbidden := ForbiddenMinInt64
	if opts.Maximize {
		forbidden = ForbiddenMaxInt64
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, row := range w {
		for _, x := range row {
			if x != forbidden {
				lo = min(lo, x)
				hi = max(hi, x)
			}
		}
	}
	transposed := rows > cols
	n, m := rows, cols
	if transposed {
		n, m = cols, rows
	}
	if lo <= hi {
		span := uint64(hi) - uint64(lo) // exact: the range is below 2^64
		if hi, lo := bits.Mul64(span, uint64(n)); hi != 0 || lo > intRangeLimit {
			return nil, overflowf("weights span %d over %d rows, beyond the exact int64 range", span, n)
		}
	}
	// Minimize c = w - lo, or maximize via c = hi - w; both lie in [0, R].
	conv := func(x int64) int64 {
		switch {
		case x == forbidden:
			return intForbidden
		case opts.Maximize:
			return hi - x
		default:
			return x - lo
		}
	}
	c := make([]int64, n*m)
	for i, row := range w {
		for j, x := range row {
			if transposed {
				c[j*m+i] = conv(x)
			} else {
				c[i*m+j] = conv(x)
			}
		}
	}
	if err := checkAllowedLines(c, n, m, intForbidden, transposed); err != nil {
		return nil, err
	}
	res, err := lapjv(c, n, m, lapBounds[int64]{
		forbidden: intForbidden, lim: intLim, vmin: -intPotLimit,
	})
	if err != nil {
		return nil, err
	}

	a := &AssignmentInt64{}
	a.RowToCol, a.ColToRow = orient(res.rowsol, res.colsol, transposed)
	for i, j := range a.RowToCol {
		if j >= 0 {
			var ok bool
			if a.Total, ok = addInt64(a.Total, w[i][j]); !ok {
				return nil, overflowf("total weight does not fit in int64")
			}
		}
	}
	// Undo the shift: the internal rows (the fully covered side) absorb the
	// constant, so the sign condition on the other side is untouched.
	u, v := make([]int64, n), make([]int64, m)
	for i, x := range res.u {
		var ok bool
		if opts.Maximize {
			u[i], ok = subInt64(hi, x)
		} else {
			u[i], ok = addInt64(x, lo)
		}
		if !ok {
			return nil, overflowf("dual potential of row %d does not fit in int64", i)
		}
	}
	for j, x := range res.v {
		if opts.Maximize {
			v[j] = -x
		} else {
			v[j] = x
		}
	}
	a.U, a.V = u, v
	if transposed {
		a.U, a.V = v, u
	}
	return a, nil
}

// checkSpecial returns the error for a NaN or infinite weight x at (i, j),
// or nil when x is the forbidden value.
func checkSpecial(x, forbidden float64, maximize bool, i, j int) error {
	switch {
	case math.IsNaN(x):
		return &WeightError{Row: i, Col: j, Value: x, Reason: "NaN"}
	case x == forbidden:
		return nil
	case maximize:
		return &WeightError{Row: i, Col: j, Value: x, Reason: "+Inf when maximizing"}
	default:
		return &WeightError{Row: i, Col: j, Value: x, Reason: "-Inf when minimizing"}
	}
}

// denseShape returns the dimensions of w, or an error for ragged rows.
func denseShape[T any](w [][]T) (rows, cols int, err error) {
	rows = len(w)
	if rows == 0 {
		return 0, 0, nil
	}
	cols = len(w[0])
	for i, row := range w {
		if len(row) != cols {
			return 0, 0, invalidf("ragged matrix: row %d has %d entries, row 0 has %d", i, len(row), cols)
		}
	}
	return rows, cols, nil
}

func emptyAssignment(rows, cols int) *Assignment {
	a := &Assignment{
		RowToCol: make([]int, rows),
		ColToRow: make([]int, cols),
		U:        make([]float64, rows),
		V:        make([]float64, cols),
	}
	for i := range a.RowToCol {
		a.RowToCol[i] = -1
	}
	for j := range a.ColToRow {
		a.ColToRow[j] = -1
	}
	return a
}

// checkAllowedLines reports ErrInfeasible for a row of the internal n×m
// matrix with no allowed entry, or, when n == m, such a column. It names
// lines in the caller's orientation.
func checkAllowedLines[T number](c []T, n, m int, forbidden T, transposed bool) error {
	rowName, colName := "row", "column"
	if transposed {
		rowName, colName = colName, rowName
	}
	for i := range n {
		ok := false
		for _, x := range c[i*m : i*m+m] {
			if x != forbidden {
				ok = true
				break
			}
		}
		if !ok {
			return infeasiblef("%s %d has no allowed pair", rowName, i)
		}
	}
	if n != m {
		return nil
	}
	seen := make([]bool, m)
	count := 0
	for i := range n {
		for j, x := range c[i*m : i*m+m] {
			if x != forbidden && !seen[j] {
				seen[j] = true
				count++
			}
		}
		if count == m {
			return nil
		}
	}
	for j, ok := range seen {
		if !ok {
			return infeasiblef("%s %d has no allowed pair", colName, j)
		}
	}
	return nil
}

// orient converts the internal solution to the caller's orientation.
func orient(rowsol, colsol []int32, transposed bool) (rowToCol, colToRow []int) {
	a := make([]int, len(rowsol))
	for i, j := range rowsol {
		a[i] = int(j)
	}
	b := make([]int, len(colsol))
	for j, i := range colsol {
		b[j] = int(i)
	}
	if transposed {
		return b, a
	}
	return a, b
}

// addInt64 returns a+b and whether it did not overflow.
func addInt64(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

// subInt64 returns a-b and whether it did not overflow.
func subInt64(a, b int64) (int64, bool) {
	s := a - b
	return s, (s < a) == (b > 0)
}
