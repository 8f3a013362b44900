package assign_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks/matching/assign"
)

// longTests reports whether the slow tests should run (CITYLINKS_LONG=1).
func longTests() bool { return os.Getenv("CITYLINKS_LONG") == "1" }

// bruteDense returns the best total over all assignments that cover the
// smaller side, by dynamic programming over subsets of the larger side, and
// false when there is none. allowed reports whether a pair may be used.
func bruteDense(rows, cols int, weight func(i, j int) float64, allowed func(i, j int) bool, maximize bool) (float64, bool) {
	small, large := rows, cols
	at := func(s, l int) (int, int) { return s, l }
	if rows > cols {
		small, large = cols, rows
		at = func(s, l int) (int, int) { return l, s }
	}
	worse := math.Inf(1)
	better := func(a, b float64) bool { return a < b }
	if maximize {
		worse = math.Inf(-1)
		better = func(a, b float64) bool { return a > b }
	}
	dp := make([]float64, 1<<large)
	for k := range dp {
		dp[k] = worse
	}
	dp[0] = 0
	for s := range small {
		next := make([]float64, 1<<large)
		for k := range next {
			next[k] = worse
		}
		for mask, val := range dp {
			if val == worse {
				continue
			}
			for l := range large {
				if mask&(1<<l) != 0 {
					continue
				}
				i, j := at(s, l)
				if !allowed(i, j) {
					continue
				}
				if t := val + weight(i, j); better(t, next[mask|1<<l]) {
					next[mask|1<<l] = t
				}
			}
		}
		dp = next
	}
	best := worse
	for _, val := range dp {
		if better(val, best) {
			best = val
		}
	}
	return best, best != worse
}

// randomDense returns a rows×cols matrix of small integers (so ties are
// common) or uniform floats, with forbidden entries at rate pForbid.
func randomDense(r *rand.Rand, rows, cols int, integral bool, pForbid float64, maximize bool) [][]float64 {
	forbidden := math.Inf(1)
	if maximize {
		forbidden = math.Inf(-1)
	}
	w := make([][]float64, rows)
	for i := range w {
		w[i] = make([]float64, cols)
		for j := range w[i] {
			switch {
			case r.Float64() < pForbid:
				w[i][j] = forbidden
			case integral:
				w[i][j] = float64(r.IntN(21) - 5)
			default:
				w[i][j] = r.Float64()*200 - 50
			}
		}
	}
	return w
}

func toInt64(w [][]float64) [][]int64 {
	out := make([][]int64, len(w))
	for i, row := range w {
		out[i] = make([]int64, len(row))
		for j, x := range row {
			switch {
			case math.IsInf(x, 1):
				out[i][j] = assign.ForbiddenMinInt64
			case math.IsInf(x, -1):
				out[i][j] = assign.ForbiddenMaxInt64
			default:
				out[i][j] = int64(x)
			}
		}
	}
	return out
}

func TestDenseBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	count := 0
	for rows := 0; rows <= 8; rows++ {
		for cols := 0; cols <= 8; cols++ {
			for _, pForbid := range []float64{0, 0.25, 0.6} {
				for _, maximize := range []bool{false, true} {
					for _, integral := range []bool{false, true} {
						for range 3 {
							count++
							w := randomDense(r, rows, cols, integral, pForbid, maximize)
							name := fmt.Sprintf("%dx%d forbid=%v max=%v int=%v %v", rows, cols, pForbid, maximize, integral, w)
							checkDenseAgainstBrute(t, name, w, maximize, integral)
						}
					}
				}
			}
		}
	}
	t.Logf("%d instances", count)
}

func checkDenseAgainstBrute(t *testing.T, name string, w [][]float64, maximize, integral bool) {
	t.Helper()
	rows := len(w)
	cols := 0
	if rows > 0 {
		cols = len(w[0])
	}
	opts := &assign.Options{Maximize: maximize}
	want, feasible := bruteDense(rows, cols,
		func(i, j int) float64 { return w[i][j] },
		func(i, j int) bool { return !math.IsInf(w[i][j], 0) },
		maximize)
	if rows == 0 || cols == 0 {
		want, feasible = 0, true
	}
	a, err := assign.Dense(w, opts)
	if !feasible {
		require.ErrorIs(t, err, assign.ErrInfeasible, "Dense(%s)", name)
	} else {
		require.NoError(t, err, "Dense(%s)", name)
		assert.InDelta(t, want, a.Total, 1e-9, "Dense(%s).Total", name)
		require.NoError(t, assign.VerifyDense(w, opts, a), "VerifyDense(%s)", name)
	}
	if !integral {
		return
	}
	wi := toInt64(w)
	ai, err := assign.DenseInt64(wi, opts)
	if !feasible {
		require.ErrorIs(t, err, assign.ErrInfeasible, "DenseInt64(%s)", name)
		return
	}
	require.NoError(t, err, "DenseInt64(%s)", name)
	assert.Equal(t, int64(want), ai.Total, "DenseInt64(%s).Total", name)
	require.NoError(t, assign.VerifyDenseInt64(wi, opts, ai), "VerifyDenseInt64(%s)", name)
}

