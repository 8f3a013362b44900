package membound

import (
	"runtime"
	"testing"
)

// The bound Check asserts: PerByte bytes for each byte of input, plus Fixed.
// Every parser of outside input in this module allocates at most some 25
// bytes per byte of input on any shape of input (a document of empty
// arrays, of short strings, of one long string), with its limits on
// nesting and on the number of values; PerByte leaves room over that.
const (
	PerByte = 128
	Fixed   = 256 << 10
)

// Bytes returns how many bytes f allocates. Allocations of other
// goroutines running meanwhile count too: call it where none run (a fuzz
// target, or a test that is not parallel).
func Bytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Check runs f, a parse of input bytes of input, and fails tb if it
// allocates more than PerByte*input + Fixed bytes.
func Check(tb testing.TB, what string, input int, f func()) {
	tb.Helper()
	limit := uint64(PerByte*input + Fixed)
	if got := Bytes(f); got > limit {
		tb.Fatalf("%s of %d bytes allocated %d bytes, more than %d (%d per byte of input, plus %d)", what, input, got, limit, PerByte, Fixed)
	}
}
