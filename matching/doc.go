// Package matching pairs host cities with resource cities: it decides which
// pairs are eligible, scores them, and assigns hosts to resources. The
// general assignment solvers it uses (dense, sparse with capacities,
// stable matching) are in package [assign].
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
// [assign.Sparse] within the resources' capacities, honouring must-pairs
// and forbidden pairs. Its [Result] explains every proposal and gives every
// unmatched city its reason: ineligible (which rule), no capacity left, or
// no candidate above the threshold.
package matching
