package report

import (
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
)

// HTML renders the report as one self-contained HTML page: inline CSS, no
// script, no external asset, and inline SVG charts with explicit sizes:
//
//   - progress to target per indicator (one bar per roll-up row, with the
//     target and the on-track band marked);
//   - actual against target over time (one chart per partnership and
//     numeric indicator);
//   - a breakdown by disaggregation (actual and target per category).
//
// Actuals that are not approved (draft, submitted or returned) are marked:
// drawn in orange with a hollow dot, or as a pale bar with a dashed orange
// outline, named "not approved"
// in their tooltip, and carrying a data-approval attribute with their
// state; the roll-up table shows the not-yet-approved total beside the
// approved actual.
//
// Every user-supplied string is escaped by html/template. A number that is
// not finite is a *citylinks.ValidationError, and nothing is written. The
// zero value is ready to use.
type HTML struct{}

const (
	chartWidth = 640
	barHeight  = 22
	lineHeight = 200
)

type htmlBar struct {
	Label, Short, Status, Value, Unapproved string
	Y, Width                                float64
	Color                                   string
}

type htmlProgress struct {
	Height        int
	Bars          []htmlBar
	TargetX, Band float64
	BandX, BandW  float64
}

type htmlLine struct {
	Title, Unit    string
	Actual, Target []htmlSegment
	Ticks          []htmlLabel
	Max            string
	Unapproved     bool // some actual is not approved
}

// htmlSegment is one period's value drawn across the period's span.
// State is the approval state of an actual ("" for a target).
type htmlSegment struct {
	X1, X2, Y, Mid float64
	Title          string
	State          string
	Approved       bool
}

type htmlDot struct {
	X, Y  float64
	Title string
}

type htmlLabel struct {
	X    float64
	Text string
}

type htmlBreakdown struct {
	Title  string
	Height int
	Bars   []htmlPair
}

type htmlPair struct {
	Label                  string
	Y                      float64
	ActualW, TargetW       float64
	ActualText, TargetText string
	State                  string // of the actual
	Approved               bool
}

type htmlPage struct {
	*Report
	Hours      string // volunteer hours in all contributions
	Width      int
	Band       string
	Note       string // which actuals the roll-up counts
	Progress   htmlProgress
	Lines      []htmlLine
	Breakdowns []htmlBreakdown
	Rows       []htmlRow
}

type htmlRow struct {
	Group                                                  []string
	Code                                                   string
	Indicator, Baseline, Target, Actual, Unapproved, Share string
	Status                                                 string
}

var statusColor = map[ProgressStatus]string{
	StatusOnTrack: "#2e7d32", StatusAhead: "#1565c0", StatusBehind: "#c62828",
}

