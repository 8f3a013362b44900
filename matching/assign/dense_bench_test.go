package assign_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/citylinks/citylinks/matching/assign"
)

// BenchmarkDense times the dense solvers on uniform random n×n
// costs: "int" is DenseInt64 on integers 0..1e6, "float" is
// Dense on uniform floats in [0, 1). matching/bench/compare.sh runs
// the same kind of instances against SciPy.
func BenchmarkDense(b *testing.B) {
	for _, kind := range []string{"int", "float"} {
		for _, n := range []int{1000, 2000, 4000} {
			b.Run(fmt.Sprintf("%s/n=%d", kind, n), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, uint64(n)))
				if kind == "int" {
					w := make([][]int64, n)
					for i := range w {
						w[i] = make([]int64, n)
						for j := range w[i] {
							w[i][j] = r.Int64N(1_000_001)
						}
					}
					for b.Loop() {
						if _, err := assign.DenseInt64(w, nil); err != nil {
							b.Fatal(err)
						}
					}
					return
				}
				w := make([][]float64, n)
				for i := range w {
					w[i] = make([]float64, n)
					for j := range w[i] {
						w[i][j] = r.Float64()
					}
				}
				for b.Loop() {
					if _, err := assign.Dense(w, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
