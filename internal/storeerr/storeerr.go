package storeerr

import (
	"fmt"

	"github.com/citylinks/citylinks"
)

// notFound is a record that does not exist.
type notFound struct{ kind, id string }

func (e *notFound) Error() string { return fmt.Sprintf("%s %q not found", e.kind, e.id) }
func (e *notFound) Unwrap() error { return citylinks.ErrNotFound }

// NotFound returns the error every backend gives for a missing record of
// the given kind ("city", "partnership", "activity"): it reads
// `city "x" not found` and wraps citylinks.ErrNotFound.
func NotFound(kind, id string) error { return &notFound{kind, id} }

// exists is a record whose id is taken.
type exists struct {
	kind, id string
	cause    error
}

func (e *exists) Error() string { return fmt.Sprintf("%s %q already exists", e.kind, e.id) }
func (e *exists) Unwrap() []error {
	if e.cause == nil {
		return []error{citylinks.ErrConflict}
	}
	return []error{citylinks.ErrConflict, e.cause}
}

// Exists returns the error every backend gives when a record's id is
// already taken: it reads `city "x" already exists` and wraps
// citylinks.ErrConflict and cause (the driver's error, or nil), so that the
// driver's detail stays in the chain without cluttering the message.
func Exists(kind, id string, cause error) error { return &exists{kind, id, cause} }
