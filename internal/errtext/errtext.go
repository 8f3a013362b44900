package errtext

import "unicode/utf8"

// Max is the most bytes of a value that Clip keeps.
const Max = 64

// Clip returns s if it is at most Max bytes long, and otherwise its first
// Max bytes or fewer, cut before a character rather than through one, and
// "…".
func Clip(s string) string {
	if len(s) <= Max {
		return s
	}
	cut := Max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
