package sqlrow

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
)

// ObservationColumns are the columns of report_observations, in the order
// of ObservationArgs.
var ObservationColumns = []string{
	"id", "partnership", "indicator", "kind", "period", "period_start", "period_end", "year",
	"value", "disagg", "disagg_keys", "comment", "source", "reporter", "recorded_at", "owner",
}

// ObservationColumnList is ObservationColumns joined with commas.
var ObservationColumnList = strings.Join(ObservationColumns, ", ")

// AppendObservationArgs appends o's column values, in the order of
// ObservationColumns, to dst. A total's disaggregation is stored as "{}".
func AppendObservationArgs(dst []any, o report.Observation) []any {
	dis := "{}"
	if len(o.Disaggregation) > 0 {
		b, _ := json.Marshal(o.Disaggregation) // map[string]string always encodes, keys sorted
		dis = string(b)
	}
	at := ""
	if !o.RecordedAt.IsZero() {
		at = o.RecordedAt.UTC().Format(time.RFC3339Nano)
	}
	keys := ""
	if len(o.Disaggregation) > 0 {
		keys = strings.Join(o.Disaggregation.Keys(), ",")
	}
	start, end := formatDate(o.Period.Start), formatDate(o.Period.End)
	return append(dst, o.ID, o.Partnership, o.Indicator, string(o.Kind), periodKey(o.Period, start, end),
		start, end, int64(o.Period.Year()), o.Value, dis, keys, o.Comment, o.Source, o.Reporter, at, o.Owner)
}

// formatDate is citylinks.Date.String without fmt: bulk loads format two
// dates per row.
func formatDate(d citylinks.Date) string {
	if d.IsZero() {
		return ""
	}
	var b [10]byte
	pad := func(dst []byte, v, width int) {
		for i := width - 1; i >= 0; i-- {
			dst[i] = byte('0' + v%10)
			v /= 10
		}
	}
	if d.Year > 9999 || d.Year < 0 {
		return d.String()
	}
	pad(b[0:4], d.Year, 4)
	b[4] = '-'
	pad(b[5:7], int(d.Month), 2)
	b[7] = '-'
	pad(b[8:10], d.Day, 2)
	return string(b[:])
}

// periodKey is report.Period.String, reusing the formatted dates.
func periodKey(p report.Period, start, end string) string {
	switch p.Kind {
	case report.PeriodYear:
		return start[:4]
	case report.PeriodQuarter:
		return start[:4] + "-Q" + string(rune('1'+(p.Start.Month-1)/3))
	case report.PeriodMonth:
		return start[:7]
	}
	return p.String()
}

// ObservationRow receives one row of ObservationColumns.
type ObservationRow struct {
	o                        report.Observation
	kind, period, start, end string
	year                     int64
	dis, keys, at            string
}

// Dest returns the scan destinations, in the order of ObservationColumns.
func (r *ObservationRow) Dest() []any {
	return []any{&r.o.ID, &r.o.Partnership, &r.o.Indicator, &r.kind, &r.period, &r.start, &r.end, &r.year,
		&r.o.Value, &r.dis, &r.keys, &r.o.Comment, &r.o.Source, &r.o.Reporter, &r.at, &r.o.Owner}
}

// Observation returns the scanned observation.
func (r *ObservationRow) Observation() (report.Observation, error) {
	o := r.o
	o.Kind = report.Kind(r.kind)
	var err error
	if o.Period, err = report.ParsePeriod(r.period); err != nil {
		return o, fmt.Errorf("sqlrow: observation %q: %w", o.ID, err)
	}
	if r.dis != "" && r.dis != "{}" {
		if err := json.Unmarshal([]byte(r.dis), &o.Disaggregation); err != nil {
			return o, fmt.Errorf("sqlrow: observation %q disaggregation: %w", o.ID, err)
		}
	}
	if r.at != "" {
		if o.RecordedAt, err = time.Parse(time.RFC3339Nano, r.at); err != nil {
			return o, fmt.Errorf("sqlrow: observation %q recorded_at: %w", o.ID, err)
		}
	}
	return o, nil
}

// Dialect is what differs between the SQL backends' roll-up queries.
type Dialect struct {
	Dollar bool // $1 placeholders (PostgreSQL) rather than ?
	// Year is the expression for the year as text.
	Year string
	// Disagg returns the expression for one disaggregation category of
	// column o.disagg; name is a kebab-case dimension name.
	Disagg func(name string) string
}

