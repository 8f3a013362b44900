package assign

import (
	"math"
	"math/bits"
)

// Weight is the type of the weights of a sparse problem: float64, or int64
// for exact arithmetic.
type Weight interface{ float64 | int64 }

// SparseEdge is a candidate pair of a sparse problem: the row is the index
// of the Edges list it appears in, Col the column, Weight its weight.
type SparseEdge[W Weight] struct {
	Col    int
	Weight W
}

// SparseProblemOf is an assignment problem given by candidate edges, with
// column capacities. Use it as [SparseProblem] (float64 weights) or
// [SparseProblemInt64] (exact int64 weights).
//
// Rows are hosts and take at most one column each; column j (a resource)
// takes at most Capacity[j] rows. The solver first maximizes the number of
// assigned rows, then optimizes the total weight among the assignments of
// that size.
type SparseProblemOf[W Weight] struct {
	// Cols is the number of columns. The number of rows is len(Edges).
	Cols int
	// Edges[i] lists the candidate columns of row i with their weights, in
	// any order. A column may appear at most once per row. A float64 weight
	// of +Inf (-Inf when maximizing) marks the pair as forbidden, as if it
	// were not listed.
	Edges [][]SparseEdge[W]
	// Capacity[j] is how many rows column j may take (0 allowed, negative
	// not). Defaults to 1 for every column when nil.
	Capacity []int
	// Maximize asks for the largest total weight. Defaults to false
	// (minimize).
	Maximize bool
	// RequireFull demands that every row be assigned, like SciPy's
	// min_weight_full_bipartite_matching; when that is impossible the
	// solver returns an error wrapping ErrInfeasible. Defaults to false:
	// rows that cannot be assigned in a maximum matching stay unassigned.
	RequireFull bool
}

// SparseProblem is a [SparseProblemOf] with float64 weights.
type SparseProblem = SparseProblemOf[float64]

// SparseProblemInt64 is a [SparseProblemOf] with exact int64 weights.
type SparseProblemInt64 = SparseProblemOf[int64]

// Edge is a candidate pair of a [SparseProblem].
type Edge = SparseEdge[float64]

// EdgeInt64 is a candidate pair of a [SparseProblemInt64].
type EdgeInt64 = SparseEdge[int64]

// SparseAssignmentOf is the result of [Sparse] or
// [SparseInt64], with a certificate of optimality that
// [VerifySparse] checks:
//
//   - RowCover and ColCover form a König vertex cover: every candidate
//     edge has at least one covered end, and the cover's weight (covered
//     rows, plus the effective capacity of covered columns) equals Matched,
//     which proves that no assignment has more pairs. The effective
//     capacity of a column is min(Capacity, number of candidate rows).
//   - U and V are potentials for the lexicographic problem: for every edge
//     with exactly one covered end, U[i]+V[j] <= weight (>= when
//     maximizing), with equality on assigned pairs; uncovered rows and
//     columns have potentials <= 0 (>= 0 when maximizing), 0 for an
//     unassigned row or a column below its effective capacity. By LP
//     duality no assignment with Matched pairs has a better total.
type SparseAssignmentOf[W Weight] struct {
	// RowToCol[i] is the column of row i, or -1 when it is unassigned.
	RowToCol []int
	// Load[j] is the number of rows assigned to column j.
	Load []int
	// Matched is the number of assigned rows, the maximum possible.
	Matched int
	// Total is the sum of the weights of the assigned pairs.
	Total W
	// RowCover and ColCover are the vertex cover of the certificate.
	RowCover, ColCover []bool
	// U and V are the row and column potentials of the certificate.
	U, V []W
}

// SparseAssignment is a [SparseAssignmentOf] with float64 weights.
type SparseAssignment = SparseAssignmentOf[float64]

// SparseAssignmentInt64 is a [SparseAssignmentOf] with int64 weights.
type SparseAssignmentInt64 = SparseAssignmentOf[int64]

// Sparse solves a sparse assignment problem with column capacities:
// it assigns as many rows as possible, and among the assignments of that
// size returns one of least total weight (greatest when p.Maximize).
//
// The method: a Hopcroft–Karp maximum matching (which also detects, before
// any weights are looked at, that p.RequireFull cannot be met) splits the
// problem by the Dulmage–Mendelsohn decomposition into a part where every
// row must be assigned and a part where every column must be filled; each
// is solved by successive shortest augmenting paths (Dijkstra with
// potentials, as in Jonker and Volgenant's sparse method), after an
// augmenting row reduction start. Large square parts (every row and column
// used once) start that exact phase from the prices of an ε-scaling auction
// instead, which makes the remaining paths short; either way the answer
// is exact. The result is deterministic; among
// several optimal assignments, which one is returned is not otherwise
// specified.
//
// Errors wrap [ErrInvalidProblem] (bad column index, duplicate edge,
// negative capacity, length mismatch), [ErrInvalidWeight] (as a
// [*WeightError]: NaN or an infinity of the wrong sign), [ErrInfeasible]
// (RequireFull not met) or [ErrOverflow].
func Sparse(p *SparseProblem) (*SparseAssignment, error) { return assignSparse(p) }

