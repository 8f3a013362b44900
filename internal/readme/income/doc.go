// Command income is the code of the README's income-data snippet: a round
// dated after the shipped World Bank classifications is undecided until the
// later fiscal year is supplied. `go run ./internal/readme/income` runs it;
// its test keeps README.md showing exactly this code (package readmetest).
package main
