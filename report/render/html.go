package render

import (
	"bytes"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
)

// HTML renders the report as one self-contained page, for a programme
// officer to read on screen, print (A4 or Letter) or send to a donor: inline
// CSS, no script, no external asset, inline SVG charts with explicit sizes.
// Its sections, in order:
//
//   - At a glance: partnerships by state, every indicator's
//     partnership–indicator pairs by progress status, volunteer hours and
//     in-kind value, and the reports overdue.
//   - A world map (Natural Earth boundaries, shipped with the module) with
//     one numbered line per partnership from its host city to its resource
//     partner (Activity.Locations, by LocationRole), and the list of those
//     lines.
//   - Progress to target: one bar per roll-up row, grouped under the
//     partnership's title and labelled with the indicator's name, on a
//     0–150 % axis with the target and the on-track band marked; then the
//     roll-up table.
//   - The results frameworks (Report.Frameworks): their levels by tier,
//     with the report's indicators placed at them.
//   - Volunteer hours and in-kind contributions, and the reports due.
//   - Results by partnership: its parties, status, dates and objectives,
//     then per numeric indicator a chart of actuals against target over time
//     and, where there are any, a chart of the latest breakdown.
//   - The partnerships and the approvals, as tables.
//
// Charts are titled in words (the partnership's title, the indicator's name
// and unit), have axes with a scale and the unit, and a legend. A target
// line is drawn only where a target exists, across its own period, and
// compared like with like: against a target of a cumulative frequency (see
// TargetFrequency.Cumulative) a summed indicator's actuals are drawn as a
// running total from the first period; against any other target, as a
// running total within the target's period (an annual target against the
// year's quarters so far), never one quarter against a whole year. An
// indicator measured as a level (a mean or latest aggregation, or a
// percentage) is drawn as it is. Breakdowns are labelled in words
// ("Female, aged 15-34").
//
// Actuals that are not approved (draft, submitted or returned) are marked
// on every chart (hollow, orange, dashed, "not approved" in their label and
// a data-approval attribute with their state), and the roll-up shows the
// not-yet-approved total beside the approved actual.
//
// Lang chooses the language of the page's own words (see Language);
// figures, names and notes are written as they are. Every string is escaped
// by html/template. A number that is not finite is a
// *citylinks.ValidationError, and nothing is written. The zero value writes
// English.
type HTML struct {
	// Lang is the language of headings, legends and statuses. Defaults to
	// English; a language with no catalogue is written in English.
	Lang Language
}

// Chart geometry, in SVG user units (CSS pixels at 100 %).
const (
	chartWidth = 640
	mapWidth   = 800
)

// shape is one SVG element of a chart, drawn by the "shapes" template.
type shape struct {
	Kind               string // rect, line, text, path, circle
	X, Y, W, H, X2, Y2 float64
	D                  string // a path's d
	Text               string
	Class              string
	Anchor             string // text-anchor of a text
	Rotate             bool   // a text turned to read upwards (a y-axis title)
	Title              string // tooltip
	Approval           string // data-approval: the state of an actual
	Partnership        string // data-partnership: the map line's partnership
	Unit               bool   // the text names the axis unit (class axis-unit)
}

// legendItem is one entry of a chart's legend: a swatch class and words.
type legendItem struct{ Class, Text string }

// htmlChart is one figure: a title in words, an SVG and a legend.
type htmlChart struct {
	Kind          string // progress, time, breakdown, map
	Title         string
	Width, Height float64
	Shapes        []shape
	Legend        []legendItem
	Unapproved    bool // some figure is not approved
}

type glanceCount struct {
	Label, Class string
	N            int
	Share        float64 // of the whole, 0 to 100
}

type glanceIndicator struct {
	Name     string
	Segments []glanceCount
}

type htmlGlance struct {
	Partnerships int
	States       []glanceCount
	Indicators   []glanceIndicator
	Statuses     []legendItem
	Hours        string
	InKind       []string
	Overdue      int
	Soon         int
	OverdueList  []string
	More         string
}

type htmlMapEntry struct {
	N                     int
	Title, Host, Resource string
}

type htmlCell struct {
	Text, Class, Metric string
}

type htmlLevel struct {
	Tier, Title string
	Indicators  []string
	Children    []htmlLevel
}

type htmlFramework struct {
	Title, Template string
	Levels          []htmlLevel
}

type htmlSection struct {
	Title, Parties, Meta string
	Objectives           []string
	Charts               []htmlChart
}

type htmlPage struct {
	Lang, Title, Generated string
	Indicators             int
	// PartnershipsWord and IndicatorsWord follow the counts in the
	// generated line, singular or plural as the language has it.
	PartnershipsWord, IndicatorsWord string
	T                                map[string]string
	Glance                           htmlGlance
	Map                              *htmlChart
	MapList                          []htmlMapEntry
	MapMissing                       string
	Progress                         *htmlChart
	Frameworks                       []htmlFramework
	Formula, Note                    string
	RollupHead                       []string
	Rows                             [][]htmlCell
	ContribHead                      []string
	Contributions                    [][]htmlCell
	Hours                            string
	Due                              [][]htmlCell
	Sections                         []htmlSection
	Partnerships                     [][]htmlCell
	Approvals                        [][]htmlCell
}

// Render implements Renderer.
func (h HTML) Render(w io.Writer, r *report.Report) error {
	r, err := prepare(r)
	if err != nil {
		return err
	}
	l := h.Lang
	if !l.Valid() {
		l = English
	}
	page := buildPage(r, l)
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, page); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func buildPage(r *report.Report, l Language) *htmlPage {
	ru := rollupOf(r)
	p := &htmlPage{Lang: l.code(), Title: r.Title, Generated: l.labelf("generated", r.Generated.UTC().Format("2006-01-02 15:04 UTC")),
		T: map[string]string{}, Indicators: len(r.Indicators),
		PartnershipsWord: l.word(len(r.Activities), "glance.partnerships"), IndicatorsWord: l.word(len(r.Indicators), "glance.indicators")}
	for k := range labels[English] {
		p.T[k] = l.Label(k)
	}
	p.Formula = l.labelf("progress.formula", l.Number(ru.Band*100))
	if ru.Approval == report.Approved {
		p.Note = l.Label("progress.approved-only")
	}
	p.Glance = glanceOf(r, ru, l)
	p.Map, p.MapList, p.MapMissing = mapOf(r, l)
	p.Progress = progressChart(r, ru, l)
	p.Frameworks = frameworksOf(r, ru, l)
	p.RollupHead, p.Rows = rollupTable(r, ru, l)
	p.ContribHead, p.Contributions = contributionTable(r, ru, l)
	p.Hours = l.labelf("contributions.total", p.Glance.Hours)
	for _, d := range r.Due {
		status := l.labelf("due.overdue", strconv.Itoa(d.DaysLate))
		if d.Status == report.DueSoon {
			status = l.labelf("due.soon", strconv.Itoa(-d.DaysLate))
		}
		p.Due = append(p.Due, []htmlCell{{Text: d.Title}, {Text: d.Period.String(), Class: "date"}, {Text: d.DueDate.String(), Class: "date"},
			{Text: l.approvalLabel(d.State)}, {Text: status, Class: string(d.Status)}})
	}
	for _, a := range r.Activities {
		p.Sections = append(p.Sections, sectionOf(r, a, l))
		p.Partnerships = append(p.Partnerships, []htmlCell{{Text: a.Title}, {Text: partiesText(a)}, {Text: countryName(a.Country)},
			{Text: l.focusLabel(a.FocusArea)}, {Text: l.standing(a)}, {Text: dateText(a.Start()), Class: "date"}, {Text: dateText(a.End()), Class: "date"},
			{Text: a.ID, Class: "ref"}})
	}
	for _, ap := range r.Approvals {
		title := ap.Partnership
		if a, ok := r.Activity(ap.Partnership); ok {
			title = a.Title
		}
		p.Approvals = append(p.Approvals, []htmlCell{{Text: title}, {Text: ap.Period.String(), Class: "date"}, {Text: l.approvalLabel(ap.State), Class: "state-" + string(ap.State)},
			{Text: ap.UpdatedBy}, {Text: ap.Comment}})
	}
	return p
}

