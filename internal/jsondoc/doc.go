// Package jsondoc reads JSON documents into a tree that remembers the path of
// every value, so that a definition file with a mistake gets an error naming
// the exact place ("$.focus_areas[2].id: must be a string"). It rejects
// duplicate keys and, through Object.Done, unknown keys.
package jsondoc
