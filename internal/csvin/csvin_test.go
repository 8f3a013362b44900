package csvin_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/csvin"
	"github.com/citylinks/citylinks/internal/hostile"
)

// item is one result of Read: a record with its line, or an error.
type item struct {
	Line int
	Rec  []string
	Err  string
}

func readAll(t *testing.T, r *csvin.Reader) []item {
	t.Helper()
	var out []item
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			out = append(out, item{Err: err.Error()})
			var le *csvin.LongRowError
			if errors.As(err, &le) {
				if le.Stopped {
					_, again := r.Read()
					require.Equal(t, err, again, "a stopped reader returns its error again")
					return out
				}
				continue
			}
			var pe *csv.ParseError
			require.ErrorAs(t, err, &pe, "only a bad row lets reading go on")
			continue
		}
		out = append(out, item{Line: r.Line(), Rec: slices.Clone(rec)})
	}
}

func TestLineEndings(t *testing.T) {
	want := []item{
		{Line: 1, Rec: []string{"id", "name"}},
		{Line: 2, Rec: []string{"1", "Shimla"}},
		{Line: 4, Rec: []string{"2", "Fort\nLauderdale"}},
		{Line: 6, Rec: []string{"3", ""}},
	}
	for name, input := range map[string]string{
		"LF":            "id,name\n1,Shimla\n\n2,\"Fort\nLauderdale\"\n3,\n",
		"CRLF":          "id,name\r\n1,Shimla\r\n\r\n2,\"Fort\r\nLauderdale\"\r\n3,\r\n",
		"CR":            "id,name\r1,Shimla\r\r2,\"Fort\rLauderdale\"\r3,\r",
		"CR no last":    "id,name\r1,Shimla\r\r2,\"Fort\rLauderdale\"\r3,",
		"one byte a go": "id,name\r1,Shimla\r\r2,\"Fort\rLauderdale\"\r3,",
	} {
		t.Run(name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(input)
			if name == "one byte a go" {
				r = iotest.OneByteReader(r)
			}
			assert.Equal(t, want, readAll(t, csvin.NewReader(r, 1<<20)))
		})
	}
	t.Run("LoneCRInLFFile", func(t *testing.T) {
		// The first line break decides: in an LF file a lone CR is data.
		got := readAll(t, csvin.NewReader(strings.NewReader("a,b\n\"x\ry\",z\r\n"), 1<<20))
		assert.Equal(t, []item{{Line: 1, Rec: []string{"a", "b"}}, {Line: 2, Rec: []string{"x\ry", "z"}}}, got)
	})
}

