// Package hostile holds the hostile strings that the tests of every package
// put through storage, renderers and the examples: quotes and SQL,
// spreadsheet formulas, HTML and script, XML specials and control
// characters, right-to-left and combining Unicode, and a 1 MB string.
//
// Each Value says, for the few field kinds with rules narrower than free
// text, whether it is accepted there, so that a test can assert the exact
// outcome: stored and read back unchanged, or refused with a
// *citylinks.ValidationError naming the field.
package hostile
