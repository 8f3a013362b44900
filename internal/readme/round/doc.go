// Command round is the code of the README's second snippet: a matching
// round, the partnership it proposes walked through the
// partnership.Service, and its outcomes recorded, approved and rendered
// with package report. `go run ./internal/readme/round` runs it; its test
// keeps README.md showing exactly this code (package readmetest).
package main