func TestHeader(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		want        []string
		err         string
	}{
		{"BOM", "\ufeffid,name\n1,x\n", []string{"id", "name"}, ""},
		{"Empty", "", nil, "EOF"},
		{"QuotedBreak", "id,\"na\nme\"\n", nil, `column name "na\nme" holds a line break`},
		{"MixedEndings", "id,name\n1,x\r2,y\n", []string{"id", "name"}, ""},
		{"QuotedCRInLFHeader", "\"id\rx\",name\n", nil, `column name "id\nx" holds a line break`},
		{"BareQuote", "id,na\"me\n", nil, "bare \""},
		{"TooLong", strings.Repeat("x", 100) + "\n", nil, "the header row is longer than 64 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := csvin.NewReader(strings.NewReader(tc.input), 64).Header()
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestLongRow(t *testing.T) {
	const max = 64
	long := strings.Repeat("x", 100)
	for _, tc := range []struct {
		name, input string
		want        []item
	}{
		{"Fits", "a,b\n" + strings.Repeat("y", max-3) + ",z\n", []item{{Line: 1, Rec: []string{"a", "b"}}, {Line: 2, Rec: []string{strings.Repeat("y", max-3), "z"}}}},
		{"OneOver", "a,b\n" + strings.Repeat("y", max-2) + ",z\n", []item{{Line: 1, Rec: []string{"a", "b"}},
			{Err: "line 2: row is longer than 64 bytes, the most one row may have: split the text, or look for a missing line break"}}},
		{"SkippedThenGoesOn", "a,b\n" + long + ",z\n\n1,2\n", []item{{Line: 1, Rec: []string{"a", "b"}},
			{Err: "line 2: row is longer than 64 bytes, the most one row may have: split the text, or look for a missing line break"},
			{Line: 4, Rec: []string{"1", "2"}}}},
		{"QuotedCutInsideQuotes", "a,b\n\"" + long + "\",\"z\"\n1,2\n", []item{{Line: 1, Rec: []string{"a", "b"}},
			{Err: "line 2: row is longer than 64 bytes, the most one row may have: split the text, or look for a missing line break"},
			{Line: 3, Rec: []string{"1", "2"}}}},
		{"EscapedQuotes", "a,b\n\"" + strings.Repeat(`""`, 50) + "\",z\n1,2\n", []item{{Line: 1, Rec: []string{"a", "b"}},
			{Err: "line 2: row is longer than 64 bytes, the most one row may have: split the text, or look for a missing line break"},
			{Line: 3, Rec: []string{"1", "2"}}}},
		{"CROnly", "a,b\r" + long + "\r1,2\r", []item{{Line: 1, Rec: []string{"a", "b"}},
			{Err: "line 2: row is longer than 64 bytes, the most one row may have: split the text, or look for a missing line break"},
			{Line: 3, Rec: []string{"1", "2"}}}},
		{"SpansLines", "a,b\n\"x\n" + long + "\n\",z\n1,2\n", []item{{Line: 1, Rec: []string{"a", "b"}},
			{Err: "line 2: row is longer than 64 bytes, the most one row may have; it spans several lines or has a quote that is never closed, so the rows after it cannot be read: close the quote, or split the text"}}},
		{"QuoteNeverClosed", "a,b\n\"" + long + "\n1,2\n", []item{{Line: 1, Rec: []string{"a", "b"}},
			{Err: "line 2: row is longer than 64 bytes, the most one row may have; it spans several lines or has a quote that is never closed, so the rows after it cannot be read: close the quote, or split the text"}}},
		{"BlankLinesDoNotCount", "a,b\n" + strings.Repeat("\n", 200) + "1,2\n", []item{{Line: 1, Rec: []string{"a", "b"}}, {Line: 202, Rec: []string{"1", "2"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, readAll(t, csvin.NewReader(strings.NewReader(tc.input), max)))
		})
	}
}

// TestLongLineMemory: a 300 MB line costs memory of the limit, not of the
// line. (encoding/csv alone holds the whole line, three times over.)
func TestLongLineMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 300 MB")
	}
	const limit = 2 << 20
	src := io.MultiReader(strings.NewReader("a,b\n"), hostile.LongLine(300<<20), strings.NewReader(",y\n1,2\n"))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got := readAll(t, csvin.NewReader(src, limit))
	runtime.ReadMemStats(&after)
	assert.Equal(t, []item{{Line: 1, Rec: []string{"a", "b"}},
		{Err: fmt.Sprintf("line 2: row is longer than %d bytes, the most one row may have: split the text, or look for a missing line break", limit)},
		{Line: 3, Rec: []string{"1", "2"}}}, got)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("300 MB line, limit %d bytes: %d bytes allocated", limit, alloc)
	// One buffer of the limit's size holds the start of the line; encoding/csv
	// never sees it.
	assert.Less(t, alloc, uint64(limit+1<<20), "allocation grows with the line, not the limit")
}

// reference reads input as encoding/csv does once lone CRs are line breaks
// (when the first line break is one), with the raw length of each record
// from the start of its first line.
func reference(data []byte) (items []item, lengths []int) {
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 && data[i] == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
		b := slices.Clone(data)
		for j := range b {
			if b[j] == '\r' && (j+1 == len(b) || b[j+1] != '\n') {
				b[j] = '\n'
			}
		}
		data = b
	}
	lineStart := []int{0, 0} // lineStart[n] is the offset of line n
	for i, c := range data {
		if c == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return items, lengths
		}
		var line int
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				panic(err)
			}
			line = pe.StartLine
			items = append(items, item{Err: err.Error()})
		} else {
			line, _ = cr.FieldPos(0)
			items = append(items, item{Line: line, Rec: rec})
		}
		lengths = append(lengths, int(cr.InputOffset())-lineStart[line])
	}
}

// FuzzReader: with a limit, the Reader gives what encoding/csv gives (once
// lone CRs are line breaks, in a CR-only file), except that each row longer
// than the limit is replaced by a *LongRowError, after which it goes on only
// when the row is skippable; and no row at most the limit long is refused.
// The second argument sets the limit and how the input arrives.
func FuzzReader(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"), uint8(0))
	f.Add([]byte("a,b\r1,\"x\ry\"\r\r2,3"), uint8(0))
	f.Add([]byte("a,b\r\n\""+strings.Repeat("q", 90)+"\",1\r\n2,3\r\n"), uint8(10))
	f.Add([]byte("a,\"b\n"+strings.Repeat("q", 90)+"\n\"\n2,3\n"), uint8(0))
	f.Add([]byte("x\"y"+strings.Repeat("q", 90)+"\nz\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, extra uint8) {
		limit := 64 + int(extra>>1)
		var src io.Reader = bytes.NewReader(data)
		if extra&1 != 0 {
			src = iotest.OneByteReader(src) // every CR at the end of a read
		}
		want, lengths := reference(data)
		got := readAll(t, csvin.NewReader(src, limit))
		for i, g := range got {
			require.Less(t, i, len(want), "more results than encoding/csv: %q", got)
			if strings.Contains(g.Err, "row is longer than") {
				require.Greater(t, lengths[i], limit, "a row of %d bytes refused at limit %d", lengths[i], limit)
				want[i].Line, want[i].Rec = g.Line, g.Rec // not compared
				if strings.Contains(g.Err, "cannot be read") {
					require.Len(t, got, i+1, "results after a stop")
					return
				}
				continue
			}
			require.LessOrEqual(t, lengths[i], limit, "a row of %d bytes read at limit %d", lengths[i], limit)
			require.Equal(t, want[i], g, "result %d", i)
		}
		require.Len(t, got, len(want))
	})
}