// Render implements Renderer.
func (HTML) Render(w io.Writer, r *Report) error {
	r, err := prepare(r)
	if err != nil {
		return err
	}
	ru := rollupOf(r)
	page := htmlPage{Report: r, Width: chartWidth, Band: strconv.FormatFloat(ru.Band*100, 'f', -1, 64), Note: approvalNote(ru.Approval)}
	// Progress bars: 0 to 150 % of the way to target across the plot.
	const left, plot = 260.0, chartWidth - 260.0 - 20
	scale := func(p float64) float64 { return math.Max(0, math.Min(p, 1.5)) / 1.5 * plot }
	page.Progress = htmlProgress{TargetX: left + scale(1), BandX: left + scale(1-ru.Band), BandW: scale(1+ru.Band) - scale(1-ru.Band)}
	for _, row := range ru.Rows {
		in, _ := r.Indicator(row.Indicator)
		label := strings.Join(append(append([]string{}, row.Group...), in.Code), " · ")
		b := htmlBar{Label: label, Short: fitLabel(label, 34), Status: string(row.Status), Y: float64(20 + len(page.Progress.Bars)*barHeight), Color: "#9e9e9e", Value: "–"}
		if row.Progress != nil {
			b.Width = scale(*row.Progress)
			b.Value = percent(row.Progress)
			b.Color = statusColor[row.Status]
		}
		if row.Unapproved != nil {
			b.Unapproved = formatNumber(*row.Unapproved)
		}
		page.Progress.Bars = append(page.Progress.Bars, b)
		page.Rows = append(page.Rows, htmlRow{Group: row.Group, Code: row.Indicator, Indicator: row.Indicator + " " + in.Name,
			Baseline: mdNumber(row.Baseline), Target: mdNumber(row.Target), Actual: mdNumber(row.Actual), Unapproved: mdNumber(row.Unapproved),
			Share: percent(row.Progress), Status: string(row.Status)})
	}
	page.Progress.Height = 30 + len(page.Progress.Bars)*barHeight
	hours := 0.0
	for _, c := range ru.Contributions {
		hours += c.Hours
	}
	page.Hours = formatNumber(hours)
	for _, s := range r.Series {
		in, _ := r.Indicator(s.Indicator)
		if in.Measure == MeasureQualitative {
			continue
		}
		a, _ := r.Activity(s.Partnership)
		if l, ok := lineChart(s, in, a.Title); ok {
			page.Lines = append(page.Lines, l)
		}
		if b, ok := breakdownChart(s, in, a.Title); ok {
			page.Breakdowns = append(page.Breakdowns, b)
		}
	}
	return htmlTemplate.Execute(w, page)
}

// lineChart draws a time axis from the first period's start to the last
// period's end; each target and actual is a horizontal segment across its
// own period (so an annual target and quarterly actuals are not confused),
// with a dot in the middle.
func lineChart(s Series, in Indicator, title string) (htmlLine, bool) {
	if len(s.Periods) == 0 {
		return htmlLine{}, false
	}
	maxV := 0.0
	first, last := s.Periods[0].Period.Start, s.Periods[0].Period.End
	for _, p := range s.Periods {
		for _, pt := range []*Point{p.Target, p.Actual} {
			if pt != nil && pt.Value != nil {
				maxV = math.Max(maxV, *pt.Value)
			}
		}
		if p.Period.Start.Before(first) {
			first = p.Period.Start
		}
		if p.Period.End.After(last) {
			last = p.Period.End
		}
	}
	if maxV <= 0 {
		maxV = 1
	}
	const left, top, plotW, plotH = 50.0, 15.0, chartWidth - 80.0, lineHeight - 50.0
	t0, t1 := first.Time(), last.AddDays(1).Time()
	span := t1.Sub(t0).Hours()
	x := func(d citylinks.Date) float64 { return left + d.Time().Sub(t0).Hours()/span*plotW }
	y := func(v float64) float64 { return top + plotH - v/maxV*plotH }
	l := htmlLine{Title: title + " — " + in.Code + " " + in.Name, Unit: in.Unit, Max: formatNumber(maxV)}
	for yr := first.Year; yr <= last.Year+1; yr++ {
		jan1 := citylinks.Date{Year: yr, Month: time.January, Day: 1}
		if !jan1.Before(first) && !jan1.After(last.AddDays(1)) {
			l.Ticks = append(l.Ticks, htmlLabel{X: x(jan1), Text: strconv.Itoa(yr)})
		}
	}
	seg := func(p Period, v float64, what string) htmlSegment {
		x1, x2 := x(p.Start), x(p.End.AddDays(1))
		return htmlSegment{X1: x1, X2: x2, Y: y(v), Mid: (x1 + x2) / 2, Title: what + " " + p.String() + ": " + formatNumber(v)}
	}
	for _, p := range s.Periods {
		if p.Target != nil && p.Target.Value != nil {
			l.Target = append(l.Target, seg(p.Period, *p.Target.Value, "target"))
		}
		if p.Actual != nil && p.Actual.Value != nil {
			sg := seg(p.Period, *p.Actual.Value, "actual")
			sg.State, sg.Approved = string(p.Actual.State), p.Actual.Approved()
			if !sg.Approved {
				sg.Title += " (" + stateText(p.Actual.State) + ")"
				l.Unapproved = true
			}
			l.Actual = append(l.Actual, sg)
		}
	}
	return l, len(l.Actual)+len(l.Target) > 0
}

