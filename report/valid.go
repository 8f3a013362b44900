package report

import (
	"fmt"
	"math"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// Limits on what package report stores.
const (
	// MaxCodeLen is the longest indicator code or dimension name, in bytes.
	MaxCodeLen = 64
	// MaxIDLen is the longest partnership, observation or reporter id.
	MaxIDLen = citylinks.MaxIDLen
	// MaxTextLen is the longest free text (names, comments), in bytes.
	MaxTextLen = 64 << 10
	// MaxValue bounds the magnitude of every observation value. It is far
	// above any count or amount a partnership reports, and low enough that
	// no roll-up of valid values can overflow: even 2^63 values of MaxValue
	// sum to under 1e32, and float64 reaches 1.8e308.
	MaxValue = 1e12
	// MaxTiers is the most tiers a results framework may have.
	MaxTiers = 8
	// MaxCSVRows is the most rows an observations CSV may hold.
	MaxCSVRows = 10_000_000
)

// invalid builds a *citylinks.ValidationError with a formatted problem.
func invalid(field, format string, args ...any) *citylinks.ValidationError {
	return &citylinks.ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// checkID checks a record id (citylinks.CheckID).
func checkID(field, s string) error { return citylinks.CheckID(field, s) }

// checkText checks free text (citylinks.CheckText), at most MaxTextLen
// bytes.
func checkText(field, s string, required bool) error {
	return citylinks.CheckText(field, s, required, MaxTextLen)
}

// checkCode checks an indicator code: 1 to MaxCodeLen bytes of ASCII letters,
// digits, '.', '_' and '-', starting with a letter or digit.
func checkCode(field, s string) error {
	if s == "" {
		return invalid(field, "must not be empty")
	}
	if len(s) > MaxCodeLen {
		return invalid(field, "is %d bytes long; the limit is %d", len(s), MaxCodeLen)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || i > 0 && (c == '.' || c == '_' || c == '-')
		if !ok {
			return invalid(field, "%q may hold only ASCII letters, digits, '.', '_' and '-', starting with a letter or digit", errtext.Clip(s))
		}
	}
	return nil
}

// checkSlug checks a kebab-case name such as a dimension or a focus area.
func checkSlug(field, s string) error {
	if s == "" {
		return invalid(field, "must not be empty")
	}
	if len(s) > MaxCodeLen || !citylinks.ValidSlug(s) {
		return invalid(field, "%q is not a kebab-case name (lower-case letters and digits joined by hyphens)", errtext.Clip(s))
	}
	return nil
}

// checkCountry checks an ISO 3166-1 alpha-2 code known to package citylinks.
func checkCountry(field, s string) error {
	c, err := citylinks.LookupCountry(s)
	if err != nil || c.Alpha2 != s {
		return invalid(field, "%q is not an ISO 3166-1 alpha-2 code such as \"GH\"", errtext.Clip(s))
	}
	return nil
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
