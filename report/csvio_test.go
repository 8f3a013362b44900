package report_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

const csvHeader = "partnership,indicator,kind,period,value,disaggregation,comment,source\n"

func TestReadObservationsCSV(t *testing.T) {
	in := csvHeader +
		"CL11-TEL-CAT,CL-MGMT-01,actual,2016,7,sex=female,,training log\n" +
		"CL11-TEL-CAT,CL-MGMT-01,actual,2016,-0.5,,\"a comment\nover two lines\",x\n" +
		"CL11-TEL-CAT,CL-BASIC-01,target,2016-07-01/2017-06-30,60,,'=not a formula,\n"
	rows, err := report.ReadObservationsCSV(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, []int{2, 3, 5}, []int{rows[0].Line, rows[1].Line, rows[2].Line})
	assert.Equal(t, report.Disaggregation{"sex": "female"}, rows[0].Observation.Disaggregation)
	assert.Equal(t, -0.5, rows[1].Observation.Value)
	assert.Equal(t, "=not a formula", rows[2].Observation.Comment, "the neutralising apostrophe is removed")
	assert.Equal(t, report.PeriodRange, rows[2].Observation.Period.Kind)
}

func TestReadObservationsCSVErrors(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		lines []int
		field string
	}{
		{"empty", "", []int{1}, "header"},
		{"unknown column", "partnership,indicator,kind,period,value,colour\n", []int{1}, "header"},
		{"missing column", "partnership,indicator,kind,value\n", []int{1}, "header"},
		{"bad rows", csvHeader +
			"P,CL-X,actual,2016,1,,,\n" +
			"P,CL-X,forecast,2016,1,,,\n" +
			"P,CL-X,actual,2016-Q5,1,,,\n" +
			"P,CL-X,actual,2016,NaN,,,\n" +
			"P,CL-X,actual,2016,1,sex,,\n" +
			"P,CL-X,actual,2016,1\n", []int{3, 4, 5, 6, 7}, ""},
		{"bare quote", csvHeader + "P,CL-X,actual,2016,1,,a \"quoted\" word,\n", []int{2}, "row"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := report.ReadObservationsCSV(strings.NewReader(tc.in))
			var ie *citylinks.ImportError
			require.ErrorAs(t, err, &ie)
			require.ErrorIs(t, err, citylinks.ErrInvalid)
			var lines []int
			for _, r := range ie.Rows {
				lines = append(lines, r.Line)
			}
			assert.Equal(t, tc.lines, lines)
			if tc.field != "" {
				var ve *citylinks.ValidationError
				require.ErrorAs(t, ie.Rows[0], &ve)
				assert.Equal(t, tc.field, ve.Field)
			}
			assert.Contains(t, err.Error(), "line ")
		})
	}
}

func TestImportCSV(t *testing.T) {
	ctx := t.Context()
	svc := newService(t)
	count := func() int {
		p, err := svc.Store().ListObservations(ctx, report.ObservationFilter{Partnership: reporttest.Telavi, Limit: 1000})
		require.NoError(t, err)
		return len(p.Items)
	}
	before := count()
	good := csvHeader + "CL11-TEL-CAT,CL-MGMT-01,actual,2015-Q3,7,sex=female,,training log\n"

	n, err := svc.ImportCSV(ctx, reporttest.Facilitator, strings.NewReader(good+
		"CL11-TEL-CAT,CL-NOPE,actual,2015,1,,,\n"+
		"CL11-TEL-CAT,CL-BASIC-01,actual,2015,140,,,\n"+
		"CL11-TEL-CAT,CL-MGMT-01,actual,2015,1,colour=red,,\n"))
	var ie *citylinks.ImportError
	require.ErrorAs(t, err, &ie)
	assert.Zero(t, n, "a refused import reports nothing stored")
	require.Len(t, ie.Rows, 3)
	assert.Equal(t, []int{3, 4, 5}, []int{ie.Rows[0].Line, ie.Rows[1].Line, ie.Rows[2].Line})
	assert.ErrorIs(t, ie.Rows[0], citylinks.ErrNotFound)
	assert.Equal(t, before, count(), "a bad row stores nothing")

	// A coordinator of another partnership may not import into Telavi.
	_, err = svc.ImportCSV(ctx, reporttest.Coordinator, strings.NewReader(good))
	require.ErrorIs(t, err, citylinks.ErrForbidden)

	// A locked period is reported with its line.
	_, err = svc.Submit(ctx, reporttest.Facilitator, reporttest.Telavi, report.Quarter(2015, 3))
	require.NoError(t, err)
	_, err = svc.Approve(ctx, reporttest.Monitor, reporttest.Telavi, report.Quarter(2015, 3))
	require.NoError(t, err)
	_, err = svc.ImportCSV(ctx, reporttest.Facilitator, strings.NewReader(good))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 2, ie.Rows[0].Line)
	assert.True(t, errors.Is(err, report.ErrLocked))

	n, err = svc.ImportCSV(ctx, reporttest.Facilitator, strings.NewReader(strings.ReplaceAll(good, ",2015-Q3,", ",2015-Q4,")))
	require.NoError(t, err)
	assert.Equal(t, report.ImportSummary{Rows: 1, Added: 1}, n)
	assert.Equal(t, before+1, count())
}

