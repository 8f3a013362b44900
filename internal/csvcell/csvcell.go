package csvcell

import (
	"strconv"
	"strings"
)

// formulaStart reports whether a cell starting with c would be run by a
// spreadsheet as a formula (OWASP, "CSV Injection").
func formulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// Neutralise returns s as a text cell no spreadsheet runs as a formula: a
// cell starting with = + - @ tab or CR, or with the apostrophe mark
// itself, gets a leading apostrophe, which spreadsheets show as text and
// Unmark removes again.
func Neutralise(s string) string {
	if s != "" && (formulaStart(s[0]) || s[0] == '\'') {
		return "'" + s
	}
	return s
}

// Unmark undoes Neutralise: it removes one leading apostrophe.
func Unmark(s string) string { return strings.TrimPrefix(s, "'") }

// Number writes v for a numeric column. It is not neutralised: it is
// exactly what strconv.FormatFloat makes of a float64 (digits, at most one
// leading '-', '.', 'e', exponent sign), which every spreadsheet reads as a
// number, never as a formula; so negative values stay numeric and
// sortable.
func Number(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
