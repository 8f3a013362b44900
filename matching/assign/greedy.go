package assign

import (
	"cmp"
	"slices"
)

// GreedySparse assigns pairs best weight first (least when minimizing,
// greatest when p.Maximize): it walks all candidate edges in that order and
// takes an edge when its row is still free and its column has room. Ties
// are broken by row, then column, ascending, so the result is
// deterministic.
//
// GreedySparse is a baseline for comparison only. It is not optimal: its
// total can be arbitrarily worse than [Sparse]'s, and it may assign
// fewer rows than possible (p.RequireFull is ignored). The returned
// assignment carries no certificate (RowCover, ColCover, U and V are nil),
// so [VerifySparse] rejects it. Time O(E log E) for E edges.
func GreedySparse(p *SparseProblem) (*SparseAssignment, error) {
	g, _, err := buildSparse(p)
	if err != nil {
		return nil, err
	}
	type cand struct {
		row int32
		e   int32
	}
	cands := make([]cand, 0, len(g.adj))
	for i := range g.rows {
		for e := g.start[i]; e < g.start[i+1]; e++ {
			cands = append(cands, cand{int32(i), e})
		}
	}
	// g.cost is the weight oriented for minimization.
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(g.cost[a.e], g.cost[b.e]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.row, b.row); c != 0 {
			return c
		}
		return cmp.Compare(g.adj[a.e], g.adj[b.e])
	})
	a := &SparseAssignment{RowToCol: make([]int, g.rows), Load: make([]int, g.cols)}
	for i := range a.RowToCol {
		a.RowToCol[i] = -1
	}
	for _, c := range cands {
		j := int(g.adj[c.e])
		if a.RowToCol[c.row] >= 0 || a.Load[j] >= int(g.effCap[j]) {
			continue
		}
		a.RowToCol[c.row] = j
		a.Load[j]++
		a.Matched++
		a.Total += g.weight[c.e]
	}
	return a, nil
}

// GreedyDense is [GreedySparse] on a dense matrix, with the conventions of
// [Dense] for forbidden pairs and errors (except that it never
// returns ErrInfeasible). Like GreedySparse it is a baseline, not optimal,
// and may leave rows (or columns) unassigned that Dense would
// assign; U and V are nil.
func GreedyDense(w [][]float64, opts *Options) (*Assignment, error) {
	if opts == nil {
		opts = &Options{}
	}
	rows, cols, err := denseShape(w)
	if err != nil {
		return nil, err
	}
	p := &SparseProblem{Cols: cols, Maximize: opts.Maximize, Edges: make([][]Edge, rows)}
	for i, row := range w {
		p.Edges[i] = make([]Edge, cols)
		for j, x := range row {
			p.Edges[i][j] = Edge{Col: j, Weight: x}
		}
	}
	s, err := GreedySparse(p)
	if err != nil {
		return nil, err
	}
	a := &Assignment{RowToCol: s.RowToCol, ColToRow: make([]int, cols), Total: s.Total}
	for j := range a.ColToRow {
		a.ColToRow[j] = -1
	}
	for i, j := range a.RowToCol {
		if j >= 0 {
			a.ColToRow[j] = i
		}
	}
	return a, nil
}
