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

	"github.com/citylinks/citylinks/internal/csvcell"
	"github.com/citylinks/citylinks/internal/errtext"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/csvin"
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

// ObservationReader reads observations one row at a time, in the format
// described at ObservationColumns (RFC 4180; UTF-8, an optional byte-order
// mark; lines ending in LF, CRLF or, in old Mac files, a lone CR), so that
// an importer can handle a file of any size in memory of the order of one
// row. A row may be at most citylinks.MaxCSVRowBytes long. It checks each
// row's own fields as ReadObservationsCSV does.
type ObservationReader struct {
	cr     *csvin.Reader
	col    map[string]int
	width  int
	header bool // the header has been read
	fatal  *lineError
}

// NewObservationReader returns a reader of the observations CSV in r. It
// reads the header on the first Read.
func NewObservationReader(r io.Reader) *ObservationReader {
	return &ObservationReader{cr: csvin.NewReader(r, citylinks.MaxCSVRowBytes)}
}

// lineError is a problem that ends the input, at a line.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// Read returns the next row, or io.EOF after the last. A bad row is a
// *citylinks.RowError with its line and reason, and Read can be called
// again for the next row. Any other error ends the input, and every later
// Read returns it again: a problem with the header (line 1), a row too long
// to find the end of, or an error of r. It names its line, and wraps
// citylinks.ErrInvalid unless it is an error of r.
func (r *ObservationReader) Read() (ObservationRow, error) {
	if r.fatal != nil {
		return ObservationRow{}, r.fatal
	}
	if !r.header {
		r.header = true
		if err := r.readHeader(); err != nil {
			r.fatal = &lineError{1, invalid("header", "%v", err)}
			return ObservationRow{}, r.fatal
		}
	}
	rec, err := r.cr.Read()
	line := r.cr.Line()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return ObservationRow{}, io.EOF
		}
		var (
			pe *csv.ParseError
			le *csvin.LongRowError
		)
		switch {
		case errors.As(err, &le) && le.Stopped:
			r.fatal = &lineError{le.Line, invalid("row", "%s", le.Problem())}
		case errors.As(err, &le):
			return ObservationRow{}, &citylinks.RowError{Line: le.Line, Err: invalid("row", "%s", le.Problem())}
		case errors.As(err, &pe):
			return ObservationRow{}, &citylinks.RowError{Line: pe.StartLine, Err: invalid("row", "%v", pe.Err)}
		default:
			r.fatal = &lineError{line, err}
		}
		return ObservationRow{}, r.fatal
	}
	if len(rec) != r.width {
		return ObservationRow{}, &citylinks.RowError{Line: line, Err: invalid("row", "has %d fields; the header has %d", len(rec), r.width)}
	}
	o, err := parseRow(func(name string) string {
		i, ok := r.col[name]
		if !ok {
			return ""
		}
		return csvcell.Unmark(rec[i])
	})
	if err != nil {
		return ObservationRow{}, &citylinks.RowError{Line: line, Err: err}
	}
	return ObservationRow{Line: line, Observation: o}, nil
}

func (r *ObservationReader) readHeader() error {
	header, err := r.cr.Header()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("the file is empty: a header row is required")
		}
		return err
	}
	r.col, r.width = map[string]int{}, len(header)
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !slices.Contains(ObservationColumns, h) {
			return fmt.Errorf("unknown column %q (the columns are %s)", errtext.Clip(h), strings.Join(ObservationColumns, ", "))
		}
		if _, dup := r.col[h]; dup {
			return fmt.Errorf("column %q is given twice", h)
		}
		r.col[h] = i
	}
	for _, c := range requiredColumns {
		if _, ok := r.col[c]; !ok {
			return fmt.Errorf("column %q is missing (required: %s)", c, strings.Join(requiredColumns, ", "))
		}
	}
	return nil
}

// ReadObservationsCSV reads a whole file of observations with an
// ObservationReader. It checks each row's own fields (Observation.Validate,
// except an empty id) but not whether indicators and partnerships exist;
// Service.ImportCSV does that. A bad row makes it return a
// *citylinks.ImportError listing the bad rows (the first
// citylinks.MaxRowErrors, and how many more), each a *citylinks.RowError
// with its line (the header is line 1); a problem that ends the input is
// the last row listed.
func ReadObservationsCSV(r io.Reader) ([]ObservationRow, error) {
	var (
		rows []ObservationRow
		bad  citylinks.RowErrors
	)
	err := eachRow(r, &bad, func(row ObservationRow) error {
		rows = append(rows, row)
		return nil
	})
	if err == nil {
		err = bad.Err()
	}
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// eachRow reads the observations CSV in r, passing each good row to f and
// adding each bad one to bad. It stops at the end, at a problem that ends
// the input or at the row after MaxCSVRows (both added to bad), or when f
// returns an error, which it returns.
func eachRow(r io.Reader, bad *citylinks.RowErrors, f func(ObservationRow) error) error {
	in := NewObservationReader(r)
	for n := 0; ; n++ {
		row, err := in.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var (
			re *citylinks.RowError
			le *lineError
		)
		switch {
		case errors.As(err, &re):
			bad.Add(re)
			continue
		case errors.As(err, &le):
			bad.Add(&citylinks.RowError{Line: le.line, Err: le.err})
			return nil
		case err != nil:
			return err // not reached: Read returns no other error
		}
		if n >= MaxCSVRows {
			bad.Add(&citylinks.RowError{Line: row.Line, Err: invalid("row", "more than %d rows", MaxCSVRows)})
			return nil
		}
		if err := f(row); err != nil {
			return err
		}
	}
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
			return o, invalid("value", "%q is not a decimal number", errtext.Clip(v))
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

// WriteObservationsCSV writes observations in the format of
// ReadObservationsCSV, with every column, text cells neutralised.
func WriteObservationsCSV(w io.Writer, obs []Observation) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ObservationColumns); err != nil {
		return err
	}
	rec := make([]string, len(ObservationColumns))
	for _, o := range obs {
		rec[0] = csvcell.Neutralise(o.ID)
		rec[1] = csvcell.Neutralise(o.Partnership)
		rec[2] = csvcell.Neutralise(o.Indicator)
		rec[3] = csvcell.Neutralise(string(o.Kind))
		rec[4] = csvcell.Neutralise(o.Period.String())
		rec[5] = csvcell.Number(o.Value)
		rec[6] = csvcell.Neutralise(o.Disaggregation.String())
		rec[7] = csvcell.Neutralise(o.Comment)
		rec[8] = csvcell.Neutralise(o.Source)
		rec[9] = csvcell.Neutralise(o.Reporter)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
