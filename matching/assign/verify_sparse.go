package assign

import "math"

// VerifySparse checks that a is an optimal solution of [Sparse] for
// p, without trusting the solver. It returns nil, or an error wrapping
// [ErrVerification] (or the input errors of Sparse) that says what
// failed. It checks that:
//
//   - every assigned pair is a candidate edge and no column exceeds its
//     capacity; Load, Matched and Total agree with RowToCol; with
//     p.RequireFull, every row is assigned;
//   - RowCover and ColCover cover every edge and have weight Matched, so
//     no assignment has more pairs (König's theorem, weak direction);
//   - U and V meet the conditions stated on [SparseAssignmentOf], so no
//     assignment with Matched pairs has a better total (LP duality).
//
// Floating-point comparisons allow an absolute error of
// 1e-9·(1+max|weight|)·(rows+cols).
func VerifySparse(p *SparseProblem, a *SparseAssignment) error { return verifySparse(p, a) }

// VerifySparseInt64 is [VerifySparse] for [SparseInt64]. All checks
// are exact.
func VerifySparseInt64(p *SparseProblemInt64, a *SparseAssignmentInt64) error {
	return verifySparse(p, a)
}

func verifySparse[W Weight](p *SparseProblemOf[W], a *SparseAssignmentOf[W]) error {
	g, _, err := buildSparse(p)
	if err != nil {
		return err
	}
	if a == nil {
		return verifyf("nil assignment")
	}
	rows, cols := g.rows, g.cols
	if len(a.RowToCol) != rows || len(a.Load) != cols || len(a.RowCover) != rows ||
		len(a.ColCover) != cols || len(a.U) != rows || len(a.V) != cols {
		return verifyf("result slices do not match %d rows and %d columns", rows, cols)
	}
	_, isFloat := any(W(0)).(float64)
	var tol W
	if isFloat {
		scale := 0.0
		for _, w := range g.weight {
			scale = max(scale, math.Abs(float64(w)))
		}
		tol = W(1e-9 * (1 + scale) * float64(rows+cols))
	}
	// sign(x) in minimization orientation, with tolerance.
	sign := func(x W) int {
		if p.Maximize {
			x = -x
		}
		switch {
		case x > tol:
			return 1
		case x < -tol:
			return -1
		}
		return 0
	}
	// Sign of U+V-w in minimization orientation, exact for int64.
	slack := func(u, v, w W) int {
		if isFloat {
			return sign(u + v - w)
		}
		c := cmpSum(int64(u), int64(v), int64(w))
		if p.Maximize {
			c = -c
		}
		return c
	}

	// The assign.
	load := make([]int, cols)
	var total W
	matched := 0
	assignedEdge := make([]int32, rows)
	for i, j := range a.RowToCol {
		assignedEdge[i] = -1
		if j == -1 {
			if p.RequireFull {
				return verifyf("row %d is unassigned but RequireFull is set", i)
			}
			continue
		}
		for e := g.start[i]; e < g.start[i+1]; e++ {
			if int(g.adj[e]) == j {
				assignedEdge[i] = e
			}
		}
		if assignedEdge[i] < 0 {
			return verifyf("row %d is assigned to column %d, not one of its candidates", i, j)
		}
		load[j]++
		matched++
		var ok bool
		if total, ok = addWeight(total, g.weight[assignedEdge[i]]); !ok {
			return verifyf("total overflows int64")
		}
	}
	for j := range cols {
		capj := 1
		if p.Capacity != nil {
			capj = p.Capacity[j]
		}
		if load[j] > capj {
			return verifyf("column %d takes %d rows, capacity %d", j, load[j], capj)
		}
		if load[j] != a.Load[j] {
			return verifyf("Load[%d] = %d, recomputed %d", j, a.Load[j], load[j])
		}
	}
	if matched != a.Matched {
		return verifyf("Matched = %d, recomputed %d", a.Matched, matched)
	}
	if isFloat && math.Abs(float64(total-a.Total)) > float64(tol) || !isFloat && total != a.Total {
		return verifyf("Total = %v, recomputed %v", a.Total, total)
	}

	// Maximum cardinality: a vertex cover of weight Matched.
	weight := 0
	for i, c := range a.RowCover {
		if c {
			weight++
			if a.RowToCol[i] < 0 {
				return verifyf("covered row %d is unassigned", i)
			}
		}
	}
	for j, c := range a.ColCover {
		if c {
			weight += int(g.effCap[j])
			if load[j] != int(g.effCap[j]) {
				return verifyf("covered column %d takes %d rows, effective capacity %d", j, load[j], g.effCap[j])
			}
		}
	}
	if weight != matched {
		return verifyf("vertex cover has weight %d, Matched is %d", weight, matched)
	}

	// Optimal weight: the dual conditions.
	for i := range rows {
		for e := g.start[i]; e < g.start[i+1]; e++ {
			j := g.adj[e]
			rc, cc := a.RowCover[i], a.ColCover[j]
			if !rc && !cc {
				return verifyf("edge row %d, col %d has no covered end", i, j)
			}
			if rc && cc {
				if assignedEdge[i] == e {
					return verifyf("assigned edge row %d, col %d has both ends covered", i, j)
				}
				continue
			}
			s := slack(a.U[i], a.V[j], g.weight[e])
			if s > 0 {
				return verifyf("dual constraint violated at row %d, col %d", i, j)
			}
			if assignedEdge[i] == e && s != 0 {
				return verifyf("assigned edge row %d, col %d has nonzero reduced weight", i, j)
			}
		}
	}
	for i, c := range a.RowCover {
		if c {
			continue
		}
		s := sign(a.U[i])
		if s > 0 || (a.RowToCol[i] < 0 && s != 0) {
			return verifyf("uncovered row %d has potential %v of the wrong sign", i, a.U[i])
		}
	}
	for j, c := range a.ColCover {
		if c {
			continue
		}
		s := sign(a.V[j])
		if s > 0 || (load[j] < int(g.effCap[j]) && s != 0) {
			return verifyf("uncovered column %d has potential %v of the wrong sign", j, a.V[j])
		}
	}
	return nil
}
