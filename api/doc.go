// Package api is an embeddable HTTP handler that serves the library as a
// JSON API: cities and organizations, partnerships and every lifecycle
// command, exchanges and contributions, indicators and observations (with
// CSV upload), approval, due reports, reports in every renderer's format,
// and matching rounds with their explanations.
//
// # Mounting it
//
// A team mounts the handler in its own server, under any prefix:
//
//	h, err := api.New(api.Services{Partnerships: parts, Reports: rep, Directory: store},
//		&api.Options{Authenticate: signedIn})
//	mux.Handle("/api/", http.StripPrefix("/api", h))
//
// The handler never authenticates anyone itself. Options.Authenticate is
// the host's sign-in (a session, a token): it turns a request into the
// citylinks.Actor the library's policies decide on, and the handler stores
// no credentials. What an actor may read and do is what
// partnership.Policy and report.Authorize say; the handler asks them and
// decides nothing itself: a coordinator sees and acts on its own
// organization's partnerships only.
//
// # Versions: ETag and If-Match
//
// GET /partnerships/{id} returns the partnership's stream version as a
// strong ETag ("7"). Every command on an existing partnership (POST
// /partnerships/{id}/ratify, /exchanges, /terminate, …) must carry that tag
// in If-Match: without it the answer is 428 Precondition Required, and when
// someone else changed the partnership since, 412 Precondition Failed with
// the current version in the problem; the client reads again and decides
// again. If-Match: * accepts any version. The handler gives commands
// through partnership.Service.ExecuteAt, so no check-then-write race exists.
//
// # Errors
//
// Every error is an RFC 9457 problem document (application/problem+json)
// whose "type" is one of the Type constants, stable per kind of error:
// validation (422, with the field), guard (409: the state does not allow
// the command, and the detail says which precondition is missing),
// forbidden (403), not found (404), conflict (409), locked (409: a
// submitted or approved period), precondition failed (412) or required
// (428), too large (413), bad request (400), and a few more. Internal
// errors are logged, and their text is not sent.
//
// # Limits
//
// JSON bodies are capped at Options.MaxBodyBytes and CSV uploads at
// Options.MaxUploadBytes (413 beyond); every list is paged with ?limit=
// (1 to 1000, default 100) and ?cursor= (the "next" of the previous page);
// every request's context ends after Options.Timeout; and a panic in any
// request is recovered, logged and answered with 500, never taking the
// server down.
//
// # The OpenAPI document
//
// GET /openapi.json serves an OpenAPI 3.1 document of every route, with
// JSON Schemas of the bodies built from the Go types the handler encodes.
// The document and the routes come from one table, and a test checks them
// against each other.
package api
