package sqlrow

import (
	"fmt"

	"github.com/citylinks/citylinks/report"
)

// Query runs a query inside a backend's write transaction and calls each
// for every row, with the row's Scan.
type Query func(query string, args []any, each func(scan func(dest ...any) error) error) error

// Writer collects, inside one write transaction, what report.CheckWrite
// needs: it reads the stored versions of each batch's ids, and, once per
// partnership, its frozen periods and the cells of its baselines and
// targets. Both SQL backends use it; its zero value is not ready, use
// NewWriter.
type Writer struct {
	d      Dialect
	q      Query
	st     report.Stored
	loaded map[string]bool
}

// NewWriter returns a Writer that runs its queries with q.
func NewWriter(d Dialect, q Query) *Writer {
	return &Writer{d: d, q: q, loaded: map[string]bool{},
		st: report.Stored{Old: map[string]report.Observation{}, Frozen: map[string][]report.Approval{}, Plans: map[string]string{}}}
}

// batchSize bounds the placeholders of one IN list.
const batchSize = 500

// Check reads what batch needs and checks it with report.CheckWrite; the
// caller then writes the batch. replacing reports whether some observation
// of the batch replaces one stored before it (by the store or an earlier
// batch of the write, which the transaction sees).
func (w *Writer) Check(batch []report.Observation) (replacing bool, err error) {
	var ids, parts []string
	seenPart := map[string]bool{}
	for _, o := range batch {
		ids = append(ids, o.ID)
		if !w.loaded[o.Partnership] && !seenPart[o.Partnership] {
			seenPart[o.Partnership] = true
			parts = append(parts, o.Partnership)
		}
	}
	// The transaction sees what earlier batches wrote, so the stored
	// versions are read afresh for each batch and not kept: a write of
	// millions of rows holds one batch of them.
	clear(w.st.Old)
	for start := 0; start < len(ids); start += batchSize {
		a := &args{d: w.d}
		q := "SELECT " + ObservationColumnList + " FROM report_observations WHERE " + a.in("id", ids[start:min(start+batchSize, len(ids))])
		if err := w.q(q, a.vals, scanObservation(func(o report.Observation) { w.st.Old[o.ID] = o })); err != nil {
			return false, err
		}
	}
	for start := 0; start < len(parts); start += batchSize {
		chunk := parts[start:min(start+batchSize, len(parts))]
		a := &args{d: w.d}
		q := "SELECT partnership, period, state FROM report_approvals WHERE state IN ('submitted', 'approved') AND " + a.in("partnership", chunk)
		if err := w.q(q, a.vals, func(scan func(...any) error) error {
			var ap report.Approval
			var key, state string
			if err := scan(&ap.Partnership, &key, &state); err != nil {
				return err
			}
			p, err := report.ParsePeriod(key)
			if err != nil {
				return fmt.Errorf("sqlrow: approval of %q: %w", ap.Partnership, err)
			}
			ap.Period, ap.State = p, report.ApprovalState(state)
			w.st.Frozen[ap.Partnership] = append(w.st.Frozen[ap.Partnership], ap)
			return nil
		}); err != nil {
			return false, err
		}
		a = &args{d: w.d}
		q = "SELECT " + ObservationColumnList + " FROM report_observations WHERE kind IN ('baseline', 'target') AND " + a.in("partnership", chunk)
		if err := w.q(q, a.vals, scanObservation(func(o report.Observation) { w.st.Plans[o.Cell()] = o.ID })); err != nil {
			return false, err
		}
		for _, p := range chunk {
			w.loaded[p] = true
		}
	}
	if err := report.CheckWrite(batch, w.st); err != nil {
		return false, err
	}
	return len(w.st.Old) > 0, nil
}

// scanObservation returns a row callback that scans an observation and
// passes it to f.
func scanObservation(f func(report.Observation)) func(scan func(...any) error) error {
	return func(scan func(...any) error) error {
		var r ObservationRow
		if err := scan(r.Dest()...); err != nil {
			return err
		}
		o, err := r.Observation()
		if err == nil {
			f(o)
		}
		return err
	}
}

// ContributionOwners is the query that reads the partnership and owner of
// stored contributions, for reportstore.CheckContributions; it takes the ids as
// an IN list.
func (d Dialect) ContributionOwners(ids []string) (string, []any) {
	a := &args{d: d}
	return "SELECT doc FROM report_contributions WHERE " + a.in("id", ids), a.vals
}
