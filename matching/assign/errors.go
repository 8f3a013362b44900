package assign

import (
	"errors"
	"fmt"
)

// Errors returned by the solvers. Each is wrapped with details, so test for
// them with [errors.Is].
var (
	// ErrInfeasible reports that no matching of the required size exists:
	// for the dense solvers, no matching covers the smaller side without a
	// forbidden pair; for sparse problems with RequireFull, no matching covers
	// every row.
	ErrInfeasible = errors.New("assign: infeasible")

	// ErrInvalidWeight reports a weight the solvers cannot use: NaN, or an
	// infinity of the wrong sign (-Inf when minimizing, +Inf when maximizing).
	// The error is a [*WeightError] naming the pair.
	ErrInvalidWeight = errors.New("assign: invalid weight")

	// ErrInvalidProblem reports a malformed problem: ragged rows, an index out
	// of range, a duplicate, a negative capacity, mismatched lengths.
	ErrInvalidProblem = errors.New("assign: invalid problem")

	// ErrOverflow reports that the weights span too wide a range for exact
	// int64 arithmetic (or, for float64, for finite arithmetic). The solvers
	// return it instead of a possibly wrong answer.
	ErrOverflow = errors.New("assign: overflow")

	// ErrVerification reports that a Verify function found a result that is
	// not a valid or not a provably optimal (or stable) assignment.
	ErrVerification = errors.New("assign: verification failed")
)

// WeightError describes an unusable weight at Row, Col. It wraps
// [ErrInvalidWeight].
type WeightError struct {
	Row, Col int
	Value    float64
	Reason   string // "NaN", "-Inf when minimizing", …
}

// Error returns a message naming the pair and the reason.
func (e *WeightError) Error() string {
	return fmt.Sprintf("assign: invalid weight %v at row %d, col %d: %s", e.Value, e.Row, e.Col, e.Reason)
}

// Unwrap returns [ErrInvalidWeight].
func (e *WeightError) Unwrap() error { return ErrInvalidWeight }

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidProblem}, args...)...)
}

func infeasiblef(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInfeasible}, args...)...)
}

func overflowf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrOverflow}, args...)...)
}

func verifyf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrVerification}, args...)...)
}