// SQLite and Postgres are the two dialects.
var (
	SQLite = Dialect{Year: "CAST(o.year AS TEXT)", Disagg: func(n string) string {
		return fmt.Sprintf(`json_extract(o.disagg, '$."%s"')`, n)
	}}
	Postgres = Dialect{Dollar: true, Year: "o.year::text", Disagg: func(n string) string {
		return fmt.Sprintf(`(o.disagg::jsonb ->> '%s')`, n)
	}}
)

// args collects query arguments and writes placeholders.
type args struct {
	d    Dialect
	vals []any
}

func (a *args) add(v any) string {
	a.vals = append(a.vals, v)
	return a.d.Placeholder(len(a.vals))
}

// Placeholder is the placeholder of the i-th argument of a query, from 1.
func (d Dialect) Placeholder(i int) string {
	if d.Dollar {
		return fmt.Sprintf("$%d", i)
	}
	return "?"
}

func (a *args) in(col string, list []string) string {
	ph := make([]string, len(list))
	for i, v := range list {
		ph[i] = a.add(v)
	}
	return fmt.Sprintf("%s IN (%s)", col, strings.Join(ph, ", "))
}

// GroupExpr returns the SQL expression for a roll-up dimension, over
// report_observations o joined with report_activities a.
func (d Dialect) GroupExpr(dim report.Dim) string {
	switch dim {
	case report.DimProgram:
		return "a.program"
	case report.DimFocusArea:
		return "a.focus_area"
	case report.DimCountry:
		return "a.country"
	case report.DimPartnership:
		return "o.partnership"
	case report.DimPeriod:
		return "o.period"
	case report.DimYear:
		return d.Year
	}
	name, _ := dim.Disaggregation()
	return d.Disagg(name)
}

// approvedPeriod selects the approved periods of o's partnership that
// contain o's period (reportstore.IsApproved).
const approvedPeriod = `SELECT 1 FROM report_approvals ap WHERE ap.partnership = o.partnership AND ap.state = 'approved'
	AND ap.period_start <= o.period_start AND ap.period_end >= o.period_end`

// where returns the WHERE clause of a roll-up.
func (a *args) where(q report.RollupQuery, indicators []string) string {
	conds := []string{"o.disagg_keys = " + a.add(q.DisaggregationKeys())}
	for _, f := range []struct {
		col  string
		list []string
	}{{"o.indicator", indicators}, {"o.partnership", q.Partnerships}, {"a.program", q.Programs}, {"a.focus_area", q.FocusAreas}, {"a.country", q.Countries}} {
		if len(f.list) > 0 {
			conds = append(conds, a.in(f.col, f.list))
		}
	}
	if len(q.Kinds) > 0 {
		kinds := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			kinds[i] = string(k)
		}
		conds = append(conds, a.in("o.kind", kinds))
	}
	if !q.From.IsZero() {
		conds = append(conds, "o.period_start >= "+a.add(q.From.String()))
	}
	if !q.To.IsZero() {
		conds = append(conds, "o.period_end <= "+a.add(q.To.String()))
	}
	switch q.Approval {
	case report.Approved:
		conds = append(conds, "(o.kind <> 'actual' OR EXISTS ("+approvedPeriod+"))")
	case report.Unapproved:
		conds = append(conds, "(o.kind <> 'actual' OR NOT EXISTS ("+approvedPeriod+"))")
	}
	return strings.Join(conds, " AND ")
}

// RollupSQL returns the GROUP BY query of a roll-up: one row per cell with
// the group values, indicator, kind, count, sum and latest period end.
func (d Dialect) RollupSQL(q report.RollupQuery) (string, []any) {
	a := &args{d: d}
	var sel []string
	for _, dim := range q.GroupBy {
		sel = append(sel, d.GroupExpr(dim))
	}
	group := append(append([]string{}, sel...), "o.indicator", "o.kind")
	query := fmt.Sprintf("SELECT %s, COUNT(*), SUM(o.value), MAX(o.period_end) FROM report_observations o JOIN report_activities a ON a.id = o.partnership WHERE %s GROUP BY %s",
		strings.Join(group, ", "), a.where(q, q.Indicators), strings.Join(group, ", "))
	return query, a.vals
}