// FuzzReadObservationsCSV checks two properties of the CSV reader on any
// input: every rejection names a line (>= 1, and no later than the input's
// last line), and accepted rows survive a trip through
// WriteObservationsCSV and back unchanged.
func FuzzReadObservationsCSV(f *testing.F) {
	f.Add([]byte(csvHeader + "CL11-TEL-CAT,CL-MGMT-01,actual,2016,7,sex=female,,log\n"))
	f.Add([]byte("id,partnership,indicator,kind,period,value\nx,P,CL-X,target,2016-Q2,-1e3\n"))
	f.Add([]byte(csvHeader + "P,CL-X,baseline,2016-01-01/2016-06-30,0.25,age-group=15-24;sex=male,\"=1+2\",@src\n"))
	f.Add([]byte(csvHeader + "P,CL-X,actual,2016,1\n"))
	f.Add([]byte("\ufeffpartnership,indicator,kind,period,value,comment\n-P,CL-X,actual,2016-03,,'\tx\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := report.ReadObservationsCSV(bytes.NewReader(data))
		if err != nil {
			importRows(t, data, err)
			return
		}
		obs := make([]report.Observation, len(rows))
		for i, r := range rows {
			obs[i] = r.Observation
		}
		var buf bytes.Buffer
		if err := report.WriteObservationsCSV(&buf, obs); err != nil {
			t.Fatalf("write: %v", err)
		}
		back, err := report.ReadObservationsCSV(&buf)
		if err != nil {
			t.Fatalf("re-read of written CSV failed: %v\n%s", err, buf.String())
		}
		if len(back) != len(obs) {
			t.Fatalf("round trip: %d rows, want %d", len(back), len(obs))
		}
		for i := range obs {
			got := back[i].Observation
			if got.String() != obs[i].String() || got.ID != obs[i].ID || got.Value != obs[i].Value || got.Comment != obs[i].Comment ||
				got.Source != obs[i].Source || got.Reporter != obs[i].Reporter || got.Disaggregation.String() != obs[i].Disaggregation.String() {
				t.Fatalf("row %d changed in the round trip:\n got %#v\nwant %#v", i, got, obs[i])
			}
		}
	})
}

// readStream reads all of an ObservationReader: the rows, the lines of the
// bad rows, and the error that ended the input, if any.
func readStream(t *testing.T, r *report.ObservationReader) (rows []report.ObservationRow, bad []int, fatal error) {
	t.Helper()
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, bad, nil
		}
		var re *citylinks.RowError
		switch {
		case errors.As(err, &re):
			bad = append(bad, re.Line)
		case err != nil:
			_, again := r.Read()
			require.Equal(t, err, again, "an error that ends the input is returned again")
			return rows, bad, err
		default:
			rows = append(rows, row)
		}
	}
}

func TestObservationReader(t *testing.T) {
	in := csvHeader +
		"CL11-TEL-CAT,CL-MGMT-01,actual,2016,7,sex=female,,training log\n" +
		"P,CL-X,forecast,2016,1,,,\n" +
		"CL11-TEL-CAT,CL-MGMT-01,actual,2016,-0.5,,\"a comment\nover two lines\",x\n" +
		"P,CL-X,actual,2016,1\n" +
		"CL11-TEL-CAT,CL-BASIC-01,target,2016-07-01/2017-06-30,60,,'=not a formula,\n"
	for name, data := range map[string]string{
		"LF":   in,
		"CRLF": strings.ReplaceAll(in, "\n", "\r\n"),
		"CR":   strings.ReplaceAll(in, "\n", "\r"),
	} {
		t.Run(name, func(t *testing.T) {
			rows, bad, fatal := readStream(t, report.NewObservationReader(strings.NewReader(data)))
			require.NoError(t, fatal)
			assert.Equal(t, []int{3, 6}, bad)
			require.Len(t, rows, 3)
			assert.Equal(t, []int{2, 4, 7}, []int{rows[0].Line, rows[1].Line, rows[2].Line})
			assert.Equal(t, "a comment\nover two lines", rows[1].Observation.Comment)
			assert.Equal(t, "=not a formula", rows[2].Observation.Comment)
		})
	}

	t.Run("Header", func(t *testing.T) {
		for _, in := range []string{"", "partnership,indicator,kind,value\n", "partnership,colour\n", "\"partner\nship\",indicator,kind,period,value\n"} {
			_, _, fatal := readStream(t, report.NewObservationReader(strings.NewReader(in)))
			require.ErrorIs(t, fatal, citylinks.ErrInvalid, "%q", in)
			assert.Contains(t, fatal.Error(), "line 1: citylinks: invalid header: ")
		}
	})

	t.Run("LongRow", func(t *testing.T) {
		long := strings.Repeat("x", citylinks.MaxCSVRowBytes)
		in := csvHeader + "P,CL-X,actual,2016,1,,," + long + "\n" +
			"CL11-TEL-CAT,CL-MGMT-01,actual,2016,7,,,\n" +
			"P,CL-X,actual,2016,1,,\"a\n" + long + "\",\n" +
			"CL11-TEL-CAT,CL-MGMT-01,actual,2016,7,,,\n"
		rows, bad, fatal := readStream(t, report.NewObservationReader(strings.NewReader(in)))
		assert.Equal(t, []int{2}, bad)
		require.Len(t, rows, 1)
		assert.Equal(t, 3, rows[0].Line)
		require.ErrorIs(t, fatal, citylinks.ErrInvalid)
		assert.Contains(t, fatal.Error(), fmt.Sprintf("line 4: citylinks: invalid row: is longer than %d bytes", citylinks.MaxCSVRowBytes))

		_, err := report.ReadObservationsCSV(strings.NewReader(in))
		var ie *citylinks.ImportError
		require.ErrorAs(t, err, &ie)
		require.Len(t, ie.Rows, 2)
		assert.Equal(t, []int{2, 4}, []int{ie.Rows[0].Line, ie.Rows[1].Line})
	})
}

