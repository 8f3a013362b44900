package jsondoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a problem at a path in a document. Path is "$" for the root.
type Error struct {
	Path    string
	Problem string
}

// Error implements error.
func (e *Error) Error() string { return e.Path + ": " + e.Problem }

func errorf(path, format string, args ...any) *Error {
	return &Error{Path: path, Problem: fmt.Sprintf(format, args...)}
}

// Node is one value of a document and its path.
type Node struct {
	at *step // where the value is; nil is the root, "$"
	v  any   // nil, bool, json.Number, string, []any, *object
}

// step is one step of a path: from the value up, by key (when index < 0)
// or by index. A step with no up and a root stands for the path root.
// Paths are written out only when asked for, so a value's path costs one
// step, not a string as long as the path: strings made reading a deeply
// nested document cost memory quadratic in its depth.
type step struct {
	up    *step
	key   string
	index int
	root  string
}

// Path returns the path of the value, such as "$.focus_areas[1]".
func (n Node) Path() string { return pathOf(n.at) }

func pathOf(s *step) string {
	var steps []*step
	for ; s != nil && s.root == ""; s = s.up {
		steps = append(steps, s)
	}
	var b strings.Builder
	if s == nil {
		b.WriteByte('$')
	} else {
		b.WriteString(s.root)
	}
	for i := len(steps) - 1; i >= 0; i-- {
		steps[i].write(&b)
	}
	return b.String()
}

func (s *step) write(b *strings.Builder) {
	if s.index >= 0 {
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(s.index))
		b.WriteByte(']')
	} else {
		b.WriteByte('.')
		b.WriteString(s.key)
	}
}

// WithPath returns n with its path, and so those of the values in it,
// starting at path instead of "$": for a document embedded in another.
// An empty path means "$".
func (n Node) WithPath(path string) Node {
	if path == "" {
		return Node{v: n.v}
	}
	return Node{at: &step{root: path}, v: n.v}
}

type object struct {
	keys []string
	m    map[string]any
}

// Limits on the documents Parse accepts.
const (
	// MaxBytes is the largest document, in bytes.
	MaxBytes = 16 << 20
	// MaxDepth is how deeply arrays and objects may nest: the root array
	// or object is at depth 1.
	MaxDepth = 64
	// MaxValues is how many values (strings, numbers, booleans, nulls,
	// arrays and objects, at any depth) a document may hold. Each costs
	// some 100 bytes in memory, whatever its size in the document.
	MaxValues = 100_000
)

// Parse reads one JSON document. Syntax errors name the line and column;
// duplicate keys, invalid UTF-8, a document over MaxBytes and nesting
// deeper than MaxDepth are errors; trailing data after the document is an
// error, and so are more than MaxValues values. Memory and time grow
// linearly with the size of the document.
func Parse(r io.Reader) (Node, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return Node{}, errorf("$", "reading: %v", err)
	}
	if len(data) > MaxBytes {
		return Node{}, errorf("$", "document is larger than %d bytes", MaxBytes)
	}
	if !utf8.Valid(data) {
		line, col := position(data, invalidUTF8(data))
		return Node{}, errorf("$", "is not valid UTF-8 (line %d, column %d): save the file as UTF-8", line, col)
	}
	p := parser{dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	v, err := p.value()
	if err != nil {
		return Node{}, locate(data, p.dec, err)
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return Node{}, locate(data, p.dec, errorf("$", "unexpected data after the document"))
	}
	return Node{v: v}, nil
}

// invalidUTF8 returns the offset of the first byte of data that is not
// valid UTF-8.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// position returns the line and column (in bytes, from 1) of offset off.
func position(data []byte, off int) (line, col int) {
	before := data[:min(off, len(data))]
	line = 1 + bytes.Count(before, []byte{'\n'})
	return line, off - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

// locate turns decoder syntax errors into an *Error with a line and column.
func locate(data []byte, dec *json.Decoder, err error) error {
	var je *Error
	if errors.As(err, &je) {
		return je
	}
	off := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf("$", "unexpected end of document")
	}
	line, col := position(data, int(off))
	return errorf("$", "syntax error at line %d, column %d: %v", line, col, err)
}

// parser reads values from the decoder's tokens. It keeps the path to the
// value being read as a stack of steps and writes it out only for an
// error: building every value's path as a string made the cost quadratic
// in the nesting depth (a 40 KB document of nested arrays took 633 MB).
type parser struct {
	dec    *json.Decoder
	steps  []step
	values int // values read so far
}

func (p *parser) path() string {
	var b strings.Builder
	b.WriteByte('$')
	for i := range p.steps {
		p.steps[i].write(&b)
	}
	return b.String()
}

