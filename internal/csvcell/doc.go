// Package csvcell writes CSV cells that are safe to open in a spreadsheet.
//
// Every CSV the module writes (observation exports, report tables, the
// matchmaker's assignment) passes its text cells through Neutralise, so
// that a partner name such as =HYPERLINK(...) is shown, never run, and
// passes numbers through Number, so that they stay numbers. A reader of
// those files calls Unmark on a text cell to get the text back.
package csvcell
