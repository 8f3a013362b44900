package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
	"github.com/citylinks/citylinks/matching"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
)

// Services are the library services the handler serves. Every field is
// required.
type Services struct {
	// Partnerships runs the partnership lifecycle.
	Partnerships *partnership.Service
	// Reports records observations, moves reports through approval and
	// builds the reports.
	Reports *report.Service
	// Directory stores the cities, organizations and programs.
	Directory citylinks.Store
}

// Options configure the handler. Authenticate is required; every other
// field has a default.
type Options struct {
	// Authenticate tells who sent a request: the host's sign-in (a session
	// cookie, a bearer token, mutual TLS) turned into the actor the
	// library's policies decide on. An error refuses the request with 401
	// (403 when the error wraps citylinks.ErrForbidden); its text is not
	// sent. The handler stores no credentials.
	Authenticate func(*http.Request) (citylinks.Actor, error)
	// Challenge is the WWW-Authenticate header of a 401, which tells the
	// client how to sign in. Defaults to `Bearer realm="citylinks"`.
	Challenge string
	// MaxBodyBytes caps a JSON request body. Defaults to 1 MiB (a
	// hostile 1 MiB string and its JSON framing fit in 2 MiB; raise it for
	// those).
	MaxBodyBytes int64
	// MaxUploadBytes caps a CSV upload of observations. Defaults to 32 MiB.
	MaxUploadBytes int64
	// Timeout bounds each request: its context is canceled after it, and
	// a request still waiting on the store gets 503. Defaults to 30
	// seconds.
	Timeout time.Duration
	// IATI configures the IATI renderer of GET /report?format=iati; its
	// ReportingOrg must be set for that format. Defaults to the zero value.
	IATI render.IATI
	// Matching configures the matcher of POST /matching/rounds. Defaults
	// to nil (the matching package's defaults).
	Matching *matching.Options
	// Logger receives panics and internal errors. Defaults to
	// slog.Default().
	Logger *slog.Logger
}

// Handler serves the JSON API. Make one with New; it is safe for
// concurrent use.
type Handler struct {
	svc    Services
	opts   Options
	mux    *http.ServeMux
	routes []route
	doc    []byte // the OpenAPI document
}

// New returns the handler over svc. It returns an error when a service or
// Options.Authenticate is missing.
func New(svc Services, opts *Options) (*Handler, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Authenticate == nil:
		return nil, errors.New("api: Options.Authenticate is required")
	case svc.Partnerships == nil || svc.Reports == nil || svc.Directory == nil:
		return nil, errors.New("api: Services.Partnerships, Reports and Directory are required")
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.MaxUploadBytes <= 0 {
		o.MaxUploadBytes = 32 << 20
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Challenge == "" {
		o.Challenge = `Bearer realm="citylinks"`
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	h := &Handler{svc: svc, opts: o, mux: http.NewServeMux()}
	if err := h.register(); err != nil {
		return nil, err
	}
	return h, nil
}

// ServeHTTP implements http.Handler. No request panics the server: a panic
// is logged and answered with a 500 problem.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rw := &responseWriter{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.opts.Logger.Error("api: panic serving request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !rw.wrote {
				writeProblem(rw, r, Problem{Type: TypeInternal, Status: http.StatusInternalServerError, Detail: "an internal error occurred; it has been logged"})
			}
		}
	}()
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()
	r = r.WithContext(ctx)
	if _, pattern := h.mux.Handler(r); pattern == "" {
		h.noRoute(rw, r)
		return
	}
	h.mux.ServeHTTP(rw, r)
}

// noRoute answers a request no route serves: 404, or 405 with Allow when
// the path is served for other methods.
func (h *Handler) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := h.mux.Handler(probe); p != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		writeProblem(w, r, Problem{Type: TypeNotFound, Status: http.StatusNotFound, Detail: "no route serves this path"})
		return
	}
	if allow[0] == http.MethodGet {
		allow = append(allow, http.MethodHead)
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeProblem(w, r, Problem{Type: TypeMethodNotAllowed, Status: http.StatusMethodNotAllowed, Detail: "this path is served for " + strings.Join(allow, ", ")})
}

// responseWriter records whether the response has begun, so that the
// panic handler does not write a second status.
type responseWriter struct {
	http.ResponseWriter
	wrote bool
}

// WriteHeader notes that the response has begun.
func (w *responseWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

// Write notes that the response has begun.
func (w *responseWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// request is what an endpoint works with: the request, the actor, and
// the handler's helpers.
type request struct {
	*http.Request
	h     *Handler
	w     http.ResponseWriter
	actor citylinks.Actor
}

// endpoint serves one route. It writes its own success response and
// returns an error for anything else, which serve turns into a problem.
type endpoint func(rq *request) error

// serve authenticates the request and runs e.
func (h *Handler) serve(e endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rq := &request{Request: r, h: h, w: w}
		actor, err := h.opts.Authenticate(r)
		if err != nil {
			if errors.Is(err, citylinks.ErrForbidden) {
				writeProblem(w, r, Problem{Type: TypeForbidden, Status: http.StatusForbidden, Detail: "the request is not allowed"})
				return
			}
			w.Header().Set("WWW-Authenticate", h.opts.Challenge)
			writeProblem(w, r, Problem{Type: TypeUnauthenticated, Status: http.StatusUnauthorized, Detail: "the request is not authenticated"})
			return
		}
		rq.actor = actor
		if err := e(rq); err != nil {
			h.fail(w, r, err)
		}
	}
}

// fail writes the problem for err, logging internal errors.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	p, known := problemFor(err)
	if !known {
		h.opts.Logger.Error("api: internal error", "method", r.Method, "path", r.URL.Path, "error", err.Error())
	}
	writeProblem(w, r, p)
}

