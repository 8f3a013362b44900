package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks"
)

// ObservationColumns are the columns of the observations CSV format, in the
// order WriteObservationsCSV writes them.
//
//	id              optional; empty means "generate one"
//	partnership     required: the partnership (activity) id
//	indicator       required: the indicator code
//	kind            required: baseline, target or actual
//	period          required: 2024, 2024-Q1, 2024-03 or 2024-01-01/2024-06-30
//	value           a decimal number (e.g. 42, -3.5, 1e6); empty means 0,
//	                which qualitative indicators need
//	disaggregation  optional: dimension=category pairs joined by ';',
//	                e.g. sex=female;age-group=15-24; empty for a total
//	comment         optional; required for qualitative indicators
//	source          optional: where the value comes from
//	reporter        optional: who reported it; defaults to the importing actor
//
// The header row names the columns; they may come in any order, and the
// optional ones may be left out. A leading apostrophe in any cell is
// removed: it is the mark WriteObservationsCSV (and spreadsheets) use to keep
// a cell from being run as a formula.
var ObservationColumns = []string{"id", "partnership", "indicator", "kind", "period", "value", "disaggregation", "comment", "source", "reporter"}

var requiredColumns = []string{"partnership", "indicator", "kind", "period", "value"}

// ObservationRow is one observation read from CSV, with the line its row
// starts on.
type ObservationRow struct {
	Line        int
	Observation Observation
}

// MaxCSVRows is the most rows ReadObservationsCSV accepts in one file.
const MaxCSVRows = 10_000_000

// ReadObservationsCSV reads observations in the format described at
// ObservationColumns (RFC 4180; UTF-8, an optional byte-order mark). It
// checks each row's own fields (Observation.Validate, except an empty id)
// but not whether indicators and partnerships exist; Service.ImportCSV does
// that. A bad row makes it return a *citylinks.ImportError listing every bad
// row, each a *citylinks.RowError with its line (the header is line 1).
func ReadObservationsCSV(r io.Reader) ([]ObservationRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("the file is empty: a header row is required")
		}
		return nil, headerError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !slices.Contains(ObservationColumns, h) {
			return nil, headerError(fmt.Errorf("unknown column %q (the columns are %s)", short(h), strings.Join(ObservationColumns, ", ")))
		}
		if _, dup := col[h]; dup {
			return nil, headerError(fmt.Errorf("column %q is given twice", h))
		}
		col[h] = i
	}
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			return nil, headerError(fmt.Errorf("column %q is missing (required: %s)", c, strings.Join(requiredColumns, ", ")))
		}
	}
	var (
		rows []ObservationRow
		bad  []*citylinks.RowError
	)
	line := 1 // the line of the last record read
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, &citylinks.RowError{Line: pe.StartLine, Err: invalid("row", "%v", pe.Err)})
				if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
					continue
				}
			}
			return nil, &citylinks.ImportError{Rows: append(bad, &citylinks.RowError{Line: line + 1, Err: invalid("row", "%v", err)})}
		}
		line, _ = cr.FieldPos(0)
		if len(rows)+len(bad) >= MaxCSVRows {
			return nil, &citylinks.ImportError{Rows: append(bad, &citylinks.RowError{Line: line, Err: invalid("row", "more than %d rows", MaxCSVRows)})}
		}
		if len(rec) != len(header) {
			bad = append(bad, &citylinks.RowError{Line: line, Err: invalid("row", "has %d fields; the header has %d", len(rec), len(header))})
			continue
		}
		cell := func(name string) string {
			i, ok := col[name]
			if !ok {
				return ""
			}
			return unmark(rec[i])
		}
		o, err := parseRow(cell)
		if err != nil {
			bad = append(bad, &citylinks.RowError{Line: line, Err: err})
			continue
		}
		rows = append(rows, ObservationRow{Line: line, Observation: o})
	}
	if len(bad) > 0 {
		return nil, &citylinks.ImportError{Rows: bad}
	}
	return rows, nil
}

func headerError(err error) error {
	return &citylinks.ImportError{Rows: []*citylinks.RowError{{Line: 1, Err: invalid("header", "%v", err)}}}
}

func parseRow(cell func(string) string) (Observation, error) {
	o := Observation{
		ID: cell("id"), Partnership: cell("partnership"), Indicator: cell("indicator"),
		Kind: Kind(cell("kind")), Comment: cell("comment"), Source: cell("source"), Reporter: cell("reporter"),
	}
	var err error
	if o.Period, err = ParsePeriod(cell("period")); err != nil {
		return o, err
	}
	if v := strings.TrimSpace(cell("value")); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(v, "xXpP_") {
			return o, invalid("value", "%q is not a decimal number", short(v))
		}
		o.Value = f
	}
	if o.Disaggregation, err = ParseDisaggregation(cell("disaggregation")); err != nil {
		return o, err
	}
	check := o
	if check.ID == "" {
		check.ID = "-"
	}
	return o, check.Validate()
}

// formulaStart reports whether a spreadsheet would read a cell starting
// with c as a formula (or, for tab and CR, could be tricked into one), after
// the OWASP "CSV injection" guidance: = + - @ tab CR.
func formulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// Neutralise returns s as a CSV text cell that no spreadsheet runs as a
// formula: a cell starting with = + - @ tab or CR, or with the apostrophe
// mark itself, gets a leading apostrophe, which spreadsheets show as text
// and ReadObservationsCSV removes again.
func Neutralise(s string) string {
	if s != "" && (formulaStart(s[0]) || s[0] == '\'') {
		return "'" + s
	}
	return s
}

func unmark(s string) string { return strings.TrimPrefix(s, "'") }

// formatNumber writes a number for a numeric CSV column. It is not
// neutralised: it is exactly what strconv.FormatFloat makes of a float64
// (digits, at most one leading '-', '.', 'e', exponent sign), which every
// spreadsheet reads as a number, never as a formula; so negative values stay
// numeric and sortable.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// WriteObservationsCSV writes observations in the format of
// ReadObservationsCSV, with every column, text cells neutralised.
func WriteObservationsCSV(w io.Writer, obs []Observation) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ObservationColumns); err != nil {
		return err
	}
	rec := make([]string, len(ObservationColumns))
	for _, o := range obs {
		rec[0] = Neutralise(o.ID)
		rec[1] = Neutralise(o.Partnership)
		rec[2] = Neutralise(o.Indicator)
		rec[3] = Neutralise(string(o.Kind))
		rec[4] = Neutralise(o.Period.String())
		rec[5] = formatNumber(o.Value)
		rec[6] = Neutralise(o.Disaggregation.String())
		rec[7] = Neutralise(o.Comment)
		rec[8] = Neutralise(o.Source)
		rec[9] = Neutralise(o.Reporter)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
