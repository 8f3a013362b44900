// Package reporttest holds fixtures for tests, examples and benchmarks of
// package report and its storage backends: a small illustrative data set
// over three documented CityLinks partnerships, the actors of the
// permission policy, and a generator of large synthetic data sets.
//
// The partnerships (Durban–Fort Lauderdale/Broward, Legazpi–Fort Lauderdale,
// Telavi–Catawba County) are real (the module's
// dataset/citylinks_partnerships.csv lists each with its sources); every
// number recorded against them here is invented for testing and is not a
// reported result.
package reporttest
