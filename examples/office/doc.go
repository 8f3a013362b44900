// Command office is a staff web app for a CityLinks-style program, on the
// embedded SQLite default: the facilitator's staff, each city's
// coordinator, the donor's monitor and the donor use it in a browser,
// without writing Go. Pages are rendered on the server with html/template;
// there is no script.
//
//	go run ./examples/office [-db out/office.db] [-addr 127.0.0.1:8080] [-users FILE] [-as-of 2016-04-30]
//
// On an empty database it first seeds the quickstart's demonstration
// program (package internal/demo: the shipped cities, the documented
// CityLinks 2011–2016 partnerships, the demonstration matching round, its
// partnerships advanced and their outcomes approved), then prints the URL.
//
// # Pages
//
//   - /partnerships: the directory, with filters (state, focus area,
//     program, host country, organization) and an inline SVG map of the
//     pairs, host city to resource city, in an equirectangular projection;
//   - /partnerships/{id}: parties, work plan, exchanges, contributions, the
//     history with the state after each event, the state as of a date, and
//     a form for each command the partnership policy lets the signed-in
//     actor give;
//   - /partnerships/{id}/outcomes: outcome entry, CSV upload, and each
//     reporting period with its approval and a submit button;
//   - /approvals: the monitor's queue of submitted reports, to approve or
//     return with a comment;
//   - /due: due and overdue reports;
//   - /report: the donor report, rendered by package report (HTML, or
//     ?format=csv, json or md);
//   - /matching: the demonstration round matched again, as of a date, with
//     the reasons for every unmatched city.
//
// /api/ serves the library's JSON API (package api) over the same services;
// the same users sign in to it with HTTP Basic authentication, and
// /api/openapi.json describes it.
//
// # Who sees what
//
// Every read and command goes through the library's services, whose
// policies decide: a coordinator sees and acts on its own organization's
// partnerships only, a monitor approves but does not record, and so on.
// The commands a page offers are those partnership's policy allows the
// actor; whether the partnership's state allows one is the command's guard,
// whose answer the app shows.
//
// # Sign-in
//
// Users come from a file (-users; by default the demonstration users in
// users.txt, whose passwords the README lists): one a line,
// id:organization:roles:bcrypt-hash:name. office -hash-password makes a
// hash. Sessions live in memory, in an HttpOnly, SameSite=Lax cookie, with
// a new id at sign-in; every form carries the session's CSRF token, and a
// POST without it is refused (cross-origin POSTs are refused by the
// browser's Sec-Fetch-Site and Origin headers too).
package main
