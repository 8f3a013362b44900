package assign_test

import (
	"fmt"
	"math"

	"github.com/citylinks/citylinks/matching/assign"
)

// Three host cities and three resource cities with match scores; the
// assignment maximizing the total score. Host 2 may not pair with
// resource 0 (-Inf forbids a pair when maximizing).
func ExampleDense() {
	scores := [][]float64{
		{0.9, 0.6, 0.2},
		{0.8, 0.7, 0.1},
		{math.Inf(-1), 0.5, 0.4},
	}
	opts := &assign.Options{Maximize: true}
	a, err := assign.Dense(scores, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.RowToCol, a.Total)
	fmt.Println(assign.VerifyDense(scores, opts, a))
	// Output:
	// [0 1 2] 2
	// <nil>
}

// With more rows than columns every column is assigned and the extra rows
// get -1, as in SciPy's linear_sum_assignment.
func ExampleDense_rectangular() {
	costs := [][]float64{{4, 1}, {2, 0}, {3, 2}}
	a, _ := assign.Dense(costs, nil)
	fmt.Println(a.RowToCol, a.ColToRow, a.Total)
	// Output: [1 0 -1] [1 0] 3
}

// The int64 solver is exact where float64 is not: 2^53+1 is not a float64.
func ExampleDenseInt64() {
	const p = 1 << 53
	w := [][]int64{{p + 1, p}, {p, p + 1}}
	a, _ := assign.DenseInt64(w, nil)
	fmt.Println(a.RowToCol, a.Total)
	// Output: [1 0] 18014398509481984
}

// Four hosts, two resource cities that take two hosts each; host 3 has a
// single candidate. Maximum cardinality comes first, then the best score.
func ExampleSparse() {
	p := &assign.SparseProblem{
		Cols:     2,
		Capacity: []int{2, 2},
		Maximize: true,
		Edges: [][]assign.Edge{
			{{Col: 0, Weight: 9}, {Col: 1, Weight: 8}},
			{{Col: 0, Weight: 7}, {Col: 1, Weight: 3}},
			{{Col: 0, Weight: 6}, {Col: 1, Weight: 5}},
			{{Col: 0, Weight: 1}},
		},
	}
	a, err := assign.Sparse(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.RowToCol, a.Load, a.Matched, a.Total)
	fmt.Println(assign.VerifySparse(p, a))
	// Output:
	// [1 0 1 0] [2 2] 4 21
	// <nil>
}

// Hosts and resources rank each other; resource 0 takes two hosts.
func ExampleStableHostOptimal() {
	p := &assign.StableProblem{
		HostPrefs:     [][]int{{0, 1}, {0, 1}, {0, 1}},
		ResourcePrefs: [][]int{{2, 0, 1}, {0, 1, 2}},
		Capacity:      []int{2, 1},
	}
	h, _ := assign.StableHostOptimal(p)
	r, _ := assign.StableResourceOptimal(p)
	fmt.Println(h.HostToResource, h.ResourceToHosts)
	fmt.Println(r.HostToResource, r.ResourceToHosts)
	fmt.Println(assign.VerifyStable(p, h))
	// Output:
	// [0 1 0] [[2 0] [1]]
	// [0 1 0] [[2 0] [1]]
	// <nil>
}
