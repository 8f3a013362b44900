package render

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/citylinks/citylinks/internal/errtext"
	"github.com/citylinks/citylinks/report"
)

// Renderer writes a Report in one format.
type Renderer interface {
	Render(w io.Writer, r *report.Report) error
}

// RendererFunc adapts a function to Renderer.
type RendererFunc func(w io.Writer, r *report.Report) error

// Render calls f(w, r).
func (f RendererFunc) Render(w io.Writer, r *report.Report) error { return f(w, r) }

// prepare is what every renderer does first: it refuses a nil report and
// one holding a number that is not finite (NaN or ±Inf: no format can show
// it as a figure, and an SVG coordinate or an IATI xs:decimal made of it
// breaks the document), and returns a copy of r whose actuals carry their
// approval state by r.Approvals, so that a report filled by hand is marked
// as one built by Service.BuildReport.
func prepare(r *report.Report) (*report.Report, error) {
	if r == nil {
		return nil, invalid("report", "is nil; build one with Service.BuildReport")
	}
	if err := checkFinite(r); err != nil {
		return nil, err
	}
	out := *r
	out.Series = make([]report.Series, len(r.Series))
	for i, s := range r.Series {
		s.Periods = slices.Clone(s.Periods)
		for j := range s.Periods {
			pp := &s.Periods[j]
			state := r.ActualState(s.Partnership, pp.Period)
			if pp.Actual != nil {
				a := *pp.Actual
				a.State = state
				pp.Actual = &a
			}
			pp.Breakdown = slices.Clone(pp.Breakdown)
			for k := range pp.Breakdown {
				if b := &pp.Breakdown[k]; b.Actual != nil {
					b.State = state
				} else {
					b.State = ""
				}
			}
		}
		out.Series[i] = s
	}
	return &out, nil
}

// checkFinite returns a *citylinks.ValidationError naming the first number
// in r that is NaN or infinite.
func checkFinite(r *report.Report) error {
	bad := func(field string, v float64) error {
		return invalid(field, "is %v, not a finite number: a total overflowed or a value is out of range; correct the figures behind it and build the report again", v)
	}
	opt := func(field string, v *float64) error {
		if v != nil && !finite(*v) {
			return bad(field, *v)
		}
		return nil
	}
	for i, a := range r.Activities {
		for j, s := range a.Sectors {
			if !finite(s.Percentage) {
				return bad(fmt.Sprintf("activities[%d].sectors[%d].percentage", i, j), s.Percentage)
			}
		}
	}
	if ru := r.Rollup; ru != nil {
		if !finite(ru.Band) {
			return bad("rollup.band", ru.Band)
		}
		for i, row := range ru.Rows {
			for _, f := range []struct {
				name string
				v    *float64
			}{{"baseline", row.Baseline}, {"target", row.Target}, {"actual", row.Actual}, {"unapproved", row.Unapproved}, {"cumulative", row.Cumulative}, {"progress", row.Progress}} {
				if err := opt(fmt.Sprintf("rollup.rows[%d].%s", i, f.name), f.v); err != nil {
					return err
				}
			}
		}
		for i, c := range ru.Contributions {
			if !finite(c.Hours) {
				return bad(fmt.Sprintf("rollup.contributions[%d].hours", i), c.Hours)
			}
		}
	}
	for i, s := range r.Series {
		for j, b := range s.Baselines {
			if err := opt(fmt.Sprintf("series[%d].baselines[%d].value", i, j), b.Value); err != nil {
				return err
			}
		}
		for j, pp := range s.Periods {
			at := fmt.Sprintf("series[%d].periods[%d]", i, j)
			for _, pt := range []struct {
				name string
				p    *report.Point
			}{{"target", pp.Target}, {"actual", pp.Actual}} {
				if pt.p != nil {
					if err := opt(at+"."+pt.name+".value", pt.p.Value); err != nil {
						return err
					}
				}
			}
			for k, b := range pp.Breakdown {
				if err := opt(fmt.Sprintf("%s.breakdown[%d].target", at, k), b.Target); err != nil {
					return err
				}
				if err := opt(fmt.Sprintf("%s.breakdown[%d].actual", at, k), b.Actual); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Formats lists the format names For knows.
func Formats() []string { return []string{"csv", "json", "md", "html", "iati"} }

// For returns the renderer for a format name: "csv", "json" (indented),
// "md" (Markdown), "html" or "iati" (which uses iati). An unknown name is a
// *citylinks.ValidationError.
//
// HTML and Markdown write their own words (headings, legends, statuses) in
// lang, English when lang is ""; CSV heads its columns with its words in
// lang unless lang is English or "", which keeps the column identifiers
// programs read. JSON and IATI are the same in every language.
func For(format string, iati IATI, lang Language) (Renderer, error) {
	switch format {
	case "csv":
		if lang == English {
			lang = ""
		}
		return CSV{Lang: lang}, nil
	case "json":
		return JSON{Indent: true}, nil
	case "md", "markdown":
		return Markdown{Lang: lang}, nil
	case "html":
		return HTML{Lang: lang}, nil
	case "iati":
		return iati, nil
	}
	return nil, invalid("format", "%q is not one of %s", errtext.Clip(format), strings.Join(Formats(), ", "))
}
