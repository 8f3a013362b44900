package errtext_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks/internal/errtext"
)

func TestClip(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"short", "Telavi", "Telavi"},
		{"exactly max", strings.Repeat("a", errtext.Max), strings.Repeat("a", errtext.Max)},
		{"one over", strings.Repeat("a", errtext.Max+1), strings.Repeat("a", errtext.Max) + "…"},
		// 63 ASCII bytes then a 2-byte rune straddling byte 64: the rune goes.
		{"rune at the cut", strings.Repeat("a", errtext.Max-1) + "éz", strings.Repeat("a", errtext.Max-1) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, errtext.Clip(tc.in)) })
	}
}

// TestClipLaws: a clipped value is a prefix of the value (but for the
// ellipsis), at most Max bytes of it, and valid UTF-8 when the value is.
func TestClipLaws(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		got := errtext.Clip(s)
		if len(s) <= errtext.Max {
			if got != s {
				t.Fatalf("Clip(%q) = %q, want it unchanged", s, got)
			}
			return
		}
		kept, ok := strings.CutSuffix(got, "…")
		if !ok || !strings.HasPrefix(s, kept) || len(kept) > errtext.Max {
			t.Fatalf("Clip(%q) = %q", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Clip(%q) = %q, not valid UTF-8", s, got)
		}
	})
}
