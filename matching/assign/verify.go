package assign

import "math"

// VerifyDense checks that a is an optimal solution of [Dense] for w
// and opts, without trusting the solver. It returns nil, or an error
// wrapping [ErrVerification] (or the input errors of Dense) that says
// what failed. The checks are:
//
//   - RowToCol and ColToRow are consistent, in range and one-to-one, and no
//     forbidden pair is used;
//   - every row is assigned when rows <= cols, every column otherwise;
//   - Total equals the recomputed sum of assigned weights;
//   - the dual certificate: when minimizing, U[i]+V[j] <= w[i][j] for every
//     allowed pair, with equality on assigned pairs, and the potentials of
//     the larger side (columns when rows < cols, rows when rows > cols) are
//     <= 0 and are 0 on its unassigned lines. When maximizing, the
//     inequalities are reversed (>= w[i][j], potentials >= 0).
//
// By linear programming duality these conditions prove the assignment
// optimal. Floating-point comparisons allow an absolute error of
// 1e-9·(1+max|w|)·(rows+cols), so a float certificate proves optimality up
// to about that error per line.
func VerifyDense(w [][]float64, opts *Options, a *Assignment) error {
	if opts == nil {
		opts = &Options{}
	}
	rows, cols, err := denseShape(w)
	if err != nil {
		return err
	}
	if a == nil {
		return verifyf("nil assignment")
	}
	forbidden := math.Inf(1)
	if opts.Maximize {
		forbidden = math.Inf(-1)
	}
	scale := 0.0
	for i, row := range w {
		for j, x := range row {
			if math.IsNaN(x) || (math.IsInf(x, 0) && x != forbidden) {
				return &WeightError{Row: i, Col: j, Value: x, Reason: "not allowed"}
			}
			if x != forbidden {
				scale = max(scale, math.Abs(x))
			}
		}
	}
	if err := verifyDenseMatching(rows, cols, a.RowToCol, a.ColToRow, func(i, j int) bool { return w[i][j] == forbidden }); err != nil {
		return err
	}
	total := 0.0
	for i, j := range a.RowToCol {
		if j >= 0 {
			total += w[i][j]
		}
	}
	tol := 1e-9 * (1 + scale) * float64(rows+cols)
	if math.Abs(total-a.Total) > tol {
		return verifyf("total %v, recomputed %v", a.Total, total)
	}
	if len(a.U) != rows || len(a.V) != cols {
		return verifyf("potentials have lengths %d and %d, want %d and %d", len(a.U), len(a.V), rows, cols)
	}
	sign := 1.0
	if opts.Maximize {
		sign = -1
	}
	for i, row := range w {
		for j, x := range row {
			if x == forbidden {
				continue
			}
			slack := sign * (x - a.U[i] - a.V[j])
			if slack < -tol {
				return verifyf("dual constraint violated at row %d, col %d by %g", i, j, -slack)
			}
			if a.RowToCol[i] == j && slack > tol {
				return verifyf("assigned pair row %d, col %d has reduced weight %g, want 0", i, j, slack)
			}
		}
	}
	return verifyLargerSide(rows, cols, a.RowToCol, a.ColToRow, func(k int, onRows bool) (float64, bool) {
		p := a.V
		if onRows {
			p = a.U
		}
		x := sign * p[k]
		return x, x <= tol && x >= -tol
	}, tol)
}

