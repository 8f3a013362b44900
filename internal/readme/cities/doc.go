// Command cities is the code of the README's first snippet: the shipped
// GeoNames cities imported into SQLite, and the large cities of the Feed
// the Future focus countries listed from the store.
// `go run ./internal/readme/cities` runs it; its test keeps README.md
// showing exactly this code (package readmetest).
package main
