// Package assign solves assignment problems exactly: dense and sparse
// linear assignment (with column capacities) and stable matching with
// capacities, each with a Verify function and greedy baselines. Package
// matching uses [Sparse] to pair host cities with resource cities, but the
// solvers work on plain indices and weights (rows are hosts, columns are
// resources), so any caller that can number its cities can use them.
//
// All are pure Go, do no I/O, are deterministic (the same input always
// gives the same output) and come with a Verify function that checks a
// result without trusting the solver.
//
//   - [Dense] and [DenseInt64] solve the rectangular linear assignment
//     problem on a dense matrix, with the semantics of SciPy's
//     linear_sum_assignment (+Inf, or -Inf when maximizing, forbids a
//     pair). They use the shortest augmenting path method of R. Jonker and
//     A. Volgenant, "A shortest augmenting path algorithm for dense and
//     sparse linear assignment problems", Computing 38, 325–340 (1987),
//     with its full initialisation. The int64 variant is exact where
//     float64 rounding is not. Both return dual potentials, which
//     [VerifyDense] and [VerifyDenseInt64] check.
//   - [Sparse] and [SparseInt64] take candidate edges per row and a
//     capacity per column (a resource city may take k hosts). They
//     assign as many rows as possible, then optimize the total weight among
//     assignments of that size; RequireFull demands every row, like SciPy's
//     min_weight_full_bipartite_matching, and is checked by Hopcroft–Karp
//     before any weight is looked at. The result carries a König vertex
//     cover and potentials, which [VerifySparse] checks.
//   - [StableHostOptimal] and [StableResourceOptimal] return the two
//     extreme stable matchings of a hospitals/residents problem where both
//     sides rank each other and resources have capacities; [VerifyStable]
//     checks for blocking pairs.
//   - [GreedyDense] and [GreedySparse] take the best pairs first. They are
//     baselines for comparison and are not optimal.
//
// Ties: the exact solvers return one optimal solution; which one, among
// several of equal total, is a deterministic function of the input (the
// order of rows, columns and edges) and not otherwise specified. The
// stable matchings are unique by theory. Greedy breaks ties by row, then
// column, ascending.
//
// Errors wrap the sentinels [ErrInfeasible], [ErrInvalidWeight] (as a
// [*WeightError] naming the pair), [ErrInvalidProblem], [ErrOverflow] and
// [ErrVerification]; test for them with errors.Is. The solvers never
// panic on bad input.
//
// Performance: matching/bench/compare.sh times Dense against SciPy's
// linear_sum_assignment and Sparse against SciPy's
// min_weight_full_bipartite_matching on identical random instances, and
// checks that the optimal totals agree; BenchmarkDense and
// BenchmarkSparse time the Go side alone.
package assign
