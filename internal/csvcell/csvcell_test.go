package csvcell_test

import (
	"strconv"
	"testing"

	"pgregory.net/rapid"

	"github.com/citylinks/citylinks/internal/csvcell"
)

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+x": "'+x", "-2": "'-2", "@a": "'@a", "\tx": "'\tx", "\rx": "'\rx", "Lima": "Lima", "": "", "'quoted'": "''quoted'", "a=b": "a=b"} {
		if got := csvcell.Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

// Unmark(Neutralise(s)) is s for every s, and no neutralised cell starts
// with a formula character.
func TestNeutraliseRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		cell := csvcell.Neutralise(s)
		if got := csvcell.Unmark(cell); got != s {
			t.Fatalf("Unmark(Neutralise(%q)) = %q", s, got)
		}
		if cell != "" {
			switch cell[0] {
			case '=', '+', '-', '@', '\t', '\r':
				t.Fatalf("Neutralise(%q) = %q starts a formula", s, cell)
			}
		}
	})
}

// Number reads back as the same float64.
func TestNumberRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.Float64().Draw(t, "v")
		got, err := strconv.ParseFloat(csvcell.Number(v), 64)
		if err != nil || got != v {
			t.Fatalf("Number(%v) = %q reads back as %v, %v", v, csvcell.Number(v), got, err)
		}
	})
}
