package render

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks/internal/csvcell"
	"github.com/citylinks/citylinks/report"
)

// CSV renders the roll-up as one RFC 4180 table (CRLF line ends), with a
// header row: one column per grouping dimension, then indicator,
// indicator_name, unit, baseline, target, actual, progress, status,
// observations, unapproved, unapproved_observations. In a report built by
// Service.BuildReport, actual and progress count approved actuals only, and
// unapproved is the total of the actuals not approved yet (Row.Unapproved).
// Text cells are neutralised (a cell starting with = + - @ tab or CR gets
// a leading apostrophe, which ReadObservationsCSV removes), and a line
// break inside one, whether CR, LF or CRLF, is written as CRLF (a lone CR
// would otherwise be lost: RFC 4180 files end lines with CRLF, and CSV
// readers take a CRLF inside a quoted cell as one line break); numeric
// cells are plain numbers, negative ones included, and empty when there is
// no value. The zero value is ready to use.
type CSV struct {
	// Lang, if set, heads the columns with that language's words
	// ("Indicateur", "Cible") for people to read, instead of the column
	// identifiers above, which programs read and which stay the default.
	Lang Language
}

// Render implements Renderer. A report holding a number that is not
// finite is a *citylinks.ValidationError, and nothing is written.
func (c CSV) Render(w io.Writer, r *report.Report) error {
	r, err := prepare(r)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	var header []string
	ru := rollupOf(r)
	for _, d := range ru.GroupBy {
		header = append(header, string(d))
	}
	header = append(header, "indicator", "indicator_name", "unit", "baseline", "target", "actual", "progress", "status", "observations",
		"unapproved", "unapproved_observations")
	if c.Lang != "" {
		for i, h := range header {
			if i < len(ru.GroupBy) {
				header[i] = csvText(c.Lang.dimLabel(h))
			} else {
				header[i] = csvText(c.Lang.Label(csvHeads[h]))
			}
		}
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range ru.Rows {
		var rec []string
		for _, g := range row.Group {
			rec = append(rec, csvText(g))
		}
		in, _ := r.Indicator(row.Indicator)
		rec = append(rec, csvText(row.Indicator), csvText(in.Name), csvText(in.Unit),
			optNumber(row.Baseline), optNumber(row.Target), optNumber(row.Actual), optNumber(row.Progress),
			string(row.Status), strconv.FormatInt(row.Observations, 10),
			optNumber(row.Unapproved), strconv.FormatInt(row.UnapprovedObservations, 10))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvHeads are the label keys of the CSV columns, for CSV.Lang.
var csvHeads = map[string]string{
	"indicator": "col.indicator-code", "indicator_name": "col.indicator", "unit": "col.unit", "baseline": "col.baseline",
	"target": "col.target", "actual": "col.actual", "progress": "col.progress", "status": "col.status",
	"observations": "col.observations", "unapproved": "col.unapproved", "unapproved_observations": "col.unapproved-observations",
}

// csvText prepares a text cell for CSV: its line breaks as LF, which the
// writer turns into CRLF, then neutralised.
func csvText(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return csvcell.Neutralise(s)
}

func rollupOf(r *report.Report) *report.Rollup {
	if r.Rollup == nil {
		return &report.Rollup{}
	}
	return r.Rollup
}

func optNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return csvcell.Number(*v)
}

// JSONSchemaVersion names the JSON format JSON writes. Version 2 names an
// objective's fields code and text (version 1: id and title) and a
// participating organization's part in the partnership party_role
// (version 1: party), as package partnership names them.
const JSONSchemaVersion = "citylinks.report/2"

// JSON renders the whole Report as one JSON object:
//
//	{
//	  "schema": "citylinks.report/2",
//	  "title": string, "generated": RFC 3339 UTC time,
//	  "activities": [Activity],    // fields as in the Go type's json tags;
//	                               // dates are "YYYY-MM-DD"
//	  "indicators": [Indicator],
//	  "rollup": {"group_by": [dim], "band": number,
//	             "rows": [{"group": [string], "indicator": code,
//	                       "baseline"|"target"|"actual"|"progress": number|null,
//	                       "observations": int, "status": ProgressStatus,
//	                       "unapproved": number|null, "unapproved_observations": int}],
//	             "contribution_group_by": [dim],
//	             "contributions": [{"group": [string], "hours": number,
//	                                "in_kind": [{"amount": minor units, "currency": ISO 4217}],
//	                                "count": int}]},
//	  "series": [{"partnership", "indicator",
//	              "baselines": [Point], "periods": [{"period": key,
//	              "target": Point|null, "actual": Point|null,
//	              "breakdown": [{"disaggregation": {dim: category},
//	                             "target": number|null, "actual": number|null,
//	                             "state": ApprovalState of the actual}]}]}],
//	  "approvals": [Approval], "due": [DueReport]
//	}
//
// A Point is {"period": key, "value": number|null, "comment": string,
// "state": ApprovalState}; "state" is present on actuals only ("approved",
// "draft", "submitted" or "returned", by the report's approvals: see
// Report.ActualState), so a reader keeps the approved figures with a filter on
// it. Baselines and targets are plan values and carry no state. Periods
// are keys ("2024", "2024-Q1", "2024-03", "2024-01-01/2024-06-30"). The zero
// value writes compact JSON; Indent pretty-prints.
//
// A number that is not finite, which JSON cannot carry, is a
// *citylinks.ValidationError naming where it is, and nothing is written.
type JSON struct {
	Indent bool
}

// Render implements Renderer.
func (j JSON) Render(w io.Writer, r *report.Report) error {
	r, err := prepare(r)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	if j.Indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(struct {
		Schema string `json:"schema"`
		*report.Report
	}{JSONSchemaVersion, r})
}

// Markdown renders the report as GitHub-flavoured Markdown: a roll-up
// table, contributions, due reports and each partnership's results by
// period. Each actual shows its approval state, so figures a monitor has
// not approved (draft, submitted or returned) are marked as such; the
// roll-up shows the not-yet-approved total beside the approved actual.
// Breakdowns are written in words ("Female, aged 15-34"). User text is
// escaped so that it cannot break a table or inject HTML. A number that is
// not finite is a *citylinks.ValidationError, and nothing is written. The
// zero value writes English.
type Markdown struct {
	// Lang is the language of headings, column names and statuses.
	// Defaults to English; a language with no catalogue is written in
	// English.
	Lang Language
}

// mdEscape escapes text for a Markdown table cell.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '#', '|', '!', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Render implements Renderer.
func (m Markdown) Render(w io.Writer, r *report.Report) error {
	r, err := prepare(r)
	if err != nil {
		return err
	}
	l := m.Lang
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	row := func(cells ...string) { p("| %s |\n", strings.Join(cells, " | ")) }
	head := func(cells ...string) { row(cells...); p("|%s\n", strings.Repeat(" --- |", len(cells))) }
	num := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return l.Number(*v)
	}
	p("# %s\n\n%s %s, %s.\n\n", mdEscape(r.Title), l.labelf("generated", r.Generated.UTC().Format("2006-01-02 15:04 UTC")),
		l.count(len(r.Activities), "glance.partnerships"), l.count(len(r.Indicators), "glance.indicators"))
	ru := rollupOf(r)
	p("## %s\n\n%s", l.Label("progress"), l.labelf("progress.formula", l.Number(ru.Band*100)))
	if ru.Approval == report.Approved {
		p(" %s", l.Label("progress.approved-only"))
	}
	p("\n\n")
	var cols []string
	for _, d := range ru.GroupBy {
		cols = append(cols, mdEscape(l.dimLabel(string(d))))
	}
	head(append(cols, l.Label("col.indicator"), l.Label("col.baseline"), l.Label("col.target"), l.Label("col.actual"),
		l.Label("col.unapproved"), l.Label("col.progress"), l.Label("col.status"))...)
	for _, rw := range ru.Rows {
		var cells []string
		for _, g := range rw.Group {
			cells = append(cells, mdEscape(g))
		}
		in, _ := r.Indicator(rw.Indicator)
		cells = append(cells, mdEscape(rw.Indicator+" "+in.Name), num(rw.Baseline), num(rw.Target), num(rw.Actual),
			num(rw.Unapproved), progressText(rw.Progress, l), l.statusLabel(rw.Status))
		row(cells...)
	}
	if len(ru.Contributions) > 0 {
		p("\n## %s\n\n", l.Label("contributions"))
		var cols []string
		for _, d := range ru.ContributionGroupBy {
			cols = append(cols, mdEscape(l.dimLabel(string(d))))
		}
		head(append(cols, l.Label("col.hours"), l.Label("col.inkind"), l.Label("col.records"))...)
		for _, c := range ru.Contributions {
			var cells []string
			for _, g := range c.Group {
				cells = append(cells, mdEscape(g))
			}
			var money []string
			for _, m := range c.InKind {
				money = append(money, l.Money(m))
			}
			if len(money) == 0 {
				money = []string{"–"}
			}
			cells = append(cells, l.Number(c.Hours), strings.Join(money, ", "), strconv.Itoa(c.Count))
			row(cells...)
		}
	}
	if len(r.Due) > 0 {
		p("\n## %s\n\n", l.Label("due"))
		head(l.Label("col.partnership"), l.Label("col.period"), l.Label("col.due"), l.Label("col.state"), l.Label("col.status"))
		for _, d := range r.Due {
			late := l.labelf("due.overdue", strconv.Itoa(d.DaysLate))
			if d.Status == report.DueSoon {
				late = l.labelf("due.soon", strconv.Itoa(-d.DaysLate))
			}
			row(mdEscape(d.Title), d.Period.String(), d.DueDate.String(), l.approvalLabel(d.State), late)
		}
	}
	for _, a := range r.Activities {
		p("\n## %s\n\n%s · %s · %s · %s\n", mdEscape(a.Title), mdEscape(a.ID), mdEscape(countryName(a.Country)), mdEscape(l.focusLabel(a.FocusArea)), l.standing(a))
		if pt := partiesText(a); pt != "–" {
			p("\n%s\n", mdEscape(pt))
		}
		for _, s := range r.Series {
			if s.Partnership != a.ID {
				continue
			}
			in, _ := r.Indicator(s.Indicator)
			p("\n### %s %s", mdEscape(in.Code), mdEscape(in.Name))
			if in.Unit != "" {
				p(" (%s)", mdEscape(in.Unit))
			}
			p("\n\n")
			head(l.Label("col.period"), l.Label("col.target"), l.Label("col.actual"), l.Label("col.state"), l.Label("col.comment"))
			point := func(pt *report.Point) string {
				switch {
				case pt == nil:
					return "–"
				case pt.Value == nil:
					return l.Label("narrative")
				}
				return l.Number(*pt.Value)
			}
			for _, b := range s.Baselines {
				row(l.Label("legend.baseline")+" "+b.Period.String(), "", point(&b), "", mdEscape(b.Comment))
			}
			for _, pp := range s.Periods {
				var comments []string
				for _, pt := range []*report.Point{pp.Target, pp.Actual} {
					if pt != nil && pt.Comment != "" {
						comments = append(comments, pt.Comment)
					}
				}
				var state report.ApprovalState
				if pp.Actual != nil {
					state = pp.Actual.State
				}
				row(pp.Period.String(), point(pp.Target), point(pp.Actual), l.approvalLabel(state), mdEscape(strings.Join(comments, " / ")))
				for _, b := range pp.Breakdown {
					row(pp.Period.String()+" · "+mdEscape(l.categories(b.Disaggregation, in.Dimensions)), num(b.Target), num(b.Actual), l.approvalLabel(b.State), "")
				}
			}
		}
	}
	return bw.Flush()
}