// frameworksOf lays out the report's results frameworks as trees of
// levels, each with its tier and the report's indicators placed at it
// (their type, and their partnerships by progress status); levels with
// no indicator of the report below them are left out.
func frameworksOf(r *report.Report, ru *report.Rollup, l Language) []htmlFramework {
	var out []htmlFramework
	for _, f := range r.Frameworks {
		var build func(parent string, depth int) []htmlLevel
		build = func(parent string, depth int) []htmlLevel {
			if depth > len(f.Levels) {
				return nil // not a tree: Framework.Validate refuses it
			}
			var lv []htmlLevel
			for _, lev := range f.Children(parent) {
				h := htmlLevel{Title: lev.Title, Children: build(lev.ID, depth+1)}
				h.Tier, _ = f.Tier(lev.ID)
				for _, code := range f.IndicatorsAt(lev.ID) {
					in, ok := r.Indicator(code)
					if !ok {
						continue
					}
					text := indicatorText(in) + " — " + l.Label("type."+string(in.ResultType()))
					counts := map[report.ProgressStatus]int{}
					for _, row := range ru.Rows {
						if row.Indicator == code {
							counts[row.Status]++
						}
					}
					var parts []string
					for _, st := range []report.ProgressStatus{report.ProgressAhead, report.ProgressOnTrack, report.ProgressBehind, report.ProgressNoActual, report.ProgressNoTarget, report.ProgressCheckTarget, report.ProgressQualitative} {
						if n := counts[st]; n > 0 {
							parts = append(parts, l.statusLabel(st)+" "+strconv.Itoa(n))
						}
					}
					if len(parts) > 0 {
						text += ": " + strings.Join(parts, ", ")
					}
					h.Indicators = append(h.Indicators, text)
				}
				if len(h.Indicators)+len(h.Children) > 0 {
					lv = append(lv, h)
				}
			}
			return lv
		}
		if levels := build("", 0); len(levels) > 0 {
			out = append(out, htmlFramework{Title: f.Title, Template: f.Template.Name, Levels: levels})
		}
	}
	return out
}

func dateText(d citylinks.Date) string {
	if d.IsZero() {
		return "–"
	}
	return d.String()
}

// countryName is a country's English name from the shipped table, or the
// code when the table lacks it.
func countryName(code string) string {
	if c, err := citylinks.LookupCountry(code); err == nil && c.Name != "" {
		return c.Name
	}
	return code
}

// hostAndResources returns an activity's host parties and its resource
// (and third-country) parties.
func hostAndResources(a report.Activity) (hosts, resources []report.ParticipatingOrg) {
	for _, p := range a.Participants {
		switch p.PartyRole {
		case "host":
			hosts = append(hosts, p)
		case "resource", "third-country":
			resources = append(resources, p)
		}
	}
	return hosts, resources
}

// partiesText is "Host ↔ Resource" of an activity, or "–".
func partiesText(a report.Activity) string {
	hosts, res := hostAndResources(a)
	if len(hosts)+len(res) == 0 {
		return "–"
	}
	names := func(ps []report.ParticipatingOrg) string {
		if len(ps) == 0 {
			return "–"
		}
		return participantNames(ps)
	}
	return names(hosts) + " ↔ " + names(res)
}

// groupText writes a roll-up group in words: a partnership's title, a
// country's name, a focus area's name; other values as they are.
func groupText(r *report.Report, dims []report.Dim, group []string, l Language) string {
	var parts []string
	for i, g := range group {
		if i >= len(dims) {
			parts = append(parts, g)
			continue
		}
		switch dims[i] {
		case report.DimPartnership:
			if a, ok := r.Activity(g); ok {
				g = a.Title
			}
		case report.DimCountry:
			g = countryName(g)
		case report.DimFocusArea:
			g = l.focusLabel(g)
		}
		parts = append(parts, g)
	}
	return strings.Join(parts, " · ")
}

// whole reports whether in counts whole things (people, plans), so that
// its axis ticks are whole numbers.
func whole(in report.Indicator) bool { return in.Measure == report.MeasureUnit && !in.Fractional }

// indicatorText is an indicator's name with its unit: "Municipal staff
// trained (people)".
func indicatorText(in report.Indicator) string {
	name := in.Name
	if name == "" {
		name = in.Code
	}
	if in.Unit != "" && in.Unit != "%" {
		return name + " (" + in.Unit + ")"
	}
	if in.Unit == "%" || in.Measure == report.MeasurePercentage {
		return name + " (%)"
	}
	return name
}

// unitText is the unit an axis is measured in.
func unitText(in report.Indicator, l Language) string {
	switch {
	case in.Unit != "":
		return in.Unit
	case in.Measure == report.MeasurePercentage:
		return "%"
	}
	return l.Label("chart.value")
}

func glanceOf(r *report.Report, ru *report.Rollup, l Language) htmlGlance {
	g := htmlGlance{Partnerships: len(r.Activities)}
	counts := map[report.ActivityStatus]int{}
	for _, a := range r.Activities {
		counts[a.Status]++
	}
	for _, s := range report.ActivityStatuses() {
		if n := counts[s]; n > 0 {
			g.States = append(g.States, glanceCount{Label: l.activityLabel(s), Class: "act-" + string(s), N: n, Share: share(n, len(r.Activities))})
		}
	}
	order := []report.ProgressStatus{report.ProgressAhead, report.ProgressOnTrack, report.ProgressBehind, report.ProgressNoActual, report.ProgressNoTarget, report.ProgressCheckTarget}
	seen := map[report.ProgressStatus]bool{}
	for _, in := range r.Indicators {
		byStatus := map[report.ProgressStatus]int{}
		total := 0
		for _, row := range ru.Rows {
			if row.Indicator == in.Code && row.Status != report.ProgressQualitative {
				byStatus[row.Status]++
				total++
			}
		}
		if total == 0 {
			continue
		}
		gi := glanceIndicator{Name: indicatorText(in)}
		for _, s := range order {
			if n := byStatus[s]; n > 0 {
				gi.Segments = append(gi.Segments, glanceCount{Label: l.statusLabel(s), Class: string(s), N: n, Share: share(n, total)})
				seen[s] = true
			}
		}
		g.Indicators = append(g.Indicators, gi)
	}
	for _, s := range order {
		if seen[s] {
			g.Statuses = append(g.Statuses, legendItem{Class: string(s), Text: l.statusLabel(s)})
		}
	}
	hours := 0.0
	money := map[string]int64{}
	for _, c := range ru.Contributions {
		hours += c.Hours
		for _, m := range c.InKind {
			money[m.Currency] += m.Amount
		}
	}
	g.Hours = l.Number(hours)
	for _, cur := range sortedKeys(money) {
		g.InKind = append(g.InKind, l.Money(citylinks.Money{Amount: money[cur], Currency: cur}))
	}
	// Overdue reports by partnership, with the oldest's lateness.
	type late struct {
		title    string
		n, worst int
	}
	var lates []*late
	byID := map[string]*late{}
	for _, d := range r.Due {
		switch d.Status {
		case report.DueOverdue:
			g.Overdue++
			lt := byID[d.Partnership]
			if lt == nil {
				lt = &late{title: d.Title}
				byID[d.Partnership] = lt
				lates = append(lates, lt)
			}
			lt.n++
			lt.worst = max(lt.worst, d.DaysLate)
		case report.DueSoon:
			g.Soon++
		}
	}
	slices.SortStableFunc(lates, func(a, b *late) int { return b.worst - a.worst })
	for i, lt := range lates {
		if i == 4 {
			g.More = l.labelf("glance.more", strconv.Itoa(len(lates)-i))
			break
		}
		g.OverdueList = append(g.OverdueList, l.labelf("glance.late", lt.title, strconv.Itoa(lt.n), strconv.Itoa(lt.worst)))
	}
	return g
}

