//go:build ignore

// Command gosolve generates assignment instances and times the matching
// solvers on them, for compare.sh. It writes and reads the same raw files
// as scipy_solve.py, so both sides solve identical instances.
//
//	go run gosolve.go gen -kind dense -n 1000 -int -seed 1 -out DIR/name
//	go run gosolve.go solve -kind dense -n 1000 -int -in DIR/name
//
// Files: dense instances are NAME.f64, n·n little-endian float64 in row
// order (integers are stored exactly). Sparse instances are CSR arrays:
// NAME.indptr (int64, n+1), NAME.indices (int32) and NAME.data (float64).
//
// solve prints one line: seconds for the solve alone, seconds for loading
// plus solving, and the optimal total.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"github.com/citylinks/citylinks/matching/assign"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gosolve gen|solve [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	kind := fs.String("kind", "dense", "dense or sparse")
	n := fs.Int("n", 1000, "rows and columns")
	k := fs.Int("k", 10, "random candidates per row (sparse)")
	integral := fs.Bool("int", false, "integer weights 0..1e6 (sparse: 1..1e6), solved exactly with the int64 solvers")
	seed := fs.Uint64("seed", 1, "random seed (gen)")
	out := fs.String("out", "", "output path prefix (gen)")
	in := fs.String("in", "", "input path prefix (solve)")
	fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(*kind, *n, *k, *integral, *seed, *out)
	case "solve":
		err = solve(*kind, *n, *integral, *in)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gosolve:", err)
		os.Exit(1)
	}
}

func gen(kind string, n, k int, integral bool, seed uint64, out string) error {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	if kind == "dense" {
		w := make([]float64, n*n)
		for i := range w {
			if integral {
				w[i] = float64(r.IntN(1_000_001))
			} else {
				w[i] = r.Float64()
			}
		}
		return writeRaw(out+".f64", w)
	}
	// Sparse: k random candidates per row plus the edges of a random
	// permutation, so a full matching exists. Weights are never 0 (SciPy
	// treats stored zeros inconsistently across versions).
	perm := r.Perm(n)
	indptr := make([]int64, n+1)
	var indices []int32
	var data []float64
	row := make([]int32, 0, k+1)
	for i := range n {
		row = append(row[:0], int32(perm[i]))
		for range k {
			row = append(row, int32(r.IntN(n)))
		}
		slices.Sort(row)
		row = slices.Compact(row)
		for _, j := range row {
			indices = append(indices, j)
			if integral {
				data = append(data, float64(1+r.IntN(1_000_000)))
			} else {
				data = append(data, 1-r.Float64())
			}
		}
		indptr[i+1] = int64(len(indices))
	}
	if err := writeRaw(out+".indptr", indptr); err != nil {
		return err
	}
	if err := writeRaw(out+".indices", indices); err != nil {
		return err
	}
	return writeRaw(out+".data", data)
}

func writeRaw(path string, data any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := binary.Write(f, binary.LittleEndian, data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readRaw[T any](path string) ([]T, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var zero T
	out := make([]T, len(b)/binary.Size(zero))
	_, err = binary.Decode(b, binary.LittleEndian, out)
	return out, err
}

func solve(kind string, n int, integral bool, in string) error {
	start := time.Now()
	var solveTime time.Duration
	var total string
	if kind == "dense" {
		flat, err := readRaw[float64](in + ".f64")
		if err != nil {
			return err
		}
		if len(flat) != n*n {
			return fmt.Errorf("%s.f64 has %d values, want %d", in, len(flat), n*n)
		}
		if integral {
			w := make([][]int64, n)
			for i := range w {
				w[i] = make([]int64, n)
				for j := range w[i] {
					w[i][j] = int64(flat[i*n+j])
				}
			}
			t := time.Now()
			a, err := assign.DenseInt64(w, nil)
			solveTime = time.Since(t)
			if err != nil {
				return err
			}
			total = fmt.Sprint(a.Total)
		} else {
			w := make([][]float64, n)
			for i := range w {
				w[i] = flat[i*n : (i+1)*n]
			}
			t := time.Now()
			a, err := assign.Dense(w, nil)
			solveTime = time.Since(t)
			if err != nil {
				return err
			}
			total = fmt.Sprintf("%.17g", a.Total)
		}
	} else {
		indptr, err := readRaw[int64](in + ".indptr")
		if err != nil {
			return err
		}
		indices, err := readRaw[int32](in + ".indices")
		if err != nil {
			return err
		}
		data, err := readRaw[float64](in + ".data")
		if err != nil {
			return err
		}
		if integral {
			p := &assign.SparseProblemInt64{Cols: n, RequireFull: true, Edges: make([][]assign.EdgeInt64, n)}
			for i := range n {
				for e := indptr[i]; e < indptr[i+1]; e++ {
					p.Edges[i] = append(p.Edges[i], assign.EdgeInt64{Col: int(indices[e]), Weight: int64(data[e])})
				}
			}
			t := time.Now()
			a, err := assign.SparseInt64(p)
			solveTime = time.Since(t)
			if err != nil {
				return err
			}
			total = fmt.Sprint(a.Total)
		} else {
			p := &assign.SparseProblem{Cols: n, RequireFull: true, Edges: make([][]assign.Edge, n)}
			for i := range n {
				for e := indptr[i]; e < indptr[i+1]; e++ {
					p.Edges[i] = append(p.Edges[i], assign.Edge{Col: int(indices[e]), Weight: data[e]})
				}
			}
			t := time.Now()
			a, err := assign.Sparse(p)
			solveTime = time.Since(t)
			if err != nil {
				return err
			}
			total = fmt.Sprintf("%.17g", a.Total)
		}
	}
	fmt.Printf("%.6f %.6f %s\n", solveTime.Seconds(), time.Since(start).Seconds(), total)
	return nil
}
