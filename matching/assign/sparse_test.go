package assign_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks/matching/assign"
)

// bruteSparse returns the largest number of assigned rows and the best
// total among assignments of that size, by dynamic programming over the
// vector of column loads.
func bruteSparse(p *assign.SparseProblem) (card int, total float64) {
	cols := p.Cols
	capOf := func(j int) int {
		if p.Capacity == nil {
			return 1
		}
		return p.Capacity[j]
	}
	radix := make([]int, cols+1)
	radix[0] = 1
	for j := range cols {
		radix[j+1] = radix[j] * (capOf(j) + 1)
	}
	type val struct {
		ok    bool
		card  int
		total float64
	}
	better := func(a, b val) bool {
		if !b.ok {
			return a.ok
		}
		if a.card != b.card {
			return a.card > b.card
		}
		if p.Maximize {
			return a.total > b.total
		}
		return a.total < b.total
	}
	dp := make([]val, radix[cols])
	dp[0] = val{ok: true}
	for _, row := range p.Edges {
		next := make([]val, len(dp))
		for state, v := range dp {
			if !v.ok {
				continue
			}
			if better(v, next[state]) {
				next[state] = v
			}
			for _, e := range row {
				if math.IsInf(e.Weight, 0) {
					continue
				}
				load := state / radix[e.Col] % (capOf(e.Col) + 1)
				if load == capOf(e.Col) {
					continue
				}
				ns := state + radix[e.Col]
				nv := val{ok: true, card: v.card + 1, total: v.total + e.Weight}
				if better(nv, next[ns]) {
					next[ns] = nv
				}
			}
		}
		dp = next
	}
	best := val{}
	for _, v := range dp {
		if better(v, best) {
			best = v
		}
	}
	return best.card, best.total
}

func randomSparse(r *rand.Rand, rows, cols int, density float64, maxCap int, maximize, integral bool) *assign.SparseProblem {
	p := &assign.SparseProblem{Cols: cols, Maximize: maximize, Edges: make([][]assign.Edge, rows)}
	if maxCap != 1 || r.IntN(2) == 0 {
		p.Capacity = make([]int, cols)
		for j := range p.Capacity {
			p.Capacity[j] = r.IntN(maxCap + 1)
		}
	}
	for i := range p.Edges {
		for _, j := range r.Perm(cols) {
			if r.Float64() < density {
				w := r.Float64()*100 - 20
				if integral {
					w = float64(r.IntN(9) - 2)
				}
				p.Edges[i] = append(p.Edges[i], assign.Edge{Col: j, Weight: w})
			}
		}
	}
	return p
}

func toSparseInt64(p *assign.SparseProblem) *assign.SparseProblemInt64 {
	q := &assign.SparseProblemInt64{Cols: p.Cols, Capacity: p.Capacity, Maximize: p.Maximize, RequireFull: p.RequireFull,
		Edges: make([][]assign.EdgeInt64, len(p.Edges))}
	for i, row := range p.Edges {
		for _, e := range row {
			q.Edges[i] = append(q.Edges[i], assign.EdgeInt64{Col: e.Col, Weight: int64(e.Weight)})
		}
	}
	return q
}

func TestSparseBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 9))
	count := 0
	for rows := 0; rows <= 8; rows++ {
		for cols := 0; cols <= 6; cols++ {
			for _, density := range []float64{0.3, 0.7} {
				for _, maxCap := range []int{1, 3} {
					for _, maximize := range []bool{false, true} {
						for _, integral := range []bool{false, true} {
							for range 3 {
								p := randomSparse(r, rows, cols, density, maxCap, maximize, integral)
								count++
								checkSparseAgainstBrute(t, p, integral)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d instances", count)
}

func checkSparseAgainstBrute(t *testing.T, p *assign.SparseProblem, integral bool) {
	t.Helper()
	name := fmt.Sprintf("%+v", *p)
	card, total := bruteSparse(p)
	a, err := assign.Sparse(p)
	require.NoError(t, err, "Sparse(%s)", name)
	require.Equal(t, card, a.Matched, "Sparse(%s).Matched", name)
	require.InDelta(t, total, a.Total, 1e-9, "Sparse(%s).Total", name)
	require.NoError(t, assign.VerifySparse(p, a), "VerifySparse(%s)", name)

	full := *p
	full.RequireFull = true
	fa, err := assign.Sparse(&full)
	if card < len(p.Edges) {
		require.ErrorIs(t, err, assign.ErrInfeasible, "Sparse(RequireFull, %s)", name)
	} else {
		require.NoError(t, err, "Sparse(RequireFull, %s)", name)
		require.InDelta(t, total, fa.Total, 1e-9)
		require.NoError(t, assign.VerifySparse(&full, fa))
	}
	if !integral {
		return
	}
	q := toSparseInt64(p)
	ai, err := assign.SparseInt64(q)
	require.NoError(t, err, "SparseInt64(%s)", name)
	require.Equal(t, card, ai.Matched)
	require.Equal(t, int64(total), ai.Total, "SparseInt64(%s).Total", name)
	require.NoError(t, assign.VerifySparseInt64(q, ai), "VerifySparseInt64(%s)", name)
}

// TestSparseMedium checks larger random instances through the
// certificate alone.
func TestSparseMedium(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	shapes := [][2]int{{200, 200}, {300, 100}, {100, 300}}
	if longTests() {
		shapes = append(shapes, [2]int{3000, 3000}, [2]int{5000, 1000})
	}
	for _, sh := range shapes {
		for _, density := range []float64{0.01, 0.05} {
			for _, maxCap := range []int{1, 4} {
				for _, maximize := range []bool{false, true} {
					p := randomSparse(r, sh[0], sh[1], density, maxCap, maximize, true)
					name := fmt.Sprintf("%dx%d density=%v cap=%d max=%v", sh[0], sh[1], density, maxCap, maximize)
					a, err := assign.Sparse(p)
					require.NoError(t, err, name)
					require.NoError(t, assign.VerifySparse(p, a), name)
					q := toSparseInt64(p)
					ai, err := assign.SparseInt64(q)
					require.NoError(t, err, name)
					require.NoError(t, assign.VerifySparseInt64(q, ai), name)
					assert.Equal(t, a.Matched, ai.Matched, name)
					assert.Equal(t, a.Total, float64(ai.Total), name)
				}
			}
		}
	}
}

// TestSparseSciPyHang is the input on which SciPy 1.10's
// min_weight_full_bipartite_matching never returns (zeros are missing
// edges): row 2 has no candidate, so no full matching exists.
func TestSparseSciPyHang(t *testing.T) {
	dense := [][]float64{{1, 0, 0, 1}, {1, 1, 0, 1}, {0, 0, 0, 0}}
	p := &assign.SparseProblem{Cols: 4, RequireFull: true, Edges: make([][]assign.Edge, len(dense))}
	for i, row := range dense {
		for j, x := range row {
			if x != 0 {
				p.Edges[i] = append(p.Edges[i], assign.Edge{Col: j, Weight: x})
			}
		}
	}
	_, err := assign.Sparse(p)
	require.ErrorIs(t, err, assign.ErrInfeasible)
	assert.Contains(t, err.Error(), "2 of 3 rows")

	p.RequireFull = false
	a, err := assign.Sparse(p)
	require.NoError(t, err)
	assert.Equal(t, 2, a.Matched)
	assert.Equal(t, -1, a.RowToCol[2])
	require.NoError(t, assign.VerifySparse(p, a))
}

// TestSparseCardinalityFirst: the cheaper edge wins only among
// assignments of maximum size.
func TestSparseCardinalityFirst(t *testing.T) {
	p := &assign.SparseProblem{Cols: 2, Edges: [][]assign.Edge{
		{{Col: 0, Weight: 1}, {Col: 1, Weight: 100}},
		{{Col: 0, Weight: 50}},
	}}
	a, err := assign.Sparse(p)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 0}, a.RowToCol, "both rows assigned, though row 0 alone on column 0 costs less")
	assert.Equal(t, 150.0, a.Total)

	// Only column 0 with room for one: the cheaper row takes it.
	p = &assign.SparseProblem{Cols: 1, Edges: [][]assign.Edge{{{Col: 0, Weight: 5}}, {{Col: 0, Weight: 1}}}}
	a, err = assign.Sparse(p)
	require.NoError(t, err)
	assert.Equal(t, []int{-1, 0}, a.RowToCol)
	require.NoError(t, assign.VerifySparse(p, a))
}

func TestSparseErrors(t *testing.T) {
	e := func(col int, w float64) assign.Edge { return assign.Edge{Col: col, Weight: w} }
	for _, tc := range []struct {
		name string
		p    *assign.SparseProblem
		want error
	}{
		{"nil", nil, assign.ErrInvalidProblem},
		{"empty", &assign.SparseProblem{}, nil},
		{"rows without edges", &assign.SparseProblem{Cols: 2, Edges: make([][]assign.Edge, 3)}, nil},
		{"rows without edges, full", &assign.SparseProblem{Cols: 2, Edges: make([][]assign.Edge, 3), RequireFull: true}, assign.ErrInfeasible},
		{"NaN", &assign.SparseProblem{Cols: 1, Edges: [][]assign.Edge{{e(0, math.NaN())}}}, assign.ErrInvalidWeight},
		{"wrong infinity", &assign.SparseProblem{Cols: 1, Edges: [][]assign.Edge{{e(0, math.Inf(-1))}}}, assign.ErrInvalidWeight},
		{"forbidden edge", &assign.SparseProblem{Cols: 1, Edges: [][]assign.Edge{{e(0, math.Inf(1))}}}, nil},
		{"column out of range", &assign.SparseProblem{Cols: 1, Edges: [][]assign.Edge{{e(1, 0)}}}, assign.ErrInvalidProblem},
		{"negative column", &assign.SparseProblem{Cols: 1, Edges: [][]assign.Edge{{e(-1, 0)}}}, assign.ErrInvalidProblem},
		{"duplicate edge", &assign.SparseProblem{Cols: 1, Edges: [][]assign.Edge{{e(0, 1), e(0, 2)}}}, assign.ErrInvalidProblem},
		{"negative capacity", &assign.SparseProblem{Cols: 1, Capacity: []int{-1}, Edges: [][]assign.Edge{{e(0, 1)}}}, assign.ErrInvalidProblem},
		{"capacity length", &assign.SparseProblem{Cols: 2, Capacity: []int{1}, Edges: [][]assign.Edge{{e(0, 1)}}}, assign.ErrInvalidProblem},
		{"capacity 0", &assign.SparseProblem{Cols: 1, Capacity: []int{0}, Edges: [][]assign.Edge{{e(0, 1)}}}, nil},
		{"capacity 0, full", &assign.SparseProblem{Cols: 1, Capacity: []int{0}, RequireFull: true, Edges: [][]assign.Edge{{e(0, 1)}}}, assign.ErrInfeasible},
		{"negative columns", &assign.SparseProblem{Cols: -1}, assign.ErrInvalidProblem},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := assign.Sparse(tc.p)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want, "Sparse")
				assert.Regexp(t, `^assign: `, err.Error())
				return
			}
			require.NoError(t, err)
			require.NoError(t, assign.VerifySparse(tc.p, a))
		})
	}
	_, err := assign.SparseInt64(&assign.SparseProblemInt64{Cols: 2, Edges: [][]assign.EdgeInt64{
		{{Col: 0, Weight: math.MinInt64}, {Col: 1, Weight: math.MaxInt64}},
	}})
	require.ErrorIs(t, err, assign.ErrOverflow)
}

