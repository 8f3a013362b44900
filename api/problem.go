package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/matching/assign"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

// The problem types: the stable "type" of every problem document the
// handler writes, one per kind of error. They are URNs, identifiers rather
// than addresses: clients compare them, and never fetch them.
const (
	// TypeBadRequest: the request is malformed (not JSON, an unknown
	// field, a query parameter that does not parse). Status 400.
	TypeBadRequest = "urn:citylinks:problem:bad-request"
	// TypeUnauthenticated: Options.Authenticate refused the request.
	// Status 401.
	TypeUnauthenticated = "urn:citylinks:problem:unauthenticated"
	// TypeForbidden: the library's policy denies the actor the action
	// (citylinks.ErrForbidden). Status 403.
	TypeForbidden = "urn:citylinks:problem:forbidden"
	// TypeNotFound: no such record, or no such route
	// (citylinks.ErrNotFound). Status 404.
	TypeNotFound = "urn:citylinks:problem:not-found"
	// TypeMethodNotAllowed: the route exists for other methods, listed in
	// the Allow header. Status 405.
	TypeMethodNotAllowed = "urn:citylinks:problem:method-not-allowed"
	// TypeNotAcceptable: no report format matches the Accept header.
	// Status 406.
	TypeNotAcceptable = "urn:citylinks:problem:not-acceptable"
	// TypeGuard: the partnership's state does not allow the command
	// (a *partnership.GuardError); Detail says which precondition is
	// missing. Status 409.
	TypeGuard = "urn:citylinks:problem:guard"
	// TypeConflict: the write collides with stored state: a duplicate id,
	// an approval transition not allowed from the current state, an
	// observation id of another partnership (citylinks.ErrConflict).
	// Status 409.
	TypeConflict = "urn:citylinks:problem:conflict"
	// TypeLocked: the write touches a submitted or approved reporting
	// period (a *report.LockedError). Status 409.
	TypeLocked = "urn:citylinks:problem:locked"
	// TypePreconditionFailed: If-Match names a version of the partnership
	// that is no longer current (a *partnership.StaleError). Status 412.
	TypePreconditionFailed = "urn:citylinks:problem:precondition-failed"
	// TypeTooLarge: the request body is over the limit. Status 413.
	TypeTooLarge = "urn:citylinks:problem:too-large"
	// TypeUnsupportedMediaType: the body is not of a type the route reads.
	// Status 415.
	TypeUnsupportedMediaType = "urn:citylinks:problem:unsupported-media-type"
	// TypeValidation: a value is invalid (a *citylinks.ValidationError);
	// the problem's "field" member names it. Status 422.
	TypeValidation = "urn:citylinks:problem:validation"
	// TypeImport: an upload had bad rows and stored nothing (a
	// *citylinks.ImportError); "rows" lists them with their lines.
	// Status 422.
	TypeImport = "urn:citylinks:problem:import"
	// TypePreconditionRequired: a command came without If-Match.
	// Status 428.
	TypePreconditionRequired = "urn:citylinks:problem:precondition-required"
	// TypeInternal: a fault on the server's side; details are logged, not
	// sent. Status 500.
	TypeInternal = "urn:citylinks:problem:internal"
	// TypeUnavailable: the request ran out of time (Options.Timeout), or
	// the client went away. Status 503.
	TypeUnavailable = "urn:citylinks:problem:unavailable"
)

// Problem is an RFC 9457 problem details document, written with the media
// type application/problem+json.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Instance is the request path.
	Instance string `json:"instance,omitempty"`
	// Field names the invalid field of a TypeValidation problem, as a
	// dotted path ("exchange.end", "parties[1].country").
	Field string `json:"field,omitempty"`
	// Rows lists the first bad rows of a TypeImport problem, and More
	// counts the rest.
	Rows []ProblemRow `json:"rows,omitempty"`
	More int          `json:"more,omitempty"`
	// Version is the partnership's current version, for
	// TypePreconditionFailed.
	Version int64 `json:"version,omitempty"`
}

