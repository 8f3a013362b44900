package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
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
type CSV struct{}

// Render implements Renderer. A report holding a number that is not
// finite is a *citylinks.ValidationError, and nothing is written.
func (CSV) Render(w io.Writer, r *Report) error {
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

// csvText prepares a text cell for CSV: its line breaks as LF, which the
// writer turns into CRLF, then neutralised.
func csvText(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return neutralise(s)
}

func rollupOf(r *Report) *Rollup {
	if r.Rollup == nil {
		return &Rollup{}
	}
	return r.Rollup
}

func optNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return formatNumber(*v)
}

// JSONSchemaVersion names the JSON format JSON writes.
const JSONSchemaVersion = "citylinks.report/1"

// JSON renders the whole Report as one JSON object:
//
//	{
//	  "schema": "citylinks.report/1",
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
func (j JSON) Render(w io.Writer, r *Report) error {
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
		*Report
	}{JSONSchemaVersion, r})
}

// Markdown renders the report as GitHub-flavoured Markdown: a roll-up
// table, contributions, due reports and each partnership's results by
// period. Each actual shows its approval state, so figures a monitor has
// not approved (draft, submitted or returned) are marked as such; the
// roll-up shows the not-yet-approved total beside the approved actual.
// User text is escaped so that it cannot break a table or inject HTML. A
// number that is not finite is a *citylinks.ValidationError, and nothing
// is written. The zero value is ready to use.
type Markdown struct{}

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

func mdNumber(v *float64) string {
	if v == nil {
		return "–"
	}
	return formatNumber(*v)
}

func percent(v *float64) string {
	if v == nil {
		return "–"
	}
	return strconv.FormatFloat(*v*100, 'f', 0, 64) + " %"
}

// Render implements Renderer.
func (Markdown) Render(w io.Writer, r *Report) error {
	r, err := prepare(r)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# %s\n\nGenerated %s. %d partnership(s), %d indicator(s).\n\n", mdEscape(r.Title), r.Generated.UTC().Format("2006-01-02 15:04 UTC"), len(r.Activities), len(r.Indicators))
	ru := rollupOf(r)
	p("## Progress to target\n\nProgress = (actual − baseline) / (target − baseline); on track within ±%s %%.", strconv.FormatFloat(ru.Band*100, 'f', -1, 64))
	p("%s\n\n", approvalNote(ru.Approval))
	var head []string
	for _, d := range ru.GroupBy {
		head = append(head, mdEscape(string(d)))
	}
	head = append(head, "indicator", "baseline", "target", "actual", "not yet approved", "progress", "status")
	p("| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
	for _, row := range ru.Rows {
		var cells []string
		for _, g := range row.Group {
			cells = append(cells, mdEscape(g))
		}
		in, _ := r.Indicator(row.Indicator)
		cells = append(cells, mdEscape(row.Indicator+" "+in.Name), mdNumber(row.Baseline), mdNumber(row.Target), mdNumber(row.Actual),
			mdNumber(row.Unapproved), percent(row.Progress), string(row.Status))
		p("| %s |\n", strings.Join(cells, " | "))
	}
	if len(ru.Contributions) > 0 {
		p("\n## Volunteer hours and in-kind contributions\n\n")
		var head []string
		for _, d := range ru.ContributionGroupBy {
			head = append(head, string(d))
		}
		head = append(head, "hours", "in-kind value", "records")
		p("| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
		for _, c := range ru.Contributions {
			var cells []string
			for _, g := range c.Group {
				cells = append(cells, mdEscape(g))
			}
			var money []string
			for _, m := range c.InKind {
				money = append(money, m.String())
			}
			if len(money) == 0 {
				money = []string{"–"}
			}
			cells = append(cells, formatNumber(c.Hours), strings.Join(money, ", "), strconv.Itoa(c.Count))
			p("| %s |\n", strings.Join(cells, " | "))
		}
	}
	if len(r.Due) > 0 {
		p("\n## Reports due\n\n| partnership | period | due | state | status |\n| --- | --- | --- | --- | --- |\n")
		for _, d := range r.Due {
			late := fmt.Sprintf("%d days overdue", d.DaysLate)
			if d.Status == DueSoon {
				late = fmt.Sprintf("due in %d days", -d.DaysLate)
			}
			p("| %s | %s | %s | %s | %s |\n", mdEscape(d.Title), d.Period, d.DueDate, d.State, late)
		}
	}
	for _, a := range r.Activities {
		p("\n## %s\n\n%s · %s · %s · %s\n", mdEscape(a.Title), mdEscape(a.ID), mdEscape(a.Country), mdEscape(a.FocusArea), mdEscape(a.StateName()))
		for _, s := range r.Series {
			if s.Partnership != a.ID {
				continue
			}
			in, _ := r.Indicator(s.Indicator)
			p("\n### %s %s", mdEscape(in.Code), mdEscape(in.Name))
			if in.Unit != "" {
				p(" (%s)", mdEscape(in.Unit))
			}
			p("\n\n| period | target | actual | approval | comment |\n| --- | --- | --- | --- | --- |\n")
			for _, b := range s.Baselines {
				p("| baseline %s | | %s | | %s |\n", b.Period, pointText(&b), mdEscape(b.Comment))
			}
			for _, pp := range s.Periods {
				var comments []string
				for _, pt := range []*Point{pp.Target, pp.Actual} {
					if pt != nil && pt.Comment != "" {
						comments = append(comments, pt.Comment)
					}
				}
				var state ApprovalState
				if pp.Actual != nil {
					state = pp.Actual.State
				}
				p("| %s | %s | %s | %s | %s |\n", pp.Period, pointText(pp.Target), pointText(pp.Actual), stateText(state), mdEscape(strings.Join(comments, " / ")))
				for _, b := range pp.Breakdown {
					p("| %s · %s | %s | %s | %s | |\n", pp.Period, mdEscape(b.Disaggregation.String()), mdNumber(b.Target), mdNumber(b.Actual), stateText(b.State))
				}
			}
		}
	}
	return bw.Flush()
}

// approvalNote says which actuals a roll-up counts, as a sentence after
// the progress formula ("" when it counts every actual).
func approvalNote(f ApprovalFilter) string {
	switch f {
	case Approved:
		return " Actual and progress count approved figures only; \"not yet approved\" totals the actuals still a draft, submitted or returned."
	case Unapproved:
		return " Actual and progress count the figures not yet approved only."
	}
	return ""
}

// stateText shows an actual's approval state: "approved", or the state
// and "not approved" (e.g. "returned, not approved"); "–" for no actual.
func stateText(s ApprovalState) string {
	switch s {
	case "":
		return "–"
	case StateApproved:
		return string(s)
	}
	return string(s) + ", not approved"
}

func pointText(p *Point) string {
	switch {
	case p == nil:
		return "–"
	case p.Value == nil:
		return "(narrative)"
	}
	return formatNumber(*p.Value)
}
