// Package readmetest keeps the Go snippets of the module's README.md
// compiling and running as written.
//
// Each ```go block of README.md is the body of a real program: the line
// before the block names it,
//
//	<!-- go run ./internal/readme/NAME -->
//
// and the block is, byte for byte, the code of internal/readme/NAME/main.go
// between the lines "// README begin" and "// README end", less one tab of
// indentation (the region is the body of a function
// run(ctx context.Context, dir string) error, where dir is a fresh
// directory for the snippet's files). `go run ./internal/readme/NAME` runs
// it.
//
// Each program's test calls [Main] from its TestMain and [Check] from a
// test: Check fails when the README block and the region differ (with a
// diff), then runs the program by executing the test binary again, which
// [Main] turns into a run of the program's main, and returns what it wrote.
// So the snippet is compiled with the test, runs offline in its own
// process (under -race when the test is), and needs no go command at test
// time. This package's own test checks that every go block of README.md
// names a program and every program has its block.
package readmetest
