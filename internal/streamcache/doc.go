// Package streamcache keeps decoded partnership event streams in memory for
// the SQL backends, so that loading a long stream again reads and decodes
// only the events appended since.
//
// It is safe because a stream is append-only and its versions are unique:
// once events 1..n are read from a committed state, they never change, and
// whatever any writer (in any process) adds later has a version above n.
// A backend loads the events after the cached prefix and adds them.
package streamcache