// LatestSQL returns the query that sums and counts, per cell of the
// query's Latest indicators, the values whose period ends on the cell's
// latest period end. It returns "" when q.Latest is empty.
func (d Dialect) LatestSQL(q report.RollupQuery) (string, []any) {
	var latest []string
	for _, in := range q.Latest {
		if len(q.Indicators) == 0 || contains(q.Indicators, in) {
			latest = append(latest, in)
		}
	}
	if len(latest) == 0 {
		return "", nil
	}
	a := &args{d: d}
	var sel, gcols, on []string
	for i, dim := range q.GroupBy {
		e := d.GroupExpr(dim)
		sel = append(sel, fmt.Sprintf("%s AS g%d", e, i))
		gcols = append(gcols, fmt.Sprintf("g.g%d", i))
		on = append(on, fmt.Sprintf("%s = g.g%d", e, i))
	}
	groupIn := strings.Join(append(stripAs(sel), "o.indicator", "o.kind"), ", ")
	inner := fmt.Sprintf("SELECT %s FROM report_observations o JOIN report_activities a ON a.id = o.partnership WHERE %s GROUP BY %s",
		strings.Join(append(sel, "o.indicator AS ind", "o.kind AS kind", "MAX(o.period_end) AS le"), ", "), a.where(q, latest), groupIn)
	outerWhere := a.where(q, latest)
	on = append(on, "o.indicator = g.ind", "o.kind = g.kind", "o.period_end = g.le")
	outGroup := strings.Join(append(gcols, "g.ind", "g.kind"), ", ")
	query := fmt.Sprintf("WITH g AS (%s) SELECT %s, SUM(o.value), COUNT(*) FROM report_observations o JOIN report_activities a ON a.id = o.partnership JOIN g ON %s WHERE %s GROUP BY %s",
		inner, outGroup, strings.Join(on, " AND "), outerWhere, outGroup)
	return query, a.vals
}

func stripAs(sel []string) []string {
	out := make([]string, len(sel))
	for i, s := range sel {
		out[i] = s[:strings.LastIndex(s, " AS ")]
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// CellScanner scans rollup rows into cells.
type CellScanner struct {
	n     int
	group []*string
	ind   string
	kind  string
	count int64
	sum   float64
	end   *string
}

// NewCellScanner returns a scanner for a query with n group columns.
func NewCellScanner(n int) *CellScanner { return &CellScanner{n: n} }

// Dest returns the destinations of one RollupSQL row.
func (c *CellScanner) Dest() []any {
	c.group = make([]*string, c.n)
	dest := make([]any, 0, c.n+5)
	for i := range c.group {
		dest = append(dest, &c.group[i])
	}
	return append(dest, &c.ind, &c.kind, &c.count, &c.sum, &c.end)
}

// Cell returns the scanned cell.
func (c *CellScanner) Cell() (report.Cell, error) {
	cell := report.Cell{Group: make([]string, c.n), Indicator: c.ind, Kind: report.Kind(c.kind), Count: c.count, Sum: c.sum}
	for i, g := range c.group {
		if g != nil {
			cell.Group[i] = *g
		}
	}
	if c.end != nil {
		d, err := citylinks.ParseDate(*c.end)
		if err != nil {
			return cell, fmt.Errorf("sqlrow: rollup latest end: %w", err)
		}
		cell.LatestEnd = d
	}
	return cell, nil
}

// CellKey identifies a cell by its group, indicator and kind.
func CellKey(group []string, ind, kind string) string {
	return strings.Join(group, "\x00") + "\x00" + ind + "\x00" + kind
}

// Rollup aggregates the observations that match q, running its queries
// with run: one GROUP BY query (RollupSQL), and, when q has Latest
// indicators, a second (LatestSQL) for the values at each cell's latest
// period end. Both SQL backends' RollupObservations are this; they
// interpret the error.
func (d Dialect) Rollup(q report.RollupQuery, run Query) ([]report.Cell, error) {
	query, args := d.RollupSQL(q)
	var cells []report.Cell
	sc := NewCellScanner(len(q.GroupBy))
	if err := run(query, args, func(scan func(...any) error) error {
		if err := scan(sc.Dest()...); err != nil {
			return err
		}
		c, err := sc.Cell()
		cells = append(cells, c)
		return err
	}); err != nil {
		return nil, err
	}
	query, args = d.LatestSQL(q)
	if query == "" {
		return cells, nil
	}
	idx := map[string]int{}
	for i, c := range cells {
		idx[CellKey(c.Group, c.Indicator, string(c.Kind))] = i
	}
	group := make([]*string, len(q.GroupBy))
	var ind, kind string
	var sum float64
	var n int64
	dest := make([]any, 0, len(group)+4)
	for i := range group {
		dest = append(dest, &group[i])
	}
	dest = append(dest, &ind, &kind, &sum, &n)
	if err := run(query, args, func(scan func(...any) error) error {
		clear(group)
		if err := scan(dest...); err != nil {
			return err
		}
		g := make([]string, len(group))
		for i, v := range group {
			if v != nil {
				g[i] = *v
			}
		}
		if i, ok := idx[CellKey(g, ind, kind)]; ok {
			cells[i].LatestSum, cells[i].LatestCount = sum, n
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return cells, nil
}
