package report_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

// allObservations returns every stored observation by id.
func allObservations(t *testing.T, svc *report.Service) map[string]report.Observation {
	t.Helper()
	all, err := reporttest.Stored(t.Context(), svc.Store())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// importRows asserts that err, the refusal of CSV data, is a
// *citylinks.ImportError listing rows, each on a line of data, and returns
// them.
func importRows(t *testing.T, data []byte, err error) []*citylinks.RowError {
	t.Helper()
	var ie *citylinks.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) == 0 {
		t.Fatalf("refusal is not an *ImportError with rows: %v", err)
	}
	// Every line break, CR or LF, may end a line (CR-only files read).
	last := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
	for _, r := range ie.Rows {
		if r.Line < 1 || r.Line > last {
			t.Fatalf("row error with line %d (input has %d lines): %v", r.Line, last, r)
		}
	}
	return ie.Rows
}

// FuzzImportCSV runs Service.ImportCSV on any input, over the report
// fixture with one approved (locked) period, as the facilitator or as a
// coordinator of two of the three partnerships. Its properties: a refused
// import is a *citylinks.ImportError whose every row names a line of the
// input and says why (invalid, unknown, forbidden or locked), and it
// stores nothing; an accepted one stores exactly the rows read, each
// readable back by its id.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte(csvHeader+"CL11-TEL-CAT,CL-MGMT-01,actual,2016,7,sex=female,,training log\n"), false)
	f.Add([]byte("id,"+csvHeader+"x1,CL11-DUR-FTL,CL-CLIM-02,actual,2015-Q1,3,,,\n"), true)
	f.Add([]byte("id,"+csvHeader+"x2,CL11-DUR-FTL,CL-CLIM-02,actual,2015-Q3,3,,\"'=1+2\",<b>\n"), true)
	f.Add([]byte("id,"+csvHeader+"x3,CL11-TEL-CAT,CL-MGMT-01,actual,2016,1,,,\n"), true)
	f.Add([]byte("id,"+csvHeader+"dur-02-a14q1,CL11-DUR-FTL,CL-CLIM-02,actual,2014-Q1,99,,replaced,\n"), false)
	f.Add([]byte(csvHeader+"CL11-TEL-CAT,CL-NOPE,actual,2016,1,,,\nCL11-TEL-CAT,CL-BASIC-01,actual,2016,140,,,\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, coordinator bool) {
		svc := newService(t)
		ctx := t.Context()
		if _, err := svc.Submit(ctx, reporttest.Coordinator, reporttest.Durban, report.Quarter(2015, 1)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Approve(ctx, reporttest.Monitor, reporttest.Durban, report.Quarter(2015, 1)); err != nil {
			t.Fatal(err)
		}
		actor := reporttest.Facilitator
		if coordinator {
			actor = reporttest.Coordinator
		}
		before := allObservations(t, svc)
		n, err := svc.ImportCSV(ctx, actor, bytes.NewReader(data))
		after := allObservations(t, svc)
		if err != nil {
			if n != (report.ImportSummary{}) {
				t.Fatalf("ImportCSV = %+v, %v: a refused import reports rows stored", n, err)
			}
			if d := cmp.Diff(before, after); d != "" {
				t.Fatalf("a refused import changed the store (%v):\n%s", err, d)
			}
			for _, r := range importRows(t, data, err) {
				if !errors.Is(r, citylinks.ErrInvalid) && !errors.Is(r, citylinks.ErrNotFound) &&
					!errors.Is(r, citylinks.ErrForbidden) && !errors.Is(r, report.ErrLocked) {
					t.Fatalf("row error says neither invalid, unknown, forbidden nor locked: %v", r)
				}
			}
			return
		}
		rows, err := report.ReadObservationsCSV(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("ImportCSV accepted what ReadObservationsCSV refuses: %v", err)
		}
		if n.Rows != len(rows) || n.Added+n.Changed+n.Unchanged != len(rows) {
			t.Fatalf("ImportCSV = %+v, want the %d rows read, each added, changed or unchanged", n, len(rows))
		}
		added := 0
		for _, r := range rows {
			o := r.Observation
			if o.ID == "" {
				o.ID = o.CellID()
			}
			got, ok := after[o.ID]
			if _, existed := before[o.ID]; !existed {
				added++
			}
			if !ok || !got.SameContent(o) {
				t.Fatalf("row %d stored as %+v, want %+v", r.Line, got, o)
			}
		}
		if added != n.Added {
			t.Fatalf("%d rows added, ImportCSV says %d", added, n.Added)
		}
		if len(after) != len(before)+added {
			t.Fatalf("%d observations stored, want %d + %d", len(after), len(before), added)
		}
	})
}