// ProblemRow is one bad row of an upload.
type ProblemRow struct {
	Line   int    `json:"line"`
	Field  string `json:"field,omitempty"`
	Detail string `json:"detail"`
}

// problemFor maps an error from the library to a problem. Unknown errors
// are internal: their text is not sent, because it may hold what the
// client should not see.
func problemFor(err error) (Problem, bool) {
	var (
		ve    *citylinks.ValidationError
		ie    *citylinks.ImportError
		stale *partnership.StaleError
		guard *partnership.GuardError
		mbe   *http.MaxBytesError
		he    *httpError
	)
	switch {
	case errors.As(err, &he):
		return he.p, true
	case errors.As(err, &mbe):
		return Problem{Type: TypeTooLarge, Status: http.StatusRequestEntityTooLarge, Detail: "the request body is over the limit of " + itoa(mbe.Limit) + " bytes"}, true
	case errors.As(err, &stale):
		return Problem{Type: TypePreconditionFailed, Status: http.StatusPreconditionFailed, Detail: err.Error(), Version: stale.Actual}, true
	case errors.As(err, &ie):
		p := Problem{Type: TypeImport, Status: http.StatusUnprocessableEntity, Detail: err.Error(), More: ie.More}
		for _, r := range ie.Rows {
			row := ProblemRow{Line: r.Line, Detail: r.Err.Error()}
			if errors.As(r.Err, &ve) {
				row.Field = ve.Field
			}
			p.Rows = append(p.Rows, row)
		}
		return p, true
	case errors.Is(err, citylinks.ErrForbidden):
		return Problem{Type: TypeForbidden, Status: http.StatusForbidden, Detail: err.Error()}, true
	case errors.As(err, &ve):
		return Problem{Type: TypeValidation, Status: http.StatusUnprocessableEntity, Detail: err.Error(), Field: ve.Field}, true
	case errors.Is(err, citylinks.ErrInvalid), errors.Is(err, assign.ErrInvalidProblem), errors.Is(err, assign.ErrInfeasible):
		return Problem{Type: TypeValidation, Status: http.StatusUnprocessableEntity, Detail: err.Error()}, true
	case errors.As(err, &guard), errors.Is(err, partnership.ErrPrecondition):
		return Problem{Type: TypeGuard, Status: http.StatusConflict, Detail: err.Error()}, true
	case errors.Is(err, partnership.ErrNoResultsChecker):
		return Problem{Type: TypeGuard, Status: http.StatusConflict, Detail: err.Error()}, true
	case errors.Is(err, report.ErrLocked):
		return Problem{Type: TypeLocked, Status: http.StatusConflict, Detail: err.Error()}, true
	case errors.Is(err, citylinks.ErrConflict):
		return Problem{Type: TypeConflict, Status: http.StatusConflict, Detail: err.Error()}, true
	case errors.Is(err, citylinks.ErrNotFound):
		return Problem{Type: TypeNotFound, Status: http.StatusNotFound, Detail: err.Error()}, true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return Problem{Type: TypeUnavailable, Status: http.StatusServiceUnavailable, Detail: "the request ran out of time or was canceled"}, true
	}
	return Problem{Type: TypeInternal, Status: http.StatusInternalServerError, Detail: "an internal error occurred; it has been logged"}, false
}

// httpError is a problem the handler itself decides on (a bad query
// parameter, a missing If-Match).
type httpError struct{ p Problem }

// Error implements error.
func (e *httpError) Error() string { return "api: " + e.p.Detail }

func badRequest(detail string) error {
	return &httpError{Problem{Type: TypeBadRequest, Status: http.StatusBadRequest, Detail: detail}}
}

func problemError(typ string, status int, detail string) error {
	return &httpError{Problem{Type: typ, Status: status, Detail: detail}}
}

// writeProblem writes p as application/problem+json.
func writeProblem(w http.ResponseWriter, r *http.Request, p Problem) {
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if r != nil {
		p.Instance = r.URL.Path
	}
	b, err := json.Marshal(p)
	if err != nil {
		b = []byte(`{"type":"` + TypeInternal + `","title":"Internal Server Error","status":500}`)
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Del("ETag")
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n'))
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
