package assign_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/matching/assign"
)

func TestGreedyDense(t *testing.T) {
	// Greedy takes the 1 first and is then forced into the 100.
	w := [][]float64{{1, 2}, {3, 100}}
	g, err := assign.GreedyDense(w, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, g.RowToCol)
	assert.Equal(t, 101.0, g.Total)
	a, err := assign.Dense(w, nil)
	require.NoError(t, err)
	assert.Equal(t, 5.0, a.Total, "the optimum is better than greedy")

	// Ties go to the lower row, then the lower column.
	g, err = assign.GreedyDense([][]float64{{1, 1}, {1, 1}}, &assign.Options{Maximize: true})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, g.RowToCol)
	assert.Equal(t, []int{0, 1}, g.ColToRow)

	// Forbidden pairs are skipped; greedy may strand a row.
	inf := math.Inf(1)
	g, err = assign.GreedyDense([][]float64{{1, 2}, {3, inf}}, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{0, -1}, g.RowToCol)

	_, err = assign.GreedyDense([][]float64{{math.NaN()}}, nil)
	require.ErrorIs(t, err, assign.ErrInvalidWeight)
}

// TestGreedyNeverBeatsOptimal compares greedy with the exact solver on
// random capacitated instances.
func TestGreedyNeverBeatsOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	for range 300 {
		p := randomSparse(r, 1+r.IntN(8), 1+r.IntN(6), 0.6, 2, r.IntN(2) == 0, false)
		g, err := assign.GreedySparse(p)
		require.NoError(t, err)
		a, err := assign.Sparse(p)
		require.NoError(t, err)
		require.LessOrEqual(t, g.Matched, a.Matched)
		if g.Matched == a.Matched {
			if p.Maximize {
				assert.LessOrEqual(t, g.Total, a.Total+1e-9)
			} else {
				assert.GreaterOrEqual(t, g.Total, a.Total-1e-9)
			}
		}
		for j, load := range g.Load {
			c := 1
			if p.Capacity != nil {
				c = p.Capacity[j]
			}
			assert.LessOrEqual(t, load, c)
		}
		again, _ := assign.GreedySparse(p)
		assert.Equal(t, g, again, "deterministic")
	}
}
