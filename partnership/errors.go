package partnership

import (
	"errors"
	"fmt"
	"strings"

	"github.com/citylinks/citylinks"
)

// ErrPrecondition is wrapped by every *GuardError: a command was refused
// because the partnership is not in a state that allows it.
var ErrPrecondition = errors.New("partnership: precondition not met")

// ErrNoResultsChecker is returned by Complete when the Service has no
// ResultsChecker, so it cannot know whether the final results are approved.
var ErrNoResultsChecker = errors.New("partnership: cannot complete: no results checker is configured (set Options.Results)")

// GuardError says which precondition of a command is missing, for example
// "cannot start closing: no exchange is done". It wraps ErrPrecondition.
type GuardError struct {
	Action  Action // the command refused
	State   State  // the partnership's state when it was refused ("" if it does not exist)
	Missing string // the missing precondition, in words
}

// Error implements error.
func (e *GuardError) Error() string {
	return "partnership: cannot " + strings.ReplaceAll(string(e.Action), "-", " ") + ": " + e.Missing
}

// Unwrap returns ErrPrecondition.
func (e *GuardError) Unwrap() error { return ErrPrecondition }

func guard(a Action, s State, format string, args ...any) *GuardError {
	return &GuardError{Action: a, State: s, Missing: fmt.Sprintf(format, args...)}
}

// ForbiddenError is a denial by the Policy. It wraps citylinks.ErrForbidden.
type ForbiddenError struct {
	Actor       string // the actor's id
	Action      Action
	Partnership string
	Reason      string
}

// Error implements error.
func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("partnership: %s may not %s partnership %q: %s", e.Actor, e.Action, e.Partnership, e.Reason)
}

// Unwrap returns citylinks.ErrForbidden.
func (e *ForbiddenError) Unwrap() error { return citylinks.ErrForbidden }

// DecodeError is a problem in an encoded event, at a JSON path such as
// "$.data.parties[1].country". It wraps citylinks.ErrInvalid.
type DecodeError struct {
	Path    string
	Problem string
}

// Error implements error.
func (e *DecodeError) Error() string {
	return "partnership: decode event: " + e.Path + ": " + e.Problem
}

// Unwrap returns citylinks.ErrInvalid.
func (e *DecodeError) Unwrap() error { return citylinks.ErrInvalid }

func decodeErr(path, format string, args ...any) *DecodeError {
	return &DecodeError{Path: path, Problem: fmt.Sprintf(format, args...)}
}

func invalid(field, format string, args ...any) *citylinks.ValidationError {
	return &citylinks.ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// prefix prepends p to the field of a *citylinks.ValidationError.
func prefix(p string, err error) error {
	if err == nil {
		return nil
	}
	var ve *citylinks.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	f := p
	switch {
	case ve.Field == "":
	case strings.HasPrefix(ve.Field, "["):
		f += ve.Field
	default:
		f += "." + ve.Field
	}
	return &citylinks.ValidationError{Field: f, Problem: ve.Problem}
}

// validID checks an id (citylinks.CheckID).
func validID(field, s string) error { return citylinks.CheckID(field, s) }

// validText checks free text (citylinks.CheckText, with the core's limit).
func validText(field, s string, required bool) error {
	return citylinks.CheckText(field, s, required, 0)
}

// validDate checks a date; required dates must be set.
func validDate(field string, d citylinks.Date, required bool) error {
	switch {
	case d.IsZero() && required:
		return invalid(field, "is required")
	case !d.IsZero() && !d.Valid():
		return invalid(field, "%04d-%02d-%02d is not a calendar date", d.Year, int(d.Month), d.Day)
	}
	return nil
}

// validRange checks that start and end, where both are set, are in order.
func validRange(endField string, start, end citylinks.Date) error {
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		return invalid(endField, "%s is before the start %s", end, start)
	}
	return nil
}