// writeJSON writes v as JSON with the status.
func (rq *request) writeJSON(status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	h := rq.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	rq.w.WriteHeader(status)
	_, err = rq.w.Write(append(b, '\n'))
	if err != nil {
		rq.h.opts.Logger.Debug("api: writing response", "error", err.Error())
	}
	return nil
}

// decode reads the JSON body into v: one JSON value, no unknown fields,
// at most Options.MaxBodyBytes. An empty body leaves v as it is, for the
// commands whose every field is optional.
func (rq *request) decode(v any) error {
	if rq.Body == nil || rq.ContentLength == 0 {
		return nil
	}
	if err := rq.contentType("application/json"); err != nil {
		return err
	}
	body := http.MaxBytesReader(rq.w, rq.Body, rq.h.opts.MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return badRequest("the body holds more than one JSON value")
	}
	return nil
}

// jsonError turns a decoding error into a problem: a malformed document is
// a bad request, a value of the wrong type or an invalid date a
// validation problem naming the field.
func jsonError(err error) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		ute *json.UnmarshalTypeError
		ve  *citylinks.ValidationError
	)
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.As(err, &se):
		return badRequest(fmt.Sprintf("the body is not valid JSON (at byte %d)", se.Offset))
	case errors.As(err, &ute):
		return &citylinks.ValidationError{Field: ute.Field, Problem: fmt.Sprintf("is a JSON %s, not a %s", ute.Value, ute.Type)}
	case errors.As(err, &ve):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("the body ends in the middle of a JSON value")
	}
	return badRequest("the body is not the JSON this route reads: " + strings.TrimPrefix(err.Error(), "json: "))
}

// contentType checks the request's media type.
func (rq *request) contentType(want ...string) error {
	ct := rq.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil {
		for _, w := range want {
			if mt == w {
				return nil
			}
		}
	}
	return problemError(TypeUnsupportedMediaType, http.StatusUnsupportedMediaType,
		fmt.Sprintf("the body must be %s, not %q", strings.Join(want, " or "), ct))
}

// page reads the paging parameters limit and cursor.
func (rq *request) page() (limit int, cursor string, err error) {
	q := rq.URL.Query()
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, "", &citylinks.ValidationError{Field: "limit", Problem: fmt.Sprintf("%q is not a whole number", errtext.Clip(s))}
		}
		if n < 1 {
			return 0, "", &citylinks.ValidationError{Field: "limit", Problem: fmt.Sprintf("%d is below 1", n)}
		}
		limit = n
	}
	lim, err := citylinks.PageSize(limit)
	return lim, q.Get("cursor"), err
}

// date reads an optional date query parameter.
func (rq *request) date(name string) (citylinks.Date, error) {
	s := rq.URL.Query().Get(name)
	if s == "" {
		return citylinks.Date{}, nil
	}
	d, err := citylinks.ParseDate(s)
	if err != nil {
		return d, &citylinks.ValidationError{Field: name, Problem: fmt.Sprintf("%q is not a date of the form YYYY-MM-DD", errtext.Clip(s))}
	}
	return d, nil
}

// list reads a repeatable query parameter; commas separate values too.
func (rq *request) list(name string) []string {
	var out []string
	for _, v := range rq.URL.Query()[name] {
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// slicePage returns one page of items, which are in key order, after the
// cursor: the items whose key sorts after it.
func slicePage[T any](items []T, key func(T) string, limit int, cursor string) List[T] {
	start := 0
	if cursor != "" {
		for start < len(items) && key(items[start]) <= cursor {
			start++
		}
	}
	end := min(start+limit, len(items))
	out := List[T]{Items: nonNil(items[start:end])}
	if end < len(items) && end > start {
		out.Next = key(items[end-1])
	}
	return out
}

// offsetPage returns one page of items in a computed order, with the
// position as the cursor.
func offsetPage[T any](items []T, limit int, cursor string) (List[T], error) {
	start := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 {
			return List[T]{}, &citylinks.ValidationError{Field: "cursor", Problem: fmt.Sprintf("%q is not a cursor of this list", errtext.Clip(cursor))}
		}
		start = min(n, len(items))
	}
	end := min(start+limit, len(items))
	out := List[T]{Items: nonNil(items[start:end])}
	if end < len(items) {
		out.Next = strconv.Itoa(end)
	}
	return out, nil
}