// observationsCSV returns a reader of a CSV file of n rows (every tenth
// one bad), written as it is read.
func observationsCSV(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriter(pw)
		w.WriteString(csvHeader)
		for i := range n {
			kind := "actual"
			if i%10 == 9 {
				kind = "forecast"
			}
			fmt.Fprintf(w, "CL11-TEL-CAT,CL-MGMT-01,%s,2016,%d,sex=female,comment %d,training log\n", kind, i, i)
		}
		pw.CloseWithError(w.Flush())
	}()
	return pr
}

// TestObservationReaderMemory: reading 200,000 rows holds memory of the
// order of one row, not of the file.
func TestObservationReaderMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 200,000 rows")
	}
	const n = 200_000
	r := report.NewObservationReader(observationsCSV(n))
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, uint64(0)
	rows, bad := 0, 0
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bad++
		} else {
			rows++
		}
		if (rows+bad)%20_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	assert.Equal(t, n/10, bad)
	assert.Equal(t, n-n/10, rows)
	t.Logf("%d rows: live heap at most %d bytes over the start", n, int64(peak)-int64(base))
	assert.Less(t, int64(peak)-int64(base), int64(1<<20))
}

func BenchmarkReadObservations(b *testing.B) {
	const n = 1_000_000
	b.Run("ObservationReader", func(b *testing.B) {
		for b.Loop() {
			r := report.NewObservationReader(observationsCSV(n))
			for {
				if _, err := r.Read(); errors.Is(err, io.EOF) {
					break
				}
			}
		}
	})
	b.Run("ReadObservationsCSV", func(b *testing.B) {
		for b.Loop() {
			report.ReadObservationsCSV(observationsCSV(n))
		}
	})
}

// FuzzObservationReader: on any input the reader keeps its contract
// (readStream), and reads what ReadObservationsCSV reads: the same rows
// when that accepts the file, else the same bad lines.
func FuzzObservationReader(f *testing.F) {
	f.Add([]byte(csvHeader + "CL11-TEL-CAT,CL-MGMT-01,actual,2016,7,sex=female,,log\n"))
	f.Add([]byte(csvHeader + "P,CL-X,forecast,2016,1,,,\r\nP,CL-X,actual,2016,1,,\"a\r\nb\",\r\n"))
	f.Add([]byte(strings.ReplaceAll(csvHeader+"P,CL-X,actual,2016,1,,\"a\nb\",\nP,CL-X,actual,2016,1\n", "\n", "\r")))
	f.Add([]byte("partnership,indicator\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, bad, fatal := readStream(t, report.NewObservationReader(bytes.NewReader(data)))
		if fatal != nil && !errors.Is(fatal, citylinks.ErrInvalid) {
			t.Fatalf("an error of a bytes.Reader: %v", fatal)
		}
		all, err := report.ReadObservationsCSV(bytes.NewReader(data))
		if err == nil {
			require.NoError(t, fatal)
			require.Empty(t, bad)
			require.Equal(t, all, rows)
			return
		}
		lines := bad
		if fatal != nil {
			var line int
			_, scanErr := fmt.Sscanf(fatal.Error(), "line %d:", &line)
			require.NoError(t, scanErr, "the error names its line: %v", fatal)
			lines = append(lines, line)
		}
		var got []int
		for _, r := range importRows(t, data, err) {
			got = append(got, r.Line)
		}
		require.Equal(t, lines[:min(len(lines), citylinks.MaxRowErrors)], got)
	})
}
