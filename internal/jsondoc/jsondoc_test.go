package jsondoc_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/jsondoc"
	"github.com/citylinks/citylinks/internal/membound"
)

func nested(depth int) string { return strings.Repeat("[", depth) + strings.Repeat("]", depth) }

func TestParseErrors(t *testing.T) {
	deepPath := "$" + strings.Repeat("[0]", jsondoc.MaxDepth)
	for _, tc := range []struct{ name, doc, want string }{
		{"DuplicateKey", `{"a":1,"a":2}`, "$.a: key appears twice"},
		{"DuplicateKeyDeep", `{"a":[1,{"b":1,"b":2}]}`, "$.a[1].b: key appears twice"},
		{"BadUTF8", "{\"a\":\n \"x\xffy\"}", "$: is not valid UTF-8 (line 2, column 4): save the file as UTF-8"},
		{"Syntax", "{\"a\":\n 1,}", "$: syntax error at line 2, column 4: invalid character '}' looking for beginning of object key string"},
		{"Trailing", `{} {}`, "$: unexpected data after the document"},
		{"End", `{"a":[`, "$: unexpected end of document"},
		{"Empty", ``, "$: unexpected end of document"},
		{"TooDeep", nested(jsondoc.MaxDepth + 1), deepPath + ": nests arrays and objects more than 64 deep"},
		{"TooDeepObjects", strings.Repeat(`{"k":`, jsondoc.MaxDepth+1) + "1" + strings.Repeat("}", jsondoc.MaxDepth+1), "$" + strings.Repeat(".k", jsondoc.MaxDepth) + ": nests arrays and objects more than 64 deep"},
		{"Nested40KB", nested(20_000), deepPath + ": nests arrays and objects more than 64 deep"},
		{"Nested120KB", nested(60_000), deepPath + ": nests arrays and objects more than 64 deep"},
		{"TooManyValues", "[" + strings.Repeat("0,", jsondoc.MaxValues) + "0]", fmt.Sprintf("$[%d]: is past the %d values a document may hold", jsondoc.MaxValues-1, jsondoc.MaxValues)},
		{"TooLarge", `"` + strings.Repeat("x", jsondoc.MaxBytes) + `"`, fmt.Sprintf("$: document is larger than %d bytes", jsondoc.MaxBytes)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := jsondoc.Parse(strings.NewReader(tc.doc))
			var je *jsondoc.Error
			require.ErrorAs(t, err, &je)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestParseLimitsAccept(t *testing.T) {
	for name, doc := range map[string]string{
		"MaxDepth":  nested(jsondoc.MaxDepth),
		"MaxValues": "[" + strings.Repeat("0,", jsondoc.MaxValues-2) + "0]",
		"Escapes":   `{"a\u0000b":"\ud83d\ude00 \u00e9","":[]}`,
	} {
		_, err := jsondoc.Parse(strings.NewReader(doc))
		assert.NoError(t, err, name)
	}
}

// TestParseNestedIsCheap: nested arrays cost little, however deep the
// input goes (before the depth limit, paths built as strings at every
// level made a 40 KB document of nested arrays allocate 633 MB).
func TestParseNestedIsCheap(t *testing.T) {
	for _, depth := range []int{jsondoc.MaxDepth, 20_000, 60_000} {
		doc := nested(depth)
		n := membound.Bytes(func() { jsondoc.Parse(strings.NewReader(doc)) })
		t.Logf("%d bytes nested %d deep: %d bytes allocated", len(doc), depth, n)
		assert.Less(t, n, uint64(8*len(doc)+64<<10), "depth %d", depth) // about 2.5 per byte, 5 under -race
	}
}

func TestPaths(t *testing.T) {
	root, err := jsondoc.Parse(strings.NewReader(`{"a":[{"b":true},[null,"x"]]}`))
	require.NoError(t, err)
	assert.Equal(t, "$", root.Path())
	o, err := root.Object()
	require.NoError(t, err)
	elems, err := o.Get("a").Array()
	require.NoError(t, err)
	require.Len(t, elems, 2)
	inner, err := elems[1].Array()
	require.NoError(t, err)
	assert.Equal(t, "$.a[1][1]", inner[1].Path())
	_, err = inner[1].Int()
	assert.EqualError(t, err, "$.a[1][1]: must be an integer, not a string")
	b, err := elems[0].Object()
	require.NoError(t, err)
	assert.Equal(t, "$.a[0].nope", b.Get("nope").Path())
	assert.EqualError(t, b.Done(), "$.a[0].b: unknown field")

	moved := root.WithPath("$.eligibility")
	mo, err := moved.Object()
	require.NoError(t, err)
	elems, err = mo.Get("a").Array()
	require.NoError(t, err)
	assert.Equal(t, "$.eligibility.a[1]", elems[1].Path())
	assert.Equal(t, `{"a":[{"b":true},[null,"x"]]}`, string(moved.Raw()))
}

func BenchmarkParseNested(b *testing.B) {
	for _, size := range []int{40 << 10, 120 << 10} {
		doc := nested(size / 2)
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				jsondoc.Parse(strings.NewReader(doc))
			}
		})
	}
}

// depth returns how deeply arrays and objects nest in valid JSON data.
func depth(data []byte) int {
	d, most := 0, 0
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return most
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			d++
			most = max(most, d)
		case json.Delim(']'), json.Delim('}'):
			d--
		}
	}
}

// FuzzParse: Parse allocates memory proportional to its input; it refuses
// what encoding/json does, with a path; it accepts valid JSON in its
// limits unless a key repeats; and what it accepts, written out by Raw,
// parses again to the same bytes.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":null}],"c":"\u00e9"}`))
	f.Add([]byte(`{"a":1,"a":2}`))
	f.Add([]byte(nested(jsondoc.MaxDepth + 1)))
	f.Add([]byte(nested(2000)))
	f.Add([]byte("\"\xff\""))
	f.Add([]byte(`[1e400, -0, 1.5e-7, "\ud800"]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var (
			n   jsondoc.Node
			err error
		)
		membound.Check(t, "Parse", len(data), func() { n, err = jsondoc.Parse(bytes.NewReader(data)) })
		if err != nil {
			var je *jsondoc.Error
			if !errors.As(err, &je) || !strings.HasPrefix(je.Path, "$") {
				t.Fatalf("error without a path: %v", err)
			}
			if json.Valid(data) && utf8.Valid(data) && depth(data) <= jsondoc.MaxDepth && len(data) < jsondoc.MaxValues &&
				!strings.Contains(je.Problem, "key appears twice") {
				t.Fatalf("valid JSON refused: %v", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("invalid JSON accepted: %q", data)
		}
		raw := n.Raw()
		again, err := jsondoc.Parse(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("Raw output %s does not parse: %v", raw, err)
		}
		if r2 := again.Raw(); !bytes.Equal(raw, r2) {
			t.Fatalf("Raw changed on a second trip:\n%s\n%s", raw, r2)
		}
	})
}
