// Command api is the code of the README's HTTP API snippet: the handler of
// package api mounted under /api/ with the host's sign-in, and a
// partnership proposed, read with its ETag, and a stale command refused.
// `go run ./internal/readme/api` runs it; its test keeps README.md showing
// exactly this code (package readmetest).
package main