// VerifyDenseInt64 is [VerifyDense] for [DenseInt64]. All checks are
// exact.
func VerifyDenseInt64(w [][]int64, opts *Options, a *AssignmentInt64) error {
	if opts == nil {
		opts = &Options{}
	}
	rows, cols, err := denseShape(w)
	if err != nil {
		return err
	}
	if a == nil {
		return verifyf("nil assignment")
	}
	forbidden := ForbiddenMinInt64
	if opts.Maximize {
		forbidden = ForbiddenMaxInt64
	}
	if err := verifyDenseMatching(rows, cols, a.RowToCol, a.ColToRow, func(i, j int) bool { return w[i][j] == forbidden }); err != nil {
		return err
	}
	var total int64
	for i, j := range a.RowToCol {
		if j >= 0 {
			var ok bool
			if total, ok = addInt64(total, w[i][j]); !ok {
				return verifyf("total overflows int64")
			}
		}
	}
	if total != a.Total {
		return verifyf("total %d, recomputed %d", a.Total, total)
	}
	if len(a.U) != rows || len(a.V) != cols {
		return verifyf("potentials have lengths %d and %d, want %d and %d", len(a.U), len(a.V), rows, cols)
	}
	for i, row := range w {
		for j, x := range row {
			if x == forbidden {
				continue
			}
			c := cmpSum(a.U[i], a.V[j], x) // sign of U+V-w
			if opts.Maximize {
				c = -c
			}
			if c > 0 {
				return verifyf("dual constraint violated at row %d, col %d", i, j)
			}
			if a.RowToCol[i] == j && c != 0 {
				return verifyf("assigned pair row %d, col %d has nonzero reduced weight", i, j)
			}
		}
	}
	return verifyLargerSide(rows, cols, a.RowToCol, a.ColToRow, func(k int, onRows bool) (float64, bool) {
		p := a.V
		if onRows {
			p = a.U
		}
		x := p[k]
		if opts.Maximize {
			x = -x
		}
		return float64(x), x == 0
	}, 0)
}

// cmpSum returns the sign of a+b-c, computed without overflow.
func cmpSum(a, b, c int64) int {
	s, ok := addInt64(a, b)
	if !ok {
		if a > 0 {
			return 1 // a+b > MaxInt64 >= c
		}
		return -1
	}
	switch {
	case s > c:
		return 1
	case s < c:
		return -1
	}
	return 0
}

// verifyDenseMatching checks the shape and consistency of a dense
// assignment and that it covers the smaller side.
func verifyDenseMatching(rows, cols int, rowToCol, colToRow []int, forbidden func(i, j int) bool) error {
	if len(rowToCol) != rows || len(colToRow) != cols {
		return verifyf("RowToCol has %d entries and ColToRow %d, want %d and %d", len(rowToCol), len(colToRow), rows, cols)
	}
	assigned := 0
	for i, j := range rowToCol {
		if j == -1 {
			continue
		}
		if j < 0 || j >= cols {
			return verifyf("row %d assigned to column %d, out of range", i, j)
		}
		if colToRow[j] != i {
			return verifyf("row %d assigned to column %d, but ColToRow[%d] = %d", i, j, j, colToRow[j])
		}
		if forbidden(i, j) {
			return verifyf("row %d assigned to forbidden column %d", i, j)
		}
		assigned++
	}
	for j, i := range colToRow {
		if i != -1 && (i < 0 || i >= rows || rowToCol[i] != j) {
			return verifyf("ColToRow[%d] = %d does not match RowToCol", j, i)
		}
	}
	if want := min(rows, cols); assigned != want {
		return verifyf("%d pairs assigned, want %d", assigned, want)
	}
	return nil
}

// verifyLargerSide checks the sign conditions on the potentials of the
// side that need not be covered. pot returns the potential of line k, in
// minimization orientation, and whether it is zero within tolerance.
func verifyLargerSide(rows, cols int, rowToCol, colToRow []int, pot func(k int, onRows bool) (float64, bool), tol float64) error {
	if rows == cols {
		return nil
	}
	onRows := rows > cols
	match, name := colToRow, "column"
	if onRows {
		match, name = rowToCol, "row"
	}
	for k, partner := range match {
		x, zero := pot(k, onRows)
		if x > tol {
			return verifyf("potential of %s %d has the wrong sign", name, k)
		}
		if partner < 0 && !zero {
			return verifyf("unassigned %s %d has a nonzero potential", name, k)
		}
	}
	return nil
}
