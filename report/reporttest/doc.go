// Package reporttest holds fixtures for tests, examples and benchmarks of
// package report and its storage backends: a small illustrative data set
// over three documented CityLinks partnerships, the actors of the
// permission policy, and a generator of large synthetic data sets.
//
// The partnerships (Durban–Fort Lauderdale/Broward, Legazpi–Fort Lauderdale,
// Telavi–Catawba County) are real (shared/domain/PROGRAM.md §2); every
// number recorded against them here is invented for testing and is not a
// reported result.
package reporttest
