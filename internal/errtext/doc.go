// Package errtext holds what the module's error messages share: [Clip]
// shortens a value a user gave before an error quotes it, so that a
// megabyte of bad input makes a message of one line.
package errtext
