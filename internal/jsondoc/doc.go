// Package jsondoc reads JSON documents into a tree that remembers the path of
// every value, so that a definition file with a mistake gets an error naming
// the exact place ("$.focus_areas[2].id: must be a string"). It rejects
// duplicate keys and, through Object.Done, unknown keys.
//
// It is built on encoding/json's streaming Decoder.Token, with limits on
// size (MaxBytes), nesting (MaxDepth) and values (MaxValues), and keeps each
// value's path as one step up to its parent, written out only when asked
// for: memory and time are linear in the size of the document.
package jsondoc