func share(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(total)*1000) / 10
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// wrap breaks s into lines of at most n characters at spaces; a word
// longer than n is broken. Nothing is cut off.
func wrap(s string, n int) []string {
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(s) {
		w := []rune(word)
		for len(w) > n {
			if len(cur) > 0 {
				lines = append(lines, string(cur))
				cur = nil
			}
			lines = append(lines, string(w[:n]))
			w = w[n:]
		}
		switch {
		case len(cur) == 0:
			cur = w
		case len(cur)+1+len(w) <= n:
			cur = append(append(cur, ' '), w...)
		default:
			lines = append(lines, string(cur))
			cur = w
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// niceScale returns an axis top at or above maxV and a tick step: 1, 2,
// 2.5 or 5 times a power of ten, about four ticks.
func niceScale(maxV float64) (top, step float64) {
	if !(maxV > 0) {
		return 1, 0.25
	}
	raw := maxV / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	return math.Ceil(maxV/step-1e-9) * step, step
}

var statusClass = map[report.ProgressStatus]string{report.ProgressOnTrack: "on-track", report.ProgressAhead: "ahead", report.ProgressBehind: "behind"}

func progressChart(r *report.Report, ru *report.Rollup, l Language) *htmlChart {
	if len(ru.Rows) == 0 {
		return nil
	}
	const left, plotL, plotR, lineH = 8.0, 330.0, 600.0, 13.0
	scale := func(p float64) float64 { return plotL + math.Max(0, math.Min(p, 1.5))/1.5*(plotR-plotL) }
	c := &htmlChart{Kind: "progress", Title: l.Label("progress.title"), Width: chartWidth}
	var body []shape
	y := 8.0
	last := ""
	for _, row := range ru.Rows {
		if g := groupText(r, ru.GroupBy, row.Group, l); g != last {
			last = g
			y += 6
			for _, ln := range wrap(g, 95) {
				y += lineH + 1
				body = append(body, shape{Kind: "text", X: left, Y: y, Text: ln, Class: "group"})
			}
			y += 4
		}
		in, _ := r.Indicator(row.Indicator)
		lines := wrap(indicatorText(in), 52)
		top := y
		for i, ln := range lines {
			body = append(body, shape{Kind: "text", X: left + 10, Y: top + lineH*float64(i+1), Text: ln})
		}
		h := math.Max(float64(len(lines))*lineH+6, 22)
		barY := top + 4
		tip := groupText(r, ru.GroupBy, row.Group, l) + " — " + indicatorText(in) + ": "
		switch {
		case row.Progress != nil:
			wd := scale(*row.Progress) - plotL
			body = append(body, shape{Kind: "rect", X: plotL, Y: barY, W: wd, H: 12, Class: "bar " + statusClass[row.Status],
				Title: tip + progressText(row.Progress, l) + " (" + l.statusLabel(row.Status) + ")"})
			body = append(body, shape{Kind: "text", X: plotL + wd + 4, Y: barY + 10, Text: l.Number(math.Round(*row.Progress*100)) + " %", Class: "value"})
		default:
			body = append(body, shape{Kind: "text", X: plotL + 4, Y: barY + 10, Text: l.statusLabel(row.Status), Class: "muted",
				Title: tip + l.statusLabel(row.Status)})
		}
		if row.Unapproved != nil {
			c.Unapproved = true
			h = math.Max(h, 34)
			body = append(body, shape{Kind: "text", X: plotL + 4, Y: barY + 24, Text: l.labelf("progress.pending", l.Number(*row.Unapproved)+" "+unitText(in, l)),
				Class: "pending", Approval: "unapproved"})
		}
		y += h
	}
	bottom := y + 6
	// Band, target line and axis behind the bars.
	var axis []shape
	band := math.Max(0, ru.Band)
	axis = append(axis, shape{Kind: "rect", X: scale(1 - band), Y: 4, W: scale(1+band) - scale(1-band), H: bottom - 4, Class: "band"})
	for _, t := range []float64{0, 0.5, 1, 1.5} {
		x := scale(t)
		cls := "grid"
		if t == 1 {
			cls = "target"
		}
		axis = append(axis, shape{Kind: "line", X: x, Y: 4, X2: x, Y2: bottom, Class: cls},
			shape{Kind: "text", X: x, Y: bottom + 14, Text: l.Number(t*100) + " %", Anchor: "middle", Class: "tick"})
	}
	axis = append(axis, shape{Kind: "line", X: plotL, Y: bottom, X2: plotR, Y2: bottom, Class: "axis"},
		shape{Kind: "text", X: (plotL + plotR) / 2, Y: bottom + 30, Text: l.Label("progress.axis"), Anchor: "middle", Class: "axis-title", Unit: true})
	c.Shapes = append(axis, body...)
	c.Height = math.Ceil(bottom + 38)
	c.Legend = []legendItem{{"target", l.Label("progress.target")}, {"band", l.Label("progress.band")}}
	for _, s := range []report.ProgressStatus{report.ProgressAhead, report.ProgressOnTrack, report.ProgressBehind} {
		c.Legend = append(c.Legend, legendItem{statusClass[s], l.statusLabel(s)})
	}
	if c.Unapproved {
		c.Legend = append(c.Legend, legendItem{"unapproved", l.Label("legend.unapproved")})
	}
	return c
}

func rollupTable(r *report.Report, ru *report.Rollup, l Language) ([]string, [][]htmlCell) {
	var head []string
	for _, d := range ru.GroupBy {
		head = append(head, l.dimLabel(string(d)))
	}
	head = append(head, l.Label("col.indicator"), l.Label("col.baseline"), l.Label("col.target"), l.Label("col.actual"),
		l.Label("col.unapproved"), l.Label("col.progress"), l.Label("col.status"))
	num := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return l.Number(*v)
	}
	var rows [][]htmlCell
	for _, row := range ru.Rows {
		in, _ := r.Indicator(row.Indicator)
		var cells []htmlCell
		for i, g := range row.Group {
			cells = append(cells, htmlCell{Text: groupText(r, ru.GroupBy[i:i+1], []string{g}, l)})
		}
		cells = append(cells, htmlCell{Text: indicatorText(in)},
			htmlCell{Text: num(row.Baseline), Class: "n", Metric: metricKey("baseline", row.Group, row.Indicator)},
			htmlCell{Text: num(row.Target), Class: "n", Metric: metricKey("target", row.Group, row.Indicator)},
			htmlCell{Text: num(row.Actual), Class: "n", Metric: metricKey("actual", row.Group, row.Indicator)},
			htmlCell{Text: num(row.Unapproved), Class: "n unapproved", Metric: metricKey("unapproved", row.Group, row.Indicator)},
			htmlCell{Text: progressText(row.Progress, l), Class: "n"},
			htmlCell{Text: l.statusLabel(row.Status), Class: string(row.Status)})
		rows = append(rows, cells)
	}
	return head, rows
}

func progressText(p *float64, l Language) string {
	if p == nil {
		return "–"
	}
	return l.Number(math.Round(*p*100)) + " %"
}

func contributionTable(r *report.Report, ru *report.Rollup, l Language) ([]string, [][]htmlCell) {
	var head []string
	for _, d := range ru.ContributionGroupBy {
		head = append(head, l.dimLabel(string(d)))
	}
	head = append(head, l.Label("col.hours"), l.Label("col.inkind"), l.Label("col.records"))
	var rows [][]htmlCell
	for _, c := range ru.Contributions {
		var cells []htmlCell
		for i, g := range c.Group {
			cells = append(cells, htmlCell{Text: groupText(r, ru.ContributionGroupBy[i:i+1], []string{g}, l)})
		}
		var money []string
		for _, m := range c.InKind {
			money = append(money, l.Money(m))
		}
		if len(money) == 0 {
			money = []string{"–"}
		}
		cells = append(cells, htmlCell{Text: l.Number(c.Hours), Class: "n", Metric: metricKey("hours", c.Group)},
			htmlCell{Text: strings.Join(money, ", "), Class: "n"}, htmlCell{Text: strconv.Itoa(c.Count), Class: "n"})
		rows = append(rows, cells)
	}
	return head, rows
}

func sectionOf(r *report.Report, a report.Activity, l Language) htmlSection {
	s := htmlSection{Title: a.Title, Parties: partiesText(a)}
	meta := []string{countryName(a.Country), l.focusLabel(a.FocusArea), l.standing(a)}
	if st, en := a.Start(), a.End(); !st.IsZero() {
		meta = append(meta, st.String()+" – "+dateText(en))
	}
	s.Meta = strings.Join(meta, " · ")
	for _, o := range a.Objectives {
		var names []string
		for _, code := range o.Indicators {
			if in, ok := r.Indicator(code); ok {
				names = append(names, in.Name)
			}
		}
		text := o.Text
		if len(names) > 0 {
			text += " — " + strings.Join(names, "; ")
		}
		s.Objectives = append(s.Objectives, text)
	}
	for _, sr := range r.Series {
		if sr.Partnership != a.ID {
			continue
		}
		in, ok := r.Indicator(sr.Indicator)
		if !ok || in.Measure == report.MeasureQualitative {
			continue
		}
		if c, ok := timeChart(r, sr, in, a.Title, l); ok {
			s.Charts = append(s.Charts, c)
		}
		if c, ok := breakdownChart(sr, in, a.Title, l); ok {
			s.Charts = append(s.Charts, c)
		}
	}
	return s
}

// plotted is one actual as a chart draws it: its own value, or a running
// total ending with it.
type plotted struct {
	Period   report.Period
	Value    float64
	Running  bool
	From     citylinks.Date // where the running total started
	State    report.ApprovalState
	Approved bool // it and every actual in its running total are approved
}

// plotActuals turns a series' actuals into what its per-period chart
// draws, like with like (see Track): for a summed indicator, a running
// total within the point of tr that holds the actual and is longer than
// it (an annual target's quarters so far); each actual as it is when the
// indicator is a level or no longer point holds it.
func plotActuals(s report.Series, in report.Indicator, tr report.Track) []plotted {
	summed := in.Aggregation == report.Sum && in.Measure == report.MeasureUnit
	var out []plotted
	runs := map[string]*plotted{} // running totals by the point's period
	for _, pp := range s.Periods {
		a := pp.Actual
		if a == nil || a.Value == nil {
			continue
		}
		pt := plotted{Period: pp.Period, Value: *a.Value, State: a.State, Approved: a.Approved()}
		if summed {
			var best *report.Period
			for i := range tr.Points {
				p := tr.Points[i].Period
				if p != pp.Period && p.Contains(pp.Period) && (best == nil || length(p) < length(*best)) {
					best = &tr.Points[i].Period
				}
			}
			if best != nil {
				run := runs[best.String()]
				if run == nil {
					run = &plotted{From: best.Start, Approved: true}
					runs[best.String()] = run
				}
				run.Value += pt.Value
				run.Approved = run.Approved && pt.Approved
				pt.Value, pt.Running, pt.From, pt.Approved = run.Value, true, run.From, run.Approved
			}
		}
		out = append(out, pt)
	}
	return out
}

// timeChart draws one partnership's indicator over time: targets as
// dashed lines across their own periods, actuals (see plotActuals) as dots
// at their period's end (running totals, joined from zero at the start of
// the total) or middle (own values), and a level indicator's baseline.
func timeChart(r *report.Report, s report.Series, in report.Indicator, title string, l Language) (htmlChart, bool) {
	tr, _ := r.Track(s.Partnership, s.Indicator, "")
	type target struct {
		p report.Period
		v float64
	}
	var targets []target
	for _, pt := range tr.Points {
		if pt.Target != nil {
			targets = append(targets, target{pt.Period, *pt.Target})
		}
	}
	var acts []plotted
	if tr.View == report.ViewCumulative {
		// The track's running state at each point's end, against the
		// target due by then.
		var from citylinks.Date
		for _, pt := range tr.Points {
			if from.IsZero() || pt.Period.Start.Before(from) {
				from = pt.Period.Start
			}
		}
		for _, pt := range tr.Points {
			if pt.Actual == nil {
				continue
			}
			a := plotted{Period: pt.Period, Value: *pt.Actual, Running: in.Aggregation == report.Sum, From: from, Approved: pt.Pending == 0, State: report.StateApproved}
			if pt.Pending > 0 {
				// The state of the point's own period, when that is what
				// is pending; "" when the total holds earlier figures
				// that are.
				if a.State = r.ActualState(s.Partnership, pt.Period); a.State == report.StateApproved {
					a.State = ""
				}
			}
			acts = append(acts, a)
		}
	} else {
		acts = plotActuals(s, in, tr)
	}
	if len(acts)+len(targets) == 0 {
		return htmlChart{}, false
	}
	level := !(in.Aggregation == report.Sum && in.Measure == report.MeasureUnit)
	var baseline *report.Point
	if level && len(s.Baselines) > 0 && s.Baselines[len(s.Baselines)-1].Value != nil {
		baseline = &s.Baselines[len(s.Baselines)-1]
	}
	first, last := citylinks.Date{}, citylinks.Date{}
	maxV, minV := 0.0, 0.0
	see := func(p report.Period, v float64) {
		if first.IsZero() || p.Start.Before(first) {
			first = p.Start
		}
		if last.IsZero() || p.End.After(last) {
			last = p.End
		}
		maxV, minV = math.Max(maxV, v), math.Min(minV, v)
	}
	for _, a := range acts {
		see(a.Period, a.Value)
		if a.Running && !a.From.IsZero() && a.From.Before(first) {
			first = a.From
		}
	}
	for _, t := range targets {
		see(t.p, t.v)
	}
	if baseline != nil {
		maxV, minV = math.Max(maxV, *baseline.Value), math.Min(minV, *baseline.Value)
	}
	// Start and end on whole years, so the year ticks frame the data.
	first = citylinks.Date{Year: first.Year, Month: time.January, Day: 1}
	end := citylinks.Date{Year: last.Year + 1, Month: time.January, Day: 1}
	top, step := niceScale(maxV)
	if whole(in) && step < 1 {
		top, step = math.Max(1, math.Ceil(top)), 1
	}
	bottomV := 0.0
	if minV < 0 {
		b, _ := niceScale(-minV)
		bottomV = -b
	}
	const left, right, plotTop, plotBottom = 64.0, 620.0, 24.0, 196.0
	t0, t1 := first.Time(), end.Time()
	span := t1.Sub(t0).Hours()
	x := func(d citylinks.Date) float64 { return left + d.Time().Sub(t0).Hours()/span*(right-left) }
	y := func(v float64) float64 { return plotBottom - (v-bottomV)/(top-bottomV)*(plotBottom-plotTop) }
	unit := unitText(in, l)
	c := htmlChart{Kind: "time", Width: chartWidth, Height: 250, Title: l.labelf("results.over-time", title, indicatorText(in))}
	var sh []shape
	// Axes and ticks.
	for v := bottomV; v <= top+step/2; v += step {
		sh = append(sh, shape{Kind: "line", X: left, Y: y(v), X2: right, Y2: y(v), Class: "grid"},
			shape{Kind: "text", X: left - 6, Y: y(v) + 4, Text: l.Number(v), Anchor: "end", Class: "tick"})
	}
	sh = append(sh, shape{Kind: "line", X: left, Y: plotTop, X2: left, Y2: plotBottom, Class: "axis"},
		shape{Kind: "line", X: left, Y: y(0), X2: right, Y2: y(0), Class: "axis"},
		shape{Kind: "text", X: 16, Y: (plotTop + plotBottom) / 2, Text: unit, Anchor: "middle", Class: "axis-title", Rotate: true, Unit: true})
	years := end.Year - first.Year
	for yr := first.Year; yr <= end.Year; yr++ {
		d := citylinks.Date{Year: yr, Month: time.January, Day: 1}
		sh = append(sh, shape{Kind: "line", X: x(d), Y: plotTop, X2: x(d), Y2: plotBottom + 5, Class: "grid"})
		if yr < end.Year {
			next := citylinks.Date{Year: yr + 1, Month: time.January, Day: 1}
			sh = append(sh, shape{Kind: "text", X: (x(d) + x(next)) / 2, Y: plotBottom + 18, Text: strconv.Itoa(yr), Anchor: "middle", Class: "tick"})
			if years <= 4 {
				for q := 1; q < 4; q++ {
					qd := citylinks.Date{Year: yr, Month: time.Month(3*q + 1), Day: 1}
					sh = append(sh, shape{Kind: "line", X: x(qd), Y: plotBottom, X2: x(qd), Y2: plotBottom + 3, Class: "axis"})
				}
			}
		}
	}
	sh = append(sh, shape{Kind: "text", X: (left + right) / 2, Y: plotBottom + 36, Text: l.Label("chart.period"), Anchor: "middle", Class: "axis-title"})
	if baseline != nil {
		v := *baseline.Value
		sh = append(sh, shape{Kind: "line", X: left, Y: y(v), X2: right, Y2: y(v), Class: "baseline",
			Title: l.Label("legend.baseline") + " " + baseline.Period.String() + ": " + l.Number(v)})
		c.Legend = append(c.Legend, legendItem{"baseline", l.Label("legend.baseline") + " " + baseline.Period.String() + ": " + l.Number(v)})
	}
	for i, t := range targets {
		x1, x2 := x(t.p.Start), x(t.p.End.AddDays(1))
		sh = append(sh, shape{Kind: "line", X: x1, Y: y(t.v), X2: x2, Y2: y(t.v), Class: "target-line",
			Title: l.labelf("chart.target-of", t.p.String(), l.Number(t.v))})
		// One label for a run of equal targets (a life-of-project target
		// at every point), at the run's right end.
		if i == len(targets)-1 || targets[i+1].v != t.v {
			right := x2
			for j := i - 1; j >= 0 && targets[j].v == t.v; j-- {
				right = math.Max(right, x(targets[j].p.End.AddDays(1)))
			}
			sh = append(sh, shape{Kind: "text", X: right - 2, Y: y(t.v) - 4, Text: l.Number(t.v), Anchor: "end", Class: "target-label"})
		}
	}
	if len(targets) > 0 {
		if tr.View == report.ViewCumulative {
			c.Legend = append(c.Legend, legendItem{"target", l.Label("legend.target-cumulative")})
		} else {
			c.Legend = append(c.Legend, legendItem{"target", l.Label("legend.target")})
		}
	}
	running := false
	hasPrev, prevX, prevY := false, 0.0, 0.0
	prevFrom := citylinks.Date{}
	for _, a := range acts {
		cls, state := "actual", string(a.State)
		if !a.Approved {
			cls = "actual unapproved"
			c.Unapproved = true
			if a.State == report.StateApproved || a.State == "" {
				state = "not-approved" // a total that holds figures not approved
			}
		}
		var px float64
		py := y(a.Value)
		if a.Running {
			running = true
			px = x(a.Period.End.AddDays(1))
			if !hasPrev || a.From != prevFrom {
				// A running total starts from zero at the start of its span.
				sh = append(sh, shape{Kind: "line", X: x(a.From), Y: y(0), X2: px, Y2: py, Class: "run " + cls, Approval: state})
			} else {
				sh = append(sh, shape{Kind: "line", X: prevX, Y: prevY, X2: px, Y2: py, Class: "run " + cls, Approval: state})
			}
		} else {
			px = (x(a.Period.Start) + x(a.Period.End.AddDays(1))) / 2
			if hasPrev && prevFrom.IsZero() {
				sh = append(sh, shape{Kind: "line", X: prevX, Y: prevY, X2: px, Y2: py, Class: "run " + cls, Approval: state})
			}
		}
		tip := l.labelf("chart.actual-of", a.Period.String(), l.Number(a.Value))
		if a.Running {
			tip = l.labelf("chart.running-of", a.Period.String(), l.Number(a.Value))
		}
		if !a.Approved {
			if a.State == report.StateApproved || a.State == "" {
				tip += " (" + l.Label("legend.unapproved") + ")"
			} else {
				tip += " (" + l.approvalLabel(a.State) + ")"
			}
		}
		sh = append(sh, shape{Kind: "circle", X: px, Y: py, Class: "dot " + cls, Title: tip, Approval: state})
		if len(acts) <= 16 {
			sh = append(sh, shape{Kind: "text", X: px, Y: py - 7, Text: l.Number(a.Value), Anchor: "middle", Class: "value"})
		}
		hasPrev, prevX, prevY, prevFrom = true, px, py, a.From
	}
	if len(acts) > 0 {
		switch {
		case tr.View == report.ViewCumulative && running:
			c.Legend = append(c.Legend, legendItem{"actual", l.Label("legend.actual-cumulative")})
		case running:
			c.Legend = append(c.Legend, legendItem{"actual", l.Label("legend.actual-running")})
		default:
			c.Legend = append(c.Legend, legendItem{"actual", l.Label("legend.actual")})
		}
	}
	if c.Unapproved {
		c.Legend = append(c.Legend, legendItem{"unapproved", l.Label("legend.unapproved")})
	}
	c.Shapes = sh
	return c, true
}

// breakdownChart draws the latest period with a breakdown: per category
// (in words), the actual and, where there is one, the target of the same
// period.
func breakdownChart(s report.Series, in report.Indicator, title string, l Language) (htmlChart, bool) {
	var pp *report.PeriodPoint
	for i := range s.Periods {
		if len(s.Periods[i].Breakdown) > 0 {
			pp = &s.Periods[i]
		}
	}
	if pp == nil {
		return htmlChart{}, false
	}
	maxV := 0.0
	for _, b := range pp.Breakdown {
		for _, v := range []*float64{b.Actual, b.Target} {
			if v != nil {
				maxV = math.Max(maxV, *v)
			}
		}
	}
	top, step := niceScale(maxV)
	if whole(in) && step < 1 {
		top, step = math.Max(1, math.Ceil(top)), 1
	}
	var dims []string
	seen := map[string]bool{}
	for _, b := range pp.Breakdown {
		for _, k := range b.Disaggregation.Keys() {
			if !seen[k] {
				seen[k] = true
				dims = append(dims, k)
			}
		}
	}
	order := append(slices.Clone(in.Dimensions), dims...)
	slices.SortStableFunc(dims, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
	var dimWords []string
	for _, d := range dims {
		dimWords = append(dimWords, l.dimension(d))
	}
	const labelX, plotL, plotR = 190.0, 200.0, 590.0
	xs := func(v float64) float64 { return plotL + math.Max(0, v)/top*(plotR-plotL) }
	c := htmlChart{Kind: "breakdown", Width: chartWidth,
		Title: l.labelf("results.breakdown", title, indicatorText(in), pp.Period.String(), strings.Join(dimWords, l.Label("and")))}
	var body []shape
	y := 10.0
	hasTarget := false
	for _, b := range pp.Breakdown {
		lines := wrap(l.categories(b.Disaggregation, in.Dimensions), 30)
		for i, ln := range lines {
			body = append(body, shape{Kind: "text", X: labelX, Y: y + 13 + float64(i)*13, Text: ln, Anchor: "end"})
		}
		rowH := math.Max(float64(len(lines))*13+8, 20)
		targetY := y + 18
		if b.Actual != nil {
			cls, tip := "bar actual", l.labelf("chart.actual-of", pp.Period.String(), l.Number(*b.Actual))
			body = append(body, shape{Kind: "text", X: xs(*b.Actual) + 4, Y: y + 14, Text: l.Number(*b.Actual), Class: "value"})
			if b.State != report.StateApproved {
				cls = "bar actual unapproved"
				tip += " (" + l.approvalLabel(b.State) + ")"
				c.Unapproved = true
				// The state under the bar, where it fits whatever the
				// bar's length.
				body = append(body, shape{Kind: "text", X: plotL + 4, Y: y + 27, Text: l.approvalLabel(b.State), Class: "pending", Approval: string(b.State)})
				targetY += 13
				rowH = math.Max(rowH, 31)
			}
			body = append(body, shape{Kind: "rect", X: plotL, Y: y + 3, W: xs(*b.Actual) - plotL, H: 13, Class: cls, Title: tip, Approval: string(b.State)})
		}
		if b.Target != nil {
			hasTarget = true
			body = append(body, shape{Kind: "rect", X: plotL, Y: targetY, W: xs(*b.Target) - plotL, H: 7, Class: "bar target-bar",
				Title: l.labelf("chart.target-of", pp.Period.String(), l.Number(*b.Target))},
				shape{Kind: "text", X: xs(*b.Target) + 4, Y: targetY + 7, Text: l.Number(*b.Target), Class: "target-label"})
			rowH = math.Max(rowH, targetY-y+12)
		}
		y += rowH + 6
	}
	bottom := y
	var axis []shape
	for v := 0.0; v <= top+step/2; v += step {
		axis = append(axis, shape{Kind: "line", X: xs(v), Y: 6, X2: xs(v), Y2: bottom, Class: "grid"},
			shape{Kind: "text", X: xs(v), Y: bottom + 14, Text: l.Number(v), Anchor: "middle", Class: "tick"})
	}
	axis = append(axis, shape{Kind: "line", X: plotL, Y: bottom, X2: plotR, Y2: bottom, Class: "axis"},
		shape{Kind: "line", X: plotL, Y: 6, X2: plotL, Y2: bottom, Class: "axis"},
		shape{Kind: "text", X: (plotL + plotR) / 2, Y: bottom + 30, Text: unitText(in, l), Anchor: "middle", Class: "axis-title", Unit: true})
	c.Shapes = append(axis, body...)
	c.Height = math.Ceil(bottom + 38)
	c.Legend = []legendItem{{"actual", l.Label("legend.actual")}}
	if hasTarget {
		c.Legend = append(c.Legend, legendItem{"target-bar", l.Label("legend.target")})
	}
	if c.Unapproved {
		c.Legend = append(c.Legend, legendItem{"unapproved", l.Label("legend.unapproved")})
	}
	return c, true
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"f": func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) },
}).Parse(`{{define "shapes"}}{{range .}}{{if eq .Kind "rect"}}<rect x="{{f .X}}" y="{{f .Y}}" width="{{f .W}}" height="{{f .H}}" class="{{.Class}}"{{with .Approval}} data-approval="{{.}}"{{end}}>{{with .Title}}<title>{{.}}</title>{{end}}</rect>
{{else if eq .Kind "line"}}<line x1="{{f .X}}" y1="{{f .Y}}" x2="{{f .X2}}" y2="{{f .Y2}}" class="{{.Class}}"{{with .Approval}} data-approval="{{.}}"{{end}}>{{with .Title}}<title>{{.}}</title>{{end}}</line>
{{else if eq .Kind "circle"}}<circle cx="{{f .X}}" cy="{{f .Y}}" r="{{if .W}}{{f .W}}{{else}}4{{end}}" class="{{.Class}}"{{with .Approval}} data-approval="{{.}}"{{end}}>{{with .Title}}<title>{{.}}</title>{{end}}</circle>
{{else if eq .Kind "path"}}<path d="{{.D}}" class="{{.Class}}"{{with .Partnership}} data-partnership="{{.}}"{{end}}>{{with .Title}}<title>{{.}}</title>{{end}}</path>
{{else if eq .Kind "text"}}<text x="{{f .X}}" y="{{f .Y}}"{{with .Anchor}} text-anchor="{{.}}"{{end}}{{if .Rotate}} transform="rotate(-90 {{f .X}} {{f .Y}})"{{end}} class="{{.Class}}{{if .Unit}} axis-unit{{end}}"{{with .Approval}} data-approval="{{.}}"{{end}}>{{with .Title}}<title>{{.}}</title>{{end}}{{.Text}}</text>
{{end}}{{end}}{{end}}{{define "chart"}}<figure class="chart chart-{{.Kind}}">
<figcaption class="chart-title">{{.Title}}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="{{f .Width}}" height="{{f .Height}}" viewBox="0 0 {{f .Width}} {{f .Height}}" role="img" aria-label="{{.Title}}">
{{template "shapes" .Shapes}}</svg>
{{if .Legend}}<ul class="legend">{{range .Legend}}<li><span class="key key-{{.Class}}"></span>{{.Text}}</li>{{end}}</ul>{{end}}
</figure>
{{end}}{{define "level"}}<ul class="levels">{{range .}}<li><span class="tier">{{.Tier}}</span> {{.Title}}{{if .Indicators}}<ul class="placed">{{range .Indicators}}<li>{{.}}</li>{{end}}</ul>{{end}}{{if .Children}}{{template "level" .Children}}{{end}}</li>{{end}}</ul>
{{end}}{{define "table"}}<tbody>
{{range .}}<tr>{{range .}}<td{{with .Class}} class="{{.}}"{{end}}{{with .Metric}} data-metric="{{.}}"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</tbody>{{end}}<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root{--ink:#1f2933;--muted:#616e7c;--rule:#d5dbe1;--blue:#1565c0;--green:#2e7d32;--red:#c62828;--orange:#e65100;--grey:#9aa5b1}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:1.5rem auto;max-width:64rem;padding:0 1rem;color:var(--ink);line-height:1.4}
h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.3rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--rule);padding-bottom:.2rem}h3{font-size:1.1rem;margin:1.5rem 0 .3rem}
p,li,td,figcaption{overflow-wrap:anywhere}th{overflow-wrap:break-word;hyphens:auto}
.muted,.generated{color:var(--muted)}
table{border-collapse:collapse;margin:.8rem 0;font-size:.85rem;width:100%}
th,td{border:1px solid var(--rule);padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.ref{color:var(--muted);font-size:.75rem}td.date{white-space:nowrap}
.on-track{color:var(--green)}.ahead{color:var(--blue)}.behind{color:var(--red)}.unapproved,.returned,.state-returned,.state-submitted,.state-draft{color:var(--orange)}
.glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.8rem;margin:1rem 0}
.tile{border:1px solid var(--rule);border-radius:6px;padding:.6rem .8rem;break-inside:avoid}
.tile h3{margin:0 0 .4rem;font-size:.95rem;color:var(--muted);font-weight:600}
.big{font-size:1.9rem;font-weight:700;line-height:1.1;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}.big.money{font-size:1.35rem;margin-top:.4rem}
.tile ul{margin:.3rem 0 0;padding-left:1.1rem;font-size:.85rem}
.stack{display:flex;height:.8rem;border-radius:3px;overflow:hidden;margin:.15rem 0 .5rem;background:#eef1f4}
.stack span{display:block;height:100%}
.ind-name{font-size:.82rem;margin-top:.3rem}
.seg-ahead,.key-ahead{background:var(--blue)}.seg-on-track,.key-on-track{background:var(--green)}.seg-behind,.key-behind{background:var(--red)}
.seg-no-actual,.key-no-actual{background:#cbd2d9}.seg-no-target,.key-no-target,.seg-check-target,.key-check-target{background:#e4e7eb}
.act-implementation{background:var(--blue)}.act-pipeline{background:#90caf9}.act-finalisation{background:#5c6bc0}.act-closed{background:var(--green)}.act-cancelled{background:#9e9e9e}.act-suspended{background:var(--orange)}
.wide{grid-column:1/-1}
figure{margin:1rem 0 1.6rem;break-inside:avoid}
figcaption.chart-title{font-weight:600;margin-bottom:.3rem}
svg{display:block;max-width:100%;height:auto;font-size:11px;font-family:inherit}
svg text{fill:var(--ink)}
svg .tick,svg .muted{fill:var(--muted)}svg .group{font-weight:600;font-size:12px}
svg .axis{stroke:#7b8794;stroke-width:1}svg .grid{stroke:#e4e7eb;stroke-width:1}
svg .axis-title{fill:var(--muted);font-size:11px}
svg .band{fill:#e8f5e9}svg .target{stroke:#52606d;stroke-width:1.5;stroke-dasharray:4 3}
svg .bar.on-track{fill:var(--green)}svg .bar.ahead{fill:var(--blue)}svg .bar.behind{fill:var(--red)}
svg .value{font-size:10px;fill:var(--ink)}svg .pending{fill:var(--orange);font-size:10px}
svg .target-line{stroke:#52606d;stroke-width:2;stroke-dasharray:6 3}svg .target-label{fill:#52606d;font-size:10px}
svg .baseline{stroke:#9aa5b1;stroke-width:1.5;stroke-dasharray:1 3}
svg .run{stroke:var(--blue);stroke-width:2}svg .run.unapproved{stroke:var(--orange);stroke-dasharray:3 2}
svg .dot{fill:var(--blue)}svg .dot.unapproved{fill:#fff;stroke:var(--orange);stroke-width:2}
svg .bar.actual{fill:var(--blue)}svg .bar.actual.unapproved{fill:#ffe0b2;stroke:var(--orange);stroke-dasharray:3 2}
svg .bar.target-bar{fill:#9aa5b1}
svg .land{fill:#e4e7eb;stroke:#fff;stroke-width:.5}
svg .map-link{fill:none;stroke:var(--blue);stroke-width:1.6;opacity:.85}
svg .city.host{fill:var(--red);stroke:#fff;stroke-width:1}svg .city.resource{fill:var(--blue);stroke:#fff;stroke-width:1}
svg .map-n{fill:#fff;stroke:var(--blue);stroke-width:1}svg .map-n-text{font-size:9px;font-weight:700;fill:var(--blue)}
.legend{list-style:none;padding:0;margin:.3rem 0 0;display:flex;flex-wrap:wrap;gap:.3rem 1.1rem;font-size:.82rem;color:var(--muted)}
.key{display:inline-block;width:1.1rem;height:.7rem;margin-right:.35rem;vertical-align:baseline;border-radius:2px}
.key-actual{background:var(--blue)}.key-target-bar{background:#9aa5b1;height:.45rem}.key-target{background:none;border-top:2px dashed #52606d;height:0;border-radius:0;vertical-align:middle}
.key-unapproved{background:#fff;border:2px dashed var(--orange)}.key-band{background:#e8f5e9;border:1px solid #c8e6c9}
.key-baseline{background:none;border-top:2px dotted #9aa5b1;height:0;border-radius:0;vertical-align:middle}
.key-host{background:var(--red);border-radius:50%;width:.7rem}.key-resource{background:var(--blue);border-radius:50%;width:.7rem}
.key-link{background:none;border-top:2px solid var(--blue);height:0;border-radius:0;vertical-align:middle}
ol.map-list{font-size:.85rem;columns:2 22rem;margin:.4rem 0}
.note{font-size:.85rem;color:var(--muted)}
.partners{font-weight:600;margin:.1rem 0}
ul.levels{padding-left:1.2rem;margin:.3rem 0}ul.levels li{margin:.2rem 0}.tier{font-size:.75rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);margin-right:.3rem}
ul.placed{font-size:.85rem;color:var(--ink);list-style:square}
@page{margin:14mm 12mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10pt}
h2{break-after:avoid;margin-top:1.2rem}h3{break-after:avoid}
figure,.tile,tr{break-inside:avoid}
section.partnership{break-before:page}
.glance{grid-template-columns:repeat(2,1fr)}
table{font-size:8.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="generated">{{.Generated}} <span data-metric="partnerships">{{.Glance.Partnerships}}</span> {{.PartnershipsWord}}, <span data-metric="indicators">{{.Indicators}}</span> {{.IndicatorsWord}}.</p>
</header>

<section class="first-screen" aria-label="{{index .T "glance"}}">
<h2>{{index .T "glance"}}</h2>
<div class="glance">
<div class="tile"><h3>{{index .T "glance.partnerships"}}</h3>
<div class="big">{{.Glance.Partnerships}}</div>
<div class="stack">{{range .Glance.States}}<span class="{{.Class}}" style="width:{{.Share}}%" title="{{.Label}}: {{.N}}"></span>{{end}}</div>
<ul>{{range .Glance.States}}<li><span class="key {{.Class}}"></span>{{.Label}}: <strong data-metric="state/{{.Class}}">{{.N}}</strong></li>{{end}}</ul></div>
<div class="tile"><h3>{{index .T "glance.contributions"}}</h3>
<div class="big" data-metric="volunteer-hours">{{.Glance.Hours}}</div><div class="muted">{{index .T "glance.hours"}}</div>
{{range .Glance.InKind}}<div class="big money">{{.}}</div>{{end}}{{if .Glance.InKind}}<div class="muted">{{index .T "glance.inkind"}}</div>{{end}}</div>
<div class="tile"><h3>{{index .T "glance.due"}}</h3>
<div class="big{{if .Glance.Overdue}} behind{{end}}" data-metric="overdue">{{.Glance.Overdue}}</div><div class="muted">{{index .T "glance.overdue"}}{{if .Glance.Soon}} · {{.Glance.Soon}} {{index .T "glance.soon"}}{{end}}</div>
{{if .Glance.OverdueList}}<ul>{{range .Glance.OverdueList}}<li>{{.}}</li>{{end}}{{with .Glance.More}}<li>{{.}}</li>{{end}}</ul>{{else}}<p class="note">{{index .T "glance.none-overdue"}}</p>{{end}}</div>
{{if .Glance.Indicators}}<div class="tile wide"><h3>{{index .T "glance.indicators"}}</h3>
<p class="note">{{index .T "glance.indicators-note"}}</p>
{{range .Glance.Indicators}}<div class="ind-name">{{.Name}}: {{range $i, $s := .Segments}}{{if $i}}, {{end}}<span class="{{$s.Class}}">{{$s.Label}} {{$s.N}}</span>{{end}}</div>
<div class="stack">{{range .Segments}}<span class="seg-{{.Class}}" style="width:{{.Share}}%" title="{{.Label}}: {{.N}}"></span>{{end}}</div>
{{end}}<ul class="legend">{{range .Glance.Statuses}}<li><span class="key key-{{.Class}}"></span>{{.Text}}</li>{{end}}</ul></div>{{end}}
</div>
</section>

{{with .Map}}<section class="map">
<h2>{{index $.T "map"}}</h2>
<p class="note">{{index $.T "map.note"}}</p>
{{template "chart" .}}{{if $.MapList}}<ol class="map-list">{{range $.MapList}}<li value="{{.N}}">{{.Title}}: {{.Host}} ↔ {{.Resource}}</li>{{end}}</ol>{{end}}
{{with $.MapMissing}}<p class="note">{{.}}</p>{{end}}<p class="note">{{index $.T "map.credit"}}</p>
</section>
{{end}}
<section class="progress">
<h2>{{index .T "progress"}}</h2>
<p class="note">{{.Formula}} {{.Note}} {{index .T "unapproved.note"}}</p>
{{with .Progress}}{{template "chart" .}}{{end}}
<table>
<thead><tr>{{range .RollupHead}}<th>{{.}}</th>{{end}}</tr></thead>
{{template "table" .Rows}}
</table>
</section>
{{if .Frameworks}}<section class="framework">
<h2>{{index .T "framework"}}</h2>
<p class="note">{{index .T "framework.note"}}</p>
{{range .Frameworks}}<h3>{{.Title}}</h3>
<p class="muted">{{.Template}}</p>
{{template "level" .Levels}}{{end}}</section>
{{end}}{{if .Contributions}}
<section class="contributions">
<h2>{{index .T "contributions"}}</h2>
<p>{{.Hours}}</p>
<table>
<thead><tr>{{range .ContribHead}}<th>{{.}}</th>{{end}}</tr></thead>
{{template "table" .Contributions}}
</table>
</section>
{{end}}{{if .Due}}
<section class="due">
<h2>{{index .T "due"}}</h2>
<table>
<thead><tr><th>{{index .T "col.partnership"}}</th><th>{{index .T "col.period"}}</th><th>{{index .T "col.due"}}</th><th>{{index .T "col.state"}}</th><th>{{index .T "col.status"}}</th></tr></thead>
{{template "table" .Due}}
</table>
</section>
{{end}}
<h2>{{index .T "results"}}</h2>
{{range .Sections}}<section class="partnership">
<h3>{{.Title}}</h3>
<p class="partners">{{.Parties}}</p>
<p class="muted">{{.Meta}}</p>
{{if .Objectives}}<p><strong>{{index $.T "objectives"}}</strong></p><ul>{{range .Objectives}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{range .Charts}}{{template "chart" .}}{{else}}<p class="note">{{index $.T "results.none"}}</p>
{{end}}</section>
{{end}}
<section class="tables">
<h2>{{index .T "partnerships"}}</h2>
<table>
<thead><tr><th>{{index .T "col.title"}}</th><th>{{index .T "col.partners"}}</th><th>{{index .T "col.country"}}</th><th>{{index .T "col.focus-area"}}</th><th>{{index .T "col.status"}}</th><th>{{index .T "col.start"}}</th><th>{{index .T "col.end"}}</th><th>{{index .T "col.id"}}</th></tr></thead>
{{template "table" .Partnerships}}
</table>
{{if .Approvals}}<h2>{{index .T "approvals"}}</h2>
<table>
<thead><tr><th>{{index .T "col.partnership"}}</th><th>{{index .T "col.period"}}</th><th>{{index .T "col.state"}}</th><th>{{index .T "col.by"}}</th><th>{{index .T "col.comment"}}</th></tr></thead>
{{template "table" .Approvals}}
</table>
{{end}}</section>
</body>
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

// length is how long a period lasts.
func length(p report.Period) time.Duration { return p.End.Time().Sub(p.Start.Time()) }
