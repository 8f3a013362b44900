package report

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/citylinks/citylinks"
)

// Limits on what package report stores.
const (
	// MaxCodeLen is the longest indicator code or dimension name, in bytes.
	MaxCodeLen = 64
	// MaxIDLen is the longest partnership, observation or reporter id.
	MaxIDLen = citylinks.MaxIDLen
	// MaxTextLen is the longest free text (names, comments), in bytes.
	MaxTextLen = 64 << 10
)

// invalid builds a *citylinks.ValidationError with a formatted problem.
func invalid(field, format string, args ...any) *citylinks.ValidationError {
	return &citylinks.ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// short shortens s for an error message.
func short(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// checkID checks a record id: 1 to MaxIDLen bytes of UTF-8 with no control
// characters and no surrounding space.
func checkID(field, s string) error {
	switch {
	case s == "":
		return invalid(field, "must not be empty")
	case len(s) > MaxIDLen:
		return invalid(field, "is %d bytes long; the limit is %d", len(s), MaxIDLen)
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8")
	case strings.TrimSpace(s) != s:
		return invalid(field, "%q has leading or trailing space", short(s))
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return invalid(field, "%q contains a control character", short(s))
	}
	return nil
}

// checkText checks free text: valid UTF-8, no NUL, at most MaxTextLen bytes,
// and not blank when required.
func checkText(field, s string, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return invalid(field, "must not be empty")
	case len(s) > MaxTextLen:
		return invalid(field, "is %d bytes long; the limit is %d", len(s), MaxTextLen)
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return invalid(field, "contains a NUL byte")
	}
	return nil
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
			return invalid(field, "%q may hold only ASCII letters, digits, '.', '_' and '-', starting with a letter or digit", short(s))
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
		return invalid(field, "%q is not a kebab-case name (lower-case letters and digits joined by hyphens)", short(s))
	}
	return nil
}

// checkCountry checks an ISO 3166-1 alpha-2 code known to package citylinks.
func checkCountry(field, s string) error {
	c, err := citylinks.LookupCountry(s)
	if err != nil || c.Alpha2 != s {
		return invalid(field, "%q is not an ISO 3166-1 alpha-2 code such as \"GH\"", short(s))
	}
	return nil
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