// SparseInt64 is [Sparse] with exact int64 weights. All int64
// values are allowed as weights; it returns an error wrapping [ErrOverflow]
// when the number of rows times the range of the weights exceeds 2^57, or
// when the total or a potential does not fit in an int64.
func SparseInt64(p *SparseProblemInt64) (*SparseAssignmentInt64, error) {
	return assignSparse(p)
}

// sparseGraph is a validated problem in compressed form: the edges of row
// i are start[i]:start[i+1] of adj (column) and cost (minimization cost).
type sparseGraph[T number] struct {
	rows, cols int
	start      []int32
	adj        []int32
	cost       []T
	weight     []T     // the caller's weights, for totals
	effCap     []int32 // min(capacity, degree)
}

// sparseConv describes how costs relate to the caller's weights:
// cost = sign·weight - shift.
type sparseConv[T number] struct {
	sign  T
	shift T
	b     lapBounds[T]
}

// buildSparse validates p and compresses it.
func buildSparse[W Weight](p *SparseProblemOf[W]) (*sparseGraph[W], sparseConv[W], error) {
	var conv sparseConv[W]
	if p == nil {
		return nil, conv, invalidf("nil problem")
	}
	rows, cols := len(p.Edges), p.Cols
	if cols < 0 {
		return nil, conv, invalidf("negative column count %d", cols)
	}
	if rows > math.MaxInt32 || cols > math.MaxInt32 {
		return nil, conv, invalidf("too many rows or columns")
	}
	if p.Capacity != nil && len(p.Capacity) != cols {
		return nil, conv, invalidf("capacity has %d entries, want %d", len(p.Capacity), cols)
	}
	for j, k := range p.Capacity {
		if k < 0 {
			return nil, conv, invalidf("column %d has negative capacity %d", j, k)
		}
	}
	_, isFloat := any(W(0)).(float64)
	var forbidden W
	if isFloat {
		inf := math.Inf(1)
		if p.Maximize {
			inf = math.Inf(-1)
		}
		forbidden = W(inf)
	}
	g := &sparseGraph[W]{rows: rows, cols: cols, start: make([]int32, rows+1)}
	mark := make([]int32, cols) // row+1 that last listed the column
	deg := make([]int32, cols)
	total := 0
	lo, hi := W(0), W(0)
	haveRange := false
	for i, row := range p.Edges {
		for _, e := range row {
			if e.Col < 0 || e.Col >= cols {
				return nil, conv, invalidf("row %d lists column %d, out of range [0, %d)", i, e.Col, cols)
			}
			if mark[e.Col] == int32(i+1) {
				return nil, conv, invalidf("row %d lists column %d twice", i, e.Col)
			}
			mark[e.Col] = int32(i + 1)
			x := e.Weight
			if isFloat {
				f := float64(x)
				switch {
				case math.IsNaN(f):
					return nil, conv, &WeightError{Row: i, Col: e.Col, Value: f, Reason: "NaN"}
				case x == forbidden:
					continue
				case math.IsInf(f, 0):
					return nil, conv, &WeightError{Row: i, Col: e.Col, Value: f, Reason: "infinity of the wrong sign"}
				}
			}
			if !haveRange {
				lo, hi, haveRange = x, x, true
			}
			lo, hi = min(lo, x), max(hi, x)
			deg[e.Col]++
			total++
		}
		if total > math.MaxInt32 {
			return nil, conv, invalidf("too many edges")
		}
		g.start[i+1] = int32(total)
	}
	conv.sign = 1
	if p.Maximize {
		conv.sign = -1
	}
	if isFloat {
		if haveRange && math.IsInf(float64(hi-lo)*float64(rows+2), 0) {
			return nil, conv, overflowf("weights span too wide a range for float64 potentials")
		}
		conv.b = lapBounds[W]{forbidden: W(math.Inf(1)), lim: W(math.Inf(1)), vmin: W(math.Inf(-1))}
	} else if haveRange {
		span := uint64(int64(hi)) - uint64(int64(lo))
		if h, l := bits.Mul64(span, uint64(rows)+1); h != 0 || l > intRangeLimit {
			return nil, conv, overflowf("weights span %d over %d rows, beyond the exact int64 range", span, rows)
		}
		conv.shift = lo
		if p.Maximize {
			conv.shift = -hi
		}
		conv.b = lapBounds[W]{forbidden: intForbidden, lim: intLim, vmin: -intPotLimit}
	}
	g.adj = make([]int32, total)
	g.cost = make([]W, total)
	g.weight = make([]W, total)
	k := 0
	for _, row := range p.Edges {
		for _, e := range row {
			if isFloat && e.Weight == forbidden {
				continue
			}
			g.adj[k] = int32(e.Col)
			g.weight[k] = e.Weight
			g.cost[k] = conv.sign*e.Weight - conv.shift
			k++
		}
	}
	g.effCap = make([]int32, cols)
	for j := range cols {
		c := 1
		if p.Capacity != nil {
			c = p.Capacity[j]
		}
		g.effCap[j] = int32(min(c, int(deg[j])))
	}
	return g, conv, nil
}

