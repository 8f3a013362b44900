package citylinks

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/citylinks/citylinks/internal/errtext"
)

// Limits on stored values.
const (
	// MaxIDLen is the longest id, in bytes.
	MaxIDLen = 200
	// MaxTextLen is the longest name or free-text value, in bytes.
	MaxTextLen = 4 << 20
	// MaxPopulation is the largest population a city may have.
	MaxPopulation = 10_000_000_000
	// MaxCapacity is the largest number of concurrent partnerships a city may
	// declare.
	MaxCapacity = 1000
)

var kebabRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a kebab-case identifier such as
// "climate-adaptation": lower-case ASCII letters and digits in groups joined
// by single hyphens. Programs, focus areas, topics and designations use them.
func ValidSlug(s string) bool { return len(s) <= MaxIDLen && kebabRE.MatchString(s) }

// validateSlug checks a kebab-case identifier.
func validateSlug(field, s string) error {
	if s == "" {
		return invalid(field, "must not be empty")
	}
	if !ValidSlug(s) {
		return invalid(field, "%q is not a kebab-case id (lower-case letters and digits joined by hyphens)", errtext.Clip(s))
	}
	return nil
}

// CheckID checks a record id for the named field: 1 to MaxIDLen bytes of
// valid UTF-8 with no control characters or surrounding spaces. It returns
// a *ValidationError, or nil. Every package's ids follow this rule.
func CheckID(field, s string) error {
	switch {
	case s == "":
		return invalid(field, "must not be empty")
	case len(s) > MaxIDLen:
		return invalid(field, "is %d bytes long; the limit is %d", len(s), MaxIDLen)
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8")
	case strings.TrimSpace(s) != s:
		return invalid(field, "%q has leading or trailing space", errtext.Clip(s))
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return invalid(field, "%q contains a control character", errtext.Clip(s))
	}
	return nil
}

// CheckText checks free text for the named field: valid UTF-8, no NUL byte
// (which SQL text types cannot hold), at most max bytes (MaxTextLen when
// max is 0), and, when required, something other than white space. It
// returns a *ValidationError, or nil.
func CheckText(field, s string, required bool, max int) error {
	if max <= 0 {
		max = MaxTextLen
	}
	switch {
	case required && strings.TrimSpace(s) == "":
		return invalid(field, "must not be empty")
	case len(s) > max:
		return invalid(field, "is %d bytes long; the limit is %d", len(s), max)
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8 (byte offset %d)", invalidUTF8At(s))
	case strings.IndexByte(s, 0) >= 0:
		return invalid(field, "contains a NUL byte")
	}
	return nil
}

func invalidUTF8At(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}
