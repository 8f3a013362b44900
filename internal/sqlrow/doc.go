// Package sqlrow maps citylinks values to and from SQL columns, so that the
// SQL backends store them the same way. Lists and nested values go in text
// columns as JSON; optional values are NULL when unknown; dates are
// YYYY-MM-DD text.
package sqlrow