func breakdownChart(s Series, in Indicator, title string) (htmlBreakdown, bool) {
	// The latest period that has a breakdown.
	var pp *PeriodPoint
	for i := range s.Periods {
		if len(s.Periods[i].Breakdown) > 0 {
			pp = &s.Periods[i]
		}
	}
	if pp == nil {
		return htmlBreakdown{}, false
	}
	maxV := 0.0
	for _, b := range pp.Breakdown {
		for _, v := range []*float64{b.Actual, b.Target} {
			if v != nil {
				maxV = math.Max(maxV, *v)
			}
		}
	}
	if maxV <= 0 {
		maxV = 1
	}
	const left, plot = 200.0, chartWidth - 200.0 - 80
	out := htmlBreakdown{Title: title + " — " + in.Code + " " + in.Name + ", " + pp.Period.String()}
	for i, b := range pp.Breakdown {
		p := htmlPair{Label: b.Disaggregation.String(), Y: float64(20 + i*2*barHeight), ActualText: mdNumber(b.Actual), TargetText: mdNumber(b.Target),
			State: string(b.State), Approved: b.Actual == nil || b.State == StateApproved}
		if b.Actual != nil && !p.Approved {
			p.ActualText += " (" + stateText(b.State) + ")"
		}
		if b.Actual != nil {
			p.ActualW = math.Max(0, *b.Actual) / maxV * plot
		}
		if b.Target != nil {
			p.TargetW = math.Max(0, *b.Target) / maxV * plot
		}
		out.Bars = append(out.Bars, p)
	}
	out.Height = 30 + len(out.Bars)*2*barHeight
	return out, true
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"f":    func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	"add":  func(a, b float64) float64 { return a + b },
	"date": func(r *Report) string { return r.Generated.UTC().Format("2006-01-02 15:04 UTC") },
	"join": func(s []string) string { return strings.Join(s, " · ") },
	"key":  func(parts ...any) string { return metricKey(parts...) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#212121}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.on-track{color:#2e7d32}.ahead{color:#1565c0}.behind{color:#c62828}
svg{display:block;margin:.5rem 0 1.5rem;font-size:11px}
.unapproved{color:#e65100}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>Generated {{date .Report}}. <span data-metric="partnerships">{{len .Activities}}</span> partnership(s), <span data-metric="indicators">{{len .Indicators}}</span> indicator(s). Progress = (actual − baseline) / (target − baseline); on track within ±{{.Band}} %.{{.Note}} Actuals a monitor has not approved (draft, submitted or returned) are marked <span class="unapproved">not approved</span>.</p>

<h2>Progress to target</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Progress.Height}}" viewBox="0 0 {{.Width}} {{.Progress.Height}}" role="img" aria-label="Progress to target per indicator">
<rect x="{{f .Progress.BandX}}" y="10" width="{{f .Progress.BandW}}" height="{{.Progress.Height}}" fill="#e8f5e9"/>
<line x1="{{f .Progress.TargetX}}" y1="10" x2="{{f .Progress.TargetX}}" y2="{{.Progress.Height}}" stroke="#555" stroke-dasharray="4 3"/>
<text x="{{f .Progress.TargetX}}" y="9" text-anchor="middle">target</text>
{{range .Progress.Bars}}<g><title>{{.Label}}: {{.Value}} ({{.Status}}){{with .Unapproved}}; {{.}} not yet approved{{end}}</title>
<text x="255" y="{{f (add .Y 15)}}" text-anchor="end">{{.Short}}</text>
<rect x="260" y="{{f (add .Y 4)}}" width="{{f .Width}}" height="14" fill="{{.Color}}"/>
<text x="{{f (add .Width 264)}}" y="{{f (add .Y 15)}}">{{.Value}}</text></g>
{{end}}</svg>

<table>
<thead><tr>{{range .Rollup.GroupBy}}<th>{{.}}</th>{{end}}<th>indicator</th><th>baseline</th><th>target</th><th>actual</th><th>not yet approved</th><th>progress</th><th>status</th></tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .Group}}<td>{{.}}</td>{{end}}<td>{{.Indicator}}</td><td class="n" data-metric="{{key "baseline" .Group .Code}}">{{.Baseline}}</td><td class="n" data-metric="{{key "target" .Group .Code}}">{{.Target}}</td><td class="n" data-metric="{{key "actual" .Group .Code}}">{{.Actual}}</td><td class="n unapproved" data-metric="{{key "unapproved" .Group .Code}}">{{.Unapproved}}</td><td class="n">{{.Share}}</td><td class="{{.Status}}">{{.Status}}</td></tr>
{{end}}</tbody>
</table>

