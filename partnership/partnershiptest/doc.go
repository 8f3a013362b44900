// Package partnershiptest holds fixtures for tests and benchmarks of
// package partnership and of its storage backends: the parties of two
// documented partnerships, actors for every role, a settable clock, and
// builders of valid event streams of any length.
package partnershiptest