func assignSparse[W Weight](p *SparseProblemOf[W]) (*SparseAssignmentOf[W], error) {
	g, conv, err := buildSparse(p)
	if err != nil {
		return nil, err
	}
	hk := maxCardinality(g)
	if p.RequireFull && hk.matched < g.rows {
		return nil, infeasiblef("at most %d of %d rows can be assigned", hk.matched, g.rows)
	}
	inD, inA := hk.decompose(g.rows, g.cols, g.start, g.adj)

	a := &SparseAssignmentOf[W]{
		RowToCol: make([]int, g.rows),
		Load:     make([]int, g.cols),
		RowCover: make([]bool, g.rows),
		ColCover: make([]bool, g.cols),
		U:        make([]W, g.rows),
		V:        make([]W, g.cols),
	}
	for i := range a.RowToCol {
		a.RowToCol[i] = -1
		a.RowCover[i] = !inD[i]
	}
	copy(a.ColCover, inA)

	// Part 1: rows matched in every maximum matching, into the columns
	// outside A. Every such row must be assigned.
	sub1, rowIDs, colIDs := subgraph(g, inD, inA, false)
	r1, err := sspSolve(sub1, conv.b)
	if err != nil {
		return nil, err
	}
	for l, e := range r1.lslotE {
		i, j := rowIDs[l], colIDs[sub1.adj[e]]
		a.RowToCol[i] = int(j)
		a.Load[j]++
	}
	for l, u := range r1.u {
		a.U[rowIDs[l]] = u
	}
	for r, v := range r1.v {
		a.V[colIDs[r]] = v
	}

	// Part 2: the columns of A, which every maximum matching fills, take
	// rows of D; seen from the columns, every column unit must be served.
	sub2, colIDs2, rowIDs2 := subgraph(g, inD, inA, true)
	if sub2.nl > 0 {
		r2, err := sspSolve(sub2, conv.b)
		if err != nil {
			return nil, err
		}
		for l := range sub2.nl {
			for _, e := range r2.lslotE[r2.lslotStart[l]:r2.lslotStart[l+1]] {
				j, i := colIDs2[l], rowIDs2[sub2.adj[e]]
				a.RowToCol[i] = int(j)
				a.Load[j]++
			}
		}
		for l, u := range r2.u {
			a.V[colIDs2[l]] = u
		}
		for r, v := range r2.v {
			a.U[rowIDs2[r]] = v
		}
	}

	// Totals, and the caller's orientation of the potentials: the covered
	// ends take the shift, the uncovered keep their sign condition.
	for i, j := range a.RowToCol {
		if j < 0 {
			continue
		}
		a.Matched++
		w, ok := edgeWeight(g, i, int32(j))
		if !ok {
			return nil, internalf("row %d assigned to non-candidate column %d", i, j)
		}
		var okAdd bool
		if a.Total, okAdd = addWeight(a.Total, w); !okAdd {
			return nil, overflowf("total weight does not fit in int64")
		}
	}
	if a.Matched != hk.matched {
		return nil, internalf("assigned %d rows, maximum is %d", a.Matched, hk.matched)
	}
	for i := range a.U {
		x, ok := unconvert(a.U[i], a.RowCover[i], conv)
		if !ok {
			return nil, overflowf("potential of row %d does not fit in int64", i)
		}
		a.U[i] = x
	}
	for j := range a.V {
		x, ok := unconvert(a.V[j], a.ColCover[j], conv)
		if !ok {
			return nil, overflowf("potential of column %d does not fit in int64", j)
		}
		a.V[j] = x
	}
	return a, nil
}

// unconvert maps a potential of the cost problem back to the caller's
// weights: potentials get the sign of the weights, and covered ends absorb
// the shift (an edge in the certificate has exactly one covered end).
func unconvert[W Weight](x W, covered bool, conv sparseConv[W]) (W, bool) {
	x = conv.sign * x
	if covered && conv.shift != 0 {
		return addWeight(x, conv.sign*conv.shift)
	}
	return x, true
}

// addWeight adds with an overflow check for int64.
func addWeight[W Weight](a, b W) (W, bool) {
	if _, ok := any(a).(int64); ok {
		s, ok := addInt64(int64(a), int64(b))
		return W(s), ok
	}
	return a + b, true
}

// edgeWeight returns the caller's weight of edge (i, j).
func edgeWeight[T number](g *sparseGraph[T], i int, j int32) (T, bool) {
	for e := g.start[i]; e < g.start[i+1]; e++ {
		if g.adj[e] == j {
			return g.weight[e], true
		}
	}
	return 0, false
}
