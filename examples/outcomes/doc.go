// Command outcomes records and reports partnership outcomes over a citylinks
// SQLite database: it can seed the database with the starter indicator
// catalogue and the documented partnerships shipped in package dataset
// (each described as handoff.Activity describes a partnership),
// import observations from CSV, list the reports that are due, and render
// the results as CSV, JSON, Markdown, HTML or IATI 2.03 XML.
//
// Usage:
//
//	go run ./examples/outcomes -db out/outcomes.db -init -import examples/outcomes/testdata/observations.csv -format html -out out/outcomes.html
//
// The CSV header row names the columns (see report.ObservationColumns):
// partnership, indicator, kind, period and value are required; id,
// disaggregation, comment, source and reporter are optional. A bad row makes
// it exit with status 1 and a one-line reason naming the line; nothing is
// stored. It runs offline.
//
// -init registers each documented partnership with its status as of -as-of
// (default today): the table gives years only, so a partnership runs from
// 1 January of its start year to 31 December of its end year, or to the end
// of its program, and is closed once that has passed. -due lists reports
// only for partnerships under way, so as of today it lists none.
//
// -lang writes the words of -format html and md, and the csv header, in
// English (the default), French (fr), Spanish (es) or Portuguese (pt).
package main
