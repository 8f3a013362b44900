package hostile

import (
	"io"
	"strings"
	"unicode/utf8"
)

// LongLen is the length of the long value, in bytes: 1 MiB.
const LongLen = 1 << 20

// NUL is a value holding a NUL byte, which SQL text columns cannot hold:
// every text field refuses it.
const NUL = "before\x00after"

// Value is one hostile string.
type Value struct {
	// Name names the value in test output ("sql", "formula-equals").
	Name string
	// Class is the row of the hostile-input table it belongs to.
	Class Class
	// Text is the value itself: valid UTF-8, no NUL byte.
	Text string
	// ID says whether the value is a valid record id: at most 200 bytes,
	// no control character, no surrounding space.
	ID bool
	// Category says whether the value is a valid disaggregation category
	// in package report: 1 to 100 bytes, no ';' or '=', no control
	// character, no surrounding space.
	Category bool
	// NotXML says that the value holds a character XML 1.0 cannot carry
	// (a C0 control other than tab, line feed and carriage return).
	NotXML bool
}

// Class groups the values as the hostile-input table does.
type Class string

// The classes.
const (
	ClassSQL     Class = "quotes and SQL"
	ClassFormula Class = "spreadsheet formulas"
	ClassHTML    Class = "HTML and script"
	ClassXML     Class = "XML specials and control characters"
	ClassUnicode Class = "right-to-left and combining Unicode"
	ClassLong    Class = "very long strings (1 MB)"
)

// Values returns every hostile value, the 1 MB one last.
func Values() []Value {
	return append(ShortValues(), Value{Name: "long", Class: ClassLong, Text: Long()})
}

// ShortValues returns the hostile values without the 1 MB one.
func ShortValues() []Value {
	return []Value{
		{Name: "sql", Class: ClassSQL, Text: "'; DROP TABLE cities; --", ID: true},
		{Name: "sql-quotes", Class: ClassSQL, Text: `Robert'); DELETE FROM partnerships WHERE ''=' "x" \' \\`, ID: true},
		{Name: "formula-hyperlink", Class: ClassFormula, Text: `=HYPERLINK("http://x","y")`, ID: true},
		{Name: "formula-plus", Class: ClassFormula, Text: "+1", ID: true, Category: true},
		{Name: "formula-at", Class: ClassFormula, Text: "@SUM(A1)", ID: true, Category: true},
		{Name: "formula-minus", Class: ClassFormula, Text: "-2+3", ID: true, Category: true},
		{Name: "html-script", Class: ClassHTML, Text: "<script>alert(1)</script>", ID: true, Category: true},
		{Name: "html-img", Class: ClassHTML, Text: `"><img src=x onerror=alert(1)>`, ID: true},
		{Name: "html-iframe", Class: ClassHTML, Text: `</title></textarea><iframe srcdoc="<script>parent.x=1</script>"></iframe><svg onload=alert(1)>`, ID: true},
		{Name: "xml-specials", Class: ClassXML, Text: `& < > " ' &amp; ]]> <![CDATA[x]]>`, ID: true},
		{Name: "control-soh", Class: ClassXML, Text: "a\x01b", NotXML: true},
		{Name: "control-esc", Class: ClassXML, Text: "\x1b[2J\x1b]0;owned\x07red\x1b[0m", NotXML: true},
		{Name: "line-separator", Class: ClassXML, Text: "a\u2028b\u2029c", ID: true, Category: true},
		{Name: "lone-cr", Class: ClassXML, Text: "a\rb"},
		{Name: "newline-tab", Class: ClassXML, Text: "a\nb\tc|d"},
		{Name: "rtl-override", Class: ClassUnicode, Text: "abc\u202edcba\u202c.csv", ID: true, Category: true},
		{Name: "combining", Class: ClassUnicode, Text: "Quere\u0301taro e\u0301\u0301\u0301", ID: true, Category: true},
		{Name: "arabic", Class: ClassUnicode, Text: "القاهرة الكبرى", ID: true, Category: true},
		{Name: "hebrew", Class: ClassUnicode, Text: "ירושלים \u05b8", ID: true, Category: true},
	}
}

// Long returns a 1 MiB (LongLen bytes) string mixing every class: SQL,
// formula, markup, a line separator, right-to-left and combining text. It
// starts with '=' and ends with 'x'.
func Long() string {
	const unit = "=1+'; <b>&amp;</b>\u2028\u202eالقاهرة e\u0301 "
	s := strings.Repeat(unit, LongLen/len(unit)+1)
	s = s[:LongLen-1]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	// Ends with "x", not white space, so that loaders that trim cells
	// keep it whole.
	return s + strings.Repeat("x", LongLen-len(s))
}

// LongLine returns a reader of n bytes of 'x' with no line break, made up as
// they are read, so that a test can feed a parser a line far longer than it
// may hold (300 MB) without holding it either.
func LongLine(n int64) io.Reader { return &longLine{n: n} }

type longLine struct{ n int64 }

func (l *longLine) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), l.n)]
	for i := range p {
		p[i] = 'x'
	}
	l.n -= int64(len(p))
	return len(p), nil
}