{{if .Rollup.Contributions}}<h2>Volunteer hours and in-kind contributions</h2>
<p>Volunteer hours in all: <span data-metric="volunteer-hours">{{.Hours}}</span>.</p>
<table>
<thead><tr>{{range .Rollup.ContributionGroupBy}}<th>{{.}}</th>{{end}}<th>hours</th><th>in-kind value</th><th>records</th></tr></thead>
<tbody>
{{range .Rollup.Contributions}}<tr>{{range .Group}}<td>{{.}}</td>{{end}}<td class="n" data-metric="{{key "hours" .Group}}">{{.Hours}}</td><td class="n">{{range $i, $m := .InKind}}{{if $i}}, {{end}}{{$m.String}}{{end}}</td><td class="n">{{.Count}}</td></tr>
{{end}}</tbody>
</table>
{{end}}
{{if .Due}}<h2>Reports due</h2>
<table>
<thead><tr><th>partnership</th><th>period</th><th>due</th><th>state</th><th>status</th><th>days late</th></tr></thead>
<tbody>
{{range .Due}}<tr><td>{{.Title}}</td><td>{{.Period}}</td><td>{{.DueDate}}</td><td>{{.State}}</td><td>{{.Status}}</td><td class="n">{{.DaysLate}}</td></tr>
{{end}}</tbody>
</table>
{{end}}
<h2>Actual against target over time</h2>
{{range .Lines}}<h3>{{.Title}}</h3>
<svg xmlns="http://www.w3.org/2000/svg" width="640" height="200" viewBox="0 0 640 200" role="img" aria-label="{{.Title}}">
<line x1="50" y1="165" x2="610" y2="165" stroke="#999"/>
<line x1="50" y1="15" x2="50" y2="165" stroke="#999"/>
<text x="45" y="19" text-anchor="end">{{.Max}}</text><text x="45" y="165" text-anchor="end">0</text>
{{range .Ticks}}<line x1="{{f .X}}" y1="15" x2="{{f .X}}" y2="169" stroke="#e0e0e0"/><text x="{{f .X}}" y="182" text-anchor="middle">{{.Text}}</text>
{{end}}{{range .Target}}<g><title>{{.Title}}</title><line x1="{{f .X1}}" y1="{{f .Y}}" x2="{{f .X2}}" y2="{{f .Y}}" stroke="#757575" stroke-width="3" stroke-dasharray="6 3"/><circle cx="{{f .Mid}}" cy="{{f .Y}}" r="3" fill="#757575"/></g>
{{end}}{{range .Actual}}{{if .Approved}}<g data-approval="{{.State}}"><title>{{.Title}}</title><line x1="{{f .X1}}" y1="{{f .Y}}" x2="{{f .X2}}" y2="{{f .Y}}" stroke="#1565c0" stroke-width="3"/><circle cx="{{f .Mid}}" cy="{{f .Y}}" r="4" fill="#1565c0"/></g>
{{else}}<g data-approval="{{.State}}"><title>{{.Title}}</title><line x1="{{f .X1}}" y1="{{f .Y}}" x2="{{f .X2}}" y2="{{f .Y}}" stroke="#ef6c00" stroke-width="3" stroke-dasharray="2 2"/><circle cx="{{f .Mid}}" cy="{{f .Y}}" r="4" fill="#fff" stroke="#ef6c00" stroke-width="2"/></g>
{{end}}{{end}}{{if .Unapproved}}<text x="300" y="198" fill="#ef6c00">○ not approved</text>{{end}}<text x="440" y="198" fill="#1565c0">— actual per period</text><text x="560" y="198" fill="#757575">- - target</text>
</svg>
{{end}}
{{if .Breakdowns}}<h2>Breakdown by disaggregation</h2>
{{range .Breakdowns}}<h3>{{.Title}}</h3>
<svg xmlns="http://www.w3.org/2000/svg" width="640" height="{{.Height}}" viewBox="0 0 640 {{.Height}}" role="img" aria-label="{{.Title}}">
{{range .Bars}}<g><text x="195" y="{{f (add .Y 14)}}" text-anchor="end">{{.Label}}</text>
{{if .Approved}}<rect x="200" y="{{f (add .Y 2)}}" width="{{f .ActualW}}" height="16" fill="#1565c0"><title>actual {{.ActualText}}</title></rect>
{{else}}<rect x="200" y="{{f (add .Y 2)}}" width="{{f .ActualW}}" height="16" fill="#ffe0b2" stroke="#ef6c00" stroke-dasharray="3 2" data-approval="{{.State}}"><title>actual {{.ActualText}}</title></rect>
{{end}}
<text x="{{f (add .ActualW 204)}}" y="{{f (add .Y 14)}}">actual {{.ActualText}}</text>
<rect x="200" y="{{f (add .Y 22)}}" width="{{f .TargetW}}" height="12" fill="#bdbdbd"><title>target {{.TargetText}}</title></rect>
<text x="{{f (add .TargetW 204)}}" y="{{f (add .Y 32)}}">target {{.TargetText}}</text></g>
{{end}}</svg>
{{end}}{{end}}
<h2>Partnerships</h2>
<table>
<thead><tr><th>id</th><th>title</th><th>country</th><th>focus area</th><th>status</th><th>start</th><th>end</th></tr></thead>
<tbody>
{{range .Activities}}<tr><td>{{.ID}}</td><td>{{.Title}}</td><td>{{.Country}}</td><td>{{.FocusArea}}</td><td>{{.StateName}}</td><td>{{.Start}}</td><td>{{.End}}</td></tr>
{{end}}</tbody>
</table>
{{if .Approvals}}<h2>Approvals</h2>
<table>
<thead><tr><th>partnership</th><th>period</th><th>state</th><th>by</th><th>comment</th></tr></thead>
<tbody>
{{range .Approvals}}<tr><td>{{.Partnership}}</td><td>{{.Period}}</td><td>{{.State}}</td><td>{{.UpdatedBy}}</td><td>{{.Comment}}</td></tr>
{{end}}</tbody>
</table>
{{end}}</body>
</html>
`))

// metricKey names a number in the HTML report for tests and scrapers, in a
// data-metric attribute: its parts (strings or lists of strings) joined by
// "/", e.g. "actual/CL11-POR-TSV/CL-CLIM-04".
func metricKey(parts ...any) string {
	var out []string
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			out = append(out, v)
		case []string:
			out = append(out, v...)
		}
	}
	return strings.Join(out, "/")
}

// fitLabel shortens a chart label to at most n characters, keeping its end
// (the indicator code and the distinctive end of the group) after an
// ellipsis; the full label stays in the bar's title.
func fitLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-(n-1):])
}
