// Package storeerr builds the errors the storage backends share, so that a
// missing or duplicate record reads the same on every backend, names the
// record, and carries no backend name the user never chose:
// [NotFound] gives `city "x" not found` (errors.Is citylinks.ErrNotFound)
// and [Exists] gives `city "x" already exists` (errors.Is
// citylinks.ErrConflict).
package storeerr