func (p *parser) value() (any, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	if p.values++; p.values > MaxValues {
		return nil, errorf(p.path(), "is past the %d values a document may hold", MaxValues)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if len(p.steps) >= MaxDepth {
		return nil, errorf(p.path(), "nests arrays and objects more than %d deep", MaxDepth)
	}
	switch d {
	case '{':
		o := &object{m: map[string]any{}}
		for p.dec.More() {
			kt, err := p.dec.Token()
			if err != nil {
				return nil, err
			}
			k := kt.(string)
			p.steps = append(p.steps, step{key: k, index: -1})
			if _, dup := o.m[k]; dup {
				return nil, errorf(p.path(), "key appears twice")
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			p.steps = p.steps[:len(p.steps)-1]
			o.keys = append(o.keys, k)
			o.m[k] = v
		}
		_, err := p.dec.Token()
		return o, err
	case '[':
		a := []any{}
		for i := 0; p.dec.More(); i++ {
			p.steps = append(p.steps, step{index: i})
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			p.steps = p.steps[:len(p.steps)-1]
			a = append(a, v)
		}
		_, err := p.dec.Token()
		return a, err
	}
	return nil, errorf(p.path(), "unexpected %v", d)
}

// IsNull reports whether n is JSON null or absent.
func (n Node) IsNull() bool { return n.v == nil }

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case *object:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// Object returns n as an object.
func (n Node) Object() (*Object, error) {
	o, ok := n.v.(*object)
	if !ok {
		return nil, errorf(n.Path(), "must be an object, not %s", kind(n.v))
	}
	return &Object{at: n.at, o: o, used: map[string]bool{}}, nil
}

// Array returns the elements of n, which must be an array.
func (n Node) Array() ([]Node, error) {
	a, ok := n.v.([]any)
	if !ok {
		return nil, errorf(n.Path(), "must be an array, not %s", kind(n.v))
	}
	out := make([]Node, len(a))
	steps := make([]step, len(a))
	for i, v := range a {
		steps[i] = step{up: n.at, index: i}
		out[i] = Node{at: &steps[i], v: v}
	}
	return out, nil
}

// String returns n as a string.
func (n Node) String() (string, error) {
	s, ok := n.v.(string)
	if !ok {
		return "", errorf(n.Path(), "must be a string, not %s", kind(n.v))
	}
	return s, nil
}

// Bool returns n as a boolean.
func (n Node) Bool() (bool, error) {
	b, ok := n.v.(bool)
	if !ok {
		return false, errorf(n.Path(), "must be true or false, not %s", kind(n.v))
	}
	return b, nil
}

// Int returns n as an integer.
func (n Node) Int() (int64, error) {
	num, ok := n.v.(json.Number)
	if !ok {
		return 0, errorf(n.Path(), "must be an integer, not %s", kind(n.v))
	}
	i, err := strconv.ParseInt(num.String(), 10, 64)
	if err != nil {
		return 0, errorf(n.Path(), "%s is not an integer in range", num)
	}
	return i, nil
}

// Float returns n as a finite number.
func (n Node) Float() (float64, error) {
	num, ok := n.v.(json.Number)
	if !ok {
		return 0, errorf(n.Path(), "must be a number, not %s", kind(n.v))
	}
	f, err := strconv.ParseFloat(num.String(), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, errorf(n.Path(), "%s is not a finite number", num)
	}
	return f, nil
}

// Strings returns n as an array of strings.
func (n Node) Strings() ([]string, error) {
	elems, err := n.Array()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		if out[i], err = e.String(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Object is a JSON object whose keys are consumed one by one; Done reports
// any key that was not.
type Object struct {
	at   *step
	o    *object
	used map[string]bool
}

// Path returns the object's path.
func (o *Object) Path() string { return pathOf(o.at) }

// Has reports whether key is present (even if null).
func (o *Object) Has(key string) bool { _, ok := o.o.m[key]; return ok }

// Get returns the member key; an absent key gives a null Node with the path
// the key would have.
func (o *Object) Get(key string) Node {
	o.used[key] = true
	return Node{at: &step{up: o.at, key: key, index: -1}, v: o.o.m[key]}
}

// Require returns the member key, or an error if it is absent or null.
func (o *Object) Require(key string) (Node, error) {
	n := o.Get(key)
	if n.IsNull() {
		return n, errorf(n.Path(), "is required")
	}
	return n, nil
}

// String returns the string member key; absent or null gives "" unless
// required.
func (o *Object) String(key string, required bool) (string, error) {
	n := o.Get(key)
	if n.IsNull() {
		if required {
			return "", errorf(n.Path(), "is required")
		}
		return "", nil
	}
	return n.String()
}

// Strings returns the string-array member key; absent or null gives nil.
func (o *Object) Strings(key string) ([]string, error) {
	n := o.Get(key)
	if n.IsNull() {
		return nil, nil
	}
	return n.Strings()
}

// Done returns an error naming the first key (in document order) that was
// never read: an unknown field.
func (o *Object) Done() error {
	for _, k := range o.o.keys {
		if !o.used[k] {
			return errorf(o.Path()+"."+k, "unknown field")
		}
	}
	return nil
}

// Raw returns n re-encoded as compact JSON, keys in document order.
func (n Node) Raw() json.RawMessage {
	var b bytes.Buffer
	writeRaw(&b, n.v)
	return b.Bytes()
}

func writeRaw(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case *object:
		b.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			writeRaw(b, t.m[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeRaw(b, e)
		}
		b.WriteByte(']')
	case json.Number:
		b.WriteString(t.String())
	default:
		eb, _ := json.Marshal(t)
		b.Write(eb)
	}
}
