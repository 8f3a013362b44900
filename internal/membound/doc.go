// Package membound measures what a call allocates, so that tests and fuzz
// targets can hold a parser of outside input to memory proportional to the
// size of that input: a parser whose cost grows faster (quadratic in the
// nesting depth, say) fails the bound on a small input.
package membound
