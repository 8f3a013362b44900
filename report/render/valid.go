package render

import (
	"fmt"
	"math"

	"github.com/citylinks/citylinks"
)

// invalid builds a *citylinks.ValidationError with a formatted problem.
func invalid(field, format string, args ...any) *citylinks.ValidationError {
	return &citylinks.ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// isLanguage reports whether s is shaped as an ISO 639-1 code: two
// lower-case ASCII letters.
func isLanguage(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}
