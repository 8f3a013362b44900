// Package matching pairs host cities with resource cities: it decides which
// pairs are eligible, scores them, and assigns hosts to resources.
//
// # Solvers
//
// The solvers work on plain indices and weights, so they serve any caller
// that can number its rows (hosts) and columns (resources). All are pure Go,
// do no I/O, are deterministic (the same input always gives the same
// output), and come with a Verify function that checks a result without
// trusting the solver.
//
//   - [AssignDense] and [AssignDenseInt64] solve the rectangular linear
//     assignment problem on a dense matrix, with the semantics of SciPy's
//     linear_sum_assignment. They use the shortest augmenting path method
//     of R. Jonker and A. Volgenant, "A shortest augmenting path algorithm
//     for dense and sparse linear assignment problems", Computing 38,
//     325–340 (1987), with its full initialisation (column reduction,
//     reduction transfer, augmenting row reduction). The int64 variant is
//     exact where float64 rounding is not. Both return dual potentials;
//     [VerifyDense] and [VerifyDenseInt64] check them.
//
// Errors wrap the sentinels [ErrInfeasible], [ErrInvalidWeight],
// [ErrInvalidProblem], [ErrOverflow] and [ErrVerification]; test for them
// with errors.Is.
package matching
