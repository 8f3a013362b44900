package jsondoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
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
	Path string
	v    any // nil, bool, json.Number, string, []any, *object
}

type object struct {
	keys []string
	m    map[string]any
}

// MaxBytes is the largest document Parse accepts.
const MaxBytes = 16 << 20

// Parse reads one JSON document. Syntax errors name the line and column;
// duplicate keys are errors; trailing data after the document is an error.
func Parse(r io.Reader) (Node, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return Node{}, errorf("$", "reading: %v", err)
	}
	if len(data) > MaxBytes {
		return Node{}, errorf("$", "document is larger than %d bytes", MaxBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec, "$")
	if err != nil {
		return Node{}, locate(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Node{}, locate(data, dec, errorf("$", "unexpected data after the document"))
	}
	return Node{Path: "$", v: v}, nil
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
	line, col := 1, 1
	for _, b := range data[:min(int(off), len(data))] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return errorf("$", "syntax error at line %d, column %d: %v", line, col, err)
}

func parseValue(dec *json.Decoder, path string) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &object{m: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				kp := path + "." + k
				if _, dup := o.m[k]; dup {
					return nil, errorf(kp, "key appears twice")
				}
				v, err := parseValue(dec, kp)
				if err != nil {
					return nil, err
				}
				o.keys = append(o.keys, k)
				o.m[k] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			var a []any
			for i := 0; dec.More(); i++ {
				v, err := parseValue(dec, fmt.Sprintf("%s[%d]", path, i))
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			if a == nil {
				a = []any{}
			}
			return a, nil
		}
		return nil, errorf(path, "unexpected %v", t)
	default:
		return tok, nil
	}
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
		return nil, errorf(n.Path, "must be an object, not %s", kind(n.v))
	}
	return &Object{path: n.Path, o: o, used: map[string]bool{}}, nil
}

// Array returns the elements of n, which must be an array.
func (n Node) Array() ([]Node, error) {
	a, ok := n.v.([]any)
	if !ok {
		return nil, errorf(n.Path, "must be an array, not %s", kind(n.v))
	}
	out := make([]Node, len(a))
	for i, v := range a {
		out[i] = Node{Path: fmt.Sprintf("%s[%d]", n.Path, i), v: v}
	}
	return out, nil
}

// String returns n as a string.
func (n Node) String() (string, error) {
	s, ok := n.v.(string)
	if !ok {
		return "", errorf(n.Path, "must be a string, not %s", kind(n.v))
	}
	return s, nil
}

// Bool returns n as a boolean.
func (n Node) Bool() (bool, error) {
	b, ok := n.v.(bool)
	if !ok {
		return false, errorf(n.Path, "must be true or false, not %s", kind(n.v))
	}
	return b, nil
}

// Int returns n as an integer.
func (n Node) Int() (int64, error) {
	num, ok := n.v.(json.Number)
	if !ok {
		return 0, errorf(n.Path, "must be an integer, not %s", kind(n.v))
	}
	i, err := strconv.ParseInt(num.String(), 10, 64)
	if err != nil {
		return 0, errorf(n.Path, "%s is not an integer in range", num)
	}
	return i, nil
}

// Float returns n as a finite number.
func (n Node) Float() (float64, error) {
	num, ok := n.v.(json.Number)
	if !ok {
		return 0, errorf(n.Path, "must be a number, not %s", kind(n.v))
	}
	f, err := strconv.ParseFloat(num.String(), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, errorf(n.Path, "%s is not a finite number", num)
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
	path string
	o    *object
	used map[string]bool
}

// Path returns the object's path.
func (o *Object) Path() string { return o.path }

// Has reports whether key is present (even if null).
func (o *Object) Has(key string) bool { _, ok := o.o.m[key]; return ok }

// Get returns the member key; an absent key gives a null Node with the path
// the key would have.
func (o *Object) Get(key string) Node {
	o.used[key] = true
	return Node{Path: o.path + "." + key, v: o.o.m[key]}
}

// Require returns the member key, or an error if it is absent or null.
func (o *Object) Require(key string) (Node, error) {
	n := o.Get(key)
	if n.IsNull() {
		return n, errorf(n.Path, "is required")
	}
	return n, nil
}

// String returns the string member key; absent or null gives "" unless
// required.
func (o *Object) String(key string, required bool) (string, error) {
	n := o.Get(key)
	if n.IsNull() {
		if required {
			return "", errorf(n.Path, "is required")
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
			return errorf(o.path+"."+k, "unknown field")
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
