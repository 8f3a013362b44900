package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/demo"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
)

//go:embed templates/*.html
var templateFS embed.FS

// Limits on what a request may send.
const (
	maxFormBytes   = 1 << 20  // a form: 1 MiB
	maxUploadBytes = 32 << 20 // a CSV upload: 32 MiB
)

// options configure newServer.
type options struct {
	// env holds the services; its Policy is asked which commands an actor
	// may give.
	env   *demo.Env
	users *users
	// api, if set, is mounted under /api/: a JSON API handler (such as the
	// library's api package) that authenticates with the same users.
	api http.Handler
	// today is the app's calendar day: the default date of the forms.
	// Defaults to demo.Today.
	today func() citylinks.Date
	// log records internal errors. Defaults to the standard logger.
	log *log.Logger
}

// server is the staff web app.
type server struct {
	options
	sessions *sessions
	pages    map[string]*template.Template
}

// newServer returns the app's handler.
func newServer(o options) (http.Handler, error) {
	if o.today == nil {
		o.today = demo.Today
	}
	if o.log == nil {
		o.log = log.Default()
	}
	s := &server{options: o, sessions: newSessions(), pages: map[string]*template.Template{}}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.page(s.home, false))
	mux.Handle("GET /signin", s.page(s.signinPage, false))
	mux.Handle("POST /signin", s.page(s.signin, false))
	mux.Handle("POST /signout", s.page(s.signout, false))
	mux.Handle("GET /partnerships", s.page(s.directory, true))
	mux.Handle("GET /partnerships/{id}", s.page(s.partnershipPage, true))
	mux.Handle("POST /partnerships/{id}/commands", s.page(s.command, true))
	mux.Handle("GET /partnerships/{id}/outcomes", s.page(s.outcomesPage, true))
	mux.Handle("POST /partnerships/{id}/observations", s.page(s.recordObservation, true))
	mux.Handle("POST /outcomes/upload", s.page(s.uploadObservations, true))
	mux.Handle("GET /approvals", s.page(s.approvalsPage, true))
	mux.Handle("POST /approvals", s.page(s.approval, true))
	mux.Handle("GET /due", s.page(s.duePage, true))
	mux.Handle("GET /report", s.page(s.reportPage, true))
	mux.Handle("GET /matching", s.page(s.matchingPage, true))
	// No icon: the report page, which package report renders, names none,
	// and a browser asks for one.
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	// The place for a JSON API: mount it with options.api.
	api := o.api
	if api == nil {
		api = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"type":"about:blank","title":"Not Found","status":404,"detail":"no JSON API is mounted in this app"}`)
		})
	}
	mux.Handle("/api/", api)
	// Refuse cross-origin POSTs by the browser's own headers too, beside
	// the CSRF token every form carries.
	return recoverer(o.log, http.NewCrossOriginProtection().Handler(securityHeaders(mux))), nil
}

// parseTemplates parses each page with the layout.
func (s *server) parseTemplates() error {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return err
		}
		s.pages[base] = t
	}
	return nil
}

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"path": url.PathEscape,
	"date": func(d citylinks.Date) string {
		if d.IsZero() {
			return "—"
		}
		return d.String()
	},
	"instant": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"join":   strings.Join,
	"number": func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
	"hours": func(c partnership.Contribution) string {
		return strconv.FormatFloat(c.Hours(), 'f', -1, 64)
	},
	"ptr": func(v *float64) string {
		if v == nil {
			return "—"
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	},
	"has": func(u *user, r string) bool { return u != nil && u.Actor.Has(citylinks.Role(r)) },
}

// recoverer answers 500 to a request whose handler panicked, and logs it:
// no request brings the server down.
func recoverer(l *log.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				l.Printf("office: panic serving %s %s: %v", r.Method, r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every page gets: no script at all, no
// framing, no sniffing.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		}
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// handler is a page or form handler: it writes the response, or returns
// an error that the app renders as a page with the status errStatus gives.
type handler func(w http.ResponseWriter, r *http.Request, sess *session) error

// page wraps h with the session, the CSRF check on every POST, and, when
// signedIn is set, sign-in.
func (s *server) page(h handler, signedIn bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := s.sessions.get(r)
		if r.Method == http.MethodPost {
			if err := parsePost(w, r); err != nil {
				s.fail(w, r, sess, err)
				return
			}
			if sess == nil || !equalTokens(r.PostFormValue("csrf"), sess.csrf) {
				s.fail(w, r, sess, errCSRF)
				return
			}
		}
		if sess == nil {
			sess = s.sessions.start(w, r, nil)
		}
		if signedIn && sess.user == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, sess, errSignedOut)
			return
		}
		if err := h(w, r, sess); err != nil {
			s.fail(w, r, sess, err)
		}
	})
}

// parsePost reads a POST's form, within the size limits.
func parsePost(w http.ResponseWriter, r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return tooLarge(err, maxUploadBytes)
		}
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return tooLarge(err, maxFormBytes)
	}
	return nil
}

func tooLarge(err error, limit int) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the form is larger than %d MiB", limit>>20)}
	}
	return &httpError{http.StatusBadRequest, "the form could not be read: " + err.Error()}
}

// httpError is an error with its own status and message.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

var (
	errCSRF      = &httpError{http.StatusForbidden, "the form is missing its security token or the token is stale: reload the page and send the form again"}
	errSignedOut = &httpError{http.StatusForbidden, "you are signed out: sign in and send the form again"}
)

// errStatus maps the library's errors to HTTP statuses.
func errStatus(err error) int {
	var he *httpError
	var ve *citylinks.ValidationError
	switch {
	case errors.As(err, &he):
		return he.status
	case errors.Is(err, citylinks.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, citylinks.ErrNotFound):
		return http.StatusNotFound
	case errors.As(err, &ve), errors.Is(err, citylinks.ErrInvalid):
		return http.StatusUnprocessableEntity
	case errors.Is(err, partnership.ErrPrecondition), errors.Is(err, report.ErrLocked), errors.Is(err, citylinks.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail renders err as a page with its status. An internal error is logged
// and not shown.
func (s *server) fail(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	status := errStatus(err)
	msg := err.Error()
	if status == http.StatusInternalServerError {
		s.log.Printf("office: %s %s: %v", r.Method, r.URL.Path, err)
		msg = "internal error: the server's log says more"
	}
	var u *user
	csrf := ""
	if sess != nil {
		u, csrf = sess.user, sess.csrf
	}
	back := r.Referer()
	if ref, perr := url.Parse(back); perr != nil || ref.Host != r.Host {
		back = "/"
	}
	s.render(w, status, "error", view{Title: http.StatusText(status), User: u, CSRF: csrf, Error: msg,
		Data: map[string]any{"Status": status, "Back": back}})
}

// view is what every page's template gets.
type view struct {
	Title string
	User  *user
	CSRF  string
	Flash string
	Error string
	Today citylinks.Date
	Data  any
}

// show renders a page for the session's user.
func (s *server) show(w http.ResponseWriter, sess *session, name, title string, data any) error {
	s.render(w, http.StatusOK, name, view{Title: title, User: sess.user, CSRF: sess.csrf,
		Flash: s.sessions.takeFlash(sess), Today: s.today(), Data: data})
	return nil
}

func (s *server) render(w http.ResponseWriter, status int, name string, v view) {
	t, ok := s.pages[name]
	if !ok {
		http.Error(w, "no page "+name, http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout", v); err != nil {
		s.log.Printf("office: render %s: %v", name, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprint(w, b.String())
}

// done keeps msg for the next page and sends the browser there (303, so
// that reloading does not send the form again).
func (s *server) done(w http.ResponseWriter, r *http.Request, sess *session, to, msg string) error {
	s.sessions.setFlash(sess, msg)
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// actor is the signed-in user's actor.
func actor(sess *session) citylinks.Actor { return sess.user.Actor }

func (s *server) home(w http.ResponseWriter, r *http.Request, sess *session) error {
	if sess.user == nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/partnerships", http.StatusSeeOther)
	return nil
}

func (s *server) signinPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	return s.show(w, sess, "signin", "Sign in", map[string]any{"Next": safeNext(r.URL.Query().Get("next")), "ID": ""})
}

func (s *server) signin(w http.ResponseWriter, r *http.Request, sess *session) error {
	id, next := r.PostFormValue("id"), safeNext(r.PostFormValue("next"))
	u, err := s.users.check(id, r.PostFormValue("password"))
	if err != nil {
		s.render(w, http.StatusUnauthorized, "signin", view{Title: "Sign in", CSRF: sess.csrf, Today: s.today(),
			Error: fmt.Sprintf("%v (you typed the user %q)", err, id), Data: map[string]any{"Next": next, "ID": id}})
		return nil
	}
	s.sessions.end(w, r, sess)
	ns := s.sessions.start(w, r, u)
	return s.done(w, r, ns, next, "Signed in as "+u.Name+".")
}

func (s *server) signout(w http.ResponseWriter, r *http.Request, sess *session) error {
	s.sessions.end(w, r, sess)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// safeNext keeps a sign-in's return address on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/partnerships"
	}
	return next
}
