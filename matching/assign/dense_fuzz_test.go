package assign_test

import (
	"math"
	"testing"

	"github.com/citylinks/citylinks/matching/assign"
)

// fuzzValue maps a byte to a weight, special values included.
func fuzzValue(b byte) float64 {
	switch b % 16 {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1)
	case 2:
		return math.Inf(-1)
	case 3:
		return 1e300
	case 4:
		return -1e300
	}
	return float64(int(b) - 128)
}

// FuzzDense checks that the dense solvers never panic, and that
// whatever they return without error passes the verifier.
func FuzzDense(f *testing.F) {
	f.Add([]byte{3, 3, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90})
	f.Add([]byte{2, 3, 1, 1, 1, 17, 18, 19})
	f.Add([]byte{4, 2, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte{1, 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 {
			return
		}
		rows, cols, maximize := int(data[0]%7), int(data[1]%7), data[2]%2 == 1
		data = data[3:]
		w := make([][]float64, rows)
		wi := make([][]int64, rows)
		for i := range w {
			n := cols
			if len(data) > 0 && data[0] == 255 {
				n = cols + 1 // ragged
			}
			for j := range n {
				x := fuzzValue(0x20)
				if k := i*cols + j; k < len(data) {
					x = fuzzValue(data[k])
				}
				w[i] = append(w[i], x)
				switch {
				case math.IsInf(x, 1):
					wi[i] = append(wi[i], math.MaxInt64)
				case math.IsInf(x, -1):
					wi[i] = append(wi[i], math.MinInt64)
				case math.IsNaN(x), math.Abs(x) > 1e18:
					wi[i] = append(wi[i], int64(len(data)))
				default:
					wi[i] = append(wi[i], int64(x)*1e12)
				}
			}
		}
		opts := &assign.Options{Maximize: maximize}
		if a, err := assign.Dense(w, opts); err == nil {
			if err := assign.VerifyDense(w, opts, a); err != nil {
				t.Fatalf("VerifyDense(%v): %v", w, err)
			}
		}
		if a, err := assign.DenseInt64(wi, opts); err == nil {
			if err := assign.VerifyDenseInt64(wi, opts, a); err != nil {
				t.Fatalf("VerifyDenseInt64(%v): %v", wi, err)
			}
		}
		p := &assign.SparseProblem{Cols: cols, Maximize: maximize, Edges: make([][]assign.Edge, rows)}
		for i, row := range w {
			for j, x := range row {
				if x != 0 {
					p.Edges[i] = append(p.Edges[i], assign.Edge{Col: j, Weight: x})
				}
			}
		}
		if a, err := assign.Sparse(p); err == nil {
			if err := assign.VerifySparse(p, a); err != nil {
				t.Fatalf("VerifySparse(%+v): %v", p, err)
			}
		}
	})
}
