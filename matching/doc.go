// Package matching pairs host cities with resource cities: it decides which
// pairs are eligible, scores them, and assigns hosts to resources.
//
// # Solvers
//
// The solvers work on plain indices and weights (rows are hosts, columns
// are resources), so any caller that can number its cities can use them.
// All are pure Go, do no I/O, are deterministic (the same input always
// gives the same output) and come with a Verify function that checks a
// result without trusting the solver.
//
//   - [AssignDense] and [AssignDenseInt64] solve the rectangular linear
//     assignment problem on a dense matrix, with the semantics of SciPy's
//     linear_sum_assignment (+Inf, or -Inf when maximizing, forbids a
//     pair). They use the shortest augmenting path method of R. Jonker and
//     A. Volgenant, "A shortest augmenting path algorithm for dense and
//     sparse linear assignment problems", Computing 38, 325–340 (1987),
//     with its full initialisation. The int64 variant is exact where
//     float64 rounding is not. Both return dual potentials, which
//     [VerifyDense] and [VerifyDenseInt64] check.
//   - [AssignSparse] and [AssignSparseInt64] take candidate edges per row
//     and a capacity per column (a resource city may take k hosts). They
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
// Performance: matching/bench/compare.sh times AssignDense against SciPy's
// linear_sum_assignment and AssignSparse against SciPy's
// min_weight_full_bipartite_matching on identical random instances, and
// checks that the optimal totals agree; BenchmarkAssignDense and
// BenchmarkAssignSparse time the Go side alone.
//
// # Eligibility
//
// A [Rule] judges a [Subject] (a city or party on one side, as of a date)
// and returns a [Verdict] whose reasons a program officer can read, such as
// "Peru is not on the list of Feed the Future focus countries (2010)". The
// built-in rules are [OnDesignation], [IncomeGroupIn], [PopulationBetween],
// [OrganizationKindIn], [LocalGovernment], [InRegion] and [NotPartnered],
// combined with [All], [Any] and [Not]; [RuleFunc] adapts a function. An
// [Eligibility] binds rules to focus areas for the host and the resource
// side; [ProgramEligibility] reads it from a program's JSON (the built-in
// CityLinks 2011–2016 program carries its rules) and [LoadProgram] reads a
// whole program file, with errors that name the JSON path.
//
// A rule that lacks the data to decide returns an undecided verdict
// ([Verdict.Undecided], [Verdict.Missing]) instead of a failure: today that
// is [IncomeGroupIn] on a date whose World Bank fiscal year the income
// table does not hold (the shipped one ends at FY2026, on 30 June 2026).
// [All], [Any] and [Not] follow three-valued logic, so an undecided rule
// decides nothing unless the others decide without it. The Matcher lists
// such cities as [WhyMissingData] and gathers what is missing in
// [Result.Missing]. Supply later years with a citylinks.IncomeTable, through
// [EligibilityOptions].Income or [IncomeGroupFrom].
//
// # Scoring
//
// [ScorePair] scores a host and a resource on the criteria ICMA matched on —
// topic fit, climate and topography, population scale, commitment, time-zone
// overlap, shared language and distance — weighted by [Weights]
// ([DefaultWeights] documents and justifies the defaults) and returned as a
// [Breakdown]. A criterion the data cannot judge takes no part in the score.
//
// # The Matcher
//
// A [Matcher] runs a [Round]: it checks eligibility, scores the eligible
// pairs, keeps each host's top candidates, and assigns them optimally with
// [AssignSparse] within the resources' capacities, honouring must-pairs and
// forbidden pairs. Its [Result] explains every proposal and gives every
// unmatched city its reason: ineligible (which rule), no capacity left, or
// no candidate above the threshold.
package matching
