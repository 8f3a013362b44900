package assign

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSparseAuctionStart runs square problems through the auction start,
// which normally serves only large problems, and checks the result against
// the certificate and against the dense solver.
func TestSparseAuctionStart(t *testing.T) {
	defer func(old int) { auctionMinRows = old }(auctionMinRows)
	auctionMinRows = 1
	r := rand.New(rand.NewPCG(6, 6))
	for count := range 300 {
		n := 1 + r.IntN(40)
		k := 1 + r.IntN(4)
		p := &SparseProblemInt64{Cols: n, Maximize: count%2 == 0, RequireFull: true, Edges: make([][]EdgeInt64, n)}
		dense := make([][]int64, n)
		forbidden := ForbiddenMinInt64
		if p.Maximize {
			forbidden = ForbiddenMaxInt64
		}
		perm := r.Perm(n)
		for i := range n {
			dense[i] = make([]int64, n)
			for j := range dense[i] {
				dense[i][j] = forbidden
			}
			cols := append([]int{perm[i]}, r.Perm(n)[:min(k, n)]...)
			for _, j := range cols {
				if dense[i][j] == forbidden {
					w := int64(r.IntN(7))
					if count%3 == 0 {
						w = r.Int64N(1_000_000)
					}
					dense[i][j] = w
					p.Edges[i] = append(p.Edges[i], EdgeInt64{Col: j, Weight: w})
				}
			}
		}
		a, err := SparseInt64(p)
		require.NoError(t, err)
		require.NoError(t, VerifySparseInt64(p, a))
		d, err := DenseInt64(dense, &Options{Maximize: p.Maximize})
		require.NoError(t, err)
		require.Equal(t, d.Total, a.Total, "sparse and dense optimum, n=%d", n)

		// The same in float64.
		q := &SparseProblem{Cols: n, Maximize: p.Maximize, Edges: make([][]Edge, n)}
		for i, row := range p.Edges {
			for _, e := range row {
				q.Edges[i] = append(q.Edges[i], Edge{Col: e.Col, Weight: float64(e.Weight) + 0.5*r.Float64()})
			}
		}
		b, err := Sparse(q)
		require.NoError(t, err)
		require.NoError(t, VerifySparse(q, b))
		require.False(t, math.IsNaN(b.Total))
	}
}