func TestVerifySparseRejects(t *testing.T) {
	p := &assign.SparseProblem{Cols: 2, Capacity: []int{2, 1}, Edges: [][]assign.Edge{
		{{Col: 0, Weight: 1}, {Col: 1, Weight: 3}},
		{{Col: 0, Weight: 2}, {Col: 1, Weight: 1}},
		{{Col: 0, Weight: 4}},
	}}
	a, err := assign.Sparse(p)
	require.NoError(t, err)
	require.NoError(t, assign.VerifySparse(p, a))
	clone := func() *assign.SparseAssignment {
		b := *a
		b.RowToCol = append([]int(nil), a.RowToCol...)
		b.Load = append([]int(nil), a.Load...)
		b.U = append([]float64(nil), a.U...)
		b.RowCover = append([]bool(nil), a.RowCover...)
		return &b
	}
	b := clone()
	b.Total += 1
	assert.ErrorIs(t, assign.VerifySparse(p, b), assign.ErrVerification, "wrong total")
	b = clone()
	b.RowToCol[2] = -1
	b.Load[0]--
	b.Matched--
	b.Total -= 4
	assert.ErrorIs(t, assign.VerifySparse(p, b), assign.ErrVerification, "not maximum")
	b = clone()
	b.U[0] -= 1
	assert.ErrorIs(t, assign.VerifySparse(p, b), assign.ErrVerification, "bad potential")
	b = clone()
	b.RowToCol = []int{1, 0, 0}
	b.Load = []int{2, 1}
	b.Total = 3 + 2 + 4
	assert.ErrorIs(t, assign.VerifySparse(p, b), assign.ErrVerification, "non-optimal")
}

func TestSparseProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rows := rapid.IntRange(0, 8).Draw(t, "rows")
		cols := rapid.IntRange(0, 6).Draw(t, "cols")
		p := &assign.SparseProblem{Cols: cols, Maximize: rapid.Bool().Draw(t, "maximize"), Edges: make([][]assign.Edge, rows)}
		if rapid.Bool().Draw(t, "capacities") {
			p.Capacity = rapid.SliceOfN(rapid.IntRange(0, 3), cols, cols).Draw(t, "capacity")
		}
		for i := range rows {
			if cols == 0 {
				continue
			}
			js := rapid.SliceOfDistinct(rapid.IntRange(0, cols-1), rapid.ID[int]).Draw(t, fmt.Sprintf("cols%d", i))
			for _, j := range js {
				p.Edges[i] = append(p.Edges[i], assign.Edge{Col: j, Weight: rapid.Float64Range(-10, 10).Draw(t, "w")})
			}
		}
		a, err := assign.Sparse(p)
		if err != nil {
			t.Fatalf("Sparse: %v", err)
		}
		if err := assign.VerifySparse(p, a); err != nil {
			t.Fatalf("VerifySparse: %v", err)
		}
		b, _ := assign.Sparse(p)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("not deterministic: %v vs %v", a, b)
		}
		perm := rapid.Permutation(seq(rows)).Draw(t, "perm")
		q := *p
		q.Edges = make([][]assign.Edge, rows)
		for i, k := range perm {
			q.Edges[i] = p.Edges[k]
		}
		c, err := assign.Sparse(&q)
		if err != nil || c.Matched != a.Matched || math.Abs(c.Total-a.Total) > 1e-9 {
			t.Fatalf("row permutation changed the optimum: %v %v vs %v %v (%v)", c.Matched, c.Total, a.Matched, a.Total, err)
		}
	})
}
