// Package render writes a report.Report in the formats a program office
// hands on: CSV, JSON, Markdown, a self-contained HTML page with SVG charts,
// and IATI 2.03 activity XML for the donor.
//
// [CSV], [JSON], [Markdown], [HTML] and [IATI] implement [Renderer]. [For]
// returns the renderer of a format named as a user names it on a command
// line ("csv", "json", "md", "html", "iati"; [Formats] lists them), in a
// [Language].
//
//	r, _ := svc.BuildReport(ctx, viewer, nil) // svc: a *report.Service
//	render.HTML{Lang: render.French}.Render(w, r)
//
// # What every renderer does
//
// A report holding a number that is not finite is refused with a
// *citylinks.ValidationError naming where the number is, and nothing is
// written. Each actual is marked with its approval state
// (report.Report.ActualState): an actual is approved when its period lies
// within an approved period of its partnership. Baselines and targets are
// plan values and are not subject to approval.
//
// # Formats
//
// CSV cells a spreadsheet would run as formulas are neutralised with a
// leading apostrophe, which report.ReadObservationsCSV removes; numbers stay
// numbers. JSON carries [JSONSchemaVersion]. HTML is one file with inline
// SVG and no script: a first screen of the programme at a glance, a world
// map with one line per partnership (from its host to its resource
// locations), and one chart per indicator, titled in words, with axes,
// units, a legend, and a target line only where a target applies
// (report.Track sets each actual against the target it is measured by).
//
// # IATI
//
// [IATI] writes one iati-activity per partnership for the reporting
// organization [IATI].ReportingOrg. It publishes approved actuals only
// ([IATI].IncludeUnapproved publishes the rest, each marked "not
// approved"). Each activity carries its host-city locations, its parent
// award (report.Activity.Parent: hierarchy 2) or none (hierarchy 1), its
// public documents, a public description (report.Activity.Summary, else
// [PublicDescription]; never the internal report.Activity.Description) and
// narratives with xml:lang ([IATI].Lang).
//
// The output validates against the IATI 2.03 activity schema and passes
// [CheckIATI], which checks what the schema leaves out: codes against the
// IATI codelists embedded here ([IATICode]; the codelists' version and
// licence are in codelists/SOURCE.md), and the IATI ruleset's rules on
// dates, percentages and identifiers. A problem is an [IATIProblem] of
// [SeverityError] (the registry refuses the file) or a warning.
//
// # Languages
//
// HTML, Markdown and CSV write their own words (headings, column names,
// legends, statuses) from a label catalogue in English, French, Spanish or
// Portuguese ([Languages], [ParseLanguage]); a word a catalogue lacks is
// written in English, and numbers are grouped the language's way
// ([Language.Number]). The figures, names and notes in a report are the
// caller's and are written as they are.
package render
