// Command lifecycle walks a documented CityLinks partnership through its
// lifecycle with the dates the sources give, and prints its history.
//
// The partnership is Shimla–Boulder (row CL11-SHI-BOU of the shipped
// dataset/citylinks_partnerships.csv): the 2015 Climate Adaptation
// Partnership Program (CAPP), round 1. Where a source gives a date, the
// walk uses it; where it does not, the walk says which date it uses and why.
// Nothing the sources do not say (volunteer hours, participants of the final
// exchange, indicator codes) is made up: it is left out and reported as
// not documented.
//
// Usage:
//
//	go run ./examples/lifecycle [-db FILE] [-as-of YYYY-MM-DD]
//
// It runs offline, in memory unless -db names a SQLite file.
package main