// TestDenseMedium exercises the augmentation phase on sizes where the
// initialisation leaves many rows free; the certificate proves optimality.
func TestDenseMedium(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	sizes := [][2]int{{60, 60}, {40, 90}, {90, 40}, {120, 120}, {1, 50}, {50, 1}}
	if longTests() {
		sizes = append(sizes, [2]int{400, 400}, [2]int{300, 700}, [2]int{700, 300})
	}
	for _, sz := range sizes {
		for _, pForbid := range []float64{0, 0.3, 0.8} {
			for _, maximize := range []bool{false, true} {
				for _, integral := range []bool{false, true} {
					w := randomDense(r, sz[0], sz[1], integral, pForbid, maximize)
					opts := &assign.Options{Maximize: maximize}
					name := fmt.Sprintf("%dx%d forbid=%v max=%v int=%v", sz[0], sz[1], pForbid, maximize, integral)
					a, err := assign.Dense(w, opts)
					if errors.Is(err, assign.ErrInfeasible) {
						// Possible at high forbidden rates; the int path must agree.
						_, err2 := assign.DenseInt64(toInt64(w), opts)
						require.ErrorIs(t, err2, assign.ErrInfeasible, name)
						continue
					}
					require.NoError(t, err, name)
					require.NoError(t, assign.VerifyDense(w, opts, a), name)
					if integral {
						wi := toInt64(w)
						ai, err := assign.DenseInt64(wi, opts)
						require.NoError(t, err, name)
						require.NoError(t, assign.VerifyDenseInt64(wi, opts, ai), name)
						assert.Equal(t, a.Total, float64(ai.Total), name)
					}
				}
			}
		}
	}
}

// TestDenseInt64BeyondFloat uses the matrix on which SciPy 1.10's
// linear_sum_assignment (float64) returns the non-optimal identity
// assignment: 2^53+1 rounds to 2^53, so both assignments look equal.
func TestDenseInt64BeyondFloat(t *testing.T) {
	const p = int64(1) << 53
	w := [][]int64{{p + 1, p}, {p, p + 1}}
	for _, tc := range []struct {
		maximize bool
		want     []int
		total    int64
	}{
		{false, []int{1, 0}, 2 * p},
		{true, []int{0, 1}, 2*p + 2},
	} {
		opts := &assign.Options{Maximize: tc.maximize}
		a, err := assign.DenseInt64(w, opts)
		require.NoError(t, err)
		assert.Equal(t, tc.want, a.RowToCol, "DenseInt64(maximize=%v).RowToCol", tc.maximize)
		assert.Equal(t, tc.total, a.Total, "DenseInt64(maximize=%v).Total", tc.maximize)
		require.NoError(t, assign.VerifyDenseInt64(w, opts, a))

		// The same near the top of the int64 range.
		const big = math.MaxInt64 / 2
		w2 := [][]int64{{big, big - 1}, {big - 1, big}}
		a2, err := assign.DenseInt64(w2, opts)
		require.NoError(t, err)
		want2 := []int{1, 0}
		if tc.maximize {
			want2 = []int{0, 1}
		}
		assert.Equal(t, want2, a2.RowToCol)
		require.NoError(t, assign.VerifyDenseInt64(w2, opts, a2))
	}
}

func TestDenseInt64Overflow(t *testing.T) {
	w := [][]int64{{math.MinInt64 + 1, 0}, {0, math.MaxInt64 - 1}}
	_, err := assign.DenseInt64(w, nil)
	require.ErrorIs(t, err, assign.ErrOverflow, "DenseInt64 over the full int64 range")

	// The total 2·(2^63-11) does not fit.
	w = [][]int64{{math.MaxInt64 - 10, 0}, {0, math.MaxInt64 - 10}}
	_, err = assign.DenseInt64(w, &assign.Options{Maximize: true})
	require.ErrorIs(t, err, assign.ErrOverflow, "DenseInt64 with a total beyond int64")
}

