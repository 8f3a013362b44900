package assign_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/citylinks/citylinks/matching/assign"
)

// benchSparse builds an n×n problem with k random candidates per row plus
// the edges of a random permutation, so a full matching exists.
func benchSparse(n, k int, integral bool) (*assign.SparseProblem, *assign.SparseProblemInt64) {
	r := rand.New(rand.NewPCG(2, uint64(n*k)))
	perm := r.Perm(n)
	p := &assign.SparseProblem{Cols: n, RequireFull: true, Edges: make([][]assign.Edge, n)}
	q := &assign.SparseProblemInt64{Cols: n, RequireFull: true, Edges: make([][]assign.EdgeInt64, n)}
	cols := make([]int, 0, k+1)
	for i := range n {
		cols = append(cols[:0], perm[i])
		for range k {
			cols = append(cols, r.IntN(n))
		}
		slices.Sort(cols)
		for _, j := range slices.Compact(cols) {
			if integral {
				q.Edges[i] = append(q.Edges[i], assign.EdgeInt64{Col: j, Weight: 1 + r.Int64N(1_000_000)})
			} else {
				p.Edges[i] = append(p.Edges[i], assign.Edge{Col: j, Weight: 1 - r.Float64()})
			}
		}
	}
	return p, q
}

// BenchmarkSparse times Sparse (float) and SparseInt64
// (int, weights 1..1e6) with RequireFull, the setting compared against
// SciPy's min_weight_full_bipartite_matching by matching/bench/compare.sh.
// The n=100000 cases take seconds per operation; run them with
// -benchtime=1x.
func BenchmarkSparse(b *testing.B) {
	for _, kind := range []string{"int", "float"} {
		for _, k := range []int{10, 50} {
			for _, n := range []int{10_000, 100_000} {
				b.Run(fmt.Sprintf("%s/k=%d/n=%d", kind, k, n), func(b *testing.B) {
					p, q := benchSparse(n, k, kind == "int")
					for b.Loop() {
						var err error
						if kind == "int" {
							_, err = assign.SparseInt64(q)
						} else {
							_, err = assign.Sparse(p)
						}
						if err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkSparseCapacity times a capacitated problem with more
// hosts than room, where the second half of the method (columns that must
// fill) does the work.
func BenchmarkSparseCapacity(b *testing.B) {
	const rows, cols, k = 20_000, 2_000, 10
	r := rand.New(rand.NewPCG(3, 4))
	p := &assign.SparseProblem{Cols: cols, Maximize: true, Capacity: make([]int, cols), Edges: make([][]assign.Edge, rows)}
	for j := range p.Capacity {
		p.Capacity[j] = 1 + r.IntN(5)
	}
	for i := range p.Edges {
		for _, j := range r.Perm(cols)[:k] {
			p.Edges[i] = append(p.Edges[i], assign.Edge{Col: j, Weight: r.Float64()})
		}
	}
	for b.Loop() {
		if _, err := assign.Sparse(p); err != nil {
			b.Fatal(err)
		}
	}
}
