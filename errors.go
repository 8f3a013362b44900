package citylinks

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors shared by every citylinks package and storage backend.
// Callers test for them with errors.Is.
var (
	// ErrInvalid is wrapped by every validation failure, including
	// *ValidationError and *RowError.
	ErrInvalid = errors.New("citylinks: invalid input")
	// ErrNotFound is returned when a requested record does not exist.
	ErrNotFound = errors.New("citylinks: not found")
	// ErrConflict is returned when a write collides with existing state: a
	// duplicate id, or a stale expected version.
	ErrConflict = errors.New("citylinks: conflict")
	// ErrForbidden is returned when an actor may not perform an action.
	ErrForbidden = errors.New("citylinks: forbidden")
	// ErrOutcomeUnknown is wrapped by the error of a write whose outcome the
	// store could not learn: the database stopped answering while the write
	// was committing, and could not be asked afterwards whether it was
	// stored. It is the one error after which a write may have been stored;
	// read before writing again. Every other error from a write means that
	// nothing of it was stored.
	ErrOutcomeUnknown = errors.New("citylinks: outcome of the write is unknown")
	// ErrNewerSchema is wrapped by the error of a store's Migrate when the
	// database holds a migration that this build of citylinks does not
	// know: a newer version wrote it, and this one refuses to read or write
	// tables whose changes it does not know.
	ErrNewerSchema = errors.New("citylinks: the database was written by a newer version")
)

// ValidationError reports one invalid field. Field is a dotted path from the
// value being validated ("location.latitude", "needs[2].topic"), or a JSON
// path ("$.focus_areas[1]") for documents. It wraps ErrInvalid.
type ValidationError struct {
	Field   string // which field is wrong
	Problem string // what is wrong with it, in words
}

// Error implements error.
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return "citylinks: invalid input: " + e.Problem
	}
	return "citylinks: invalid " + e.Field + ": " + e.Problem
}

// Unwrap returns ErrInvalid so that errors.Is(err, ErrInvalid) holds.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// invalid builds a *ValidationError with a formatted problem.
func invalid(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// prefixField returns err with prefix prepended to the field of a
// *ValidationError, so nested values report full paths.
func prefixField(prefix string, err error) error {
	var ve *ValidationError
	if err == nil || !errors.As(err, &ve) {
		return err
	}
	f := prefix
	if ve.Field != "" {
		if strings.HasPrefix(ve.Field, "[") {
			f += ve.Field
		} else {
			f += "." + ve.Field
		}
	}
	return &ValidationError{Field: f, Problem: ve.Problem}
}

// RowError reports a bad row in a tabular input, with the 1-based line on
// which the row starts (the header is line 1), or 0 when the row came from a
// source without lines. It wraps the reason, which is
// usually a *ValidationError, and so also satisfies errors.Is(err, ErrInvalid).
type RowError struct {
	Line int   // 1-based line number where the row starts
	Err  error // the reason
}

// Error implements error.
func (e *RowError) Error() string {
	if e.Line <= 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the reason.
func (e *RowError) Unwrap() error { return e.Err }

// MaxRowErrors is how many bad rows an import keeps, in an *ImportError or
// in ImportResult.Skipped. Bad rows past it are only counted
// (ImportError.More, ImportResult.MoreSkipped), so a file of millions of bad
// rows costs a hundred errors' worth of memory, not millions.
const MaxRowErrors = 100

// ImportError is returned by an all-or-nothing import that stored nothing
// because at least one row was bad. Rows lists the first bad rows, in input
// order (at most MaxRowErrors from the importers of this module); More
// counts the bad rows after them.
type ImportError struct {
	Rows []*RowError
	More int // bad rows seen after those in Rows, counted but not kept
}

// Error implements error. It names the first few bad rows and says how many
// more there were.
func (e *ImportError) Error() string {
	var b strings.Builder
	total := len(e.Rows) + e.More
	fmt.Fprintf(&b, "citylinks: import stored nothing: %d bad row(s)", total)
	for i, r := range e.Rows {
		if i == 3 {
			break
		}
		b.WriteString("; ")
		b.WriteString(r.Error())
	}
	if shown := min(len(e.Rows), 3); total > shown {
		fmt.Fprintf(&b, "; and %d more", total-shown)
	}
	return b.String()
}

// Unwrap returns the row errors kept, so errors.Is finds ErrInvalid or
// ErrConflict in any of them.
func (e *ImportError) Unwrap() []error {
	errs := make([]error, len(e.Rows))
	for i, r := range e.Rows {
		errs[i] = r
	}
	return errs
}

// RowErrors collects the bad rows of an import: it keeps the first Max and
// counts the rest. The zero value keeps MaxRowErrors.
type RowErrors struct {
	// Max is how many bad rows are kept. Defaults to MaxRowErrors.
	Max int

	rows []*RowError
	more int
}

// Add records a bad row.
func (c *RowErrors) Add(e *RowError) {
	limit := c.Max
	if limit <= 0 {
		limit = MaxRowErrors
	}
	if len(c.rows) < limit {
		c.rows = append(c.rows, e)
	} else {
		c.more++
	}
}

// Len returns how many bad rows were added, kept or not.
func (c *RowErrors) Len() int { return len(c.rows) + c.more }

// Rows returns the bad rows kept, in the order they were added.
func (c *RowErrors) Rows() []*RowError { return c.rows }

// More returns how many bad rows were added after those kept.
func (c *RowErrors) More() int { return c.more }

// Err returns nil if no bad row was added, else an *ImportError with the
// rows kept and the count of the rest.
func (c *RowErrors) Err() error {
	if c.Len() == 0 {
		return nil
	}
	return &ImportError{Rows: c.rows, More: c.more}
}