func TestDenseErrors(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name     string
		w        [][]float64
		maximize bool
		want     error
		rows     int
		cols     int
	}{
		{name: "nil", w: nil},
		{name: "no rows", w: [][]float64{}},
		{name: "rows without columns", w: [][]float64{{}, {}}, rows: 2},
		{name: "NaN", w: [][]float64{{1, math.NaN()}}, want: assign.ErrInvalidWeight},
		{name: "-Inf minimizing", w: [][]float64{{1, math.Inf(-1)}}, want: assign.ErrInvalidWeight},
		{name: "+Inf maximizing", w: [][]float64{{1, inf}}, maximize: true, want: assign.ErrInvalidWeight},
		{name: "ragged", w: [][]float64{{1, 2}, {3}}, want: assign.ErrInvalidProblem},
		{name: "all-forbidden row", w: [][]float64{{1, 2}, {inf, inf}}, want: assign.ErrInfeasible},
		{name: "all-forbidden column, square", w: [][]float64{{1, inf}, {2, inf}}, want: assign.ErrInfeasible},
		{name: "all forbidden", w: [][]float64{{inf}}, want: assign.ErrInfeasible},
		{name: "Hall violation", w: [][]float64{{1, inf, inf}, {2, inf, inf}, {3, 4, 5}}, want: assign.ErrInfeasible},
		{name: "wide, forbidden column is fine", w: [][]float64{{1, inf, 3}, {2, inf, 1}}, cols: 3, rows: 2},
		{name: "tall, infeasible", w: [][]float64{{1, inf}, {2, inf}, {3, inf}}, want: assign.ErrInfeasible},
		{name: "huge span", w: [][]float64{{-math.MaxFloat64, math.MaxFloat64}}, want: assign.ErrOverflow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := &assign.Options{Maximize: tc.maximize}
			a, err := assign.Dense(tc.w, opts)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want, "Dense(%v)", tc.w)
				assert.Nil(t, a)
				assert.Regexp(t, `^assign: `, err.Error())
				return
			}
			require.NoError(t, err, "Dense(%v)", tc.w)
			assert.Len(t, a.RowToCol, len(tc.w))
			require.NoError(t, assign.VerifyDense(tc.w, opts, a))
		})
	}
	var we *assign.WeightError
	_, err := assign.Dense([][]float64{{0, 1}, {2, math.NaN()}}, nil)
	require.ErrorAs(t, err, &we)
	assert.Equal(t, 1, we.Row)
	assert.Equal(t, 1, we.Col)
	assert.Contains(t, err.Error(), "row 1, col 1")

	_, err = assign.DenseInt64([][]int64{{1}, {2, 3}}, nil)
	require.ErrorIs(t, err, assign.ErrInvalidProblem)
	_, err = assign.DenseInt64([][]int64{{assign.ForbiddenMinInt64}}, nil)
	require.ErrorIs(t, err, assign.ErrInfeasible)
	a, err := assign.DenseInt64(nil, nil)
	require.NoError(t, err)
	assert.Empty(t, a.RowToCol)
}

func TestVerifyDenseRejects(t *testing.T) {
	w := [][]float64{{4, 1, 3}, {2, 0, 5}, {3, 2, 2}}
	a, err := assign.Dense(w, nil)
	require.NoError(t, err)
	require.NoError(t, assign.VerifyDense(w, nil, a))

	bad := *a
	bad.Total++
	assert.ErrorIs(t, assign.VerifyDense(w, nil, &bad), assign.ErrVerification, "wrong total")

	bad = *a
	bad.RowToCol = []int{0, 1, 2}
	bad.ColToRow = []int{0, 1, 2}
	bad.Total = 4 + 0 + 2
	assert.ErrorIs(t, assign.VerifyDense(w, nil, &bad), assign.ErrVerification, "non-optimal assignment")

	bad = *a
	bad.RowToCol = []int{1, 1, 2}
	assert.ErrorIs(t, assign.VerifyDense(w, nil, &bad), assign.ErrVerification, "column used twice")

	bad = *a
	bad.U = append([]float64(nil), a.U...)
	bad.U[0] += 1
	assert.ErrorIs(t, assign.VerifyDense(w, nil, &bad), assign.ErrVerification, "bad potentials")
}

// genDense draws a small matrix for property tests.
func genDense(t *rapid.T) ([][]float64, *assign.Options) {
	rows := rapid.IntRange(1, 7).Draw(t, "rows")
	cols := rapid.IntRange(1, 7).Draw(t, "cols")
	maximize := rapid.Bool().Draw(t, "maximize")
	w := make([][]float64, rows)
	for i := range w {
		w[i] = rapid.SliceOfN(rapid.Float64Range(-100, 100), cols, cols).Draw(t, fmt.Sprintf("row%d", i))
	}
	return w, &assign.Options{Maximize: maximize}
}

func TestDenseProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w, opts := genDense(t)
		a, err := assign.Dense(w, opts)
		if err != nil {
			t.Fatalf("Dense(%v) error %v", w, err)
		}
		if err := assign.VerifyDense(w, opts, a); err != nil {
			t.Fatalf("VerifyDense: %v", err)
		}
		rows, cols := len(w), len(w[0])
		if rows == cols {
			seen := make([]bool, cols)
			for _, j := range a.RowToCol {
				if j < 0 || seen[j] {
					t.Fatalf("RowToCol %v is not a permutation", a.RowToCol)
				}
				seen[j] = true
			}
		}
		// Deterministic.
		b, err := assign.Dense(w, opts)
		if err != nil || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("second Dense differs: %v vs %v (%v)", a, b, err)
		}
		// Permuting rows leaves the optimal total unchanged.
		perm := rapid.Permutation(seq(rows)).Draw(t, "perm")
		pw := make([][]float64, rows)
		for i, p := range perm {
			pw[i] = w[p]
		}
		c, err := assign.Dense(pw, opts)
		if err != nil {
			t.Fatalf("Dense(permuted) error %v", err)
		}
		if math.Abs(c.Total-a.Total) > 1e-9 {
			t.Fatalf("permuted total %v, want %v", c.Total, a.Total)
		}
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
